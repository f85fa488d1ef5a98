"""Appraise one council's options against business as usual and write the auditable workbook.

Thin adapter over :func:`analysis.costs.appraisal.appraise` and
:func:`analysis.costs.workbook.write_workbook`. Internal tables keep full precision.
"""

import logging

from analysis.core.io import run_script, write_csv
from analysis.costs.appraisal import appraise
from analysis.costs.publish import read_ingested
from analysis.costs.workbook import write_workbook

log = logging.getLogger("pipeline")


def main(smk):
    tables = {
        k: read_ingested(smk.input[k]) for k in ("parameters", "options", "costs", "benefits")
    }
    a = appraise(
        tables["parameters"],
        tables["options"],
        tables["costs"],
        tables["benefits"],
        vintage=smk.params.vintage,
    )
    write_csv(a.results, smk.output.results)
    write_csv(a.cash_flows, smk.output.cash_flows)
    write_csv(a.who_pays, smk.output.who_pays)
    write_csv(a.discount_factors, smk.output.discount_factors)
    write_csv(a.costs, smk.output.cost_lines)
    write_csv(a.benefit_flows, smk.output.benefit_flows)
    write_workbook(a, tables["options"], smk.output.workbook)
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
