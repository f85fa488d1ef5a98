"""The benefit-timing check (review finding 3): a benefit line may not start before the
roadmap actions that deliver it are done.

Worked by hand on a small roadmap: year y runs from month 12 y, so a benefit from year ``lag``
needs every action done by month 12 x lag; an action ending at month m allows year
ceil(m / 12) at the earliest. The failing case is the review's: Lambeth's benefit counted
from year 1 while its single view (A08) ends at month 30.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import journeys as j
from analysis.journeys.benefit_timing import check_line

STATUS = pd.DataFrame(
    {
        "action_id": ["A03", "A07", "A08", "A09", "A12", "A02"],
        "title": [
            "Data-sharing agreements with partners",
            "Shared data warehouse for the service area",
            "Single view of the person or family",
            "Automated dashboards and statutory reports",
            "Predictive and spatial analytics pilot",
            "Security controls at every stage",
        ],
        "status": ["trigger", "trigger", "dependency", "trigger", "deferred", "in_place"],
    }
)
ROADMAP = pd.DataFrame(
    {
        "action_id": ["A03", "A07", "A08", "A09"],
        "start_month": [0, 12, 24, 24],
        "end_month": [6, 24, 30, 30],
    }
)


def test_a_benefit_after_its_actions_is_consistent():
    out = check_line(["A03", "A07", "A08"], 3, STATUS, ROADMAP)
    assert out["result"] == "consistent"
    assert out["first_benefit_month"] == 36 and out["ready_month"] == 30
    assert out["earliest_lag_years"] == 3  # ceil(30 / 12)


def test_a_benefit_before_its_actions_is_inconsistent():
    """Lambeth in the reviewed edition: benefit from year 1 (month 12), single view at 30."""
    out = check_line(["A03", "A07", "A08"], 1, STATUS, ROADMAP)
    assert out["result"] == "inconsistent"
    assert out["actions_late"] == "A07;A08"
    assert out["earliest_lag_years"] == 3
    assert "Single view of the person or family ends at month 30" in out["reason"]
    assert "cannot start before year 3" in out["reason"]


def test_an_action_ending_on_the_year_boundary_is_in_time():
    assert check_line(["A07"], 2, STATUS, ROADMAP)["result"] == "consistent"  # 24 <= 24
    assert check_line(["A07"], 1, STATUS, ROADMAP)["result"] == "inconsistent"


def test_an_action_in_place_counts_as_done_at_month_zero():
    out = check_line(["A02"], 0, STATUS, ROADMAP)
    assert out["result"] == "consistent" and out["ready_month"] == 0


def test_a_deferred_or_missing_action_makes_the_line_inconsistent():
    out = check_line(["A03", "A12"], 5, STATUS, ROADMAP)
    assert out["result"] == "inconsistent" and out["actions_missing"] == "A12"
    assert "deferred" in out["reason"] and out["ready_month"] is None
    out = check_line(["A99"], 5, STATUS, ROADMAP)
    assert out["result"] == "inconsistent" and "not on the roadmap" in out["reason"]


def test_a_line_naming_no_action_is_not_linked():
    out = check_line([], 0, STATUS, ROADMAP)
    assert out["result"] == "not_linked" and "cannot be checked" in out["reason"]


def test_benefit_timing_checks_each_option_against_its_own_roadmap():
    benefits = pd.DataFrame(
        {
            "option_id": ["dm", "pref", "pref", "amb"],
            "outcome_id": ["T1", "T1", "O1", "O1m"],
            "outcome": ["Time", "Time", "Families", "Model"],
            "lag_years": [1, 1, 3, 3],
            "delivered_by": ["A09", "A09", "A03;A07;A08", "A12"],
        }
    )
    options = pd.DataFrame(
        {"option_id": ["dm", "pref", "amb"], "category": ["do_minimum", "preferred", "ambitious"]}
    )
    dm_roadmap = pd.DataFrame({"action_id": ["A09"], "end_month": [12]})
    amb_status = STATUS.assign(status=STATUS["status"].replace("deferred", "trigger"))
    amb_roadmap = pd.concat([ROADMAP, pd.DataFrame({"action_id": ["A12"], "end_month": [36]})])
    plans = {
        "do_minimum": (STATUS, dm_roadmap),
        "preferred": (STATUS, ROADMAP),
        "ambitious": (amb_status, amb_roadmap),
    }
    out = j.benefit_timing(benefits, options, plans, "lambeth")
    assert list(out.columns) == list(j.BENEFIT_TIMING_COLUMNS)
    # do minimum's reports are automated by month 12; the platform's wait for the warehouse
    assert out["result"].tolist() == ["consistent", "inconsistent", "consistent", "consistent"]
    assert out.loc[1, "earliest_lag_years"] == 3
    assert out["authority"].eq("lambeth").all()


def test_benefit_timing_without_the_column_links_no_line():
    benefits = pd.DataFrame(
        {"option_id": ["pref"], "outcome_id": ["O1"], "outcome": ["x"], "lag_years": [1]}
    )
    options = pd.DataFrame({"option_id": ["pref"], "category": ["preferred"]})
    out = j.benefit_timing(benefits, options, {"preferred": (STATUS, ROADMAP)}, "x")
    assert out["result"].tolist() == ["not_linked"]


@pytest.mark.parametrize("lag", [0, 1, 2])
def test_no_benefit_is_consistent_before_its_last_action_ends(lag):
    """Property: whatever the lag, consistent means every action ends by month 12 x lag."""
    out = check_line(["A03", "A07"], lag, STATUS, ROADMAP)
    assert (out["result"] == "consistent") == (24 <= 12 * lag)
