"""Figures of one authority: swimlane journey map, maturity heat map, roadmap Gantt chart."""

import logging

import matplotlib.pyplot as plt

from analysis import journeys as jm
from analysis.core.io import read_csv, run_script
from analysis.core.plotting import save_figure  # also selects the non-interactive backend
from analysis.journeys import figures as jf

log = logging.getLogger("pipeline")


def main(smk):
    name = smk.params.name
    journeys = jm.journey_table(jm.read_register(smk.input.register))
    gaps = read_csv(smk.input.gaps, dtype=str, keep_default_na=False)
    levels = read_csv(smk.input.levels, dtype={"authority": str, "theme": str})
    levels["level"] = levels["level"].astype("Int64")
    roadmap = read_csv(smk.input.roadmap, dtype={"action_id": str, "title": str})

    fig, alt = jf.journey_map(
        journeys, gaps, smk.wildcards.authority, title=f"Data journeys: {name}"
    )
    save_figure(fig, smk.output.journey_map, alt)
    plt.close(fig)
    fig, alt = jf.maturity_heatmap(levels, title="Data maturity by theme")
    save_figure(fig, smk.output.maturity, alt)
    plt.close(fig)
    fig, alt = jf.roadmap_gantt(roadmap, title=f"Roadmap: {name}")
    save_figure(fig, smk.output.gantt, alt)
    plt.close(fig)
    log.info("%s: 3 figures", smk.wildcards.authority)


run_script(snakemake, main)
