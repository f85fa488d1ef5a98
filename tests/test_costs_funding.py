"""The financial case beyond affordability: the risk allowance (optimism bias or contingency,
never both), the bridge from real cost to nominal cash, the funding plan by year and source,
and the benefits-realisation rows whose targets are what the appraisal counts.

Hand-worked throughout. Conventions: HM Treasury (2003) optimism bias, equipment/development
capital upper bound 200%, x (1 - mitigation); the Green Book's allowance for risk at the
strategic-outline-case stage is optimism bias, replaced by quantified risk and contingency as
the case matures (HM Treasury, *Guide to developing the project business case*, 2018), so a
contingency is added only where it exceeds a line's uplift. GDP deflator 100 in 2025-26, 102
in 2026-27 (a 2% rise, as in tests/test_costs_affordability.py).
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_appraisal import BEN_COLS, COST_COLS, GRADES

from analysis import costs
from analysis.costs import funding as fu
from analysis.costs.realisation import benefits_realisation

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
PARAMS = {
    "authority_name": "Test",
    "price_base_year": "2025-26",
    "appraisal_years": 2,
    "optimism_bias_category": "equipment_development",
    "optimism_bias_mitigation": 0.9,  # 200% x 0.1 = 20% on capital
    "discount_schedule": "standard",
}


def appraisal(grades=NO_GRADE, partner_cost=0.0):
    """Capital 1,000 (year 0) and 500 (year 1); staff 300 a year (grade 2: 5% uplift when
    ``grades`` has it); optionally a partner's (police) revenue cost; one outcome of 100 people
    a year x 10 fiscal value, half cashable, to the council."""
    cap = ("Build", "capital", "council_it", "in_house", 1, "2025-26", "real")
    staff = ("Analyst", "staff", "council_it", "in_house", 2, "2025-26", "real")
    police = ("Feeds", "revenue", "police", "in_house", 1, "2025-26", "real")
    rows = [("pref", "L1", *cap, 0, 1000.0), ("pref", "L1", *cap, 1, 500.0)]
    rows += [("pref", "L2", *staff, y, 300.0) for y in (0, 1)]
    rows += [("pref", "L3", *police, y, partner_cost) for y in (0, 1)]
    rows += [("bau", "L0", "Run", "revenue", "council_it", "in_house", 1, "2025-26", "real", y,
              0.0) for y in (0, 1)]  # fmt: skip
    c = pd.DataFrame(rows, columns=COST_COLS)
    b = pd.DataFrame(
        [("pref", "O1", "x", 100, 1.0, 1.0, 0.0, 0, 2, 0.0, 10.0, "council_corporate", 0.0,
          0.0, 0.5, 1, "2025-26", "t")],
        columns=BEN_COLS,
    )  # fmt: skip
    return costs.appraise(PARAMS, OPTIONS, c, b, deflators=DEFLATORS, confidence_grades=grades)


# --------------------------------------------------------------------- risk allowance and bridge


def test_the_contingency_is_never_added_on_top_of_the_optimism_bias():
    """Capital: uplift 20% > contingency 10%, so the allowance stays 20% (1,200, not 1,320);
    staff: uplift 0 < 10%, so the contingency applies (330). With a 30% contingency the
    capital allowance becomes 30% (1,300): the larger of the two, never their sum."""
    a = appraisal()
    c = a.costs[a.costs["option_id"] == "pref"].set_index(["line_id", "year"])
    ten = costs.risk_adjusted(a.costs, 0.1)[a.costs["option_id"] == "pref"]
    ten = pd.Series(ten.to_numpy(), index=c.index)
    assert ten[("L1", 0)] == pytest.approx(1200.0)
    assert ten[("L2", 0)] == pytest.approx(330.0)
    thirty = pd.Series(costs.risk_adjusted(a.costs, 0.3)[a.costs["option_id"] == "pref"]
                       .to_numpy(), index=c.index)  # fmt: skip
    assert thirty[("L1", 0)] == pytest.approx(1300.0)
    assert costs.risk_adjusted(a.costs, 0.0).equals(a.costs["amount_adjusted"].astype(float))
    with pytest.raises(ValueError, match="negative"):
        costs.risk_adjusted(a.costs, -0.1)


def test_the_bridge_from_real_cost_to_nominal_cash_by_hand():
    """Capital year 0: 1,000 real + 200 optimism bias + 0 contingency + 0 inflation = 1,200;
    year 1: 500 + 100 + 0 + 600 x 0.02 = 12 -> 612. Revenue (staff, no uplift, contingency
    10%): year 0 300 + 0 + 30 + 0 = 330; year 1 300 + 0 + 30 + 330 x 0.02 = 6.6 -> 336.6.
    The partner's cost is not the council's to fund and stays out."""
    a = appraisal(partner_cost=50.0)
    b = costs.requirement_bridge(a.costs, OPTIONS, "pref", "2025-26", DEFLATORS, 0.1)
    b = b.set_index(["year", "cost_type"])
    assert b.loc[(0, "capital"), ["base_real", "optimism_bias", "contingency", "inflation",
                                  "requirement"]].tolist() == pytest.approx(
        [1000.0, 200.0, 0.0, 0.0, 1200.0])  # fmt: skip
    assert b.loc[(1, "capital"), "inflation"] == pytest.approx(12.0)
    assert b.loc[(1, "capital"), "requirement"] == pytest.approx(612.0)
    assert b.loc[(0, "revenue"), "contingency"] == pytest.approx(30.0)
    assert b.loc[(1, "revenue"), "requirement"] == pytest.approx(336.6)
    assert b.loc[(1, "revenue"), "deflator_index"] == pytest.approx(102.0)
    assert b.loc[(0, "revenue"), "deflator_basis"] == "release"
    # the bridge's requirement is the council's nominal costs in the affordability table
    aff, _ = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS, contingency=0.1)
    council = aff[aff["agency"] == "council"].set_index("year")["costs"]
    assert b.groupby(level="year")["requirement"].sum().tolist() == pytest.approx(council.tolist())


def test_the_contingency_raises_the_affordability_gap_the_decision_tests():
    """Costs 1,200 + 330 and 612 + 336.6 with the 10% contingency on staff; cashable 500 and
    510; the gap is 1,530 - 500 + 948.6 - 510 = 1,468.6 (1,408 without the contingency)."""
    a = appraisal()
    _, without = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS)
    _, with_c = costs.decide_appraisal(a, OPTIONS, deflators=DEFLATORS, contingency=0.1)
    gap = lambda d: d.table.set_index("option_id").loc["pref", "affordability_gap"]  # noqa: E731
    assert gap(without) == pytest.approx(1408.0)
    assert gap(with_c) == pytest.approx(1468.6)


# --------------------------------------------------------------------- funding plan

REQ = pd.DataFrame(
    {
        "year": [0, 0, 1, 1],
        "financial_year": ["2025-26", "2025-26", "2026-27", "2026-27"],
        "cost_type": ["capital", "revenue", "capital", "revenue"],
        "requirement": [1000.0, 300.0, 0.0, 400.0],
    }
)
SOURCES = [
    {"id": "F1", "source": "Bid", "kind": "grant", "funds": "capital_and_revenue",
     "status": "applied_for", "amounts": {"a": 500.0}},
    {"id": "F2", "source": "Capital programme", "kind": "capital_programme", "funds": "capital",
     "status": "secured", "amounts": {"a": 800.0}},
    {"id": "F3", "source": "Savings", "kind": "cashable_savings", "funds": "revenue",
     "status": "to_identify", "amounts": {"a": 600.0}},
]  # fmt: skip


def test_the_funding_plan_by_hand():
    """Year 0: restricted sources first: capital programme 800 of the 1,000 capital, savings
    100 (all that is found in year 0) of the 300 revenue; then the bid (either): 200 capital,
    200 revenue; bid left 100. Year 1: savings found 250 more -> 250 of the 400 revenue; bid
    100; 50 unfunded: the gap. Every row adds up to the requirement."""
    plan = fu.funding_plan("a", REQ, {0: 100.0, 1: 250.0}, SOURCES)
    got = plan.groupby(["year", "cost_type", "source_id"])["amount"].sum().to_dict()
    assert got == pytest.approx({
        (0, "capital", "F2"): 800.0, (0, "capital", "F1"): 200.0,
        (0, "revenue", "F3"): 100.0, (0, "revenue", "F1"): 200.0,
        (1, "revenue", "F3"): 250.0, (1, "revenue", "F1"): 100.0, (1, "revenue", "gap"): 50.0,
    })  # fmt: skip
    assert plan["amount"].sum() == pytest.approx(REQ["requirement"].sum())
    assert fu.savings_problems(plan, {0: 100.0, 1: 250.0}) == []
    s = fu.funding_status("a", "pref", REQ, plan)
    assert (s["ask"], s["capital"], s["revenue"]) == pytest.approx((1700.0, 1000.0, 700.0))
    assert (s["secured"], s["applied_for"], s["to_identify"], s["gap"]) == pytest.approx(
        (800.0, 500.0, 350.0, 50.0)
    )
    assert s["secured_share"] == pytest.approx(800.0 / 1700.0)


def test_a_capital_programme_never_funds_revenue_and_savings_never_exceed_what_is_found():
    plan = fu.funding_plan("a", REQ, {0: 0.0, 1: 0.0}, SOURCES)
    cap = plan[plan["source_id"] == "F2"]
    assert set(cap["cost_type"]) == {"capital"}
    assert plan[plan["kind"] == "cashable_savings"].empty  # no savings found: none drawn
    # unused savings are held for later years, never drawn before they are found
    held = fu.funding_plan("a", REQ, {0: 1000.0, 1: 0.0}, SOURCES)
    drawn = held[held["kind"] == "cashable_savings"].groupby("year")["amount"].sum()
    assert drawn.to_dict() == pytest.approx({0: 300.0, 1: 300.0})  # 600 stated in all
    assert fu.savings_problems(held, {0: 1000.0, 1: 0.0}) == []


def test_the_savings_check_fails_when_a_plan_draws_savings_not_yet_found():
    plan = fu.funding_plan("a", REQ, {0: 100.0, 1: 250.0}, SOURCES)
    plan.loc[(plan["source_id"] == "F3") & (plan["year"] == 0), "amount"] = 150.0
    problems = fu.savings_problems(plan, {0: 100.0, 1: 250.0})
    assert problems and problems[0].startswith("year 0")


def test_savings_expected_beyond_what_the_appraisal_finds_are_shown():
    plan = fu.funding_plan("a", REQ, {0: 100.0, 1: 250.0}, SOURCES)
    rows = {r["source_id"]: r for r in fu.source_summary("a", plan, SOURCES, {0: 100.0, 1: 250.0})}
    assert rows["F3"]["stated"] == 600.0 and rows["F3"]["used"] == pytest.approx(350.0)
    assert rows["F3"]["savings_found"] == pytest.approx(350.0)
    assert rows["F3"]["beyond_savings"] == pytest.approx(250.0)
    assert rows["F2"]["beyond_savings"] is None and rows["F2"]["unused"] == pytest.approx(0.0)


def test_nothing_to_fund_when_business_as_usual_is_recommended():
    plan = fu.funding_plan("a", REQ.iloc[0:0], {}, SOURCES)
    assert plan.empty
    s = fu.funding_status("a", "bau", REQ.iloc[0:0], plan)
    assert s["ask"] == 0.0 and s["secured_share"] is None


# --------------------------------------------------------------------- benefits realisation

BENEFITS = pd.DataFrame(
    {
        "option_id": ["pref", "pref", "pref", "pref"],
        "outcome_id": ["T1", "O1", "O1b", "Z"],
        "outcome": ["Staff time", "Cases (police)", "Cases (health)", "Unvalued"],
        "cohort": [660.0, 1200.0, 1200.0, 10.0],
        "fiscal_value": [32.0, 1800.0, 1200.0, 0.0],
        "economic_value": [0.0, 0.0, 0.0, 0.0],
        "social_value": [0.0, 3900.0, 0.0, 0.0],
    }
)


def flows(o1b_scale=1.0):
    """Outcomes the appraisal counts: T1 660 x 0.8 x 0.9 = 475.2 from year 0; O1 and O1b
    1,200 x 0.7 x 0.15 x 0.75 = 94.5 from year 1 (lag 1), dropping 10% a year."""
    rows = [("pref", "T1", y, "fiscal", 475.2) for y in range(3)]
    for oid, k in (("O1", 1.0), ("O1b", o1b_scale)):
        rows += [("pref", oid, y, vt, k * v) for y, v in ((0, 0.0), (1, 94.5), (2, 85.05))
                 for vt in ("fiscal", "social")]  # fmt: skip
    return pd.DataFrame(rows, columns=["option_id", "outcome_id", "year", "value_type",
                                       "outcomes"])  # fmt: skip


ENTRIES = [
    {"benefit": "Staff time released", "outcomes": ["T1"], "owner_role": "Head of performance",
     "measure": "Hours a year", "data_source": "Timesheets"},
    {"benefit": "Repeat victims", "councils": ["a"], "outcomes": ["O1", "O1b"],
     "owner_role": "Partnership manager", "measure": "Victims a year", "data_source": "Records"},
]  # fmt: skip


def test_the_target_is_what_the_appraisal_counts_and_the_baseline_the_cohort():
    r = benefits_realisation("a", "pref", BENEFITS, flows(), ENTRIES, "2025-26").set_index("entry")
    assert r.loc[0, "baseline"] == 660.0 and r.loc[0, "target"] == pytest.approx(475.2)
    assert (r.loc[0, "due_year"], r.loc[0, "due_financial_year"]) == (0, "2025-26")
    assert r.loc[1, "target"] == pytest.approx(94.5) and r.loc[1, "due_year"] == 1
    assert r.loc[1, "due_financial_year"] == "2026-27"
    assert r.loc[1, "outcome_ids"] == "O1;O1b" and r.loc[1, "value_types"] == "fiscal;social"
    assert r.loc[1, "owner_role"] == "Partnership manager"
    assert len(r) == 2  # the unvalued line Z is not a monetised benefit


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (ENTRIES[:1], "O1 of b's cost workbook (Benefits sheet) is covered by no entry"),
        (ENTRIES + [dict(ENTRIES[0], outcomes=["T1"])], "T1 of b's cost workbook (Benefits "
         "sheet) is covered by 2 entries"),
    ],
)  # fmt: skip
def test_every_monetised_line_needs_exactly_one_entry(entries, expected):
    entries = [dict(e, councils=["b"]) if e.get("councils") else e for e in entries]
    with pytest.raises(ValueError, match="benefits.realisation") as err:
        benefits_realisation("b", "pref", BENEFITS, flows(), entries, "2025-26")
    assert expected in str(err.value)


def test_lines_under_one_entry_must_count_the_same_outcomes():
    with pytest.raises(ValueError, match="O1 and O1b of a's cost workbook count different"):
        benefits_realisation("a", "pref", BENEFITS, flows(o1b_scale=0.5), ENTRIES, "2025-26")
