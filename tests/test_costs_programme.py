"""Tests of the programme level of the costs stage (analysis.costs.programme).

Two hand-made councils; the national figures are worked out here from the ONS mid-2022
populations in ``analysis/data/national_drivers.csv`` (England 57,106,398, Wales 3,131,640,
Scotland 5,447,700, Northern Ireland 1,910,543) and the 50% central take-up assumption.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import costs

REPO = Path(__file__).resolve().parents[1]
UK = 57_106_398 + 3_131_640 + 5_447_700 + 1_910_543  # fly-tipping: councils in all four nations
GB = 57_106_398 + 3_131_640 + 5_447_700  # domestic abuse: not Northern Ireland's councils
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


def council(npsv: float, bcr: float, payback, prob: float) -> dict[str, pd.DataFrame]:
    """The four tables costs_programme reads for one council (full precision)."""
    options = pd.DataFrame({"option_id": ["bau", "pref"], "category": ["bau", "preferred"]})
    pv_costs = 1000.004
    results = pd.DataFrame(
        [
            {
                "option_id": "pref",
                "name": "Preferred",
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
    return {"options": options, "results": results, "scenarios": scenarios, "mc_summary": mc}


TABLES = [council(1499.996, 2.5, 2, 0.87654), council(-0.4, 0.9996, float("nan"), 0.4)]


def test_comparison_row_takes_the_preferred_option_of_each_council():
    row = costs.programme.comparison_row(AUTHORITIES[0], TABLES[0])
    assert row["option_id"] == "pref" and row["driver_service_area"] == "fly_tipping"
    assert row["npsv_low"] == pytest.approx(999.996) and row["npsv_high"] == pytest.approx(2299.996)
    assert row["mc_p95"] == pytest.approx(1899.996) and row["mc_prob_npsv_positive"] == 0.87654
    assert row["population"] == 100_000.0


def test_published_comparison_rounds_money_to_the_penny():
    pub = costs.programme.published_comparison(costs.comparison_table(AUTHORITIES, TABLES))
    a, b = pub.iloc[0], pub.iloc[1]
    assert a["pv_costs"] == 1000.0 and a["npsv"] == 1500.0 and a["npsv_low"] == 1000.0
    assert a["net_present_budget_impact"] == -12.35  # halves away from zero: -12.345 -> -12.35
    assert a["financial_roi"] == 0.99 and a["mc_prob_npsv_positive"] == 0.877
    assert b["npsv"] == -0.4 and b["bcr"] == 1.0  # 0.9996 to 2 dp
    assert pd.isna(b["payback_year"]) and str(pub["population"].dtype) == "Int64"


def test_programme_key_figures_by_hand():
    out = costs.appraise_programme(
        AUTHORITIES, TABLES, price_base_year="2025-26", vintage="green_book_2022"
    )
    kf = out.key_figures
    assert kf["councils"] == 2
    assert kf["councils_preferred_bcr_at_least_1"] == 1  # 0.9996 is below 1 (unrounded)
    assert kf["councils_preferred_npsv_positive"] == 1
    assert kf["councils_preferred_pays_back"] == 1
    assert kf["preferred_npsv_total"] == 1499.6  # 1499.996 - 0.4 = 1499.596
    assert kf["preferred_pv_costs_total"] == 2000.01  # 2 x 1000.004 = 2000.008
    # central: NPSV per resident x residents of the delivering nations x 50% take-up
    fly = 1499.996 / 100_000 * UK * 0.5
    da = -0.4 / 250_000 * GB * 0.5
    assert kf["national_by_service_area"]["fly_tipping"]["central"] == pytest.approx(fly, abs=0.005)
    assert kf["national_by_service_area"]["domestic_abuse"]["central"] == pytest.approx(
        da, abs=0.005
    )
    assert kf["national_central"] == pytest.approx(fly + da, abs=0.005)
    assert kf["national_low"] <= kf["national_central"] <= kf["national_high"]
    assert set(kf["national_by_service_area"]) == {"fly_tipping", "domestic_abuse"}
    assert kf["uk_councils"] == 382
    assert kf["by_authority"]["a"] == {
        "option_id": "pref",
        "npsv": 1500.0,
        "bcr": 2.5,
        "vfm_category": "low",
        "payback_year": 2,
        "mc_prob_npsv_positive": 0.877,
    }
    assert out.warnings == []


def test_appraise_programme_fills_every_output_of_the_rule():
    out = costs.appraise_programme(
        AUTHORITIES, TABLES, price_base_year="2025-26", vintage="green_book_2022"
    )
    rule = (REPO / "workflow/rules/costs.smk").read_text(encoding="utf-8")
    block = rule[rule.index("rule costs_programme:") :]
    outputs = set(re.findall(r"^\s{8}(\w+)=", block.split("output:")[1].split("log:")[0], re.M))
    assert set(out.internal) | set(out.published) | {"key_figures"} <= outputs
    scale = out.published["scale"]
    assert set(scale["method"]) == {"population"}
    assert (scale["national_npsv"] * 100).round(6).mod(1).eq(0).all()  # whole pennies


def test_a_council_without_population_is_left_out_with_a_warning():
    authorities = [AUTHORITIES[0], dict(AUTHORITIES[1], population=None)]
    out = costs.appraise_programme(
        authorities, TABLES, price_base_year="2025-26", vintage="green_book_2022"
    )
    assert "no population" in out.warnings[0]
    assert set(out.national["service_area"]) == {"fly_tipping", "total"}


def test_drivers_used_are_the_population_method_drivers():
    used = costs.programme.drivers_used(costs.read_national_drivers())
    assert list(used.columns) == costs.programme.DRIVER_COLUMNS
    assert set(used["kind"]) == {"councils", "population", "assumption"}
    assert len(used[used["kind"] == "councils"]) == 9


def test_service_labels_cover_every_driver_key():
    keys = set(costs.read_service_area_aliases()["service_area"])
    assert keys | {"total"} == set(costs.SERVICE_LABELS)


def test_programme_figures_are_drawn(tmp_path):
    out = costs.appraise_programme(
        AUTHORITIES, TABLES, price_base_year="2025-26", vintage="green_book_2022"
    )
    paths = {"fig_comparison": tmp_path / "c.png", "fig_national": tmp_path / "n.png"}
    costs.programme_figures(out, paths)
    alt = (tmp_path / "c.alt.txt").read_text(encoding="utf-8")
    # analysis.core.formatting.money: £1.5k below £10k; a value that rounds to 0 has no sign
    assert "A Council: £1.5k (BCR 2.50); B Council: £0 (BCR 1.00)." in alt
    assert (tmp_path / "n.png").stat().st_size > 10_000
