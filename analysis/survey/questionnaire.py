"""Reading the questionnaire: items by type, their scales, and the constructs with Likert items.

One home for these lookups, used by the statistics, the publication step, the figures, the
workflow (which draws one figure per Likert construct) and the construct agreement that the
journeys stage reads as a table.
"""

from __future__ import annotations


def items(questionnaire: dict, kind: str | None = None, ids=None) -> list[dict]:
    """Items of the questionnaire, optionally of one ``type`` and/or with the given ids."""
    out = [it for it in questionnaire.get("items", []) if kind is None or it.get("type") == kind]
    if ids is not None:
        wanted = set(ids)
        out = [it for it in out if it["id"] in wanted]
        unknown = wanted - {it["id"] for it in out}
        if unknown:
            raise KeyError(
                f"items not in the questionnaire (or of the wrong type): {sorted(unknown)}"
            )
    return out


def item_scale(questionnaire: dict, item: dict) -> dict:
    """The scale an item is answered on."""
    try:
        return questionnaire["scales"][item["scale"]]
    except KeyError:
        raise KeyError(f"item {item['id']}: scale {item.get('scale')!r} not defined") from None


def likert_constructs(questionnaire: dict) -> list[tuple[dict, list[dict]]]:
    """(construct, its Likert items) in questionnaire order; constructs without Likert items
    are left out."""
    likert = items(questionnaire, "likert")
    out = []
    for c in questionnaire.get("constructs", []):
        members = [it for it in likert if it.get("construct") == c["id"]]
        if members:
            out.append((c, members))
    return out


def likert_construct_ids(questionnaire: dict) -> list[str]:
    """Ids of the constructs that have Likert items, in questionnaire order."""
    return [c["id"] for c, _ in likert_constructs(questionnaire)]


def likert_ids(questionnaire: dict) -> list[str]:
    """Ids of the Likert items, in questionnaire order."""
    return [it["id"] for it in items(questionnaire, "likert")]


def respondent_group_labels(questionnaire: dict) -> dict[str, str]:
    """Label of each respondent group id, in questionnaire order (the id when unlabelled)."""
    return {
        g["id"]: str(g.get("label", g["id"])) for g in questionnaire.get("respondent_groups", [])
    }


def asked_of(questionnaire: dict, item: dict) -> list[str] | None:
    """The respondent groups an item is asked of: its own ``asked_of``, else its construct's,
    else ``None`` (asked of everyone). A routed form skips the item for other groups, so their
    blank answers are not missing answers."""
    groups = item.get("asked_of")
    if groups is None and item.get("construct"):
        c = next(
            (c for c in questionnaire.get("constructs", []) if c["id"] == item["construct"]), {}
        )
        groups = c.get("asked_of")
    if groups is None:
        return None
    known = set(respondent_group_labels(questionnaire))
    unknown = sorted(set(groups) - known)
    if unknown:
        raise KeyError(f"item {item['id']}: asked_of names unknown respondent groups {unknown}")
    return list(groups)
