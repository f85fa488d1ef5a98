"""Ranked tables of tools and stages: scores and SWOT side by side, for the reports.

One row per tool (:func:`tool_ranking`) or stage (:func:`stage_ranking`) of an authority, in
rank order, with its impact, value added and criticality
(:mod:`analysis.journeys.tools`) and its SWOT entries with their evidence
(:mod:`analysis.journeys.swot`) as text: each entry is "item (count unit)", e.g. "No
data-quality audit at some stages (4 stages)", entries of one kind separated by "; ".
Workshop evidence (coding stage) that names the system is listed with its excerpt count, a
suppressed count shown as the disclosure marker. :func:`programme_ranking` stacks the
councils' tables and ranks them together.
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.swot import SWOT_KINDS

_SCORES = ("impact", "value_added", "criticality", "total")
_SWOT_COLS = ("strengths", "weaknesses", "opportunities", "threats")  # SWOT_KINDS, plural
TOOL_RANKING_COLUMNS = (
    "authority",
    "rank",
    "system",
    "stages",
    "n_streams",
    "n_streams_total",
    "reach",
    *_SCORES,
    *_SWOT_COLS,
    "workshop_evidence",
)
STAGE_RANKING_COLUMNS = (
    "authority",
    "rank",
    "stage",
    "systems",
    "n_streams",
    "n_streams_total",
    "reach",
    *_SCORES,
    *_SWOT_COLS,
)


def _entry(r, marker: str) -> str:
    count = marker if pd.isna(r["count"]) else str(int(r["count"]))
    if r["evidence_source"] == "register" and f"{count} of" in r["item"]:
        return str(r["item"])  # the item says the count already ("Used by 3 of 8 streams")
    unit = str(r["count_of"])
    unit = unit[:-1] if count == "1" and unit.endswith("s") else unit  # "1 stage"
    return f"{r['item']} ({count} {unit})"


def _swot_text(swot: pd.DataFrame, auth, subject, subject_type, marker) -> dict[str, str]:
    mine = swot[
        (swot["authority"] == auth)
        & (swot["subject"] == subject)
        & (swot["subject_type"] == subject_type)
    ]
    out = {}
    for kind, col in zip(SWOT_KINDS, _SWOT_COLS, strict=True):
        reg = mine[(mine["swot"] == kind) & (mine["evidence_source"] == "register")]
        out[col] = "; ".join(_entry(r, marker) for _, r in reg.iterrows())
    coded = mine[mine["evidence_source"] == "coding"]
    out["workshop_evidence"] = "; ".join(
        f"{r['swot']}: {_entry(r, marker)}" for _, r in coded.iterrows()
    )
    return out


def tool_ranking(scores: pd.DataFrame, swot: pd.DataFrame, marker: str = "[c]") -> pd.DataFrame:
    """Tools in rank order with scores and SWOT text (:data:`TOOL_RANKING_COLUMNS`).

    ``scores`` from :func:`~analysis.journeys.tools.tool_scores`, ``swot`` from
    :func:`~analysis.journeys.swot.tool_swot`; ``marker`` shows a suppressed excerpt count.
    """
    rows = []
    for _, s in scores.sort_values(["authority", "rank"], kind="stable").iterrows():
        rows.append(
            {
                **{c: s[c] for c in TOOL_RANKING_COLUMNS[:7] + _SCORES},
                **_swot_text(swot, s["authority"], s["system"], "system", marker),
            }
        )
    return pd.DataFrame(rows, columns=list(TOOL_RANKING_COLUMNS))


def stage_ranking(scores: pd.DataFrame, swot: pd.DataFrame) -> pd.DataFrame:
    """Stages in rank order with scores and SWOT text (:data:`STAGE_RANKING_COLUMNS`).

    ``scores`` from :func:`~analysis.journeys.tools.stage_scores`, ``swot`` from
    :func:`~analysis.journeys.swot.stage_swot`.
    """
    rows = []
    for _, s in scores.sort_values(["authority", "rank"], kind="stable").iterrows():
        text = _swot_text(swot, s["authority"], s["stage"], "stage", "")
        text.pop("workshop_evidence")
        rows.append({**{c: s[c] for c in STAGE_RANKING_COLUMNS[:7] + _SCORES}, **text})
    return pd.DataFrame(rows, columns=list(STAGE_RANKING_COLUMNS))


def programme_ranking(rankings: pd.DataFrame, subject: str) -> pd.DataFrame:
    """The councils' ranked tables (stacked) ranked together: ``programme_rank`` first, by
    total, then criticality, impact (higher first), then authority and ``subject`` (the
    ``system`` or ``stage`` column); each council's own ``rank`` is kept."""
    out = rankings.sort_values(
        ["total", "criticality", "impact", "authority", subject],
        ascending=[False, False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)
    out.insert(0, "programme_rank", range(1, len(out) + 1))
    return out
