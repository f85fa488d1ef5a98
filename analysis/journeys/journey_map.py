"""The journey map: a swimlane figure of one authority's data journeys, with gaps marked.

Style follows :mod:`analysis.core.plotting` (UK Government Analysis Function guidance:
accessible palette, direct labels, alt text). Gaps are marked with a symbol and their ids as
text, never by colour alone.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import plotting
from analysis.core.vocabulary import SOURCE_WORDS, STAGES
from analysis.journeys.labels import council_label, plural, wrap_label

#: Column headings of the journey map: "Capture" ... "Decision use".
_STAGE_LABELS = {s: s.replace("_", " ").capitalize() for s in STAGES}
_GAP_COLOUR = plotting.CATEGORICAL[3]  # orange
_BOX_FILL = plotting.SEQUENTIAL[3]  # light blue


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
    # 7 pt and larger everywhere (the figure is printed at the text width, so these are the
    # sizes on the page): taller lanes hold three lines of stream and system name and two of
    # gap ids (up to nine streams); more streams get shorter lanes, two lines of names and
    # three gap ids a line, so twelve still fit the A4 text block's height with the caption
    lane_h = min(0.95, 7.0 / max(n, 1))  # the lanes and the key within FIGURE_MAX_HEIGHT_IN
    tall = lane_h >= 0.75  # room for three lines of 7 pt (9 streams: 0.78 in)
    key_rows = len(kinds) + 2
    map_h = 0.45 + lane_h * n
    key_h = 0.2 * ((key_rows + 1) // 2) + 0.25
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
    per = 2 if tall else 3
    for c, st in enumerate(STAGES):
        ax.text(
            c + 0.5,
            n + 0.25,
            _STAGE_LABELS[st],
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
        )
    for i, (sid, srow) in enumerate(streams.iterrows()):
        y = n - 1 - i
        if i % 2 == 0:
            ax.axhspan(y, y + 1, xmin=0, xmax=1, color="#F3F2F1", zorder=0, lw=0)
        ax.text(
            left + 0.05,
            y + 0.62,
            wrap_label(srow["stream_name"], 20, 3 if tall else 2),
            ha="left",
            va="center",
            fontsize=7.5,
            fontweight="bold",
            linespacing=1.0,
        )
        ax.text(
            left + 0.05,
            y + 0.2,
            "from: " + SOURCE_WORDS.get(srow["source"], str(srow["source"]).replace("_", " ")),
            ha="left",
            va="center",
            fontsize=7,
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
            label = wrap_label(sj.at[st, "system"], 12, 3 if tall else 2) if happens else "not done"
            ty = y + 0.62 if ids else y + 0.5
            ax.text(
                c + 0.5,
                ty,
                label,
                ha="center",
                va="center",
                fontsize=7,
                color=plotting.TEXT if happens else "#6F777B",
                style="normal" if happens else "italic",
                zorder=3,
                linespacing=0.95,
            )
            if ids:
                ax.text(
                    c + 0.5,
                    y + 0.24,
                    # at most three ids a line (four overflow the box at 7 pt), two in tall lanes
                    "\n".join(" ".join(ids[k : k + per]) for k in range(0, len(ids), per)),
                    ha="center",
                    va="center",
                    fontsize=7,
                    linespacing=0.95,
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
                    fontsize=7,
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
                fontsize=7,
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
        kax.text(x0 + 0.1, y0, wrap_label(text, 48, 1), ha="left", va="center", fontsize=7.5)
    fig.suptitle(
        title or f"Data journeys: {council_label(authority)}", fontsize=10, x=0.02, ha="left"
    )
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.3 / (map_h + key_h + 0.35), bottom=0.01)

    n_inst = sum(len(v) for v in marks.values())
    per_gap = [
        f"{r.label}: {plural(int((g['gap_id'] == r.gap_id).sum()), 'stream')}"
        for r in kinds.itertuples()
    ]
    # the alt text counts gaps as the case study's text and gap table do (one gap = one kind
    # of gap on one stream), and says how many stage boxes carry a mark, since a gap that
    # affects several stages of a stream is marked at each of them
    alt = (
        f"Swimlane map of the {plural(n, 'data stream')} of {council_label(authority)}, one "
        "lane per "
        "stream, across seven stages (capture, validation, processing, storage, aggregation, "
        "analysis, decision use). Each stage box names the system used; dashed boxes are "
        f"stages that do not happen. {plural(len(g), 'gap')} (a gap rule found on a stream, "
        "as the report's text counts them) are marked on the stages where they show, "
        f"{plural(n_inst, 'mark')} in all" + (": " + "; ".join(per_gap) + "." if per_gap else ".")
    )
    return fig, alt
