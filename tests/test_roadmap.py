"""Tests of analysis.journeys.roadmap: triggering, dependency-ordered scheduling, cycles, rule edits.

The schedule is the critical-path forward pass (earliest start = latest finish of the
predecessors; Kelley & Walker 1959); expected months below are worked out by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import journeys as jm
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
    assert bool(prog.loc["P", "common_need"])
    assert not bool(prog.loc["U", "common_need"])
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


# ----------------------------------------------------------------------------- evidence
# (issue 12, point 4: no action without a finding; a prerequisite nothing calls for is in
# place and delays nothing; every row says what triggered it)


def _summary(auth, n_total, fired, silent, labels=None):
    """A gap summary: every rule listed was applied over ``n_total`` streams."""
    rows = [(auth, g, n) for g, n in fired.items()] + [(auth, g, 0) for g in silent]
    return pd.DataFrame(
        {
            "authority": [r[0] for r in rows],
            "gap_id": [r[1] for r in rows],
            "label": [(labels or {}).get(r[1], f"Gap {r[1]}") for r in rows],
            "n_streams": [r[2] for r in rows],
            "n_streams_total": n_total,
        }
    )


def _levels(auth, **levels):
    return pd.DataFrame(
        {
            "authority": auth,
            "theme": list(levels),
            "level": pd.array(list(levels.values()), dtype="Int64"),
        }
    )


def test_a_prerequisite_nothing_calls_for_is_in_place_and_delays_nothing():
    """k: G06 on 2 of 4 streams; G01 and G03 applied and silent; data 3, uses 4.
    Q (G06) is triggered; P (G03 0 of 4) is in place, so Q starts at its phase hint, month 0
    (not at 12 after P's 12 months); R (data 3 is not < 3), T (uses 4 is not < 4) and U (G01
    0 of 4) are in place too. Only Q is on the roadmap."""
    gs = _summary("k", 4, {"G06": 2}, ["G01", "G03"], {"G03": "No aggregation"})
    st = rm.action_status(SMALL, None, _levels("k", data=3, uses=4), gap_summary=gs)
    got = dict(zip(st["action_id"], st["status"], strict=True))
    assert got == {
        "P": "in_place",
        "Q": "trigger",
        "R": "in_place",
        "T": "in_place",
        "U": "in_place",
    }
    p = st.set_index("action_id").loc["P"]
    assert p["evidence"] == "G03:0/4" and p["needed_by"] == "Q" and not p["scheduled"]
    assert p["trace"] == (
        "In place: the gap \u201cno aggregation\u201d on none of 4 streams. Action Q (Q) does not "
        "wait for it."  # an action by its title, the id in brackets (review finding 25)
    )
    assert st.set_index("action_id").loc["R", "evidence"] == "data:3>=3"
    road = rm.authority_roadmap(SMALL, status=st).set_index("action_id")
    assert list(road.index) == ["Q"]
    q = road.loc["Q"]
    assert (q["start_month"], q["end_month"], q["phase"]) == (0, 3, "now")
    assert q["prerequisites_in_place"] == "P" and q["waits_for"] == ""
    assert q["trigger_gaps"] == "G06:2/4" and q["triggered_by"] == "G06"
    assert q["trigger_trace"] == "Triggered: gap G06 on 2 of 4 streams."


def test_a_prerequisite_with_no_evidence_follows_the_rule_table_flag():
    """As above, but G03 was not applied (a council's edited rule table): nothing shows P in
    place. Flag ``schedule`` (the default): P is scheduled as a dependency, 0-12, and Q waits
    for it, 12-15. Flag ``assume_in_place``: P is listed as assumed, and Q is at 0-3 again."""
    gs = _summary("k", 4, {"G06": 2}, ["G01"])
    lv = _levels("k", data=3, uses=4)
    road = rm.authority_roadmap(SMALL, None, lv, gap_summary=gs).set_index("action_id")
    assert list(road.index) == ["P", "Q"]
    assert road.loc["P", "included_as"] == "dependency" and road.loc["P", "triggered_by"] == "Q"
    assert (road.loc["P", "start_month"], road.loc["P", "end_month"]) == (0, 12)
    assert (road.loc["Q", "start_month"], road.loc["Q", "end_month"]) == (12, 15)
    assert road.loc["Q", "waits_for"] == "P"
    assert road.loc["P", "trigger_trace"] == (
        "Prerequisite of Action Q (Q), and nothing shows it is in place (gap G03 not checked (no "
        "such gap rule was applied)); the rule table says to schedule it when there is no "
        "evidence."
    )
    flagged = SMALL.assign(when_no_evidence=["assume_in_place", "", "", "", ""])
    st = rm.action_status(flagged, None, lv, gap_summary=gs).set_index("action_id")
    assert (
        st.loc["P", "status"] == "assumed_in_place" and st.loc["P", "evidence"] == "G03:not_checked"
    )
    road = rm.authority_roadmap(flagged, None, lv, gap_summary=gs).set_index("action_id")
    assert list(road.index) == ["Q"] and road.loc["Q", "start_month"] == 0


def test_unchecked_maturity_makes_a_dependency_and_sets_the_dependants_start():
    """m: uses 2 < 4 triggers T (needs Q and R). Q's gap G06 was applied, 0 of 3 streams: in
    place. R's theme (data) has no evidence: a dependency, hint later, 18-21. T starts when R
    ends: 21-27, waiting for R. Actions nothing needs and nothing calls for (U: G01 not
    applied) are not scheduled: ``no_evidence``."""
    gs = _summary("m", 3, {}, ["G03", "G06"])
    lv = _levels("m", uses=2, data=pd.NA)
    st = rm.action_status(SMALL, None, lv, gap_summary=gs).set_index("action_id")
    assert st["status"].to_dict() == {
        "P": "in_place",
        "Q": "in_place",
        "R": "dependency",
        "T": "trigger",
        "U": "no_evidence",
    }
    assert st.loc["T", "trigger_maturity"] == "uses:2<4"
    assert st.loc["R", "evidence"] == "data:no_evidence"
    road = rm.authority_roadmap(SMALL, status=st.reset_index()).set_index("action_id")
    assert road.loc["T", ["start_month", "end_month", "waits_for"]].tolist() == [21, 27, "R"]
    assert road.loc["T", "prerequisites_in_place"] == "Q"


def _shipped_summary(auth, n_total, fired):
    rules = [f"G{i:02d}" for i in range(1, 11)]
    return _summary(auth, n_total, fired, [g for g in rules if g not in fired])


def _systems(auth, **caps):
    """A Systems sheet as ingested: one system per keyword, its ';'-separated capabilities."""
    return pd.DataFrame(
        [{"authority": auth, "system": name, "capabilities": c} for name, c in caps.items()]
    )


def test_shipped_table_a_council_with_a_warehouse_is_not_told_to_build_one():
    """Shipped rule table. w: G04 on 6 and G10 on 3 of 8 streams, no G03; every theme 5 but
    tools 3; its Systems sheet records a warehouse with a single view. A07 (warehouse: G03,
    tools<3, needs the capability 'warehouse') is in place with its evidence, the capability
    among it; so is A08 (single view). A13 (spreadsheets into the store, G10) needs A07 but
    does not wait: 6-9 (S). A06 and A09 (G04) start at their 'next' hint, month 6 (M: 6-12);
    A09 needs only A01 (data-quality checks), in place (G01, G08 silent, data 5). Nothing else
    fires."""
    acts = rm.read_roadmap_actions(ACTIONS)
    gs = _shipped_summary("w", 8, {"G04": 6, "G10": 3})
    lv = _levels("w", uses=5, data=5, leadership=5, culture=5, tools=3, skills=5)
    sy = _systems("w", Store="warehouse;single_view", Reports="dashboards;automated_reporting")
    st = rm.action_status(acts, None, lv, gap_summary=gs, systems=sy)
    road = rm.authority_roadmap(acts, status=st).set_index("action_id")
    assert sorted(road.index) == ["A06", "A09", "A13"]
    months = {k: (r.start_month, r.end_month) for k, r in road.iterrows()}
    assert months == {"A06": (6, 12), "A09": (6, 12), "A13": (6, 9)}
    a07 = st.set_index("action_id").loc["A07"]
    assert a07["status"] == "in_place"
    assert a07["evidence"] == "G03:0/8;tools:3>=3;warehouse:recorded"
    assert "a shared data warehouse provided by Store (Systems sheet)" in a07["trace"]
    assert a07["needed_by"] == "A13"  # scheduled dependants only (A08 is in place too)
    assert st.set_index("action_id").loc["A08", "status"] == "in_place"
    assert road.loc["A09", "prerequisites_in_place"] == "A01"
    assert road.loc["A09", "trigger_gaps"] == "G04:6/8"


def test_every_option_rebuild_reads_the_same_systems_as_the_published_roadmap():
    """The rebuild of the roadmap for each option (used by the spending-objectives and the
    benefit-timing checks) must see the same Systems sheet as the published roadmap: council
    w's warehouse and single view are recorded, so A07 and A08 are in place in every rebuild,
    and the rebuild for the chosen option is the published roadmap itself. (Caught in the
    example: Leicester's benefit check rebuilt its roadmap without the Systems sheet, found its
    single view scheduled to month 30 and called a year-1 benefit late, while the published
    roadmap, which reads the sheet, has it in place.)"""
    acts = rm.read_roadmap_actions(ACTIONS)
    gs = _shipped_summary("w", 8, {"G04": 6, "G10": 3})
    lv = _levels("w", uses=5, data=5, leadership=5, culture=5, tools=3, skills=5)
    sy = _systems("w", Store="warehouse;single_view", Reports="dashboards;automated_reporting")
    gaps = pd.DataFrame(columns=["authority", "gap_id", "label", "stream_id"])
    plans = rm.option_plans(acts, gaps, lv, gs, "w", sy)
    assert sorted(plans) == ["ambitious", "do_minimum", "preferred"]
    for cat, (st, plan) in plans.items():
        by_id = st.set_index("action_id")["status"]
        assert by_id["A07"] == by_id["A08"] == "in_place", cat
        assert not {"A07", "A08"} & set(plan["action_id"]), cat
    st = rm.action_status(acts, gaps, lv, gap_summary=gs, authorities=["w"],
                          way_forward={"w": ("ambitious", "ambitious")}, systems=sy)  # fmt: skip
    published = rm.authority_roadmap(acts, status=st)
    pd.testing.assert_frame_equal(plans["ambitious"][1], published)
    # without the sheet the rebuild cannot show the single view in place
    bare = rm.option_plans(acts, gaps, lv, gs, "w")
    assert bare["ambitious"][0].set_index("action_id").loc["A08", "status"] != "in_place"


def test_in_place_needs_positive_evidence_not_only_an_absent_gap():
    """Review finding 22: the same council w, whose journey map shows no "no aggregation" gap.
    Its Systems sheet records a warehouse but no single view: A08 (single view of the person
    or family) is triggered by that finding, not left "in place" because G03 is silent, and it
    starts at its 'next' hint (its prerequisite A07 in place). With no Systems sheet at all
    nothing shows the warehouse either: A13 needs it, so A07 is scheduled first as an
    unconfirmed prerequisite (after A06, its scheduled prerequisite: 12-24, L), and A13 waits
    for it (24-27); A08, which no finding
    triggers then and nothing scheduled needs, is not scheduled but is not "in place" (no
    evidence), so an objective it delivers is not met through it."""
    acts = rm.read_roadmap_actions(ACTIONS)
    gs = _shipped_summary("w", 8, {"G04": 6, "G10": 3})
    lv = _levels("w", uses=5, data=5, leadership=5, culture=5, tools=3, skills=5)
    st = rm.action_status(acts, None, lv, gap_summary=gs, systems=_systems("w", Store="warehouse"))
    a08 = st.set_index("action_id").loc["A08"]
    assert a08["status"] == "trigger" and a08["trigger_capability"] == "no_single_view"
    assert a08["triggered_by"] == "no_single_view"
    assert a08["trace"] == (
        "Triggered: no system provides a single view of the person or family (Systems sheet)."
    )
    road = rm.authority_roadmap(acts, status=st).set_index("action_id")
    assert (road.loc["A08", "start_month"], road.loc["A08", "end_month"]) == (6, 12)
    # no Systems sheet: the capabilities cannot be checked
    st0 = rm.action_status(acts, None, lv, gap_summary=gs)
    by_id = st0.set_index("action_id")
    assert by_id.loc["A07", "status"] == "dependency"
    assert by_id.loc["A07", "evidence"] == "G03:0/8;tools:3>=3;warehouse:not_recorded"
    assert by_id.loc["A08", "status"] == "no_evidence"
    road0 = rm.authority_roadmap(acts, status=st0).set_index("action_id")
    assert road0.loc["A07", ["start_month", "end_month", "waits_for"]].tolist() == [12, 24, "A06"]
    assert road0.loc["A13", ["start_month", "end_month", "waits_for"]].tolist() == [24, 27, "A07"]
    # a Systems sheet of another council is no evidence for this one
    other = rm.action_status(acts, None, lv, gap_summary=gs,
                             systems=_systems("x", Store="warehouse;single_view"))  # fmt: skip
    assert other.set_index("action_id").loc["A07", "status"] == "dependency"


def test_shipped_table_a_council_without_a_warehouse_builds_it_first():
    """v: G03 on 7 and G04 on 5 of 9 streams; tools 2, every other theme 5. No paper or
    phone capture (G09), so no A05 (digital capture), whatever the tools level; A06 (G04,
    tools<3) 6-12; A07 (G03) waits for A06: 12-24 (L), its other prerequisites A02, A03 in
    place; A08 (G03) waits for A07: 24-30. A09 (G04) does not wait for the warehouse (review
    finding 11: reports can be automated on the existing systems, as a do-minimum council does;
    it needs only A01, in place here): 6-12, in time for an objective due at month 18."""
    acts = rm.read_roadmap_actions(ACTIONS)
    gs = _shipped_summary("v", 9, {"G03": 7, "G04": 5})
    lv = _levels("v", uses=5, data=5, leadership=5, culture=5, tools=2, skills=5)
    road = rm.authority_roadmap(acts, None, lv, gap_summary=gs).set_index("action_id")
    months = {k: (r.start_month, r.end_month, r.waits_for) for k, r in road.iterrows()}
    assert months == {
        "A06": (6, 12, ""),
        "A07": (12, 24, "A06"),
        "A08": (24, 30, "A07"),
        "A09": (6, 12, ""),
    }
    assert road.loc["A07", "prerequisites_in_place"] == "A02;A03"
    assert road.loc["A07", "trigger_maturity"] == "tools:2<3"
    assert road.loc["A09", "prerequisites_in_place"] == "A01"


def test_programme_counts_are_the_council_tables_counts():
    """k (as in the first evidence test): Q only. m: Q trigger (G06) needing P (no evidence:
    dependency). n: P trigger (G03). So P is on 2 roadmaps (triggered in 1), Q on 2
    (triggered in 2). The programme table and the action x council table count exactly the
    council tables' rows; P's window runs from m's start (0) to the latest end (12)."""
    gs = pd.concat(
        [
            _summary("k", 4, {"G06": 2}, ["G01", "G03"]),
            _summary("m", 3, {"G06": 1}, ["G01"]),
            _summary("n", 5, {"G03": 5}, ["G01", "G06"]),
        ]
    )
    st = rm.action_status(SMALL, None, None, gap_summary=gs)
    roads = rm.authority_roadmap(SMALL, status=st)
    prog = rm.programme_roadmap(roads, SMALL, status=st).set_index("action_id")
    need = rm.action_need(roads, SMALL, ["k", "m", "n"], st).set_index("action_id")
    for aid, g in roads.groupby("action_id"):
        assert (
            prog.loc[aid, "n_authorities"]
            == g["authority"].nunique()
            == need.loc[aid, "n_authorities_any"]
        )
        assert prog.loc[aid, "authorities"] == ";".join(sorted(g["authority"]))
        trig = int((g["included_as"] == "trigger").sum())
        assert (
            prog.loc[aid, "n_authorities_triggered"]
            == trig
            == need.loc[aid, "n_authorities_triggered"]
        )
    assert set(prog.index) == set(roads["action_id"]) == {"P", "Q"}
    assert prog.loc[
        "P", ["n_authorities", "n_authorities_triggered", "n_authorities_dependency"]
    ].tolist() == [2, 1, 1]
    assert (prog.loc["P", "start_month"], prog.loc["P", "end_month"]) == (0, 12)
    # k has P in place (G03 applied, silent); m and n do not
    assert prog.loc["P", "n_authorities_in_place"] == 1
    assert need.loc["P", ["k", "m", "n"]].tolist() == ["in_place", "dependency", "trigger"]
    assert need.loc["U", "n_authorities_in_place"] == 3  # G01 silent everywhere
    assert bool(prog.loc["Q", "common_need"]) and not bool(prog.loc["P", "common_need"])


def test_when_no_evidence_flag_is_checked():
    bad = SMALL.assign(when_no_evidence=["maybe", "", "", "", ""])
    with pytest.raises(rm.RoadmapInputError, match=r"'P', column 'when_no_evidence'"):
        rm.parse_roadmap_actions(bad)


# ------------------------------------------------------------------ the roadmap follows the appraisal


def _so2_and_so3():
    """The example's spending objectives 2 and 3 (survey/example/business_case.yaml)."""
    table = pd.DataFrame(
        {
            "objective_id": ["SO2", "SO3"],
            "objective": ["No re-keying in reports", "Joined data used in decisions"],
            "action_ids": ["A06;A09", "A08;A11;A12"],
            "by_month": ["18", "36"],
            "all_authorities": ["yes", "yes"],
        }
    )
    return table


def test_report_automation_does_not_wait_for_the_warehouse_so_so2_is_met():
    """Review finding 11. v (no warehouse: G03 on 7, G04 on 5 of 9 streams, tools 2) with the
    shipped table: A06 6-12 and A09 6-12, so SO2 (A06, A09 by month 18) is met. With the old
    rule, A09 depending on A07 (the warehouse, 12-24), A09 runs 24-30 and the same check fails
    and says why: the check can still fail, and does when the schedule is late."""
    acts = rm.read_roadmap_actions(ACTIONS)
    objectives = jm.parse_spending_objectives(_so2_and_so3(), acts)
    gs = _shipped_summary("v", 9, {"G03": 7, "G04": 5})
    lv = _levels("v", uses=5, data=5, leadership=5, culture=5, tools=2, skills=5)
    st = rm.action_status(acts, None, lv, gap_summary=gs)
    check = jm.check_objectives(objectives, st, rm.authority_roadmap(acts, status=st))
    so2 = check.set_index("objective_id").loc["SO2"]
    assert so2["result"] == "met" and so2["latest_end_month"] == 12
    old = pd.read_csv(ACTIONS, dtype=str, keep_default_na=False)
    old.loc[old["action_id"] == "A09", "depends_on"] = "A07"
    old = rm.parse_roadmap_actions(old)
    st_old = rm.action_status(old, None, lv, gap_summary=gs)
    check_old = jm.check_objectives(objectives, st_old, rm.authority_roadmap(old, status=st_old))
    so2_old = check_old.set_index("objective_id").loc["SO2"]
    assert so2_old["result"] == "not_met" and so2_old["actions_late"] == "A09"
    assert so2_old["reason"] == (
        "Not met: Automated dashboards and statutory reports (A09) done only at month 30, after "
        "month 18 (it starts at month 24, when Shared data warehouse for the service area (A07) "
        "is done)."
    )


def test_so3_is_not_met_through_a_single_view_nothing_shows():
    """Review finding 22. w has a warehouse and no "no aggregation" gap. Before, A08 (single
    view) counted as in place on the absent gap and SO3 was "met" through it. Now, with a
    Systems sheet that records the warehouse but no single view, A08 is scheduled (6-12) and
    SO3 is met by its end month, not by an assumption (A11 and A12 are in place on this
    council's maturity, uses and skills 5); without a Systems sheet, A08 is neither scheduled
    (nothing triggers or needs it) nor in place, and SO3 is not met (the check says so)."""
    acts = rm.read_roadmap_actions(ACTIONS)
    objectives = jm.parse_spending_objectives(_so2_and_so3(), acts)
    gs = _shipped_summary("w", 8, {"G04": 6, "G10": 3})
    lv = _levels("w", uses=5, data=5, leadership=5, culture=5, tools=3, skills=5)
    st = rm.action_status(acts, None, lv, gap_summary=gs, systems=_systems("w", S="warehouse"))
    so3 = jm.check_objectives(objectives, st, rm.authority_roadmap(acts, status=st))
    so3 = so3.set_index("objective_id").loc["SO3"]
    assert so3["result"] == "met" and "A08" not in so3["actions_in_place"].split(";")
    assert "Single view of the person or family (A08) done by month 12" in so3["reason"]
    st0 = rm.action_status(acts, None, lv, gap_summary=gs)
    check0 = jm.check_objectives(objectives, st0, rm.authority_roadmap(acts, status=st0))
    so3_0 = check0.set_index("objective_id").loc["SO3"]
    assert so3_0["result"] == "not_met" and so3_0["actions_missing"] == "A08"
    assert so3_0["reason"] == (
        "Not met: Single view of the person or family (A08) not on the roadmap, and nothing "
        "shows it in place."
    )


def _tiered():
    """SMALL with option tiers: P (the warehouse) belongs to the proposed platform, Q (report
    automation, needs P) to do minimum, T to the more ambitious option; R and U are no-regret."""
    a = SMALL.copy()
    a["option_tier"] = ["preferred", "do_minimum", "", "ambitious", ""]
    return a


def test_actions_beyond_the_chosen_option_are_deferred_and_nothing_waits_for_them():
    """k: G03 and G06 on 2 of 4 streams, G01 silent; data 2 (< 3 fires R), uses 3 (< 4 fires T).
    With do minimum chosen: P (preferred) and T (ambitious) are deferred although triggered;
    Q (do minimum) is scheduled and no longer waits for P's 12 months: it starts at its phase
    hint, month 0, and ends at 3 (with P it would run 12-15). R and U follow their findings as
    before. Hand-worked from the rule in analysis.journeys.triggers."""
    a = _tiered()
    gs = _summary("k", 4, {"G03": 2, "G06": 2}, ["G01"])
    lv = _levels("k", data=2, uses=3)
    wf = {"k": ("do_minimum", "Do minimum: automate reports")}
    st = rm.action_status(a, None, lv, gap_summary=gs, way_forward=wf)
    assert dict(zip(st["action_id"], st["status"], strict=True)) == {
        "P": "deferred", "Q": "trigger", "R": "trigger", "T": "deferred", "U": "in_place",
    }  # fmt: skip
    p = st.set_index("action_id").loc["P"]
    assert not p["scheduled"] and p["trace"].startswith(
        "Deferred: the findings call for it (gap G03 on 2 of 4"
    )
    assert "Do minimum: automate reports, which does not include it" in p["trace"]
    assert "Action Q (Q) does not wait for it." in p["trace"]
    road = rm.authority_roadmap(a, status=st).set_index("action_id")
    assert sorted(road.index) == ["Q", "R"]
    q = road.loc["Q"]
    assert (q["start_month"], q["end_month"]) == (0, 3)
    assert q["prerequisites_deferred"] == "P" and q["prerequisites_in_place"] == ""
    # without the appraisal's choice nothing is deferred and Q waits for P (12-15)
    st0 = rm.action_status(a, None, lv, gap_summary=gs)
    assert "deferred" not in set(st0["status"])
    q0 = rm.authority_roadmap(a, status=st0).set_index("action_id").loc["Q"]
    assert (q0["start_month"], q0["end_month"], q0["waits_for"]) == (12, 15, "P")


@pytest.mark.parametrize(
    ("chosen", "deferred"),
    [
        ("bau", {"P", "Q", "T"}),  # no option funded: every tiered action waits
        ("do_minimum", {"P", "T"}),
        ("preferred", {"T"}),
        ("ambitious", set()),
    ],
)
def test_the_tiers_nest_in_order_of_scope(chosen, deferred):
    a = _tiered()
    gs = _summary("k", 4, {"G03": 2, "G06": 2}, ["G01"])
    st = rm.action_status(a, None, _levels("k", data=2, uses=3), gap_summary=gs,
                          way_forward={"k": (chosen, chosen)})  # fmt: skip
    assert set(st.loc[st["status"] == "deferred", "action_id"]) == deferred
    road = rm.authority_roadmap(a, status=st)
    assert not set(road["action_id"]) & deferred


def test_a_deferred_prerequisite_is_not_pulled_in_as_a_dependency():
    """m: only uses 3 < 4 fires T (no-regret here); T needs Q and R, Q needs P. With do minimum
    chosen P (preferred) is deferred instead of scheduled as T's dependency chain."""
    a = _tiered()
    a.loc[a["action_id"] == "T", "option_tier"] = ""
    gs = _summary("m", 4, {}, ["G01", "G03", "G06"])
    st = rm.action_status(a, None, _levels("m", uses=3), gap_summary=gs,
                          way_forward={"m": ("do_minimum", "Do minimum")})  # fmt: skip
    got = dict(zip(st["action_id"], st["status"], strict=True))
    # P's own trigger (G03 0 of 4) is checked and silent, so it is in place, not deferred
    assert got["P"] == "in_place" and got["T"] == "trigger"
    gs2 = _summary("m", 4, {}, ["G01"])  # G03, G06 not applied: no evidence on P or Q
    st2 = rm.action_status(a, None, _levels("m", uses=3), gap_summary=gs2,
                           way_forward={"m": ("do_minimum", "Do minimum")})  # fmt: skip
    got2 = dict(zip(st2["action_id"], st2["status"], strict=True))
    assert got2["P"] == "deferred" and got2["Q"] == "dependency"
    assert (
        st2.set_index("action_id").loc["P", "trace"].startswith("Deferred: Action Q (Q) needs it")
    )


def test_an_unknown_option_tier_names_the_action_and_column():
    bad = _tiered()
    bad.loc[0, "option_tier"] = "platform"
    with pytest.raises(rm.RoadmapInputError, match=r"'P', column 'option_tier'"):
        rm.parse_roadmap_actions(bad)


def test_way_forward_is_the_recommended_option():
    from analysis.journeys.triggers import way_forward_of

    d = pd.DataFrame({"option_id": ["bau", "dm", "pref"], "name": ["BAU", "Do min", "Platform"],
                      "category": ["bau", "do_minimum", "preferred"],
                      "recommended": ["no", "yes", "no"]})  # fmt: skip
    assert way_forward_of(d) == ("do_minimum", "Do min")
    assert way_forward_of(d.assign(recommended="no")) == ("bau", "business as usual")


def test_shipped_table_tiers_match_the_options_they_are_costed_in():
    """The shipped rule table: report automation and feeds are do minimum; the warehouse, the
    single view and the spreadsheet migration are the platform; the predictive pilot is the
    more ambitious option; the rest are no-regret."""
    a = rm.read_roadmap_actions(ACTIONS).set_index("action_id")["option_tier"]
    assert {k for k, v in a.items() if v == "do_minimum"} == {"A06", "A09"}
    assert {k for k, v in a.items() if v == "preferred"} == {"A07", "A08", "A13"}
    assert {k for k, v in a.items() if v == "ambitious"} == {"A12"}


def test_objectives_by_option_rebuild_the_roadmap_for_each_option():
    """k: G03, G06 on 2 of 4 streams; data 2, uses 3 (hand example above). Objective O1: Q
    by month 6. With the platform (P) in the way forward Q waits for P and ends at 15: not met;
    with do minimum P is deferred, Q runs 0-3: met; with business as usual Q itself is deferred:
    not met (missing). O2: T by 36, met only where T (ambitious) is not deferred."""
    from analysis.journeys.assessment import objectives_by_option
    from analysis.journeys.objectives import parse_spending_objectives

    a = _tiered()
    objectives = parse_spending_objectives(
        pd.DataFrame({"objective_id": ["O1", "O2"], "objective": ["q", "t"],
                      "action_ids": ["Q", "T"], "by_month": ["6", "36"],
                      "all_authorities": ["yes", "yes"]}), a)  # fmt: skip
    gaps = pd.DataFrame({"authority": "k", "gap_id": ["G03", "G06"], "label": ["x", "y"],
                         "stream_id": ["s1", "s2"]})  # fmt: skip
    gs = _summary("k", 4, {"G03": 2, "G06": 2}, ["G01"])
    got = objectives_by_option(a, gaps, _levels("k", data=2, uses=3), gs, objectives, "k")
    res = got.set_index(["option_category", "objective_id"])["result"].to_dict()
    assert res == {
        ("bau", "O1"): "not_met", ("bau", "O2"): "not_met",
        ("do_minimum", "O1"): "met", ("do_minimum", "O2"): "not_met",
        ("preferred", "O1"): "not_met", ("preferred", "O2"): "not_met",
        ("ambitious", "O1"): "not_met", ("ambitious", "O2"): "met",
    }  # fmt: skip
    late = got.set_index(["option_category", "objective_id"])["actions_late"]
    assert late[("preferred", "O1")] == "Q"
