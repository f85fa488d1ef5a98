"""Validate one authority's data-journey register, its Register and Systems sheets (thin
adapter over analysis.ingest)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.io import read_yaml, run_script, write_csv
from analysis.ingest import ingest_journey_systems, ingest_journeys

log = logging.getLogger("pipeline")


def main(smk):
    schema, authority = read_yaml(smk.input.schema), smk.wildcards.authority
    patterns = smk.params.extra_patterns
    journeys = ingest_journeys(smk.input.data, schema, authority=authority, extra_patterns=patterns)
    systems = ingest_journey_systems(
        smk.input.data, schema, authority=authority, extra_patterns=patterns
    )
    write_csv(journeys, smk.output.journeys)
    write_csv(systems, smk.output.systems)
    log.info("%s: %d stream stages, %d systems", smk.input.data, len(journeys), len(systems))
    if systems.empty:
        log.warning("%s: no Systems sheet: owner, hosting and integration not recorded", authority)


run_script(snakemake, main)
