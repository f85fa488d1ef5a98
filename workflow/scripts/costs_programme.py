"""Programme level: compare the councils' preferred ways forward and scale them to the UK.

Thin adapter over :func:`analysis.costs.appraise_programme` (method in
:mod:`analysis.costs.programme` and ``docs/outputs/costs.md``) and
:func:`analysis.costs.programme_figures`.
"""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script, write_csv
from analysis.costs import COUNCIL_INPUTS, appraise_programme, programme_figures, read_tables

log = logging.getLogger("pipeline")


def main(smk):
    authorities = smk.params.authorities
    paths = [{k: smk.input[k][i] for k in COUNCIL_INPUTS} for i in range(len(authorities))]
    tables = [read_tables(p, COUNCIL_INPUTS) for p in paths]
    keys = ("price_base_year", "vintage", "seed", "draws", "min_councils")
    settings = {k: smk.params[k] for k in keys}
    out = appraise_programme(authorities, tables, **settings)
    for warning in out.warnings:
        log.warning("%s", warning)
    for name, df in out.internal.items():
        write_csv(df, smk.output[name])
    rule = rule_from_config(smk.params.disclosure)
    for name, df in out.published.items():
        write_published_csv(df, smk.output[name], [], rule)
    programme_figures(out, smk.output)
    write_key_figures(out.key_figures, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info("programme: %d councils compared; national Monte Carlo written", len(out.comparison))


run_script(snakemake, main)
