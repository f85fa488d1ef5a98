"""Tests of the programme level of the costs stage (analysis.costs.programme).

Two hand-made councils; the national figures are worked out here from the ONS mid-2022
populations in ``analysis/data/national_drivers.csv`` (England 57,106,398, Wales 3,131,640,
Scotland 5,447,700, Northern Ireland 1,910,543) and the take-up assumptions (triangular,
minimum 25%, mode 50%, maximum 75%). Council A's only option offers value for money; council
B's does not (NPSV -0.4, BCR 0.9996), so its decision rule recommends business as usual.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import costs

REPO = Path(__file__).resolve().parents[1]
UK = 57_106_398 + 3_131_640 + 5_447_700 + 1_910_543  # fly-tipping: councils in all four nations
GB = 57_106_398 + 3_131_640 + 5_447_700  # domestic abuse: not Northern Ireland's councils
DRAWS = 10_000
SETTINGS = {"price_base_year": "2025-26", "vintage": "green_book_2022", "seed": 7, "draws": DRAWS}
AUTHORITIES = [
    {
        "id": "a",
        "name": "A Council",
        "service_area": "Environmental services: fly-tipping",
        "tier": "district",
        "population": 100_000,
    },
    {
        "id": "b",
        "name": "B Council",
        "service_area": "Domestic and sexual violence",
        "tier": "unitary",
        "population": 250_000,
    },
]


def council(npsv: float, bcr: float, payback, prob: float, draws=None) -> dict[str, pd.DataFrame]:
    """The tables costs_programme reads for one council (full precision). The NPSV draws are
    ``draws`` (default: all equal to ``npsv``) and the decision is the real rule's."""
    options = pd.DataFrame(
        {
            "option_id": ["bau", "pref"],
            "name": ["Business as usual", "Preferred"],
            "category": ["bau", "preferred"],
        }
    )
    pv_costs = 1000.004
    results = pd.DataFrame(
        [
            {
                "option_id": "pref",
                "name": "Preferred",
                "category": "preferred",
                "pv_costs": pv_costs,
                "pv_benefits": pv_costs + npsv,
                "npsv": npsv,
                "bcr": bcr,
                "vfm_category": "low",
                "payback_year": payback,
                "net_present_budget_impact": -12.345,
                "financial_roi": 0.98765,
            }
        ]
    )
    scenarios = pd.DataFrame(
        {
            "option_id": "pref",
            "scenario": ["low", "central", "high"],
            "npsv": [npsv - 500.0, npsv, npsv + 800.0],
        }
    )
    mc = pd.DataFrame(
        {
            "option_id": "pref",
            "metric": ["npsv", "bcr"],
            "p5": [npsv - 400.0, 0.5],
            "p50": [npsv, 1.0],
            "p95": [npsv + 400.0, 1.5],
            "prob_positive": [prob, float("nan")],
        }
    )
    x = np.full(DRAWS, npsv) if draws is None else np.asarray(draws, dtype=float)
    mc_draws = pd.DataFrame({"option_id": "pref", "draw": np.arange(x.size), "npsv": x})
    baseline = pd.DataFrame({"activity": ["Something else"], "volume": [10.0]})
    return {
        "options": options,
        "baseline": baseline,
        "decision": costs.decide(results, options).table,
        "results": results,
        "scenarios": scenarios,
        "mc_summary": mc,
        "mc_draws": mc_draws,
    }


TABLES = [council(1499.996, 2.5, 2, 0.87654), council(-0.4, 0.9996, float("nan"), 0.4)]


def test_comparison_row_takes_the_decision_rules_option_of_each_council():
    row = costs.programme.comparison_row(AUTHORITIES[0], TABLES[0])
    assert row["option_id"] == "pref" and row["driver_service_area"] == "fly_tipping"
    assert row["npsv_low"] == pytest.approx(999.996) and row["npsv_high"] == pytest.approx(2299.996)
    assert row["mc_p95"] == pytest.approx(1899.996) and row["mc_prob_npsv_positive"] == 0.87654
    assert row["population"] == 100_000.0
    assert row["proposal_agrees"] == "yes" and row["proposed_option_id"] == "pref"
    # B: NPSV -0.4 offers no value for money, so BAU is recommended: nothing gained or spent
    b = costs.programme.comparison_row(AUTHORITIES[1], TABLES[1])
    assert b["option_id"] == "bau" and b["proposed_option_id"] == "pref"
    assert b["proposal_agrees"] == "no"
    assert b["recommendation_reason"] == "no_option_offers_value_for_money"
    assert b["npsv"] == 0.0 and b["pv_costs"] == 0.0 and np.isnan(b["bcr"])
    assert np.isnan(b["mc_p50"]) and b["vfm_category"] is None


def test_published_comparison_rounds_money_to_the_penny():
    pub = costs.programme.published_comparison(costs.comparison_table(AUTHORITIES, TABLES))
    a, b = pub.iloc[0], pub.iloc[1]
    assert a["pv_costs"] == 1000.0 and a["npsv"] == 1500.0 and a["npsv_low"] == 1000.0
    assert a["net_present_budget_impact"] == -12.35  # halves away from zero: -12.345 -> -12.35
    assert a["financial_roi"] == 0.99 and a["mc_prob_npsv_positive"] == 0.877
    assert b["npsv"] == 0.0 and pd.isna(b["bcr"])  # business as usual
    assert pd.isna(b["payback_year"]) and str(pub["population"].dtype) == "Int64"


def test_programme_key_figures_by_hand():
    out = costs.appraise_programme(AUTHORITIES, TABLES, **SETTINGS)
    kf = out.key_figures
    assert kf["councils"] == 2
    assert kf["councils_preferred_bcr_at_least_1"] == 1  # B's 0.9996 is below 1: BAU
    assert kf["councils_preferred_npsv_positive"] == 1
    assert kf["councils_preferred_pays_back"] == 1
    assert kf["councils_proposal_agrees"] == 1 and kf["councils_recommending_bau"] == 1
    assert kf["preferred_npsv_total"] == 1500.0  # 1499.996 + 0 (B recommends BAU)
    assert kf["preferred_pv_costs_total"] == 1000.0  # 1000.004 + 0
    # A only: NPSV per resident x residents of the four nations x take-up; the draws of A are
    # all 1499.996, so the national draws are that times triangular(0.25, 0.5, 0.75) take-up,
    # whose median is 0.5 and whose 5th percentile solves (x - 0.25)^2 / (0.5 x 0.25) = 0.05
    per = 1499.996 / 100_000 * UK
    q5 = 0.25 + (0.05 * 0.5 * 0.25) ** 0.5  # 0.3291
    fly = kf["national_by_service_area"]["fly_tipping"]
    assert fly["central"] == pytest.approx(per * 0.5, rel=0.01)
    assert fly["low"] == pytest.approx(per * q5, rel=0.01)
    assert fly["high"] == pytest.approx(per * (1 - q5), rel=0.01)  # symmetric: 0.75 - 0.079
    assert fly["driver"] == "population" and fly["councils"] == 1
    assert kf["national_central"] == fly["central"]  # the only service scaled
    assert set(kf["national_by_service_area"]) == {"fly_tipping"}
    assert kf["national_excluded"] == {"b": "no_option_offers_value_for_money"}
    assert kf["national_driver_basis"] == {"a": "population"}
    assert kf["national_method"] == "monte_carlo_ratio_estimate"
    assert kf["national_seed"] == 7 and kf["national_draws"] == DRAWS
    assert kf["national_publication_sig_figs"] == 2
    assert kf["uk_councils"] == 382
    assert kf["by_authority"]["a"] == {
        "option_id": "pref",
        "proposed_option_id": "pref",
        "proposal_agrees": True,
        "recommendation_reason": "only_option_offering_value_for_money",
        "npsv": 1500.0,
        "bcr": 2.5,
        "vfm_category": "low",
        "payback_year": 2,
        "mc_prob_npsv_positive": 0.877,
    }
    assert kf["by_authority"]["b"]["option_id"] == "bau"
    assert kf["by_authority"]["b"]["mc_prob_npsv_positive"] is None
    assert "b: left out of the national scale" in out.warnings[0]


def test_national_money_is_published_to_two_significant_figures():
    out = costs.appraise_programme(AUTHORITIES, TABLES, **SETTINGS)
    rng = out.published["range"].set_index("service_area")
    full = out.national.set_index("service_area")
    for col in ("low", "central", "high", "mean"):
        assert rng.loc["total", col] == costs.money_sig(full.loc["total", col])
        digits = f"{abs(rng.loc['total', col]):.0f}".rstrip("0")
        assert len(digits) <= 2, rng.loc["total", col]
    assert out.key_figures["national_central"] == full.loc["total", "central"]  # full precision


def test_appraise_programme_fills_every_output_of_the_rule():
    out = costs.appraise_programme(AUTHORITIES, TABLES, **SETTINGS)
    rule = (REPO / "workflow/rules/costs.smk").read_text(encoding="utf-8")
    block = rule[rule.index("rule costs_programme:") :]
    outputs = set(re.findall(r"^\s{8}(\w+)=", block.split("output:")[1].split("log:")[0], re.M))
    assert set(out.internal) | set(out.published) | {"key_figures"} <= outputs
    scale = out.published["scale"].set_index("authority")
    assert scale.loc["a", "driver"] == "population" and scale.loc["a", "included"] == "yes"
    assert scale.loc["b", "included"] == "no" and pd.isna(scale.loc["b", "driver"])
    assert scale.loc["b", "exclusion_reason"] == "no_option_offers_value_for_money"
    assert set(out.published["assumptions"]["service_area"]) == {"fly_tipping", "domestic_abuse"}
    assert set(out.published["assumptions"]["source"]) == {"programme assumption"}


def test_a_council_without_population_is_left_out_with_a_warning():
    authorities = [dict(AUTHORITIES[0], population=None), AUTHORITIES[1]]
    tables = [TABLES[0], council(20_000.0, 3.0, 1, 0.9)]
    out = costs.appraise_programme(authorities, tables, **SETTINGS)
    assert "a: left out of the national scale (no_population_in_config)" in out.warnings
    assert set(out.national["service_area"]) == {"domestic_abuse", "total"}


def test_drivers_used_are_the_drivers_of_the_national_scale():
    used = costs.programme.drivers_used(costs.read_national_drivers())
    assert list(used.columns) == costs.programme.DRIVER_COLUMNS
    assert set(used["kind"]) == {"councils", "population", "assumption"}
    assert len(used[used["kind"] == "councils"]) == 9
    with_volume = costs.programme.drivers_used(costs.read_national_drivers(), ["fly_tipping"])
    assert with_volume[with_volume["kind"] == "service_volume"]["driver_id"].tolist() == [
        "volume_fly_tipping"
    ]


def test_service_labels_cover_every_driver_key():
    keys = set(costs.read_service_area_aliases()["service_area"])
    assert keys | {"total"} == set(costs.SERVICE_LABELS)


def test_programme_figures_are_drawn(tmp_path):
    out = costs.appraise_programme(AUTHORITIES, TABLES, **SETTINGS)
    paths = {"fig_comparison": tmp_path / "c.png", "fig_national": tmp_path / "n.png"}
    costs.programme_figures(out, paths)
    alt = (tmp_path / "c.alt.txt").read_text(encoding="utf-8")
    # analysis.core.formatting.money: £1.5k below £10k; BAU has NPSV £0 and no BCR
    assert "A Council (Preferred): £1.5k (BCR 2.50); B Council (Business as usual): £0." in alt
    nat = (tmp_path / "n.alt.txt").read_text(encoding="utf-8")
    assert "5th to the 95th percentile" in nat
    assert (tmp_path / "n.png").stat().st_size > 10_000
