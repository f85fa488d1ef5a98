"""Tests of what the journeys stage publishes and how its steps are chained.

Expected values are worked out by hand in the comments (no output copied from the code):
publication rounding and disclosure control, the key figures of an authority and of the
programme, and the helpers the scripts call (value basis, action need, figure titles).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import journeys as jm
from analysis.core.contracts import check_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.journeys.figures import with_council_counts

NHS = rule_from_config({"rule": "nhs"})
ROOT = Path(__file__).resolve().parents[1]


def _schema(kind):
    path = ROOT / "workflow" / "schemas" / "key_figures" / f"journeys_{kind}.schema.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- rounding


def test_published_percentages_round_half_away_from_zero():
    """The project rule on the decimal value: 6.25 -> 6.3 and 31.25 -> 31.3 (Series.round, half
    to even, gave 6.2 and 31.2); 0.05 -> 0.1; 2.675 -> 2.7; 61.538... -> 61.5; NA stays NA."""
    s = pd.Series([6.25, 31.25, 0.05, 2.675, 100 * 80 / 130, pd.NA], dtype="Float64")
    got = jm.round_published(s)
    assert got.dtype == "Float64"
    assert got.iloc[:5].tolist() == [6.3, 31.3, 0.1, 2.7, 61.5]
    assert pd.isna(got.iloc[5])


# ----------------------------------------------------------------------------- tables


def test_published_tool_swot_marks_suppressed_excerpts():
    """Register counts (streams) and council-wide excerpt counts (counts of text, published as
    the coding stage publishes them) appear as they are, even 3; a count the coding stage
    suppressed (<NA>) becomes the marker."""
    swot = pd.DataFrame(
        {
            "subject": ["CMS", "(authority-wide)", "(authority-wide)"],
            "count": pd.array([3, 10, pd.NA], dtype="Int64"),
            "count_of": ["streams", "excerpts", "excerpts"],
        }
    )
    got = jm.published_tool_swot(swot, NHS)
    assert got["count"].tolist() == ["3", "10", "[c]"]
    assert swot["count"].isna().sum() == 1  # input left as it was
    text = swot.assign(count=pd.array([3, 3, pd.NA], dtype="Int64"))
    assert jm.published_tool_swot(text, NHS)["count"].tolist() == ["3", "3", "[c]"]


def test_published_survey_agreement_hand_worked():
    """NHS rule: 132 -> 130, 79 -> 80, pct 100 x 80/130 = 61.538 -> 61.5; agree 5 of 140 ->
    suppressed, so no percentage."""
    raw = pd.DataFrame(
        {
            "authority": ["x", "x"],
            "construct": ["a", "b"],
            "n": [132, 140],
            "n_agree": [79, 5],
            "pct_agree": [100 * 79 / 132, 100 * 5 / 140],
        }
    )
    got = jm.published_survey_agreement(raw, NHS)
    assert got["n"].tolist() == [130, 140]
    assert got["n_agree"].iloc[0] == 80 and pd.isna(got["n_agree"].iloc[1])
    assert got["pct_agree"].iloc[0] == 61.5 and pd.isna(got["pct_agree"].iloc[1])


def test_published_indicators_hide_values_resting_on_suppressed_counts():
    """90.625 -> 90.6 (register); a value on a suppressed count (basis "suppressed", which
    maturity_indicators never fills: here planted) -> empty, level kept; no evidence stays
    empty with basis "none"."""
    ind = pd.DataFrame(
        {
            "indicator_id": ["D1", "U2", "C1"],
            "value": [90.625, 100 * 5 / 140, np.nan],
            "level": pd.array([4, 1, pd.NA], dtype="Int64"),
            "value_basis": ["register", "suppressed", "none"],
        }
    )
    got = jm.published_indicators(ind)
    assert got["value"].iloc[0] == 90.6 and got["value"].iloc[1:].isna().all()
    assert got["value_basis"].tolist() == ["register", "suppressed", "none"]
    assert got["level"].iloc[1] == 1


def test_value_basis_says_how_each_value_was_obtained():
    ind = pd.DataFrame(
        {
            "value": [50.0, np.nan, 70.0, 33.3, np.nan, np.nan],
            "level": pd.array([3, 1, 4, 2, pd.NA, pd.NA], dtype="Int64"),
            "source": ["register", "survey", "survey", "coding", "survey", "survey"],
            "argument": ["", "c1", "c2", "", "c1", "c3"],
        }
    )
    survey = pd.DataFrame({"construct": ["c1"], "pct_basis": ["suppressed"]})
    # c1: agreeing count suppressed, a level that holds over its range ("suppressed") or none;
    # c2 is not in the survey evidence: its value can only come from rounded counts
    assert jm.value_basis(ind, survey) == [
        "register",
        "suppressed",
        "rounded_counts",
        "rounded_counts",
        "none",
        "none",
    ]


# ----------------------------------------------------------------------------- key figures


def test_most_common_gap_ties():
    """G03 (medium) and G04 (high) both on 2 streams: G04 by severity, G03 by id alone."""
    counts = pd.DataFrame(
        {
            "gap_id": ["G01", "G03", "G04"],
            "label": ["one", "three", "four"],
            "severity": ["low", "medium", "high"],
            "n_streams": [1, 2, 2],
        }
    )
    assert jm.most_common_gap(counts, severity_ties=True)["most_common_gap_id"] == "G04"
    assert jm.most_common_gap(counts, severity_ties=False) == {
        "most_common_gap_id": "G03",
        "most_common_gap_label": "three",
        "most_common_gap_n_streams": 2,
    }
    none = jm.most_common_gap(counts.assign(n_streams=0), severity_ties=True)
    assert none == {
        "most_common_gap_id": None,
        "most_common_gap_label": None,
        "most_common_gap_n_streams": 0,
    }


LEVELS = pd.DataFrame(
    {
        "authority": ["k"] * 6,
        "theme": list(jm.MATURITY_THEMES),  # uses data leadership culture tools skills
        "level": pd.array([3, 2, pd.NA, 2, 4, 5], dtype="Int64"),
        "level_label": ["learning", "emerging", np.nan, "emerging", "developing", "mastering"],
    }
)


def test_authority_key_figures_hand_worked():
    """Streams: 3, two reach decision use, 7 + 3 + 5 = 15 stages. Gaps: 4 findings (G01 on
    S1 and S2, high; G03 medium; G05 low) -> 2 streams with a high gap. Summary: 4 rules, 3
    fired; G01 on most streams (2). Tools: A ranks 1 with 12. Maturity: lowest 2, data and
    culture (DMA order), leadership no evidence. Roadmap: 3 actions, 2 triggered, 2 now, 1
    later that ends at 40 (beyond 36)."""
    streams = pd.DataFrame({"reaches_decision": [True, False, True], "n_stages": [7, 3, 5]})
    gaps = pd.DataFrame(
        {
            "gap_id": ["G01", "G01", "G03", "G05"],
            "severity": ["high", "high", "medium", "low"],
            "stream_id": ["S1", "S2", "S2", "S3"],
        }
    )
    summary = pd.DataFrame(
        {
            "gap_id": ["G01", "G02", "G03", "G05"],
            "label": ["No audit", "No security", "No aggregation", "No agreement"],
            "severity": ["high", "high", "medium", "low"],
            "n_streams": [2, 0, 1, 1],
        }
    )
    tools = pd.DataFrame({"system": ["B", "A"], "total": [9, 12], "rank": [2, 1]})
    roadmap = pd.DataFrame(
        {
            "action_id": ["A01", "A02", "A03"],
            "title": ["One", "Two", "Three"],
            "included_as": ["trigger", "dependency", "trigger"],
            "phase": ["now", "now", "later"],
            "end_month": [6, 3, 40],
            "beyond_horizon": [False, False, True],
            # what pays: A01 existing budgets; A02 and A03 the option's lines, none for A03
            "funded_by": ["existing_budgets", "capital", "staff"],
            "funded": [True, True, False],
        }
    )
    # issue 12: stages, action status, objectives, inventory and flows
    stages = pd.DataFrame({"stage": ["capture", "storage"], "total": [9, 14], "rank": [2, 1]})
    status = pd.DataFrame(
        {
            "action_id": ["A01", "A02", "A03", "A04", "A05", "A06", "A07"],
            "title": ["One", "Two", "Three", "Four", "Five", "Six", "Seven"],
            "status": ["trigger", "dependency", "trigger", "in_place", "in_place"]
            + ["assumed_in_place", "no_evidence"],
            "needed_by": ["", "A03", "", "A01", "", "", ""],
        }
    )
    checks = pd.DataFrame(
        {"objective_id": ["SO1", "SO2", "SO3"], "result": ["met", "not_met", "met"]}
    )
    inventory = pd.DataFrame(
        {"n_stages_rekeyed": [2, 0], "n_stages_no_security": [0, 1], "hosting": ["cloud", "none"]}
    )
    flows = pd.DataFrame({"volume_per_year": pd.array([100, pd.NA, 50], dtype="Int64")})
    kf = jm.authority_key_figures(
        streams,
        gaps,
        summary,
        tools,
        LEVELS,
        roadmap,
        "k",
        stages=stages,
        status=status,
        objectives=checks,
        inventory=inventory,
        flows=flows,
    )
    expected = {
        "authority": "k",
        "n_streams": 3,
        "n_streams_reaching_decision": 2,
        "n_stages_happening": 15,
        "n_systems": 2,
        "n_gap_rules": 4,
        "n_gap_kinds_found": 3,
        "n_gaps": 4,
        "n_gaps_high": 2,
        "n_gaps_medium": 1,
        "n_gaps_low": 1,
        "n_streams_with_high_gap": 2,
        "most_common_gap_id": "G01",
        "most_common_gap_label": "No audit",
        "most_common_gap_n_streams": 2,
        "gap_ids_found": ["G01", "G03", "G05"],
        "top_tool": "A",
        "top_tool_total": 12,
        "maturity_level_uses": 3,
        "maturity_label_uses": "learning",
        "maturity_level_data": 2,
        "maturity_label_data": "emerging",
        "maturity_level_leadership": None,
        "maturity_label_leadership": None,
        "maturity_level_culture": 2,
        "maturity_label_culture": "emerging",
        "maturity_level_tools": 4,
        "maturity_label_tools": "developing",
        "maturity_level_skills": 5,
        "maturity_label_skills": "mastering",
        "maturity_lowest_level": 2,
        "maturity_lowest_themes": ["data", "culture"],
        "n_actions": 3,
        "n_actions_triggered": 2,
        "n_actions_now": 2,
        "n_actions_next": 0,
        "n_actions_later": 1,
        "n_actions_beyond_horizon": 1,
        "roadmap_end_month": 40,
        "actions_now": ["A01 One", "A02 Two"],
        # tools ranked A (1), B (2); storage is the top stage (14); one system re-keyed, one
        # with an unsecured stage; volumes 100 + 50 (one not recorded)
        "tools_ranked": ["A", "B"],
        "top_stage": "storage",
        "top_stage_total": 14,
        "n_systems_rekeyed": 1,
        "n_systems_unsecured": 1,
        "inventory_recorded": True,  # a Systems sheet: hosting recorded for every system
        "volume_per_year_total": 150,
        "n_actions_existing_budgets": 1,
        "n_actions_unfunded": 1,
        "actions_unfunded": ["A03 Three"],
        # A04 and A05 in place (A04 needed by A01), A06 assumed, A07 no evidence; A02 is the
        # roadmap's one dependency
        "n_actions_in_place": 2,
        "actions_in_place": ["A04 Four", "A05 Five"],
        "n_prerequisites_in_place": 1,
        "n_actions_assumed_in_place": 1,
        "n_actions_dependency": 1,
        "n_actions_no_evidence": 1,
        "n_actions_deferred": 0,
        "actions_deferred": [],
        "n_objectives": 3,
        "n_objectives_met": 2,
        "objectives_met": ["SO1", "SO3"],
        "objectives_not_met": ["SO2"],
    }
    assert kf == expected
    check_key_figures(kf, _schema("authority"), "hand-made")  # and it meets the contract


def test_programme_key_figures_hand_worked():
    """Councils k, m. Gaps: k G01 2 streams, m G01 1 and G02 3 -> 6 findings, 3 high, 3
    medium; only G01 in both; G01 and G02 tie on 3 streams -> G01 (lower id). Maturity:
    uses 2 (k) and 4 (m), other themes no evidence. Actions: P (collect, now, common need), Q
    (mine, next), R (collect, later, common need, ends 30); only P triggered in both councils;
    k has 2 actions, m 3. Systems: k's register has a Systems sheet with a warehouse, m's has
    none."""
    streams = pd.DataFrame({"stream_id": ["S1", "S2", "S1", "S2", "S3"]})
    summary = pd.DataFrame(
        {
            "authority": ["k", "k", "m", "m"],
            "gap_id": ["G01", "G02", "G01", "G02"],
            "label": ["No audit", "No security"] * 2,
            "severity": ["high", "medium"] * 2,
            "n_streams": [2, 0, 1, 3],
        }
    )
    levels = pd.DataFrame(
        {
            "authority": ["k", "m", "k", "m"],
            "theme": ["uses", "uses", "data", "data"],
            "level": pd.array([2, 4, pd.NA, pd.NA], dtype="Int64"),
        }
    )
    roadmaps = pd.DataFrame(
        {"authority": ["k", "k", "m", "m", "m"], "action_id": ["P", "Q", "P", "Q", "R"]}
    )
    programme = pd.DataFrame(
        {
            "action_id": ["P", "R", "Q"],
            "title": ["Pee", "Are", "Queue"],
            "lifecycle_stage": ["collect", "collect", "mine"],
            "phase": ["now", "later", "next"],
            "end_month": [6, 30, 12],
            "common_need": [True, True, False],
        }
    )
    need = pd.DataFrame({"action_id": ["P", "Q", "R"], "title": ["Pee", "Queue", "Are"]}).assign(
        n_authorities_triggered=[2, 1, 0]
    )
    # issue 12: k has P in place; tools X, Y (k) and Z (m); k's top stage storage, m none;
    # O1 met in both councils and overall, O2 met in m only
    status = pd.DataFrame({"authority": ["k", "k", "m"], "action_id": ["P", "Q", "P"]}).assign(
        status=["in_place", "trigger", "trigger"]
    )
    tool_ranking = pd.DataFrame(
        {"authority": ["k", "k", "m"], "system": ["X", "Y", "Z"], "rank": [1, 2, 1]}
    )
    stage_ranking = pd.DataFrame({"authority": ["k"], "stage": ["storage"], "rank": [1]})
    checks = pd.DataFrame(
        {
            "authority": ["k", "m", "programme", "k", "m", "programme"],
            "objective_id": ["O1", "O1", "O1", "O2", "O2", "O2"],
            "result": ["met", "met", "met", "not_met", "met", "not_met"],
        }
    )
    kf = jm.programme_key_figures(
        streams,
        summary,
        levels,
        roadmaps,
        programme,
        need,
        authorities=["k", "m"],
        action_status=status,
        objectives_check=checks,
        tool_ranking=tool_ranking,
        stage_ranking=stage_ranking,
        systems_summary=pd.DataFrame(
            {
                "authority": ["k", "m"],
                "recorded": [True, False],
                "has_warehouse": [True, pd.NA],
                "has_single_view": [False, pd.NA],
                "has_automated_reporting": [False, pd.NA],
            }
        ),
    )
    nones = {f"maturity_{m}_level_{t}": None for m in ("min", "max") for t in jm.MATURITY_THEMES}
    expected = {
        **nones,
        "n_authorities": 2,
        "n_streams": 5,
        "n_gaps": 6,
        "n_gaps_high": 3,
        "n_gaps_medium": 3,
        "n_gaps_low": 0,
        "gap_ids_in_all_authorities": ["G01"],
        "most_common_gap_id": "G01",
        "most_common_gap_label": "No audit",
        "most_common_gap_n_streams": 3,
        "maturity_min_level_uses": 2,
        "maturity_max_level_uses": 4,
        "n_actions": 3,
        "n_actions_common_need": 2,
        "actions_common_need": ["P Pee", "R Are"],
        "n_actions_needed_by_all": 1,
        "actions_needed_by_all": ["P Pee"],
        "n_actions_now": 1,
        "n_actions_next": 1,
        "n_actions_later": 1,
        "n_actions_collect": 2,
        "n_actions_collate": 0,
        "n_actions_mine": 1,
        "n_actions_analyse": 0,
        "roadmap_end_month": 30,
        "n_actions_per_authority_min": 2,
        "n_actions_per_authority_max": 3,
        "n_actions_in_place_by_authority": {"k": 1, "m": 0},
        "n_systems": 3,
        "top_tool_by_authority": {"k": "X", "m": "Z"},
        "top_stage_by_authority": {"k": "storage", "m": None},
        "n_objectives": 2,
        "n_objectives_met_all": 1,
        "objectives_not_met": ["O2"],
        "objectives_n_authorities_met": {"O1": 2, "O2": 1},
        "n_authorities_inventory_recorded": 1,
        "authorities_with_warehouse": ["k"],
        "authorities_with_single_view": [],
        "authorities_with_automated_reporting": [],
    }
    assert kf == expected
    check_key_figures(kf, _schema("programme"), "hand-made")


# ----------------------------------------------------------------------------- programme


ACTIONS = pd.DataFrame(
    [
        ("P", "Pee", "G01", "", "owner", "S", "3", "", "now", "collect", "", ""),
        ("Q", "Queue", "G02", "", "owner", "S", "3", "P", "", "mine", "", ""),
        ("R", "Are", "G03", "", "owner", "M", "2", "", "later", "collate", "", ""),
    ],
    columns=list(jm.ACTION_COLUMNS),
)


def test_action_need_hand_worked():
    """k: P trigger, Q dependency; m: P trigger; n: nothing. P needed (triggered) by 2, Q by
    1 (as a dependency, triggered by none), R by none."""
    roadmaps = pd.DataFrame(
        {
            "authority": ["k", "k", "m"],
            "action_id": ["P", "Q", "P"],
            "included_as": ["trigger", "dependency", "trigger"],
        }
    )
    got = jm.action_need(roadmaps, ACTIONS, ["k", "m", "n"])
    assert list(got.columns) == [
        "action_id",
        "title",
        "lifecycle_stage",
        "k",
        "m",
        "n",
        "n_authorities_triggered",
        "n_authorities_any",
        "n_authorities_in_place",  # issue 12: 0 here, no action status given
    ]
    rows = {r[0]: r[3:] for r in got.itertuples(index=False)}
    assert rows == {
        "P": ("trigger", "trigger", "", 2, 2, 0),
        "Q": ("dependency", "", "", 0, 1, 0),
        "R": ("", "", "", 0, 0, 0),
    }


def test_programme_tables_consolidate_and_keep_the_stacked_tables():
    """G01 in k and m triggers P in both (a common need); G02 in m triggers Q, which pulls in
    P there as well."""
    gaps = pd.DataFrame({"authority": ["k", "m", "m"], "gap_id": ["G01", "G01", "G02"]})
    roadmaps = jm.authority_roadmap(ACTIONS, gaps)
    summary, levels = pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2]})
    t = jm.programme_tables(summary, levels, roadmaps, ACTIONS, ["k", "m"])
    assert list(t) == ["gap_summary", "levels", "authority_roadmaps", "roadmap", "action_need"]
    assert t["gap_summary"] is summary and t["authority_roadmaps"] is roadmaps
    prog = t["roadmap"].set_index("action_id")
    assert prog.loc["P", "n_authorities"] == 2 and bool(prog.loc["P", "common_need"])
    assert prog.loc["Q", "n_authorities"] == 1
    assert t["action_need"].set_index("action_id").loc["Q", "m"] == "trigger"


def test_programme_gantt_titles_say_how_many_councils():
    roadmap = pd.DataFrame({"title": ["Alpha", "Beta"], "n_authorities": [3, 0]})
    got = with_council_counts(roadmap, 4)
    assert got["title"].tolist() == [
        "Alpha (3\u00a0of\u00a04\u00a0councils)",  # no-break spaces
        "Beta (prerequisite)",
    ]
    assert roadmap["title"].tolist() == ["Alpha", "Beta"]  # input left as it was


# ----------------------------------------------------------------------------- one council


def _register():
    stages = ["capture", "validation", "processing", "storage", "aggregation", "analysis"]
    stages.append("decision_use")
    return pd.DataFrame(
        {
            "authority": "x",
            "stream_id": "S1",
            "stream_name": "Referrals",
            "stage": stages,
            "source": "police",
            "channel": "paper",  # paper capture: gap G09 fires
            "system": ["Inbox", "CMS", "CMS", "CMS", "DW", "BI", "Panel"],
            "dq_audit": "yes",
            "security_controls": "role-based access",
            "manual_rekeying": False,
            "sharing_agreement": "yes",
            "frequency": "daily",
            "volume_per_year": 100,
            "last_reviewed": "within_1_year",
        }
    )


def test_assess_authority_chains_the_steps_for_one_council():
    survey = ROOT / "survey"
    agreement = pd.DataFrame(
        {
            "authority": ["x"],
            "construct": ["data_value"],
            "n": [40],
            "n_agree": [20],
            "pct_agree": [50.0],
        }
    )
    evidence = pd.DataFrame(
        {
            "authority": ["x", "y"],
            "swot": ["strength", "weakness"],
            "code": ["good_tool", "manual_rekeying"],
            "label": ["Good tool", "Re-keying"],
            "n_excerpts": pd.array([10, 15], dtype="Int64"),
        }
    )
    t = jm.assess_authority(
        _register(),
        jm.read_gap_rules(survey / "gap_rules.csv"),
        agreement,
        evidence,
        jm.read_maturity_rubric(survey / "maturity_rubric.csv"),
        jm.read_roadmap_actions(survey / "roadmap_actions.csv"),
        rule=NHS,
        authority="x",
        objectives=jm.read_spending_objectives(
            survey / "example" / "business_case.yaml",
            jm.read_roadmap_actions(survey / "roadmap_actions.csv"),
        ),
    )
    assert list(t) == [
        "journeys",
        "streams",
        "gaps",
        "gap_summary",
        "tool_scores",
        "register_metrics",
        "survey_agreement",
        "tool_swot",
        "indicators",
        "levels",
        "roadmap",
        # issue 12
        "stage_scores",
        "stage_swot",
        "systems_inventory",
        "stream_flows",
        "action_status",
        "objectives_check",
        "option_objectives",
    ]
    assert len(t["action_status"]) == 13 and set(t["action_status"]["authority"]) == {"x"}
    assert t["objectives_check"]["objective_id"].tolist() == ["SO1", "SO2", "SO3"]
    assert len(t["stage_scores"]) == 7 and "Panel" not in set(t["tool_scores"]["system"])
    assert t["survey_agreement"] is agreement  # raw: controlled only when published
    assert len(t["journeys"]) == 7 and set(t["gaps"]["gap_id"]) == {"G09"}
    coded = t["tool_swot"][t["tool_swot"]["evidence_source"] == "coding"]
    assert coded["fact"].tolist() == ["good_tool"]  # authority y's evidence left out
    assert {"value_basis"} <= set(t["indicators"].columns)
    assert set(t["roadmap"]["authority"]) == {"x"}
    assert "G09" in ";".join(t["roadmap"]["triggered_by"])
