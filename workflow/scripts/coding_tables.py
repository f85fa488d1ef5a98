"""Coding analysis of one authority, or of the programme (all authorities pooled): raw tables
to internal/coding/, controlled tables, key figures and figures to published/coding/
(thin adapter over analysis.coding.publish)."""

import logging

import pandas as pd

from analysis.coding.publish import analyse, draw_figures, write_outputs
from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script

log = logging.getLogger("pipeline")
FIGURES = ("frequencies", "cooccurrence", "agreement")


def read_tables(paths):
    """Ingested tables as text (no 'NA'-style guessing: ids and codes stay as written)."""
    return pd.concat(
        [read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True
    )


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    codebook = read_yaml(smk.input.codebook)
    result = analyse(
        read_tables(smk.input.coding),
        read_tables(smk.input.excerpts),
        codebook,
        rule,
        smk.params.scope,
        extra_patterns=list(smk.params.extra_patterns),
        quotes_per_code=smk.params.quotes_per_code,
        leading_top_n=smk.params.leading_top_n,
        swot_quotes=smk.params.swot_quotes,
        authority_names=dict(smk.params.get("authority_names", {})),
    )
    write_outputs(result, smk.output, rule)
    draw_figures(
        {k: smk.output[k] for k in FIGURES},
        {k: smk.output[f"fig_{k}"] for k in FIGURES},
        codebook,
        rule,
        smk.params.title,
    )
    log.info(
        "%s: %d codes below alpha 0.667",
        smk.params.scope,
        len(result.key_figures["codes_below_threshold"]),
    )


run_script(snakemake, main)
