"""Publish one authority's journeys tables (controlled: analysis.journeys.publish) and key figures."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis import journeys as j
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script

log = logging.getLogger("pipeline")


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    inp, out = smk.input, smk.output
    text = {name: j.read_text_table(inp[name]) for name in j.PASS_THROUGH}  # bytes kept
    typed = j.read_tables(inp)
    tables = j.published_tables(text, typed, rule, smk.params.extra_patterns)
    for name, df in tables.items():
        counts = ["n", "n_agree"] if name == "survey_agreement" else []  # respondents
        write_published_csv(df, out[name], counts, rule)
    kf = j.key_figures_of(typed, smk.wildcards.authority)
    write_key_figures(kf, out.key_figures, read_yaml(inp.kf_schema))
    log.info("%s: published %d tables and key figures", smk.wildcards.authority, len(tables))


run_script(snakemake, main)
