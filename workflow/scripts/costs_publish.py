"""Publish one council's cost-benefit results: rounded tables, figures and key figures.

Thin adapter over :func:`analysis.costs.publish_authority` (tables rounded as documented in
``docs/outputs/costs.md``: money to the penny) and :func:`analysis.costs.authority_figures`.
Every table goes through the uniform publish path, with no count columns to control.
"""

import logging

from analysis import costs
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script

log = logging.getLogger("pipeline")


def main(smk):
    t = costs.read_tables(smk.input, costs.AUTHORITY_INPUTS)
    pub = costs.publish_authority(
        t,
        authority=(authority := smk.wildcards.authority),
        programme_price_base_year=smk.params.programme_price_base_year,
        vintage=smk.params.vintage,
        draws=int(smk.params.draws),
        seed=int(smk.params.seed),
        constraints=costs.decision_constraints(read_yaml(smk.input.business_case), authority),
    )
    for warning in pub.warnings:
        log.warning("%s", warning)
    rule = rule_from_config(smk.params.disclosure)
    for name, df in pub.tables.items():
        write_published_csv(df, smk.output[name], [], rule)
    costs.authority_figures(t, smk.output)
    write_key_figures(pub.key_figures, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info("published costs outputs for %s", smk.wildcards.authority)


run_script(snakemake, main)
