"""Assemble the report project (variables, tables, figures, case studies) from published outputs."""

import logging
from pathlib import Path

from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_yaml, run_script
from analysis.report.build import check_counts, load_published, write_project

log = logging.getLogger("pipeline")


def main(smk):
    config = {
        "programme": dict(smk.params.programme),
        "authorities": [dict(a) for a in smk.params.authorities],
    }
    rule = rule_from_config(dict(smk.params.disclosure))
    published = load_published(
        Path("results"),
        config,
        read_yaml(smk.input.questionnaire),
        read_yaml(smk.input.codebook),
        rule,
    )
    check_counts(published)
    written = write_project(Path("report"), Path(smk.output[0]), published)
    log.info("report project assembled: %d files in %s", len(written), smk.output[0])


run_script(snakemake, main)
