"""Tool SWOT of one authority: register facts plus the coded workshop SWOT evidence.

The evidence is the coding stage's PUBLISHED (disclosure-controlled) swot_evidence.csv, so
every excerpt count here is already controlled; suppressed counts stay missing.
"""

import logging

from analysis import journeys as jm
from analysis.disclosure import rule_from_config
from analysis.io import run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    register = jm.read_register(smk.input.register)
    evidence = jm.read_swot_evidence(smk.input.swot_evidence, rule.marker)
    evidence = evidence[evidence["authority"] == smk.wildcards.authority]
    swot = jm.tool_swot(jm.journey_table(register), evidence)
    write_csv(swot, smk.output[0])
    log.info(
        "%s: %d SWOT entries (%d from coding)",
        smk.wildcards.authority,
        len(swot),
        int((swot["evidence_source"] == "coding").sum()),
    )


run_script(snakemake, main)
