"""Figures for journeys, gaps, maturity and the roadmap.

Every function returns ``(fig, alt_text)``; save with :func:`analysis.core.plotting.save_figure`.
Style follows :mod:`analysis.core.plotting` (UK Government Analysis Function guidance: accessible
palette, direct labels rather than legends, alt text for every figure). Gaps are marked with a
symbol and their ids as text, never by colour alone.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from analysis.core import plotting
from analysis.core.vocabulary import STAGES
from analysis.journeys.maturity import MATURITY_LEVELS, MATURITY_THEMES

_STAGE_LABELS = {
    "capture": "Capture",
    "validation": "Validation",
    "processing": "Processing",
    "storage": "Storage",
    "aggregation": "Aggregation",
    "analysis": "Analysis",
    "decision_use": "Decision use",
}
_GAP_COLOUR = plotting.CATEGORICAL[3]  # orange
_BOX_FILL = plotting.SEQUENTIAL[3]  # light blue
_MATURITY_FILLS = ("#DCEAF7", "#BBD7F3", "#6BACE6", "#2073BC", "#12436D")
_LIFECYCLE_COLOURS = dict(
    zip(("collect", "collate", "mine", "analyse"), plotting.CATEGORICAL[:4], strict=True)
)


def _wrap(text: str, width: int, lines: int = 2) -> str:
    parts = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(width - 1, 1)] + "…"
    return "\n".join(parts)


_SOURCE_LABELS = {"nhs": "NHS", "dwp": "DWP"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def journey_map(journeys: pd.DataFrame, gaps: pd.DataFrame, authority: str, *, title=None):
    """Swimlane map of one authority's data journeys, with gaps marked.

    A lane per stream (label: stream name and source), a column per stage; a box per stage
    that happens, labelled with its system; a dashed box where the stage does not happen.
    A stage where a gap shows has an orange border, a "!" badge and the gap ids; the key under
    the map spells out each gap id. Sized for the A4 text block (fits 6-12 streams).

    ``journeys`` from :func:`analysis.journeys.register.journey_table`, ``gaps`` from
    :func:`analysis.journeys.gap_rules.find_gaps`. Returns ``(fig, alt_text)``.
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    j = journeys[journeys["authority"] == authority]
    if j.empty:
        raise ValueError(f"journey_map: no journeys for authority {authority!r}")
    g = gaps[gaps["authority"] == authority]
    streams = j.groupby("stream_id", sort=True).agg(
        stream_name=("stream_name", "first"), source=("source", "first")
    )
    marks: dict[tuple[str, str], list[str]] = {}
    for _, r in g.iterrows():
        for st in str(r["stages"]).split(";"):
            if st:
                marks.setdefault((r["stream_id"], st), []).append(r["gap_id"])
    kinds = (
        g.drop_duplicates("gap_id")[["gap_id", "label", "severity"]]
        .sort_values("gap_id")
        .reset_index(drop=True)
    )
    n = len(streams)
    lane_h = 0.66
    key_rows = len(kinds) + 2
    map_h = 0.45 + lane_h * n
    key_h = 0.17 * ((key_rows + 1) // 2) + 0.25
    with plotting.style():
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(plotting.A4_TEXT_WIDTH_IN, map_h + key_h + 0.35))
        gs = fig.add_gridspec(2, 1, height_ratios=[map_h, key_h], hspace=0.02)
        ax = fig.add_subplot(gs[0])
        kax = fig.add_subplot(gs[1])
    left = -1.75
    ax.set_xlim(left, len(STAGES))
    ax.set_ylim(-0.05, n + 0.55)
    ax.axis("off")
    for c, st in enumerate(STAGES):
        ax.text(
            c + 0.5,
            n + 0.25,
            _STAGE_LABELS[st],
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold",
        )
    for i, (sid, srow) in enumerate(streams.iterrows()):
        y = n - 1 - i
        if i % 2 == 0:
            ax.axhspan(y, y + 1, xmin=0, xmax=1, color="#F3F2F1", zorder=0, lw=0)
        ax.text(
            left + 0.05,
            y + 0.62,
            _wrap(srow["stream_name"], 20),
            ha="left",
            va="center",
            fontsize=7,
            fontweight="bold",
            linespacing=1.0,
        )
        ax.text(
            left + 0.05,
            y + 0.2,
            "from: " + _SOURCE_LABELS.get(srow["source"], str(srow["source"]).replace("_", " ")),
            ha="left",
            va="center",
            fontsize=6.5,
            color="#505A5F",
        )
        sj = j[j["stream_id"] == sid].set_index("stage")
        for c, st in enumerate(STAGES):
            happens = st in sj.index and bool(sj.at[st, "happens"])
            ids = marks.get((sid, st), [])
            edge = _GAP_COLOUR if ids else ("#6F777B" if happens else "#B1B4B6")
            box = FancyBboxPatch(
                (c + 0.07, y + 0.1),
                0.86,
                0.8,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=_BOX_FILL if happens else "white",
                edgecolor=edge,
                linewidth=2.0 if ids else 0.8,
                linestyle="-" if happens else (0, (3, 2)),
                zorder=2,
            )
            ax.add_patch(box)
            label = _wrap(sj.at[st, "system"], 13, 3) if happens else "not done"
            ty = y + 0.6 if ids else y + 0.5
            ax.text(
                c + 0.5,
                ty,
                label,
                ha="center",
                va="center",
                fontsize=6,
                color=plotting.TEXT if happens else "#6F777B",
                style="normal" if happens else "italic",
                zorder=3,
                linespacing=0.95,
            )
            if ids:
                ax.text(
                    c + 0.5,
                    y + 0.22,
                    " ".join(ids),
                    ha="center",
                    va="center",
                    fontsize=5.6 if len(ids) <= 3 else 4.6,  # four ids overflow the box at 5.6
                    fontweight="bold",
                    color="#7A2E0B",
                    zorder=3,
                )
                ax.add_patch(
                    Circle(
                        (c + 0.88, y + 0.86),
                        0.11,
                        facecolor=_GAP_COLOUR,
                        edgecolor="white",
                        lw=0.6,
                        zorder=4,
                        transform=ax.transData,
                    )
                )
                ax.text(
                    c + 0.88,
                    y + 0.855,
                    "!",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    fontweight="bold",
                    color="white",
                    zorder=5,
                )
    # key
    kax.axis("off")
    kax.set_xlim(0, 2)
    kax.set_ylim(0, (key_rows + 1) // 2 + 0.5)
    entries = [("box", "Stage happens (label = system)"), ("dash", "Stage does not happen")]
    entries += [("gap", f"{r.gap_id} {r.label} ({r.severity})") for r in kinds.itertuples()]
    rows_per_col = (len(entries) + 1) // 2
    for k, (kind, text) in enumerate(entries):
        col, row = divmod(k, rows_per_col)
        x0, y0 = col * 1.0, rows_per_col - row - 0.3
        if kind == "gap":
            kax.plot([x0 + 0.04], [y0], marker="o", ms=7.5, color=_GAP_COLOUR, clip_on=False)
            kax.text(
                x0 + 0.04,
                y0,
                "!",
                ha="center",
                va="center",
                fontsize=5.5,
                color="white",
                fontweight="bold",
            )
        else:
            kax.add_patch(
                FancyBboxPatch(
                    (x0 + 0.01, y0 - 0.28),
                    0.06,
                    0.56,
                    boxstyle="square,pad=0",
                    facecolor=_BOX_FILL if kind == "box" else "white",
                    edgecolor="#6F777B",
                    lw=0.8,
                    linestyle="-" if kind == "box" else (0, (3, 2)),
                    clip_on=False,
                )
            )
        kax.text(x0 + 0.1, y0, _wrap(text, 52, 1), ha="left", va="center", fontsize=6.5)
    fig.suptitle(title or f"Data journeys: {authority}", fontsize=10, x=0.02, ha="left")
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.3 / (map_h + key_h + 0.35), bottom=0.01)

    n_inst = sum(len(v) for v in marks.values())
    per_gap = [
        f"{r.gap_id} {r.label}: {_plural(int((g['gap_id'] == r.gap_id).sum()), 'stream')}"
        for r in kinds.itertuples()
    ]
    alt = (
        f"Swimlane map of the {_plural(n, 'data stream')} of {authority}, one lane per "
        "stream, across seven stages (capture, validation, processing, storage, aggregation, "
        "analysis, decision use). Each stage box names the system used; dashed boxes are "
        f"stages that do not happen. {_plural(n_inst, 'gap mark')} are shown"
        + (": " + "; ".join(per_gap) + "." if per_gap else ".")
    )
    return fig, alt


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
    ax.set_xticks(
        [i + 0.5 for i in range(len(auths))], [a.replace("_", " ").title() for a in auths]
    )
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
        [f"{k.gap_id} {_wrap(k.label, 40, 1)}" for k in kinds.itertuples()],
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
            f"{r.label} in {r.authority} ({int(r.n_streams)} of {int(r.n_streams_total)})"
            for r in worst.itertuples()
            if not pd.isna(r.n_streams_total)
        )
        + "."
    )
    return fig, alt


def maturity_heatmap(levels: pd.DataFrame, *, title: str = "Data maturity by theme"):
    """Heat map of DMA levels: themes (rows) x authorities (columns), level names in cells.

    ``levels`` from :func:`analysis.journeys.maturity.maturity_levels`. A theme with no evidence is a
    white cell reading "no evidence". Returns ``(fig, alt_text)``.
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
                text = f"{int(lv)} {MATURITY_LEVELS[int(lv) - 1]}"
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
            f"{a}: "
            + ", ".join(
                f"{t} {'no evidence' if pd.isna(d.get(t, pd.NA)) else int(d[t])}"
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


def roadmap_gantt(schedule: pd.DataFrame, *, title: str = "Roadmap"):
    """Gantt chart of scheduled actions, grouped by collect -> collate -> mine -> analyse.

    ``schedule`` from :func:`analysis.journeys.roadmap.schedule_actions`, :func:`authority_roadmap`
    (one authority) or :func:`programme_roadmap`. Phases now / next / later are shaded bands;
    bars are coloured by lifecycle stage and each group is labelled directly.
    Returns ``(fig, alt_text)``.
    """
    from analysis.journeys.roadmap import LIFECYCLE_STAGES, PHASES

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
        ax.barh(
            yi, r.end_month - r.start_month, left=r.start_month, height=0.62, color=colour, zorder=2
        )
        labels.append(_wrap(f"{r.action_id} {r.title}", 46, 2))
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
        f"Gantt chart of {_plural(len(s), 'action')} over {horizon} months, grouped by the "
        "collect, collate, mine and analyse stages; "
        + ", ".join(f"{int(n_phase.get(p, 0))} start {p}" for p, _, _ in PHASES)
        + ". Actions start only after the actions they depend on finish. "
        + "; ".join(
            f"{r.action_id} {r.title}: months {r.start_month}–{r.end_month}" for r in s.itertuples()
        )
        + "."
    )
    return fig, alt
