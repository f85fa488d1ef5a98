"""Programme-level survey comparison: the same statistics as per authority, with the
authority as the grouping (adapter over analysis.survey)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

import pandas as pd

from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script
from analysis.survey import (
    PROGRAMME_GROUPING,
    draw_likert_figures,
    programme_key_figures,
    programme_tables,
    write_internal,
    write_published,
)

log = logging.getLogger("pipeline")


def main(smk):
    q, rule = read_yaml(smk.input.questionnaire), rule_from_config(smk.params.disclosure)
    survey = pd.concat([read_csv(p) for p in smk.input.surveys], ignore_index=True)
    raw, pub = programme_tables(survey, q, rule)
    write_internal(raw, smk.output)
    write_published(pub, smk.output, rule)
    kf = programme_key_figures(pub, q, rule, dict(smk.params.names))
    write_key_figures(kf, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    out, groups = smk.output, smk.params.group_order
    tab, cs = out.likert_collapsed, smk.params.constructs
    draw_likert_figures(tab, q, rule, cs, out.figures, PROGRAMME_GROUPING, groups)
    log.info("programme: %d responses from %d authorities", len(survey), len(smk.input.surveys))


run_script(snakemake, main)
