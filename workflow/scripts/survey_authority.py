"""Survey analysis of one authority: raw tables and construct agreement to internal/,
controlled tables, key figures and Likert figures to published/ (adapter over analysis.survey)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script, write_csv
from analysis.survey import (
    AUTHORITY_GROUPING,
    authority_key_figures,
    authority_tables,
    construct_agreement,
    draw_likert_figures,
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
    out, groups = smk.output, smk.params.group_order
    tab, cs = out.likert_collapsed, smk.params.constructs
    draw_likert_figures(tab, q, rule, cs, out.figures, AUTHORITY_GROUPING, groups)
    log.info("%s: %d responses analysed", authority, len(survey))


run_script(snakemake, main)
