"""Tests of the cost-benefit model (analysis.costs) against published worked examples and by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import costs as ap

# A flat deflator we can follow by hand: +2% a year, 2025-26 = 100.
DEFLATORS = pd.DataFrame(
    {
        "financial_year": ["2023-24", "2024-25", "2025-26", "2026-27", "2027-28"],
        "index": [100 / 1.02**2, 100 / 1.02, 100.0, 102.0, 104.04],
    }
)
GRADES = pd.DataFrame(
    {
        "grade": [1, 2, 3, 4, 5],
        "benefit_reduction": [0.0, 0.05, 0.10, 0.15, 0.25],
        "cost_uplift": [0.0, 0.05, 0.10, 0.15, 0.25],
    }
)
COST_COLS = [
    "option_id",
    "line_id",
    "description",
    "cost_type",
    "agency",
    "sourcing",
    "confidence_grade",
    "price_year",
    "prices",
    "year",
    "amount",
]
BEN_COLS = [
    "option_id",
    "outcome_id",
    "outcome",
    "cohort",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "lag_years",
    "duration_years",
    "drop_off",
    "fiscal_value",
    "fiscal_agency",
    "economic_value",
    "social_value",
    "cashable_share",
    "confidence_grade",
    "price_year",
    "source",
]


def make_inputs(n=6, category="equipment_development", mitigation=0.9):
    params = {
        "authority_name": "Test",
        "price_base_year": "2025-26",
        "appraisal_years": n,
        "optimism_bias_category": category,
        "optimism_bias_mitigation": mitigation,
        "discount_schedule": "standard",
    }
    options = pd.DataFrame(
        {
            "option_id": ["bau", "pref"],
            "name": ["Business as usual", "Preferred"],
            "category": ["bau", "preferred"],
            "sourcing": ["in_house", "in_house"],
            "description": ["", ""],
        }
    )
    rows = []
    for y in range(n):
        rows.append(
            ("bau", "L1", "Run", "revenue", "council", "in_house", 1, "2025-26", "real", y, 1000.0)
        )
        rows.append(
            ("pref", "L1", "Run", "revenue", "council", "in_house", 1, "2025-26", "real", y, 1000.0)
        )
    rows.append(
        ("pref", "L2", "Build", "capital", "council", "in_house", 1, "2025-26", "real", 0, 10000.0)
    )
    costs = pd.DataFrame(rows, columns=COST_COLS)
    benefits = pd.DataFrame(
        [
            (
                "pref",
                "O1",
                "Outcome",
                1000,
                0.5,
                0.4,
                0.2,
                1,
                3,
                0.1,
                30.0,
                "nhs",
                10.0,
                5.0,
                0.5,
                2,
                "2025-26",
                "test",
            ),
        ],
        columns=BEN_COLS,
    )
    return params, options, costs, benefits


# --- discounting -------------------------------------------------------------------------
def test_green_book_discount_factors():
    """HM Treasury Green Book (2022) Annex A6 discount-factor table: year 1 0.9662,
    year 10 0.7089, year 30 0.3563; year 0 is not discounted."""
    f = ap.discount_factors(80)
    assert f[0] == 1.0
    assert round(f[1], 4) == 0.9662
    assert round(f[10], 4) == 0.7089
    assert round(f[30], 4) == 0.3563
    # The rate steps down after year 30 and does not restart (Annex A6): 1.035**-30 / 1.03.
    assert f[31] == pytest.approx(f[30] / 1.03, rel=1e-12)
    assert f[31] == pytest.approx(1.035**-30 / 1.03, rel=1e-12)
    assert f[76] == pytest.approx(1.035**-30 * 1.03**-45 / 1.025, rel=1e-12)


def test_health_schedule_and_long_bands():
    """Green Book health rate 1.5% then 1.29% from year 31 (Annex A6)."""
    f = ap.discount_factors(32, schedule="health")
    assert f[1] == pytest.approx(1 / 1.015)
    assert f[31] == pytest.approx(1.015**-30 / 1.0129)
    rates = ap.discount_rates(400)
    assert rates[200] == 0.02 and rates[201] == 0.015 and rates[301] == 0.01


def test_schedule_loader_switches_by_vintage():
    sched = ap.read_discount_schedules()
    alt = sched[sched["schedule"] == "standard"].assign(vintage="test_2099", rate=0.05)
    both = pd.concat([sched, alt], ignore_index=True)
    assert ap.discount_factors(3, "standard", "test_2099", both)[2] == pytest.approx(1.05**-2)
    assert ap.discount_factors(3, "standard", "green_book_2022", both)[2] == pytest.approx(
        1.035**-2
    )
    with pytest.raises(ValueError):
        ap.discount_factors(3, "standard", "no_such_vintage")


def test_published_npv_example_and_spreadsheet_off_by_one():
    """numpy-financial docs, ``npv`` example: -40,000 now then 5,000, 8,000, 12,000, 30,000 at
    8% gives NPV 3,065.22 (flows start at t = 0). Excel's NPV() would discount the first flow
    too and give 3,065.22 / 1.08 = 2,838.17; our convention must give the former."""
    sched = pd.DataFrame(
        {
            "schedule": ["flat"],
            "vintage": ["x"],
            "year_from": [0],
            "year_to": [np.nan],
            "rate": [0.08],
        }
    )
    f = ap.discount_factors(5, "flat", schedules=sched)
    npv = ap.present_value([-40_000, 5_000, 8_000, 12_000, 30_000], f)
    assert round(float(npv), 2) == 3065.22
    assert round(float(npv) / 1.08, 2) == 2838.17


def test_annuity_present_value():
    """£100 a year in years 1..30 at 3.5%: annuity formula 100 (1 - 1.035^-30) / 0.035."""
    flows = np.r_[0.0, np.full(30, 100.0)]
    pv = ap.present_value(flows, ap.discount_factors(31))
    assert pv == pytest.approx(100 * (1 - 1.035**-30) / 0.035, rel=1e-12)


# --- real terms --------------------------------------------------------------------------
def test_financial_year_helpers():
    """The cost model steps through financial years with analysis.core.periods."""
    from analysis.core.periods import add_financial_years, normalise_financial_year

    assert normalise_financial_year("2025/26") == "2025-26"
    assert normalise_financial_year("2025-2026") == "2025-26"
    assert add_financial_years("2099-00", 1) == "2100-01"
    with pytest.raises(ValueError):
        normalise_financial_year("2025-27")


def test_rebase_and_uprate():
    idx = ap.deflator_index(DEFLATORS, "2024-25")
    assert idx["2024-25"] == pytest.approx(100.0)
    assert idx["2025-26"] == pytest.approx(102.0)
    # £1 of 2023-24 is worth 1.02**2 in 2025-26 prices.
    assert ap.real_terms_factor("2023-24", "2025-26", DEFLATORS) == pytest.approx(1.0404)
    # Beyond the series: extended at 2% a year (documented assumption).
    assert ap.deflator_index(DEFLATORS, "2025-26", through="2028-29")["2028-29"] == pytest.approx(
        104.04 * 1.02
    )


def test_nominal_flows_deflated_then_discounted():
    """£1,000 cash in year 2 (2027-28, index 104.04 on 2025-26 = 100) is £1,000 / 1.0404 in
    real terms, and only that real amount is discounted: x 1.035**-2."""
    params, options, costs, benefits = make_inputs(n=3)
    costs = pd.DataFrame(
        [
            ("bau", "L1", "x", "revenue", "council", "in_house", 1, "2025-26", "real", 0, 0.0),
            (
                "pref",
                "L9",
                "x",
                "revenue",
                "council",
                "in_house",
                1,
                "2025-26",
                "nominal",
                2,
                1000.0,
            ),
            ("pref", "L8", "x", "revenue", "council", "in_house", 1, "2023-24", "real", 1, 1000.0),
        ],
        columns=COST_COLS,
    )
    a = ap.appraise(
        params, options, costs, benefits.iloc[0:0], deflators=DEFLATORS, confidence_grades=GRADES
    )
    pc = a.costs.set_index("line_id")
    assert pc.loc["L9", "amount_real"] == pytest.approx(1000 / 1.0404)
    assert pc.loc["L8", "amount_real"] == pytest.approx(1000 * 1.0404)
    expected = 1000 / 1.0404 / 1.035**2 + 1000 * 1.0404 / 1.035
    assert a.results.loc[0, "pv_costs"] == pytest.approx(expected)


# --- optimism bias and grades ------------------------------------------------------------
def test_optimism_bias_hmt_table():
    """HM Treasury (2003) Supplementary Green Book Guidance: Optimism Bias: uplift = upper
    bound x (1 - share mitigated). Standard buildings, capital upper 24%: half mitigated 12%;
    equipment/development upper 200%; outsourcing 41% on operating cost."""
    assert ap.optimism_bias_uplift("standard_buildings", 0.5) == pytest.approx(0.12)
    assert ap.optimism_bias_uplift("standard_buildings", 0.0) == pytest.approx(0.24)
    assert ap.optimism_bias_uplift("non_standard_civil_engineering", 0.25) == pytest.approx(0.495)
    assert ap.optimism_bias_uplift("equipment_development", 1.0) == 0.0
    assert ap.optimism_bias_uplift("equipment_development", 0.0) == pytest.approx(2.0)
    assert ap.optimism_bias_uplift("outsourcing", 0.0, "operating_expenditure") == pytest.approx(
        0.41
    )
    assert ap.optimism_bias_uplift("outsourcing", 0.0, "capital_expenditure") == 0.0
    with pytest.raises(ValueError):
        ap.optimism_bias_uplift("standard_buildings", 1.5)


def test_cost_uplift_is_max_of_hmt_and_grade():
    params, _options, costs, _benefits = make_inputs(mitigation=0.95)  # capex 200% x 5% = 10%
    costs.loc[costs["line_id"] == "L2", "confidence_grade"] = 5  # grade uplift 25%
    pc = ap.prepare_costs(costs, params, DEFLATORS, None, GRADES)
    build = pc[pc["line_id"] == "L2"].iloc[0]
    assert build["hmt_uplift"] == pytest.approx(0.10)
    assert build["ob_uplift"] == pytest.approx(0.25)
    assert build["amount_adjusted"] == pytest.approx(12_500)
    run = pc[pc["line_id"] == "L1"].iloc[0]  # revenue line: no HMT bound for this category
    assert run["hmt_uplift"] == 0.0 and run["ob_uplift"] == 0.0


def test_packaged_tables_carry_source_and_vintage():
    for df in (
        ap.read_discount_schedules(),
        ap.read_gdp_deflators(),
        ap.read_optimism_bias(),
        ap.read_confidence_grades(),
    ):
        assert {"source", "vintage"} <= set(df.columns)
        assert df["source"].notna().all() and df["vintage"].notna().all()
    grades = ap.read_confidence_grades()
    assert grades["grade"].tolist() == [1, 2, 3, 4, 5]
    assert grades["benefit_reduction"].is_monotonic_increasing


# --- outcome chain -----------------------------------------------------------------------
def test_outcome_chain_by_hand():
    """1000 x 0.5 x 0.4 x (1 - 0.2) = 160 successful outcomes; lag 1, duration 3, drop-off 10%
    gives shares 0, 1, 0.9, 0.81, 0, 0; value (30 + 10 + 5) x (1 - 5%) for grade 2."""
    params, _o, _c, benefits = make_inputs()
    pb = ap.prepare_benefits(benefits, params, DEFLATORS, GRADES)
    assert pb.loc[0, "successful_outcomes"] == pytest.approx(160.0)
    np.testing.assert_allclose(ap.outcome_profile(1, 3, 0.1, 6), [0, 1, 0.9, 0.81, 0, 0])
    flows = ap.benefit_flows(pb, 6)
    total = flows.groupby("year")["amount"].sum().to_numpy()
    unit = 45 * 0.95
    np.testing.assert_allclose(total, [0, 160 * unit, 160 * unit * 0.9, 160 * unit * 0.81, 0, 0])
    fiscal = flows[flows["value_type"] == "fiscal"]
    assert set(fiscal["agency"]) == {"nhs"}
    np.testing.assert_allclose(fiscal["cashable_amount"], fiscal["amount"] * 0.5)
    assert set(flows["agency"]) == {"nhs", "economy", "society"}


def test_outcome_profile_edge_cases():
    np.testing.assert_allclose(ap.outcome_profile(0, np.nan, 0.0, 3), [1, 1, 1])
    np.testing.assert_allclose(ap.outcome_profile(5, 3, 0.0, 3), [0, 0, 0])
    prof = ap.outcome_profile(np.array([0, 2]), np.array([1, 5]), np.array([0.5, 0.5]), 4)
    np.testing.assert_allclose(prof, [[1, 0, 0, 0], [0, 0, 1, 0.5]])


def test_benefit_price_year_uprated():
    params, _o, _c, benefits = make_inputs()
    benefits.loc[0, "price_year"] = "2023-24"
    pb = ap.prepare_benefits(benefits, params, DEFLATORS, GRADES)
    assert pb.loc[0, "uprate_factor"] == pytest.approx(1.0404)


# --- results -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bcr", "band"),
    [
        (-0.5, "very_poor"),
        (0.0, "very_poor"),
        (0.5, "poor"),
        (0.999, "poor"),
        (1.0, "low"),
        (1.5, "medium"),
        (1.999, "medium"),
        (2.0, "high"),
        (3.99, "high"),
        (4.0, "very_high"),
        (10.0, "very_high"),
        (float("nan"), None),
    ],
)
def test_value_for_money_bands(bcr, band):
    """DfT Value for Money Framework bands; a boundary value belongs to the higher band."""
    assert ap.value_for_money_category(bcr) == band


def test_payback_year():
    ones = np.ones(4)
    assert ap.payback_year([-100, 60, 60, 0], ones) == 2
    assert ap.payback_year([-100, 100, 0, 0], ones) == 1
    assert ap.payback_year([0, -100, 50, 60], ones) == 3  # leading empty year skipped
    assert ap.payback_year([-100, 10, 10, 10], ones) is None
    # discounting delays payback: -100 + 103/1.035 < 0, + 1/1.035**2 > 0
    f = ap.discount_factors(3)
    assert ap.payback_year([-100, 103, 1], ones[:3]) == 1
    assert ap.payback_year([-100, 103, 1], f) == 2


def test_appraise_by_hand():
    """The whole economic and financial case for one option, computed by hand."""
    params, options, costs, benefits = make_inputs()
    a = ap.appraise(params, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)
    f = 1.035 ** -np.arange(6)
    # Costs: BAU and the option share L1, so only the build counts: 10,000 x (1 + 200% x 10%).
    pvc = 12_000.0
    unit = 45 * 0.95
    per_year = 160 * unit * np.array([0, 1, 0.9, 0.81, 0, 0])
    pvb = float(per_year @ f)
    fiscal = 160 * 30 * 0.95 * np.array([0, 1, 0.9, 0.81, 0, 0])
    pvf = float(fiscal @ f)
    r = a.results.iloc[0]
    assert r["option_id"] == "pref"
    assert r["pv_costs"] == pytest.approx(pvc)
    assert r["pv_benefits"] == pytest.approx(pvb)
    assert r["npsv"] == pytest.approx(pvb - pvc)
    assert r["bcr"] == pytest.approx(pvb / pvc)
    assert r["vfm_category"] == ap.value_for_money_category(pvb / pvc)
    assert r["pv_fiscal_benefits"] == pytest.approx(pvf)
    assert r["pv_cashable_benefits"] == pytest.approx(pvf * 0.5)
    # only the cashable half of the fiscal value counts towards the budget (issue 12)
    assert r["net_present_budget_impact"] == pytest.approx(pvf * 0.5 - pvc)
    assert r["financial_roi"] == pytest.approx(pvf / pvc)
    cum = np.cumsum((per_year - np.r_[pvc, 0, 0, 0, 0, 0]) * f)
    expected_payback = int(np.flatnonzero(cum >= 0)[0]) if (cum >= 0).any() else None
    assert (None if pd.isna(r["payback_year"]) else int(r["payback_year"])) == expected_payback
    assert r["gross_pv_costs"] == pytest.approx(pvc + 1000 * f.sum())
    # who pays / who benefits adds up to the totals
    w = a.who_pays
    assert w["pv_costs"].sum() == pytest.approx(pvc)
    assert w["pv_benefits"].sum() == pytest.approx(pvb)
    assert w.set_index("agency").loc["nhs", "pv_benefits"] == pytest.approx(pvf)
    # cash flows: BAU increments are zero; cumulative ends at NPSV
    cf = a.cash_flows
    assert (cf.loc[cf["option_id"] == "bau", "net_benefit"] == 0).all()
    last = cf[cf["option_id"] == "pref"]["cumulative_discounted_net_benefit"].iloc[-1]
    assert last == pytest.approx(pvb - pvc)


def test_exactly_one_bau_required():
    params, options, costs, benefits = make_inputs()
    options.loc[1, "category"] = "bau"
    with pytest.raises(ValueError, match="exactly one"):
        ap.appraise(params, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)


# --- array model, sensitivity, switching values -------------------------------------------
def uncertainty_table():
    return pd.DataFrame(
        {
            "parameter": ["success_rate", "build_multiplier", "drop_off", "mitigation"],
            "target": [
                "benefits:pref:O1:success_rate",
                "costs:pref:L2:amount",
                "benefits:pref:O1:drop_off",
                "parameters:optimism_bias_mitigation",
            ],
            "low": [0.2, 0.8, 0.0, 0.5],
            "high": [0.6, 1.5, 0.5, 1.0],
            "distribution": ["uniform", "triangular", "uniform", "uniform"],
            "source": ["t"] * 4,
        }
    )


def _model(params, options, costs, benefits):
    return ap.build_array_model(
        params, options, costs, benefits, "pref", deflators=DEFLATORS, confidence_grades=GRADES
    )


def test_array_model_matches_tabular_appraisal():
    inputs = make_inputs()
    a = ap.appraise(*inputs, deflators=DEFLATORS, confidence_grades=GRADES)
    res = ap.evaluate(_model(*inputs))
    assert res["npsv"][0] == pytest.approx(a.results.loc[0, "npsv"])
    assert res["pv_costs"][0] == pytest.approx(a.results.loc[0, "pv_costs"])


def test_one_way_sensitivity_matches_rerun():
    """Each tornado end equals a fresh appraisal with that one input changed."""
    params, options, costs, benefits = make_inputs()
    tor = ap.one_way_sensitivity(_model(params, options, costs, benefits), uncertainty_table())
    assert tor["swing"].is_monotonic_decreasing
    row = tor.set_index("target").loc["benefits:pref:O1:success_rate"]
    b2 = benefits.assign(success_rate=0.6)
    a2 = ap.appraise(params, options, costs, b2, deflators=DEFLATORS, confidence_grades=GRADES)
    assert row["npsv_high"] == pytest.approx(a2.results.loc[0, "npsv"])
    row = tor.set_index("target").loc["costs:pref:L2:amount"]
    c2 = costs.copy()
    c2.loc[c2["line_id"] == "L2", "amount"] *= 1.5
    a3 = ap.appraise(params, options, c2, benefits, deflators=DEFLATORS, confidence_grades=GRADES)
    assert row["npsv_high"] == pytest.approx(a3.results.loc[0, "npsv"])
    row = tor.set_index("target").loc["parameters:optimism_bias_mitigation"]
    p2 = dict(params, optimism_bias_mitigation=0.5)
    a4 = ap.appraise(p2, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)
    assert row["npsv_low"] == pytest.approx(a4.results.loc[0, "npsv"])


def test_scenarios_are_ordered():
    s = ap.scenarios(_model(*make_inputs()), uncertainty_table()).set_index("scenario")
    assert s.loc["low", "npsv"] < s.loc["central", "npsv"] < s.loc["high", "npsv"]


def test_switching_value_linear_by_hand():
    """NPSV = s x B1 - C with B1 the PV of benefits per unit success rate: s* = C / B1."""
    inputs = make_inputs()
    sv = ap.switching_values(_model(*inputs), uncertainty_table()).set_index("target")
    f = 1.035 ** -np.arange(6)
    b1 = 1000 * 0.5 * 0.8 * 45 * 0.95 * (np.array([0, 1, 0.9, 0.81, 0, 0]) @ f)
    row = sv.loc["benefits:pref:O1:success_rate"]
    assert row["method"] == "analytic"
    assert row["switching_value"] == pytest.approx(12_000 / b1)
    # cost multiplier: NPSV = B - 12,000 m  ->  m* = B / 12,000
    row = sv.loc["costs:pref:L2:amount"]
    assert row["switching_value"] == pytest.approx(0.4 * b1 / 12_000)


def test_switching_value_nonlinear_against_polynomial_root():
    """Drop-off enters as a polynomial in k = 1 - drop_off; solve it with numpy.roots."""
    params, options, costs, benefits = make_inputs()
    benefits.loc[0, "success_rate"] = 0.4
    # NPSV > 0 at drop-off 0 and < 0 at drop-off 1, so a root lies in between
    sv = ap.switching_values(_model(params, options, costs, benefits), uncertainty_table())
    row = sv.set_index("target").loc["benefits:pref:O1:drop_off"]
    assert row["method"] == "brentq"
    f = 1.035 ** -np.arange(6)
    a = 1000 * 0.5 * 0.4 * 0.8 * 45 * 0.95
    # a (f1 + f2 k + f3 k^2) - 12,000 = 0
    roots = np.roots([a * f[3], a * f[2], a * f[1] - 12_000])
    k = next(r.real for r in roots if abs(r.imag) < 1e-12 and 0 <= r.real <= 1)
    assert row["switching_value"] == pytest.approx(1 - k, abs=1e-8)


def test_target_errors():
    with pytest.raises(ValueError):
        ap.parse_target("benefits:pref:O1:colour")
    with pytest.raises(ValueError):
        ap.parse_target("costs:pref:L1:description")
    with pytest.raises(ValueError):
        ap.evaluate(_model(*make_inputs()), {"benefits:pref:NOPE:cohort": (1.0, False)})


def test_unknown_option_in_costs_rejected():
    params, options, costs, benefits = make_inputs()
    costs.loc[0, "option_id"] = "nope"
    with pytest.raises(ValueError, match="option_id"):
        ap.appraise(params, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)


def test_cost_figures_save_png_and_alt_text(tmp_path):
    """Each figure writes PNG + .alt.txt through analysis.core.plotting and returns its alt text."""
    from analysis.costs import figures as cost_figures
    from analysis.costs import montecarlo

    params, options, costs, benefits = make_inputs()
    benefits.loc[0, "cohort"] = 5000
    a = ap.appraise(params, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)
    r = a.results.iloc[0]
    alt = cost_figures.cumulative_cash_flow_figure(
        a.cash_flows, "pref", tmp_path / "cum.png", r["payback_year"]
    )
    assert f"year {int(r['payback_year'])}" in alt
    m = _model(params, options, costs, benefits)
    alt2 = cost_figures.tornado_figure(
        ap.one_way_sensitivity(m, uncertainty_table()), tmp_path / "t.png"
    )
    sim = montecarlo.simulate(m, uncertainty_table(), draws=2000, seed=1)
    alt3 = cost_figures.monte_carlo_figure(sim, tmp_path / "mc.png")
    # the probability as the tables print it: 3 dp published, one decimal of a percentage
    # (review finding 30: the figure said "100%" where the table said "99.9%")
    share = float((sim["npsv"] > 0).mean())
    assert f"positive in {ap.probability_text(share)} of draws" in alt3
    assert f"{round(100 * share, 1):.1f}%" in alt3 or 0 < share < 1
    for name, text in (("cum", alt), ("t", alt2), ("mc", alt3)):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
        assert (tmp_path / f"{name}.alt.txt").read_text(encoding="utf-8").strip() == text


def test_nominal_cash_inflates_real_flows_by_the_deflator():
    """Financial case in nominal cash: nominal_t = real_t x index_t / index_base (HMT business
    case guidance, financial case). Hand-worked with a made-up deflator series."""
    from analysis.costs import nominal_cash

    deflators = pd.DataFrame(
        {"financial_year": ["2025-26", "2026-27", "2027-28"], "index": [100.0, 102.0, 104.04]}
    )
    lines = pd.DataFrame(
        {
            "option_id": ["p", "p", "p", "p"],
            "cost_type": ["capital", "capital", "staff", "staff"],
            "year": [0, 1, 1, 2],
            "amount_real": [1000.0, 500.0, 200.0, 200.0],
        }
    )
    lines["amount_adjusted"] = lines["amount_real"]  # no optimism bias in this example
    flows = pd.DataFrame(
        {
            "option_id": ["p", "p", "p"],
            "year": [1, 2, 2],
            "value_type": ["fiscal", "fiscal", "social"],
            "amount": [300.0, 300.0, 999.0],
            "cashable_amount": [30.0, 30.0, 0.0],
        }
    )
    out = nominal_cash(lines, flows, "2025-26", deflators).set_index("year")
    assert list(out["financial_year"]) == ["2025-26", "2026-27", "2027-28"]
    assert out.loc[0, "capital"] == pytest.approx(1000.0)  # year 0 is the base: unchanged
    assert out.loc[1, "capital"] == pytest.approx(500.0 * 1.02)
    assert out.loc[1, "revenue_and_staff"] == pytest.approx(200.0 * 1.02)
    assert out.loc[2, "revenue_and_staff"] == pytest.approx(200.0 * 1.0404)
    assert out.loc[2, "total_costs"] == pytest.approx(200.0 * 1.0404)
    assert out.loc[2, "fiscal_benefits"] == pytest.approx(300.0 * 1.0404)  # social excluded
    assert out.loc[1, "cashable_benefits"] == pytest.approx(30.0 * 1.02)
