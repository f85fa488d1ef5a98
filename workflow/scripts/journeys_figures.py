"""Figures of one authority's case study: journey map, roadmap Gantt chart, tool scores."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis import journeys as j
from analysis.core.io import run_script
from analysis.core.plotting import save_figure  # also selects the non-interactive backend
from analysis.journeys.figures import authority_figures

log = logging.getLogger("pipeline")


def main(smk):
    authority = smk.wildcards.authority
    figures = authority_figures(
        j.journey_table(j.read_register(smk.input.register)),
        j.read_gaps(smk.input.gaps),
        j.read_roadmap(smk.input.roadmap),
        authority,
        smk.params.name,
        j.read_tool_scores(smk.input.tool_scores),
    )
    for name, (fig, alt) in figures:
        save_figure(fig, smk.output[name], alt)  # closes the figure
    log.info("%s: 3 figures", authority)


run_script(snakemake, main)
