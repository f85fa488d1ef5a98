"""Per cent of respondents agreeing with each questionnaire construct (raw, internal).

The survey evidence of the data-maturity rubric. Thin adapter over
analysis.journeys.construct_agreement (construct scores from analysis.survey_stats).
"""

import logging

from analysis import journeys as jm
from analysis.io import read_csv, read_yaml, run_script, write_csv

log = logging.getLogger("pipeline")


def main(smk):
    survey = read_csv(smk.input.survey)
    agreement = jm.construct_agreement(survey, read_yaml(smk.input.questionnaire))
    write_csv(agreement, smk.output[0])
    log.info("%s: %d constructs", smk.wildcards.authority, len(agreement))


run_script(snakemake, main)
