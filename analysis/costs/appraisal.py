"""Cost-benefit appraisal in the HM Treasury Green Book convention (economic and financial case).

Conventions (see ``shared/reference/appraisal.md``):

* Year 0 is the first year of the proposal and the price base year; it is **not** discounted.
  The factor for year t is the factor for year t-1 divided by (1 + that year's rate), so the
  declining long-term rate steps down and does not restart (HM Treasury, *The Green Book*
  2022, Annex A6). Spreadsheet ``NPV()`` functions discount the first flow as well; the
  workbook therefore writes the factors out explicitly instead of calling ``NPV()``.
* All money is in real prices of the base year. Nominal (cash) flows are deflated with the
  HM Treasury GDP deflator for the financial year in which they fall; real values quoted in an
  older price year are uprated with the same series. Only then is anything discounted.
* Optimism bias on costs: HM Treasury (2003) *Supplementary Green Book Guidance: Optimism
  Bias*: applied uplift = upper bound x (1 - share mitigated). The project category's uplift
  applies to the cost lines it is defined on (capital expenditure, or operating expenditure for
  outsourcing); every line also carries the uplift of its confidence grade (GMCA / New Economy
  cost-benefit guidance for local partnerships, 2014). Where both apply the larger is used, so
  the same optimism is not corrected twice.
* Benefits follow the local-partnerships outcome chain: cohort x engagement x success x
  (1 - deadweight) successful outcomes; nothing in the first ``lag_years`` years; then the
  value persists with a factor (1 - drop_off) for each later year, for at most
  ``duration_years`` years. One cohort is followed through time (it is not re-recruited every
  year). Values per successful outcome per year are split into fiscal (by agency), economic and
  social value; each is reduced by the benefit reduction of the outcome's confidence grade.
* Results are **incremental to the business-as-usual option** (the option with category
  ``bau``): an option's costs and benefits minus BAU's, year by year.

Every function is pure: DataFrames and plain values in, tidy DataFrames or arrays out. The
``read_*`` helpers load the packaged parameter tables in ``analysis/data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year

VALUE_TYPES = ("fiscal", "economic", "social")
BENEFIT_FIELDS = (
    "cohort",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "lag_years",
    "duration_years",
    "drop_off",
    "fiscal_value",
    "economic_value",
    "social_value",
    "cashable_share",
)
#: Inputs on which NPSV depends linearly (one at a time): switching values solved analytically.
LINEAR_FIELDS = frozenset(
    {
        "cohort",
        "engagement_rate",
        "success_rate",
        "deadweight",
        "fiscal_value",
        "economic_value",
        "social_value",
        "amount",
    }
)
VFM_BANDS = ("very_poor", "poor", "low", "medium", "high", "very_high")
_LONG_RUN_DEFLATOR_GROWTH = 0.02  # project assumption beyond the deflator series, see README


# --------------------------------------------------------------------------------------------
# Packaged parameter tables
# --------------------------------------------------------------------------------------------
def _read_packaged(name: str) -> pd.DataFrame:
    with resources.files("analysis").joinpath("data", name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def read_discount_schedules() -> pd.DataFrame:
    """Discount schedules (``schedule, vintage, year_from, year_to, rate, source``)."""
    return _read_packaged("discount_schedules.csv")


def read_gdp_deflators() -> pd.DataFrame:
    """HM Treasury GDP deflator index by financial year (see ``analysis/data/README.md``)."""
    return _read_packaged("gdp_deflators.csv")


def read_optimism_bias() -> pd.DataFrame:
    """HM Treasury optimism-bias bounds (``category, measure, upper, lower, ...``)."""
    return _read_packaged("optimism_bias.csv")


def read_confidence_grades() -> pd.DataFrame:
    """Confidence grade 1..5 -> benefit reduction and cost uplift (fractions)."""
    return _read_packaged("confidence_grades.csv")


def parameters_dict(parameters: pd.DataFrame) -> dict:
    """Turn the ``key, value`` parameters table into a dict with typed values."""
    out = dict(zip(parameters["key"].astype(str), parameters["value"], strict=True))
    if "appraisal_years" in out:
        out["appraisal_years"] = int(float(out["appraisal_years"]))
    if "optimism_bias_mitigation" in out:
        out["optimism_bias_mitigation"] = float(out["optimism_bias_mitigation"])
    out["price_base_year"] = normalise_financial_year(out["price_base_year"])
    return out


# --------------------------------------------------------------------------------------------
# Discounting
# --------------------------------------------------------------------------------------------
def resolve_vintage(
    schedule: str = "standard", vintage: str | None = None, schedules: pd.DataFrame | None = None
) -> str:
    """The vintage of ``schedule`` that is used: ``vintage`` if given, else the latest."""
    sched = read_discount_schedules() if schedules is None else schedules
    sched = sched[sched["schedule"] == schedule]
    if sched.empty:
        raise ValueError(f"discount schedule {schedule!r} not found")
    if vintage is None:
        return str(max(sched["vintage"].astype(str)))
    if str(vintage) not in set(sched["vintage"].astype(str)):
        raise ValueError(f"discount schedule {schedule!r} has no vintage {vintage!r}")
    return str(vintage)


def discount_rates(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> np.ndarray:
    """Rate that applies in each year 0..n_years-1 of ``schedule`` (latest vintage by default).

    Rows are bands ``year_from..year_to`` (an empty ``year_to`` is open-ended).
    """
    sched = read_discount_schedules() if schedules is None else schedules
    sched = sched[sched["schedule"] == schedule]
    if sched.empty:
        raise ValueError(f"discount schedule {schedule!r} not found")
    if vintage is None:
        vintage = max(sched["vintage"].astype(str))
    sched = sched[sched["vintage"].astype(str) == str(vintage)]
    if sched.empty:
        raise ValueError(f"discount schedule {schedule!r} has no vintage {vintage!r}")
    years = np.arange(n_years)
    rates = np.full(n_years, np.nan)
    for row in sched.itertuples(index=False):
        hi = np.inf if pd.isna(row.year_to) or row.year_to == "" else float(row.year_to)
        rates[(years >= float(row.year_from)) & (years <= hi)] = float(row.rate)
    if np.isnan(rates).any():
        raise ValueError(f"discount schedule {schedule!r} does not cover every year")
    return rates


def discount_factors(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> np.ndarray:
    """Green Book discount factors for years 0..n_years-1.

    factor_0 = 1; factor_t = factor_{t-1} / (1 + r_t) with r_t the rate of the band holding t
    (HM Treasury, *The Green Book* 2022, Annex A6). Year 30 is 1.035**-30; year 31 divides that
    by 1.03: the lower rate continues from where the higher one stopped.
    """
    rates = discount_rates(n_years, schedule, vintage, schedules)
    growth = 1.0 + rates
    growth[0] = 1.0  # year 0 is not discounted
    return 1.0 / np.cumprod(growth)


def discount_factor_table(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tidy ``year, rate, discount_factor`` table (rate shown as 0 in year 0)."""
    rates = discount_rates(n_years, schedule, vintage, schedules)
    rates[0] = 0.0
    return pd.DataFrame(
        {
            "year": np.arange(n_years),
            "rate": rates,
            "discount_factor": discount_factors(n_years, schedule, vintage, schedules),
        }
    )


def present_value(flows, factors) -> np.ndarray:
    """Sum of ``flows * factors`` over the last axis (flows may be (draws, years))."""
    return np.asarray(flows, dtype=float) @ np.asarray(factors, dtype=float)


# --------------------------------------------------------------------------------------------
# Real terms
# --------------------------------------------------------------------------------------------
def deflator_index(
    deflators: pd.DataFrame,
    base_year: str,
    through: str | None = None,
    long_run_growth: float = _LONG_RUN_DEFLATOR_GROWTH,
) -> pd.Series:
    """GDP deflator rebased to 100 in ``base_year``, indexed by financial year.

    Years after the last one in the series (up to ``through``) are extended at
    ``long_run_growth`` a year (a project assumption, documented in the data README).
    """
    s = pd.Series(
        deflators["index"].astype(float).to_numpy(),
        index=[normalise_financial_year(y) for y in deflators["financial_year"]],
    ).sort_index()
    base_year = normalise_financial_year(base_year)
    if through is not None:
        last = s.index[-1]
        target = normalise_financial_year(through)
        while last < target:
            nxt = add_financial_years(last, 1)
            s.loc[nxt] = s.loc[last] * (1.0 + long_run_growth)
            last = nxt
    while base_year > s.index[-1]:
        nxt = add_financial_years(s.index[-1], 1)
        s.loc[nxt] = s.iloc[-1] * (1.0 + long_run_growth)
    if base_year not in s.index:
        raise ValueError(f"GDP deflator series does not cover the base year {base_year}")
    return s / s.loc[base_year] * 100.0


def real_terms_factor(price_year: str, base_year: str, deflators: pd.DataFrame) -> float:
    """Multiplier taking £ of ``price_year`` to £ of ``base_year`` (index_base / index_price)."""
    idx = deflator_index(deflators, base_year, through=normalise_financial_year(price_year))
    py = normalise_financial_year(price_year)
    if py not in idx.index:
        raise ValueError(f"GDP deflator series does not cover {py}")
    return float(100.0 / idx.loc[py])


# --------------------------------------------------------------------------------------------
# Optimism bias and confidence grades
# --------------------------------------------------------------------------------------------
def optimism_bias_uplift(
    category: str,
    mitigation: float,
    measure: str = "capital_expenditure",
    table: pd.DataFrame | None = None,
) -> float:
    """HM Treasury optimism-bias uplift: upper bound x (1 - share of the risk mitigated).

    Source: HM Treasury (2003) *Supplementary Green Book Guidance: Optimism Bias*. Returns 0
    when the category has no bound for ``measure``.
    """
    if not 0.0 <= float(mitigation) <= 1.0:
        raise ValueError("optimism_bias_mitigation must be between 0 and 1")
    t = read_optimism_bias() if table is None else table
    rows = t[t["category"] == category]
    if rows.empty:
        raise ValueError(f"optimism bias category {category!r} not in the table")
    rows = rows[rows["measure"] == measure]
    if rows.empty:
        return 0.0
    return float(rows["upper"].iloc[0]) * (1.0 - float(mitigation))


def _grade_lookup(grades: pd.DataFrame, column: str, values) -> np.ndarray:
    table = dict(zip(grades["grade"].astype(int), grades[column].astype(float), strict=True))
    out = []
    for v in values:
        g = int(v)
        if g not in table:
            raise ValueError(f"confidence_grade must be one of {sorted(table)}")
        out.append(table[g])
    return np.asarray(out, dtype=float)


# --------------------------------------------------------------------------------------------
# Outcome chain (elementwise; shared by the deterministic and the Monte Carlo paths)
# --------------------------------------------------------------------------------------------
def successful_outcomes(cohort, engagement_rate, success_rate, deadweight):
    """cohort x engagement x success x (1 - deadweight) (GMCA outcome chain)."""
    return (
        np.asarray(cohort, dtype=float)
        * np.asarray(engagement_rate, dtype=float)
        * np.asarray(success_rate, dtype=float)
        * (1.0 - np.asarray(deadweight, dtype=float))
    )


def outcome_profile(lag_years, duration_years, drop_off, n_years: int) -> np.ndarray:
    """Share of the outcome's yearly value realised in each year 0..n_years-1.

    0 before ``lag_years``; 1 in year ``lag``; (1 - drop_off)**k in year lag + k; 0 from year
    lag + duration on. Inputs broadcast: arrays of shape (...) give (..., n_years). A missing
    (NaN) duration means "to the end of the appraisal period".
    """
    t = np.arange(n_years, dtype=float)
    lag = np.rint(np.asarray(lag_years, dtype=float))[..., None]
    dur = np.asarray(duration_years, dtype=float)
    dur = np.rint(np.where(np.isnan(dur), np.inf, dur))[..., None]
    keep = 1.0 - np.asarray(drop_off, dtype=float)[..., None]
    k = t - lag
    active = (k >= 0) & (k < dur)
    return np.where(active, keep ** np.maximum(k, 0.0), 0.0)


# --------------------------------------------------------------------------------------------
# Preparing the input tables
# --------------------------------------------------------------------------------------------
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
    out["grade_uplift"] = _grade_lookup(grades, "cost_uplift", out["confidence_grade"])
    out["ob_uplift"] = np.maximum(out["hmt_uplift"], out["grade_uplift"])
    out["amount_adjusted"] = out["amount_real"] * (1.0 + out["ob_uplift"])
    return out


def prepare_benefits(
    benefits: pd.DataFrame,
    parameters: dict,
    deflators: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Outcome rows with ``successful_outcomes, uprate_factor, benefit_reduction`` added.

    ``uprate_factor`` takes values from the row's price year to base-year prices.
    """
    deflators = read_gdp_deflators() if deflators is None else deflators
    grades = read_confidence_grades() if confidence_grades is None else confidence_grades
    base = normalise_financial_year(parameters["price_base_year"])
    out = benefits.copy()
    for col in ("engagement_rate", "success_rate", "deadweight", "drop_off", "cashable_share"):
        v = out[col].astype(float)
        if ((v < 0) | (v > 1)).any():
            raise ValueError(f"benefits.csv: column {col} must be a fraction between 0 and 1")
    idx = deflator_index(deflators, base)
    pys = [normalise_financial_year(p) for p in out["price_year"]]
    if set(pys) - set(idx.index):
        raise ValueError("benefits.csv: price_year outside the GDP deflator series")
    out["successful_outcomes"] = successful_outcomes(
        out["cohort"], out["engagement_rate"], out["success_rate"], out["deadweight"]
    )
    out["uprate_factor"] = 100.0 / idx.loc[pys].to_numpy()
    out["benefit_reduction"] = _grade_lookup(grades, "benefit_reduction", out["confidence_grade"])
    return out


def benefit_flows(prepared_benefits: pd.DataFrame, n_years: int) -> pd.DataFrame:
    """Long benefit flows: ``option_id, outcome_id, year, value_type, agency, amount,
    cashable_amount`` in real base-year prices after the confidence-grade reduction.

    Economic value is attributed to agency ``economy`` and social value to ``society``;
    ``cashable_amount`` is the cashable share of fiscal value (0 for the other types).
    """
    b = prepared_benefits
    prof = outcome_profile(
        b["lag_years"].astype(float), b["duration_years"].astype(float), b["drop_off"], n_years
    )
    volume = b["successful_outcomes"].to_numpy()[:, None] * prof
    scale = (b["uprate_factor"] * (1.0 - b["benefit_reduction"])).to_numpy()[:, None]
    frames = []
    for vt in VALUE_TYPES:
        amount = volume * b[f"{vt}_value"].astype(float).to_numpy()[:, None] * scale
        if vt == "fiscal":
            agency = b["fiscal_agency"].astype(str).to_numpy()
            cash = amount * b["cashable_share"].astype(float).to_numpy()[:, None]
        else:
            agency = np.full(len(b), "economy" if vt == "economic" else "society", dtype=object)
            cash = np.zeros_like(amount)
        frames.append(
            pd.DataFrame(
                {
                    "option_id": np.repeat(b["option_id"].astype(str).to_numpy(), n_years),
                    "outcome_id": np.repeat(b["outcome_id"].astype(str).to_numpy(), n_years),
                    "year": np.tile(np.arange(n_years), len(b)),
                    "value_type": vt,
                    "agency": np.repeat(agency, n_years),
                    "amount": amount.ravel(),
                    "cashable_amount": cash.ravel(),
                }
            )
        )
    cols = ["option_id", "outcome_id", "year", "value_type", "agency", "amount", "cashable_amount"]
    if len(b) == 0:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=float if "amount" in c else int if c == "year" else str)
                for c in cols
            }
        )
    out = pd.concat(frames, ignore_index=True)
    order = {v: i for i, v in enumerate(VALUE_TYPES)}
    out["_vt"] = out["value_type"].map(order)
    out = out.sort_values(["option_id", "outcome_id", "_vt", "year"], kind="stable")
    return out.drop(columns="_vt").reset_index(drop=True)[cols]


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
def value_for_money_category(bcr) -> str | None:
    """DfT value-for-money band of a BCR (a boundary value belongs to the higher band).

    very poor <= 0 < poor < 1 <= low < 1.5 <= medium < 2 <= high < 4 <= very high. Returns
    None for a missing BCR (e.g. when the incremental PV cost is not positive). Source: DfT
    (2015) *Value for Money Framework*, as summarised in ``reference/appraisal.md``.
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


def _check_option_ids(options, costs, benefits) -> None:
    known = set(options["option_id"].astype(str))
    for name, df in (("costs.csv", costs), ("benefits.csv", benefits)):
        if not set(df["option_id"].astype(str)) <= known:
            raise ValueError(f"{name}: column option_id names an option not in options.csv")


def _baseline_option(options: pd.DataFrame) -> str:
    bau = options.loc[options["category"].astype(str) == "bau", "option_id"].astype(str)
    if len(bau) != 1:
        raise ValueError("options.csv: exactly one option must have category 'bau'")
    return bau.iloc[0]


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
    payback_year, financial_payback_year, gross_pv_costs, gross_pv_benefits``.

    * NPSV = PV benefits - PV costs; BCR = PV benefits / PV costs (None-band when PV costs <= 0).
    * Net present budget impact = PV fiscal benefits - PV costs; financial ROI = PV fiscal
      benefits / PV costs (GMCA convention: £ of fiscal benefit per £1 spent); financial
      payback uses fiscal benefits, ``payback_year`` uses all (public value) benefits.
    * ``gross_*`` are the option's own PVs before subtracting BAU.

    ``cash_flows``: ``option_id, year, discount_factor, costs, benefits, fiscal_benefits,
    cashable_benefits, incremental_costs, incremental_benefits, net_benefit,
    discounted_net_benefit, cumulative_discounted_net_benefit``.
    ``who_pays``: ``option_id, agency, pv_costs, pv_benefits, net`` (incremental; economic and
    social value appear as agencies ``economy`` and ``society``).
    """
    params = parameters_dict(parameters) if isinstance(parameters, pd.DataFrame) else parameters
    params = dict(params)
    params["price_base_year"] = normalise_financial_year(params["price_base_year"])
    n = int(params["appraisal_years"])
    schedule = str(params.get("discount_schedule", "standard"))
    params["discount_schedule_vintage"] = resolve_vintage(schedule, vintage, discount_schedules)
    df_table = discount_factor_table(n, schedule, vintage, discount_schedules)
    factors = df_table["discount_factor"].to_numpy()
    bau = _baseline_option(options)

    _check_option_ids(options, costs, benefits)
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
                "net_present_budget_impact": pvf - pvc,
                "financial_roi": pvf / pvc if pvc > 0 else np.nan,
                "payback_year": payback_year(inc["benefits"] - inc["costs"], factors),
                "financial_payback_year": payback_year(
                    inc["fiscal_benefits"] - inc["costs"], factors
                ),
                "gross_pv_costs": float(present_value(g["costs"].to_numpy(), factors)),
                "gross_pv_benefits": float(present_value(g["benefits"].to_numpy(), factors)),
            }
        )
    results = pd.DataFrame(rows)
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


# --------------------------------------------------------------------------------------------
# Array model: one option against BAU, vectorised over draws (sensitivity and Monte Carlo)
# --------------------------------------------------------------------------------------------
@dataclass
class ArrayModel:
    """An option and BAU compiled to arrays; ``evaluate`` runs it for many input draws."""

    option_id: str
    baseline_option_id: str
    factors: np.ndarray  # (years,)
    line_keys: list  # (option_id, line_id)
    line_sign: np.ndarray  # +1 option, -1 BAU
    line_amounts: np.ndarray  # (lines, years) real base-year £ before optimism bias
    line_hmt_upper: np.ndarray  # HMT upper bound that applies to the line (0 if none)
    line_grade_uplift: np.ndarray
    mitigation: float
    outcome_keys: list  # (option_id, outcome_id)
    outcome_sign: np.ndarray
    outcome_fields: dict  # field -> (outcomes,) central values (values in their price year)
    outcome_scale: np.ndarray  # uprate x (1 - benefit reduction)

    @property
    def n_years(self) -> int:
        return self.factors.size


def build_array_model(
    parameters: pd.DataFrame | dict,
    options: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    option_id: str,
    *,
    deflators: pd.DataFrame | None = None,
    optimism_bias: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
    discount_schedules: pd.DataFrame | None = None,
    vintage: str | None = None,
) -> ArrayModel:
    """Compile ``option_id`` and the BAU option to arrays for :func:`evaluate`."""
    params = parameters_dict(parameters) if isinstance(parameters, pd.DataFrame) else parameters
    params = dict(params)
    params["price_base_year"] = normalise_financial_year(params["price_base_year"])
    n = int(params["appraisal_years"])
    factors = discount_factors(
        n, str(params.get("discount_schedule", "standard")), vintage, discount_schedules
    )
    bau = _baseline_option(options)
    _check_option_ids(options, costs, benefits)
    if str(option_id) not in set(options["option_id"].astype(str)):
        raise ValueError("option_id is not in options.csv")
    ob = read_optimism_bias() if optimism_bias is None else optimism_bias
    wanted = [str(option_id), bau] if str(option_id) != bau else [bau]
    pc = prepare_costs(costs, params, deflators, ob, confidence_grades)
    pc = pc[pc["option_id"].astype(str).isin(wanted)]
    keys = list(dict.fromkeys(zip(pc["option_id"].astype(str), pc["line_id"].astype(str))))
    amounts = np.zeros((len(keys), n))
    pos = {k: i for i, k in enumerate(keys)}
    rows = [pos[(str(o), str(li))] for o, li in zip(pc["option_id"], pc["line_id"])]
    np.add.at(amounts, (np.asarray(rows, dtype=int), pc["year"].to_numpy(int)), pc["amount_real"])
    first = pc.drop_duplicates(["option_id", "line_id"])
    line_type = {
        (str(o), str(li)): str(t)
        for o, li, t in zip(first["option_id"], first["line_id"], first["cost_type"])
    }
    line_grade = {
        (str(o), str(li)): float(g)
        for o, li, g in zip(first["option_id"], first["line_id"], first["grade_uplift"])
    }
    category = params["optimism_bias_category"]
    cap_upper = optimism_bias_uplift(category, 0.0, "capital_expenditure", ob)
    op_upper = optimism_bias_uplift(category, 0.0, "operating_expenditure", ob)
    hmt_upper = np.array([cap_upper if line_type[k] == "capital" else op_upper for k in keys])
    grade_up = np.array([line_grade[k] for k in keys])
    sign_c = np.array([1.0 if k[0] == str(option_id) else -1.0 for k in keys])
    if str(option_id) == bau:
        sign_c = np.zeros(len(keys))

    pb = prepare_benefits(benefits, params, deflators, confidence_grades)
    pb = pb[pb["option_id"].astype(str).isin(wanted)]
    okeys = list(zip(pb["option_id"].astype(str), pb["outcome_id"].astype(str)))
    sign_b = np.array([1.0 if k[0] == str(option_id) else -1.0 for k in okeys])
    if str(option_id) == bau:
        sign_b = np.zeros(len(okeys))
    fields_ = {f: pb[f].astype(float).to_numpy() for f in BENEFIT_FIELDS}
    scale = (pb["uprate_factor"] * (1.0 - pb["benefit_reduction"])).to_numpy()
    return ArrayModel(
        str(option_id),
        bau,
        factors,
        keys,
        sign_c,
        amounts,
        hmt_upper,
        grade_up,
        float(params["optimism_bias_mitigation"]),
        okeys,
        sign_b,
        fields_,
        scale,
    )


def parse_target(target: str) -> tuple[str, str | None, str | None, str]:
    """``'benefits:preferred:O1:success_rate'`` -> ``('benefits', 'preferred', 'O1',
    'success_rate')``; ``'parameters:optimism_bias_mitigation'`` -> ``('parameters', None,
    None, 'optimism_bias_mitigation')``."""
    parts = str(target).split(":")
    if len(parts) == 2 and parts[0] == "parameters":
        if parts[1] != "optimism_bias_mitigation":
            raise ValueError("uncertainty.csv: only parameters:optimism_bias_mitigation is varied")
        return "parameters", None, None, parts[1]
    if len(parts) != 4 or parts[0] not in ("benefits", "costs"):
        raise ValueError(
            "uncertainty.csv: target must look like benefits:<option>:<outcome>:<field> or "
            "costs:<option>:<line>:amount"
        )
    table, opt, item, fld = parts
    if table == "costs" and fld != "amount":
        raise ValueError("uncertainty.csv: a costs target must end in :amount")
    if table == "benefits" and fld not in BENEFIT_FIELDS:
        raise ValueError(f"uncertainty.csv: benefits field must be one of {BENEFIT_FIELDS}")
    return table, opt, item, fld


def evaluate(model: ArrayModel, overrides: dict | None = None, draws: int = 1) -> dict:
    """Incremental PV costs, PV benefits and NPSV of the option for each draw.

    ``overrides`` maps a target (see :func:`parse_target`) to ``(values, is_multiplier)``;
    ``values`` is a scalar or an array of shape (draws,). A multiplier scales the central input;
    otherwise the value replaces it (for a cost ``amount``: real base-year £ in every year in
    which the line has a cost). Returns arrays of shape (draws,) under ``pv_costs,
    pv_benefits, npsv`` and (draws, years) under ``costs, benefits`` (incremental flows).
    Everything is vectorised over draws; loops run only over the few outcomes and cost lines.
    """
    overrides = overrides or {}
    n = model.n_years
    line_mult = {}
    line_repl = {}
    out_over: dict[tuple, dict] = {}
    mitigation = model.mitigation  # a scalar unless it is itself uncertain
    for target, (values, is_mult) in overrides.items():
        table, opt, item, fld = parse_target(target)
        vals = np.broadcast_to(np.asarray(values, dtype=float), (draws,))
        if table == "parameters":
            mitigation = mitigation * vals if is_mult else vals
            continue
        key = (opt, item)
        if table == "costs":
            if key not in model.line_keys:
                raise ValueError("uncertainty.csv: a costs target names no cost line")
            (line_mult if is_mult else line_repl)[model.line_keys.index(key)] = vals
        else:
            if key not in model.outcome_keys:
                raise ValueError("uncertainty.csv: a benefits target names no outcome")
            out_over.setdefault(key, {})[fld] = (vals, is_mult)

    # Inputs that do not vary between draws add to a (years,) vector once; only the varying
    # parts are built as (draws, years) arrays (an outer product, or the outcome profile when
    # lag, duration or drop-off vary).
    fixed_costs = np.zeros(n)
    var_costs = np.zeros((draws, n))
    for i in range(len(model.line_keys)):
        sign = model.line_sign[i]
        if sign == 0:
            continue
        base = model.line_amounts[i]
        uplift = np.maximum(
            model.line_hmt_upper[i] * (1.0 - mitigation), model.line_grade_uplift[i]
        )
        if i in line_repl:
            base = np.where(base != 0, 1.0, 0.0)
            scale = line_repl[i] * (1.0 + uplift)
        else:
            scale = 1.0 + uplift
        if i in line_mult:
            scale = scale * line_mult[i]
        if np.ndim(scale) == 0:
            fixed_costs += sign * scale * base
        else:
            var_costs += np.multiply.outer(sign * np.asarray(scale, dtype=float), base)

    fixed_benefits = np.zeros(n)
    var_benefits = np.zeros((draws, n))
    for k, key in enumerate(model.outcome_keys):
        sign = model.outcome_sign[k]
        if sign == 0:
            continue
        f = {name: model.outcome_fields[name][k] for name in BENEFIT_FIELDS}
        for name, (vals, is_mult) in out_over.get(key, {}).items():
            f[name] = f[name] * vals if is_mult else vals
        succ = successful_outcomes(
            f["cohort"], f["engagement_rate"], f["success_rate"], f["deadweight"]
        )
        unit = (f["fiscal_value"] + f["economic_value"] + f["social_value"]) * model.outcome_scale[
            k
        ]
        prof = outcome_profile(f["lag_years"], f["duration_years"], f["drop_off"], n)
        level = sign * succ * unit
        if prof.ndim == 2:
            var_benefits += np.broadcast_to(level, (draws,))[:, None] * prof
        elif np.ndim(level) == 1:
            var_benefits += np.multiply.outer(level, prof)
        else:
            fixed_benefits += level * prof

    pvc = var_costs @ model.factors + fixed_costs @ model.factors
    pvb = var_benefits @ model.factors + fixed_benefits @ model.factors
    var_costs += fixed_costs
    var_benefits += fixed_benefits
    return {
        "pv_costs": pvc,
        "pv_benefits": pvb,
        "npsv": pvb - pvc,
        "costs": var_costs,
        "benefits": var_benefits,
    }


def central_value(model: ArrayModel, target: str, is_multiplier: bool) -> float:
    """The central (input) value of a target; 1 for a multiplier."""
    if is_multiplier:
        return 1.0
    table, opt, item, fld = parse_target(target)
    if table == "parameters":
        return model.mitigation
    if table == "costs":
        row = model.line_amounts[model.line_keys.index((opt, item))]
        nz = row[row != 0]
        if nz.size and not np.allclose(nz, nz[0]):
            raise ValueError("a costs amount target without _multiplier needs a flat amount")
        return float(nz[0]) if nz.size else 0.0
    return float(model.outcome_fields[fld][model.outcome_keys.index((opt, item))])


def _is_multiplier(parameter: str) -> bool:
    """True when the parameter's name ends in the word "multiplier".

    The data contract names multipliers ``*_multiplier``; the cost workbooks people fill in
    label them in words ("Capital cost multiplier"), so spaces, hyphens and underscores all
    count as word breaks and case is ignored.
    """
    words = re.split(r"[\s_\-]+", str(parameter).strip().lower())
    return words[-1] == "multiplier"


# --------------------------------------------------------------------------------------------
# Sensitivity: one-way (tornado), scenarios, switching values
# --------------------------------------------------------------------------------------------
def one_way_sensitivity(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Tornado data: NPSV with each input at its low and its high value, the rest central.

    Columns ``parameter, target, low, central, high, npsv_low, npsv_central, npsv_high,
    swing`` sorted by swing (largest first; ties by target). Only targets of the model's option
    and BAU (and ``parameters:``) are used.
    """
    unc = _relevant(model, uncertainty)
    central = float(evaluate(model)["npsv"][0])
    rows = []
    for r in unc.itertuples(index=False):
        mult = _is_multiplier(r.parameter)
        vals = np.array([float(r.low), float(r.high)])
        npsv = evaluate(model, {r.target: (vals, mult)}, draws=2)["npsv"]
        rows.append(
            {
                "parameter": str(r.parameter),
                "target": str(r.target),
                "low": float(r.low),
                "central": central_value(model, r.target, mult),
                "high": float(r.high),
                "npsv_low": float(npsv[0]),
                "npsv_central": central,
                "npsv_high": float(npsv[1]),
                "swing": float(abs(npsv[1] - npsv[0])),
            }
        )
    cols = ["parameter", "target", "low", "central", "high"]
    cols += ["npsv_low", "npsv_central", "npsv_high", "swing"]
    out = pd.DataFrame(rows, columns=cols)
    out["_neg"] = -out["swing"]
    return (
        out.sort_values(["_neg", "target"], kind="stable")
        .drop(columns="_neg")
        .reset_index(drop=True)
    )


def _relevant(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    keep = []
    for t in uncertainty["target"].astype(str):
        table, opt, _item, _f = parse_target(t)
        keep.append(table == "parameters" or opt in (model.option_id, model.baseline_option_id))
    return uncertainty[np.asarray(keep, dtype=bool)].reset_index(drop=True)


def scenarios(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Low / central / high scenarios.

    The low scenario puts every input at whichever bound (low or high) gives the lower NPSV in
    the one-way analysis, the high scenario at the other; so "low" is the pessimistic case even
    for cost inputs, where the pessimistic bound is the high one. Columns ``scenario, pv_costs,
    pv_benefits, npsv, bcr, vfm_category``.
    """
    tor = one_way_sensitivity(model, uncertainty)
    rows = []
    for name in ("low", "central", "high"):
        over = {}
        if name != "central":
            for r in tor.itertuples(index=False):
                worse_is_low = r.npsv_low <= r.npsv_high
                pick_low = worse_is_low if name == "low" else not worse_is_low
                over[r.target] = (r.low if pick_low else r.high, _is_multiplier(r.parameter))
        res = evaluate(model, over)
        pvc, pvb = float(res["pv_costs"][0]), float(res["pv_benefits"][0])
        bcr = pvb / pvc if pvc > 0 else np.nan
        rows.append(
            {
                "scenario": name,
                "pv_costs": pvc,
                "pv_benefits": pvb,
                "npsv": pvb - pvc,
                "bcr": bcr,
                "vfm_category": value_for_money_category(bcr),
            }
        )
    return pd.DataFrame(rows)


_DOMAINS = {
    "engagement_rate": (0.0, 1.0),
    "success_rate": (0.0, 1.0),
    "deadweight": (0.0, 1.0),
    "drop_off": (0.0, 1.0),
    "cashable_share": (0.0, 1.0),
    "optimism_bias_mitigation": (0.0, 1.0),
    "lag_years": (0.0, 50.0),
    "duration_years": (0.0, 50.0),
}


def switching_values(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Value of each input at which the option's NPSV is 0 (the others held central).

    Inputs on which NPSV is linear (``LINEAR_FIELDS`` and multipliers) are solved exactly from
    two evaluations: NPSV(x) = a + b x gives x* = -a / b. Others are found with
    ``scipy.optimize.brentq`` on the input's admissible range. Where NPSV does not reach 0
    for any admissible value (fractions in [0, 1], counts, values, amounts and multipliers
    >= 0) the switching value is missing and ``method`` says ``none``. Integer inputs (lag,
    duration) are treated as continuous. Columns ``parameter, target, central,
    switching_value, change_pct, method``.
    """
    from scipy.optimize import brentq

    unc = _relevant(model, uncertainty)
    rows = []
    for r in unc.drop_duplicates("target").itertuples(index=False):
        mult = _is_multiplier(r.parameter)
        fld = parse_target(r.target)[3]
        centre = central_value(model, r.target, mult)

        def f(x, _t=r.target, _m=mult):
            return float(evaluate(model, {_t: (x, _m)})["npsv"][0])

        if mult or fld in LINEAR_FIELDS:
            x0, x1 = centre, centre + (1.0 if centre == 0 else abs(centre))
            y0, y1 = f(x0), f(x1)
            slope = (y1 - y0) / (x1 - x0)
            sv = x0 - y0 / slope if slope != 0 else np.nan
            method = "analytic" if slope != 0 else "none"
            # a root the input can never take (a success rate of 1.6, a negative cohort or
            # multiplier) is no switching value: report it missing, as the brentq branch does
            lo, hi = (0.0, np.inf) if mult else _DOMAINS.get(fld, (0.0, np.inf))
            if np.isfinite(sv) and not lo <= sv <= hi:
                sv, method = np.nan, "none"
        else:
            lo, hi = _DOMAINS.get(fld, (0.0, 1.0))
            if f(lo) * f(hi) > 0:
                sv, method = np.nan, "none"
            else:
                sv, method = brentq(f, lo, hi, xtol=1e-10), "brentq"
        rows.append(
            {
                "parameter": str(r.parameter),
                "target": str(r.target),
                "central": centre,
                "switching_value": float(sv),
                "change_pct": float((sv - centre) / centre * 100.0) if centre else np.nan,
                "method": method,
            }
        )
    return pd.DataFrame(
        rows, columns=["parameter", "target", "central", "switching_value", "change_pct", "method"]
    )


# --------------------------------------------------------------------------------------------
# Financial case: nominal cash by year
# --------------------------------------------------------------------------------------------


def nominal_cash(
    cost_lines: pd.DataFrame,
    benefit_flows: pd.DataFrame,
    price_base_year: str,
    deflators: pd.DataFrame,
) -> pd.DataFrame:
    """Costs and fiscal benefits by option and year in nominal cash, not discounted.

    The financial case of the Five Case Model is in nominal terms (HM Treasury business case
    guidance): real base-year amounts are inflated with the GDP deflator,
    ``nominal_t = real_t x index_t / 100``, the index rebased to 100 in the price base year
    (so year 0 is unchanged). Costs are taken before optimism bias (``amount_real``), since
    optimism bias is an appraisal adjustment, not a budget line. ``cost_lines`` is
    :attr:`Appraisal.costs`; ``benefit_flows`` is :attr:`Appraisal.benefit_flows`.

    Returns ``option_id, year, financial_year, deflator_index, capital, revenue_and_staff,
    total_costs, fiscal_benefits, cashable_benefits``.
    """
    base = normalise_financial_year(price_base_year)
    years = sorted(set(cost_lines["year"].astype(int)) | set(benefit_flows["year"].astype(int)))
    fys = {y: add_financial_years(base, y) for y in years}
    index = deflator_index(deflators, base, through=fys[max(years)])
    c = cost_lines.assign(
        capital=np.where(cost_lines["cost_type"] == "capital", cost_lines["amount_real"], 0.0),
        revenue_and_staff=np.where(
            cost_lines["cost_type"] != "capital", cost_lines["amount_real"], 0.0
        ),
    )
    costs = c.groupby(["option_id", "year"], sort=False)[["capital", "revenue_and_staff"]].sum()
    fiscal = benefit_flows[benefit_flows["value_type"] == "fiscal"]
    ben = fiscal.groupby(["option_id", "year"], sort=False)[["amount", "cashable_amount"]].sum()
    ben = ben.rename(columns={"amount": "fiscal_benefits", "cashable_amount": "cashable_benefits"})
    options = list(dict.fromkeys(list(cost_lines["option_id"]) + list(benefit_flows["option_id"])))
    grid = pd.MultiIndex.from_product([options, years], names=["option_id", "year"])
    out = costs.reindex(grid).join(ben.reindex(grid)).fillna(0.0).reset_index()
    out["financial_year"] = out["year"].map(fys)
    out["deflator_index"] = out["financial_year"].map(index).astype(float)
    factor = out["deflator_index"] / 100.0
    for col in ("capital", "revenue_and_staff", "fiscal_benefits", "cashable_benefits"):
        out[col] = out[col] * factor
    out["total_costs"] = out["capital"] + out["revenue_and_staff"]
    return out[
        [
            "option_id",
            "year",
            "financial_year",
            "deflator_index",
            "capital",
            "revenue_and_staff",
            "total_costs",
            "fiscal_benefits",
            "cashable_benefits",
        ]
    ]
