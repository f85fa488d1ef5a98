"""One council's data-journey assessment: journeys, gaps, tool and stage scores, SWOT, maturity,
action status, roadmap, the spending-objectives check and the benefit-timing check.
One job (assess_authority chains the steps in memory); every table is written to internal/.
"""

import logging

from analysis import journeys as j
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    authority, inp = smk.wildcards.authority, smk.input
    rule = rule_from_config(smk.params.disclosure)
    actions = j.read_roadmap_actions(inp.actions)
    tables = j.assess_authority(
        j.read_register(inp.register),
        j.read_gap_rules(inp.gap_rules),
        j.read_survey_agreement(inp.survey_agreement),  # the survey stage's table
        j.read_swot_evidence(inp.swot_evidence, rule.marker),  # the coding stage's, published
        j.read_maturity_rubric(inp.rubric),
        actions,
        rule=rule,
        authority=authority,
        objectives=j.read_spending_objectives(inp.objectives, actions),
        way_forward=j.way_forward_of(read_csv(inp.decision)),  # the economic case's choice
    )
    ben, opts = read_csv(inp.benefits), read_csv(inp.options)  # the cost workbook's lines
    tables["benefit_timing"] = j.assess_benefit_timing(tables, actions, ben, opts, authority)
    for name, df in tables.items():
        write_csv(df, smk.output[name])
    rows = ", ".join(f"{len(df)} rows of {name}" for name, df in tables.items())
    log.info("%s: %s", authority, rows)


run_script(snakemake, main)
