"""The financial case: costs and fiscal benefits by option and year in nominal cash.

The financial case of the Five Case Model asks whether the proposal is affordable, in nominal
cash by financial year, not discounted (``docs/reference/appraisal.md``, "The Five Case
Model"). Real base-year amounts are inflated back to cash with the GDP deflator
(:mod:`analysis.costs.prices`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year
from analysis.costs.prices import deflator_index


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
