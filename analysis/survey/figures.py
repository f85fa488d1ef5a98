"""Survey figures: diverging stacked Likert bars per construct, from CONTROLLED counts only.

Chart form: diverging stacked bars centred on the neutral midpoint (Robbins & Heiberger,
"Plotting Likert and other rating scales", JSM 2011), one bar per item and group (grouped rows
under an item heading), drawn in the house style of :mod:`analysis.core.plotting` (Analysis
Function palette, direct percentage labels, alt text for every figure).

Input is the collapsed table of :func:`analysis.survey.collapsed_distributions`:
unfavourable / neutral / favourable answers per item and group, controlled *after* collapsing
so that far fewer cells are suppressed than in the five-level table (review finding 9). For a
reverse-keyed item "favourable" is disagreement, so the right-hand side of every bar is the
favourable direction and the share drawn there is the share the tables call favourable (review
finding 28).

Suppressed answers can never read as agreement or disagreement: the known categories are
drawn around the midpoint as published, and the suppressed share (100% less the published
shares, derivable from the table, so nothing new is disclosed) is drawn as a separate hatched
bar in its own column to the right of the chart, headed "[c] suppressed", away from either
side. The figure refuses a table whose counts fail
:func:`analysis.core.disclosure.check_controlled`.
"""

from __future__ import annotations

import textwrap

import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.core.formatting import pct as fmt_pct

__all__ = ["drawn_shares", "draw_likert_construct", "plot_likert_construct"]

_MIN_LABEL_WIDTH = 7.0  # percentage points: narrower segments get no number inside
_SUPPRESSED_FILL = "#f3f2f1"
#: The three categories, left to right, and their colours (house diverging palette ends and
#: its grey midpoint).
_CATEGORIES = ("unfavourable", "neutral", "favourable")


def _colours() -> dict[str, str]:
    from analysis.core import plotting

    d = plotting.DIVERGING
    return {"unfavourable": d[0], "neutral": d[len(d) // 2], "favourable": d[-1]}


def _group_label(questionnaire: dict, group_by: str, group: str) -> str:
    if group == "all":
        return "All"
    labels = qn.respondent_group_labels(questionnaire) if group_by == "respondent_group" else {}
    if group in labels:
        return labels[group]
    return group.replace("_", " ").title() if group.islower() else group


def drawn_shares(row) -> dict:
    """What one bar draws, from one row of the collapsed table: the left edge and width of
    each published category (neutral centred on zero, unfavourable to its left, favourable
    to its right; a suppressed category is not drawn) and the width of the separate
    suppressed bar. The favourable width is the table's ``pct_favourable`` where published."""
    pct = {c: (None if pd.isna(row[f"pct_{c}"]) else float(row[f"pct_{c}"])) for c in _CATEGORIES}
    neutral = pct["neutral"] or 0.0
    out = {
        "neutral": (-neutral / 2, neutral) if pct["neutral"] else None,
        "unfavourable": (-neutral / 2 - pct["unfavourable"], pct["unfavourable"])
        if pct["unfavourable"]
        else None,
        "favourable": (neutral / 2, pct["favourable"]) if pct["favourable"] else None,
    }
    hidden = row["pct_suppressed"]
    out["suppressed"] = 0.0 if pd.isna(hidden) else float(hidden)
    return out


def draw_likert_construct(
    collapsed: pd.DataFrame,
    questionnaire: dict,
    construct: str,
    rule,
    *,
    group_by: str = "authority",
    groups: list[str] | None = None,
    wrap: int = 70,
):
    """Draw the diverging bars of one construct; return ``(fig, alt_text)``.

    ``collapsed``: a :func:`~analysis.survey.collapsed_distributions` table; ``group_by``:
    which grouping (``"authority"`` or ``"respondent_group"``); ``groups``: the groups to
    show, in order (default: all, sorted, with ``"all"`` last).
    """
    # imported here, not at module level: analysis.core.plotting imports matplotlib, and
    # importing analysis.survey (as the workflow does when it is parsed) should stay cheap
    import matplotlib.pyplot as plt

    from analysis.core import plotting
    from analysis.core.disclosure import check_controlled

    check_controlled(
        collapsed, ["n", "n_unfavourable", "n_neutral", "n_favourable"], rule, where="figure"
    )
    cons = {c["id"]: c for c in questionnaire.get("constructs", [])}
    if construct not in cons:
        raise KeyError(f"construct {construct!r} is not in the questionnaire")
    items = [it for it in qn.items(questionnaire, "likert") if it.get("construct") == construct]
    tab = collapsed[
        (collapsed["group_by"] == group_by) & collapsed["item_id"].isin([it["id"] for it in items])
    ]
    if tab.empty:
        raise ValueError(f"no controlled answers for construct {construct!r} by {group_by}")
    if groups is None:
        present = sorted(set(tab["group"]) - {"all"})
        groups = present + (["all"] if "all" in set(tab["group"]) else [])
    colours = _colours()

    headings, heights = [], []
    for it in items:
        note = ""
        if it.get("reverse"):
            fav = "dissatisfied" if it.get("scale") == "satisfaction" else "disagree"
            note = f" (reverse-keyed: “{fav}” is favourable, drawn on the right)"
        lines = textwrap.wrap(f"{it['id']}  {it.get('text', '')}{note}", wrap) or [it["id"]]
        headings.append("\n".join(lines))
        heights.append(len(lines))
    row_h, line_h = 0.26, 0.15
    fig_h = 1.5 + sum(len(groups) * row_h + n * line_h + 0.12 for n in heights)
    shown = tab[tab["group"].isin(groups)]
    # the suppressed column is drawn only when something is suppressed (or a group is absent)
    any_suppressed = bool((shown["pct_suppressed"].fillna(0) > 0).any()) or any(
        shown[(shown["item_id"] == it["id"]) & (shown["group"] == g)].empty
        for it in items
        for g in groups
    )
    with plotting.style():
        if any_suppressed:
            fig, (ax, side) = plt.subplots(
                1,
                2,
                figsize=(plotting.A4_TEXT_WIDTH_IN, fig_h),
                layout="constrained",
                sharey=True,
                gridspec_kw={"width_ratios": [5, 1]},
            )
        else:
            fig, ax = plt.subplots(figsize=(plotting.A4_TEXT_WIDTH_IN, fig_h), layout="constrained")
            side = None
        y = 0.0
        yticks, yticklabels = [], []
        for it, heading, n_lines in zip(items, headings, heights, strict=True):
            y += 0.3
            ax.text(-100, y, heading, ha="left", va="top", fontsize=8, weight="bold", zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
            y += n_lines * line_h / row_h + 0.1
            for grp in groups:
                y += 1.0
                rows = tab[(tab["item_id"] == it["id"]) & (tab["group"] == grp)]
                if rows.empty:
                    shares = {c: None for c in _CATEGORIES} | {"suppressed": 100.0}
                else:
                    shares = drawn_shares(rows.iloc[0])
                for c in _CATEGORIES:
                    if shares[c] is None:
                        continue
                    left, width = shares[c]
                    ax.barh(y, width, left=left, height=0.78, color=colours[c],
                            edgecolor="white", linewidth=0.5)  # fmt: skip
                    if width >= _MIN_LABEL_WIDTH:
                        ax.text(left + width / 2, y, fmt_pct(width), ha="center", va="center",
                                fontsize=7, color=plotting.text_colour_on(colours[c]))  # fmt: skip
                hidden = shares["suppressed"]
                if hidden > 0 and side is not None:
                    side.barh(y, hidden, left=0, height=0.78, color=_SUPPRESSED_FILL,
                              edgecolor=plotting.NEUTRAL_GREY, hatch="////", linewidth=0.5)  # fmt: skip
                    side.text(min(hidden, 100) + 3 if hidden < 60 else hidden / 2, y,
                              fmt_pct(hidden), ha="left" if hidden < 60 else "center",
                              va="center", fontsize=7, color=plotting.TEXT)  # fmt: skip
                yticks.append(y)
                yticklabels.append(textwrap.fill(_group_label(questionnaire, group_by, grp), 24))
            y += 0.5
        ax.set_yticks(yticks, yticklabels, fontsize=8)
        ax.set_ylim(y + 0.2, 0)
        ax.set_xlim(-100, 100)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
        # behind the bars and the item headings: the neutral share centred on it keeps its
        # label legible, and the line still marks the midpoint between and beside the bars
        ax.axvline(0, color="#6F777B", linewidth=0.8, zorder=0.5)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_title(cons[construct].get("label", construct), loc="left", weight="bold")
        from matplotlib.patches import Patch

        handles = [
            Patch(color=colours["unfavourable"], label="Unfavourable"),
            Patch(color=colours["neutral"], label="Neither / neutral"),
            Patch(color=colours["favourable"], label="Favourable"),
        ]
        if side is not None:
            side.set_xlim(0, 100)
            side.set_xticks([50, 100], ["50%", "100%"])
            side.tick_params(axis="y", length=0, labelleft=False)
            side.spines["left"].set_visible(False)
            side.set_title(f"{rule.marker} suppressed", loc="left", fontsize=8)
            handles.append(Patch(facecolor=_SUPPRESSED_FILL, edgecolor=plotting.NEUTRAL_GREY,
                                 hatch="////", label=f"{rule.marker} suppressed"))  # fmt: skip
        fig.legend(handles=handles, loc="outside upper center", ncol=4, frameon=False, fontsize=7)
        note = (
            "Percentages of answered questions, from counts rounded to the nearest "
            f"{rule.rounding_base}. Favourable: agree or satisfied (disagree or dissatisfied for "
            "a reverse-keyed item)."
        )
        if any_suppressed:
            note += (
                f" {rule.marker} suppressed: answers withheld for disclosure control, shown apart "
                "because they may lie on either side."
            )
        ax.set_xlabel(textwrap.fill(note, 95), fontsize=7, loc="left")
    return fig, _alt_text(tab, questionnaire, cons[construct], items, groups, group_by, rule)


def _alt_text(tab, questionnaire, cons, items, groups, group_by, rule) -> str:
    label = cons.get("label", cons["id"])
    names = [_group_label(questionnaire, group_by, g) for g in groups]
    by = {"respondent_group": "respondent group"}.get(group_by, group_by.replace("_", " "))
    parts = [
        f"Diverging stacked bar chart for the construct {label}: {len(items)} items, one bar "
        f"per item and {by} ({', '.join(names)}). Each bar shows the unfavourable answers on "
        "the left, the neutral ones centred and the favourable ones on the right (for a "
        "reverse-keyed item disagreement is favourable); answers suppressed for disclosure "
        "control are drawn apart, in a column on the right."
    ]
    for it in items:
        vals = []
        for g, name in zip(groups, names, strict=True):
            r = tab[(tab["item_id"] == it["id"]) & (tab["group"] == g)]
            a = r["pct_favourable"].iloc[0] if len(r) else pd.NA
            vals.append(f"{name} {rule.marker}" if pd.isna(a) else f"{name} {fmt_pct(a)}")
        short = textwrap.shorten(str(it.get("text", "")), 70, placeholder="…")
        rev = ", reverse-keyed" if it.get("reverse") else ""
        parts.append(f"{it['id']} ({short}{rev}): favourable answers {'; '.join(vals)}.")
    parts.append(f"{rule.marker} marks values suppressed for disclosure control.")
    return " ".join(parts)


def plot_likert_construct(
    collapsed: pd.DataFrame,
    questionnaire: dict,
    construct: str,
    rule,
    path,
    *,
    group_by: str = "authority",
    groups: list[str] | None = None,
) -> str:
    """Draw (see :func:`draw_likert_construct`), save PNG + ``.alt.txt``; return the alt text."""
    fig, alt = draw_likert_construct(
        collapsed, questionnaire, construct, rule, group_by=group_by, groups=groups
    )
    from analysis.core import plotting

    plotting.save_figure(fig, path, alt)
    return alt
