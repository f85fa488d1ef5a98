"""One-way sensitivity, scenarios, switching values and a seeded Monte Carlo for each option.

Thin adapter over :func:`analysis.costs.analyse_options`, which holds the per-option loop and
the rule for which options get a Monte Carlo (see :mod:`analysis.costs.uncertainty`).
"""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.io import run_script, write_csv
from analysis.costs import INGESTED_TABLES, analyse_options, read_tables

log = logging.getLogger("pipeline")
TABLES = ("tornado", "scenarios", "switching", "mc_summary", "mc_draws", "mc_inputs")


def main(smk):
    t = read_tables(smk.input, (*INGESTED_TABLES, "sources"))
    out = analyse_options(
        t["parameters"],
        t["options"],
        t["costs"],
        t["benefits"],
        t["uncertainty"],
        vintage=smk.params.vintage,
        draws=int(smk.params.draws),
        seed=int(smk.params.seed),
        sources=t["sources"],
    )
    for name in TABLES:
        write_csv(getattr(out, name), smk.output[name])
    for note in out.notes:
        log.info("%s", note)


run_script(snakemake, main)
