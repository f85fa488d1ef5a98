"""Publish one council's cost-benefit results: rounded tables, figures and key figures.

Reads the full-precision internal tables written by ``costs_appraisal`` and
``costs_sensitivity``; rounds money to the penny for publication (see
``docs/outputs/costs.md``); draws the figures with :mod:`analysis.costs.figures`. The cost model
holds no counts of people, so there is nothing for disclosure control to suppress; every table
still goes through :func:`analysis.core.disclosure.write_published_csv` (CSV-injection safety and a
uniform publish path) with no count columns.
"""

import logging

import numpy as np

from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_csv, run_script, write_yaml
from analysis.costs import figures as cost_figures
from analysis.costs.appraisal import (
    nominal_cash,
    optimism_bias_uplift,
    parameters_dict,
    read_gdp_deflators,
)
from analysis.costs.publish import (
    FACTOR_DIGITS,
    PROB_DIGITS,
    RATIO_DIGITS,
    cost_lines_table,
    money,
    money_value,
    preferred_option_id,
    ratio_value,
    read_ingested,
    scalar,
    signif,
    to_penny,
    year_value,
)

log = logging.getLogger("pipeline")

RESULT_MONEY = [
    "pv_costs",
    "pv_benefits",
    "npsv",
    "pv_fiscal_benefits",
    "pv_cashable_benefits",
    "net_present_budget_impact",
    "gross_pv_costs",
    "gross_pv_benefits",
]
CASH_MONEY = [
    "costs",
    "benefits",
    "fiscal_benefits",
    "cashable_benefits",
    "incremental_costs",
    "incremental_benefits",
    "net_benefit",
    "discounted_net_benefit",
    "cumulative_discounted_net_benefit",
]


def _ratios(df, cols, digits=RATIO_DIGITS):
    out = df.copy()
    for c in cols:
        out[c] = out[c].astype(float).round(digits)
    return out


def _years(df, cols):
    out = df.copy()
    for c in cols:
        out[c] = out[c].astype("Int64")
    return out


def published_tables(t: dict) -> dict:
    """Rounded copies of the internal tables (money to the penny, ratios to 2 dp)."""
    res = _years(
        _ratios(money(t["results"], RESULT_MONEY), ["bcr", "financial_roi"]),
        ["payback_year", "financial_payback_year"],
    )
    cf = money(t["cash_flows"], CASH_MONEY)
    cf["discount_factor"] = cf["discount_factor"].astype(float).round(FACTOR_DIGITS)
    dfac = t["discount_factors"].copy()
    dfac["discount_factor"] = dfac["discount_factor"].astype(float).round(FACTOR_DIGITS)
    tor = money(t["tornado"], ["npsv_low", "npsv_central", "npsv_high", "swing"])
    for c in ("low", "central", "high"):
        tor[c] = signif(tor[c])
    scen = _ratios(money(t["scenarios"], ["pv_costs", "pv_benefits", "npsv"]), ["bcr"])
    sw = t["switching"].copy()
    sw["central"] = signif(sw["central"])
    sw["switching_value"] = signif(sw["switching_value"])
    sw["change_pct"] = sw["change_pct"].astype(float).round(1)
    mcs = t["mc_summary"].drop(columns=["uncertain_inputs"]).copy()
    is_ratio = mcs["metric"].astype(str).eq("bcr").to_numpy()
    for c in ("mean", "p5", "p50", "p95"):
        v = mcs[c].astype(float).to_numpy()
        mcs[c] = np.where(is_ratio, np.round(v, RATIO_DIGITS), to_penny(v))
    mcs["prob_positive"] = mcs["prob_positive"].astype(float).round(PROB_DIGITS)
    return {
        "options_results": res,
        "cash_flows": cf,
        "who_pays": money(t["who_pays"], ["pv_costs", "pv_benefits", "net"]),
        "discount_factors": dfac,
        "sensitivity_tornado": tor,
        "scenarios": scen,
        "switching_values": sw,
        "monte_carlo_summary": mcs,
    }


def key_figures(t: dict, params: dict, preferred: str, smk) -> dict:
    """The numbers and words the narrative needs (all rounded as published)."""
    res = t["results"].set_index(t["results"]["option_id"].astype(str))
    options = {}
    for oid, r in res.iterrows():
        options[oid] = {
            "name": str(r["name"]),
            "category": str(r["category"]),
            "npsv": money_value(r["npsv"]),
            "bcr": ratio_value(r["bcr"]),
            "vfm_category": scalar(r["vfm_category"]),
            "pv_costs": money_value(r["pv_costs"]),
            "pv_benefits": money_value(r["pv_benefits"]),
            "payback_year": year_value(r["payback_year"]),
            "financial_roi": ratio_value(r["financial_roi"]),
            "net_present_budget_impact": money_value(r["net_present_budget_impact"]),
            "financial_payback_year": year_value(r["financial_payback_year"]),
        }
    pref = options[preferred]
    mcs = t["mc_summary"]
    mc_row = mcs[(mcs["option_id"].astype(str) == preferred) & (mcs["metric"] == "npsv")].iloc[0]
    tor = t["tornado"][t["tornado"]["option_id"].astype(str) == preferred]
    sw = t["switching"][t["switching"]["option_id"].astype(str) == preferred]
    top = tor.iloc[0] if len(tor) else None
    top_sw = sw[sw["target"] == top["target"]].iloc[0] if top is not None else None
    scen = t["scenarios"][t["scenarios"]["option_id"].astype(str) == preferred]
    scen = scen.set_index("scenario")
    category = str(params["optimism_bias_category"])
    mitigation = float(params["optimism_bias_mitigation"])
    ranked = t["results"].sort_values(["npsv", "option_id"], ascending=[False, True])
    best = str(ranked["option_id"].iloc[0])
    return {
        "authority": smk.wildcards.authority,
        "authority_name": str(params.get("authority_name", "")),
        "price_base_year": str(params["price_base_year"]),
        "programme_price_base_year": str(smk.params.programme_price_base_year),
        "appraisal_years": int(params["appraisal_years"]),
        "discount_schedule": str(params.get("discount_schedule", "standard")),
        "discount_schedule_vintage": str(smk.params.vintage),
        "baseline_option_id": str(t["baseline_option_id"]),
        "options": options,
        "preferred_option_id": preferred,
        "preferred_option_name": pref["name"],
        "preferred_npsv": pref["npsv"],
        "preferred_bcr": pref["bcr"],
        "preferred_vfm_category": pref["vfm_category"],
        "preferred_payback_year": pref["payback_year"],
        "pays_back": pref["payback_year"] is not None,
        "best_npsv_option_id": str(best),
        "scenario_low_npsv": money_value(scen.loc["low", "npsv"]),
        "scenario_central_npsv": money_value(scen.loc["central", "npsv"]),
        "scenario_high_npsv": money_value(scen.loc["high", "npsv"]),
        "mc_draws": int(smk.params.draws),
        "mc_seed": int(smk.params.seed),
        "mc_prob_npsv_positive": ratio_value(mc_row["prob_positive"], PROB_DIGITS),
        "mc_mean": money_value(mc_row["mean"]),
        "mc_p5": money_value(mc_row["p5"]),
        "mc_p50": money_value(mc_row["p50"]),
        "mc_p95": money_value(mc_row["p95"]),
        "most_sensitive_input": None if top is None else str(top["target"]),
        "most_sensitive_parameter": None if top is None else str(top["parameter"]),
        "most_sensitive_swing": None if top is None else money_value(top["swing"]),
        "most_sensitive_central": None if top is None else scalar(signif(top_sw["central"])),
        "most_sensitive_switching_value": (
            None if top_sw is None else scalar(signif(top_sw["switching_value"]))
        ),
        "most_sensitive_switching_change_pct": (
            None if top_sw is None else ratio_value(top_sw["change_pct"], 1)
        ),
        "optimism_bias_category": category,
        "optimism_bias_mitigation": mitigation,
        "optimism_bias_uplift": round(
            optimism_bias_uplift(category, mitigation, "capital_expenditure"), 4
        ),
        "optimism_bias_uplift_operating": round(
            optimism_bias_uplift(category, mitigation, "operating_expenditure"), 4
        ),
    }


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    t = {
        "results": read_csv(smk.input.results),
        "cash_flows": read_csv(smk.input.cash_flows),
        "who_pays": read_csv(smk.input.who_pays),
        "discount_factors": read_csv(smk.input.discount_factors),
        "tornado": read_csv(smk.input.tornado),
        "scenarios": read_csv(smk.input.scenarios),
        "switching": read_csv(smk.input.switching),
        "mc_summary": read_csv(smk.input.mc_summary),
    }
    params = parameters_dict(read_ingested(smk.input.parameters))
    options = read_ingested(smk.input.options)
    options_costs = read_ingested(smk.input.costs)
    preferred = preferred_option_id(options)
    bau = options.loc[options["category"].astype(str) == "bau", "option_id"].astype(str)
    t["baseline_option_id"] = bau.iloc[0]
    if str(params["price_base_year"]) != str(smk.params.programme_price_base_year):
        log.warning(
            "parameters.csv price_base_year differs from the programme's; cross-council "
            "comparisons are then in different price bases"
        )

    for name, df in published_tables(t).items():
        write_published_csv(df, smk.output[name], [], rule)
    nominal = nominal_cash(
        read_csv(smk.input.cost_lines),
        read_csv(smk.input.benefit_flows),
        str(params["price_base_year"]),
        read_gdp_deflators(),
    )
    nominal_money = [
        "capital",
        "revenue_and_staff",
        "total_costs",
        "fiscal_benefits",
        "cashable_benefits",
    ]
    nominal = money(nominal, nominal_money)
    nominal["deflator_index"] = nominal["deflator_index"].round(2)
    write_published_csv(nominal, smk.output.nominal_cash, [], rule)
    write_published_csv(cost_lines_table(options_costs), smk.output.cost_lines, [], rule)

    results = t["results"].set_index(t["results"]["option_id"].astype(str))
    pb = results.loc[preferred, "payback_year"]
    cost_figures.cumulative_cash_flow_figure(
        t["cash_flows"], preferred, smk.output.fig_cash_flow, year_value(pb)
    )
    tor = t["tornado"][t["tornado"]["option_id"].astype(str) == preferred]
    # readable bar labels: the input's name from uncertainty.csv and the item it applies to
    items = tor["target"].astype(str).str.split(":").str[2]
    tor = tor.assign(label=tor["parameter"].astype(str) + " (" + items + ")")
    cost_figures.tornado_figure(tor, smk.output.fig_tornado)
    draws = read_csv(smk.input.mc_draws)
    cost_figures.monte_carlo_figure(draws, smk.output.fig_monte_carlo)

    write_yaml(key_figures(t, params, preferred, smk), smk.output.key_figures)
    log.info("published costs outputs for %s", smk.wildcards.authority)


run_script(snakemake, main)
