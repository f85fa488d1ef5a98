"""Validate one authority's data-journey register (thin adapter over analysis.ingest)."""

import logging

from analysis.core.io import read_yaml, run_script, write_csv
from analysis.ingest import ingest_journeys

log = logging.getLogger("pipeline")


def main(smk):
    journeys = ingest_journeys(
        smk.input.data,
        read_yaml(smk.input.schema),
        authority=smk.wildcards.authority,
        extra_patterns=smk.params.extra_patterns,
    )
    write_csv(journeys, smk.output[0])
    log.info("%s: %d stream stages", smk.input.data, len(journeys))


run_script(snakemake, main)
