"""Diverging stacked Likert bars, one figure per construct, from a PUBLISHED (controlled)
distributions table (thin adapter over analysis.survey_figures)."""

import logging

import pandas as pd

from analysis.disclosure import rule_from_config
from analysis.io import read_csv, read_yaml, run_script
from analysis.survey_figures import plot_likert_construct

log = logging.getLogger("pipeline")


def read_published_distributions(path, rule) -> pd.DataFrame:
    """Read a published distributions table back: the marker becomes <NA> in count columns."""
    df = read_csv(path, dtype={"group": str, "level": str, "item_id": str})
    for col in ("count", "n", "n_missing"):
        df[col] = pd.to_numeric(df[col].astype(str).replace({rule.marker: None})).astype("Int64")
    return df


def main(smk):
    q = read_yaml(smk.input.questionnaire)
    rule = rule_from_config(smk.params.disclosure)
    dist = read_published_distributions(smk.input.distributions, rule)
    present = set(dist["group"])
    groups = [g for g in smk.params.group_order if g in present]
    groups += sorted(present - set(groups) - {"all"}) + ["all"]
    for construct, path in zip(smk.params.constructs, smk.output.figures, strict=True):
        plot_likert_construct(
            dist, q, construct, rule, path, group_by=smk.params.group_by, groups=groups
        )
        log.info("figure %s: construct %s by %s", path, construct, smk.params.group_by)


run_script(snakemake, main)
