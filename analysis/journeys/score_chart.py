"""Tool scores as a ranked dot chart: impact, value added and criticality of each system.

One row per tool in rank order (rank 1 at the top), a marker per measure on the 1-5 scale,
the three measures offset a little vertically so equal scores do not hide each other, and the
total at the right. The marker shape as well as the colour tells the measures apart
(Analysis Function palette, :mod:`analysis.core.plotting`), so the chart reads in grey scale
too; a key sits above the panel because three series on one row cannot be labelled directly
without the labels colliding. :func:`programme_tool_chart` draws one panel per council.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import plotting
from analysis.journeys.labels import plural, wrap_label

#: (column, label, colour, marker, vertical offset) of each measure.
MEASURES = (
    ("impact", "Impact", plotting.CATEGORICAL[0], "o", -0.25),
    ("value_added", "Value added", plotting.CATEGORICAL[1], "s", 0.0),
    ("criticality", "Criticality", plotting.CATEGORICAL[2], "D", 0.25),
)
#: Height of a row, in inches: one council's chart, and each panel of the programme's (which
#: must fit the A4 text block's height).
_ROW_IN = 0.32
_PANEL_ROW_IN = 0.22


def _panel(ax, tools: pd.DataFrame, *, show_key: bool, title: str | None) -> None:
    t = tools.sort_values("rank", kind="stable").reset_index(drop=True)
    for y in range(len(t)):
        ax.axhline(y, color="#E5E5E5", lw=0.8, zorder=0)
    for col, label, colour, marker, dy in MEASURES:
        ax.scatter(
            t[col].astype(int),
            [y + dy for y in range(len(t))],
            s=22,
            marker=marker,
            color=colour,
            label=label,
            zorder=3,
            clip_on=False,
        )
    for y, total in enumerate(t["total"].astype(int)):
        ax.text(5.45, y, f"{total}", va="center", ha="left", fontsize=7.5)
    ax.text(5.45, -0.85, "Total", va="bottom", ha="left", fontsize=7.5, fontweight="bold")
    labels = [wrap_label(f"{int(r['rank'])}. {r['system']}", 34, 2) for _, r in t.iterrows()]
    ax.set_yticks(range(len(t)), labels, fontsize=7.5)
    ax.set_ylim(len(t) - 0.5, -0.6)
    ax.set_xlim(0.7, 5.3)
    ax.set_xticks(range(1, 6))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", color="#E5E5E5", lw=0.8, zorder=0)
    if title:
        ax.set_title(title, loc="left", fontsize=9, fontweight="bold")
    if show_key:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0 if not title else 1.12),
            ncol=3,
            frameon=False,
            fontsize=7.5,
            handletextpad=0.3,
            borderaxespad=0.2,
        )


def _alt_rows(tools: pd.DataFrame) -> str:
    t = tools.sort_values("rank", kind="stable")
    return "; ".join(
        f"{int(r['rank'])} {r['system']}: impact {int(r['impact'])}, value added "
        f"{int(r['value_added'])}, criticality {int(r['criticality'])} (total {int(r['total'])})"
        for _, r in t.iterrows()
    )


_ALT_INTRO = (
    "ranked by total score (impact + value added + criticality, each scored 1 to 5 from the "
    "journey register; decision use is scored as a stage, not a tool)"
)


def tool_score_chart(tools: pd.DataFrame, *, title: str = "Tool scores"):
    """Ranked dot chart of one authority's tools (:func:`analysis.journeys.tools.tool_scores`).

    Returns ``(fig, alt_text)``.
    """
    fig, ax = plotting.new_figure(1.1 + _ROW_IN * max(len(tools), 1))
    with plotting.style():
        if len(tools):
            _panel(ax, tools, show_key=True, title=None)
        ax.set_xlabel("Score (1 low … 5 high)")
        fig.suptitle(title, x=0.01, ha="left", fontsize=10)
    alt = (
        f"Dot chart of {plural(len(tools), 'tool')} {_ALT_INTRO}. "
        + (_alt_rows(tools) if len(tools) else "No tool is recorded")
        + "."
    )
    return fig, alt


def programme_tool_chart(tools: pd.DataFrame, names: dict[str, str], *, title: str):
    """One ranked panel per council (:func:`tool_score_chart` stacked, sharing the scale).

    ``tools`` is the councils' tool scores stacked; ``names`` maps authority id to the name
    shown. Returns ``(fig, alt_text)``.
    """
    import matplotlib.pyplot as plt

    auths = [a for a in names if (tools["authority"] == a).any()]
    sizes = [int((tools["authority"] == a).sum()) for a in auths]
    with plotting.style():
        fig, axes = plt.subplots(
            len(auths),
            1,
            figsize=(plotting.A4_TEXT_WIDTH_IN, 0.9 + sum(_PANEL_ROW_IN * n + 0.4 for n in sizes)),
            sharex=True,
            layout="constrained",
            gridspec_kw={"height_ratios": [n + 1.2 for n in sizes]},
            squeeze=False,
        )
        for i, (a, ax) in enumerate(zip(auths, axes[:, 0], strict=True)):
            _panel(ax, tools[tools["authority"] == a], show_key=i == 0, title=names[a])
        axes[-1, 0].set_xlabel("Score (1 low … 5 high)")
        fig.suptitle(title, x=0.01, ha="left", fontsize=10)
    alt = f"Dot charts, one per council, of each council's tools {_ALT_INTRO}. " + " ".join(
        f"{names[a]}: {_alt_rows(tools[tools['authority'] == a])}." for a in auths
    )
    return fig, alt
