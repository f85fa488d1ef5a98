"""Programme figures: gaps by kind and authority, maturity across authorities, roadmap Gantt."""

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
    )
    for name, (fig, alt) in figures:
        save_figure(fig, smk.output[name], alt)  # closes the figure
    log.info("programme: 3 figures")


run_script(snakemake, main)
