"""Figures for journeys, gaps, maturity and the roadmap, and the sets each job draws.

Every figure function returns ``(fig, alt_text)``; save with
:func:`analysis.core.plotting.save_figure`. Style follows :mod:`analysis.core.plotting` (UK
Government Analysis Function guidance: accessible palette, direct labels rather than legends,
alt text for every figure). The journey map lives in :mod:`analysis.journeys.journey_map`
and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from analysis.core import plotting
from analysis.journeys.journey_map import journey_map
from analysis.journeys.labels import council_label, plural, wrap_label
from analysis.journeys.maturity import MATURITY_THEMES, level_label
from analysis.journeys.roadmap import LIFECYCLE_STAGES, PHASES
from analysis.journeys.score_chart import programme_tool_chart, tool_score_chart

__all__ = [
    "authority_figures",
    "council_spans",
    "gap_overview",
    "journey_map",
    "maturity_heatmap",
    "programme_figures",
    "programme_tool_chart",
    "roadmap_gantt",
    "tool_score_chart",
    "with_council_counts",
]

_MATURITY_FILLS = ("#DCEAF7", "#BBD7F3", "#6BACE6", "#2073BC", "#12436D")
_LIFECYCLE_COLOURS = dict(zip(LIFECYCLE_STAGES, plotting.CATEGORICAL[:4], strict=True))


def _grid_cell(ax, x, y, fill, text, *, edgecolor, lw) -> None:
    """One labelled cell of a council x category grid (text colour chosen for contrast)."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=fill, edgecolor=edgecolor, lw=lw))
    ax.text(
        x + 0.5,
        y + 0.5,
        text,
        ha="center",
        va="center",
        fontsize=7.5,
        color=plotting.text_colour_on(fill),
    )


def _council_columns(ax, auths) -> None:
    """Council names as column headings along the top of a grid."""
    ax.set_xticks([i + 0.5 for i in range(len(auths))], [council_label(a) for a in auths])
    ax.xaxis.tick_top()


def gap_overview(summary: pd.DataFrame, *, title: str = "Gaps by kind and authority"):
    """Programme summary: a grid of gap kinds x authorities, cells = streams affected.

    ``summary`` from :func:`analysis.journeys.gap_rules.gap_summary` called with journeys and rules
    (so ``n_streams_total`` is known). Cells show "n of N" streams and are shaded by the
    share. Returns ``(fig, alt_text)``.
    """
    from matplotlib.colors import LinearSegmentedColormap

    s = summary.copy()
    auths = sorted(s["authority"].unique())
    kinds = s.drop_duplicates("gap_id").sort_values("gap_id")[["gap_id", "label"]]
    cmap = LinearSegmentedColormap.from_list(
        "share", ["#FFFFFF", plotting.SEQUENTIAL[2], plotting.SEQUENTIAL[0]]
    )
    fig, ax = plotting.new_figure(0.9 + 0.3 * len(kinds))
    ax.set_xlim(0, len(auths))
    ax.set_ylim(0, len(kinds))
    ax.invert_yaxis()
    for yi, k in enumerate(kinds.itertuples()):
        for xi, a in enumerate(auths):
            row = s[(s["authority"] == a) & (s["gap_id"] == k.gap_id)]
            n = int(row["n_streams"].iloc[0]) if len(row) else 0
            tot = row["n_streams_total"].iloc[0] if len(row) else pd.NA
            share = 0.0 if pd.isna(tot) or int(tot) == 0 else n / int(tot)
            colour = cmap(share)
            hexc = "#{:02X}{:02X}{:02X}".format(*(int(255 * v) for v in colour[:3]))
            text = f"{n} of {int(tot)}" if not pd.isna(tot) else str(n)
            _grid_cell(ax, xi, yi, hexc, text, edgecolor="white", lw=1.5)
    _council_columns(ax, auths)
    ax.set_yticks(
        [i + 0.5 for i in range(len(kinds))],
        [wrap_label(k.label, 40, 1) for k in kinds.itertuples()],
    )
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    fig.suptitle(title + " (data streams affected)", x=0.01, ha="left", fontsize=10)
    worst = s.sort_values(["pct_streams", "gap_id"], ascending=[False, True]).head(3)
    alt = (
        f"Grid of {len(kinds)} kinds of gap (rows) by {len(auths)} authorities (columns); "
        "each cell gives how many of the authority's data streams show the gap, darker for a "
        "larger share. Most widespread: "
        + "; ".join(
            f"{r.label} in {council_label(r.authority)} ({int(r.n_streams)} of "
            f"{int(r.n_streams_total)})"
            for r in worst.itertuples()
            if not pd.isna(r.n_streams_total)
        )
        + "."
    )
    return fig, alt


def maturity_heatmap(levels: pd.DataFrame, *, title: str = "Data maturity by theme"):
    """Heat map of DMA levels: themes (rows) x authorities (columns), level names in cells.

    ``levels`` from :func:`analysis.journeys.maturity.maturity_levels`. A theme with no evidence
    is a white cell reading "no evidence". Returns ``(fig, alt_text)``.
    """

    auths = sorted(levels["authority"].unique())
    fig, ax = plotting.new_figure(0.9 + 0.38 * len(MATURITY_THEMES))
    ax.set_xlim(0, len(auths))
    ax.set_ylim(0, len(MATURITY_THEMES))
    ax.invert_yaxis()
    for yi, theme in enumerate(MATURITY_THEMES):
        for xi, a in enumerate(auths):
            row = levels[(levels["authority"] == a) & (levels["theme"] == theme)]
            lv = row["level"].iloc[0] if len(row) else pd.NA
            if pd.isna(lv):
                fill, text = "#FFFFFF", "no evidence"
            else:
                fill = _MATURITY_FILLS[int(lv) - 1]
                text = f"{int(lv)} {level_label(lv)}"
            edge = "#B1B4B6" if pd.isna(lv) else "white"
            _grid_cell(ax, xi, yi, fill, text, edgecolor=edge, lw=1.0)
    _council_columns(ax, auths)
    ax.set_yticks(
        [i + 0.5 for i in range(len(MATURITY_THEMES))], [t.capitalize() for t in MATURITY_THEMES]
    )
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    ax.set_title(title + " (1 beginning … 5 mastering)", loc="left")
    parts = []
    for a in auths:
        d = levels[levels["authority"] == a].set_index("theme")["level"]
        parts.append(
            f"{council_label(a)}: "
            + ", ".join(
                f"{t.capitalize()} {'no evidence' if pd.isna(d.get(t, pd.NA)) else int(d[t])}"
                for t in MATURITY_THEMES
            )
        )
    alt = (
        f"Heat map of data maturity levels (1 beginning to 5 mastering, Data Maturity "
        f"Assessment for Government) for six themes across {len(auths)} authorities. "
        + "; ".join(parts)
        + "."
    )
    return fig, alt


#: How the bars of a council's Gantt chart relate to each other (its alt text says it).
COUNCIL_BARS = "Actions start only after the actions they depend on finish."
#: ... and of the programme's, whose bars are windows over the councils' schedules.
PROGRAMME_BARS = (
    "Each bar runs from the first council's start to the last council's end, solid in the "
    "months in which some council does the action; within a council an action starts only "
    "after the actions it depends on finish, unless they are already in place there."
)


def council_spans(authority_roadmaps: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """``{action_id: [(start, end), ...]}``: the months in which at least one council does
    each action (the councils' intervals merged where they overlap or touch), in order."""
    out: dict[str, list[tuple[int, int]]] = {}
    for aid, g in authority_roadmaps.groupby("action_id", sort=True):
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(zip(g["start_month"].astype(int), g["end_month"].astype(int))):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        out[str(aid)] = merged
    return out


def roadmap_gantt(
    schedule: pd.DataFrame,
    *,
    title: str = "Roadmap",
    bars: str = COUNCIL_BARS,
    spans: dict[str, list[tuple[int, int]]] | None = None,
):
    """Gantt chart of scheduled actions, grouped by collect -> collate -> mine -> analyse.

    ``schedule`` from :func:`analysis.journeys.roadmap.schedule_actions`, :func:`authority_roadmap`
    (one authority) or :func:`programme_roadmap`. Phases now / next / later are shaded bands;
    bars are coloured by lifecycle stage and each group is labelled directly. ``bars`` is
    the alt text's sentence on what a bar means (:data:`COUNCIL_BARS`,
    :data:`PROGRAMME_BARS`). With ``spans`` (:func:`council_spans`) a bar is drawn pale over
    its whole window and solid over the months in which some council does the action, and
    the alt text gives those months. Returns ``(fig, alt_text)``.
    """
    s = schedule.copy()
    s["_l"] = s["lifecycle_stage"].map({k: i for i, k in enumerate(LIFECYCLE_STAGES)})
    s = s.sort_values(["_l", "start_month", "end_month", "action_id"], kind="stable")
    rows: list[tuple[str, object]] = []
    for stage in LIFECYCLE_STAGES:
        part = s[s["lifecycle_stage"] == stage]
        if len(part):
            rows.append(("head", stage))
            rows.extend(("bar", r) for r in part.itertuples())
    horizon = max(PHASES[-1][2], int(s["end_month"].max()) if len(s) else 0)
    fig, ax = plotting.new_figure(0.9 + 0.3 * len(rows))
    ax.set_ylim(len(rows), -1.3)
    ax.set_xlim(0, horizon)
    shades = ("#F3F2F1", "#FFFFFF", "#F3F2F1")
    for (name, lo, hi), shade in zip(PHASES, shades, strict=True):
        ax.axvspan(lo, hi, color=shade, zorder=0, lw=0)
        ax.text(
            (lo + hi) / 2,
            -0.75,
            f"{name.capitalize()}\n{lo}–{hi} months",
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold",
        )
    labels = []
    for yi, (kind, r) in enumerate(rows):
        if kind == "head":
            labels.append(str(r).upper())
            continue
        colour = _LIFECYCLE_COLOURS[r.lifecycle_stage]
        solid = [(r.start_month, r.end_month)]
        if spans is not None and r.action_id in spans:
            solid = spans[r.action_id]
            width = r.end_month - r.start_month
            ax.barh(yi, width, left=r.start_month, height=0.62, color=colour, alpha=0.25, zorder=2)
        for lo, hi in solid:
            ax.barh(yi, hi - lo, left=lo, height=0.62, color=colour, zorder=2)
        labels.append(wrap_label(f"{r.action_id} {r.title}", 46, 2))
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    for tick, (kind, r) in zip(ax.get_yticklabels(), rows, strict=True):
        if kind == "head":
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_xticks(range(0, horizon + 1, 6))
    ax.set_xlabel("Months from start")
    ax.spines["left"].set_visible(False)
    ax.set_title(title, loc="left")
    n_phase = s["phase"].value_counts()
    alt = (
        f"Gantt chart of {plural(len(s), 'action')} over {horizon} months, grouped by the "
        "collect, collate, mine and analyse stages; "
        + ", ".join(f"{int(n_phase.get(p, 0))} start {p}" for p, _, _ in PHASES)
        + f". {bars} "
        + "; ".join(f"{r.action_id} {r.title}: {_months(r, spans)}" for r in s.itertuples())
        + "."
    )
    return fig, alt


def _months(r, spans) -> str:
    """ "months 6–12" (or "months 6–12 and 24–30" over the councils' spans)."""
    parts = spans.get(r.action_id) if spans else None
    parts = parts or [(r.start_month, r.end_month)]
    return "months " + " and ".join(f"{lo}–{hi}" for lo, hi in parts)


def authority_figures(journeys, gaps, roadmap, authority: str, name: str, tools=None) -> Iterator:
    """The figures of one authority's case study as ``(output name, (fig, alt_text))``, one at
    a time.

    ``journey_map`` (:func:`journey_map`), ``gantt`` (:func:`roadmap_gantt`) and, given the
    tool scores ``tools``, ``tool_scores`` (:func:`tool_score_chart`); ``name`` is the
    council's name for the titles. A generator, so each figure can be saved and closed before
    the next is drawn. No maturity heat map: the case study gives its maturity levels as a
    table, and the programme's heat map compares the councils.
    """
    yield "journey_map", journey_map(journeys, gaps, authority, title=f"Data journeys: {name}")
    yield "gantt", roadmap_gantt(roadmap, title=f"Roadmap: {name}")
    if tools is not None:
        yield "tool_scores", tool_score_chart(tools, title=f"Tool scores: {name}")


def with_council_counts(roadmap: pd.DataFrame, n_authorities: int) -> pd.DataFrame:
    """The programme roadmap with each title saying in how many councils it is on the
    roadmap ("(3 of 4 councils)", the programme table's ``n_authorities``). An action no
    council was triggered into (``n_authorities_triggered`` 0, when the table has that
    column) is "(prerequisite in 2 of 4 councils)", or "(prerequisite)" when it is on no
    council's roadmap."""
    out = roadmap.copy()
    trig = out.get("n_authorities_triggered", out["n_authorities"])
    # no-break spaces keep the note on one line when the label wraps
    of = "\u00a0of\u00a0" + str(n_authorities) + "\u00a0councils"
    out["title"] = [
        f"{t} ({n}{of})"
        if n and k
        else (f"{t} (prerequisite in {n}{of})" if n else f"{t} (prerequisite)")
        for t, n, k in zip(out["title"], out["n_authorities"], trig, strict=True)
    ]
    return out


def programme_figures(
    summary, levels, roadmap, n_authorities: int, tools=None, names=None, authority_roadmaps=None
):
    """The programme figures as ``(output name, (fig, alt_text))``, one at a time.

    ``gap_overview`` (:func:`gap_overview`), ``maturity`` (:func:`maturity_heatmap`),
    ``gantt`` (:func:`roadmap_gantt` of the programme roadmap, titles from
    :func:`with_council_counts`; solid where some council does the action when the stacked
    ``authority_roadmaps`` are given) and, given the councils' tool scores ``tools``
    (stacked) and their ``names`` (id -> name), ``tool_scores`` (:func:`programme_tool_chart`).
    """
    yield "gap_overview", gap_overview(summary, title="Gaps by kind and council")
    yield "maturity", maturity_heatmap(levels, title="Data maturity by theme and council")
    gantt = roadmap_gantt(
        with_council_counts(roadmap, n_authorities),
        title="Programme roadmap",
        bars=PROGRAMME_BARS,
        spans=None if authority_roadmaps is None else council_spans(authority_roadmaps),
    )
    yield "gantt", gantt
    if tools is not None:
        yield "tool_scores", programme_tool_chart(tools, names, title="Tool scores by council")
