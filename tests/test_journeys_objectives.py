"""Tests of analysis.journeys.objectives: spending objectives checked against the schedule.

Expected results are worked out by hand from the small schedules below (comments say how).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import journeys as jm

ROOT = Path(__file__).resolve().parents[1]

ACTIONS = pd.DataFrame(
    [
        (aid, title, "G01", "", "owner", "S", "3", "", "now", "collect", "", "")
        for aid, title in [
            ("A", "Ay"),
            ("B", "Bee"),
            ("C", "Sea"),
            ("D", "Dee"),
            ("E", "Warehouse"),
        ]
    ],
    columns=list(jm.ACTION_COLUMNS),
)
OBJECTIVES = pd.DataFrame(
    {
        "objective_id": ["O1", "O2", "O3"],
        "objective": ["One", "Two", "Three"],
        "action_ids": ["A;B", "C", "D"],
        "by_month": ["12", "6", "36"],
        "all_authorities": ["yes", "no", "yes"],
    }
)
TITLES = {"A": "Ay", "B": "Bee", "C": "Sea", "D": "Dee", "E": "Warehouse"}
# k: A 0-3; B 12-18, waiting for E (0-12); C in place; D nothing shows in place.
# m: A in place; B 6-12; C 3-9 (its phase hint); D 30-36; E in place.
STATUS = pd.DataFrame(
    [
        ("k", "A", "trigger"),
        ("k", "B", "trigger"),
        ("k", "C", "in_place"),
        ("k", "D", "no_evidence"),
        ("k", "E", "dependency"),
        ("m", "A", "in_place"),
        ("m", "B", "trigger"),
        ("m", "C", "trigger"),
        ("m", "D", "trigger"),
        ("m", "E", "in_place"),
    ],
    columns=["authority", "action_id", "status"],
).assign(title=lambda d: d["action_id"].map(TITLES))
ROADMAP = pd.DataFrame(
    [
        ("k", "A", 0, 3, ""),
        ("k", "E", 0, 12, ""),
        ("k", "B", 12, 18, "E"),
        ("m", "B", 6, 12, ""),
        ("m", "C", 3, 9, ""),
        ("m", "D", 30, 36, ""),
    ],
    columns=["authority", "action_id", "start_month", "end_month", "waits_for"],
).assign(title=lambda d: d["action_id"].map(TITLES))


@pytest.fixture
def objectives():
    return jm.parse_spending_objectives(OBJECTIVES, ACTIONS)


def test_check_objectives_hand_worked(objectives):
    """O1 (A, B by 12, every council): k's B ends at 18, waiting for E -> not met; m has A
    in place and B ending at 12 -> met. O2 (C by 6, only where scheduled): k does not
    schedule C -> not applicable; m's C ends at 9 -> not met. O3 (D by 36, every council):
    nothing shows D in place in k -> not met (missing); m ends at 36 -> met."""
    raw = jm.check_objectives(objectives, STATUS, ROADMAP)
    assert list(raw.columns) == list(jm.CHECK_COLUMNS)
    got = raw.set_index(["objective_id", "authority"])
    assert got["result"].to_dict() == {
        ("O1", "k"): "not_met",
        ("O1", "m"): "met",
        ("O2", "k"): "not_applicable",
        ("O2", "m"): "not_met",
        ("O3", "k"): "not_met",
        ("O3", "m"): "met",
    }
    # actions by title with the id in brackets, so a board member can read the reason
    # (review finding 25: "A03 ends at month 6" named no action)
    assert got.loc[("O1", "k"), "reason"] == (
        "Not met: Bee (B) done only at month 18, after month 12 (it starts at month 12, when "
        "Warehouse (E) is done)."
    )
    assert got.loc[("O1", "m"), "reason"] == (
        "Met by month 12: Bee (B) done by month 12; Ay (A) already in place."
    )
    assert got.loc[("O2", "m"), "reason"] == (
        "Not met: Sea (C) done only at month 9, after month 6 (it starts at month 3, the start "
        "of its phase)."
    )
    assert got.loc[("O3", "k"), "reason"] == (
        "Not met: Dee (D) not on the roadmap, and nothing shows it in place."
    )
    assert got.loc[("O1", "k"), "actions_late"] == "B"
    assert got.loc[("O3", "k"), "actions_missing"] == "D"
    assert got.loc[("O1", "m"), "actions_in_place"] == "A"
    assert got["latest_end_month"].tolist()[:2] == [18, 12]
    assert pd.isna(got.loc[("O3", "k"), "latest_end_month"])  # a missing action: no end
    assert got["met"].tolist() == [False, True, False, False, False, True]


def test_programme_verdict_after_each_objectives_council_rows(objectives):
    """O1 met in m only -> not met, naming k; O2 applies to m only, not met there; O3 not
    met in k (missing), so no latest month. An objective met everywhere it applies is met."""
    checks = jm.check_objectives(objectives, STATUS, ROADMAP)
    prog = jm.programme_objectives(checks, ["m", "k"])
    assert prog["authority"].tolist() == ["m", "k", "programme"] * 3  # council order kept
    p = prog[prog["authority"] == "programme"].set_index("objective_id")
    assert p["result"].tolist() == ["not_met", "not_met", "not_met"]
    assert p.loc["O1", "reason"] == "Not met: met in 1 of 2 councils; not met in k."
    assert p.loc["O2", "reason"] == "Not met: met in 0 of 1 councils; not met in m."
    # with council names (as the workflow passes them) the reason names councils, not ids
    named = jm.programme_objectives(checks, ["m", "k"], {"m": "Emm Council", "k": "Kay Council"})
    reasons = named[named["authority"] == "programme"].set_index("objective_id")["reason"]
    assert reasons["O1"] == "Not met: met in 1 of 2 councils; not met in Kay Council."
    assert p.loc["O1", "actions_late"] == "k:B" and p.loc["O1", "latest_end_month"] == 18
    assert pd.isna(p.loc["O3", "latest_end_month"])
    only_m = jm.programme_objectives(checks[checks["authority"] == "m"], ["m"])
    o1 = only_m[(only_m["authority"] == "programme") & (only_m["objective_id"] == "O1")]
    assert o1["result"].item() == "met"
    assert o1["reason"].item() == "Met in every council it applies to (1)."


@pytest.mark.parametrize(
    ("column", "value", "pattern"),
    [
        ("action_ids", "A;Z", r"'O1', column 'action_ids'.*'Z'"),
        ("action_ids", "", r"'O1', column 'action_ids'"),
        ("by_month", "18 months", r"'O1', column 'by_month'"),
        ("by_month", "0", r"'O1', column 'by_month'"),
        ("all_authorities", "sometimes", r"'O1', column 'all_authorities'"),
        ("objective_id", "O2", r"'O2', column 'objective_id'"),
    ],
)
def test_bad_objectives_name_objective_and_column(column, value, pattern):
    bad = OBJECTIVES.copy()
    bad.loc[0, column] = value
    with pytest.raises(jm.ObjectiveInputError, match=pattern):
        jm.parse_spending_objectives(bad, ACTIONS)


def test_shipped_objectives_parse_against_the_shipped_actions():
    """The programme's three objectives (business case, "Spending objectives"): partner data
    under agreement and checked, and reports without re-keying, within 18 months; joined data
    used in decisions within 36; each binds every council."""
    acts = jm.read_roadmap_actions(ROOT / "survey" / "roadmap_actions.csv")
    obj = jm.read_spending_objectives(ROOT / "survey" / "example" / "business_case.yaml", acts)
    assert obj["objective_id"].tolist() == ["SO1", "SO2", "SO3"]
    assert obj["by_month"].tolist() == [18, 18, 36]
    assert obj["all_authorities"].tolist() == [True, True, True]
    assert obj.loc[1, "action_ids"] == ["A06", "A09"]  # re-keying: feeds and report automation
    # report automation answers the re-keying gap, so a council with re-keying is checked on
    # a scheduled action rather than counted as already having it
    assert "G04" in acts.set_index("action_id").loc["A09", "gap_triggers"]


def test_assumed_in_place_counts_and_an_action_with_no_status_is_missing(objectives):
    """m with A assumed in place (the rule table's assumption) still meets O1, and the reason
    says it is an assumption; k with no status row for D at all cannot meet O3."""
    status = STATUS.copy()
    status.loc[(status["authority"] == "m") & (status["action_id"] == "A"), "status"] = (
        "assumed_in_place"
    )
    status = status[~((status["authority"] == "k") & (status["action_id"] == "D"))]
    got = jm.check_objectives(objectives, status, ROADMAP).set_index(["objective_id", "authority"])
    assert got.loc[("O1", "m"), "reason"] == (
        "Met by month 12: Bee (B) done by month 12; Ay (A) already assumed to be in place."
    )
    assert got.loc[("O3", "k"), "result"] == "not_met"
    assert got.loc[("O3", "k"), "actions_missing"] == "D"


def test_a_deferred_action_fails_the_objective_and_says_why(objectives):
    """k's D is deferred (the appraisal's way forward does not include it): O3 is not met, the
    reason says deferred rather than "nothing shows it is in place", and actions_deferred
    names it; the programme row lists it as k:D."""
    status = STATUS.copy()
    status.loc[(status["authority"] == "k") & (status["action_id"] == "D"), "status"] = "deferred"
    got = jm.check_objectives(objectives, status, ROADMAP).set_index(["objective_id", "authority"])
    assert got.loc[("O3", "k"), "result"] == "not_met"
    assert got.loc[("O3", "k"), "reason"] == (
        "Not met: Dee (D) deferred, because the appraisal's preferred way forward does not "
        "include it."
    )
    assert got.loc[("O3", "k"), "actions_deferred"] == "D"
    assert got.loc[("O3", "m"), "actions_deferred"] == ""
    prog = jm.programme_objectives(got.reset_index(), ["k", "m"]).set_index(
        ["objective_id", "authority"]
    )
    assert prog.loc[("O3", "programme"), "actions_deferred"] == "k:D"


def test_a_programme_reason_counts_the_councils_past_ten(objectives):
    """The 64-council review: SO3's programme reason named 54 councils in one table cell.
    Up to ten (NAMES_UP_TO) are named; past that, counted."""
    from analysis.core.formatting import NAMES_UP_TO, names_or_count

    checks = jm.check_objectives(objectives, STATUS, ROADMAP)
    k_rows = checks[checks["authority"] == "k"]
    many = [f"k{i:02d}" for i in range(NAMES_UP_TO + 1)]  # 11 councils like k: O1 not met
    copies = pd.concat([k_rows.assign(authority=a) for a in many], ignore_index=True)
    prog = jm.programme_objectives(copies, many)
    reason = prog[prog["authority"] == "programme"].set_index("objective_id").loc["O1", "reason"]
    assert reason == "Not met: met in 0 of 11 councils; not met in 11 councils."
    assert names_or_count(many[:NAMES_UP_TO]) == ", ".join(many[:9]) + " and k09"
    assert names_or_count(many) == "11 councils"
