"""Publishing one council's cost-benefit results: rounded tables, key figures and figures.

The inputs are the full-precision internal tables of the appraisal and the uncertainty
analyses plus the ingested parameters, options and costs. Rounding follows
:mod:`analysis.costs.precision` (money to the penny); what is published is documented in
``docs/outputs/costs.md``. The cost model holds no counts of people, so there is nothing for
disclosure control to suppress; the workflow still writes every table through
:func:`analysis.core.disclosure.write_published_csv` (a uniform publish path, text
neutralised against spreadsheet formula injection).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.costs import figures
from analysis.costs.financial import nominal_cash
from analysis.costs.inputs import (
    baseline_option_id,
    parameters_dict,
    preferred_option_id,
    read_ingested,
)
from analysis.costs.optimism_bias import optimism_bias_uplift
from analysis.costs.precision import (
    CHANGE_PCT_DIGITS,
    FACTOR_DIGITS,
    INDEX_DIGITS,
    PROB_DIGITS,
    RATIO_DIGITS,
    money_columns,
    money_value,
    ratio_columns,
    ratio_value,
    scalar,
    signif,
    to_penny,
    year_columns,
    year_value,
)
from analysis.costs.reference import read_gdp_deflators

#: Inputs of ``costs_publish``: internal tables of the appraisal and the uncertainty analyses,
#: then the ingested tables it needs.
AUTHORITY_INPUTS = (
    "results",
    "cash_flows",
    "who_pays",
    "discount_factors",
    "tornado",
    "scenarios",
    "switching",
    "mc_summary",
    "mc_draws",
    "prepared_costs",
    "benefit_flows",
    "parameters",
    "options",
    "costs",
)
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
NOMINAL_MONEY = ["capital", "revenue_and_staff", "total_costs", "fiscal_benefits"]
NOMINAL_MONEY += ["cashable_benefits"]
COST_LINE_KEYS = ["option_id", "line_id", "description", "cost_type", "sourcing"]


def read_tables(paths: Mapping, names) -> dict[str, pd.DataFrame]:
    """``{name: table}`` for each of ``names`` (an ``authority`` column ingest adds is dropped)."""
    return {name: read_ingested(paths[name]) for name in names}


def published_tables(t: dict) -> dict[str, pd.DataFrame]:
    """Rounded copies of the internal tables (money to the penny, ratios to 2 dp)."""
    res = year_columns(
        ratio_columns(money_columns(t["results"], RESULT_MONEY), ["bcr", "financial_roi"]),
        ["payback_year", "financial_payback_year"],
    )
    cf = money_columns(t["cash_flows"], CASH_MONEY)
    cf["discount_factor"] = cf["discount_factor"].astype(float).round(FACTOR_DIGITS)
    dfac = t["discount_factors"].copy()
    dfac["discount_factor"] = dfac["discount_factor"].astype(float).round(FACTOR_DIGITS)
    tor = money_columns(t["tornado"], ["npsv_low", "npsv_central", "npsv_high", "swing"])
    for c in ("low", "central", "high"):
        tor[c] = signif(tor[c])
    scen = ratio_columns(
        money_columns(t["scenarios"], ["pv_costs", "pv_benefits", "npsv"]), ["bcr"]
    )
    sw = t["switching"].copy()
    sw["central"] = signif(sw["central"])
    sw["switching_value"] = signif(sw["switching_value"])
    sw["change_pct"] = sw["change_pct"].astype(float).round(CHANGE_PCT_DIGITS)
    mcs = t["mc_summary"].drop(columns=["uncertain_inputs"]).copy()
    is_ratio = mcs["metric"].astype(str).eq("bcr").to_numpy()
    for c in ("mean", "p5", "p50", "p95"):
        v = mcs[c].astype(float).to_numpy()
        mcs[c] = np.where(is_ratio, np.round(v, RATIO_DIGITS), to_penny(v))
    mcs["prob_positive"] = mcs["prob_positive"].astype(float).round(PROB_DIGITS)
    return {
        "options_results": res,
        "cash_flows": cf,
        "who_pays": money_columns(t["who_pays"], ["pv_costs", "pv_benefits", "net"]),
        "discount_factors": dfac,
        "sensitivity_tornado": tor,
        "scenarios": scen,
        "switching_values": sw,
        "monte_carlo_summary": mcs,
    }


def cost_lines_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Each option's cost lines with their amounts as entered, summed over the years.

    ``costs`` is the ingested ``costs.csv`` (one row per line and year). Amounts are in the
    prices the council entered them (not deflated, no optimism bias, not discounted), money
    to the penny. Columns ``option_id, line_id, description, cost_type, sourcing, amount``,
    lines in input order. ``dropna=False`` keeps a line whose key cell is empty instead of
    dropping it (the data contract requires them all today).
    """
    g = costs.groupby(COST_LINE_KEYS, sort=False, dropna=False)["amount"].sum()
    return money_columns(g.reset_index(), ["amount"])


def nominal_table(
    prepared_costs: pd.DataFrame,
    flows: pd.DataFrame,
    price_base_year: str,
    deflators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The financial case in nominal cash (:func:`nominal_cash`), rounded for publication."""
    deflators = read_gdp_deflators() if deflators is None else deflators
    out = money_columns(
        nominal_cash(prepared_costs, flows, price_base_year, deflators), NOMINAL_MONEY
    )
    out["deflator_index"] = out["deflator_index"].round(INDEX_DIGITS)
    return out


def _option_figures(r) -> dict:
    return {
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


def _of_option(df: pd.DataFrame, option_id: str) -> pd.DataFrame:
    return df[df["option_id"].astype(str) == option_id]


def authority_key_figures(
    t: dict,
    *,
    authority: str,
    programme_price_base_year: str,
    vintage: str,
    draws: int,
    seed: int,
) -> dict:
    """The numbers and words the narrative needs, rounded as published.

    Keys are documented in ``docs/outputs/costs.md`` and fixed by
    ``workflow/schemas/key_figures/costs_authority.schema.yaml``.
    """
    params = parameters_dict(t["parameters"])
    preferred = preferred_option_id(t["options"])
    res = t["results"].set_index(t["results"]["option_id"].astype(str))
    options = {oid: _option_figures(r) for oid, r in res.iterrows()}
    pref = options[preferred]
    mcs = _of_option(t["mc_summary"], preferred)
    mc_row = mcs[mcs["metric"] == "npsv"].iloc[0]
    tor = _of_option(t["tornado"], preferred)
    sw = _of_option(t["switching"], preferred)
    top = tor.iloc[0] if len(tor) else None
    top_sw = sw[sw["target"] == top["target"]].iloc[0] if top is not None else None
    scen = _of_option(t["scenarios"], preferred).set_index("scenario")
    category = str(params["optimism_bias_category"])
    mitigation = float(params["optimism_bias_mitigation"])
    ranked = t["results"].sort_values(["npsv", "option_id"], ascending=[False, True])
    return {
        "authority": authority,
        "authority_name": str(params.get("authority_name", "")),
        "price_base_year": str(params["price_base_year"]),
        "programme_price_base_year": str(programme_price_base_year),
        "appraisal_years": int(params["appraisal_years"]),
        "discount_schedule": str(params.get("discount_schedule", "standard")),
        "discount_schedule_vintage": str(vintage),
        "baseline_option_id": baseline_option_id(t["options"]),
        "options": options,
        "preferred_option_id": preferred,
        "preferred_option_name": pref["name"],
        "preferred_npsv": pref["npsv"],
        "preferred_bcr": pref["bcr"],
        "preferred_vfm_category": pref["vfm_category"],
        "preferred_payback_year": pref["payback_year"],
        "pays_back": pref["payback_year"] is not None,
        "best_npsv_option_id": str(ranked["option_id"].iloc[0]),
        "scenario_low_npsv": money_value(scen.loc["low", "npsv"]),
        "scenario_central_npsv": money_value(scen.loc["central", "npsv"]),
        "scenario_high_npsv": money_value(scen.loc["high", "npsv"]),
        "mc_draws": int(draws),
        "mc_seed": int(seed),
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
            None if top_sw is None else ratio_value(top_sw["change_pct"], CHANGE_PCT_DIGITS)
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


@dataclass
class Publication:
    """What :func:`publish_authority` returns: tables by output name, key figures, warnings."""

    tables: dict[str, pd.DataFrame]
    key_figures: dict
    warnings: list[str] = field(default_factory=list)


def publish_authority(
    t: dict,
    *,
    authority: str,
    programme_price_base_year: str,
    vintage: str,
    draws: int,
    seed: int,
    deflators: pd.DataFrame | None = None,
) -> Publication:
    """Every published table of one council (keyed by output name) and its key figures.

    ``t`` holds the tables named in :data:`AUTHORITY_INPUTS`.
    """
    params = parameters_dict(t["parameters"])
    tables = published_tables(t)
    tables["nominal_cash"] = nominal_table(
        t["prepared_costs"], t["benefit_flows"], str(params["price_base_year"]), deflators
    )
    tables["cost_lines"] = cost_lines_table(t["costs"])
    kf = authority_key_figures(
        t,
        authority=authority,
        programme_price_base_year=programme_price_base_year,
        vintage=vintage,
        draws=draws,
        seed=seed,
    )
    warnings = []
    if str(params["price_base_year"]) != str(programme_price_base_year):
        warnings.append(
            "parameters.csv price_base_year differs from the programme's; cross-council "
            "comparisons are then in different price bases"
        )
    return Publication(tables, kf, warnings)


def tornado_labels(tornado: pd.DataFrame) -> pd.Series:
    """Readable bar labels: the input's name from ``uncertainty.csv`` and the item it applies to."""
    items = tornado["target"].astype(str).str.split(":").str[2]
    return tornado["parameter"].astype(str) + " (" + items + ")"


def authority_figures(t: dict, paths: Mapping) -> None:
    """Draw the preferred option's three figures to ``paths`` (``fig_cash_flow``,
    ``fig_tornado``, ``fig_monte_carlo``), each a PNG with its alt text, from full precision."""
    preferred = preferred_option_id(t["options"])
    res = _of_option(t["results"], preferred).iloc[0]
    figures.cumulative_cash_flow_figure(
        t["cash_flows"], preferred, paths["fig_cash_flow"], year_value(res["payback_year"])
    )
    tor = _of_option(t["tornado"], preferred)
    figures.tornado_figure(tor.assign(label=tornado_labels(tor)), paths["fig_tornado"])
    figures.monte_carlo_figure(t["mc_draws"], paths["fig_monte_carlo"])
