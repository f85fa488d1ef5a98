"""Validate one authority's cost workbook (thin adapter over analysis.ingest)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging
from pathlib import Path

from analysis.core.io import read_csv, read_yaml, run_script, write_csv
from analysis.ingest import ingest_costs

log = logging.getLogger("pipeline")


def main(smk):
    unit_costs = list(smk.input.unit_costs) if "unit_costs" in smk.input.keys() else []
    tables = ingest_costs(
        smk.input.data,
        read_yaml(smk.input.schema),
        authority=smk.wildcards.authority,
        unit_costs=unit_costs[0] if unit_costs else None,
        # benefit lines name the roadmap actions that deliver them (column delivered_by)
        action_ids=read_csv(smk.input.actions)["action_id"].astype(str),
    )
    for path in smk.output:
        write_csv(tables[Path(path).stem], path)
    log.info("%s: %s", smk.input.data, {k: len(v) for k, v in tables.items()})


run_script(snakemake, main)
