"""Tests of the journeys stage's analysis: journey table, gap rules, tool scores/SWOT, maturity rubric.

Expected values are worked out by hand in the comments (no output copied from the code).
Vocabularies: Government Data Quality Framework (2020) dimensions; Data Maturity Assessment
for Government (CDDO, 2023) levels and themes.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from analysis import journeys as jm
from analysis.core.rounding import round_half_away
from analysis.core.vocabulary import STAGES as STAGE_VOCABULARY

ROOT = Path(__file__).resolve().parents[1]
GAP_RULES = ROOT / "survey" / "gap_rules.csv"
RUBRIC = ROOT / "survey" / "maturity_rubric.csv"
STAGES = list(STAGE_VOCABULARY)


def _stream(auth, sid, source, systems, **over):
    """Rows of one stream; ``systems`` has one entry per stage (None = row absent)."""
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


FULL = ["Portal", "Case system", "Case system", "Case system", "Warehouse", "BI", "Panel"]


def clean_register() -> pd.DataFrame:
    """Three complete, well-run journeys: none of the shipped gap rules should fire."""
    rows = _stream("a", "S1", "council", FULL)
    rows += _stream("a", "S2", "police", FULL)
    rows += _stream("a", "S3", "public", FULL)
    return pd.DataFrame(rows)


def _set(reg, sid, stage, **values):
    reg = reg.copy()
    m = (reg["stream_id"] == sid) & (reg["stage"] == stage)
    assert m.sum() == 1
    for k, v in values.items():
        reg.loc[m, k] = v
    return reg


def _drop(reg, sid, stage):
    return reg[~((reg["stream_id"] == sid) & (reg["stage"] == stage))].reset_index(drop=True)


# One crafted register per shipped rule: (change to the clean register, stream, stages shown).
CRAFTED = {
    "G01": (lambda r: _set(r, "S2", "processing", dq_audit="no"), "S2", "processing"),
    "G02": (lambda r: _set(r, "S1", "storage", security_controls="none"), "S1", "storage"),
    "G03": (lambda r: _drop(r, "S3", "aggregation"), "S3", "aggregation"),
    "G04": (lambda r: _set(r, "S1", "storage", manual_rekeying=True), "S1", "storage"),
    "G05": (lambda r: _set(r, "S2", "capture", sharing_agreement="no"), "S2", "capture"),
    # system "none" must mean the same as a missing row
    "G06": (lambda r: _set(r, "S3", "decision_use", system="none"), "S3", "decision_use"),
    "G07": (
        lambda r: _set(r, "S2", "storage", last_reviewed="over_3_years"),
        "S2",
        "storage",
    ),
    "G08": (lambda r: _drop(r, "S1", "validation"), "S1", "validation"),
    "G09": (lambda r: _set(r, "S3", "capture", channel="paper"), "S3", "capture"),
    "G10": (lambda r: _set(r, "S2", "storage", system="Excel workbook"), "S2", "storage"),
}


@pytest.fixture(scope="module")
def rules():
    return jm.read_gap_rules(GAP_RULES)


def test_shipped_rules_cover_the_required_gaps_and_each_has_a_crafted_test(rules):
    ids = set(rules["gap_id"])
    assert ids == set(CRAFTED), "every rule in survey/gap_rules.csv needs a crafted case here"
    # the brief's required kinds, by the condition they test
    conds = " | ".join(rules["condition"])
    for needle in (
        "dq_audit",
        "security_controls",
        "stage_absent aggregation",
        "manual_rekeying",
        "sharing_agreement",
        "stage_absent decision_use",
        "last_reviewed",
    ):
        assert needle in conds


def test_clean_register_is_silent(rules):
    gaps = jm.find_gaps(clean_register(), rules)
    assert gaps.empty


@pytest.mark.parametrize("gap_id", sorted(CRAFTED))
def test_each_rule_fires_on_its_crafted_register_and_only_there(rules, gap_id):
    change, stream, stages = CRAFTED[gap_id]
    gaps = jm.find_gaps(change(clean_register()), rules)
    assert list(gaps["gap_id"]) == [gap_id]  # exactly one gap, on one stream
    row = gaps.iloc[0]
    assert row["stream_id"] == stream
    assert row["stages"] == stages
    assert row["authority"] == "a"
    shipped = rules.set_index("gap_id").loc[gap_id]
    assert row["severity"] == shipped["severity"]
    assert row["dq_dimension"] == shipped["dq_dimension"]


def test_journey_table_fills_all_stages_in_order():
    reg = pd.DataFrame(
        _stream("a", "S1", "nhs", ["Email", None, "none", "Sheet", None, None, "Mtg"])
    )
    j = jm.journey_table(reg)
    assert list(j["stage"]) == STAGES
    assert list(j["happens"]) == [True, False, False, True, False, False, True]
    assert list(j["system"]) == ["Email", "none", "none", "Sheet", "none", "none", "Mtg"]
    assert (j["source"] == "nhs").all()
    assert j.loc[~j["happens"], "dq_audit"].isna().all()


def test_journey_table_rejects_repeated_stage_naming_row_and_column():
    reg = pd.DataFrame(_stream("a", "S1", "council", FULL))
    reg = pd.concat([reg, reg.iloc[[2]]], ignore_index=True)
    with pytest.raises(jm.JourneyInputError, match=r"row 9, column 'stage'"):
        jm.journey_table(reg)


@pytest.mark.parametrize(
    ("word", "expected"), [("yes", True), ("True", True), ("n", False), ("", False)]
)
def test_journey_table_reads_manual_rekeying_words(word, expected):
    """The shared yes/no words (analysis.core.text.parse_bool); an empty cell is no re-keying."""
    reg = _set(pd.DataFrame(_stream("a", "S1", "council", FULL)), "S1", "storage")
    reg["manual_rekeying"] = reg["manual_rekeying"].astype(object)
    reg.loc[reg["stage"] == "storage", "manual_rekeying"] = word
    j = jm.journey_table(reg).set_index("stage")
    assert bool(j.loc["storage", "manual_rekeying"]) is expected
    reg.loc[reg["stage"] == "storage", "manual_rekeying"] = "sometimes"
    with pytest.raises(jm.JourneyInputError, match=r"row 5, column 'manual_rekeying'"):
        jm.journey_table(reg)


def _rules(*rows):
    cols = list(jm.GAP_RULE_COLUMNS)
    return pd.DataFrame([dict(zip(cols, (*r, "high", "accuracy", "d"), strict=True)) for r in rows])


def test_rule_language_operators():
    reg = clean_register()
    reg = _set(reg, "S1", "capture", volume_per_year=9000, channel="paper")
    reg = _set(reg, "S2", "capture", channel="email")
    rules = _rules(
        ("X1", "big", "stage", "capture", "volume_per_year > 5000"),
        ("X2", "not web", "stage", "capture", "channel not in [online_form, api]"),
        ("X3", "either", "stage", "capture", "channel == email or volume_per_year >= 9000"),
        ("X4", "analysed police", "stream", "", "stage_present analysis and source == police"),
        ("X5", "contains", "stage", "storage", "system contains CASE"),
    )
    gaps = jm.find_gaps(reg, rules)
    got = {(g, s) for g, s in zip(gaps["gap_id"], gaps["stream_id"], strict=True)}
    assert got == {
        ("X1", "S1"),
        ("X2", "S1"),
        ("X2", "S2"),
        ("X3", "S1"),
        ("X3", "S2"),
        ("X4", "S2"),
        ("X5", "S1"),
        ("X5", "S2"),
        ("X5", "S3"),
    }


def test_stage_scope_needs_both_clauses_on_the_same_row_stream_scope_does_not():
    # S2 (police): capture without agreement, storage re-keyed -- on different rows.
    reg = _set(clean_register(), "S2", "capture", sharing_agreement="no")
    reg = _set(reg, "S2", "storage", manual_rekeying=True)
    cond = "sharing_agreement == no and manual_rekeying == true"
    gaps = jm.find_gaps(
        reg, _rules(("R1", "x", "stage", "", cond), ("R2", "x", "stream", "", cond))
    )
    assert list(gaps["gap_id"]) == ["R2"]
    assert gaps["stages"].iloc[0] == "capture;storage"


@pytest.mark.parametrize(
    ("condition", "pattern"),
    [
        ("colour == red", r"gap rule 'B1', column 'condition': unknown column 'colour'"),
        ("dq_audit ~= no", r"gap rule 'B1', column 'condition': unknown operator '~=' on column"),
        ("stage_absent warehouse", r"gap rule 'B1'.*unknown stage 'warehouse'"),
        ("volume_per_year > many", r"gap rule 'B1'.*needs a number"),
    ],
)
def test_bad_condition_is_an_input_error_naming_rule_and_column(condition, pattern):
    with pytest.raises(jm.GapRuleError, match=pattern):
        jm.parse_gap_rules(_rules(("B1", "bad", "stage", "", condition)))


def test_bad_rule_fields_are_named():
    r = _rules(("B2", "bad", "stage", "", "dq_audit == no"))
    with pytest.raises(jm.GapRuleError, match=r"'B2', column 'severity'"):
        jm.parse_gap_rules(r.assign(severity="urgent"))
    with pytest.raises(jm.GapRuleError, match=r"'B2', column 'dq_dimension'"):
        jm.parse_gap_rules(r.assign(dq_dimension="relevance"))
    with pytest.raises(jm.GapRuleError, match=r"'B2', column 'stages'"):
        jm.parse_gap_rules(r.assign(stages="capture;archive"))
    with pytest.raises(jm.GapRuleError, match=r"'B2', column 'scope'"):
        jm.parse_gap_rules(r.assign(scope="programme"))


def test_gap_summary_counts_streams_and_lists_silent_rules(rules):
    reg = CRAFTED["G03"][0](clean_register())
    reg = _drop(reg, "S1", "aggregation")
    gaps = jm.find_gaps(reg, rules)
    s = jm.gap_summary(gaps, reg, rules).set_index("gap_id")
    assert len(s) == len(rules)
    assert s.loc["G03", "n_streams"] == 2
    assert s.loc["G03", "streams"] == "S1;S3"
    assert s.loc["G03", "pct_streams"] == pytest.approx(200 / 3)
    assert s.loc["G01", "n_streams"] == 0


# ----------------------------------------------------------------------------- tool scores


def tool_register():
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
        capture={"dq_audit": "no"},
    )
    return pd.DataFrame(rows)


def test_tool_scores_hand_worked():
    """Hand computation (N = 3 streams, D = 2 reach decision use: T1, T2).

    CMS: streams T1,T2,T3 -> reach 1 -> impact 1+4 = 5. Latest stage storage (4th) -> position
    3/6 = 1/2. Rows: T1 storage yes 1, T2 capture re-keyed 0, T2 storage partial 1/2, T3 storage
    yes 1 -> quality 5/8. value = 1 + round(1 + 5/4) = 1 + 2 = 3. Decision share 2/2 -> crit 5.
    Total 13.
    Portal: T1,T3 -> reach 2/3 -> 1 + round(8/3 = 2.67) = 4. Position 0; quality (1 + 0)/2 ->
    value 1 + round(1) = 2. Decision share 1/2 -> 1 + 2 = 3. Total 9.
    DW: T2 -> reach 1/3 -> 1 + round(1.33) = 2; position 4/6, quality 1 -> 1 + round(3.33) = 4;
    crit 1 + round(2) = 3. Total 9; ties Portal on total and criticality, loses on impact.
    Panel, named only at decision use, is not a tool (issue 12): its scores (impact 4, value
    5, criticality 5, total 14) are the decision_use stage's, in tests/test_journeys_tools.py.
    """
    s = jm.tool_scores(tool_register()).set_index("system")
    assert "Panel" not in s.index
    expected = {
        "CMS": (5, 3, 5, 13, 1),
        "Portal": (4, 2, 3, 9, 2),
        "DW": (2, 4, 3, 9, 3),
    }
    for system, (imp, val, crit, tot, rank) in expected.items():
        got = s.loc[system, ["impact", "value_added", "criticality", "total", "rank"]]
        assert tuple(int(x) for x in got) == (imp, val, crit, tot, rank), system
    assert s.loc["CMS", "quality"] == pytest.approx(5 / 8)
    assert s.loc["CMS", "stages"] == "capture;storage"


def test_round_half_up_is_not_bankers_rounding():
    # the tool scores round with the core rule, exactly on fractions
    assert round_half_away(Fraction(5, 2)) == 3  # round(2.5) would give 2
    assert round_half_away(Fraction(7, 2)) == 4


def test_tool_swot_register_facts_and_coding_evidence():
    ev = pd.DataFrame(
        {
            "authority": ["y", "y"],
            "swot": ["weakness", "strength"],
            "code": ["manual_rekeying", "good_tool"],
            "label": ["Manual re-keying", "A tool that works well"],
            "theme": ["Processing", "Tools"],
            "research_question": ["RQ5", "RQ5"],
            "n_excerpts": [6, 3],
            "n_sessions": [2, 1],
            "system": ["", "CMS"],
        }
    )
    sw = jm.tool_swot(tool_register(), ev)
    cms = sw[(sw["subject"] == "CMS") & (sw["evidence_source"] == "register")]
    facts = dict(zip(cms["fact"], cms["count"], strict=True))
    # CMS: used by 3 streams; 2 reach decisions; 1 re-keyed stage; T3 has no decision use;
    # T1 and T3 have no aggregation. No stage lacks an audit (T2 storage is partial).
    assert facts == {
        "shared": 3,
        "feeds_decisions": 2,
        "manual_rekeying": 1,
        "unused_data": 1,
        "not_aggregated": 2,
    }
    assert set(sw.loc[sw["fact"] == "no_dq_audit", "subject"]) == {"Portal"}
    coded = sw[sw["evidence_source"] == "coding"].set_index("fact")
    assert coded.loc["good_tool", "subject"] == "CMS"
    assert coded.loc["manual_rekeying", "subject_type"] == "authority"
    assert coded.loc["manual_rekeying", "count"] == 6


# ----------------------------------------------------------------------------- maturity


def maturity_register():
    rows = _stream("x", "S1", "council", FULL)
    rows += _stream(
        "x",
        "S2",
        "police",
        ["Police feed", "Triage", None, "CMS", None, None, "Panel"],
        capture={"channel": "email", "dq_audit": "no", "last_reviewed": "over_3_years"},
        validation={"dq_audit": "partial", "last_reviewed": "over_3_years"},
        storage={"last_reviewed": "over_3_years"},
        decision_use={"last_reviewed": "over_3_years"},
    )
    rows += _stream(
        "x",
        "S3",
        "nhs",
        ["Letters", None, None, "Sheet", None, "Excel", None],
        capture={"channel": "paper", "sharing_agreement": "no"},
        storage={"security_controls": "none", "manual_rekeying": True},
    )
    rows += _stream("x", "S4", "public", ["Portal", None, None, "CMS", None, None, None])
    return pd.DataFrame(rows)


HAND_RUBRIC = pd.DataFrame(
    [
        # theme, id, source, metric, argument, direction, l2, l3, l4, l5
        ("uses", "U1", "register", "pct_streams_decision_use", "", "higher_better", 25, 50, 75, 95),
        ("uses", "U2", "survey", "pct_agree", "data_value", "higher_better", 20, 40, 60, 80),
        ("data", "D1", "register", "pct_stages_dq_audit", "", "higher_better", 25, 50, 75, 95),
        ("data", "D2", "register", "pct_stages_secured", "", "higher_better", 50, 75, 90, 100),
        (
            "leadership",
            "L1",
            "register",
            "pct_streams_reviewed_3y",
            "",
            "higher_better",
            25,
            50,
            75,
            95,
        ),
        (
            "leadership",
            "L2",
            "register",
            "pct_partner_stages_with_agreement",
            "",
            "higher_better",
            50,
            75,
            90,
            100,
        ),
        ("culture", "C1", "survey", "pct_agree", "data_review", "higher_better", 20, 40, 60, 80),
        ("culture", "C2", "coding", "pct_strength", "", "higher_better", 20, 35, 50, 65),
        ("tools", "T1", "register", "pct_streams_aggregated", "", "higher_better", 25, 50, 75, 95),
        ("tools", "T2", "register", "pct_digital_capture", "", "higher_better", 25, 50, 75, 95),
        # artificial lower_better thresholds, to exercise the direction
        ("skills", "S1", "register", "pct_streams_analysed", "", "lower_better", 80, 60, 40, 20),
    ],
    columns=[
        "theme",
        "indicator_id",
        "source",
        "metric",
        "argument",
        "direction",
        "level_2",
        "level_3",
        "level_4",
        "level_5",
    ],
).assign(indicator="i")

SURVEY = pd.DataFrame(
    {
        "authority": ["x", "x"],
        "construct": ["data_value", "data_review"],
        "pct_agree": [65.0, 90.0],
        "n": [30, 5],  # data_review rests on 5 answers: below the floor of 8, so no evidence
    }
)
CODING = pd.DataFrame(
    {
        "authority": ["x"] * 3,
        "swot": ["strength", "weakness", "opportunity"],
        "code": ["a", "b", "c"],
        "label": ["A", "B", "C"],
        "theme": ["T", "T", "T"],
        "research_question": ["RQ1"] * 3,
        "n_excerpts": [3, 6, 4],
        "n_sessions": [1, 2, 2],
    }
)


def test_register_metrics_hand_worked():
    """16 stages happen (S1 7, S2 4, S3 3, S4 2).

    dq: 14 yes + S2 validation partial (1/2) + S2 capture no -> 14.5/16 = 90.625 %.
    secured: 15/16; no re-keying: 15/16 = 93.75 %. Streams validated S1,S2 = 50 %; aggregated
    S1 = 25 %; analysed S1,S3 = 50 %; decision S1,S2 = 50 %; reviewed in 3 years all but S2 =
    75 %. Partner stages (S2 police 4 rows, S3 nhs 3 rows; public is not_applicable): 6 of 7 have
    an agreement = 85.71 %. Capture channels online_form, email, paper, online_form -> 50 %.
    """
    m = jm.register_metrics(maturity_register()).set_index("metric")["value"]
    expected = {
        "pct_stages_dq_audit": 90.625,
        "pct_stages_secured": 93.75,
        "pct_stages_no_rekeying": 93.75,
        "pct_streams_validated": 50.0,
        "pct_streams_aggregated": 25.0,
        "pct_streams_analysed": 50.0,
        "pct_streams_decision_use": 50.0,
        "pct_streams_reviewed_3y": 75.0,
        "pct_partner_stages_with_agreement": 600 / 7,
        "pct_digital_capture": 50.0,
    }
    for k, v in expected.items():
        assert m[k] == pytest.approx(v), k


def test_maturity_rubric_hand_worked_example():
    """Level = 1 + number of thresholds reached; theme = floor(mean of its indicators).

    U1 50 % vs 25/50/75/95 -> reaches 25, 50 -> 3.   U2 65 vs 20/40/60/80 -> 4.  uses 3.5 -> 3.
    D1 90.6 -> 4.   D2 93.75 vs 50/75/90/100 -> 4.   data 4.
    L1 75 -> reaches 75 exactly -> 4.   L2 85.7 vs 50/75/90/100 -> 3.   leadership 3.5 -> 3.
    C1 n = 5 < 8 -> no evidence.   C2 3/(3+6) = 33.3 % vs 20/35/50/65 -> 2.   culture 2.
    T1 25 -> 2.   T2 50 -> 3.   tools 2.5 -> 2.
    S1 50 lower_better vs 80/60/40/20 -> <=80, <=60 -> 3.   skills 3.
    """
    ind = jm.maturity_indicators(maturity_register(), HAND_RUBRIC, SURVEY, CODING)
    got = dict(zip(ind["indicator_id"], ind["level"], strict=True))
    assert {k: (None if pd.isna(v) else int(v)) for k, v in got.items()} == {
        "U1": 3,
        "U2": 4,
        "D1": 4,
        "D2": 4,
        "L1": 4,
        "L2": 3,
        "C1": None,
        "C2": 2,
        "T1": 2,
        "T2": 3,
        "S1": 3,
    }
    assert ind.set_index("indicator_id").loc["C2", "value"] == pytest.approx(100 / 3)
    lv = jm.maturity_levels(ind).set_index("theme")
    assert list(lv.index) == list(jm.MATURITY_THEMES)
    assert dict(lv["level"].astype(int)) == {
        "uses": 3,
        "data": 4,
        "leadership": 3,
        "culture": 2,
        "tools": 2,
        "skills": 3,
    }
    assert dict(lv["level_label"]) == {
        "uses": "learning",
        "data": "developing",
        "leadership": "learning",
        "culture": "emerging",
        "tools": "emerging",
        "skills": "learning",
    }


def test_maturity_without_optional_evidence_and_with_a_theme_lacking_indicators():
    rub = HAND_RUBRIC[HAND_RUBRIC["theme"] != "skills"]
    lv = jm.maturity_levels(jm.maturity_indicators(maturity_register(), rub))
    lv = lv.set_index("theme")
    assert pd.isna(lv.loc["skills", "level"]) and lv.loc["skills", "n_indicators"] == 0
    assert pd.isna(lv.loc["culture", "level"])  # survey and coding both absent
    assert int(lv.loc["uses", "level"]) == 3  # U1 alone


def test_rubric_errors_name_indicator_and_column():
    with pytest.raises(jm.JourneyInputError, match=r"'U1', column 'metric'"):
        jm.parse_maturity_rubric(HAND_RUBRIC.replace("pct_streams_decision_use", "pct_magic"))
    bad = HAND_RUBRIC.copy()
    bad.loc[0, "level_3"] = 10  # below level_2 = 25
    with pytest.raises(jm.JourneyInputError, match=r"'U1', columns level_2..level_5"):
        jm.parse_maturity_rubric(bad)
    with pytest.raises(jm.JourneyInputError, match=r"'U1', column 'theme'"):
        jm.parse_maturity_rubric(HAND_RUBRIC.replace("uses", "vision"))


def test_shipped_rubric_parses_and_covers_all_six_themes():
    rub = jm.read_maturity_rubric(RUBRIC)
    assert set(rub["theme"]) == set(jm.MATURITY_THEMES)
