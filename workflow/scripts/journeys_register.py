"""Journey table, gap register, tool scores and register metrics of one authority.

Thin adapter over analysis.journeys; the gap rules are the editable table named by
config instruments.gap_rules.
"""

import logging

from analysis import journeys as jm
from analysis.io import run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    register = jm.read_register(smk.input.register)
    rules = jm.read_gap_rules(smk.input.gap_rules)
    journeys = jm.journey_table(register)
    gaps = jm.find_gaps(journeys, rules)
    write_csv(journeys, smk.output.journeys)
    write_csv(jm.stream_summary(journeys), smk.output.streams)
    write_csv(gaps, smk.output.gaps)
    write_csv(jm.gap_summary(gaps, journeys, rules), smk.output.gap_summary)
    write_csv(jm.tool_scores(journeys), smk.output.tool_scores)
    write_csv(jm.register_metrics(journeys), smk.output.register_metrics)
    log.info(
        "%s: %d streams, %d gap rules, %d (gap, stream) findings",
        smk.wildcards.authority,
        journeys["stream_id"].nunique(),
        len(rules),
        len(gaps),
    )


run_script(snakemake, main)
