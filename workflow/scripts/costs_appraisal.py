"""Appraise one council's options against business as usual and write the auditable workbook.

Thin adapter over :func:`analysis.costs.appraise` and :func:`analysis.costs.write_workbook`.
Internal tables keep full precision.
"""

import logging

from analysis.core.io import run_script, write_csv
from analysis.costs import appraise, read_tables, write_workbook

log = logging.getLogger("pipeline")
TABLES = ("results", "cash_flows", "who_pays", "discount_factors", "benefit_flows")


def main(smk):
    t = read_tables(smk.input, ("parameters", "options", "costs", "benefits"))
    a = appraise(
        t["parameters"], t["options"], t["costs"], t["benefits"], vintage=smk.params.vintage
    )
    for name in TABLES:
        write_csv(getattr(a, name), smk.output[name])
    write_csv(a.costs, smk.output.cost_lines)
    write_workbook(a, t["options"], smk.output.workbook)
    for note in a.notes:
        log.info("%s", note)
    log.info(
        "%s: %d options appraised against '%s' over %d years",
        smk.wildcards.authority,
        len(a.results),
        a.baseline_option_id,
        int(a.parameters["appraisal_years"]),
    )


run_script(snakemake, main)
