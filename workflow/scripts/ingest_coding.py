"""Validate one authority's workshop coding sheet (thin adapter over analysis.ingest)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.io import read_yaml, run_script, write_csv
from analysis.ingest import ingest_coding

log = logging.getLogger("pipeline")


def main(smk):
    coding, excerpts = ingest_coding(
        smk.input.data,
        read_yaml(smk.input.codebook),
        read_yaml(smk.input.schema),
        authority=smk.wildcards.authority,
        extra_patterns=list(smk.params.extra_patterns),
    )
    write_csv(coding, smk.output.coding)
    write_csv(excerpts, smk.output.excerpts)
    log.info("%s: %d codings of %d excerpts", smk.input.data, len(coding), len(excerpts))


run_script(snakemake, main)
