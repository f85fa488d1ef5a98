"""Survey figures: diverging stacked Likert bars per construct, from CONTROLLED counts only.

Chart form: diverging stacked bars centred on the neutral level (Robbins & Heiberger, "Plotting
Likert and other rating scales", JSM 2011), one bar per item and group (grouped rows under an
item heading), drawn in the house style of :mod:`analysis.core.plotting` (Analysis Function palette,
direct percentage labels, alt text for every figure).

Input is the table :func:`analysis.survey.distributions.controlled_distributions` returns; the
figure refuses a table whose counts fail :func:`analysis.core.disclosure.check_controlled`.
Suppressed segments are drawn together as one hatched grey "[c]" segment (their combined share
is 100% less the published shares, so nothing new is disclosed; each level's share is not
shown), and a note under the chart says so.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.core.formatting import pct as fmt_pct

__all__ = ["draw_likert_construct", "plot_likert_construct"]

_MIN_LABEL_WIDTH = 7.0  # percentage points: narrower segments get no number inside


def _colours(k: int) -> list[str]:
    """k colours from the house diverging scale (negative ... neutral ... positive)."""
    from analysis.core import plotting

    if k == len(plotting.DIVERGING):
        return list(plotting.DIVERGING)
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    cmap = LinearSegmentedColormap.from_list("div", plotting.DIVERGING)
    return [to_hex(cmap(v)) for v in np.linspace(0, 1, k)]


def _group_label(questionnaire: dict, group_by: str, group: str) -> str:
    if group == "all":
        return "All"
    labels = qn.respondent_group_labels(questionnaire) if group_by == "respondent_group" else {}
    if group in labels:
        return labels[group]
    return group.replace("_", " ").title() if group.islower() else group


def draw_likert_construct(
    controlled: pd.DataFrame,
    questionnaire: dict,
    construct: str,
    rule,
    *,
    group_by: str = "authority",
    groups: list[str] | None = None,
    wrap: int = 75,
):
    """Draw the diverging bars of one construct; return ``(fig, alt_text)``.

    ``controlled``: a :func:`~analysis.survey.distributions.controlled_distributions` table;
    ``group_by``: which block to draw (``"authority"``, ``"respondent_group"``, ``"overall"``);
    ``groups``: the groups to show, in order (default: all, sorted, with ``"all"`` last).
    """
    # imported here, not at module level: analysis.core.plotting imports matplotlib, and
    # importing analysis.survey (as the workflow does when it is parsed) should stay cheap
    from analysis.core import plotting
    from analysis.core.disclosure import check_controlled

    check_controlled(controlled, ["count", "n"], rule, where="figure input")
    cons = {c["id"]: c for c in questionnaire.get("constructs", [])}
    if construct not in cons:
        raise KeyError(f"construct {construct!r} is not in the questionnaire")
    items = [it for it in qn.items(questionnaire, "likert") if it.get("construct") == construct]
    tab = controlled[
        (controlled["group_by"] == group_by)
        & controlled["item_id"].isin([it["id"] for it in items])
    ]
    if tab.empty:
        raise ValueError(f"no controlled distributions for construct {construct!r} by {group_by}")
    if groups is None:
        present = sorted(set(tab["group"]) - {"all"})
        groups = present + (["all"] if "all" in set(tab["group"]) else [])
    scales = [qn.item_scale(questionnaire, it) for it in items]
    k = max(len(s["levels"]) for s in scales)
    colours = _colours(k)

    # layout: per item a heading line block, then one row per group
    heights, headings = [], []
    for it in items:
        rev = " (reverse-keyed; shown as answered)" if it.get("reverse") else ""
        lines = textwrap.wrap(f"{it['id']}  {it.get('text', '')}{rev}", wrap) or [it["id"]]
        headings.append("\n".join(lines))
        heights.append(len(lines))
    row_h, line_h = 0.26, 0.15
    fig_h = 1.3 + sum(len(groups) * row_h + n_lines * line_h + 0.12 for n_lines in heights)
    fig, ax = plotting.new_figure(height_in=fig_h)

    y = 0.0
    yticks, yticklabels = [], []
    any_suppressed = False
    with plotting.style():
        for it, heading, n_lines, scale in zip(items, headings, heights, scales, strict=True):
            y += 0.3
            ax.text(
                -100,
                y,
                heading,
                ha="left",
                va="top",
                fontsize=8,
                weight="bold",
                zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
            y += n_lines * line_h / row_h + 0.1
            codes = list(range(1, len(scale["levels"]) + 1))
            neg, pos = set(scale.get("negative", [])), set(scale.get("positive", []))
            cols = _colours(len(codes))
            for grp in groups:
                y += 1.0
                rows = tab[(tab["item_id"] == it["id"]) & (tab["group"] == grp)]
                pct = {
                    int(r.code): (None if pd.isna(r.percent) else float(r.percent))
                    for r in rows.itertuples()
                }
                suppressed = any(pct.get(c) is None for c in codes) or rows.empty
                any_suppressed |= suppressed
                left_part = sum(pct[c] or 0 for c in codes if c in neg and pct.get(c))
                neutral = [c for c in codes if c not in neg and c not in pos]
                left_part += sum((pct.get(c) or 0) / 2 for c in neutral)
                cur = -left_part
                for c in codes:
                    p = pct.get(c)
                    if not p:  # suppressed (None) or 0: nothing to draw
                        continue
                    ax.barh(
                        y,
                        p,
                        left=cur,
                        height=0.78,
                        color=cols[c - 1],
                        edgecolor="white",
                        linewidth=0.5,
                    )
                    if p >= _MIN_LABEL_WIDTH:
                        ax.text(
                            cur + p / 2,
                            y,
                            fmt_pct(p),
                            ha="center",
                            va="center",
                            fontsize=7,
                            color=plotting.text_colour_on(cols[c - 1]),
                        )
                    cur += p
                if suppressed:
                    # the suppressed answers together, as one hatched grey segment: its width
                    # is 100% less the published shares (derivable from the published table,
                    # so nothing new is disclosed), and the bar no longer looks as if nobody
                    # gave the suppressed answers (issue 12, point 9); it sits on the side of
                    # the suppressed levels (the right when they are on both sides)
                    hidden = (
                        100.0 if rows.empty else max(0.0, 100.0 - sum(p for p in pct.values() if p))
                    )
                    left_hidden = any(pct.get(c) is None for c in neg) and not any(
                        pct.get(c) is None for c in codes if c not in neg
                    )
                    start = -left_part - hidden if left_hidden else cur
                    if hidden > 0:
                        ax.barh(
                            y,
                            hidden,
                            left=start,
                            height=0.78,
                            color="#f3f2f1",
                            edgecolor=plotting.NEUTRAL_GREY,
                            hatch="////",
                            linewidth=0.5,
                        )
                    inside = hidden >= _MIN_LABEL_WIDTH
                    ax.text(
                        start + hidden / 2 if inside else start + hidden + 1.5,
                        y,
                        rule.marker,
                        ha="center" if inside else "left",
                        va="center",
                        fontsize=7,
                        color=plotting.TEXT,
                        bbox={"facecolor": "#f3f2f1", "edgecolor": "none", "pad": 0.3}
                        if inside
                        else None,
                    )
                yticks.append(y)
                yticklabels.append(textwrap.fill(_group_label(questionnaire, group_by, grp), 24))
            y += 0.5
        ax.set_yticks(yticks, yticklabels, fontsize=8)
        ax.set_ylim(y + 0.2, 0)
        ax.set_xlim(-100, 100)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
        ax.axvline(0, color="#6F777B", linewidth=0.8)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_title(cons[construct].get("label", construct), loc="left", weight="bold")
        # legend: one entry per colour; several scales share a colour per position
        from matplotlib.patches import Patch

        names = []
        for i in range(k):
            labs = dict.fromkeys(s["levels"][i] for s in scales if len(s["levels"]) == k)
            names.append(textwrap.fill(" / ".join(labs), 18))
        fig.legend(
            handles=[Patch(color=colours[i], label=names[i]) for i in range(k)],
            loc="outside upper center",
            ncol=k,
            frameon=False,
            fontsize=7,
        )
        note = "Percentages of answered questions, from rounded counts."
        if any_suppressed:
            note += (
                f" {rule.marker} (hatched): answers suppressed for disclosure control, "
                "shown together, their levels not shown."
            )
        ax.set_xlabel(textwrap.fill(note, 80), fontsize=7, loc="left")

    return fig, _alt_text(
        tab, questionnaire, cons[construct], items, groups, group_by, scales, rule
    )


def _alt_text(tab, questionnaire, cons, items, groups, group_by, scales, rule) -> str:
    label = cons.get("label", cons["id"])
    names = [_group_label(questionnaire, group_by, g) for g in groups]
    by = {"respondent_group": "respondent group", "overall": "all respondents"}.get(
        group_by, group_by.replace("_", " ")
    )
    sc = scales[0]["levels"]
    parts = [
        (
            f"Diverging stacked bar chart for the construct {label}: "
            f"{len(items)} items, one bar per item and {by} ({', '.join(names)}). "
            f"Each bar shows the percentage of answers at each level from {sc[0]} on the left "
            f"to {sc[-1]} on the right, centred on the neutral level."
        )
    ]
    for it in items:
        vals = []
        for g, name in zip(groups, names, strict=True):
            r = tab[(tab["item_id"] == it["id"]) & (tab["group"] == g)]
            a = r["pct_agree"].iloc[0] if len(r) else pd.NA
            vals.append(f"{name} {rule.marker}" if pd.isna(a) else f"{name} {fmt_pct(a)}")
        short = textwrap.shorten(str(it.get("text", "")), 70, placeholder="…")
        parts.append(f"{it['id']} ({short}): positive answers {'; '.join(vals)}.")
    parts.append(f"{rule.marker} marks values suppressed for disclosure control.")
    return " ".join(parts)


def plot_likert_construct(
    controlled: pd.DataFrame,
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
        controlled, questionnaire, construct, rule, group_by=group_by, groups=groups
    )
    from analysis.core import plotting

    plotting.save_figure(fig, path, alt)
    return alt
