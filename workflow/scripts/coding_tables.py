"""Coding analysis of one authority, or of the programme (all authorities pooled): raw tables
to internal/coding/, controlled tables, key figures and figures to published/coding/
(thin adapter over analysis.coding.job.run_coding)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis.coding.job import run_coding
from analysis.core.io import run_script


def main(smk):
    p = smk.params
    run_coding(
        coding=list(smk.input.coding),
        excerpts=list(smk.input.excerpts),
        codebook=smk.input.codebook,
        kf_schema=smk.input.kf_schema,
        outputs=smk.output,
        disclosure=p.disclosure,
        scope=p.scope,
        title=p.title,
        extra_patterns=list(p.extra_patterns),
        quotes_per_code=p.quotes_per_code,
        leading_top_n=p.leading_top_n,
        swot_quotes=p.swot_quotes,
        authority_names=dict(p.get("authority_names", {})),
    )


run_script(snakemake, main)
