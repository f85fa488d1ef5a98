"""Key figures of the coding stage: their assembly (analysis.coding.key_figures), the rounding
they share with the published agreement table, and their JSON Schemas
(workflow/schemas/key_figures/coding_{authority,programme}.schema.yaml)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from conftest import load_yaml

import analysis.coding as cd
from analysis.coding.publish import controlled_agreement
from analysis.core.contracts import KeyFigureError, check_key_figures
from analysis.core.disclosure import DisclosureRule

NHS = DisclosureRule(name="nhs", min_count=8, rounding_base=5)
SCHEMA = {
    kind: load_yaml(f"workflow/schemas/key_figures/coding_{kind}.schema.yaml")
    for kind in ("authority", "programme")
}

# The key figures of Leicester from a run on the example inputs (results/leicester/
# published/coding/key_figures.yaml), trimmed to two codes per list: the real shape.
EXAMPLE_AUTHORITY = {
    "alpha_overall": 0.714,
    "alpha_overall_band": "tentative",
    "codes_alpha_undefined": [],
    "codes_below_threshold": ["Reporting burden", "Data needs never reviewed"],
    "codes_below_threshold_ids": ["reporting_burden", "no_review"],
    "codes_reliable": ["Barriers to sharing with partners", "Telling the story again"],
    "codes_tentative": ["Siloed case systems", "Data arrives late"],
    "disclosure_rule": "nhs",
    "kappa_overall": 0.714,
    "kappa_overall_band": "substantial",
    "n_excerpts": 168,
    "n_excerpts_double_coded": 157,
    "n_excerpts_quotable": 97,
    "n_sessions": 14,
    "percent_agreement_overall": 0.954,
    "scope": "leicester",
    "top_code_by_research_question": {"RQ1": "Barriers to sharing with partners", "RQ4": None},
    "top_code_id_by_research_question": {"RQ1": "partner_sharing_barrier", "RQ4": None},
    "top_code_reliability_by_research_question": {"RQ1": "reliable", "RQ4": None},
    "codes_below_threshold_by_research_question": {
        "RQ1": [],
        "RQ2": ["Reporting burden"],
        "RQ3": ["Data needs never reviewed"],
    },
    "codes_below_threshold_by_swot": {
        "strength": [],
        "weakness": ["Reporting burden", "Data needs never reviewed"],
        "opportunity": [],
        "threat": [],
    },
}
EXAMPLE_PROGRAMME = {
    **EXAMPLE_AUTHORITY,
    "scope": "programme",
    "codes_below_threshold_by_authority": {
        "canterbury": ["Data needs never reviewed"],
        "lambeth": ["Reporting burden", "Data needs never reviewed"],
    },
    "codes_below_threshold_in_any_authority": ["Reporting burden", "Data needs never reviewed"],
    "codes_below_threshold_in_every_authority": ["Data needs never reviewed"],
}
EXAMPLES = {"authority": EXAMPLE_AUTHORITY, "programme": EXAMPLE_PROGRAMME}


# ------------------------------------------------------------------ schemas
@pytest.mark.parametrize("kind", ["authority", "programme"])
def test_schema_is_valid_draft_2020_12_and_accepts_the_example_shape(kind):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCHEMA[kind])
    check_key_figures(EXAMPLES[kind], SCHEMA[kind], kind)


@pytest.mark.parametrize("kind", ["authority", "programme"])
def test_schema_requires_every_key_and_describes_it(kind):
    schema = SCHEMA[kind]
    assert set(schema["required"]) == set(schema["properties"]) == set(EXAMPLES[kind])
    assert schema["additionalProperties"] is False
    for key, prop in schema["properties"].items():
        assert prop.get("description"), f"{key} has no description"


def test_programme_schema_is_the_authority_schema_plus_three_comparisons():
    """The shared keys mean the same at both levels, so their schemas must not drift apart."""
    auth, prog = SCHEMA["authority"]["properties"], SCHEMA["programme"]["properties"]
    extra = set(prog) - set(auth)
    assert extra == {
        "codes_below_threshold_by_authority",
        "codes_below_threshold_in_any_authority",
        "codes_below_threshold_in_every_authority",
    }
    for key in set(auth) - {"scope"}:
        assert prog[key] == auth[key], key
    assert prog["scope"] == {"description": 'always "programme"', "const": "programme"}


@pytest.mark.parametrize("kind", ["authority", "programme"])
def test_schema_refuses_a_missing_key_naming_it(kind):
    data = copy.deepcopy(EXAMPLES[kind])
    del data["n_sessions"]
    with pytest.raises(KeyFigureError, match="key 'n_sessions' is missing"):
        check_key_figures(data, SCHEMA[kind], kind)


@pytest.mark.parametrize("kind", ["authority", "programme"])
def test_schema_refuses_a_renamed_key_naming_both(kind):
    data = copy.deepcopy(EXAMPLES[kind])
    data["alpha"] = data.pop("alpha_overall")
    with pytest.raises(KeyFigureError) as err:
        check_key_figures(data, SCHEMA[kind], kind)
    assert "key 'alpha_overall' is missing" in str(err.value)
    assert "key 'alpha' is not in the schema" in str(err.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("n_excerpts", "170"),  # a count as text
        ("n_excerpts", 17.5),  # a count that is not whole
        ("alpha_overall", "0.714"),
        ("alpha_overall_band", "good"),  # not one of Krippendorff's bands
        ("codes_below_threshold", "Reporting burden"),  # a string instead of a list
        ("disclosure_rule", "rounded"),
    ],
)
def test_schema_refuses_a_wrong_type_naming_the_key(key, value):
    data = copy.deepcopy(EXAMPLE_AUTHORITY)
    data[key] = value
    with pytest.raises(KeyFigureError, match=f"key '{key}'"):
        check_key_figures(data, SCHEMA["authority"], "authority")


def test_schema_checks_the_entries_of_maps_keyed_by_id():
    data = copy.deepcopy(EXAMPLE_PROGRAMME)
    data["top_code_by_research_question"]["RQ2"] = 3
    data["codes_below_threshold_by_authority"]["lambeth"] = "Reporting burden"
    with pytest.raises(KeyFigureError) as err:
        check_key_figures(data, SCHEMA["programme"], "programme")
    assert "key 'top_code_by_research_question.RQ2'" in str(err.value)
    assert "key 'codes_below_threshold_by_authority.lambeth'" in str(err.value)


def test_programme_schema_refuses_an_authority_scope():
    data = {**EXAMPLE_PROGRAMME, "scope": "leicester"}
    with pytest.raises(KeyFigureError, match="key 'scope'"):
        check_key_figures(data, SCHEMA["programme"], "programme")


# ------------------------------------------------------------------ rounding
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.7139163844181304, 0.714),
        (0.9540730807911498, 0.954),
        (0.0625, 0.063),  # an exact half goes away from zero (Python's round gives 0.062)
        (0.2345, 0.235),  # halves are read on the shortest decimal form, not the binary value
        (-0.0135, -0.014),
        (1.0, 1.0),
        (np.nan, None),
        (None, None),
    ],
)
def test_round_statistic_three_decimals_halves_away(value, expected):
    assert cd.round_statistic(value) == expected


def test_published_agreement_and_key_figures_round_the_same_way():
    """The agreement table and the key figures take the overall alpha from one raw value;
    with an exact half (0.0625) both must show 0.063."""
    agreement = _agreement(overall_alpha=0.0625)
    labels = {c: c.upper() for c in "abcd"}
    pub, _ = controlled_agreement(agreement, labels, NHS)
    overall = pub[pub["scope"] == "overall"].iloc[0]
    assert overall["alpha"] == 0.063
    assert cd.agreement_figures(agreement, labels)["alpha_overall"] == 0.063


# ------------------------------------------------------------------ assembly
def _agreement(overall_alpha=0.71249, authority="x"):
    """A hand-made raw agreement table: a reliable, b tentative, c not reliable, d undefined;
    23 double-coded excerpts per code row."""
    rows = [
        ("code", "a", 0.9, "reliable", 0.9, "almost perfect", 0.97, None),
        ("code", "b", 0.7, "tentative", 0.7, "substantial", 0.9, None),
        ("code", "c", 0.5, "not reliable", 0.5, "moderate", 0.8, None),
        ("code", "d", np.nan, None, np.nan, None, 1.0, "no variation in the codings"),
        ("overall", pd.NA, overall_alpha, "tentative", 0.6665, "substantial", 0.95, None),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "scope",
            "code",
            "alpha",
            "alpha_band",
            "kappa",
            "kappa_band",
            "percent_agreement",
            "reason",
        ],
    )
    df.insert(0, "authority", authority)
    df["n_coders"] = 2
    df["n_excerpts"] = [23, 23, 23, 23, 92]
    df["n_present"] = [12, 10, 9, 0, 31]
    df["below_threshold"] = pd.array([False, False, True, pd.NA, False], dtype="boolean")
    return df


def _scope_tables():
    # 12 excerpts over 3 sessions; 9 of them quotable
    consensus = pd.DataFrame(
        {
            "authority": ["x"] * 12,
            "session_id": [f"S{i % 3}" for i in range(12)],
            "excerpt_id": [f"E{i}" for i in range(12)],
            "participant_role": ["r"] * 12,
            "code": ["a"] * 12,
        }
    )
    screen = pd.DataFrame({"quotable": [True] * 9 + [False] * 3})
    leading = pd.DataFrame(
        {
            "research_question": ["RQ1", "RQ1"],
            "rank": [1, 2],
            "code": ["a", "b"],
            "label": ["A", "B"],
            "reliability": ["reliable", "tentative"],
        }
    )
    return consensus, screen, leading


# the codebook of the hand-made tables: a, b answer RQ1, c and d RQ2
BOOK = pd.DataFrame(
    {
        "code": ["a", "b", "c", "d"],
        "label": ["A", "B", "C", "D"],
        "theme": ["t"] * 4,
        "research_question": ["RQ1", "RQ1", "RQ2", "RQ2"],
        "swot": ["strength", "weakness", "threat", pd.NA],
    }
)


def test_coding_key_figures_of_an_authority_hand_worked():
    """Expected values worked out by hand. Issue 12: excerpts, sessions, quotable and
    double-coded excerpts across the council are counts of text, published as they are (12,
    3, 9, 23; before, the NHS rule gave 10, suppressed, 10, 25); statistics to three decimals,
    halves away (0.71249 -> 0.712, 0.6665 -> 0.667); codes listed by label per band; RQ2 has
    no leading code. Only c (alpha 0.5) is "not reliable": it answers RQ2 and is a threat."""
    consensus, screen, leading = _scope_tables()
    labels = {"a": "A", "b": "B", "c": "C", "d": "D"}
    kf = cd.coding_key_figures(
        scope="xx",
        rule=NHS,
        consensus=consensus,
        screen=screen,
        agreement=_agreement(),
        leading=leading,
        labels=labels,
        research_questions=["RQ1", "RQ2"],
        book=BOOK,
    )
    assert kf == {
        "scope": "xx",
        "disclosure_rule": "nhs",
        "n_excerpts": 12,
        "n_sessions": 3,
        "n_excerpts_quotable": 9,
        "n_excerpts_double_coded": 23,
        "top_code_by_research_question": {"RQ1": "A", "RQ2": None},
        "top_code_id_by_research_question": {"RQ1": "a", "RQ2": None},
        "top_code_reliability_by_research_question": {"RQ1": "reliable", "RQ2": None},
        "alpha_overall": 0.712,
        "alpha_overall_band": "tentative",
        "kappa_overall": 0.667,
        "kappa_overall_band": "substantial",
        "percent_agreement_overall": 0.95,
        "codes_below_threshold": ["C"],
        "codes_below_threshold_ids": ["c"],
        "codes_tentative": ["B"],
        "codes_reliable": ["A"],
        "codes_alpha_undefined": ["D"],
        "codes_below_threshold_by_research_question": {"RQ1": [], "RQ2": ["C"]},
        "codes_below_threshold_by_swot": {
            "strength": [],
            "weakness": [],
            "opportunity": [],
            "threat": ["C"],
        },
    }
    check_key_figures(kf, SCHEMA["authority"], "authority")


def test_coding_key_figures_of_the_programme_compare_authorities():
    """Authority pp has c below the threshold, authority qq has b and c: c is below in every
    authority, b and c in any (codebook order a, b, c, d, not the order found)."""
    consensus, screen, leading = _scope_tables()
    labels = {"a": "A", "b": "B", "c": "C", "d": "D"}
    p = _agreement(authority="pp")
    q = _agreement(authority="qq")
    q.loc[q["code"] == "b", ["alpha", "alpha_band"]] = [0.6, "not reliable"]
    kf = cd.coding_key_figures(
        scope="programme",
        rule=NHS,
        consensus=consensus.assign(authority="programme"),
        screen=screen,
        agreement=_agreement(authority="programme"),
        leading=leading,
        labels=labels,
        research_questions=["RQ1"],
        book=BOOK,
        by_authority=pd.concat([q, p], ignore_index=True),
    )
    assert kf["codes_below_threshold_by_authority"] == {"pp": ["C"], "qq": ["B", "C"]}
    assert kf["codes_below_threshold_in_any_authority"] == ["B", "C"]
    assert kf["codes_below_threshold_in_every_authority"] == ["C"]
    check_key_figures(kf, SCHEMA["programme"], "programme")
    with pytest.raises(KeyFigureError, match="codes_below_threshold_by_authority"):
        check_key_figures(kf, SCHEMA["authority"], "authority")


def test_controlled_int_suppresses_and_rounds():
    # NHS rule by hand: 0 stays 0, 1..7 suppressed, 8 -> 10, 12 -> 10, 13 -> 15
    assert [cd.controlled_int(n, NHS) for n in (0, 1, 7, 8, 12, 13)] == [0, None, None, 10, 10, 15]
