"""One council's data-journey assessment: journeys, gaps, tool scores, SWOT, maturity, roadmap.

One job rather than five: each step is a call into analysis.journeys on the
previous step's tables, and five processes would spend more time starting Python than working.
Every intermediate table is still written to internal/journeys/ for inspection.
"""

import logging

import numpy as np

from analysis import journeys as jm
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, run_script, write_csv
from analysis.journeys import roadmap as rm

log = logging.getLogger("pipeline")


def value_basis(indicators, survey):
    """How each maturity value was obtained, so publication can hide an unrounded percentage."""
    basis = survey.set_index("construct")["pct_basis"]

    def one(value, source, argument):
        if np.isnan(value):
            return "none"
        if source == "register":
            return "register"
        if source == "coding":  # the published, already rounded excerpt counts
            return "rounded_counts"
        return basis.get(argument, "rounded_counts")

    return [
        one(v, s, a)
        for v, s, a in zip(
            indicators["value"], indicators["source"], indicators["argument"], strict=True
        )
    ]


def main(smk):
    authority = smk.wildcards.authority
    rule = rule_from_config(smk.params.disclosure)
    out = smk.output

    # register: journeys, gaps, tool scores
    journeys = jm.journey_table(jm.read_register(smk.input.register))
    rules = jm.read_gap_rules(smk.input.gap_rules)
    gaps = jm.find_gaps(journeys, rules)
    write_csv(journeys, out.journeys)
    write_csv(jm.stream_summary(journeys), out.streams)
    write_csv(gaps, out.gaps)
    write_csv(jm.gap_summary(gaps, journeys, rules), out.gap_summary)
    write_csv(jm.tool_scores(journeys), out.tool_scores)
    write_csv(jm.register_metrics(journeys), out.register_metrics)

    # survey agreement per construct, from the survey stage (raw; controlled when published)
    agreement = read_csv(smk.input.survey_agreement, dtype={"research_question": str})
    write_csv(agreement, out.survey_agreement)

    # tool SWOT with the coding stage's published evidence
    evidence = jm.read_swot_evidence(smk.input.swot_evidence, rule.marker)
    evidence = evidence[evidence["authority"] == authority]
    swot = jm.tool_swot(journeys, evidence)
    write_csv(swot, out.tool_swot)

    # data maturity
    survey = jm.maturity_survey_evidence(agreement, rule)
    indicators = jm.maturity_indicators(
        journeys,
        jm.read_maturity_rubric(smk.input.rubric),
        survey,
        evidence,
        min_survey_n=rule.min_count,
    )
    indicators["value_basis"] = value_basis(indicators, survey)
    levels = jm.maturity_levels(indicators)
    write_csv(indicators, out.indicators)
    write_csv(levels, out.levels)

    # roadmap
    roadmap = rm.authority_roadmap(
        rm.read_roadmap_actions(smk.input.actions),
        gaps[["authority", "gap_id"]],
        levels[["authority", "theme", "level"]].astype({"level": "Int64"}),
        authorities=[authority],
    )
    write_csv(roadmap, out.roadmap)
    log.info(
        "%s: %d streams, %d gap findings, %d SWOT entries, %d of %d themes levelled, "
        "%d roadmap actions",
        authority,
        journeys["stream_id"].nunique(),
        len(gaps),
        len(swot),
        int(levels["level"].notna().sum()),
        len(levels),
        len(roadmap),
    )


run_script(snakemake, main)
