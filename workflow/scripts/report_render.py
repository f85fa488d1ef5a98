"""Render the report project to the configured formats: Quarto (whole project, one call per
format) when it is on PATH or configured, else the pandoc/typst fallback; every output is
checked before it is published."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging
from pathlib import Path

from analysis.core.io import run_script
from analysis.render import render_project

log = logging.getLogger("pipeline")


def main(smk):
    render_project(
        Path(smk.input.build),
        Path(smk.output[0]).parent,
        smk.params.docs,
        formats=tuple(smk.params.formats),
        renderer=smk.params.renderer,
        log=log.info,
    )


run_script(snakemake, main)
