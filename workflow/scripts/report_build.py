"""Assemble a report project from the published outputs the rule declared (params.inputs):
the programme documents' (rule report_build), or one council's case study's, which the same
job then renders (rule report_case_study)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging
from pathlib import Path

from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_yaml, run_script
from analysis.render import render_project
from analysis.report import assemble_report

log = logging.getLogger("pipeline")


def main(smk):
    p = smk.params
    config = {"programme": dict(p.programme), "authorities": [dict(a) for a in p.authorities],
              "code_version": dict(p.code_version), "report": dict(p.get("report", {})),
              "programme_size": p.get("programme_size")}  # fmt: skip
    build = Path(smk.output.build)
    written = assemble_report(
        dict(p.inputs), config, read_yaml(smk.input.questionnaire),
        read_yaml(smk.input.codebook), rule_from_config(dict(p.disclosure)), Path("report"),
        build, case_study=p.case_study, compare_with_peers=bool(p.get("compare_with_peers", 1)),
        workbook=None if p.case_study else Path(smk.output.workbook),
    )  # fmt: skip
    log.info("report project assembled: %d files in %s", len(written), build)
    if p.case_study:  # a case study is built and rendered in one job
        out = Path(smk.output.documents[0]).parent
        render_project(build, out, p.docs, formats=tuple(p.formats), renderer=p.renderer,
                       log=log.info)  # fmt: skip


run_script(snakemake, main)
