"""The disclosure scope rule of the coding tables (analysis.coding.scope) and the reliability
column every table naming a code carries (analysis.coding.reliability). Expected values are
worked out by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis.coding as cd
from analysis.coding.publish import quote_reliability
from analysis.core.disclosure import DisclosureRule

NHS = DisclosureRule(name="nhs", min_count=8, rounding_base=5)
BOOK = {
    "codes": [
        {"id": "x", "label": "X", "theme": "t", "research_question": "RQ1", "swot": "weakness"},
        {"id": "y", "label": "Y", "theme": "t", "research_question": "RQ2", "swot": "threat"},
    ]
}


def _consensus(n_x: int, role: str = "resident", session: str = "S1") -> pd.DataFrame:
    """``n_x`` excerpts coded x, all from one role in one session."""
    return pd.DataFrame(
        {
            "authority": "lei",
            "session_id": session,
            "excerpt_id": [f"E{i}" for i in range(n_x)],
            "participant_role": role,
            "code": "x",
        }
    ).astype("string")


# ------------------------------------------------------------------ the rule, both sides
def test_breakdowns_are_classed_by_whether_they_narrow_to_participants():
    assert cd.count_kind(["authority", "code"]) == cd.TEXT
    assert cd.count_kind(["authority", "code_a"]) == cd.TEXT
    assert cd.count_kind(["authority", "participant_role", "code"]) == cd.GROUP
    assert cd.count_kind(["session_id", "participant_role", "code"]) == cd.GROUP
    assert cd.count_kind(["session_id", "code"]) == cd.GROUP


def test_a_text_count_of_three_is_published_as_three():
    # 3 excerpts coded x in the whole council: a count of text
    freq = cd.code_frequencies(_consensus(3), BOOK, by=["authority"])
    published = cd.publish_counts(freq["n_excerpts"], ["authority", "code"], NHS)
    assert published.tolist() == [3, 0]
    swot = cd.controlled_swot_evidence(cd.swot_evidence(_consensus(3), BOOK), NHS)
    assert swot.set_index("code")["n_excerpts"].to_dict() == {"x": 3, "y": 0}


def test_a_role_in_session_count_of_three_is_suppressed():
    # the same 3 excerpts, counted for one role in one session: a group that may be small
    by = ["authority", "session_id", "participant_role"]
    freq = cd.code_frequencies(_consensus(3), BOOK, by=by)
    published = cd.publish_counts(freq["n_excerpts"], [*by, "code"], NHS)
    assert published.isna().tolist() == [True, False]  # 3 -> suppressed; 0 stays 0
    assert published.iloc[1] == 0
    # and a count of 12 for one role is rounded (NHS: to the nearest 5) like people
    big = cd.publish_counts(pd.Series([12]), ["participant_role", "code"], NHS)
    assert big.tolist() == [10]


def test_text_counts_refuse_what_is_no_count():
    with pytest.raises(ValueError):
        cd.text_counts([1.5])
    with pytest.raises(ValueError):
        cd.text_counts([-1])


# ------------------------------------------------------------------ code x role table
def test_role_table_publishes_exact_totals_and_controls_role_cells():
    """By hand (NHS): a = [20, 3], b = [10, 15]. 3 is suppressed; row a then needs a second
    cell (20); columns r1 and r2 each then hold one, so b's 10 and 15 go too. The role totals
    30 and 18 are published rounded (30, 20); the code totals 23 and 25 and the grand total
    48 are counts of text, exact."""
    raw = pd.DataFrame({"r1": [20, 10], "r2": [3, 15]}, index=["a", "b"])
    out = cd.control_role_table(raw, NHS)
    assert out.loc[["a", "b"], ["r1", "r2"]].isna().all().all()
    assert out["total"].tolist() == [23, 25, 48]
    assert out.loc["total", ["r1", "r2"]].tolist() == [30, 20]


def test_role_table_hides_every_role_cell_of_a_small_code():
    """a = [3, 0] has a total of 3, which the exact total publishes: the role cell would be
    the total itself, so every role cell of a (its zero too) and every role total are
    suppressed; each row then holds 0 or >= 2 suppressed cells."""
    raw = pd.DataFrame({"r1": [3, 10, 20], "r2": [0, 15, 20]}, index=["a", "b", "c"])
    out = cd.control_role_table(raw, NHS)
    assert out.loc["a", ["r1", "r2"]].isna().all()
    assert out.loc["total", ["r1", "r2"]].isna().all()
    assert out["total"].tolist() == [3, 25, 40, 68]
    for unit in ("a", "b", "c"):
        assert out.loc[unit, ["r1", "r2"]].isna().sum() in (0, 2)


# ------------------------------------------------------------------ reliability column
def _agreement(alphas: dict, authority: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "authority": authority,
            "scope": "code",
            "code": list(alphas),
            "alpha": list(alphas.values()),
        }
    )


def test_reliability_readings_and_the_weaker_of_two():
    # Krippendorff: >= 0.800 reliable, >= 0.667 tentative, below not reliable; NaN undefined
    assert [cd.reliability_of(a) for a in (0.8, 0.667, 0.6669, np.nan)] == [
        "reliable",
        "tentative",
        "not reliable",
        "undefined",
    ]
    assert cd.weaker("reliable", "tentative") == "tentative"
    assert cd.weaker("undefined", "tentative") == "undefined"
    assert cd.weaker("undefined", "not reliable") == "not reliable"


def test_tables_carry_the_reliability_of_their_code():
    rel = cd.code_reliability(_agreement({"x": 0.9, "y": 0.5}, "lei"))
    freq = cd.code_frequencies(_consensus(3), BOOK, by=["authority"])
    out = cd.with_reliability(freq, rel)
    assert out.set_index("code")["reliability"].to_dict() == {"x": "reliable", "y": "not reliable"}
    total_row = cd.with_reliability(pd.DataFrame({"code": ["total"]}), rel)
    assert total_row["reliability"].isna().all()  # no code, no reading


def test_programme_quotes_carry_the_reading_of_their_own_council():
    """x is reliable in council p (0.9), not reliable in q (0.5), tentative pooled (0.7): a
    quote from q says "not reliable", one from p "reliable"; a pooled count would say
    "tentative"."""
    by_authority = pd.concat(
        [_agreement({"x": 0.9}, "p"), _agreement({"x": 0.5}, "q")], ignore_index=True
    )
    pooled = cd.code_reliability(_agreement({"x": 0.7}, "programme"))
    quotes = pd.DataFrame({"authority": "programme", "code": "x", "excerpt_id": ["p:E1", "q:E7"]})
    out = quote_reliability(quotes, pooled, by_authority)
    assert out["reliability"].tolist() == ["reliable", "not reliable"]
    assert quote_reliability(quotes, pooled, None)["reliability"].tolist() == ["tentative"] * 2


# ------------------------------------------------------------------ sessions of 1-7 people
def _sheet(spec, authority: str = "lei") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coding sheet and excerpts from ``[(session, attendance, [codes]), ...]``, one excerpt
    per entry, two coders applying exactly the listed codes."""
    coding, excerpts = [], []
    for i, (session, attendance, codes) in enumerate(spec):
        ex = f"E{i:02d}"
        for coder in ("C1", "C2"):
            for code in codes or [""]:
                coding.append([authority, session, ex, "analyst", coder, "False", code])
        excerpts.append([authority, session, attendance, ex, "analyst", "True", f"Said {i}."])
    cols = ["authority", "session_id", "excerpt_id", "participant_role", "coder"]
    coding = pd.DataFrame(coding, columns=[*cols, "is_adjudication", "code"]).astype(str)
    ex_cols = ["authority", "session_id", cd.ATTENDANCE, "excerpt_id", "participant_role"]
    excerpts = pd.DataFrame(excerpts, columns=[*ex_cols, "cleared_for_publication", "text"])
    return coding, excerpts


def _published(spec):
    coding, excerpts = _sheet(spec)
    return cd.analyse(coding, excerpts, BOOK, NHS, "lei").published


def test_a_code_heard_only_in_one_interview_is_suppressed_everywhere():
    """x: 3 excerpts, all from one interview (1 person); y: 12 excerpts from a workshop of
    12. x's count tells what one person said: every table shows [c] for it (frequencies,
    SWOT evidence, the co-occurrence diagonal, the code x role total, agreement n_present),
    and it is not a leading code. y is published as it is."""
    spec = [("I01", 1, ["x"])] * 3 + [("W01", 12, ["y"])] * 12
    pub = _published(spec)
    freq = pub["frequencies"][0].set_index("code")
    assert pd.isna(freq.loc["x", "n_excerpts"]) and pd.isna(freq.loc["x", "n_sessions"])
    assert (freq.loc["y", "n_excerpts"], freq.loc["y", "n_sessions"]) == (12, 1)
    swot = pub["swot_evidence"][0].set_index("code")
    assert pd.isna(swot.loc["x", "n_excerpts"]) and swot.loc["y", "n_excerpts"] == 12
    cooc = pub["cooccurrence"][0].set_index(["code_a", "code_b"])["n_excerpts"]
    assert pd.isna(cooc[("x", "x")]) and cooc[("y", "y")] == 12 and cooc[("x", "y")] == 0
    role = pub["code_by_role"][0].set_index("code")
    assert pd.isna(role.loc["x", "total"]) and pd.isna(role.loc["total", "total"])
    agreement = pub["agreement"][0].query("scope == 'code'").set_index("code")
    assert pd.isna(agreement.loc["x", "n_present"]) and agreement.loc["y", "n_present"] == 24
    assert "x" not in set(pub["leading_codes"][0]["code"])


def test_the_basis_is_the_attendance_summed_over_distinct_sessions():
    """Both sides of the boundary (NHS: 1-7 suppressed). x from sessions of 4 and 3 people
    (7 in all, two excerpts in the session of 4 counted once): suppressed. y from sessions of
    4 and 4 (8): published as it is, although each session alone is small."""
    spec = [("A", 4, ["x"]), ("A", 4, ["x"]), ("B", 3, ["x"])]
    spec += [("C", 4, ["y"]), ("D", 4, ["y"])]
    freq = _published(spec)["frequencies"][0].set_index("code")["n_excerpts"]
    assert pd.isna(freq["x"])
    assert freq["y"] == 2  # a count of text, as it is


def test_a_pair_heard_together_only_in_an_interview_is_suppressed():
    """x and y are each heard in a workshop of 10; they occur together only in one interview:
    the pair cell is suppressed, each code's own count is not."""
    spec = [("W", 10, ["x"]), ("W", 10, ["y"]), ("I", 1, ["x", "y"])]
    cooc = _published(spec)["cooccurrence"][0].set_index(["code_a", "code_b"])["n_excerpts"]
    assert pd.isna(cooc[("x", "y")]) and pd.isna(cooc[("y", "x")])
    assert cooc[("x", "x")] == 2 and cooc[("y", "y")] == 2


def test_attendance_is_required_and_must_be_one_number_per_session():
    coding, excerpts = _sheet([("W", 10, ["x"]), ("W", 10, ["y"])])
    with pytest.raises(ValueError, match="session_participants"):
        cd.session_attendance(excerpts.drop(columns=[cd.ATTENDANCE]))
    excerpts.loc[1, cd.ATTENDANCE] = 9
    with pytest.raises(ValueError, match="one value per session"):
        cd.session_attendance(excerpts)
    excerpts.loc[1, cd.ATTENDANCE] = 0
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        cd.session_attendance(excerpts)


# ------------------------------------------------------------------ too few to judge
def test_one_decision_moves_alpha_across_a_band_below_ten_excerpts():
    """Why MIN_APPLIED is 10, recomputed with the ``krippendorff`` package (Castro 2017, the
    reference implementation the tests use): a code both coders apply on n of 150 excerpts,
    then one of them drops it on one excerpt. At n = 8 alpha falls from 0.930 to 0.851 and
    with a second decision to 0.760 (reliable to tentative); from n = 10 each decision moves
    it by at most about 0.06."""
    import krippendorff

    def alpha(n, d):
        rows = [[1, 1]] * (n - d) + [[1, 0]] * d + [[0, 0]] * (150 - n)
        return krippendorff.alpha(np.array(rows, dtype=float).T, level_of_measurement="nominal")

    steps = {n: [alpha(n, d) - alpha(n, d + 1) for d in range(3)] for n in (6, 8, 10, 12)}
    assert round(alpha(8, 1), 3) == 0.930 and round(alpha(8, 3), 3) == 0.760
    assert max(steps[6]) > 0.1 and max(steps[8]) > 0.09
    assert max(steps[10]) < 0.07 and max(steps[12]) < 0.06
    assert cd.MIN_APPLIED == 10


def test_a_code_on_too_few_excerpts_gets_no_reading():
    assert cd.reliability_reading(0.5, 9) == cd.TOO_FEW
    assert cd.reliability_reading(0.95, 9) == cd.TOO_FEW
    assert cd.reliability_reading(0.5, 10) == "not reliable"
    assert cd.reliability_reading(float("nan"), 3) == "undefined"
    # in the tables: x on 3 excerpts (too few), y on 12 (agreement perfect: reliable)
    spec = [("W", 12, ["x"])] * 3 + [("W", 12, ["y"])] * 12 + [("W", 12, [])] * 5
    agreement = _published(spec)["agreement"][0].query("scope == 'code'").set_index("code")
    assert agreement["reliability"].to_dict() == {"x": cd.TOO_FEW, "y": "reliable"}
    assert agreement.loc["x", "n_applied"] == 3
