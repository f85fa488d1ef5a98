"""Tests of analysis.costs.montecarlo: seeding, distributions, convergence to the central case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import costs as ap
from analysis.costs import montecarlo as mc

DEFLATORS = pd.DataFrame({"financial_year": ["2024-25", "2025-26"], "index": [98.0, 100.0]})
GRADES = pd.DataFrame(
    {"grade": [1, 2, 3, 4, 5], "benefit_reduction": [0.0] * 5, "cost_uplift": [0.0] * 5}
)


def make_model(n=5):
    params = {
        "price_base_year": "2025-26",
        "appraisal_years": n,
        "optimism_bias_category": "equipment_development",
        "optimism_bias_mitigation": 1.0,
        "discount_schedule": "standard",
    }
    options = pd.DataFrame(
        {"option_id": ["bau", "pref"], "name": ["BAU", "Pref"], "category": ["bau", "preferred"]}
    )
    costs = pd.DataFrame(
        {
            "option_id": ["bau", "pref"],
            "line_id": ["L1", "L2"],
            "description": ["run", "build"],
            "cost_type": ["revenue", "capital"],
            "agency": ["council", "council"],
            "sourcing": ["in_house", "in_house"],
            "confidence_grade": [1, 1],
            "price_year": ["2025-26", "2025-26"],
            "prices": ["real", "real"],
            "year": [0, 0],
            "amount": [0.0, 20_000.0],
        }
    )
    benefits = pd.DataFrame(
        {
            "option_id": ["pref"],
            "outcome_id": ["O1"],
            "outcome": ["x"],
            "cohort": [1000.0],
            "engagement_rate": [0.5],
            "success_rate": [0.4],
            "deadweight": [0.0],
            "lag_years": [1],
            "duration_years": [4],
            "drop_off": [0.0],
            "fiscal_value": [30.0],
            "fiscal_agency": ["nhs"],
            "economic_value": [0.0],
            "social_value": [0.0],
            "cashable_share": [1.0],
            "confidence_grade": [1],
            "price_year": ["2025-26"],
            "source": ["t"],
        }
    )
    return ap.build_array_model(
        params, options, costs, benefits, "pref", deflators=DEFLATORS, confidence_grades=GRADES
    )


def unc(dist_success="uniform", dist_cost="normal"):
    return pd.DataFrame(
        {
            "parameter": ["success_rate", "build_multiplier"],
            "target": ["benefits:pref:O1:success_rate", "costs:pref:L2:amount"],
            "low": [0.3, 0.8],
            "high": [0.5, 1.2],
            "distribution": [dist_success, dist_cost],
            "source": ["t", "t"],
        }
    )


def test_seeded_reproducible():
    m = make_model()
    a = mc.simulate(m, unc(), draws=1000, seed=7)
    b = mc.simulate(m, unc(), draws=1000, seed=7)
    c = mc.simulate(m, unc(), draws=1000, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["npsv"], c["npsv"])


def test_mean_converges_to_central_case_for_symmetric_inputs():
    """Symmetric, independent inputs on which NPSV is linear: E[NPSV] = NPSV(central inputs).
    Checked within 4 standard errors of the simulated mean."""
    m = make_model()
    central = float(ap.evaluate(m)["npsv"][0])
    sim = mc.simulate(m, unc("uniform", "normal"), draws=200_000, seed=1)
    se = sim["npsv"].std(ddof=1) / np.sqrt(len(sim))
    assert abs(sim["npsv"].mean() - central) < 4 * se
    s = mc.summarise(sim).set_index("metric")
    assert s.loc["npsv", "mean"] == pytest.approx(sim["npsv"].mean())
    assert s.loc["npsv", "p50"] == pytest.approx(np.percentile(sim["npsv"], 50))
    assert s.loc["npsv", "p5"] < s.loc["npsv", "p50"] < s.loc["npsv", "p95"]


def test_probability_positive_matches_uniform_switching_value():
    """With success rate ~ U(0.3, 0.5) the only uncertainty, P(NPSV > 0) = (0.5 - s*) / 0.2
    where s* is the (analytic) switching value."""
    m = make_model()
    u = unc().iloc[[0]]
    f = 1.035 ** -np.arange(5)
    pv_per_success = 1000 * 0.5 * 30 * f[1:].sum()
    s_star = 20_000 / pv_per_success
    assert 0.3 < s_star < 0.5
    p_true = (0.5 - s_star) / 0.2
    sim = mc.simulate(m, u, draws=100_000, seed=3)
    p = mc.summarise(sim).set_index("metric").loc["npsv", "prob_positive"]
    assert abs(p - p_true) < 4 * np.sqrt(p_true * (1 - p_true) / 100_000)


def test_distributions():
    m = make_model()
    u = unc("triangular", "normal")
    draws = mc.sample_inputs(m, u, 200_000, seed=11)
    x, is_mult = draws["benefits:pref:O1:success_rate"]
    assert not is_mult
    # triangular(0.3, mode 0.4, 0.5): mean (a + b + c) / 3
    assert x.mean() == pytest.approx(0.4, abs=0.001)
    assert x.min() >= 0.3 and x.max() <= 0.5
    y, is_mult = draws["costs:pref:L2:amount"]
    assert is_mult
    # normal with low/high as the 5th/95th percentiles
    assert np.percentile(y, 5) == pytest.approx(0.8, abs=0.005)
    assert np.percentile(y, 95) == pytest.approx(1.2, abs=0.005)


def test_fraction_draws_clipped_and_bad_ranges_rejected():
    m = make_model()
    u = pd.DataFrame(
        {
            "parameter": ["success_rate"],
            "target": ["benefits:pref:O1:success_rate"],
            "low": [0.0],
            "high": [0.8],
            "distribution": ["normal"],
            "source": ["t"],
        }
    )
    x, _ = mc.sample_inputs(m, u, 10_000, seed=2)["benefits:pref:O1:success_rate"]
    assert x.min() >= 0.0 and x.max() <= 1.0
    bad = u.assign(low=0.45, high=0.5, distribution="triangular")  # excludes the central 0.4
    with pytest.raises(ValueError):
        mc.sample_inputs(m, bad, 10, seed=1)
    with pytest.raises(ValueError):
        mc.sample_inputs(m, u.assign(distribution="beta"), 10, seed=1)


def test_vectorised_equals_per_draw_evaluation():
    """The (draws, years) evaluation gives the same NPSV as evaluating draw by draw."""
    m = make_model()
    draws = mc.sample_inputs(m, unc(), 50, seed=5)
    batch = ap.evaluate(m, draws, draws=50)["npsv"]
    one_by_one = [
        ap.evaluate(m, {t: (v[i], mult) for t, (v, mult) in draws.items()})["npsv"][0]
        for i in range(50)
    ]
    np.testing.assert_allclose(batch, one_by_one, rtol=1e-12)
