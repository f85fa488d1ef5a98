"""The costs stage: a Green Book cost-benefit model of each council's options, and the programme.

Public API: import from here (``from analysis.costs import appraise``) or from the module.

Modules, one concept each:

* :mod:`~analysis.costs.reference` - reads the packaged parameter tables in ``analysis/data``;
* :mod:`~analysis.costs.inputs` - a council's ingested tables, typed parameters, the BAU and
  proposed (workbook ``preferred``) option rules;
* :mod:`~analysis.costs.discounting` - the STPR schedule, discount factors, present values;
* :mod:`~analysis.costs.prices` - the GDP deflator index and real-terms factors;
* :mod:`~analysis.costs.optimism_bias` - the optimism-bias uplift rule (Python and Excel) and
  confidence grades;
* :mod:`~analysis.costs.benefits` - the outcome chain, outcome profiles, benefit flows;
* :mod:`~analysis.costs.results` - prepared costs, appraisal results, value-for-money band,
  payback, who pays and who benefits;
* :mod:`~analysis.costs.targets` - the targets of uncertain inputs: one cost line, every line
  of a cost type, one benefit input; what each varies, in words;
* :mod:`~analysis.costs.array_model` - one option against BAU as arrays, evaluated for many
  draws at once;
* :mod:`~analysis.costs.sensitivity` - one-way sensitivity, scenarios, switching values;
* :mod:`~analysis.costs.montecarlo` - the seeded Monte Carlo simulation and its summary;
* :mod:`~analysis.costs.uncertainty` - all of those for every option, and the Monte Carlo rule;
* :mod:`~analysis.costs.financial` - the financial case in nominal cash: costs with their risk
  allowance (optimism bias, or the contingency where larger), cashable benefits,
  affordability by agency and year, the affordability gap, the real-to-nominal bridge;
* :mod:`~analysis.costs.funding` - the funding plan: sources drawn year by year against the
  capital and revenue requirement, never more from cashable savings than the appraisal finds;
* :mod:`~analysis.costs.realisation` - benefits realisation: numeric baseline and target of
  every monetised benefit, from the appraisal;
* :mod:`~analysis.costs.financial_case` - the programme's financial-case tables (requirement
  bridged real to nominal, funding plan and status) and realisation rows;
* :mod:`~analysis.costs.decision` - the decision rule: the preferred way forward (the option
  with the highest NPSV among those offering value for money within the constraints);
* :mod:`~analysis.costs.incremental` - incremental BCRs between options, the council's cash
  payback;
* :mod:`~analysis.costs.workbook` - the auditable Excel workbook with live formulas;
* :mod:`~analysis.costs.precision` - how published values are rounded (money to the penny);
* :mod:`~analysis.costs.publish` - one council's published tables, key figures and figures;
* :mod:`~analysis.costs.national` - the seeded national Monte Carlo ratio estimate for the UK;
* :mod:`~analysis.costs.programme` - the councils' preferred ways forward compared, the national
  range, programme key figures;
* :mod:`~analysis.costs.figures` - the stage's charts with their alt text;
* :mod:`~analysis.costs.job` - one council's workflow job: appraise, analyse the
  uncertainty, publish (``run_costs``; not imported here).
"""

from analysis.costs.array_model import (
    ArrayModel,
    build_array_model,
    central_value,
    evaluate,
    is_multiplier,
    relevant_inputs,
)
from analysis.costs.benefits import (
    BENEFIT_FIELDS,
    VALUE_TYPES,
    benefit_flows,
    outcome_profile,
    prepare_benefits,
    successful_outcomes,
)
from analysis.costs.decision import (
    DEFAULT_CONSTRAINTS,
    NO_VFM,
    Decision,
    contingency_share,
    decide,
    decide_appraisal,
    decision_constraints,
    funding_to_proceed,
    offers_value_for_money,
    read_decision,
    ruled_out_by_limit,
    within_limit,
)
from analysis.costs.discounting import (
    discount_factor_table,
    discount_factors,
    discount_rates,
    present_value,
    resolve_vintage,
)
from analysis.costs.figures import (
    cumulative_cash_flow_figure,
    monte_carlo_figure,
    national_range_figure,
    notice_figure,
    options_comparison_figure,
    tornado_figure,
)
from analysis.costs.financial import (
    BRIDGE_STEPS,
    COUNCIL_AGENCY_PREFIX,
    affordability_gap,
    affordability_summary,
    affordability_table,
    nominal_cash,
    requirement_bridge,
    risk_adjusted,
)
from analysis.costs.financial_case import (
    FINANCIAL_INPUTS,
    FinancialCase,
    financial_case,
    published_financial_case,
)
from analysis.costs.funding import funding_plan, funding_status, savings_problems, source_summary
from analysis.costs.incremental import (
    INCREMENTAL_COLUMNS,
    cash_payback_years,
    incremental_bcrs,
    with_incremental,
)
from analysis.costs.inputs import (
    INGESTED_TABLES,
    as_parameters,
    baseline_option_id,
    check_option_ids,
    parameters_dict,
    preferred_option_id,
    read_ingested,
)
from analysis.costs.montecarlo import sample_inputs, simulate, summarise
from analysis.costs.national import (
    BOOTSTRAP,
    EXTRAPOLATION,
    NATIONAL_METHOD,
    SCENARIOS,
    TAKE_UP_DISTRIBUTION,
    NationalSimulation,
    bootstrap_ratio,
    councils_by_tier,
    delivering_nations,
    local_volume,
    match_service_area,
    national_monte_carlo,
    national_scale,
    national_volume,
    scale_basis,
    take_up,
)
from analysis.costs.optimism_bias import (
    APPLIED_UPLIFT_FORMULA,
    APPLIED_UPLIFT_TEXT,
    applied_uplift,
    grade_values,
    hmt_uplift,
    hmt_upper_bound,
    optimism_bias_uplift,
    uplift_basis,
)
from analysis.costs.precision import (
    NATIONAL_SIG_FIGS,
    PENNY,
    money_columns,
    money_sig,
    money_sig_columns,
    money_value,
    probability,
    probability_text,
    ratio_value,
    scalar,
    signif,
    to_penny,
    year_value,
)
from analysis.costs.prices import LONG_RUN_DEFLATOR_GROWTH, deflator_index, real_terms_factor
from analysis.costs.programme import (
    COUNCIL_INPUTS,
    SERVICE_LABELS,
    ProgrammeResults,
    appraise_programme,
    comparison_table,
    programme_figures,
    programme_key_figures,
)
from analysis.costs.publish import (
    AUTHORITY_INPUTS,
    Publication,
    authority_figures,
    authority_key_figures,
    cost_lines_table,
    nominal_table,
    publish_authority,
    published_tables,
    read_tables,
)
from analysis.costs.realisation import benefits_realisation
from analysis.costs.reference import (
    read_confidence_grades,
    read_discount_schedules,
    read_gdp_deflators,
    read_national_drivers,
    read_optimism_bias,
    read_packaged,
    read_service_area_aliases,
)
from analysis.costs.results import (
    VFM_BANDS,
    Appraisal,
    appraise,
    payback_year,
    prepare_costs,
    value_for_money_category,
    who_pays_who_benefits,
)
from analysis.costs.sensitivity import (
    LINEAR_FIELDS,
    one_way_sensitivity,
    scenarios,
    switching_values,
)
from analysis.costs.targets import (
    COST_TYPES,
    cost_group,
    describe_target,
    is_group_target,
    parse_target,
    target_lines,
)
from analysis.costs.uncertainty import (
    MC_INPUT_COLUMNS,
    OptionAnalyses,
    analyse_options,
    count_inputs,
    monte_carlo_inputs,
    runs_monte_carlo,
)
from analysis.costs.workbook import build_workbook, write_workbook

__all__ = [
    "APPLIED_UPLIFT_FORMULA",
    "APPLIED_UPLIFT_TEXT",
    "AUTHORITY_INPUTS",
    "Appraisal",
    "ArrayModel",
    "BENEFIT_FIELDS",
    "BRIDGE_STEPS",
    "COUNCIL_AGENCY_PREFIX",
    "COST_TYPES",
    "COUNCIL_INPUTS",
    "DEFAULT_CONSTRAINTS",
    "Decision",
    "FINANCIAL_INPUTS",
    "FinancialCase",
    "INCREMENTAL_COLUMNS",
    "INGESTED_TABLES",
    "LINEAR_FIELDS",
    "LONG_RUN_DEFLATOR_GROWTH",
    "MC_INPUT_COLUMNS",
    "NATIONAL_METHOD",
    "NATIONAL_SIG_FIGS",
    "NO_VFM",
    "NationalSimulation",
    "OptionAnalyses",
    "PENNY",
    "ProgrammeResults",
    "Publication",
    "SCENARIOS",
    "SERVICE_LABELS",
    "TAKE_UP_DISTRIBUTION",
    "VALUE_TYPES",
    "VFM_BANDS",
    "affordability_gap",
    "affordability_summary",
    "affordability_table",
    "analyse_options",
    "applied_uplift",
    "appraise",
    "appraise_programme",
    "as_parameters",
    "authority_figures",
    "authority_key_figures",
    "baseline_option_id",
    "benefit_flows",
    "benefits_realisation",
    "build_array_model",
    "build_workbook",
    "cash_payback_years",
    "central_value",
    "check_option_ids",
    "comparison_table",
    "contingency_share",
    "cost_group",
    "cost_lines_table",
    "councils_by_tier",
    "count_inputs",
    "cumulative_cash_flow_figure",
    "decide",
    "decide_appraisal",
    "decision_constraints",
    "deflator_index",
    "delivering_nations",
    "describe_target",
    "discount_factor_table",
    "discount_factors",
    "discount_rates",
    "evaluate",
    "financial_case",
    "funding_plan",
    "funding_status",
    "funding_to_proceed",
    "grade_values",
    "hmt_uplift",
    "hmt_upper_bound",
    "incremental_bcrs",
    "is_group_target",
    "is_multiplier",
    "local_volume",
    "match_service_area",
    "money_columns",
    "money_sig",
    "money_sig_columns",
    "money_value",
    "monte_carlo_inputs",
    "monte_carlo_figure",
    "national_monte_carlo",
    "BOOTSTRAP",
    "EXTRAPOLATION",
    "bootstrap_ratio",
    "national_range_figure",
    "national_scale",
    "national_volume",
    "nominal_cash",
    "nominal_table",
    "notice_figure",
    "offers_value_for_money",
    "one_way_sensitivity",
    "optimism_bias_uplift",
    "options_comparison_figure",
    "outcome_profile",
    "parameters_dict",
    "parse_target",
    "payback_year",
    "preferred_option_id",
    "prepare_benefits",
    "prepare_costs",
    "present_value",
    "probability",
    "probability_text",
    "programme_figures",
    "programme_key_figures",
    "publish_authority",
    "published_financial_case",
    "published_tables",
    "ratio_value",
    "read_confidence_grades",
    "read_decision",
    "read_discount_schedules",
    "read_gdp_deflators",
    "read_ingested",
    "read_national_drivers",
    "read_optimism_bias",
    "read_packaged",
    "read_service_area_aliases",
    "read_tables",
    "real_terms_factor",
    "relevant_inputs",
    "requirement_bridge",
    "resolve_vintage",
    "risk_adjusted",
    "ruled_out_by_limit",
    "runs_monte_carlo",
    "sample_inputs",
    "savings_problems",
    "scalar",
    "scale_basis",
    "scenarios",
    "signif",
    "simulate",
    "source_summary",
    "successful_outcomes",
    "summarise",
    "switching_values",
    "take_up",
    "target_lines",
    "to_penny",
    "tornado_figure",
    "uplift_basis",
    "value_for_money_category",
    "who_pays_who_benefits",
    "within_limit",
    "with_incremental",
    "write_workbook",
    "year_value",
]
