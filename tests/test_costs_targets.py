"""Cost-group targets of uncertain inputs (review finding 1): a capital-cost multiplier scales
every capital line of the option, not one of them.

Independent computation: NPSV is linear in a multiplier m of a set of cost lines, so
NPSV(m) = NPSV(1) - (m - 1) x PV(those lines after optimism bias), and the switching value is
m* = 1 + NPSV / PV. PV is written out here with numpy from the inputs: optimism bias is HM
Treasury's upper bound x (1 - mitigation) (HM Treasury 2003, equipment/development capital
200%) or the confidence-grade uplift if larger; Green Book discount factors 1.035**-t (Annex
A6, year 0 undiscounted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_appraisal import COST_COLS, DEFLATORS, GRADES, make_inputs

from analysis import costs

MITIGATION = 0.4  # capital uplift 2.0 x (1 - 0.4) = 1.2


def inputs():
    """make_inputs plus a second capital line, two staff lines and a licence line."""
    params, options, c, b = make_inputs(n=6, mitigation=MITIGATION)
    extra = [
        ("pref", "L3", "Model", "capital", "council", "external", 3, "2025-26", "real", 1, 8000.0),
        ("pref", "L4", "Analyst", "staff", "council", "in_house", 2, "2025-26", "real", 1, 500.0),
        ("pref", "L5", "Scientist", "staff", "council", "in_house", 2, "2025-26", "real", 2, 700.0),
        ("pref", "L6", "Licence", "revenue", "council", "external", 3, "2025-26", "real", 1, 300.0),
    ]
    c = pd.concat([c, pd.DataFrame(extra, columns=COST_COLS)], ignore_index=True)
    b = b.assign(cohort=40000.0)  # benefits large enough for a positive NPSV
    return params, options, c, b


def model(params, options, c, b):
    return costs.build_array_model(
        params, options, c, b, "pref", deflators=DEFLATORS, confidence_grades=GRADES
    )


def pv_by_hand(c: pd.DataFrame, cost_type: str) -> float:
    """PV of the option's lines of one type after optimism bias, written out."""
    rows = c[(c["option_id"] == "pref") & (c["cost_type"] == cost_type)]
    grade = {1: 0.0, 2: 0.05, 3: 0.10, 4: 0.15, 5: 0.25}
    hmt = 2.0 * (1 - MITIGATION) if cost_type == "capital" else 0.0
    uplift = np.array([max(hmt, grade[g]) for g in rows["confidence_grade"]])
    factors = 1.035 ** -rows["year"].to_numpy(float)
    return float((rows["amount"].to_numpy() * (1 + uplift) * factors).sum())


def test_parse_group_targets():
    assert costs.parse_target("costs:pref:type=capital:amount") == (
        "costs",
        "pref",
        "type=capital",
        "amount",
    )
    assert costs.cost_group("type=staff") == "staff"
    assert costs.cost_group("L1") is None
    assert costs.is_group_target("costs:pref:type=revenue:amount")
    assert not costs.is_group_target("costs:pref:L1:amount")
    with pytest.raises(ValueError, match="cost group"):
        costs.parse_target("costs:pref:type=hardware:amount")


@pytest.mark.parametrize("kind", ["capital", "staff", "revenue"])
def test_group_multiplier_moves_npsv_by_the_pv_of_every_line_of_its_type(kind):
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    central = float(costs.evaluate(m)["npsv"][0])
    moved = float(costs.evaluate(m, {f"costs:pref:type={kind}:amount": (1.5, True)})["npsv"][0])
    pv = pv_by_hand(c, kind)
    assert central - moved == pytest.approx(0.5 * pv, rel=1e-10)


def test_a_one_line_target_scales_only_that_line():
    """The old example's target: 'costs:pref:L2:amount' moves NPSV by L2's PV alone, less
    than the capital group (L2 and L3); the review's finding was exactly this gap."""
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    central = float(costs.evaluate(m)["npsv"][0])
    one = central - float(costs.evaluate(m, {"costs:pref:L2:amount": (2.0, True)})["npsv"][0])
    group = central - float(
        costs.evaluate(m, {"costs:pref:type=capital:amount": (2.0, True)})["npsv"][0]
    )
    l2 = c[(c["option_id"] == "pref") & (c["line_id"] == "L2")]
    assert one == pytest.approx(float(l2["amount"].sum()) * 2.2, rel=1e-10)  # year 0, 120%
    assert group == pytest.approx(pv_by_hand(c, "capital"), rel=1e-10)
    assert group > one


def test_switching_value_of_a_group_multiplier_is_one_plus_npsv_over_its_pv():
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    unc = pd.DataFrame(
        {
            "parameter": ["Capital cost multiplier", "Staff cost multiplier"],
            "target": ["costs:pref:type=capital:amount", "costs:pref:type=staff:amount"],
            "low": [0.8, 0.9],
            "high": [1.2, 1.1],
            "distribution": ["triangular", "uniform"],
            "source": ["t", "t"],
        }
    )
    sw = costs.switching_values(m, unc).set_index("target")
    npsv = float(costs.evaluate(m)["npsv"][0])
    assert npsv > 0
    for kind in ("capital", "staff"):
        expected = 1 + npsv / pv_by_hand(c, kind)
        assert sw.loc[f"costs:pref:type={kind}:amount", "switching_value"] == pytest.approx(
            expected, rel=1e-9
        )
    assert sw["npsv_central"].tolist() == pytest.approx([npsv, npsv])
    assert (sw["admissible_low"] == 0).all() and np.isinf(sw["admissible_high"]).all()


def test_a_line_and_its_group_multipliers_compose():
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    central = float(costs.evaluate(m)["npsv"][0])
    both = float(
        costs.evaluate(
            m, {"costs:pref:L3:amount": (2.0, True), "costs:pref:type=capital:amount": (1.5, True)}
        )["npsv"][0]
    )
    l3 = 8000 * 2.2 / 1.035  # year 1, 120% uplift
    l2 = 10000 * 2.2
    # L3 at 2 x 1.5 = 3 times, L2 at 1.5 times
    assert central - both == pytest.approx(2.0 * l3 + 0.5 * l2, rel=1e-10)


def test_a_group_target_needs_a_multiplier_and_a_line_of_its_type():
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    with pytest.raises(ValueError, match="multiplier"):
        costs.evaluate(m, {"costs:pref:type=capital:amount": (5000.0, False)})
    with pytest.raises(ValueError, match="multiplier"):
        costs.central_value(m, "costs:pref:type=capital:amount", False)
    c2 = c[~((c["option_id"] == "pref") & (c["cost_type"] == "revenue") & (c["line_id"] != "L1"))]
    c2 = c2[~((c2["option_id"] == "pref") & (c2["line_id"] == "L1"))]
    m2 = model(params, options, c2, b)
    with pytest.raises(ValueError, match="no cost line of its type"):
        costs.evaluate(m2, {"costs:pref:type=revenue:amount": (1.1, True)})


def test_describe_target_says_what_it_scales_in_words():
    _params, _options, c, b = inputs()
    assert costs.describe_target("costs:pref:type=capital:amount", c, b) == (
        "all 2 capital cost lines of the option"
    )
    assert costs.target_lines("costs:pref:type=staff:amount", c) == ["L4", "L5"]
    assert costs.describe_target("costs:pref:L6:amount", c, b) == "the cost line “Licence”"
    assert costs.describe_target("benefits:pref:O1:success_rate", c, b) == (
        "the success rate of “Outcome”"
    )
    assert "non-staff revenue" in costs.describe_target("costs:pref:type=revenue:amount", c, b)


def test_monte_carlo_inputs_list_every_input_with_its_distribution_and_source():
    params, options, c, b = inputs()
    m = model(params, options, c, b)
    unc = pd.DataFrame(
        {
            "parameter": ["Capital cost multiplier", "Success rate", "Other option"],
            "target": [
                "costs:pref:type=capital:amount",
                "benefits:pref:O1:success_rate",
                "costs:other:L1:amount",
            ],
            "low": [0.8, 0.2, 0.5],
            "high": [1.2, 0.6, 1.5],
            "distribution": ["triangular", "uniform", "uniform"],
            "source": ["ASSUME", "EVAL", "ASSUME"],
        }
    )
    sources = pd.DataFrame({"source_id": ["ASSUME"], "description": ["An assumption"]})
    t = costs.monte_carlo_inputs(m, unc, c, b, sources)
    assert list(t.columns) == costs.MC_INPUT_COLUMNS
    assert t["target"].tolist() == unc["target"].tolist()[:2]  # the other option's is left out
    assert t["central"].tolist() == [1.0, 0.4]  # a multiplier's centre is 1
    assert t["is_multiplier"].tolist() == ["yes", "no"]
    assert t["scope"].iloc[0] == "all 2 capital cost lines of the option"
    assert t["source_description"].tolist() == ["An assumption", ""]


def shared_inputs():
    """inputs() plus a second line of the same outcome whose savings fall to the police."""
    params, options, c, b = inputs()
    b = pd.concat([b, b.assign(outcome_id="O1b", fiscal_agency="police", fiscal_value=20.0)])
    return params, options, c, b.reset_index(drop=True)


def test_a_shared_benefit_input_moves_every_line_it_names():
    """One outcome split over two payers: its success rate is one input. NPSV is linear in it,
    so halving it halves both lines' benefits: the change is half the PV of both lines."""
    params, options, c, b = shared_inputs()
    m = model(params, options, c, b)
    pvb = float(costs.evaluate(m)["pv_benefits"][0])
    one = float(
        costs.evaluate(m, {"benefits:pref:O1:success_rate": (0.2, False)})["pv_benefits"][0]
    )
    both = float(
        costs.evaluate(m, {"benefits:pref:O1+O1b:success_rate": (0.2, False)})["pv_benefits"][0]
    )
    assert both == pytest.approx(pvb / 2, rel=1e-10)  # 0.4 -> 0.2 on every line
    assert pvb / 2 < one < pvb  # one line alone leaves the police's half untouched
    assert costs.central_value(m, "benefits:pref:O1+O1b:success_rate", False) == 0.4
    assert costs.describe_target("benefits:pref:O1+O1b:success_rate", c, b) == (
        "the success rate of “Outcome” and “Outcome”"
    )


def test_shared_benefit_lines_need_one_central_value():
    params, options, c, b = shared_inputs()
    b.loc[b["outcome_id"] == "O1b", "success_rate"] = 0.3
    m = model(params, options, c, b)
    with pytest.raises(ValueError, match="same central value"):
        costs.central_value(m, "benefits:pref:O1+O1b:success_rate", False)
    assert costs.central_value(m, "benefits:pref:O1+O1b:success_rate", True) == 1.0
