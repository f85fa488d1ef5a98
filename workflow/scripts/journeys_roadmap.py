"""Phased roadmap of corrective actions for one authority.

Which action answers which gap or maturity shortfall is the editable table named by config
instruments.roadmap_actions; analysis.roadmap interprets and schedules it.
"""

import logging

from analysis import roadmap as rm
from analysis.io import read_csv, run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    authority = smk.wildcards.authority
    gaps = read_csv(smk.input.gaps, dtype=str, keep_default_na=False)
    levels = read_csv(smk.input.levels, dtype={"authority": str, "theme": str})
    levels["level"] = levels["level"].astype("Int64")
    roadmap = rm.authority_roadmap(
        rm.read_roadmap_actions(smk.input.actions),
        gaps[["authority", "gap_id"]],
        levels[["authority", "theme", "level"]],
        authorities=[authority],
    )
    write_csv(roadmap, smk.output[0])
    log.info("%s: %d actions on the roadmap", authority, len(roadmap))


run_script(snakemake, main)
