"""The stage's steps chained: one council's assessment, and the programme's tables.

:func:`assess_authority` runs register -> gaps -> tool scores -> survey agreement -> tool
SWOT -> maturity -> roadmap for one council, passing the tables in memory (one job, since
starting a process per step would cost more than the steps); :func:`programme_tables`
consolidates the councils' tables. Both return every table they make, keyed by the name of
the output it is written to, so each intermediate can still be inspected.
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.gap_rules import find_gaps, gap_summary
from analysis.journeys.maturity import (
    maturity_indicators,
    maturity_levels,
    maturity_survey_evidence,
    value_basis,
)
from analysis.journeys.register import journey_table, register_metrics, stream_summary
from analysis.journeys.roadmap import action_need, authority_roadmap, programme_roadmap
from analysis.journeys.tools import tool_scores, tool_swot


def assess_authority(
    register: pd.DataFrame,
    gap_rules: pd.DataFrame,
    agreement: pd.DataFrame,
    swot_evidence: pd.DataFrame,
    rubric: pd.DataFrame,
    actions: pd.DataFrame,
    *,
    rule,
    authority: str,
) -> dict[str, pd.DataFrame]:
    """One council's assessment from its register and the rule tables.

    ``agreement`` is the survey stage's construct agreement (raw counts), ``swot_evidence``
    the coding stage's published SWOT evidence (rows of other authorities are ignored),
    ``rule`` the disclosure rule (its minimum count is also the floor below which a survey
    percentage is no evidence of maturity).

    Returns ``journeys, streams, gaps, gap_summary, tool_scores, register_metrics,
    survey_agreement, tool_swot, indicators, levels, roadmap``.
    """
    journeys = journey_table(register)
    gaps = find_gaps(journeys, gap_rules)
    evidence = swot_evidence[swot_evidence["authority"] == authority]
    survey = maturity_survey_evidence(agreement, rule)
    indicators = maturity_indicators(
        journeys, rubric, survey, evidence, min_survey_n=rule.min_count
    )
    indicators["value_basis"] = value_basis(indicators, survey)
    levels = maturity_levels(indicators)
    roadmap = authority_roadmap(
        actions,
        gaps[["authority", "gap_id"]],
        levels[["authority", "theme", "level"]].astype({"level": "Int64"}),
        authorities=[authority],
    )
    return {
        "journeys": journeys,
        "streams": stream_summary(journeys),
        "gaps": gaps,
        "gap_summary": gap_summary(gaps, journeys, gap_rules),
        "tool_scores": tool_scores(journeys),
        "register_metrics": register_metrics(journeys),
        "survey_agreement": agreement,  # raw; controlled when published
        "tool_swot": tool_swot(journeys, evidence),
        "indicators": indicators,
        "levels": levels,
        "roadmap": roadmap,
    }


def programme_tables(
    gap_summary: pd.DataFrame,
    levels: pd.DataFrame,
    roadmaps: pd.DataFrame,
    actions: pd.DataFrame,
    authorities: list[str],
) -> dict[str, pd.DataFrame]:
    """The programme's tables from the councils' tables (each stacked over authorities).

    Returns ``gap_summary``, ``levels``, ``authority_roadmaps`` (as given), ``roadmap`` (the
    consolidated :func:`~analysis.journeys.roadmap.programme_roadmap`) and ``action_need``
    (:func:`~analysis.journeys.roadmap.action_need`).
    """
    return {
        "gap_summary": gap_summary,
        "levels": levels,
        "authority_roadmaps": roadmaps,
        "roadmap": programme_roadmap(roadmaps, actions),
        "action_need": action_need(roadmaps, actions, authorities),
    }
