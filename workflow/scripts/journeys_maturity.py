"""Data-maturity indicators and theme levels of one authority (raw, internal).

Evidence: the journey register, the survey (per cent agreeing with a construct; no evidence
below the disclosure rule's minimum count of respondents) and the coding stage's published
SWOT evidence. The rubric is the editable table named by config instruments.maturity_rubric.
"""

import logging

import numpy as np

from analysis import journeys as jm
from analysis.disclosure import rule_from_config
from analysis.io import read_csv, run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    authority = smk.wildcards.authority
    journeys = jm.journey_table(jm.read_register(smk.input.register))
    agreement = read_csv(smk.input.survey_agreement)
    survey = jm.maturity_survey_evidence(agreement, rule)
    coding = jm.read_swot_evidence(smk.input.swot_evidence, rule.marker)
    coding = coding[coding["authority"] == authority]
    indicators = jm.maturity_indicators(
        journeys,
        jm.read_maturity_rubric(smk.input.rubric),
        survey,
        coding,
        min_survey_n=rule.min_count,
    )
    # how each value was obtained, so that publication can hide an unrounded percentage
    basis = survey.set_index("construct")["pct_basis"]

    def value_basis(value, source, argument):
        if np.isnan(value):
            return "none"
        if source == "register":
            return "register"
        if source == "coding":  # the published, already rounded excerpt counts
            return "rounded_counts"
        return basis.get(argument, "rounded_counts")

    indicators["value_basis"] = [
        value_basis(v, s, a)
        for v, s, a in zip(
            indicators["value"], indicators["source"], indicators["argument"], strict=True
        )
    ]
    levels = jm.maturity_levels(indicators)
    write_csv(indicators, smk.output.indicators)
    write_csv(levels, smk.output.levels)
    log.info(
        "%s: %d indicators with evidence of %d; %d of %d themes levelled",
        authority,
        int(indicators["level"].notna().sum()),
        len(indicators),
        int(levels["level"].notna().sum()),
        len(levels),
    )


run_script(snakemake, main)
