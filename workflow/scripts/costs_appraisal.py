"""Appraise one council's options, apply the decision rule and write the auditable workbook.

Thin adapter over :func:`analysis.costs.appraise`, :func:`analysis.costs.decide_appraisal`
(the affordability table in nominal cash and the preferred way forward) and
:func:`analysis.costs.write_workbook`. Internal tables keep full precision.
"""

import logging

from analysis.core.io import run_script, write_csv
from analysis.costs import appraise, decide_appraisal, read_tables, write_workbook

log = logging.getLogger("pipeline")
TABLES = ("results", "cash_flows", "who_pays", "discount_factors", "benefit_flows")


def main(smk):
    t = read_tables(smk.input, ("parameters", "options", "costs", "benefits"))
    a = appraise(
        t["parameters"], t["options"], t["costs"], t["benefits"], vintage=smk.params.vintage
    )
    affordability, decision = decide_appraisal(a, t["options"])
    for name in TABLES:
        write_csv(getattr(a, name), smk.output[name])
    write_csv(a.costs, smk.output.cost_lines)
    write_csv(affordability, smk.output.affordability)
    write_csv(decision.table, smk.output.decision)
    write_workbook(a, t["options"], smk.output.workbook, decision)
    for note in a.notes:
        log.info("%s", note)
    log.info(
        "%s: preferred way forward '%s' (%s); the workbook proposed '%s'",
        smk.wildcards.authority,
        decision.preferred_option_id,
        decision.reason,
        decision.proposed_option_id,
    )


run_script(snakemake, main)
