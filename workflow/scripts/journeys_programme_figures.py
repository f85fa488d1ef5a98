"""Programme figures: gaps by kind and authority, maturity, roadmap Gantt, tool scores."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis import journeys as j
from analysis.core.io import run_script
from analysis.core.plotting import save_figure  # also selects the non-interactive backend
from analysis.journeys.figures import programme_figures

log = logging.getLogger("pipeline")


def main(smk):
    figures = programme_figures(
        j.read_gap_summary(smk.input.gap_summary),
        j.read_levels(smk.input.levels),
        j.read_roadmap(smk.input.roadmap),
        smk.params.n_authorities,
        j.read_stacked(smk.input.tool_scores, j.read_tool_scores),
        smk.params.names,
        j.read_roadmap(smk.input.authority_roadmaps),
    )
    for name, (fig, alt) in figures:
        save_figure(fig, smk.output[name], alt)  # closes the figure
    log.info("programme: 4 figures")


run_script(snakemake, main)
