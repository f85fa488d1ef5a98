"""Assemble the report project (variables, tables, figures, case studies) from published outputs.

Reads only the files the rule declared (params.inputs, from analysis.report.report_inputs).
"""

import logging
from pathlib import Path

from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_yaml, run_script
from analysis.report import assemble_report

log = logging.getLogger("pipeline")


def main(smk):
    config = {
        "programme": dict(smk.params.programme),
        "authorities": [dict(a) for a in smk.params.authorities],
        "code_version": dict(smk.params.code_version),
    }
    written = assemble_report(
        dict(smk.params.inputs),
        config,
        read_yaml(smk.input.questionnaire),
        read_yaml(smk.input.codebook),
        rule_from_config(dict(smk.params.disclosure)),
        Path("report"),
        Path(smk.output[0]),
    )
    log.info("report project assembled: %d files in %s", len(written), smk.output[0])


run_script(snakemake, main)
