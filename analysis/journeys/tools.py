"""Tools (systems) and stages of each authority scored 1-5: impact, value added, criticality.

The programme's method judges each tool *and stage* by its impact, the value it adds and how
critical it is to the final product, the decision (``docs/reference/programme.md``, "The
method each council follows", step 4). A *tool* is a system named in the register at a stage
that happens, other than decision use: at that stage the register names who decides (e.g.
"Case and service decisions"), which is people using the data, not a system, and a stage with
``system == "none"`` does not happen. So :func:`tool_scores` scores systems only, and
:func:`stage_scores` scores each of the seven stages in its own table (decision use among
them). The SWOT of both is in :mod:`analysis.journeys.swot`.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis.core.rounding import round_half_away
from analysis.core.vocabulary import STAGES
from analysis.journeys.register import (
    DQ_AUDIT_POINTS,
    STAGE_ORDER,
    ensure_journeys,
    stream_summary,
)

#: Stages whose register "system" is not a tool (scored as a stage only).
NON_TOOL_STAGES = ("decision_use",)
_MEASURES = (
    "n_streams",
    "n_streams_total",
    "stream_share",
    "records",
    "records_total",
    "reach",
    "position",
    "quality",
    "decision_share",
    "impact",
    "value_added",
    "criticality",
    "total",
    "rank",
)
TOOL_SCORE_COLUMNS = ("authority", "system", "stages", "n_stages", *_MEASURES)
STAGE_SCORE_COLUMNS = ("authority", "stage", "stage_order", "systems", "n_systems", *_MEASURES)


def tool_rows(journeys: pd.DataFrame) -> pd.DataFrame:
    """The rows of the journey table where a tool is used: the stage happens and is not
    decision use (:data:`NON_TOOL_STAGES`)."""
    j = ensure_journeys(journeys)
    return j[j["happens"] & ~j["stage"].isin(NON_TOOL_STAGES)]


def _volumes(streams: pd.DataFrame) -> dict[str, int] | None:
    """``{stream_id: records a year}`` of one authority's streams, or None when a stream has
    no volume or they total 0 (reach is then the share of streams)."""
    vol = streams["volume_per_year"]
    if vol.isna().any() or int(vol.sum()) <= 0:
        return None
    return {str(k): int(v) for k, v in zip(streams["stream_id"], vol, strict=True)}


def _score(
    g: pd.DataFrame,
    n_total: int,
    decision_streams: set,
    latest_stage: int,
    volumes: dict[str, int] | None = None,
) -> dict:
    """Impact, value added and criticality of the rows ``g`` (one system, or one stage).

    Exact fractions, halves rounded away from zero (never to even), so a reader can recompute
    them by hand; the formula is in :func:`tool_scores`. No rows (a stage that happens on no
    stream) scores 1 on each measure. ``volumes`` (:func:`_volumes`) weights reach by records
    a year; without it reach is the share of streams.
    """
    used_by = set(g["stream_id"])
    share = Fraction(len(used_by), n_total) if n_total else Fraction(0)
    if volumes:
        records, records_total = sum(volumes[s] for s in used_by), sum(volumes.values())
        reach = Fraction(records, records_total)
    else:
        records, records_total, reach = pd.NA, pd.NA, share
    position = Fraction(latest_stage - 1, 6)
    pts = [
        Fraction(0) if bool(rk) else DQ_AUDIT_POINTS.get(str(dq), Fraction(0))
        for dq, rk in zip(g["dq_audit"], g["manual_rekeying"].fillna(False), strict=True)
    ]
    quality = sum(pts, Fraction(0)) / len(pts) if pts else Fraction(0)
    dshare = (
        Fraction(len(used_by & decision_streams), len(decision_streams))
        if decision_streams
        else Fraction(0)
    )
    if not len(g):
        impact = value = crit = 1
    else:
        impact = 1 + round_half_away(4 * reach)
        value = 1 + round_half_away(2 * position + 2 * quality)
        crit = 1 + round_half_away(4 * dshare)
    return {
        "n_streams": len(used_by),
        "n_streams_total": n_total,
        "stream_share": float(share),
        "records": records,
        "records_total": records_total,
        "reach": float(reach),
        "position": float(position),
        "quality": float(quality),
        "decision_share": float(dshare),
        "impact": impact,
        "value_added": value,
        "criticality": crit,
        "total": impact + value + crit,
    }


def _ranked(rows: list[dict], cols, subject: str, tiebreak: str) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=list(cols))
    for c in ("records", "records_total"):
        out[c] = out[c].astype("Int64")
    out = out.sort_values(
        ["authority", "total", "criticality", "impact", tiebreak],
        ascending=[True, False, False, False, True],
        kind="stable",
    )
    out["rank"] = out.groupby("authority").cumcount() + 1
    return out[list(cols)].reset_index(drop=True)


def tool_scores(journeys: pd.DataFrame) -> pd.DataFrame:
    """Score every system (tool) of each authority 1-5 on impact, value added and criticality.

    Only tools (:func:`tool_rows`): decision use and stages that do not happen are scored as
    stages (:func:`stage_scores`). The formula is deliberately simple so a reader can
    recompute it by hand. For a system S of an authority with N streams, of which D reach
    decision use:

    * ``reach`` = records a year of the streams whose journey uses S / records a year of all
      N streams (each stream's volume as :func:`~analysis.journeys.register.stream_summary`
      gives it); **impact** = 1 + round(4 x reach) -- how much of the service's data passes
      through S. Weighted by records, not streams, because a stream of 14,000 contacts a year
      and one of 40 incident reports are not the same amount of data (counting streams ranked
      a council's front-door form, its largest stream, last). When a stream of the council has
      no volume recorded (or all are 0), reach falls back to the share of streams
      (``stream_share`` = streams using S / N, always reported; ``records`` and
      ``records_total`` then empty).
    * ``position`` = (latest stage S serves - 1) / 6 (capture 0 ... analysis 5/6);
      ``quality`` = mean over the stages S serves of the data-quality audit score
      (yes 1, partial 1/2, no 0), a manually re-keyed stage scoring 0;
      **value_added** = 1 + round(2 x position + 2 x quality) -- how far S carries data towards
      use, and how trustworthy what it holds is.
    * ``decision_share`` = streams through S that reach decision use / D;
      **criticality** = 1 + round(4 x decision_share) (1 when D = 0) -- how critical S is to
      the final product, the decision.
    * ``total`` = impact + value_added + criticality; ``rank`` 1 = highest total within the
      authority (ties broken by criticality, then impact, then system name).

    The scoring idea follows the programme's brief (judge each tool by its impact, the value it
    adds and how critical it is to the final product); the weights are ours and equal.

    Criticality counts streams, not records: a decision that rests on a small stream (the
    police's notifications) depends on the tool as much as one that rests on a large one.

    Returns :data:`TOOL_SCORE_COLUMNS`: ``authority, system, stages, n_stages, n_streams,
    n_streams_total, stream_share, records, records_total, reach, position, quality,
    decision_share, impact, value_added, criticality, total, rank``.
    """
    j = ensure_journeys(journeys)
    streams = stream_summary(j)
    rows = []
    for auth, ja in tool_rows(j).groupby("authority", sort=True):
        sa = streams[streams["authority"] == auth]
        decision_streams = set(sa.loc[sa["reaches_decision"], "stream_id"])
        volumes = _volumes(sa)
        for system, g in ja.groupby("system", sort=True):
            stages = sorted(set(g["stage"]), key=STAGE_ORDER.get)
            rows.append(
                {
                    "authority": auth,
                    "system": system,
                    "stages": ";".join(stages),
                    "n_stages": len(g),
                    **_score(g, len(sa), decision_streams, int(g["stage_order"].max()), volumes),
                }
            )
    return _ranked(rows, TOOL_SCORE_COLUMNS, "system", "system")


def stage_scores(journeys: pd.DataFrame) -> pd.DataFrame:
    """Score each of the seven stages of each authority 1-5, as :func:`tool_scores` scores a
    system, over the streams where the stage happens (whatever system serves it).

    ``position`` is the stage's own place on the journey ((order - 1) / 6); a stage that
    happens on no stream scores 1 on each measure (nothing passes through it). ``systems``
    lists what the register names at the stage (for decision use: who decides). Ranked
    within the authority by total, criticality, impact, then journey order.

    Returns :data:`STAGE_SCORE_COLUMNS`: ``authority, stage, stage_order, systems,
    n_systems, n_streams, n_streams_total, stream_share, records, records_total, reach,
    position, quality, decision_share, impact, value_added, criticality, total, rank``.
    """
    j = ensure_journeys(journeys)
    streams = stream_summary(j)
    rows = []
    for auth, ja in j.groupby("authority", sort=True):
        sa = streams[streams["authority"] == auth]
        decision_streams = set(sa.loc[sa["reaches_decision"], "stream_id"])
        volumes = _volumes(sa)
        for stage in STAGES:
            g = ja[ja["happens"] & (ja["stage"] == stage)]
            systems = sorted(set(g["system"]))
            rows.append(
                {
                    "authority": auth,
                    "stage": stage,
                    "stage_order": STAGE_ORDER[stage],
                    "systems": ";".join(systems),
                    "n_systems": len(systems),
                    **_score(g, len(sa), decision_streams, STAGE_ORDER[stage], volumes),
                }
            )
    return _ranked(rows, STAGE_SCORE_COLUMNS, "stage", "stage_order")
