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
from analysis.costs.decision import DEFAULT_CONSTRAINTS, read_decision
from analysis.costs.financial import affordability_summary, nominal_cash
from analysis.costs.inputs import baseline_option_id, parameters_dict, read_ingested
from analysis.costs.optimism_bias import optimism_bias_uplift, uplift_basis
from analysis.costs.precision import (
    CHANGE_PCT_DIGITS,
    FACTOR_DIGITS,
    INDEX_DIGITS,
    RATIO_DIGITS,
    money_columns,
    money_value,
    probability,
    ratio_columns,
    ratio_value,
    scalar,
    signif,
    to_penny,
    year_columns,
    year_value,
)
from analysis.costs.reference import read_gdp_deflators
from analysis.costs.results import lower_rate_test_applies
from analysis.costs.unit_values import benefit_sources_table

#: What the publishing step of ``costs_authority`` reads (:mod:`analysis.costs.job`): internal tables of the appraisal and the uncertainty analyses,
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
    "mc_inputs",
    "decision",
    "affordability",
    "prepared_costs",
    "benefit_flows",
    "parameters",
    "options",
    "costs",
    "benefit_values",
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
    "npsv_lower_rate_test",
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
AFFORD_MONEY = ["capital", "revenue_and_staff", "costs", "cashable_benefits", "net"]
AFFORD_MONEY += ["cumulative_net"]
DECISION_MONEY = ["pv_costs", "pv_benefits", "npsv", "nominal_costs_total"]
DECISION_MONEY += ["nominal_cashable_total", "net_nominal_cost", "affordability_gap"]
COST_LINE_KEYS = ["option_id", "line_id", "description", "cost_type", "sourcing"]
#: Columns of the prepared cost lines (:func:`analysis.costs.results.prepare_costs`) that the
#: published cost lines carry when given them: who pays, and the uplift each line carries.
COST_LINE_EXTRA = ["agency", "confidence_grade", "hmt_uplift", "grade_uplift", "ob_uplift"]
UPLIFT_DIGITS = 4


def read_tables(paths: Mapping, names) -> dict[str, pd.DataFrame]:
    """``{name: table}`` for each of ``names`` (an ``authority`` column ingest adds is dropped)."""
    return {name: read_ingested(paths[name]) for name in names}


def published_tables(t: dict) -> dict[str, pd.DataFrame]:
    """Rounded copies of the internal tables (money to the penny, ratios to 2 dp)."""
    ratios = [c for c in ("bcr", "financial_roi", "incremental_bcr") if c in t["results"]]
    years = ["payback_year", "financial_payback_year", "cash_payback_year"]
    res = year_columns(
        ratio_columns(money_columns(t["results"], RESULT_MONEY), ratios),
        [c for c in years if c in t["results"]],
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
    sw = money_columns(t["switching"], ["npsv_central"])
    sw["central"] = signif(sw["central"])
    sw["switching_value"] = signif(sw["switching_value"])
    sw["change_pct"] = sw["change_pct"].astype(float).round(CHANGE_PCT_DIGITS)
    for c in ("admissible_low", "admissible_high"):  # empty = unbounded
        v = sw[c].astype(float)
        sw[c] = v.where(np.isfinite(v))
    mci = t["mc_inputs"].copy()
    for c in ("low", "central", "high"):
        mci[c] = signif(mci[c])
    mcs = t["mc_summary"].drop(columns=["uncertain_inputs"]).copy()
    is_ratio = mcs["metric"].astype(str).eq("bcr").to_numpy()
    for c in ("mean", "p5", "p50", "p95"):
        v = mcs[c].astype(float).to_numpy()
        mcs[c] = np.where(is_ratio, np.round(v, RATIO_DIGITS), to_penny(v))
    mcs["prob_positive"] = [probability(p) for p in mcs["prob_positive"]]
    dec = ratio_columns(money_columns(t["decision"], DECISION_MONEY), ["bcr"])
    dec["rank"] = dec["rank"].astype("Int64")
    aff = money_columns(t["affordability"], AFFORD_MONEY)
    aff["deflator_index"] = aff["deflator_index"].astype(float).round(INDEX_DIGITS)
    return {
        "options_results": res,
        "cash_flows": cf,
        "who_pays": money_columns(t["who_pays"], ["pv_costs", "pv_benefits", "net"]),
        "discount_factors": dfac,
        "sensitivity_tornado": tor,
        "scenarios": scen,
        "switching_values": sw,
        "monte_carlo_summary": mcs,
        "monte_carlo_inputs": mci,
        "options_decision": dec,
        "affordability": aff,
    }


def cost_lines_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Each option's cost lines with their amounts as entered, summed over the years.

    ``costs`` is the ingested ``costs.csv`` or the prepared cost lines (one row per line and
    year). Amounts are in the prices the council entered them (not deflated, no optimism
    bias, not discounted), money to the penny. Columns ``option_id, line_id, description,
    cost_type, sourcing``, then those of :data:`COST_LINE_EXTRA` the table has (``agency``;
    from the prepared lines, the ``confidence_grade``, the HM Treasury and confidence-grade
    uplifts and the ``ob_uplift`` applied, to 4 decimals), ``uplift_basis``
    (:func:`analysis.costs.optimism_bias.uplift_basis`) with them, and ``amount``; lines in
    input order. ``dropna=False`` keeps a line whose key cell is empty instead of dropping it
    (the data contract requires them all today).
    """
    keys = COST_LINE_KEYS + [c for c in COST_LINE_EXTRA if c in costs.columns]
    g = costs.groupby(keys, sort=False, dropna=False)["amount"].sum().reset_index()
    if "ob_uplift" in g:
        for c in ("hmt_uplift", "grade_uplift", "ob_uplift"):
            g[c] = g[c].astype(float).round(UPLIFT_DIGITS)
        g.insert(len(keys), "uplift_basis", uplift_basis(g["hmt_uplift"], g["grade_uplift"]))
    return money_columns(g, ["amount"])


def nominal_table(
    prepared_costs: pd.DataFrame,
    flows: pd.DataFrame,
    price_base_year: str,
    deflators: pd.DataFrame | None = None,
    contingency: float = 0.0,
) -> pd.DataFrame:
    """The financial case in nominal cash (:func:`nominal_cash`, costs with the council's
    ``contingency`` where it exceeds the uplift), rounded for publication."""
    deflators = read_gdp_deflators() if deflators is None else deflators
    out = money_columns(
        nominal_cash(prepared_costs, flows, price_base_year, deflators, contingency),
        NOMINAL_MONEY,
    )
    out["deflator_index"] = out["deflator_index"].round(INDEX_DIGITS)
    return out


#: The affordability figures of each option (and of the preferred way forward) in the key
#: figures: :func:`analysis.costs.financial.affordability_summary`, nominal cash.
AFFORD_FIGURES = ["nominal_capital", "nominal_revenue_and_staff", "nominal_costs_total"]
AFFORD_FIGURES += ["nominal_cashable_total", "net_nominal_cost", "affordability_gap"]


def _option_figures(r, d, f) -> dict:
    """One option's key figures: results row ``r``, decision row ``d``, affordability ``f``."""
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
        "npsv_lower_rate_test": money_value(r["npsv_lower_rate_test"]),
        "offers_vfm": d["offers_vfm"] == "yes",
        "eligible": d["eligible"] == "yes",
        "eligibility": str(d["eligibility"]),
        "rank": year_value(d["rank"]),
        "recommended": d["recommended"] == "yes",
        **{k: money_value(f[k]) for k in AFFORD_FIGURES},
    }


def _of_option(df: pd.DataFrame, option_id: str) -> pd.DataFrame:
    return df[df["option_id"].astype(str) == option_id]


def _uncertainty_figures(t: dict, oid: str | None) -> dict:
    """Scenario, Monte Carlo and sensitivity figures of ``oid`` (all None when it is None:
    business as usual is recommended, so there is no option to analyse)."""
    keys = ["scenario_low_npsv", "scenario_central_npsv", "scenario_high_npsv"]
    keys += ["mc_prob_npsv_positive", "mc_mean", "mc_p5", "mc_p50", "mc_p95"]
    keys += ["mc_uncertain_inputs", "most_sensitive_input", "most_sensitive_parameter"]
    keys += ["most_sensitive_swing", "most_sensitive_central", "most_sensitive_switching_value"]
    keys += ["most_sensitive_switching_change_pct"]
    if oid is None:
        return dict.fromkeys(keys)
    mcs = _of_option(t["mc_summary"], oid)
    mc_row = mcs[mcs["metric"] == "npsv"].iloc[0]
    tor = _of_option(t["tornado"], oid)
    sw = _of_option(t["switching"], oid)
    top = tor.iloc[0] if len(tor) else None
    top_sw = sw[sw["target"] == top["target"]].iloc[0] if top is not None else None
    scen = _of_option(t["scenarios"], oid).set_index("scenario")
    return {
        "scenario_low_npsv": money_value(scen.loc["low", "npsv"]),
        "scenario_central_npsv": money_value(scen.loc["central", "npsv"]),
        "scenario_high_npsv": money_value(scen.loc["high", "npsv"]),
        "mc_prob_npsv_positive": probability(mc_row["prob_positive"]),
        "mc_mean": money_value(mc_row["mean"]),
        "mc_p5": money_value(mc_row["p5"]),
        "mc_p50": money_value(mc_row["p50"]),
        "mc_p95": money_value(mc_row["p95"]),
        "mc_uncertain_inputs": int(mc_row["uncertain_inputs"]),
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
    }


def authority_key_figures(
    t: dict,
    *,
    authority: str,
    programme_price_base_year: str,
    vintage: str,
    draws: int,
    seed: int,
    constraints: Mapping | None = None,
) -> dict:
    """The numbers and words the narrative needs, rounded as published.

    ``constraints`` are the decision rule's (:func:`analysis.costs.decision.decision_constraints`;
    default :data:`~analysis.costs.decision.DEFAULT_CONSTRAINTS`), reported as ``decision_*``.

    ``preferred_*`` describe the preferred way forward by the decision rule
    (:mod:`analysis.costs.decision`): when it recommends business as usual they describe BAU
    (NPSV 0, no BCR, no payback) and the scenario, Monte Carlo and sensitivity figures are
    null; the workbook's proposal is ``proposed_option_id`` (its figures are under
    ``options``). Keys are documented in ``docs/outputs/costs.md`` and fixed by
    ``workflow/schemas/key_figures/costs_authority.schema.yaml``.
    """
    params = parameters_dict(t["parameters"])
    dec = read_decision(t["decision"])
    used = {**DEFAULT_CONSTRAINTS, **dict(constraints or {})}
    chosen = dec.preferred_option_id
    res = t["results"].set_index(t["results"]["option_id"].astype(str))
    drows = t["decision"].set_index(t["decision"]["option_id"].astype(str))
    aff = affordability_summary(t["affordability"]).set_index("option_id")
    options = {oid: _option_figures(r, drows.loc[oid], aff.loc[oid]) for oid, r in res.iterrows()}
    bau = dec.recommends_bau
    pref = {"name": str(drows.loc[chosen, "name"]), "npsv": 0.0, "bcr": None}
    pref |= {"vfm_category": None, "payback_year": None} | dict.fromkeys(AFFORD_FIGURES, 0.0)
    if not bau:
        pref = options[chosen]
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
        "lower_rate_test_applies": lower_rate_test_applies(
            int(params["appraisal_years"]),
            str(params.get("discount_schedule", "standard")),
            str(vintage),
        ),  # fmt: skip
        **deflator_figures(),
        "baseline_option_id": baseline_option_id(t["options"]),
        "options": options,
        "preferred_option_id": chosen,
        "proposed_option_id": dec.proposed_option_id,
        "proposal_agrees": dec.proposal_agrees,
        "recommendation_reason": dec.reason,
        "options_offering_vfm": list(dec.options_offering_vfm),
        "decision_min_bcr": float(used["min_bcr"]),
        "decision_affordability_limit": used["affordability_limit"],
        "preferred_option_name": pref["name"],
        "preferred_npsv": pref["npsv"],
        "preferred_bcr": pref["bcr"],
        "preferred_vfm_category": pref["vfm_category"],
        "preferred_payback_year": pref["payback_year"],
        "pays_back": pref["payback_year"] is not None,
        "best_npsv_option_id": str(ranked["option_id"].iloc[0]),
        **{k: pref[k] for k in AFFORD_FIGURES},
        **_uncertainty_figures(t, None if bau else chosen),
        "mc_draws": int(draws),
        "mc_seed": int(seed),
        "optimism_bias_category": category,
        "optimism_bias_mitigation": mitigation,
        "optimism_bias_uplift": round(
            optimism_bias_uplift(category, mitigation, "capital_expenditure"), 4
        ),
        "optimism_bias_uplift_operating": round(
            optimism_bias_uplift(category, mitigation, "operating_expenditure"), 4
        ),
    }


def deflator_figures(deflators: pd.DataFrame | None = None) -> dict:
    """Which GDP deflator release the appraisal used, as cited, and whether every value was
    checked against HM Treasury's own file (``analysis/data/gdp_deflators.csv``)."""
    d = read_gdp_deflators() if deflators is None else deflators
    vintages = sorted(set(d["vintage"].astype(str)))
    return {
        "deflator_vintage": ";".join(vintages),
        "deflator_release": str(d["source"].iloc[0]),
        "deflators_checked": bool(d["verified"].astype(str).str.lower().eq("true").all()),
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
    constraints: Mapping | None = None,
    contingency: float = 0.0,
) -> Publication:
    """Every published table of one council (keyed by output name) and its key figures.

    ``t`` holds the tables named in :data:`AUTHORITY_INPUTS`; ``contingency`` is the
    council's contingency share (:func:`analysis.costs.decision.contingency_share`).
    """
    params = parameters_dict(t["parameters"])
    tables = published_tables(t)
    tables["nominal_cash"] = nominal_table(
        t["prepared_costs"], t["benefit_flows"], str(params["price_base_year"]), deflators,
        contingency,
    )  # fmt: skip
    tables["cost_lines"] = cost_lines_table(t["prepared_costs"])
    tables["benefit_sources"] = benefit_sources_table(
        t["benefit_values"], str(params["price_base_year"]), deflators
    )
    kf = authority_key_figures(
        t,
        authority=authority,
        programme_price_base_year=programme_price_base_year,
        vintage=vintage,
        draws=draws,
        seed=seed,
        constraints=constraints,
    )
    warnings = []
    if kf["mc_uncertain_inputs"] == 0:
        warnings.append(
            f"the preferred way forward '{kf['preferred_option_id']}' has no uncertain input in "
            "uncertainty.csv: its sensitivity and Monte Carlo show no spread"
        )
    if not kf["proposal_agrees"]:
        warnings.append(
            f"the decision rule prefers '{kf['preferred_option_id']}' "
            f"({kf['recommendation_reason']}), not the proposed '{kf['proposed_option_id']}'"
        )
    if str(params["price_base_year"]) != str(programme_price_base_year):
        warnings.append(
            "parameters.csv price_base_year differs from the programme's; cross-council "
            "comparisons are then in different price bases"
        )
    return Publication(tables, kf, warnings)


def tornado_labels(tornado: pd.DataFrame) -> pd.Series:
    """Readable bar labels: the input's name from ``uncertainty.csv``. Only where two inputs
    share a name is the cost or benefit line they apply to added, so a reader never sees a
    line id ("O1") that the report does not explain otherwise (issue 12, point 9)."""
    names = tornado["parameter"].astype(str)
    parts = tornado["target"].astype(str).str.split(":")
    kind = parts.str[0].map({"costs": "cost line", "benefits": "benefit"}).fillna("item")
    clash = names.duplicated(keep=False)
    return names.where(~clash, names + " (" + kind + " " + parts.str[2] + ")")


def _option_name(t: dict, option_id: str) -> str:
    """The option's name as the council's workbook gives it (its id when the table is absent)."""
    opts = t.get("options")
    if opts is None or "name" not in opts.columns:
        return str(option_id)
    hit = opts.loc[opts["option_id"].astype(str) == str(option_id), "name"]
    return str(hit.iloc[0]) if len(hit) else str(option_id)


def authority_figures(t: dict, paths: Mapping) -> None:
    """Draw the preferred way forward's three figures to ``paths`` (``fig_cash_flow``,
    ``fig_tornado``, ``fig_monte_carlo``), each a PNG with its alt text, from full precision.

    When the decision rule recommends business as usual there is no option to chart: each
    figure is a notice saying so (the proposal's figures are in the options tables).
    """
    dec = read_decision(t["decision"])
    oid = dec.preferred_option_id
    if dec.recommends_bau:
        text = (
            "No option offers value for money within the council's constraints, so the "
            "appraisal recommends business as usual; there is no preferred option to chart."
        )
        for key in ("fig_cash_flow", "fig_tornado", "fig_monte_carlo"):
            figures.notice_figure(text, paths[key])
        return
    res = _of_option(t["results"], oid).iloc[0]
    figures.cumulative_cash_flow_figure(
        t["cash_flows"],
        oid,
        paths["fig_cash_flow"],
        year_value(res["payback_year"]),
        option_name=_option_name(t, oid),
    )
    tor = _of_option(t["tornado"], oid)
    figures.tornado_figure(tor.assign(label=tornado_labels(tor)), paths["fig_tornado"])
    figures.monte_carlo_figure(_of_option(t["mc_draws"], oid), paths["fig_monte_carlo"])
