"""Tests of analysis.survey.agreement.construct_agreement (the table the journeys stage reads
as internal/survey/construct_agreement.csv), on a small survey worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.survey.agreement import construct_agreement

SCALE = {
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "positive": [4, 5],
    "negative": [1, 2],
}
Q = {
    "scales": {"agreement": SCALE},
    "constructs": [
        {"id": "inflow", "label": "Data coming in", "research_question": "RQ1"},
        {"id": "use", "label": "Using data"},  # no research question: empty string
    ],
    "items": [
        {"id": "Q1", "type": "likert", "scale": "agreement", "construct": "inflow"},
        {"id": "Q2", "type": "likert", "scale": "agreement", "construct": "inflow"},
        {
            "id": "Q3",
            "type": "likert",
            "scale": "agreement",
            "construct": "inflow",
            "reverse": True,
        },
        {"id": "Q4", "type": "likert", "scale": "agreement", "construct": "use"},
        {"id": "Q5", "type": "likert", "scale": "agreement", "construct": "use"},
    ],
}
N = None
# authority "b" comes first in the input; the output is sorted by authority
SURVEY = pd.DataFrame(
    {
        "authority": ["b", "a", "a", "a", "a"],
        "response_id": ["r5", "r1", "r2", "r3", "r4"],
        "respondent_group": "g",
        "wave": 1,
        "Q1": pd.array([N, 4, 4, 5, 4], dtype="Int64"),
        "Q2": pd.array([N, 5, 3, N, N], dtype="Int64"),
        "Q3": pd.array([N, 2, 5, N, 2], dtype="Int64"),
        "Q4": pd.array([3, 2, 5, N, 3], dtype="Int64"),
        "Q5": pd.array([N, 3, N, N, 4], dtype="Int64"),
    }
)


def test_construct_agreement_hand_example():
    """Worked by hand. Q3 is reverse-keyed: 2 -> 6 - 2 = 4, 5 -> 1. A score needs at least
    half of the items answered (inflow: 1.5 of 3, so 2; use: 1 of 2); agree = score >= 4 (the
    lowest positive code).

    a / inflow: r1 (4 + 5 + 4) / 3 = 4.33 agrees; r2 (4 + 3 + 1) / 3 = 2.67 does not (it would,
    at 4.0, if Q3 were not reversed); r3 answered 1 of 3 items: no score (its 5 would agree);
    r4 (4 + 4) / 2 = 4.0 agrees, exactly at the threshold -> n 3, agree 2, 66.67 %.
    a / use: r1 2.5 no; r2 5 (one item of two is enough) agrees; r3 none; r4 3.5 no
    -> n 3, agree 1, 33.33 %.
    b: r5 answered no inflow item; for use it answered Q4 = 3 (one of two) -> a score of 3,
    not agreeing -> inflow n 0 (pct NaN), use n 1, agree 0, 0 %.
    """
    got = construct_agreement(SURVEY, Q)
    assert list(got.columns) == [
        "authority",
        "construct",
        "label",
        "research_question",
        "n",
        "n_agree",
        "pct_agree",
    ]
    assert list(zip(got["authority"], got["construct"], strict=True)) == [
        ("a", "inflow"),
        ("a", "use"),
        ("b", "inflow"),
        ("b", "use"),
    ]
    assert list(got["label"]) == ["Data coming in", "Using data"] * 2
    assert list(got["research_question"]) == ["RQ1", ""] * 2
    assert list(got["n"]) == [3, 3, 0, 1]
    assert list(got["n_agree"]) == [2, 1, 0, 0]
    pct = list(got["pct_agree"])
    assert pct[0] == pytest.approx(200 / 3) and pct[1] == pytest.approx(100 / 3)
    assert math.isnan(pct[2])  # n = 0: no percentage, not 0 %
    assert pct[3] == 0.0


def test_construct_agreement_min_answered_is_a_share_of_the_items():
    """With min_answered = 1 (every item), a / inflow keeps r1 and r2 only (r4 skipped Q2):
    1 of 2 agree; b / use loses r5 (Q5 missing): n 0."""
    got = construct_agreement(SURVEY, Q, min_answered=1.0).set_index(["authority", "construct"])
    assert (got.loc[("a", "inflow"), "n"], got.loc[("a", "inflow"), "n_agree"]) == (2, 1)
    assert got.loc[("b", "use"), "n"] == 0 and math.isnan(got.loc[("b", "use"), "pct_agree"])


def test_construct_agreement_needs_positive_codes_on_one_shape_of_scale():
    no_positive = {**Q, "scales": {"agreement": {**SCALE, "positive": []}}}
    with pytest.raises(ValueError, match="no 'positive' codes"):
        construct_agreement(SURVEY, no_positive)
    # a second five-level scale whose only positive code is 5: "agree" would mean different
    # things for the two items of the construct
    strict = {**SCALE, "positive": [5]}
    mixed = {
        **Q,
        "scales": {"agreement": SCALE, "strict": strict},
        "items": [*Q["items"][:4], {**Q["items"][4], "scale": "strict"}],
    }
    with pytest.raises(ValueError, match="construct 'use'"):
        construct_agreement(SURVEY, mixed)
