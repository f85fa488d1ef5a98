"""Appraisal results: every option against business as usual (economic and financial case).

Costs are taken to real base-year prices (:mod:`analysis.costs.prices`) and uplifted for
optimism bias (:mod:`analysis.costs.optimism_bias`); benefits follow the outcome chain
(:mod:`analysis.costs.benefits`); both are discounted (:mod:`analysis.costs.discounting`).
Results are **incremental to the business-as-usual option**
(:func:`~analysis.costs.inputs.baseline_option_id`): an option's costs and benefits minus
BAU's, year by year. NPSV, BCR and
the value-for-money band follow ``docs/reference/appraisal.md``, "Results and value for money";
the financial case (net present budget impact, financial ROI, who pays and who benefits) the
local-partnerships guidance summarised there. Which option is preferred is decided from these
results by :mod:`analysis.costs.decision`; the financial case in nominal cash is
:mod:`analysis.costs.financial`.

Every function is pure: DataFrames and plain values in, tidy DataFrames out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year
from analysis.costs.benefits import benefit_flows, prepare_benefits
from analysis.costs.discounting import discount_factor_table, present_value, resolve_vintage
from analysis.costs.inputs import as_parameters, baseline_option_id, check_option_ids
from analysis.costs.optimism_bias import (
    applied_uplift,
    grade_values,
    optimism_bias_uplift,
)
from analysis.costs.prices import deflator_index
from analysis.costs.reference import (
    read_confidence_grades,
    read_discount_schedules,
    read_gdp_deflators,
    read_optimism_bias,
)

VFM_BANDS = ("very_poor", "poor", "low", "medium", "high", "very_high")


def prepare_costs(
    costs: pd.DataFrame,
    parameters: dict,
    deflators: pd.DataFrame | None = None,
    optimism_bias: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cost rows in real base-year prices with their optimism-bias uplift.

    Adds ``financial_year, real_factor, amount_real, hmt_uplift, grade_uplift, ob_uplift,
    amount_adjusted``. ``amount_real`` = amount x real_factor, where real_factor =
    index(base) / index(price_year) for real rows and index(base) / index(year's own
    financial year) for nominal (cash) rows. ``amount_adjusted`` = amount_real x (1 + ob_uplift).
    """
    deflators = read_gdp_deflators() if deflators is None else deflators
    ob = read_optimism_bias() if optimism_bias is None else optimism_bias
    grades = read_confidence_grades() if confidence_grades is None else confidence_grades
    n = int(parameters["appraisal_years"])
    base = normalise_financial_year(parameters["price_base_year"])
    out = costs.copy()
    out["year"] = out["year"].astype(int)
    if ((out["year"] < 0) | (out["year"] >= n)).any():
        raise ValueError(f"costs.csv: column year must be between 0 and {n - 1}")
    prices = out["prices"].astype(str).str.strip().str.lower()
    if not prices.isin(["real", "nominal"]).all():
        raise ValueError("costs.csv: column prices must be 'real' or 'nominal'")
    idx = deflator_index(deflators, base, through=add_financial_years(base, n - 1))
    out["financial_year"] = [add_financial_years(base, y) for y in out["year"]]
    ref_year = np.where(
        prices == "nominal",
        out["financial_year"],
        [normalise_financial_year(p) for p in out["price_year"]],
    )
    missing = sorted(set(ref_year) - set(idx.index))
    if missing:
        raise ValueError("costs.csv: price_year outside the GDP deflator series")
    out["real_factor"] = 100.0 / idx.loc[ref_year].to_numpy()
    out["amount_real"] = out["amount"].astype(float) * out["real_factor"]

    category = parameters["optimism_bias_category"]
    mitigation = float(parameters["optimism_bias_mitigation"])
    capex = optimism_bias_uplift(category, mitigation, "capital_expenditure", ob)
    opex = optimism_bias_uplift(category, mitigation, "operating_expenditure", ob)
    is_capital = out["cost_type"].astype(str) == "capital"
    out["hmt_uplift"] = np.where(is_capital, capex, opex)
    out["grade_uplift"] = grade_values(grades, "cost_uplift", out["confidence_grade"])
    out["ob_uplift"] = applied_uplift(out["hmt_uplift"], out["grade_uplift"])
    out["amount_adjusted"] = out["amount_real"] * (1.0 + out["ob_uplift"])
    return out


def value_for_money_category(bcr) -> str | None:
    """DfT value-for-money band of a BCR (a boundary value belongs to the higher band).

    very poor <= 0 < poor < 1 <= low < 1.5 <= medium < 2 <= high < 4 <= very high. Returns
    None for a missing BCR (e.g. when the incremental PV cost is not positive). Source: DfT
    (2015) *Value for Money Framework*, as summarised in ``docs/reference/appraisal.md``,
    "Results and value for money".
    """
    if bcr is None or not np.isfinite(bcr):
        return None
    if bcr <= 0:
        return "very_poor"
    for edge, band in ((1.0, "poor"), (1.5, "low"), (2.0, "medium"), (4.0, "high")):
        if bcr < edge:
            return band
    return "very_high"


def payback_year(net_flows, factors) -> int | None:
    """First year in which the cumulative discounted net benefit is >= 0.

    Leading years with no flow at all are skipped (a cumulative 0 before anything has happened
    is not a payback). None when the cumulative never reaches 0.
    """
    net = np.asarray(net_flows, dtype=float)
    cum = np.cumsum(net * np.asarray(factors, dtype=float))
    started = np.cumsum(np.abs(net)) > 0
    hits = np.flatnonzero(started & (cum >= -1e-9))
    return int(hits[0]) if hits.size else None


@dataclass
class Appraisal:
    """All tables of one authority's appraisal (every money value in real base-year £)."""

    parameters: dict
    discount_factors: pd.DataFrame
    costs: pd.DataFrame  # prepared cost rows (prepare_costs)
    benefits: pd.DataFrame  # prepared outcome rows (prepare_benefits)
    benefit_flows: pd.DataFrame
    cash_flows: pd.DataFrame
    results: pd.DataFrame
    who_pays: pd.DataFrame
    baseline_option_id: str
    notes: list[str] = field(default_factory=list)


def _gross_by_option(prepared_costs, flows, options, n):
    opts = options["option_id"].astype(str).tolist()
    years = np.arange(n)
    c = (
        prepared_costs.assign(option_id=prepared_costs["option_id"].astype(str))
        .groupby(["option_id", "year"])["amount_adjusted"]
        .sum()
    )
    bsum = flows.groupby(["option_id", "year"])[["amount", "cashable_amount"]].sum()
    fis = flows[flows["value_type"] == "fiscal"].groupby(["option_id", "year"])["amount"].sum()
    idx = pd.MultiIndex.from_product([opts, years], names=["option_id", "year"])
    return pd.DataFrame(
        {
            "costs": c.reindex(idx, fill_value=0.0),
            "benefits": bsum["amount"].reindex(idx, fill_value=0.0),
            "fiscal_benefits": fis.reindex(idx, fill_value=0.0),
            "cashable_benefits": bsum["cashable_amount"].reindex(idx, fill_value=0.0),
        }
    ).reset_index()


def appraise(
    parameters: pd.DataFrame | dict,
    options: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    *,
    deflators: pd.DataFrame | None = None,
    optimism_bias: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
    discount_schedules: pd.DataFrame | None = None,
    vintage: str | None = None,
) -> Appraisal:
    """Appraise every option against business as usual (economic and financial case).

    ``results`` (one row per non-BAU option, in ``options`` order), all incremental to BAU:
    ``option_id, name, category, pv_costs, pv_benefits, npsv, bcr, vfm_category,
    pv_fiscal_benefits, pv_cashable_benefits, net_present_budget_impact, financial_roi,
    payback_year, financial_payback_year, gross_pv_costs, gross_pv_benefits,
    npsv_lower_rate_test`` (the 2026 edition's lower-rate test, NaN when it does not apply:
    :func:`lower_rate_test_applies`).

    * NPSV = PV benefits - PV costs; BCR = PV benefits / PV costs (None-band when PV costs <= 0).
    * Net present budget impact = PV **cashable** fiscal benefits - PV costs (costs as adjusted
      for optimism bias, as everywhere): only budgets that can actually be released count
      towards affordability. ``financial_payback_year`` is the payback of that budget flow
      (cashable benefits - costs); ``payback_year`` uses all (public value) benefits.
    * Financial ROI = PV fiscal benefits (cashable or not) / PV costs (GMCA convention: £ of
      fiscal value per £1 spent). It measures fiscal value, not affordability.
    * ``gross_*`` are the option's own PVs before subtracting BAU.

    ``cash_flows``: ``option_id, year, discount_factor, costs, benefits, fiscal_benefits,
    cashable_benefits, incremental_costs, incremental_benefits, net_benefit,
    discounted_net_benefit, cumulative_discounted_net_benefit``.
    ``who_pays``: ``option_id, agency, pv_costs, pv_benefits, net`` (incremental; economic and
    social value appear as agencies ``economy`` and ``society``).
    """
    params = as_parameters(parameters)
    n = int(params["appraisal_years"])
    schedule = str(params.get("discount_schedule", "standard"))
    params["discount_schedule_vintage"] = resolve_vintage(schedule, vintage, discount_schedules)
    df_table = discount_factor_table(n, schedule, vintage, discount_schedules)
    factors = df_table["discount_factor"].to_numpy()
    bau = baseline_option_id(options)

    check_option_ids(options, costs, benefits)
    pc = prepare_costs(costs, params, deflators, optimism_bias, confidence_grades)
    pb = prepare_benefits(benefits, params, deflators, confidence_grades)
    flows = benefit_flows(pb, n)
    gross = _gross_by_option(pc, flows, options, n)

    base = gross[gross["option_id"] == bau].set_index("year")
    cf = gross.copy()
    cf.insert(2, "discount_factor", np.tile(factors, len(options)))
    cf["incremental_costs"] = cf["costs"] - base["costs"].reindex(cf["year"]).to_numpy()
    cf["incremental_benefits"] = cf["benefits"] - base["benefits"].reindex(cf["year"]).to_numpy()
    cf["net_benefit"] = cf["incremental_benefits"] - cf["incremental_costs"]
    cf["discounted_net_benefit"] = cf["net_benefit"] * cf["discount_factor"]
    cf["cumulative_discounted_net_benefit"] = cf.groupby("option_id")[
        "discounted_net_benefit"
    ].cumsum()

    rows = []
    for opt in options.itertuples(index=False):
        oid = str(opt.option_id)
        if oid == bau:
            continue
        g = gross[gross["option_id"] == oid].set_index("year")
        inc = {k: g[k].to_numpy() - base[k].to_numpy() for k in g.columns if k != "option_id"}
        pvc = float(present_value(inc["costs"], factors))
        pvb = float(present_value(inc["benefits"], factors))
        pvf = float(present_value(inc["fiscal_benefits"], factors))
        pvcash = float(present_value(inc["cashable_benefits"], factors))
        bcr = pvb / pvc if pvc > 0 else np.nan
        rows.append(
            {
                "option_id": oid,
                "name": str(opt.name),
                "category": str(opt.category),
                "pv_costs": pvc,
                "pv_benefits": pvb,
                "npsv": pvb - pvc,
                "bcr": bcr,
                "vfm_category": value_for_money_category(bcr),
                "pv_fiscal_benefits": pvf,
                "pv_cashable_benefits": pvcash,
                "net_present_budget_impact": pvcash - pvc,
                "financial_roi": pvf / pvc if pvc > 0 else np.nan,
                "payback_year": payback_year(inc["benefits"] - inc["costs"], factors),
                "financial_payback_year": payback_year(
                    inc["cashable_benefits"] - inc["costs"], factors
                ),
                "gross_pv_costs": float(present_value(g["costs"].to_numpy(), factors)),
                "gross_pv_benefits": float(present_value(g["benefits"].to_numpy(), factors)),
            }
        )
    results = pd.DataFrame(rows)
    results["npsv_lower_rate_test"] = lower_rate_test_npsv(
        cf, results["option_id"], n, schedule, params["discount_schedule_vintage"],
        discount_schedules,
    )  # fmt: skip
    for col in ("payback_year", "financial_payback_year"):
        if col in results:
            results[col] = results[col].astype("Int64")

    who = who_pays_who_benefits(pc, flows, factors, options, bau)
    notes = [
        f"Results are incremental to the business-as-usual option '{bau}'.",
        f"Real {params['price_base_year']} prices; discount schedule '{schedule}' "
        f"(vintage {params['discount_schedule_vintage']}).",
    ]
    return Appraisal(params, df_table, pc, pb, flows, cf, results, who, bau, notes)


#: The Green Book (2026) asks for an additional sensitivity test at a lower discount rate for
#: proposals whose horizon is beyond this many years (``analysis/data/discount_schedules.csv``).
LOWER_RATE_TEST_HORIZON = 50
LOWER_RATE_TEST_SCHEDULE = "lower_rate_test"


def lower_rate_test_applies(
    n_years: int, schedule: str, vintage: str, schedules: pd.DataFrame | None = None
) -> bool:
    """Whether the edition's lower-rate sensitivity test applies: a horizon beyond
    :data:`LOWER_RATE_TEST_HORIZON` years on the standard schedule, in an edition that has the
    test (the 2026 edition; the 2022 edition has none)."""
    sched = read_discount_schedules() if schedules is None else schedules
    has = (
        (sched["schedule"] == LOWER_RATE_TEST_SCHEDULE)
        & (sched["vintage"].astype(str) == str(vintage))
    ).any()
    return bool(has) and schedule == "standard" and n_years > LOWER_RATE_TEST_HORIZON


def lower_rate_test_npsv(cash_flows, option_ids, n_years, schedule, vintage, schedules=None):
    """Each option's NPSV with the lower-rate schedule's factors applied to its incremental
    net benefit, when the test applies (:func:`lower_rate_test_applies`); NaN otherwise."""
    ids = list(option_ids)
    if not lower_rate_test_applies(n_years, schedule, vintage, schedules):
        return np.full(len(ids), np.nan)
    lf = discount_factor_table(n_years, LOWER_RATE_TEST_SCHEDULE, vintage, schedules)
    factors = lf["discount_factor"].to_numpy()
    out = []
    for oid in ids:
        net = cash_flows.loc[cash_flows["option_id"] == oid, "net_benefit"].to_numpy()
        out.append(float(present_value(net, factors)))
    return np.array(out)


def who_pays_who_benefits(
    prepared_costs: pd.DataFrame,
    flows: pd.DataFrame,
    factors,
    options: pd.DataFrame,
    baseline_option_id: str,
) -> pd.DataFrame:
    """Matrix of who pays and who benefits: PV by agency, incremental to BAU.

    Columns ``option_id, agency, pv_costs, pv_benefits, net`` sorted by option then agency.
    """
    factors = np.asarray(factors, dtype=float)
    c = prepared_costs.assign(
        option_id=prepared_costs["option_id"].astype(str),
        agency=prepared_costs["agency"].astype(str),
        pv=prepared_costs["amount_adjusted"] * factors[prepared_costs["year"].to_numpy()],
    )
    b = flows.assign(pv=flows["amount"].to_numpy() * factors[flows["year"].to_numpy(int)])
    pc = c.groupby(["option_id", "agency"])["pv"].sum()
    pb = b.groupby(["option_id", "agency"])["pv"].sum()
    agencies = sorted(set(c["agency"]) | set(b["agency"]))
    rows = []
    for oid in options["option_id"].astype(str):
        if oid == baseline_option_id:
            continue
        for ag in agencies:
            cost = pc.get((oid, ag), 0.0) - pc.get((baseline_option_id, ag), 0.0)
            ben = pb.get((oid, ag), 0.0) - pb.get((baseline_option_id, ag), 0.0)
            rows.append(
                {
                    "option_id": oid,
                    "agency": ag,
                    "pv_costs": float(cost),
                    "pv_benefits": float(ben),
                    "net": float(ben - cost),
                }
            )
    return pd.DataFrame(rows, columns=["option_id", "agency", "pv_costs", "pv_benefits", "net"])
