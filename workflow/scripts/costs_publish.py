"""Publish one council's cost-benefit results: rounded tables, figures and key figures.

Thin adapter over :func:`analysis.costs.publish_authority` (tables rounded as documented in
``docs/outputs/costs.md``: money to the penny; the decision rule's constraints and the
contingency from the business-case input) and :func:`analysis.costs.authority_figures`.
"""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis import costs
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import log, read_yaml, run_script


def main(smk):
    t = costs.read_tables(smk.input, costs.AUTHORITY_INPUTS)
    case = read_yaml(smk.input.business_case)
    pub = costs.publish_authority(
        t,
        authority=(authority := smk.wildcards.authority),
        programme_price_base_year=smk.params.programme_price_base_year,
        vintage=smk.params.vintage,
        draws=int(smk.params.draws),
        seed=int(smk.params.seed),
        constraints=costs.decision_constraints(case, authority),
        contingency=costs.contingency_share(case),
    )
    for warning in pub.warnings:
        log.warning("%s", warning)
    for name, df in pub.tables.items():
        write_published_csv(df, smk.output[name], [], rule_from_config(smk.params.disclosure))
    costs.authority_figures(t, smk.output)
    write_key_figures(pub.key_figures, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info("published costs outputs for %s", authority)


run_script(snakemake, main)
