"""The stage's steps chained: one council's assessment, and the programme's tables.

:func:`assess_authority` runs register -> gaps -> tool and stage scores -> survey agreement
-> tool and stage SWOT -> maturity -> action status -> roadmap -> spending objectives (and
the systems inventory and stream flows) for one council, passing the tables in memory (one job, since
starting a process per step would cost more than the steps); :func:`programme_tables`
consolidates the councils' tables. Both return every table they make, keyed by the name of
the output it is written to, so each intermediate can still be inspected.
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.actions import OPTION_TIERS
from analysis.journeys.benefit_timing import benefit_timing
from analysis.journeys.funding import funding
from analysis.journeys.gap_rules import find_gaps, gap_summary
from analysis.journeys.inventory import stream_flows, systems_inventory, systems_summary
from analysis.journeys.maturity import (
    maturity_indicators,
    maturity_levels,
    maturity_survey_evidence,
    value_basis,
)
from analysis.journeys.objectives import check_objectives, programme_objectives
from analysis.journeys.ranking import programme_ranking, stage_ranking, tool_ranking
from analysis.journeys.register import journey_table, register_metrics, stream_summary
from analysis.journeys.roadmap import (
    action_need,
    authority_roadmap,
    option_plans,
    programme_roadmap,
)
from analysis.journeys.swot import stage_swot, tool_swot
from analysis.journeys.tools import stage_scores, tool_scores
from analysis.journeys.triggers import action_status


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
    objectives: pd.DataFrame | None = None,
    way_forward: tuple[str, str] | None = None,
    systems: pd.DataFrame | None = None,
    option_lines: pd.DataFrame | None = None,
    cost_lines: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """One council's assessment from its register and the rule tables.

    ``agreement`` is the survey stage's construct agreement (raw counts), ``swot_evidence``
    the coding stage's published SWOT evidence (rows of other authorities are ignored),
    ``rule`` the disclosure rule (its minimum count is also the floor below which a survey
    percentage is no evidence of maturity), ``objectives`` the spending objectives
    (:func:`~analysis.journeys.objectives.parse_spending_objectives`; none given: no
    objective is checked), ``way_forward`` the category and name of the appraisal's preferred
    way forward (:func:`~analysis.journeys.triggers.way_forward_of`; actions of a larger option
    tier are deferred; none given: nothing is deferred), ``systems`` the register's Systems
    sheet as ingested (owner, hosting, integration, capabilities; none or empty: not
    recorded, so no action that needs a capability is in place), ``option_lines`` the cost
    lines of the preferred way forward (:func:`~analysis.journeys.funding.preferred_option_lines`;
    the roadmap traces each action to them, :func:`~analysis.journeys.funding.funding`).

    ``cost_lines`` is the ingested cost workbook's ``(benefits, options)``: with it the result
    also holds ``benefit_timing`` (:func:`~analysis.journeys.benefit_timing.benefit_timing`,
    each option's benefit lines against its rebuilt roadmap).

    Returns ``journeys, streams, gaps, gap_summary, tool_scores, register_metrics,
    survey_agreement, tool_swot, indicators, levels, roadmap``, then ``stage_scores,
    stage_swot, systems_inventory, stream_flows, action_status, objectives_check``,
    ``option_objectives`` (:func:`objectives_by_option`).
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
    summary = gap_summary(gaps, journeys, gap_rules)
    status = action_status(
        actions,
        gaps[["authority", "gap_id", "label", "stream_id"]],
        levels[["authority", "theme", "level"]].astype({"level": "Int64"}),
        gap_summary=summary,
        authorities=[authority],
        way_forward=None if way_forward is None else {authority: way_forward},
        systems=systems,
    )
    roadmap = funding(authority_roadmap(actions, status=status), actions, option_lines)
    if objectives is None:
        objectives = pd.DataFrame(columns=["objective_id", "action_ids"])
    out = {
        "journeys": journeys,
        "streams": stream_summary(journeys),
        "gaps": gaps,
        "gap_summary": summary,
        "tool_scores": tool_scores(journeys),
        "register_metrics": register_metrics(journeys),
        "survey_agreement": agreement,  # raw; controlled when published
        "tool_swot": tool_swot(journeys, evidence),
        "indicators": indicators,
        "levels": levels,
        "roadmap": roadmap,
        "stage_scores": stage_scores(journeys),
        "stage_swot": stage_swot(journeys),
        "systems_inventory": systems_inventory(journeys, systems),
        "stream_flows": stream_flows(journeys),
        "action_status": status,
        "objectives_check": check_objectives(objectives, status, roadmap),
        "option_objectives": objectives_by_option(
            actions, gaps, levels, summary, objectives, authority, systems
        ),
    }
    if cost_lines is not None:
        benefits, options = cost_lines
        plans = option_plans(actions, gaps, levels, summary, authority, systems)
        out["benefit_timing"] = benefit_timing(benefits, options, plans, authority)
    return out


#: Columns of :func:`objectives_by_option`.
OPTION_OBJECTIVE_COLUMNS = (
    "authority",
    "option_category",
    "objective_id",
    "result",
    "actions_late",
    "actions_missing",
)


def objectives_by_option(
    actions, gaps, levels, summary, objectives, authority, systems=None
) -> pd.DataFrame:
    """The spending-objectives check as if each option category were the way forward.

    For every category of :data:`~analysis.journeys.actions.OPTION_TIERS` the council's
    roadmap is rebuilt with that category chosen (actions of a larger tier deferred) and
    checked against the objectives, so the economic case can score every short-listed option
    against the critical success factor "meets the spending objectives in time", not only the
    one the appraisal chose. Columns :data:`OPTION_OBJECTIVE_COLUMNS`, one row per category and
    objective (none without objectives).
    """
    rows = []
    plans = option_plans(actions, gaps, levels, summary, authority, systems, OPTION_TIERS)
    for cat, (st, plan) in plans.items():
        check = check_objectives(objectives, st, plan)
        for r in check.itertuples(index=False):
            rows.append(
                {
                    "authority": authority,
                    "option_category": cat,
                    "objective_id": r.objective_id,
                    "result": r.result,
                    "actions_late": r.actions_late,
                    "actions_missing": r.actions_missing,
                }
            )
    return pd.DataFrame(rows, columns=list(OPTION_OBJECTIVE_COLUMNS))


def programme_tables(
    gap_summary: pd.DataFrame,
    levels: pd.DataFrame,
    roadmaps: pd.DataFrame,
    actions: pd.DataFrame,
    authorities: list[str],
    *,
    status: pd.DataFrame | None = None,
    objectives_check: pd.DataFrame | None = None,
    tools: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    stages: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    marker: str = "[c]",
    names: dict[str, str] | None = None,
    inventory: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The programme's tables from the councils' tables (each stacked over authorities).

    Returns ``gap_summary``, ``levels``, ``authority_roadmaps`` (as given), ``roadmap`` (the
    consolidated :func:`~analysis.journeys.roadmap.programme_roadmap`) and ``action_need``
    (:func:`~analysis.journeys.roadmap.action_need`); with the councils' ``status``
    (action status) also ``action_status``; with their ``objectives_check`` also
    ``objectives_check`` (:func:`~analysis.journeys.objectives.programme_objectives`); with
    ``tools`` = (tool scores, tool SWOT) also ``tool_ranking``, with ``stages`` = (stage
    scores, stage SWOT) also ``stage_ranking`` (:func:`~analysis.journeys.ranking.
    programme_ranking`; ``marker`` shows a suppressed excerpt count). ``names`` (authority id to
    council name) words the objectives' reasons. With the councils' systems ``inventory``
    (stacked) also ``systems_inventory`` (as given) and ``systems_summary``
    (:func:`~analysis.journeys.inventory.systems_summary`).
    """
    out = {
        "gap_summary": gap_summary,
        "levels": levels,
        "authority_roadmaps": roadmaps,
        "roadmap": programme_roadmap(roadmaps, actions, status=status),
        "action_need": action_need(roadmaps, actions, authorities, status),
    }
    if status is not None:
        out["action_status"] = status
    if objectives_check is not None:
        out["objectives_check"] = programme_objectives(objectives_check, authorities, names)
    if tools is not None:
        out["tool_ranking"] = programme_ranking(tool_ranking(*tools, marker), "system")
    if stages is not None:
        out["stage_ranking"] = programme_ranking(stage_ranking(*stages), "stage")
    if inventory is not None:
        out["systems_inventory"] = inventory
        out["systems_summary"] = systems_summary(inventory, authorities)
    return out
