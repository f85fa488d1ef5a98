"""One council's costs job: appraisal and decision rule, uncertainty analyses, published
tables, figures and key figures (thin adapter over :func:`analysis.costs.job.run_costs`; tables
rounded as documented in ``docs/outputs/costs.md``)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis.core.io import run_script
from analysis.costs.job import run_costs

INTERNAL = "internal_"


def main(smk):
    outputs = dict(smk.output.items())
    internal = {k[len(INTERNAL) :]: v for k, v in outputs.items() if k.startswith(INTERNAL)}
    published = {k: v for k, v in outputs.items() if not k.startswith(INTERNAL)}
    run_costs(dict(smk.input.items()), internal, published, smk.wildcards.authority,
              dict(smk.params.items()))  # fmt: skip


run_script(snakemake, main)
