"""The financial case: costs and cashable benefits in nominal cash, and affordability.

The financial case of the Five Case Model asks whether the proposal is affordable, in nominal
cash by financial year, not discounted (``docs/reference/appraisal.md``, "The Five Case
Model"). Real base-year amounts are inflated back to cash with the GDP deflator
(:mod:`analysis.costs.prices`): ``nominal_t = real_t x index_t / 100``, the index rebased to
100 in the price base year (so year 0 is unchanged).

Costs are taken **after** the optimism-bias and confidence-grade uplift
(``amount_adjusted``), the same costs the economic case discounts: the uplift is the
project's best estimate of what the costs will turn out to be, so a budget without it would
understate the cash the council must find. The uplift **is** the risk allowance (at the
strategic-outline-case stage the Green Book's allowance for risk is optimism bias; quantified
risk and contingency replace it as the case matures), so a contingency is never added on top
of it: a council-stated ``contingency_share`` counts only where it exceeds a line's uplift,
``risk allowance = max(uplift, contingency) x real cost`` line by line
(:func:`risk_adjusted`), the same ``max`` rule that combines the HM Treasury and
confidence-grade uplifts (``docs/reference/appraisal.md``, "Optimism bias").
Only **cashable** fiscal benefits count towards
affordability (the budgets that can actually be released; ``docs/reference/appraisal.md``,
"The local-partnerships cost-benefit method"): non-cashable fiscal value frees capacity, not
cash.

Affordability is judged for **the council**: the agencies of the data contract whose id starts
with ``council_`` (``council_adult_social_care``, ``council_corporate``, ...). Housing, NHS,
police, DWP, the voluntary sector and ``other`` are partners: a cashable saving in a partner's
budget does not fund the council unless it is transferred, so it is shown by agency but not
counted in the council's affordability gap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year
from analysis.costs.inputs import baseline_option_id
from analysis.costs.prices import LONG_RUN_DEFLATOR_GROWTH, deflator_index

#: Agencies whose id starts with this are the council's own budgets (data contract enum).
COUNCIL_AGENCY_PREFIX = "council_"
#: ``agency`` of the affordability rows that add up the council's own agencies ...
COUNCIL_TOTAL = "council"
#: ... and of the rows that add up every agency (council and partners).
ALL_AGENCIES = "all"
_FLOWS = ["capital", "revenue_and_staff", "cashable_benefits"]
#: The steps of the real-to-nominal bridge (:func:`requirement_bridge`), in order.
BRIDGE_STEPS = ("base_real", "optimism_bias", "contingency", "inflation")


def risk_adjusted(cost_lines: pd.DataFrame, contingency_share: float = 0.0) -> pd.Series:
    """Each cost row in real base-year prices with its risk allowance:
    ``max(amount_adjusted, amount_real x (1 + contingency_share))``.

    ``amount_adjusted`` is ``amount_real x (1 + ob_uplift)``, so the allowance is the larger of
    the optimism-bias uplift and the contingency, never their sum (module docstring). Without
    ``amount_real`` (older tables) the contingency cannot be compared and is not added.
    """
    adjusted = cost_lines["amount_adjusted"].astype(float)
    if not contingency_share or "amount_real" not in cost_lines:
        return adjusted
    if contingency_share < 0:
        raise ValueError("contingency_share must not be negative")
    real = cost_lines["amount_real"].astype(float)
    with_contingency = np.maximum(adjusted, real * (1.0 + float(contingency_share)))
    return adjusted.where(real <= 0, with_contingency)  # a saving line keeps its own uplift


def requirement_bridge(
    cost_lines: pd.DataFrame,
    options: pd.DataFrame,
    option_id: str,
    price_base_year: str,
    deflators: pd.DataFrame,
    contingency_share: float = 0.0,
) -> pd.DataFrame:
    """The council's capital and revenue requirement of one option by year, bridged from real
    cost to nominal cash, incremental to business as usual.

    One row per (year, ``cost_type``: ``capital`` or ``revenue``, revenue including staff) with
    ``financial_year, deflator_index`` and the steps of :data:`BRIDGE_STEPS`: ``base_real``
    (real base-year prices, before any uplift), ``optimism_bias`` (the uplift of the economic
    case), ``contingency`` (the council's contingency where it exceeds the uplift,
    :func:`risk_adjusted`), ``inflation`` (to nominal cash with the GDP deflator index, base
    year = 100; ``deflator_basis`` says whether the year's index is the release's or extended
    beyond its last year at :data:`~analysis.costs.prices.LONG_RUN_DEFLATOR_GROWTH`), and
    ``requirement`` = their sum, the nominal cash the council must find.
    Only the council's own agencies (``council_*``) count, as in the affordability gap; a
    partner's cost is the partner's to fund.
    """
    bau = baseline_option_id(options)
    c = cost_lines[cost_lines["agency"].astype(str).str.startswith(COUNCIL_AGENCY_PREFIX)]
    years = sorted(set(cost_lines["year"].astype(int)))
    fys, index = _index(price_base_year, years, deflators)
    real = c["amount_real"].astype(float)
    adjusted = c["amount_adjusted"].astype(float)
    risk = risk_adjusted(c, contingency_share)
    factor = c["year"].astype(int).map(fys).map(index).astype(float) / 100.0
    steps = pd.DataFrame(
        {
            "option_id": c["option_id"].astype(str),
            "year": c["year"].astype(int),
            "cost_type": np.where(c["cost_type"].astype(str) == "capital", "capital", "revenue"),
            "base_real": real,
            "optimism_bias": adjusted - real,
            "contingency": risk - adjusted,
            "inflation": risk * (factor - 1.0),
        }
    )
    grid = pd.MultiIndex.from_product([years, ["capital", "revenue"]], names=["year", "cost_type"])
    money = list(BRIDGE_STEPS)

    def of(oid):
        g = steps[steps["option_id"] == str(oid)]
        return g.groupby(["year", "cost_type"])[money].sum().reindex(grid, fill_value=0.0)

    out = (of(option_id) - of(bau)).reset_index()
    out["requirement"] = out[money].sum(axis=1)
    out["financial_year"] = out["year"].map(fys)
    out["deflator_index"] = out["financial_year"].map(index).astype(float)
    published = {normalise_financial_year(y) for y in deflators["financial_year"]}
    out["deflator_basis"] = [
        "release" if fy in published else f"extended at {LONG_RUN_DEFLATOR_GROWTH:.0%} a year"
        for fy in out["financial_year"]
    ]
    cols = ["year", "financial_year", "deflator_index", "deflator_basis", "cost_type", *money]
    return out[[*cols, "requirement"]]


def _index(price_base_year: str, years, deflators: pd.DataFrame):
    base = normalise_financial_year(price_base_year)
    fys = {int(y): add_financial_years(base, int(y)) for y in years}
    idx = deflator_index(deflators, base, through=fys[max(fys)])
    return fys, idx


def _nominal_long(
    cost_lines, benefit_flows, price_base_year, deflators, by, contingency_share=0.0
) -> pd.DataFrame:
    """Capital, revenue-and-staff (both with their risk allowance, :func:`risk_adjusted`) and
    fiscal and cashable benefits, in nominal cash, summed by ``by`` (``option_id``, ``year``
    and optionally ``agency``)."""
    years = sorted(set(cost_lines["year"].astype(int)) | set(benefit_flows["year"].astype(int)))
    fys, index = _index(price_base_year, years, deflators)
    is_cap = cost_lines["cost_type"].astype(str) == "capital"
    adjusted = risk_adjusted(cost_lines, contingency_share)
    c = cost_lines.assign(
        capital=np.where(is_cap, adjusted, 0.0),
        revenue_and_staff=np.where(is_cap, 0.0, adjusted),
        year=cost_lines["year"].astype(int),
    )
    costs = c.groupby(by, sort=False)[["capital", "revenue_and_staff"]].sum()
    fiscal = benefit_flows[benefit_flows["value_type"] == "fiscal"]
    fiscal = fiscal.assign(year=fiscal["year"].astype(int))
    ben = fiscal.groupby(by, sort=False)[["amount", "cashable_amount"]].sum()
    ben = ben.rename(columns={"amount": "fiscal_benefits", "cashable_amount": "cashable_benefits"})
    out = costs.join(ben, how="outer").fillna(0.0).reset_index()
    out["financial_year"] = out["year"].map(fys)
    out["deflator_index"] = out["financial_year"].map(index).astype(float)
    factor = out["deflator_index"] / 100.0
    for col in ("capital", "revenue_and_staff", "fiscal_benefits", "cashable_benefits"):
        out[col] = out[col] * factor
    return out


def nominal_cash(
    cost_lines: pd.DataFrame,
    benefit_flows: pd.DataFrame,
    price_base_year: str,
    deflators: pd.DataFrame,
    contingency_share: float = 0.0,
) -> pd.DataFrame:
    """Each option's own costs and fiscal benefits by year in nominal cash, not discounted.

    ``cost_lines`` is :attr:`Appraisal.costs` (costs after optimism bias, ``amount_adjusted``,
    with the contingency where it exceeds the uplift: :func:`risk_adjusted`);
    ``benefit_flows`` is :attr:`Appraisal.benefit_flows`. Every option (BAU too) gets a row
    for every year. Returns ``option_id, year, financial_year, deflator_index, capital,
    revenue_and_staff, total_costs, fiscal_benefits, cashable_benefits``.
    """
    long = _nominal_long(
        cost_lines, benefit_flows, price_base_year, deflators, ["option_id", "year"],
        contingency_share,
    )  # fmt: skip
    years = sorted(set(cost_lines["year"].astype(int)) | set(benefit_flows["year"].astype(int)))
    fys, index = _index(price_base_year, years, deflators)
    options = list(dict.fromkeys(list(cost_lines["option_id"]) + list(benefit_flows["option_id"])))
    grid = pd.MultiIndex.from_product([options, years], names=["option_id", "year"])
    money = ["capital", "revenue_and_staff", "fiscal_benefits", "cashable_benefits"]
    out = long.set_index(["option_id", "year"])[money].reindex(grid).fillna(0.0).reset_index()
    out["financial_year"] = out["year"].map(fys)
    out["deflator_index"] = out["financial_year"].map(index).astype(float)
    out["total_costs"] = out["capital"] + out["revenue_and_staff"]
    cols = ["option_id", "year", "financial_year", "deflator_index", "capital"]
    cols += ["revenue_and_staff", "total_costs", "fiscal_benefits", "cashable_benefits"]
    return out[cols]


def affordability_gap(net) -> float:
    """The largest cumulative shortfall of a net cash flow (>= 0): ``max(0, -min(cumsum))``.

    ``net`` is cashable benefits minus costs, year by year; the gap is the most money the
    council must find from elsewhere before the cashable benefits have repaid it.
    """
    cum = np.cumsum(np.asarray(net, dtype=float))
    return float(max(0.0, -cum.min())) if cum.size else 0.0


def affordability_table(
    cost_lines: pd.DataFrame,
    benefit_flows: pd.DataFrame,
    options: pd.DataFrame,
    price_base_year: str,
    deflators: pd.DataFrame,
    contingency_share: float = 0.0,
) -> pd.DataFrame:
    """Affordability of each option by agency and financial year, nominal cash, incremental to BAU.

    One row per (non-BAU option, agency, year) for every agency with a cost or a cashable
    benefit in the option or in BAU, then the ``council`` rows (the sum of the ``council_*``
    agencies) and the ``all`` rows (every agency). Columns ``option_id, agency, council, year,
    financial_year, deflator_index, capital, revenue_and_staff, costs, cashable_benefits, net,
    cumulative_net``: costs with their risk allowance (:func:`risk_adjusted`), ``net`` =
    cashable benefits - costs and
    ``cumulative_net`` its running total over the years (``council`` is yes for the council's
    agencies and total).
    """
    bau = baseline_option_id(options)
    by = ["option_id", "agency", "year"]
    long = _nominal_long(
        cost_lines, benefit_flows, price_base_year, deflators, by, contingency_share
    )
    long["agency"] = long["agency"].astype(str)
    long = long[(long[_FLOWS] != 0).any(axis=1)]
    years = sorted(set(cost_lines["year"].astype(int)) | set(benefit_flows["year"].astype(int)))
    fys, index = _index(price_base_year, years, deflators)
    frames = []
    for oid in options["option_id"].astype(str):
        if oid == bau:
            continue
        mine = long[long["option_id"].astype(str).isin([oid, bau])]
        agencies = sorted(set(mine["agency"]))
        grid = pd.MultiIndex.from_product([agencies, years], names=["agency", "year"])

        def flows(o, grid=grid, mine=mine):
            g = mine[mine["option_id"].astype(str) == o].set_index(["agency", "year"])[_FLOWS]
            return g.groupby(level=[0, 1]).sum().reindex(grid, fill_value=0.0)

        inc = (flows(oid) - flows(bau)).reset_index()
        is_council = inc["agency"].str.startswith(COUNCIL_AGENCY_PREFIX)
        totals = [
            inc[is_council].groupby("year")[_FLOWS].sum().reindex(years, fill_value=0.0),
            inc.groupby("year")[_FLOWS].sum().reindex(years, fill_value=0.0),
        ]
        for name, t in zip((COUNCIL_TOTAL, ALL_AGENCIES), totals, strict=True):
            inc = pd.concat([inc, t.reset_index().assign(agency=name)], ignore_index=True)
        frames.append(inc.assign(option_id=oid))
    cols = ["option_id", "agency", "council", "year", "financial_year", "deflator_index"]
    cols += ["capital", "revenue_and_staff", "costs", "cashable_benefits", "net", "cumulative_net"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["council"] = np.where(
        out["agency"].str.startswith(COUNCIL_AGENCY_PREFIX) | (out["agency"] == COUNCIL_TOTAL),
        "yes",
        "no",
    )
    out["financial_year"] = out["year"].map(fys)
    out["deflator_index"] = out["financial_year"].map(index).astype(float)
    out["costs"] = out["capital"] + out["revenue_and_staff"]
    out["net"] = out["cashable_benefits"] - out["costs"]
    out["cumulative_net"] = out.groupby(["option_id", "agency"], sort=False)["net"].cumsum()
    return out[cols].reset_index(drop=True)


def affordability_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per option, over the appraisal period (nominal cash, incremental to BAU).

    ``option_id, nominal_capital, nominal_revenue_and_staff, nominal_costs_total,
    nominal_cashable_total`` (every agency), ``nominal_cashable_council, net_nominal_cost``
    (the council's costs minus its cashable benefits) and ``affordability_gap`` (the council's
    largest cumulative shortfall, :func:`affordability_gap`).
    """
    rows = []
    for oid, g in table.groupby("option_id", sort=False):
        everyone = g[g["agency"] == ALL_AGENCIES].sort_values("year")
        council = g[g["agency"] == COUNCIL_TOTAL].sort_values("year")
        rows.append(
            {
                "option_id": str(oid),
                "nominal_capital": float(everyone["capital"].sum()),
                "nominal_revenue_and_staff": float(everyone["revenue_and_staff"].sum()),
                "nominal_costs_total": float(everyone["costs"].sum()),
                "nominal_cashable_total": float(everyone["cashable_benefits"].sum()),
                "nominal_cashable_council": float(council["cashable_benefits"].sum()),
                "net_nominal_cost": float(-council["net"].sum()),
                "affordability_gap": affordability_gap(council["net"]),
            }
        )
    cols = ["option_id", "nominal_capital", "nominal_revenue_and_staff", "nominal_costs_total"]
    cols += ["nominal_cashable_total", "nominal_cashable_council", "net_nominal_cost"]
    return pd.DataFrame(rows, columns=[*cols, "affordability_gap"])
