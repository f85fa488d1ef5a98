"""Validate one authority's cost workbook (thin adapter over analysis.ingest)."""

import logging
from pathlib import Path

from analysis.core.io import read_yaml, run_script, write_csv
from analysis.ingest import ingest_costs

log = logging.getLogger("pipeline")


def main(smk):
    tables = ingest_costs(
        smk.input.data, read_yaml(smk.input.schema), authority=smk.wildcards.authority
    )
    for path in smk.output:
        write_csv(tables[Path(path).stem], path)
    log.info("%s: %s", smk.input.data, {k: len(v) for k, v in tables.items()})


run_script(snakemake, main)
