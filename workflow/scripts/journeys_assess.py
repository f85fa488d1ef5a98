"""One council's data-journey assessment: journeys, gaps, tool scores, SWOT, maturity, roadmap.

One job (analysis.journeys.assess_authority chains the steps in memory); every intermediate
table is still written to internal/journeys/ for inspection.
"""

import logging

from analysis import journeys as j
from analysis.core.disclosure import rule_from_config
from analysis.core.io import run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    authority = smk.wildcards.authority
    rule = rule_from_config(smk.params.disclosure)
    inp = smk.input
    tables = j.assess_authority(
        j.read_register(inp.register),
        j.read_gap_rules(inp.gap_rules),
        j.read_survey_agreement(inp.survey_agreement),  # the survey stage's table
        j.read_swot_evidence(inp.swot_evidence, rule.marker),  # the coding stage's, published
        j.read_maturity_rubric(inp.rubric),
        j.read_roadmap_actions(inp.actions),
        rule=rule,
        authority=authority,
    )
    for name, df in tables.items():
        write_csv(df, smk.output[name])
    log.info(
        "%s: %s",
        authority,
        ", ".join(f"{len(df)} rows of {name}" for name, df in tables.items()),
    )


run_script(snakemake, main)
