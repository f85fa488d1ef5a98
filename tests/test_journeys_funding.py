"""What pays for each roadmap action (analysis.journeys.funding; review finding 12).

A hand-made appraisal: business as usual, do minimum (one report-automation line), the
proposed platform (warehouse, hosting, analyst) and the more ambitious option (the platform's
three lines again, plus a model and a data scientist). Expected traces are worked out by hand
from the rule in the module docstring: a line belongs to the smallest option that has it; an
action takes the chosen option's lines of its kinds in the smallest line tier at or above its
own tier.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import journeys as jm

DECISION = pd.DataFrame(
    {
        "option_id": ["bau", "dm", "pr", "am"],
        "category": ["bau", "do_minimum", "preferred", "ambitious"],
        "name": ["Business as usual", "Do minimum", "Platform", "Platform plus model"],
    }
)
LINES = pd.DataFrame(
    [
        ("bau", "L0", "No change", "revenue"),
        ("dm", "L1", "Report automation", "capital"),
        ("pr", "L1", "Warehouse", "capital"),
        ("pr", "L2", "Hosting", "revenue"),
        ("pr", "L3", "Analyst", "staff"),
        ("am", "L1", "Warehouse", "capital"),
        ("am", "L1", "Warehouse", "capital"),  # a second year of the same line
        ("am", "L2", "Hosting", "revenue"),
        ("am", "L3", "Analyst", "staff"),
        ("am", "L4", "Model", "capital"),
        ("am", "L5", "Data scientist", "staff"),
    ],
    columns=["option_id", "line_id", "description", "cost_type"],
)
# (id, option tier, funded_by)
ACTIONS = pd.DataFrame(
    [
        (aid, f"Action {aid}", "G01", "", "owner", "S", "3", "", "now", "collect", "", "", tier, fb)
        for aid, tier, fb in [
            ("X", "", ""),  # no-regret: existing budgets
            ("F", "do_minimum", "capital"),
            ("R", "do_minimum", "revenue"),
            ("W", "preferred", "capital;revenue"),
            ("S", "preferred", "staff"),
            ("M", "ambitious", "capital;staff"),
        ]
    ],
    columns=[*jm.ACTION_COLUMNS, "option_tier", "funded_by"],
)


def _chosen(option_id):
    return DECISION.assign(recommended=(DECISION["option_id"] == option_id).map(
        {True: "yes", False: "no"}))  # fmt: skip


def _trace(option_id, ids=("X", "F", "R", "W", "S", "M")):
    acts = jm.parse_roadmap_actions(ACTIONS)
    fund = dict(zip(acts["action_id"], acts["funded_by"], strict=True))
    roadmap = pd.DataFrame({"action_id": list(ids), "funded_by": [fund[a] for a in ids]})
    lines = jm.preferred_option_lines(_chosen(option_id), LINES)
    return lines, jm.funding(roadmap, acts, lines).set_index("action_id")


@pytest.mark.unit
def test_lines_of_the_chosen_option_take_the_smallest_tier_that_has_them():
    lines, _ = _trace("am")
    assert list(lines.columns) == list(jm.OPTION_LINE_COLUMNS)
    assert dict(zip(lines["line_id"], lines["tier"], strict=True)) == {
        "L1": "preferred",  # the warehouse is also the proposed option's
        "L2": "preferred",
        "L3": "preferred",
        "L4": "ambitious",  # only in the ambitious option
        "L5": "ambitious",
    }
    # the do-minimum line "Report automation" shares L1's id, not its description: not a tier
    # of the ambitious option's L1


@pytest.mark.unit
def test_actions_are_traced_to_the_lines_of_their_kind_and_tier():
    """Ambitious chosen. X: existing budgets, no line, funded. F (do minimum, capital): no
    do-minimum line in the chosen option, so the next tier's capital line, L1. R (do minimum,
    revenue): L2. W (preferred, capital and revenue): L1, L2. S (preferred, staff): L3, not
    the data scientist. M (ambitious, capital and staff): L4, L5, not the platform's lines."""
    _, got = _trace("am")
    assert got["cost_lines"].to_dict() == {
        "X": "", "F": "L1", "R": "L2", "W": "L1;L2", "S": "L3", "M": "L4;L5",
    }  # fmt: skip
    assert got["funded"].all()
    assert got.loc["X", "funded_by"] == "existing_budgets"


@pytest.mark.unit
def test_an_action_no_line_of_its_kind_pays_for_is_unfunded():
    """Do minimum chosen: its one line is capital. F (capital) takes it; R (revenue) has no
    revenue line to take: unfunded, and said so (funded False, no line)."""
    _, got = _trace("dm", ids=("X", "F", "R"))
    assert got["cost_lines"].to_dict() == {"X": "", "F": "L1", "R": ""}
    assert got["funded"].to_dict() == {"X": True, "F": True, "R": False}


@pytest.mark.unit
def test_business_as_usual_chosen_has_no_lines():
    lines, got = _trace("bau", ids=("X",))
    assert lines.empty and got.loc["X", "funded"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("tier", "funded_by", "expected"),
    [
        ("", "capital", "an action with no option tier is no-regret"),
        ("preferred", "existing_budgets", "expected one or more of"),
        ("preferred", "capital;gold", "expected one or more of"),
    ],
)
def test_funded_by_must_fit_the_option_tier(tier, funded_by, expected):
    bad = ACTIONS.copy()
    bad.loc[0, ["option_tier", "funded_by"]] = [tier, funded_by]
    with pytest.raises(jm.RoadmapInputError, match=expected) as e:
        jm.parse_roadmap_actions(bad)
    assert "'X'" in str(e.value) and "'funded_by'" in str(e.value)


@pytest.mark.unit
def test_defaults_when_the_column_is_empty_or_absent():
    """No-regret: existing budgets; an action of a tier: all three kinds of line."""
    acts = jm.parse_roadmap_actions(ACTIONS.drop(columns="funded_by")).set_index("action_id")
    assert acts.loc["X", "funded_by"] == "existing_budgets"
    assert acts.loc["W", "funded_by"] == "capital;revenue;staff"


@pytest.mark.unit
def test_an_unknown_capability_names_the_action_and_column():
    bad = ACTIONS.assign(needs_capability=["", "", "", "warehouse", "", "mind_reading"])
    with pytest.raises(jm.RoadmapInputError, match=r"'M', column 'needs_capability'"):
        jm.parse_roadmap_actions(bad)
