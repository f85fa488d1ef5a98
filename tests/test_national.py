"""Tests of analysis.costs.national: declared drivers and the ratio extrapolation."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import costs as na


def test_councils_by_tier_match_published_totals():
    """MHCLG 'Local government structure and elections' (2023): 317 councils in England;
    22 in Wales (Local Government (Wales) Act 1994), 32 in Scotland (Local Government etc.
    (Scotland) Act 1994), 11 in Northern Ireland (Local Government Act (NI) 2014)."""
    t = na.councils_by_tier(na.read_national_drivers())
    by_nation = t[t["nation"] != "uk"].groupby("nation")["councils"].sum()
    assert by_nation.to_dict() == {
        "england": 317,
        "wales": 22,
        "scotland": 32,
        "northern_ireland": 11,
    }
    assert t.iloc[-1]["councils"] == 382


def test_population_adds_to_published_uk_total():
    """ONS mid-2022 estimate for the UK: 67,596,281 (the sum of the four nations' rows)."""
    d = na.read_national_drivers()
    assert d.loc[d["kind"] == "population", "value"].sum() == 67_596_281


def test_every_driver_has_source_year_and_confidence():
    d = na.read_national_drivers()
    for col in ("source", "year", "confidence", "vintage"):
        assert d[col].notna().all(), col
    assert set(d["confidence"]) <= {"high", "medium", "low", "assumption"}


def test_delivering_nations():
    d = na.read_national_drivers()
    # Health and Social Care Trusts, not councils, run social care in Northern Ireland.
    assert na.delivering_nations(d, "adult_social_care") == ["england", "wales", "scotland"]
    assert "northern_ireland" in na.delivering_nations(d, "fly_tipping")


def _drivers():
    return pd.DataFrame(
        {
            "driver_id": ["c_e", "c_w", "p_e", "p_w", "v", "take_up_low", "take_up_central",
                          "take_up_high"],
            "kind": ["councils", "councils", "population", "population", "service_volume",
                     "assumption", "assumption", "assumption"],
            "nation": ["england", "wales", "england", "wales", "england", "uk", "uk", "uk"],
            "tier": ["unitary", "unitary", "", "", "", "", "", ""],
            "service_area": ["", "", "", "", "fly_tipping", "", "", ""],
            "value": [100, 10, 1_000_000, 100_000, 50_000, 0.2, 0.5, 0.8],
            "service_areas": ["fly_tipping", "fly_tipping", "", "", "", "", "", ""],
            "source": ["t"] * 8,
        }
    )  # fmt: skip


def test_extrapolation_by_hand():
    """Volume method: NPSV / local volume x England volume x (E + W pop) / E pop x take-up.
    Population method: NPSV / local population x (E + W pop) x take-up."""
    cases = pd.DataFrame(
        {
            "authority": ["a"],
            "service_area": ["fly_tipping"],
            "npsv_low": [-10_000.0],
            "npsv_central": [20_000.0],
            "npsv_high": [50_000.0],
            "local_volume": [1_000.0],
            "local_population": [50_000.0],
        }
    )
    s = na.national_scale(cases, _drivers()).set_index(["method", "scenario"])
    vol_c = 20_000 / 1_000 * 50_000 * 1_100_000 / 1_000_000 * 0.5
    assert s.loc[("volume", "central"), "national_npsv"] == pytest.approx(vol_c)
    pop_h = 50_000 / 50_000 * 1_100_000 * 0.8
    assert s.loc[("population", "high"), "national_npsv"] == pytest.approx(pop_h)
    r = na.national_range(na.national_scale(cases, _drivers())).set_index("service_area")
    assert r.loc["fly_tipping", "central"] == pytest.approx(vol_c)
    assert r.loc["fly_tipping", "low"] == pytest.approx(-10_000 / 1_000 * 55_000 * 0.2)
    # high: the larger of volume (50 x 55,000 x 0.8) and population (880,000)
    assert r.loc["fly_tipping", "high"] == pytest.approx(max(50 * 55_000 * 0.8, pop_h))
    assert r.loc["fly_tipping", "low"] <= r.loc["fly_tipping", "central"]
    assert r.loc["fly_tipping", "central"] <= r.loc["fly_tipping", "high"]
    assert r.loc["total", "central"] == pytest.approx(vol_c)


def test_unknown_service_area_rejected():
    cases = pd.DataFrame(
        {
            "authority": ["a"],
            "service_area": ["libraries"],
            "npsv_low": [1.0],
            "npsv_central": [1.0],
            "npsv_high": [1.0],
            "local_volume": [1.0],
            "local_population": [1.0],
        }
    )
    with pytest.raises(ValueError):
        na.national_scale(cases, _drivers())
