"""Reading the stage's own tables back (``results/*/internal/journeys/*.csv``).

One reader per table, with one rule for its column types, so that the publishing, programme
and figure jobs all see the same types (and write the same bytes) whichever of them reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.core.io import read_csv


def read_text_table(path: str | Path) -> pd.DataFrame:
    """Every cell as the text written (no type or NA guessing): for tables copied unchanged."""
    return read_csv(path, dtype=str, keep_default_na=False)


def read_streams(path: str | Path) -> pd.DataFrame:
    """``streams.csv`` (:func:`analysis.journeys.register.stream_summary`)."""
    return read_csv(path)


def read_gaps(path: str | Path) -> pd.DataFrame:
    """``gaps.csv`` (:func:`analysis.journeys.gap_rules.find_gaps`), as text."""
    return read_text_table(path)


def read_gap_summary(path: str | Path) -> pd.DataFrame:
    """``gap_summary.csv`` (:func:`analysis.journeys.gap_rules.gap_summary`)."""
    return read_csv(path, dtype={"gap_id": str, "label": str})


def read_tool_scores(path: str | Path) -> pd.DataFrame:
    """``tool_scores.csv`` (:func:`analysis.journeys.tools.tool_scores`)."""
    return read_csv(path, dtype={"system": str})


def read_tool_swot(path: str | Path) -> pd.DataFrame:
    """``tool_swot.csv`` (:func:`analysis.journeys.tools.tool_swot`); ``count`` nullable."""
    return read_csv(path, dtype={"count": "Int64"})


def read_survey_agreement(path: str | Path) -> pd.DataFrame:
    """``survey_agreement.csv``: the survey stage's construct agreement, raw counts."""
    return read_csv(path, dtype={"research_question": str})


def read_indicators(path: str | Path) -> pd.DataFrame:
    """``maturity_indicators.csv``; an empty ``argument`` is ``""``, ``level`` nullable."""
    ind = read_csv(path, dtype={"argument": str}, keep_default_na=True)
    ind["argument"] = ind["argument"].fillna("")
    ind["level"] = ind["level"].astype("Int64")
    return ind


def read_levels(path: str | Path) -> pd.DataFrame:
    """``maturity_levels.csv`` (:func:`analysis.journeys.maturity.maturity_levels`)."""
    levels = read_csv(path, dtype={"authority": str, "theme": str, "level_label": str})
    levels["level"] = levels["level"].astype("Int64")
    return levels


def read_roadmap(path: str | Path) -> pd.DataFrame:
    """``roadmap.csv`` of an authority (:func:`analysis.journeys.roadmap.authority_roadmap`)
    or of the programme (:func:`analysis.journeys.roadmap.programme_roadmap`)."""
    return read_csv(path, dtype={"authority": str, "action_id": str, "title": str, "phase": str})


def read_stacked(paths: Iterable[str | Path], reader) -> pd.DataFrame:
    """The tables at ``paths`` (one per authority) read with ``reader`` and stacked."""
    return pd.concat([reader(p) for p in paths], ignore_index=True)


def read_stage_scores(path: str | Path) -> pd.DataFrame:
    """``stage_scores.csv`` (:func:`analysis.journeys.tools.stage_scores`)."""
    return read_csv(path, dtype={"stage": str, "systems": str}, keep_default_na=False)


def read_inventory(path: str | Path) -> pd.DataFrame:
    """``systems_inventory.csv`` (:func:`analysis.journeys.inventory.systems_inventory`)."""
    return read_csv(path, dtype={"system": str}, keep_default_na=False)


def read_flows(path: str | Path) -> pd.DataFrame:
    """``stream_flows.csv`` (:func:`analysis.journeys.inventory.stream_flows`); volume nullable."""
    return read_csv(path, dtype={"volume_per_year": "Int64"})


def read_action_status(path: str | Path) -> pd.DataFrame:
    """``action_status.csv`` (:func:`analysis.journeys.triggers.action_status`): text, with
    ``scheduled`` as a bool."""
    status = read_text_table(path)
    status["scheduled"] = status["scheduled"] == "True"
    return status


def read_objectives_check(path: str | Path) -> pd.DataFrame:
    """``objectives_check.csv`` (:func:`analysis.journeys.objectives.check_objectives`): text,
    with ``by_month`` an int, ``met`` and ``all_authorities`` bools and ``latest_end_month``
    nullable (empty when an action is missing)."""
    checks = read_text_table(path)
    checks["by_month"] = checks["by_month"].astype(int)
    for c in ("met", "all_authorities"):
        checks[c] = checks[c] == "True"
    checks["latest_end_month"] = pd.to_numeric(checks["latest_end_month"]).astype("Int64")
    return checks


#: The reader of each internal table, by the name the stage's rules give it.
READERS = {
    "streams": read_streams,
    "gaps": read_gaps,
    "gap_summary": read_gap_summary,
    "tool_scores": read_tool_scores,
    "tool_swot": read_tool_swot,
    "stage_scores": read_stage_scores,
    "stage_swot": read_tool_swot,
    "survey_agreement": read_survey_agreement,
    "indicators": read_indicators,
    "levels": read_levels,
    "roadmap": read_roadmap,
    "systems_inventory": read_inventory,
    "stream_flows": read_flows,
    "action_status": read_action_status,
    "objectives_check": read_objectives_check,
}


def read_tables(paths, names: Iterable[str] | None = None, *, stacked: bool = False) -> dict:
    """``{name: table}`` for each of ``names`` (default every table of :data:`READERS`), read
    from ``paths[name]`` (e.g. a rule's ``input``) with its reader; with ``stacked``, each
    ``paths[name]`` is a list of paths (one per authority) read and stacked."""
    names = list(READERS if names is None else names)
    if stacked:
        return {n: read_stacked(paths[n], READERS[n]) for n in names}
    return {n: READERS[n](paths[n]) for n in names}
