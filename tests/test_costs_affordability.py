"""Tests of the financial case in nominal cash (analysis.costs.financial) and the budget impact.

Hand-worked: a deflator of 100 in 2025-26 and 102 in 2026-27; HM Treasury (2003) optimism
bias for equipment/development, upper bound 200% on capital, 90% mitigated -> 20%; the
confidence grades of these tests add nothing. Only cashable fiscal benefits count towards
affordability, and only the council's own (``council_*``) agencies towards its gap.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_appraisal import BEN_COLS, COST_COLS, GRADES

from analysis import costs

DEFLATORS = pd.DataFrame({"financial_year": ["2025-26", "2026-27"], "index": [100.0, 102.0]})
NO_GRADE = GRADES.assign(benefit_reduction=0.0, cost_uplift=0.0)
OPTIONS = pd.DataFrame(
    {
        "option_id": ["bau", "pref"],
        "name": ["Business as usual", "Preferred"],
        "category": ["bau", "preferred"],
        "sourcing": ["in_house", "in_house"],
        "description": ["", ""],
    }
)


def case(mitigation=0.9, fiscal_value=10.0, cashable=0.5, agency="council_corporate", bau=0.0):
    """One capital line (1,000 in year 0, 500 in year 1, real 2025-26 prices) and one outcome
    worth ``fiscal_value`` x 100 a year in years 0 and 1, a ``cashable`` share of it cash."""
    params = {
        "authority_name": "Test",
        "price_base_year": "2025-26",
        "appraisal_years": 2,
        "optimism_bias_category": "equipment_development",
        "optimism_bias_mitigation": mitigation,
        "discount_schedule": "standard",
    }
    line = ("Build", "capital", "council_it", "in_house", 1, "2025-26", "real")
    rows = [("pref", "L1", *line, 0, 1000.0), ("pref", "L1", *line, 1, 500.0)]
    rows += [("bau", "L0", "Run", "revenue", "council_it", "in_house", 1, "2025-26", "real", y, bau)
             for y in (0, 1)]  # fmt: skip
    c = pd.DataFrame(rows, columns=COST_COLS)
    b = pd.DataFrame(
        [("pref", "O1", "x", 100, 1.0, 1.0, 0.0, 0, 2, 0.0, fiscal_value, agency, 0.0, 0.0,
          cashable, 1, "2025-26", "t")],
        columns=BEN_COLS,
    )  # fmt: skip
    a = costs.appraise(params, OPTIONS, c, b, deflators=DEFLATORS, confidence_grades=NO_GRADE)
    return a


def test_affordability_by_hand():
    """Costs after optimism bias: 1,000 x 1.2 = 1,200 in year 0; 500 x 1.2 x 1.02 = 612 in
    year 1. Cashable: 100 x 10 x 0.5 = 500, then 500 x 1.02 = 510. Net -700 and -102;
    cumulative -700 and -802, so the gap is 802."""
    a = case()
    aff, dec = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS)
    council = aff[aff["agency"] == "council"].set_index("year")
    assert council["costs"].tolist() == pytest.approx([1200.0, 612.0])
    assert council["capital"].tolist() == pytest.approx([1200.0, 612.0])
    assert council["revenue_and_staff"].tolist() == pytest.approx([0.0, 0.0])
    assert council["cashable_benefits"].tolist() == pytest.approx([500.0, 510.0])
    assert council["net"].tolist() == pytest.approx([-700.0, -102.0])
    assert council["cumulative_net"].tolist() == pytest.approx([-700.0, -802.0])
    assert council["financial_year"].tolist() == ["2025-26", "2026-27"]
    assert set(aff["agency"]) == {"council_it", "council_corporate", "council", "all"}
    s = costs.affordability_summary(aff).set_index("option_id").loc["pref"]
    assert s["nominal_capital"] == pytest.approx(1812.0)
    assert s["nominal_costs_total"] == pytest.approx(1812.0)
    assert s["nominal_cashable_total"] == pytest.approx(1010.0)
    assert s["net_nominal_cost"] == pytest.approx(802.0)
    assert s["affordability_gap"] == pytest.approx(802.0)
    row = dec.table.set_index("option_id").loc["pref"]
    assert row["affordability_gap"] == pytest.approx(802.0)


def test_the_nominal_financial_table_carries_the_optimism_bias_of_the_economic_case():
    """The old table left the 20% capital uplift out (1,000 and 510); the economic case
    discounts 1,200 and 600 (real), so the financial case must show 1,200 and 612."""
    a = case()
    nom = costs.nominal_cash(a.costs, a.benefit_flows, "2025-26", DEFLATORS)
    pref = nom[nom["option_id"] == "pref"].set_index("year")
    assert pref["capital"].tolist() == pytest.approx([1200.0, 612.0])
    assert pref["total_costs"].tolist() == pytest.approx([1200.0, 612.0])
    assert pref["fiscal_benefits"].tolist() == pytest.approx([1000.0, 1020.0])
    assert pref["cashable_benefits"].tolist() == pytest.approx([500.0, 510.0])
    assert a.results.iloc[0]["pv_costs"] == pytest.approx(1200.0 + 600.0 / 1.035)


def test_fiscal_benefits_covering_costs_do_not_make_it_affordable():
    """Lambeth-like: fiscal value 1,500 a year against 1,000 + 500 of costs (no optimism bias),
    but only 20% of it cashable. PV fiscal 1,500 + 1,500 / 1.035 > PV costs 1,000 + 500 /
    1.035, so the old budget impact (fiscal - costs) was positive; the cashable budget impact
    is 300 + 300 / 1.035 - 1,000 - 500 / 1.035 < 0, and the council has a cash gap."""
    a = case(mitigation=1.0, fiscal_value=15.0, cashable=0.2)
    r = a.results.iloc[0]
    pvc = 1000.0 + 500.0 / 1.035
    assert r["pv_costs"] == pytest.approx(pvc)
    assert r["pv_fiscal_benefits"] == pytest.approx(1500.0 + 1500.0 / 1.035)
    assert r["pv_fiscal_benefits"] > r["pv_costs"] and r["financial_roi"] > 1
    assert r["net_present_budget_impact"] == pytest.approx(300.0 + 300.0 / 1.035 - pvc)
    assert r["net_present_budget_impact"] < 0
    assert pd.isna(r["financial_payback_year"])  # the budget never pays back
    aff, _dec = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS)
    # cash: -1,000 + 300 = -700; -510 + 306 = -204; gap 904
    s = costs.affordability_summary(aff).set_index("option_id").loc["pref"]
    assert s["affordability_gap"] == pytest.approx(904.0)


def test_a_partners_cashable_saving_does_not_fund_the_council():
    a = case(agency="nhs")
    aff, _dec = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS)
    by = aff.set_index(["agency", "year"])
    assert by.loc[("nhs", 0), "cashable_benefits"] == pytest.approx(500.0)
    assert by.loc[("nhs", 0), "council"] == "no" and by.loc[("council", 0), "council"] == "yes"
    assert by.loc[("all", 1), "net"] == pytest.approx(-102.0)  # everyone's budgets together
    s = costs.affordability_summary(aff).set_index("option_id").loc["pref"]
    assert s["nominal_cashable_total"] == pytest.approx(1010.0)
    assert s["nominal_cashable_council"] == 0.0
    assert s["affordability_gap"] == pytest.approx(1812.0)  # the council pays it all


def test_affordability_is_incremental_to_business_as_usual():
    a = case(bau=100.0)  # BAU spends 100 a year on the council's IT
    aff, _dec = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS)
    it = aff[aff["agency"] == "council_it"].set_index("year")
    # the option's capital minus BAU's running cost (grade 1: no uplift; 102 in year 1)
    assert it["capital"].tolist() == pytest.approx([1200.0, 612.0])
    assert it["revenue_and_staff"].tolist() == pytest.approx([-100.0, -102.0])
    assert set(aff["option_id"]) == {"pref"}


@pytest.mark.parametrize(
    ("net", "gap"),
    [([-700.0, -102.0], 802.0), ([100.0, -50.0], 0.0), ([-10.0, 20.0, -30.0], 20.0), ([], 0.0)],
)
def test_affordability_gap_is_the_largest_cumulative_shortfall(net, gap):
    assert costs.affordability_gap(net) == pytest.approx(gap)
