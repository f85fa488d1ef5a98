"""Programme figures: gaps by kind and authority, maturity across authorities, roadmap Gantt."""

import logging

import matplotlib.pyplot as plt

from analysis.core.io import read_csv, run_script
from analysis.core.plotting import save_figure  # also selects the non-interactive backend
from analysis.journeys import figures as jf

log = logging.getLogger("pipeline")


def main(smk):
    summary = read_csv(smk.input.gap_summary, dtype={"gap_id": str, "label": str})
    levels = read_csv(smk.input.levels, dtype={"authority": str, "theme": str})
    levels["level"] = levels["level"].astype("Int64")
    roadmap = read_csv(smk.input.roadmap, dtype={"action_id": str, "title": str})
    # say on each bar how many councils' gaps or maturity triggered the action
    n_all = smk.params.n_authorities
    roadmap["title"] = [
        # no-break spaces keep the note on one line when the label wraps
        f"{t} ({n}\u00a0of\u00a0{n_all}\u00a0councils)" if n else f"{t} (prerequisite)"
        for t, n in zip(roadmap["title"], roadmap["n_authorities"], strict=True)
    ]

    for fn, data, out, title in (
        (jf.gap_overview, summary, smk.output.gap_overview, "Gaps by kind and council"),
        (jf.maturity_heatmap, levels, smk.output.maturity, "Data maturity by theme and council"),
        (jf.roadmap_gantt, roadmap, smk.output.gantt, "Programme roadmap"),
    ):
        fig, alt = fn(data, title=title)
        save_figure(fig, out, alt)
        plt.close(fig)
    log.info("programme: 3 figures")


run_script(snakemake, main)
