"""Programme level: gaps and maturity across authorities, and the consolidated roadmap.

An action triggered in two or more councils is proven practice (analysis.journeys.roadmap).
"""

import logging

from analysis import journeys as j
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    authorities = list(smk.params.authorities)
    inp = smk.input
    tables = j.programme_tables(
        j.read_stacked(inp.gap_summary, j.read_gap_summary),
        j.read_stacked(inp.levels, j.read_levels),
        j.read_stacked(inp.roadmaps, j.read_roadmap),
        j.read_roadmap_actions(inp.actions),
        authorities,
    )
    for name, df in tables.items():
        write_csv(df, smk.output[name])
        # counts of streams, councils and actions: not counts of people
        write_published_csv(df, smk.output["pub_" + name], [], rule)
    streams = j.read_stacked(inp.streams, j.read_streams)
    kf = j.programme_key_figures(streams, authorities=authorities, **tables)
    write_key_figures(kf, smk.output.key_figures, read_yaml(inp.kf_schema))
    log.info("programme: %d actions, %d proven", kf["n_actions"], kf["n_actions_proven_practice"])


run_script(snakemake, main)
