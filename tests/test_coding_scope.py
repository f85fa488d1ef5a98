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
