"""Survey analysis of one authority: raw tables and construct agreement to internal/,
controlled tables and key figures to published/ (adapter over analysis.survey). No Likert
figures: no document shows a council's answers by respondent group as a chart (the case study
quotes its key figures; the programme's charts compare councils), and seven charts were half
of a council's survey time; the collapsed table they would draw is published."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script, write_csv
from analysis.survey import (
    authority_key_figures,
    authority_tables,
    construct_agreement,
    write_internal,
    write_published,
)

log = logging.getLogger("pipeline")


def main(smk):
    q, rule = read_yaml(smk.input.questionnaire), rule_from_config(smk.params.disclosure)
    survey, authority = read_csv(smk.input.survey), smk.wildcards.authority
    raw, pub = authority_tables(survey, read_csv(smk.input.missing), q, rule)
    write_internal(raw, smk.output)
    write_csv(construct_agreement(survey, q), smk.output.construct_agreement)
    write_published(pub, smk.output, rule)
    kf = authority_key_figures(authority, pub, q, rule)
    write_key_figures(kf, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info("%s: %d responses analysed", authority, len(survey))


run_script(snakemake, main)
