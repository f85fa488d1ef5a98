"""Tests of analysis.costs.national: declared drivers and the ratio extrapolation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import costs as na
from analysis.costs.national import nation_words


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


def test_take_up_is_a_declared_programme_assumption_with_a_rationale():
    d = na.read_national_drivers()
    a = d[d["kind"] == "assumption"]
    assert set(a["driver_id"]) == {"take_up_low", "take_up_central", "take_up_high"}
    assert set(a["source"]) == {"programme assumption"}
    assert a["rationale"].str.len().gt(40).all()
    assert na.take_up(d) == {"low": 0.25, "central": 0.5, "high": 0.75}
    assert na.TAKE_UP_DISTRIBUTION == "triangular"


def _drivers():
    return pd.DataFrame(
        {
            "driver_id": ["c_e", "c_w", "p_e", "p_w", "v", "take_up_low", "take_up_central",
                          "take_up_high", "take_up_high_fly_tipping"],
            "kind": ["councils", "councils", "population", "population", "service_volume",
                     "assumption", "assumption", "assumption", "assumption"],
            "nation": ["england", "wales", "england", "wales", "england", "uk", "uk", "uk", "uk"],
            "tier": ["unitary", "unitary", "", "", "", "", "", "", ""],
            "service_area": ["", "", "", "", "fly_tipping", "", "", "", "fly_tipping"],
            "value": [100, 10, 1_000_000, 100_000, 50_000, 0.2, 0.5, 0.8, 0.6],
            "service_areas": ["fly_tipping;domestic_abuse", "fly_tipping", "", "", "", "", "", "",
                              ""],
            "local_activity": ["", "", "", "", r"fly-?tip\w*\s+(?:incidents?|clearances?)", "",
                               "", "", ""],
            "source": ["t"] * 9,
        }
    )  # fmt: skip


def test_take_up_of_a_service_overrides_the_default():
    assert na.take_up(_drivers()) == {"low": 0.2, "central": 0.5, "high": 0.8}
    assert na.take_up(_drivers(), "fly_tipping") == {"low": 0.2, "central": 0.5, "high": 0.6}


BASELINE = pd.DataFrame(
    {
        "activity": [
            "Fly-tip clearances in Kent",  # a county-wide spend: volume 1, a lump sum
            "Fly-tip clearances in Canterbury (share of Kent)",
            "Street cleansing hours",
        ],
        "volume": [1.0, 2_400.0, 9_000.0],
    }
)


def test_local_volume_is_the_one_comparable_baseline_row():
    vol, note = na.local_volume(BASELINE, _drivers(), "fly_tipping")
    assert vol == 2_400.0 and note == "Baseline: Fly-tip clearances in Canterbury (share of Kent)"
    two = pd.concat([BASELINE, BASELINE.iloc[[1]].assign(activity="Fly-tip incidents")])
    assert na.local_volume(two, _drivers(), "fly_tipping")[0] is None  # ambiguous
    assert (
        "2 rows of the Baseline sheet count" in na.local_volume(two, _drivers(), "fly_tipping")[1]
    )
    assert na.local_volume(BASELINE.iloc[[0, 2]], _drivers(), "fly_tipping")[0] is None
    # no national volume driver for the service: population it is
    assert na.local_volume(BASELINE, _drivers(), "domestic_abuse") == (
        None,
        "no national service-volume driver for this service",
    )


def _cases(**kw):
    base = {
        "authority": ["a"],
        "service_area": ["fly_tipping"],
        "option_id": ["p"],
        "included": [True],
        "exclusion_reason": [None],
        "npsv_central": [20_000.0],
        "local_population": [50_000.0],
        "local_volume": [1_000.0],
        "local_volume_note": ["Baseline: fly-tip incidents"],
    }
    return pd.DataFrame(base | kw)


def test_scale_by_hand():
    """Volume driver: the England volume carried to England and Wales by population,
    50,000 x 1,100,000 / 1,000,000 = 55,000; population driver: E + W = 1,100,000."""
    s = na.national_scale(_cases(), _drivers()).iloc[0]
    assert s["driver"] == "service_volume" and s["local_driver"] == 1_000.0
    assert s["national_driver"] == pytest.approx(55_000.0)
    assert s["nations"] == "england;wales" and s["included"] == "yes"
    p = na.national_scale(_cases(local_volume=[np.nan], local_volume_note=["none"]), _drivers())
    assert p.iloc[0]["driver"] == "population" and p.iloc[0]["national_driver"] == 1_100_000
    assert p.iloc[0]["local_driver"] == 50_000.0


def test_monte_carlo_by_hand_with_a_fixed_take_up():
    """Take-up fixed at 0.5 (low = central = high), so the national draws are the council's
    draws x 55,000 / 1,000 x 0.5 = x 27.5. Draws 0, 1,000, ..., 19,000 (20 draws): NumPy's
    linear percentile puts P5 at position 0.05 x 19 = 0.95 (950), P50 at 9.5 (9,500) and
    P95 at 18.05 (18,050), whatever order the draws are shuffled into."""
    d = _drivers()
    d.loc[d["driver_id"].str.startswith("take_up"), "value"] = 0.5
    scale = na.national_scale(_cases(), d)
    draws = np.arange(20) * 1_000.0
    sim = na.national_monte_carlo(scale, {"a": draws}, d, seed=1, draws=20)
    r = sim.range.set_index("service_area").loc["fly_tipping"]
    assert r["low"] == pytest.approx(950 * 27.5)
    assert r["central"] == pytest.approx(9_500 * 27.5)
    assert r["high"] == pytest.approx(18_050 * 27.5)
    assert r["mean"] == pytest.approx(9_500 * 27.5) and r["driver"] == "service_volume"
    with pytest.raises(ValueError, match="20 Monte Carlo draws, expected 30"):
        na.national_monte_carlo(scale, {"a": draws}, d, seed=1, draws=30)


def test_unknown_service_area_rejected():
    with pytest.raises(ValueError, match="no council tier delivers"):
        na.national_scale(_cases(service_area=["libraries"]), _drivers())


def _two_cases():
    """Council a: fly-tipping with a comparable volume (1,000; national 55,000). Council b:
    domestic abuse, per resident (50,000; in _drivers only England's councils deliver it, so
    the national driver is England's 1,000,000 residents)."""
    return pd.concat(
        [
            _cases(),
            _cases(
                authority=["b"],
                service_area=["domestic_abuse"],
                local_volume=[np.nan],
                local_volume_note=["no national service-volume driver for this service"],
            ),
        ],
        ignore_index=True,
    )


def test_two_services_by_hand():
    """Take-up fixed at 0.5. a: draws 0, 1,000, ..., 19,000 -> x 27.5 (P5 26,125, P50
    261,250, P95 496,375, see above); b: every draw 2,000 -> 2,000 / 50,000 x 1,000,000 x 0.5
    = 20,000. The total of each draw is a's + 20,000, so its percentiles are a's + 20,000."""
    d = _drivers()
    d.loc[d["driver_id"].str.startswith("take_up"), "value"] = 0.5
    scale = na.national_scale(_two_cases(), d)
    draws = {"a": np.arange(20) * 1_000.0, "b": np.full(20, 2_000.0)}
    r = na.national_monte_carlo(scale, draws, d, seed=3, draws=20).range.set_index("service_area")
    assert r.loc["domestic_abuse", "central"] == pytest.approx(20_000.0)
    assert r.loc["domestic_abuse", "driver"] == "population"
    assert r.loc["total", "low"] == pytest.approx(26_125.0 + 20_000.0)
    assert r.loc["total", "central"] == pytest.approx(261_250.0 + 20_000.0)
    assert r.loc["total", "high"] == pytest.approx(496_375.0 + 20_000.0)
    assert (
        r.loc["total", "councils"] == 2 and r.loc["total", "driver"] == "population;service_volume"
    )


def test_totals_are_percentiles_of_the_summed_draws_not_sums_of_the_extremes():
    """With independent take-up per service the services' low ends rarely coincide: the
    total's P5 is above the sum of the services' P5s and its P95 below the sum of their
    P95s; the mean, a linear statistic, is the sum of the means exactly."""
    d = _drivers()
    scale = na.national_scale(_two_cases(), d)
    draws = {"a": np.full(5_000, 2_000.0), "b": np.full(5_000, 4_000.0)}
    sim = na.national_monte_carlo(scale, draws, d, seed=11, draws=5_000)
    r = sim.range.set_index("service_area")
    services = r.drop(index="total")
    assert r.loc["total", "low"] > services["low"].sum()
    assert r.loc["total", "high"] < services["high"].sum()
    assert r.loc["total", "mean"] == pytest.approx(services["mean"].sum(), rel=1e-12)
    assert r.loc["total", "low"] == np.percentile(sim.total_draws, 5)
    assert r.loc["total", "high"] == np.percentile(sim.total_draws, 95)
    # fly-tipping take-up is triangular(0.2, 0.5, 0.6): its P95 solves
    # (0.6 - x)^2 / ((0.6 - 0.2) x (0.6 - 0.5)) = 0.05, x = 0.6 - sqrt(0.002) = 0.5553
    fly = 2_000.0 / 1_000 * 55_000
    assert r.loc["fly_tipping", "high"] == pytest.approx(fly * (0.6 - 0.002**0.5), rel=0.01)


def test_excluded_councils_contribute_nothing():
    cases = _two_cases()
    cases.loc[1, ["included", "exclusion_reason"]] = [False, "no_option_offers_value_for_money"]
    scale = na.national_scale(cases, _drivers())
    b = scale.set_index("authority").loc["b"]
    assert b["included"] == "no" and b["exclusion_reason"] == "no_option_offers_value_for_money"
    assert pd.isna(b["driver"]) and pd.isna(b["national_driver"])
    sim = na.national_monte_carlo(
        scale, {"a": np.full(100, 2_000.0)}, _drivers(), seed=1, draws=100
    )
    assert list(sim.range["service_area"]) == ["fly_tipping", "total"]
    # the total is fly-tipping's alone: the same draws as a run without council b at all
    fly_only = na.national_monte_carlo(
        na.national_scale(_cases(), _drivers()), {"a": np.full(100, 2_000.0)}, _drivers(),
        seed=1, draws=100,
    )  # fmt: skip
    np.testing.assert_array_equal(sim.total_draws, fly_only.total_draws)


def test_the_same_seed_gives_the_same_numbers():
    scale = na.national_scale(_two_cases(), _drivers())
    rng = np.random.default_rng(0)
    draws = {"a": rng.normal(2_000, 500, 1_000), "b": rng.normal(4_000, 900, 1_000)}
    one = na.national_monte_carlo(scale, draws, _drivers(), seed=5, draws=1_000)
    two = na.national_monte_carlo(scale, draws, _drivers(), seed=5, draws=1_000)
    other = na.national_monte_carlo(scale, draws, _drivers(), seed=6, draws=1_000)
    pd.testing.assert_frame_equal(one.range, two.range)
    np.testing.assert_array_equal(one.total_draws, two.total_draws)
    assert not np.array_equal(one.total_draws, other.total_draws)


def test_the_basis_prints_every_driver_and_reproduces_the_scale_factor():
    """Hand example (the _drivers table): a's fly-tipping volume 1,000 against 50,000
    incidents published for England, carried to England and Wales (councils of both clear
    fly-tips) by population: x 1,100,000 / 1,000,000 = 1.1, so 55,000 and a scale factor of
    55; 110 councils deliver it (100 + 10). b's domestic abuse per resident: 50,000 against
    England's 1,000,000 (only England's councils deliver it here), factor 20, 100 councils."""
    d = _drivers().assign(unit="incidents a year", year="2022-23")
    b = na.scale_basis(na.national_scale(_two_cases(), d), d, {"b": "Census 2021"})
    b = b.set_index("service_area")
    fly = b.loc["fly_tipping"]
    assert (fly["published_value"], fly["carried_factor"]) == (50_000, pytest.approx(1.1))
    assert fly["national_driver"] == pytest.approx(55_000.0) and fly["local_driver"] == 1_000
    assert fly["scale_factor"] == pytest.approx(55.0) and fly["councils_delivering"] == 110
    assert fly["nations"] == "england;wales" and fly["published_geography"] == "england"
    assert fly["local_source"].startswith("cost workbook, Baseline sheet: fly-tip incidents")
    da = b.loc["domestic_abuse"]
    assert da["scale_factor"] == pytest.approx(20.0) and da["councils_delivering"] == 100
    assert da["carried_factor"] == 1.0 and da["national_unit"] == "residents"
    assert da["local_source"] == "Census 2021, as the council's configuration states"
    assert nation_words("england;wales;scotland") == "England, Wales and Scotland"


def test_the_basis_names_a_baseline_row_shared_by_many_councils_once():
    """Three fly-tipping councils whose workbooks count the same Baseline row: the basis
    names it once, not three times (a 64-council programme's drivers table repeated one row
    for each of 14 councils); the local driver is still their sum (3 x 1,000)."""
    cases = pd.concat([_cases(authority=[x]) for x in ("a", "c", "d")], ignore_index=True)
    d = _drivers().assign(unit="incidents a year", year="2022-23")
    fly = na.scale_basis(na.national_scale(cases, d), d, {}).set_index("service_area")
    fly = fly.loc["fly_tipping"]
    note = str(_cases()["local_volume_note"].iloc[0]).removeprefix("Baseline: ")
    assert fly["local_source"] == f"cost workbook, Baseline sheet: {note}"
    assert fly["local_driver"] == 3_000


# ------------------------------------------------------------------------------ from councils


def _same_service(values, locals_, n_draws):
    """Councils c0, c1... of one service (fly-tipping, per resident), each with constant
    NPSV draws ``values[i]`` and population ``locals_[i]``."""
    m = len(values)
    cases = _cases(
        authority=[f"c{i}" for i in range(m)],
        service_area=["fly_tipping"] * m,
        option_id=["p"] * m,
        included=[True] * m,
        exclusion_reason=[None] * m,
        npsv_central=list(values),
        local_population=list(locals_),
        local_volume=[np.nan] * m,
        local_volume_note=["none"] * m,
    )
    draws = {f"c{i}": np.full(n_draws, float(v)) for i, v in enumerate(values)}
    return cases, draws


def test_below_the_threshold_the_range_is_the_extrapolation_unchanged():
    """Two councils of a service and a threshold of three: the same numbers, draw for draw,
    as with no threshold (the method before councils' own appraisals), and it says so."""
    d = _drivers()
    cases, draws = _same_service([1_000.0, 3_000.0], [10_000.0, 30_000.0], 500)
    scale = na.national_scale(cases, d)
    old = na.national_monte_carlo(scale, draws, d, seed=4, draws=500)
    new = na.national_monte_carlo(scale, draws, d, seed=4, draws=500, min_councils=3)
    np.testing.assert_array_equal(old.total_draws, new.total_draws)
    pd.testing.assert_frame_equal(old.range, new.range)
    assert set(new.range["method"]) == {na.EXTRAPOLATION}


def test_bootstrap_over_two_councils_by_hand():
    """Two councils, equal populations (10,000 each), NPSV 1,000 and 3,000 in every draw;
    take-up fixed at 0.5; national driver 1,100,000 residents (England and Wales). A resample
    of two councils with replacement is {c0, c0} (p = 1/4, ratio 0.1 per resident), {c1, c1}
    (1/4, 0.3) or one of each (1/2, 0.2), so the national value 0.5 x 1,100,000 x ratio is
    55,000, 110,000 or 165,000 with probabilities 1/4, 1/2, 1/4 (Efron and Tibshirani 1993,
    ch. 6: the bootstrap distribution of a statistic over a resample). With 20,000 draws the
    5th percentile is 55,000, the median 110,000, the 95th 165,000 and the mean 110,000 within
    Monte Carlo error; without the bootstrap every draw is the pooled ratio's 110,000."""
    d = _drivers()
    d.loc[d["driver_id"].str.startswith("take_up"), "value"] = 0.5
    cases, draws = _same_service([1_000.0, 3_000.0], [10_000.0, 10_000.0], 20_000)
    scale = na.national_scale(cases, d)
    assert scale["national_driver"].iloc[0] == 1_100_000
    sim = na.national_monte_carlo(scale, draws, d, seed=9, draws=20_000, min_councils=2)
    r = sim.range.set_index("service_area").loc["fly_tipping"]
    assert r["method"] == na.BOOTSTRAP and r["councils"] == 2
    assert (r["low"], r["central"], r["high"]) == pytest.approx((55_000, 110_000, 165_000))
    assert r["mean"] == pytest.approx(110_000, rel=0.01)
    shares = pd.Series(sim.total_draws).round().value_counts(normalize=True)
    assert shares[55_000] == pytest.approx(0.25, abs=0.01)
    assert shares[110_000] == pytest.approx(0.5, abs=0.01)
    fixed = na.national_monte_carlo(scale, draws, d, seed=9, draws=20_000)
    assert np.allclose(fixed.total_draws, 110_000)
    assert fixed.range["method"].iloc[0] == na.EXTRAPOLATION


def test_bootstrap_ratio_weights_councils_by_their_drivers():
    """A resample's ratio is the sum of its councils' NPSV over the sum of their drivers (a
    ratio estimate, Cochran 1977, 6.2), not a mean of their ratios: of three councils with
    NPSV 1,000, 3,000, 5,000 and drivers 10,000, 50,000, 20,000, the resample {0, 1, 1}
    gives 7,000 / 110,000."""

    class Fixed:
        def integers(self, low, high, size):
            assert (low, high, size) == (0, 3, (1, 3))
            return np.array([[0, 1, 1]])

    got = na.bootstrap_ratio(
        np.array([[1_000.0], [3_000.0], [5_000.0]]),
        np.array([10_000.0, 50_000.0, 20_000.0]),
        Fixed(),
    )
    assert got == pytest.approx([7_000 / 110_000])


def test_the_report_says_which_method_each_service_used():
    """The wording reports the method the simulation chose, service by service."""
    from analysis.report.national_case import method_note

    row = {"low": 1.0, "central": 2.0, "high": 3.0, "mean": 2.0, "driver": "population"}
    ck = {
        "national_min_councils": 5,
        "national_by_service_area": {
            "fly_tipping": row | {"councils": 6, "method": na.BOOTSTRAP},
            "domestic_abuse": row | {"councils": 1, "method": na.EXTRAPOLATION},
        },
    }
    text = method_note(ck)
    assert "For fly-tipping (6 councils) the range comes from those councils' own" in text
    assert "domestic abuse (1 council), with fewer than five councils in the programme," in text
    ck["national_by_service_area"]["fly_tipping"]["method"] = na.EXTRAPOLATION
    assert "own appraisals" not in method_note(ck)
