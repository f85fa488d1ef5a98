"""Render every document of the report project, one after another, to the configured formats."""

import logging
from pathlib import Path

from analysis.core.io import run_script
from analysis.render import render_document

log = logging.getLogger("pipeline")


def main(smk):
    build = Path(smk.input.build)
    out_dir = Path(smk.output[0]).parent
    for doc in smk.params.docs:
        render_document(
            build / f"{doc}.qmd",
            out_dir,
            formats=tuple(smk.params.formats),
            renderer=smk.params.renderer,
            project_dir=build,
            log=log.info,
        )


run_script(snakemake, main)
