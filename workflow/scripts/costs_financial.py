"""Programme level: each council's capital and revenue requirement bridged from real cost to
nominal cash, the funding plan by year and source, and the benefits-realisation rows.

Thin adapter over :func:`analysis.costs.financial_case` and
:func:`analysis.costs.published_financial_case` (method in :mod:`analysis.costs.funding` and
``docs/outputs/costs.md``).
"""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script
from analysis.costs import FINANCIAL_INPUTS, financial_case, published_financial_case, read_tables

log = logging.getLogger("pipeline")


def main(smk):
    authorities = smk.params.authorities
    paths = [{k: smk.input[k][i] for k in FINANCIAL_INPUTS} for i in range(len(authorities))]
    tables = [read_tables(p, FINANCIAL_INPUTS) for p in paths]
    case = financial_case(authorities, tables, read_yaml(smk.input.business_case))
    rule = rule_from_config(smk.params.disclosure)
    for name, df in published_financial_case(case).items():
        write_published_csv(df, smk.output[name], [], rule)
    status = case.tables["funding_status"].set_index("authority")
    log.info("programme: ask %.2f, secured %.2f, gap %.2f (nominal)",
             status.at["programme", "ask"], status.at["programme", "secured"],
             status.at["programme", "gap"])  # fmt: skip


run_script(snakemake, main)
