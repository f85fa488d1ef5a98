"""One council's data-journey assessment, from journeys and gaps to the roadmap and the
objectives and benefit-timing checks (assess_authority); every table is written to internal/."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis import journeys as j
from analysis.core.disclosure import rule_from_config
from analysis.core.io import log, read_csv, run_script, write_csv


def main(smk):
    authority, inp = smk.wildcards.authority, smk.input
    rule = rule_from_config(smk.params.disclosure)
    actions = j.read_roadmap_actions(inp.actions)
    decision = read_csv(inp.decision)
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
        way_forward=j.way_forward_of(decision),  # the economic case's choice
        systems=read_csv(inp.systems, dtype=str, keep_default_na=False),  # Systems sheet
        option_lines=j.preferred_option_lines(decision, read_csv(inp.cost_lines, dtype=str)),
        cost_lines=(read_csv(inp.benefits), read_csv(inp.options)),  # for benefit timing
    )
    for name, df in tables.items():
        write_csv(df, smk.output[name])
    log.info("%s: %s", authority, ", ".join(f"{len(v)} rows of {k}" for k, v in tables.items()))


run_script(snakemake, main)
