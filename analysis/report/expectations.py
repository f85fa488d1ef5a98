"""Customer expectations in the strategic case, reported as they were answered (review
finding 23; issue 12, point 8).

The questionnaire's expectations items each name the expectation they measure
(``expectation``: ``tell_once``, ``sharing``, ``transparency``, ``timeliness`` in
``survey/questionnaire.yaml``). :func:`expectation_split` decides, from each item's favourable
share (the collapsed table's ``all`` row, as the user-research charts draw it), which
expectations most people hold (at least :data:`HELD_SHARE`) and which divide them; the
paragraph then says so item by item, rather than quoting the most and least agreed only,
and draws what follows: joining the council's own records meets an expectation most hold,
sharing with partners goes beyond what many expect, so transparency (telling people how their
information is used) and consent where sharing is not expected are needs of the case.
"""

from __future__ import annotations

from analysis.core import formatting as fmt

#: An expectation is "held by most" when at least two in three of the answers agree with it.
HELD_SHARE = 200 / 3
#: Which expectation an item measures, in words (the item's ``expectation``).
EXPECTATION_WORDS = {
    "tell_once": "not to have to tell the council again what they have already told it",
    "sharing": "the council to share what they tell it with the partners who need it",
    "transparency": "to be told how the information they give is used",
    "timeliness": "the council to act on what they tell it in good time",
}


def expectation_split(item_shares: dict, questionnaire: dict, construct: str = "expectations"):
    """``{"held": [(item, pct)], "divided": [(item, pct)], "suppressed": [item]}`` for the
    construct's items, each list most-agreed first: ``held`` at least :data:`HELD_SHARE`,
    ``divided`` below it; ``suppressed``: no published share. ``item_shares``: item id ->
    favourable share (0-100) or None."""
    items = [it for it in questionnaire["items"] if it.get("construct") == construct]
    known = [(it, float(item_shares[it["id"]])) for it in items
             if item_shares.get(it["id"]) is not None]  # fmt: skip
    known.sort(key=lambda x: (-x[1], x[0]["id"]))
    return {
        "held": [(it, pct) for it, pct in known if pct >= HELD_SHARE],
        "divided": [(it, pct) for it, pct in known if pct < HELD_SHARE],
        "suppressed": [it for it in items if item_shares.get(it["id"]) is None],
    }


def _words(item: dict) -> str:
    return EXPECTATION_WORDS.get(item.get("expectation"), f"that “{item['text']}”")


def split_words(split: dict) -> str:
    """The split in sentences, and what it asks of the case for change."""
    out = []
    if split["held"]:
        out.append(
            "Most expect "
            + fmt.prose_list(f"{_words(it)} ({fmt.pct(pct)})" for it, pct in split["held"])
            + "."
        )
    if split["divided"]:
        out.append(
            "Fewer expect "
            + fmt.prose_list(f"{_words(it)} (only {fmt.pct(pct)})" for it, pct in split["divided"])
            + "."
        )
    if split["suppressed"]:
        out.append(
            "The share for "
            + fmt.prose_list(f"“{it['text']}”" for it in split["suppressed"])
            + " is not published: too few answers to publish it safely."
        )
    kinds = {it.get("expectation"): pct for it, pct in split["held"] + split["divided"]}
    held = {it.get("expectation") for it, _ in split["held"]}
    if "sharing" in kinds and "sharing" not in held:
        need = (
            "So the case for change rests on joining the records the council already holds, "
            "which people expect, more than on sharing them with partners, which many do not "
            "expect: where data is shared, it needs a clear basis and, where people would not "
            "expect it, their consent"
        )
        if "transparency" in kinds:
            need += (
                f", and people need to be told how their information is used, which "
                f"{fmt.pct(kinds['transparency'])} expect"
            )
        out.append(need + ".")
    elif "transparency" in kinds:
        out.append(
            f"Whatever is joined or shared, {fmt.pct(kinds['transparency'])} expect to be told "
            "how their information is used: transparency is part of meeting these expectations."
        )
    return " ".join(out)
