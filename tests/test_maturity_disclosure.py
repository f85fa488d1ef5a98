"""Issue 14, item 7: a maturity level must not narrow a suppressed count.

A survey indicator's level comes from the percentage of respondents who agree. When the
agreeing count is suppressed (NHS England rule: 1 to 7), a level computed from the true count
tells the reader more than the marker does: of 10 respondents, "beginning" (below 20 %) means
1 or 2 agree. Levels are now computed only from what is published: the rounded counts, or,
where the agreeing count is suppressed, the range 1..7 over the published number of
respondents, giving a level only where the whole range gives the same one.

Expected values are worked by hand from the rubric's thresholds 20/40/60/80 (survey
indicators U2, C1, S2 of survey/maturity_rubric.csv).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest

from analysis import journeys as jm
from analysis.core.disclosure import rule_from_config

NHS = rule_from_config({"rule": "nhs"})
ONS = rule_from_config({"rule": "ons_10_5"})
RUBRIC = pd.DataFrame(
    [
        {
            "theme": "uses",
            "indicator_id": "U2",
            "indicator": "Staff agree data adds value",
            "source": "survey",
            "metric": "pct_agree",
            "argument": "data_value",
            "direction": "higher_better",
            "level_2": 20,
            "level_3": 40,
            "level_4": 60,
            "level_5": 80,
        }
    ]
)


def _register() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "authority": "x",
                "stream_id": "S1",
                "stream_name": "s",
                "stage": "capture",
                "source": "council",
                "channel": "online_form",
                "system": "Portal",
                "dq_audit": "yes",
                "security_controls": "MFA",
                "manual_rekeying": False,
                "sharing_agreement": "not_applicable",
                "frequency": "daily",
                "volume_per_year": 10,
                "last_reviewed": "within_1_year",
            }
        ]
    )


@cache
def _indicator(n: int, n_agree: int, rule=NHS) -> tuple[float, object, str]:
    """(value, level, value_basis) of U2 for ``n_agree`` of ``n`` respondents agreeing."""
    agreement = pd.DataFrame(
        {
            "authority": ["x"],
            "construct": ["data_value"],
            "label": ["Value of data"],
            "research_question": ["RQ4"],
            "n": [n],
            "n_agree": [n_agree],
            "pct_agree": [100 * n_agree / n],
        }
    )
    survey = jm.maturity_survey_evidence(agreement, rule)
    ind = jm.maturity_indicators(_register(), RUBRIC, survey, min_survey_n=rule.min_count)
    basis = jm.value_basis(ind, survey)
    level = ind["level"].iloc[0]
    return ind["value"].iloc[0], (None if pd.isna(level) else int(level)), basis[0]


def test_the_issue_case_publishes_no_level():
    """n = 10, 1 or 2 agree (suppressed): 1..7 of 10 is 10 %..70 %, levels 1..4, so no level.
    (The old code published "beginning" for 1 agreeing, from the true 10 %, and "emerging"
    for 2, from the true 20 %.)"""
    for n_agree in (1, 2):
        value, level, basis = _indicator(10, n_agree)
        assert np.isnan(value) and level is None and basis == "none"


def test_a_level_that_holds_over_the_whole_range_is_kept_without_a_value():
    """n = 140, 5 agree (suppressed): 1/140 = 0.7 % .. 7/140 = 5 %, all below 20 %: level 1
    whatever the count, published with no value; the unrounded 3.6 % is used nowhere."""
    value, level, basis = _indicator(140, 5)
    assert np.isnan(value) and level == 1 and basis == "suppressed"


@pytest.mark.parametrize("n", [8, 12, 23, 34, 36, 140])
def test_nothing_published_depends_on_the_suppressed_count(n):
    """Every agreeing count the marker could stand for (1..7) gives the same value, level and
    basis: the level tells the reader nothing the marker does not. (The old code's level
    changed with the count for n = 8..34: 1/20 = 5 % is level 1, 7/20 = 35 % level 2.)"""
    results = {_indicator(n, k) for k in range(1, 8)}
    assert len({(lv, b) for _, lv, b in results}) == 1, results
    assert all(np.isnan(v) for v, _, _ in results)


@pytest.mark.parametrize("n", [8, 12, 23, 34, 36, 140])
def test_a_published_level_agrees_with_every_count_the_marker_hides(n):
    """Where a level is published it is the level of k / (published n) for every k in 1..7;
    the published n is n rounded to 5 (halves up)."""
    n_pub = 5 * math.floor(n / 5 + 0.5)
    _, level, _ = _indicator(n, 3)
    by_hand = {1 + sum(100 * k / n_pub >= t for t in (20, 40, 60, 80)) for k in range(1, 8)}
    assert level == (by_hand.pop() if len(by_hand) == 1 else None)


def test_unsuppressed_counts_give_the_level_of_the_rounded_counts():
    """132 respondents, 79 agree: published 130 and 80, 61.5 % -> level 4 (reaches 60); the
    unrounded 59.8 % would have been level 3. The published level agrees with the published
    percentage."""
    value, level, basis = _indicator(132, 79)
    assert value == pytest.approx(100 * 80 / 130) and level == 4 and basis == "rounded_counts"


def test_ons_rule_hides_counts_up_to_nine():
    """ONS 10-5: 1..9 suppressed. n = 200 (published 200): 0.5 %..4.5 % -> level 1 kept;
    n = 30: 3.3 %..30 % -> levels 1..2 -> none."""
    assert _indicator(200, 9, ONS)[1:] == (1, "suppressed")
    assert _indicator(30, 9, ONS)[1:] == (None, "none")


def test_theme_level_does_not_depend_on_the_suppressed_count():
    """The theme level (floor of the mean of its indicators' levels) is built from the
    indicator levels, so it is the same for every hidden count too."""
    rub = pd.concat(
        [RUBRIC, RUBRIC.assign(indicator_id="U3", argument="data_review")], ignore_index=True
    )
    themes = set()
    for k in range(1, 8):
        agreement = pd.DataFrame(
            {
                "authority": ["x", "x"],
                "construct": ["data_value", "data_review"],
                "label": ["A", "B"],
                "research_question": ["RQ4", "RQ3"],
                "n": [20, 60],
                "n_agree": [k, 50],
                "pct_agree": [100 * k / 20, 100 * 50 / 60],
            }
        )
        survey = jm.maturity_survey_evidence(agreement, NHS)
        ind = jm.maturity_indicators(_register(), rub, survey, min_survey_n=8)
        lv = jm.maturity_levels(ind).set_index("theme").loc["uses"]
        themes.add((int(lv["level"]), lv["n_indicators"]))
    # data_value: 1..7 of 20 -> 5 %..35 % -> no level; data_review 50/60 = 83.3 % -> level 5
    assert themes == {(5, 1)}
