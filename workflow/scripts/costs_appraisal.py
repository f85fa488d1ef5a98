"""Appraise one council's options, apply the decision rule (affordability in nominal cash,
the preferred way forward), add incremental BCRs and write the auditable workbook."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis import costs
from analysis.core.io import log, read_yaml, run_script, write_csv

TABLES = ("results", "cash_flows", "who_pays", "discount_factors", "benefit_flows")


def main(smk):
    t = costs.read_tables(smk.input, ("parameters", "options", "costs", "benefits"))
    a = costs.appraise(
        t["parameters"], t["options"], t["costs"], t["benefits"], vintage=smk.params.vintage
    )
    case = read_yaml(smk.input.business_case)
    rule = costs.decision_constraints(case, smk.wildcards.authority)
    affordability, decision = costs.decide_appraisal(
        a, t["options"], rule, contingency=costs.contingency_share(case)
    )
    # each option against the next cheaper one offering value for money; the cash payback
    bau = decision.baseline_option_id
    a.results = costs.with_incremental(a.results, decision.table, affordability, bau)
    for name in TABLES:
        write_csv(getattr(a, name), smk.output[name])
    write_csv(a.costs, smk.output.cost_lines)
    write_csv(affordability, smk.output.affordability)
    write_csv(decision.table, smk.output.decision)
    costs.write_workbook(a, t["options"], smk.output.workbook, decision)
    log.info("%s", "\n".join(a.notes))
    d = decision
    log.info("%s: preferred way forward '%s' (%s); proposed '%s'", smk.wildcards.authority,
             d.preferred_option_id, d.reason, d.proposed_option_id)  # fmt: skip


run_script(snakemake, main)
