# Stage: costs. Green Book appraisal of each council's options (economic and financial case),
# the decision rule that picks the preferred way forward, affordability in nominal cash,
# sensitivity, switching values, a seeded Monte Carlo of every option, the auditable Excel
# workbook, and at programme level the comparison of the councils' preferred ways forward and
# the national Monte Carlo of the opportunity. All numbers come from the analysis.costs package (its __init__ lists the modules);
# the scripts are glue. Outputs are documented in docs/outputs/costs.md.

C_ING = "results/{authority}/ingest/costs"
C_INT = "results/{authority}/internal/costs"
C_PUB = "results/{authority}/published/costs"
CP_INT = "results/programme/internal/costs"
CP_PUB = "results/programme/published/costs"
KF_SCHEMAS = "workflow/schemas/key_figures"
COSTS_APPRAISAL = config["appraisal"]
# published per-authority tables (all written by costs_authority)
C_PUB_TABLES = [
    "options_results",
    "cash_flows",
    "who_pays",
    "discount_factors",
    "sensitivity_tornado",
    "scenarios",
    "switching_values",
    "monte_carlo_summary",
    "monte_carlo_inputs",
    "cost_lines",
    "benefit_sources",
    "options_decision",
    "affordability",
]
# internal tables of a council (analysis.costs.job.INTERNAL_TABLES -> file stem)
COSTS_INTERNAL = {
    "results": "results",
    "cash_flows": "cash_flows",
    "who_pays": "who_pays",
    "discount_factors": "discount_factors",
    "benefit_flows": "benefit_flows",
    "prepared_costs": "cost_lines",
    "decision": "options_decision",
    "affordability": "affordability",
    "tornado": "sensitivity_tornado",
    "scenarios": "scenarios",
    "switching": "switching_values",
    "mc_summary": "monte_carlo_summary",
    "mc_draws": "monte_carlo_draws",
    "mc_inputs": "monte_carlo_inputs",
}
C_FIGURES = {
    "fig_cash_flow": "cumulative_cash_flow",
    "fig_tornado": "tornado",
    "fig_monte_carlo": "monte_carlo",
}


# One job a council (analysis.costs.job): the appraisal and decision rule, the uncertainty
# analyses and the publication read the same workbook and re-run together, and a job's start-up
# cost more than the appraisal (issue 15). The steps still hand over through internal/ files.
rule costs_authority:
    input:
        gate=inputs_validated,
        parameters=f"{C_ING}/parameters.csv",
        options=f"{C_ING}/options.csv",
        costs=f"{C_ING}/costs.csv",
        benefits=f"{C_ING}/benefits.csv",
        uncertainty=f"{C_ING}/uncertainty.csv",
        sources=f"{C_ING}/sources.csv",
        benefit_values=f"{C_ING}/benefit_values.csv",
        business_case=BUSINESS_CASE,
        kf_schema=f"{KF_SCHEMAS}/costs_authority.schema.yaml",
    output:
        # internal/: full precision, by the names the publishing step reads them under
        **{f"internal_{k}": f"{C_INT}/{f}.csv" for k, f in COSTS_INTERNAL.items()},
        cash_flows=f"{C_PUB}/cash_flows.csv",
        who_pays=f"{C_PUB}/who_pays.csv",
        discount_factors=f"{C_PUB}/discount_factors.csv",
        sensitivity_tornado=f"{C_PUB}/sensitivity_tornado.csv",
        scenarios=f"{C_PUB}/scenarios.csv",
        switching_values=f"{C_PUB}/switching_values.csv",
        monte_carlo_summary=f"{C_PUB}/monte_carlo_summary.csv",
        monte_carlo_inputs=f"{C_PUB}/monte_carlo_inputs.csv",
        workbook=report(
            f"{C_PUB}/{{authority}}_cost_model.xlsx",
            caption="../report/costs/workbook.rst",
            category="Costs",
            subcategory="{authority}",
        ),
        options_results=report(
            f"{C_PUB}/options_results.csv",
            caption="../report/costs/options_results.rst",
            category="Costs",
            subcategory="{authority}",
        ),
        nominal_cash=f"{C_PUB}/nominal_cash.csv",
        cost_lines=f"{C_PUB}/cost_lines.csv",
        benefit_sources=f"{C_PUB}/benefit_sources.csv",
        options_decision=f"{C_PUB}/options_decision.csv",
        affordability=f"{C_PUB}/affordability.csv",
        fig_cash_flow=report(
            f"{C_PUB}/cumulative_cash_flow.png",
            caption="../report/costs/cumulative_cash_flow.rst",
            category="Costs",
            subcategory="{authority}",
        ),
        fig_tornado=report(
            f"{C_PUB}/tornado.png",
            caption="../report/costs/tornado.rst",
            category="Costs",
            subcategory="{authority}",
        ),
        fig_monte_carlo=report(
            f"{C_PUB}/monte_carlo.png",
            caption="../report/costs/monte_carlo.rst",
            category="Costs",
            subcategory="{authority}",
        ),
        alt_cash_flow=f"{C_PUB}/cumulative_cash_flow.alt.txt",
        alt_tornado=f"{C_PUB}/tornado.alt.txt",
        alt_monte_carlo=f"{C_PUB}/monte_carlo.alt.txt",
        key_figures=f"{C_PUB}/key_figures.yaml",
    log:
        "logs/{authority}/costs_authority.log",
    conda:
        CONDA_ENV
    params:
        disclosure=config["disclosure"],
        vintage=COSTS_APPRAISAL["discount_schedule_vintage"],
        draws=COSTS_APPRAISAL["monte_carlo_draws"],
        seed=COSTS_APPRAISAL["seed"],
        programme_price_base_year=config["programme"]["price_base_year"],
    script:
        "../scripts/costs_authority.py"


rule costs_programme:
    input:
        gate=inputs_validated,
        options=expand(f"{C_ING}/options.csv", authority=AUTHORITIES),
        baseline=expand(f"{C_ING}/baseline.csv", authority=AUTHORITIES),
        decision=expand(f"{C_INT}/options_decision.csv", authority=AUTHORITIES),
        results=expand(f"{C_INT}/results.csv", authority=AUTHORITIES),
        scenarios=expand(f"{C_INT}/scenarios.csv", authority=AUTHORITIES),
        mc_summary=expand(f"{C_INT}/monte_carlo_summary.csv", authority=AUTHORITIES),
        mc_draws=expand(f"{C_INT}/monte_carlo_draws.csv", authority=AUTHORITIES),
        kf_schema=f"{KF_SCHEMAS}/costs_programme.schema.yaml",
    output:
        comparison_internal=f"{CP_INT}/comparison.csv",
        scale_internal=f"{CP_INT}/national_scale.csv",
        range_internal=f"{CP_INT}/national_range.csv",
        draws_internal=f"{CP_INT}/national_draws.csv",
        comparison=report(
            f"{CP_PUB}/comparison.csv",
            caption="../report/costs/comparison.rst",
            category="Costs",
            subcategory="programme",
        ),
        scale=f"{CP_PUB}/national_scale.csv",
        range=report(
            f"{CP_PUB}/national_range.csv",
            caption="../report/costs/national_range.rst",
            category="Costs",
            subcategory="programme",
        ),
        drivers=f"{CP_PUB}/national_drivers.csv",
        assumptions=f"{CP_PUB}/national_assumptions.csv",
        basis=f"{CP_PUB}/national_basis.csv",
        fig_comparison=report(
            f"{CP_PUB}/comparison.png",
            caption="../report/costs/comparison_figure.rst",
            category="Costs",
            subcategory="programme",
        ),
        fig_national=report(
            f"{CP_PUB}/national_range.png",
            caption="../report/costs/national_range_figure.rst",
            category="Costs",
            subcategory="programme",
        ),
        alt_comparison=f"{CP_PUB}/comparison.alt.txt",
        alt_national=f"{CP_PUB}/national_range.alt.txt",
        key_figures=f"{CP_PUB}/key_figures.yaml",
    log:
        "logs/programme/costs_programme.log",
    conda:
        CONDA_ENV
    params:
        authorities=[
            {
                k: a.get(k)
                for k in (
                    "id",
                    "name",
                    "service_area",
                    "tier",
                    "population",
                    "population_source",
                )
            }
            for a in config["authorities"]
        ],
        disclosure=config["disclosure"],
        vintage=COSTS_APPRAISAL["discount_schedule_vintage"],
        price_base_year=config["programme"]["price_base_year"],
        draws=COSTS_APPRAISAL["monte_carlo_draws"],
        seed=COSTS_APPRAISAL["seed"],
        min_councils=COSTS_APPRAISAL["national_min_councils"],
    script:
        "../scripts/costs_programme.py"


rule costs_financial:
    input:
        gate=inputs_validated,
        parameters=expand(f"{C_ING}/parameters.csv", authority=AUTHORITIES),
        options=expand(f"{C_ING}/options.csv", authority=AUTHORITIES),
        benefits=expand(f"{C_ING}/benefits.csv", authority=AUTHORITIES),
        decision=expand(f"{C_INT}/options_decision.csv", authority=AUTHORITIES),
        cost_lines=expand(f"{C_INT}/cost_lines.csv", authority=AUTHORITIES),
        affordability=expand(f"{C_INT}/affordability.csv", authority=AUTHORITIES),
        benefit_flows=expand(f"{C_INT}/benefit_flows.csv", authority=AUTHORITIES),
        business_case=BUSINESS_CASE,
    output:
        financial_requirement=f"{CP_PUB}/financial_requirement.csv",
        funding_plan=f"{CP_PUB}/funding_plan.csv",
        funding_status=f"{CP_PUB}/funding_status.csv",
        funding_sources=f"{CP_PUB}/funding_sources.csv",
        benefits_realisation=f"{CP_PUB}/benefits_realisation.csv",
    log:
        "logs/programme/costs_financial.log",
    conda:
        CONDA_ENV
    params:
        authorities=[{"id": a["id"]} for a in config["authorities"]],
        disclosure=config["disclosure"],
    script:
        "../scripts/costs_financial.py"


COSTS_TARGETS = (
    expand(f"{C_PUB}/{{authority}}_cost_model.xlsx", authority=AUTHORITIES)
    + expand(f"{C_PUB}/{{table}}.csv", authority=AUTHORITIES, table=C_PUB_TABLES)
    + expand(
        f"{C_PUB}/{{fig}}.{{ext}}",
        authority=AUTHORITIES,
        fig=list(C_FIGURES.values()),
        ext=["png", "alt.txt"],
    )
    + expand(f"{C_PUB}/key_figures.yaml", authority=AUTHORITIES)
    + [
        f"{CP_PUB}/{f}"
        for f in (
            "comparison.csv",
            "national_scale.csv",
            "national_range.csv",
            "national_drivers.csv",
            "national_assumptions.csv",
            "national_basis.csv",
            "financial_requirement.csv",
            "funding_plan.csv",
            "funding_status.csv",
            "funding_sources.csv",
            "benefits_realisation.csv",
            "comparison.png",
            "comparison.alt.txt",
            "national_range.png",
            "national_range.alt.txt",
            "key_figures.yaml",
        )
    ]
)
