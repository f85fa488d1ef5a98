"""Tests of analysis.journeys.roadmap: triggering, dependency-ordered scheduling, cycles, rule edits.

The schedule is the critical-path forward pass (earliest start = latest finish of the
predecessors; Kelley & Walker 1959); expected months below are worked out by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.journeys import roadmap as rm

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ROOT / "survey" / "roadmap_actions.csv"


def _actions(rows):
    """rows: (action_id, effort, depends_on, phase_hint, lifecycle, gaps, maturity)."""
    out = []
    for aid, effort, deps, hint, stage, gaps, mat in rows:
        out.append(
            {
                "action_id": aid,
                "title": f"Action {aid}",
                "triggered_by_gaps": gaps,
                "triggered_by_maturity": mat,
                "owner_role": "owner",
                "effort": effort,
                "impact": "3",
                "depends_on": deps,
                "phase_hint": hint,
                "lifecycle_stage": stage,
                "unlocks_benefits": "staff_time",
                "description": "",
            }
        )
    return pd.DataFrame(out)


SMALL = _actions(
    [
        ("P", "L", "", "now", "collate", "G03", ""),
        ("Q", "S", "P", "now", "mine", "G06", ""),
        ("R", "S", "", "later", "collect", "", "data<3"),
        ("T", "M", "Q;R", "", "analyse", "", "uses<4"),
        ("U", "S", "", "next", "collect", "G01", ""),
    ]
)


def test_dependency_ordering_by_hand():
    """P (L, 12 months) at 0-12. Q depends on P: hint now but pushed to 12-15 -> next.
    R hint later: 18-21. T depends on Q and R: max(15, 21) = 21 -> 21-27 (later).
    U hint next: 6-9."""
    s = rm.schedule_actions(SMALL).set_index("action_id")
    assert dict(
        zip(s.index, zip(s["start_month"], s["end_month"], s["phase"], strict=True), strict=True)
    ) == {
        "P": (0, 12, "now"),
        "Q": (12, 15, "next"),
        "R": (18, 21, "later"),
        "T": (21, 27, "later"),
        "U": (6, 9, "next"),
    }


def test_no_action_starts_before_its_dependencies_end_in_shipped_table():
    acts = rm.read_roadmap_actions(ACTIONS)
    s = rm.schedule_actions(acts).set_index("action_id")
    order = {p: i for i, (p, _, _) in enumerate(rm.PHASES)}
    pos = {k: i for i, k in enumerate(s.index)}
    for aid, row in s.iterrows():
        for dep in filter(None, row["depends_on"].split(";")):
            assert row["start_month"] >= s.loc[dep, "end_month"], (aid, dep)
            assert order[row["phase"]] >= order[s.loc[dep, "phase"]], (aid, dep)
            assert pos[aid] > pos[dep]  # the table's row order is a topological order


def test_dependency_cycle_is_an_input_error_naming_the_actions():
    cyc = _actions(
        [
            ("A", "S", "C", "", "collect", "", ""),
            ("B", "S", "A", "", "collect", "", ""),
            ("C", "S", "B", "", "collect", "", ""),
            ("D", "S", "", "", "collect", "", ""),
        ]
    )
    with pytest.raises(rm.RoadmapInputError, match="cycle") as err:
        rm.parse_roadmap_actions(cyc)
    msg = str(err.value)
    for aid in ("A", "B", "C"):
        assert f"{aid}" in msg.split("actions", 1)[1]
    assert "D" not in msg.split("actions", 1)[1]


def test_self_dependency_and_unknown_dependency():
    with pytest.raises(rm.RoadmapInputError, match="cycle"):
        rm.parse_roadmap_actions(_actions([("A", "S", "A", "", "collect", "", "")]))
    with pytest.raises(rm.RoadmapInputError, match=r"'A', column 'depends_on'.*'Z'"):
        rm.parse_roadmap_actions(_actions([("A", "S", "Z", "", "collect", "", "")]))


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("effort", "XL"),
        ("impact", "9"),
        ("phase_hint", "soon"),
        ("lifecycle_stage", "store"),
        ("triggered_by_maturity", "vision<3"),
    ],
)
def test_bad_action_fields_name_action_and_column(column, value):
    bad = SMALL.copy()
    bad.loc[0, column] = value
    with pytest.raises(rm.RoadmapInputError, match=rf"'P', column '{column}'"):
        rm.parse_roadmap_actions(bad)


def test_triggers_from_gaps_and_maturity_pull_in_dependencies():
    gaps = pd.DataFrame({"authority": ["k", "k", "m"], "gap_id": ["G06", "G99", "G01"]})
    mat = pd.DataFrame(
        {
            "authority": ["k", "k", "m", "m"],
            "theme": ["data", "uses", "data", "uses"],
            "level": pd.array([2, 4, pd.NA, 3], dtype="Int64"),
        }
    )
    t = rm.triggered_actions(SMALL, gaps, mat)
    got = {(a, k): (inc, why) for a, k, inc, why in t.itertuples(index=False)}
    # k: G06 -> Q (needs P); data 2 < 3 -> R; uses 4 is not < 4 -> no T.
    # m: G01 -> U; data has no evidence -> no R; uses 3 < 4 -> T (needs Q, R; Q needs P).
    assert got == {
        ("k", "P"): ("dependency", "Q"),
        ("k", "Q"): ("trigger", "G06"),
        ("k", "R"): ("trigger", "data<3"),
        ("m", "P"): ("dependency", "Q"),
        ("m", "Q"): ("dependency", "T"),
        ("m", "R"): ("dependency", "T"),
        ("m", "T"): ("trigger", "uses<4"),
        ("m", "U"): ("trigger", "G01"),
    }


def test_authority_and_programme_roadmaps():
    gaps = pd.DataFrame({"authority": ["k", "m", "n"], "gap_id": ["G03", "G03", "G01"]})
    road = rm.authority_roadmap(SMALL, gaps)
    assert set(road.loc[road["authority"] == "k", "action_id"]) == {"P"}
    prog = rm.programme_roadmap(road, SMALL).set_index("action_id")
    assert prog.loc["P", "n_authorities"] == 2 and prog.loc["P", "authorities"] == "k;m"
    assert bool(prog.loc["P", "proven_practice"])
    assert not bool(prog.loc["U", "proven_practice"])
    # organised collect -> collate -> mine -> analyse
    assert list(prog["lifecycle_stage"]) == ["collect", "collate"]
    assert list(prog.index) == ["U", "P"]


def test_programme_ranks_by_number_of_councils_within_a_stage():
    acts = _actions(
        [
            ("A", "S", "", "", "collect", "G01", ""),
            ("B", "S", "", "", "collect", "G02", ""),
        ]
    )
    gaps = pd.DataFrame({"authority": ["k", "m", "m"], "gap_id": ["G02", "G02", "G01"]})
    prog = rm.programme_roadmap(rm.authority_roadmap(acts, gaps), acts)
    assert list(prog["action_id"]) == ["B", "A"] and list(prog["rank"]) == [1, 2]


def test_editing_the_rule_table_changes_the_roadmap_without_code_changes(tmp_path):
    gaps = pd.DataFrame({"authority": ["k"], "gap_id": ["G09"]})  # paper or phone capture
    before = rm.authority_roadmap(rm.read_roadmap_actions(ACTIONS), gaps)
    assert set(before["action_id"]) == {"A05", "A01"}  # A05 answers G09 and needs A01
    copy = tmp_path / "roadmap_actions.csv"
    shutil.copy(ACTIONS, copy)
    table = pd.read_csv(copy, dtype=str, keep_default_na=False)
    # a council decides paper capture should also trigger the review of data needs (A04) and
    # that digital capture no longer waits for the data-quality checks
    table.loc[table["action_id"] == "A04", "triggered_by_gaps"] = "G07;G09"
    table.loc[table["action_id"] == "A05", "depends_on"] = ""
    table.loc[table["action_id"] == "A05", "phase_hint"] = "next"
    table.to_csv(copy, index=False)
    after = rm.authority_roadmap(rm.read_roadmap_actions(copy), gaps).set_index("action_id")
    assert set(after.index) == {"A04", "A05"}
    assert after.loc["A05", "start_month"] == 6 and after.loc["A05", "phase"] == "next"
    # and a cycle introduced by an edit is caught
    table.loc[table["action_id"] == "A01", "depends_on"] = "A06"
    table.to_csv(copy, index=False)
    with pytest.raises(rm.RoadmapInputError, match=r"cycle.*A01.*A06|cycle.*A06.*A01"):
        rm.read_roadmap_actions(copy)
