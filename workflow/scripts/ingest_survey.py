"""Validate and normalise one authority's survey export (thin adapter over analysis.ingest)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.io import read_yaml, run_script, write_csv
from analysis.ingest import ingest_survey

log = logging.getLogger("pipeline")


def main(smk):
    survey, missing = ingest_survey(
        smk.input.data,
        read_yaml(smk.input.questionnaire),
        read_yaml(smk.input.schema),
        authority=smk.wildcards.authority,
        fmt=dict(smk.params.fmt),
        extra_patterns=list(smk.params.extra_patterns),
    )
    write_csv(survey, smk.output.survey)
    write_csv(missing, smk.output.missing)
    log.info("%s: %d responses, %d missing answers", smk.input.data, len(survey), len(missing))


run_script(snakemake, main)
