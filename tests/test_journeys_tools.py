"""Tests of the tool and stage SWOT (issue 12, point 5): systems only as tools, stages scored
in their own table, ranked tables with SWOT text, systems inventory and stream flows.

The register is the small one of tests/test_journeys.py's tool-score test (N = 3 streams,
D = 2 reach decision use: T1, T2); expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import journeys as jm
from analysis.core.vocabulary import STAGES


def _stream(auth, sid, source, systems, **over):
    rows = []
    for stage, system in zip(STAGES, systems, strict=True):
        if system is None:
            continue
        row = {
            "authority": auth,
            "stream_id": sid,
            "stream_name": f"Stream {sid}",
            "stage": stage,
            "source": source,
            "channel": "online_form" if stage == "capture" else "system_feed",
            "system": system,
            "dq_audit": "yes",
            "security_controls": "role-based access",
            "manual_rekeying": False,
            "sharing_agreement": "not_applicable" if source in ("council", "public") else "yes",
            "frequency": "daily",
            "volume_per_year": 1000,
            "last_reviewed": "within_1_year",
            "notes": "",
        }
        row.update(over.get(stage, {}))
        rows.append(row)
    return rows


def register():
    rows = _stream("y", "T1", "council", ["Portal", None, None, "CMS", None, None, "Panel"])
    rows += _stream(
        "y",
        "T2",
        "police",
        ["CMS", None, None, "CMS", "DW", None, "Panel"],
        capture={"manual_rekeying": True},
        storage={"dq_audit": "partial"},
    )
    rows += _stream(
        "y",
        "T3",
        "public",
        ["Portal", None, None, "CMS", None, None, None],
        capture={"dq_audit": "no", "volume_per_year": 250},
    )
    return pd.DataFrame(rows)


def test_decision_use_is_not_a_tool():
    """Panel is named only at decision use: it is scored as the decision_use stage, not as a
    tool. The tools keep their scores (CMS 13, Portal 9, DW 9) and ranks 1-3."""
    t = jm.tool_scores(register()).set_index("system")
    assert list(t.index) == ["CMS", "Portal", "DW"] and t["rank"].tolist() == [1, 2, 3]
    assert "Panel" not in set(jm.tool_swot(register())["subject"])
    assert "Panel" not in set(jm.systems_inventory(register())["system"])


def test_stage_scores_hand_worked():
    """capture: T1 yes, T2 re-keyed 0, T3 no -> quality 1/3; reach 1 -> impact 5; position 0
    -> value 1 + round(2/3) = 2; T1, T2 reach decisions -> crit 5; total 12.
    storage: yes, partial, yes -> 5/6; position 1/2 -> value 1 + round(1 + 5/3) = 4; 5, 5:
    total 14. aggregation: T2 only -> impact 1 + round(4/3) = 2; position 2/3, quality 1 ->
    value 1 + round(10/3) = 4; crit 1 + round(2) = 3; total 9. decision_use: T1, T2 ->
    impact 1 + round(8/3) = 4; position 1, quality 1 -> value 5; crit 5; total 14.
    validation, processing, analysis happen on no stream: 1, 1, 1 -> 3.
    Ranks: storage and decision use tie on 14 and criticality 5; storage has impact 5 -> 1.
    Then capture, aggregation, and the three empty stages in journey order."""
    s = jm.stage_scores(register()).set_index("stage")
    got = {
        k: tuple(int(x) for x in r)
        for k, r in s[["impact", "value_added", "criticality", "total", "rank"]].iterrows()
    }
    assert got == {
        "storage": (5, 4, 5, 14, 1),
        "decision_use": (4, 5, 5, 14, 2),
        "capture": (5, 2, 5, 12, 3),
        "aggregation": (2, 4, 3, 9, 4),
        "validation": (1, 1, 1, 3, 5),
        "processing": (1, 1, 1, 3, 6),
        "analysis": (1, 1, 1, 3, 7),
    }
    assert s.loc["capture", "quality"] == pytest.approx(1 / 3)
    assert (
        s.loc["decision_use", "systems"] == "Panel" and s.loc["capture", "systems"] == "CMS;Portal"
    )
    assert s.loc["validation", "systems"] == "" and s.loc["validation", "n_streams"] == 0


def test_stage_swot_hand_worked():
    """capture happens on all 3 streams (2 reach decisions), T3's capture has no audit, T2's
    is re-keyed; T3 never reaches a decision; T1 and T3 are never aggregated. Validation
    happens nowhere (absent on 3). Decision use: 2 streams, audited at both, absent on T3,
    T1 not aggregated."""
    sw = jm.stage_swot(register())
    assert set(sw["subject_type"]) == {"stage"}

    def facts(stage):
        g = sw[sw["subject"] == stage]
        return dict(zip(g["fact"], g["count"], strict=True))

    assert facts("capture") == {
        "shared": 3,
        "feeds_decisions": 2,
        "no_dq_audit": 1,
        "manual_rekeying": 1,
        "not_aggregated": 2,
        "unused_data": 1,
    }
    assert facts("validation") == {"absent": 3}
    assert facts("decision_use") == {
        "shared": 2,
        "feeds_decisions": 2,
        "audited": 2,
        "absent": 1,
        "not_aggregated": 1,
    }
    assert sw.loc[sw["fact"] == "absent", "item"].iloc[0] == "Does not happen on 3 of 3 streams"
    # stages in journey order
    assert list(dict.fromkeys(sw["subject"])) == [
        "capture",
        "validation",
        "processing",
        "storage",
        "aggregation",
        "analysis",
        "decision_use",
    ]


def test_ranked_tables_carry_scores_and_swot_with_evidence():
    """CMS (rank 1): strengths feeds_decisions (2 streams) and shared ("Used by 3 of 3
    streams", already counted); weakness one re-keyed stage ("1 stage", singular);
    opportunities not aggregated (2) and unused (1); workshop evidence naming CMS with a
    suppressed count shows the marker."""
    ev = pd.DataFrame(
        {
            "authority": ["y"],
            "swot": ["strength"],
            "code": ["good_tool"],
            "label": ["A tool that works well"],
            "n_excerpts": pd.array([pd.NA], dtype="Int64"),
            "system": ["CMS"],
        }
    )
    reg = register()
    raw = jm.tool_ranking(jm.tool_scores(reg), jm.tool_swot(reg, ev), "[c]")
    assert list(raw.columns) == list(jm.TOOL_RANKING_COLUMNS)
    rk = raw.set_index("system")
    cms = rk.loc["CMS"]
    assert (cms["rank"], cms["impact"], cms["value_added"], cms["criticality"]) == (1, 5, 3, 5)
    assert (
        cms["strengths"]
        == "On the journey of streams that reach decisions (2 streams); Used by 3 of 3 streams"
    )
    assert cms["weaknesses"] == "Data re-keyed by hand into it (1 stage)"
    assert cms["opportunities"] == (
        "Streams not yet aggregated: a candidate feed for a shared store (2 streams); "
        "Holds data that never reaches a decision (1 stream)"
    )
    assert cms["threats"] == "" and rk.loc["Portal", "workshop_evidence"] == ""
    assert cms["workshop_evidence"] == "strength: A tool that works well ([c] excerpts)"
    st = jm.stage_ranking(jm.stage_scores(reg), jm.stage_swot(reg))
    assert st["stage"].tolist()[:2] == ["storage", "decision_use"]
    assert (
        st.set_index("stage").loc["validation", "weaknesses"] == "Does not happen on 3 of 3 streams"
    )


def test_programme_ranking_ranks_the_councils_together():
    """y: CMS 13 (crit 5, impact 5), Portal 9 (3, 4), DW 9 (3, 2). z, made up: CMS 15 (5, 5),
    Portal 2 (1, 1), DW 9 (3, 3). Together by total, then criticality, impact: z CMS, y CMS,
    then the three 9s with criticality 3 by impact (y Portal 4, z DW 3, y DW 2), z Portal."""
    a = jm.tool_scores(register())
    b = a.assign(authority="z", total=[15, 2, 9], criticality=[5, 1, 3], impact=[5, 1, 3])
    got = jm.programme_ranking(pd.concat([a, b]), "system")
    assert list(zip(got["programme_rank"], got["authority"], got["system"], got["rank"])) == [
        (1, "z", "CMS", 1),
        (2, "y", "CMS", 1),
        (3, "y", "Portal", 2),
        (4, "z", "DW", 3),
        (5, "y", "DW", 3),
        (6, "z", "Portal", 2),
    ]


def test_systems_inventory_hand_worked():
    """CMS: capture (T2) and storage (T1-T3) -> 4 stages, 3 streams, sources council, police,
    public; audit yes 3 (T1 storage, T2 capture, T3 storage), partial 1 (T2 storage); one
    re-keyed stage, on T2; its only control is role-based access. Portal: capture on T1
    (yes) and T3 (no)."""
    inv = jm.systems_inventory(register()).set_index("system")
    assert list(inv.index) == ["CMS", "DW", "Portal"]
    cms = inv.loc["CMS"]
    assert cms[["stages", "n_stages", "streams", "n_streams"]].tolist() == [
        "capture;storage",
        4,
        "T1;T2;T3",
        3,
    ]
    assert cms["sources"] == "council;police;public"
    assert cms[["dq_audit_yes", "dq_audit_partial", "dq_audit_no"]].tolist() == [3, 1, 0]
    assert cms[
        ["security_controls", "n_stages_no_security", "n_stages_rekeyed", "streams_rekeyed"]
    ].tolist() == ["role-based access", 0, 1, "T2"]
    assert inv.loc["Portal", ["dq_audit_yes", "dq_audit_no"]].tolist() == [1, 1]
    # no Systems sheet: owner, hosting, integration and capabilities are not recorded
    assert set(inv[list(jm.SYSTEMS_SHEET_COLUMNS)].to_numpy().ravel()) == {jm.NOT_RECORDED}


def _systems_sheet():
    return pd.DataFrame(
        [
            ("y", "CMS", "Head of Service", "supplier_hosted", "manual_export", "case_management"),
            ("y", "DW", "BI manager", "cloud", "file_transfer;shared_database", "warehouse"),
            ("y", "Portal", "Web manager", "cloud", "api", ""),
        ],
        columns=["authority", "system", "owner", "hosting", "integration", "capabilities"],
    )


def test_systems_inventory_carries_the_systems_sheet():
    """Issue 12 point 5 / review finding 21: owner, hosting and integration per system, from
    the register's Systems sheet, beside what the Register shows it doing; the programme
    summary counts hosting and integration and names the warehouse."""
    inv = jm.systems_inventory(register(), _systems_sheet()).set_index("system")
    assert list(inv.columns[1:5]) == ["owner", "hosting", "integration", "capabilities"]
    assert inv.loc["DW", ["owner", "hosting", "integration", "capabilities"]].tolist() == [
        "BI manager",
        "cloud",
        "file_transfer;shared_database",
        "warehouse",
    ]
    assert inv.loc["Portal", "capabilities"] == ""
    assert inv.loc["CMS", "n_streams"] == 3  # the register's facts are unchanged
    summary = jm.systems_summary(inv.reset_index(), ["y", "z"]).set_index("authority")
    y = summary.loc["y"]
    assert bool(y["recorded"]) and y["n_systems"] == 3
    assert (y["n_cloud"], y["n_supplier_hosted"], y["n_on_premises"]) == (2, 1, 0)
    # DW (file transfer) and Portal (API) exchange data automatically; CMS only by export
    assert (y["n_integrated"], y["n_manual_only"]) == (2, 1)
    assert bool(y["has_warehouse"]) and not bool(y["has_single_view"])
    assert y["systems_with_capabilities"] == "warehouse:DW"
    z = summary.loc["z"]  # no systems at all: nothing recorded
    assert not bool(z["recorded"]) and z["n_systems"] == 0 and pd.isna(z["n_cloud"])


def test_stream_flows_hand_worked():
    """Every stream is captured by online form and then moves by system feed, daily; T3's
    largest recorded volume is 1,000 (its capture row says 250)."""
    raw = jm.stream_flows(register())
    assert list(raw.columns) == list(jm.FLOW_COLUMNS)
    fl = raw.set_index("stream_id")
    assert fl["channel"].tolist() == ["online_form;system_feed"] * 3
    assert fl["frequency"].tolist() == ["daily"] * 3
    assert fl["volume_per_year"].tolist() == [1000, 1000, 1000]
    assert fl["reaches_decision"].tolist() == [True, True, False]
    assert fl["n_stages"].tolist() == [3, 4, 2]


def test_impact_is_weighted_by_records_not_streams():
    """Review finding 21: a tool on one large stream is not ranked last. Council v: stream A
    has 14,000 records a year and is captured by Form; B, C and D have 40 each, captured by
    Mail. Every stream is stored in Store. Counting streams, Form would reach 1/4 (impact
    1 + round(1) = 2) and Mail 3/4 (impact 1 + round(3) = 4). Counting records (14,120 in
    all), Form reaches 14,000/14,120 = 0.99150 -> impact 1 + round(3.966) = 5 and Mail
    120/14,120 = 0.00850 -> 1 + round(0.034) = 1. Criticality still counts streams: A and B
    reach a decision, so Mail (B, C, D) has decision share 1/2 -> 1 + round(2) = 3."""
    rows = _stream(
        "v",
        "A",
        "public",
        ["Form", None, None, "Store", None, None, "Board"],
        **{st: {"volume_per_year": 14000} for st in ("capture", "storage", "decision_use")},
    )
    for sid, dec in (("B", "Board"), ("C", None), ("D", None)):
        rows += _stream(
            "v",
            sid,
            "police",
            ["Mail", None, None, "Store", None, None, dec],
            **{st: {"volume_per_year": 40} for st in ("capture", "storage", "decision_use")},
        )
    t = jm.tool_scores(pd.DataFrame(rows)).set_index("system")
    assert t.loc["Form", ["records", "records_total"]].tolist() == [14000, 14120]
    assert t.loc["Form", "reach"] == pytest.approx(14000 / 14120)
    assert t.loc["Form", "stream_share"] == pytest.approx(0.25)
    assert (t.loc["Form", "impact"], t.loc["Mail", "impact"], t.loc["Store", "impact"]) == (5, 1, 5)
    assert t.loc["Mail", "criticality"] == 3
    assert t.loc["Form", "rank"] < t.loc["Mail", "rank"]
    # a stream with no volume recorded: reach falls back to the share of streams
    for r in rows:
        if r["stream_id"] == "A":
            r["volume_per_year"] = pd.NA
    t2 = jm.tool_scores(pd.DataFrame(rows)).set_index("system")
    assert t2.loc["Form", "reach"] == pytest.approx(0.25) and t2.loc["Form", "impact"] == 2
    assert pd.isna(t2.loc["Form", "records"])
