"""Tests of analysis.survey.key_figures and of the survey key-figures schemas, on small
published tables made by hand here (only the columns the key figures read). Every expected
value is worked out by hand in the comments from those tables, not by running the code."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest
from conftest import load_yaml

from analysis.core.contracts import KeyFigureError, check_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.survey import key_figures as kf

NA = math.nan
RULE = rule_from_config({"rule": "nhs"})
SCALE = {
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "positive": [4, 5],
    "negative": [1, 2],
}
Q = {
    "scales": {"agreement": SCALE},
    "respondent_groups": [
        {"id": "manager", "label": "Managers"},
        {"id": "analyst", "label": "Analysts"},
    ],
    "constructs": [
        {"id": "use", "label": "Using data"},
        {"id": "value", "label": "Value of data"},
        {"id": "notes", "label": "Free text only"},  # no Likert items: no key figures
    ],
    "items": [
        {"id": "Q1", "type": "likert", "scale": "agreement", "construct": "use"},
        {"id": "Q2", "type": "likert", "scale": "agreement", "construct": "use"},
        {"id": "Q3", "type": "likert", "scale": "agreement", "construct": "value"},
        {"id": "C1", "type": "categorical", "construct": "notes", "options": [{"id": "x"}]},
    ],
}


def _distributions(groups: dict[str, dict[str, float]]) -> pd.DataFrame:
    """A published distributions table: five level rows per group and item, the item's
    % agree repeated on each (as controlled_distributions writes it)."""
    rows = []
    for group, agree in groups.items():
        for item, pct in agree.items():
            rows += [{"group": group, "item_id": item, "pct_agree": pct} for _ in range(5)]
    return pd.DataFrame(rows)


def _reliability(values: dict[tuple[str, str], tuple]) -> pd.DataFrame:
    """(construct, group) -> (pairwise n, alpha, lo, hi, listwise n, alpha, lo, hi)."""
    rows = []
    for (construct, group), v in values.items():
        for policy, (n, a, lo, hi) in (("pairwise", v[:4]), ("listwise", v[4:])):
            rows.append(
                {
                    "construct": construct,
                    "missing": policy,
                    "group": group,
                    "n": n,
                    "alpha": a,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    return pd.DataFrame(rows)


def _comparisons(rows: list[dict]) -> pd.DataFrame:
    """A published group_comparisons table with only the columns the key figures read."""
    cols = ["variable", "test", "groups", "A", "B", "p_unc", "p_corr", "effect_size"]
    cols += ["effect_reading", "higher", "significant"]
    return pd.DataFrame(rows, columns=cols)


def _option_shares(pct: dict[str, float], n) -> pd.DataFrame:
    """Option shares of C1 for everyone (group "all")."""
    return pd.DataFrame(
        {
            "item_id": "C1",
            "group": "all",
            "option": list(pct),
            "option_label": [o.upper() for o in pct],
            "pct": list(pct.values()),
            "n": pd.array([n] * len(pct), dtype="Int64"),
        }
    )


def _authority_pub() -> dict[str, pd.DataFrame]:
    return {
        # manager suppressed (<NA>), analyst 20, everyone 25
        "responses": pd.DataFrame(
            {"group": ["analyst", "manager", "all"], "n_responses": pd.array([20, None, 25])}
        ),
        "construct_summary": pd.DataFrame(
            {
                "construct": ["use", "use", "value", "value"],
                "group": ["analyst", "all", "analyst", "all"],
                "pct_positive": [50.0, 100 / 3, 80.0, 62.5 + 1e-9],
            }
        ),
        "kruskal": pd.DataFrame(
            {
                "variable": ["use", "value", "Q1"],
                "p_unc": [0.012345, NA, 0.5],
                "epsilon_sq": [0.12345, NA, 0.01],
            }
        ),
        "pairwise": pd.DataFrame(
            {
                "variable": ["use", "use", "value"],
                "A": ["analyst", "analyst", "analyst"],
                "B": ["manager", "manager", "manager"],
                "p_corr": [0.01, 0.2, NA],
                "rbc": [-0.4, 0.5, 0.9],
            }
        ),
        "reliability": _reliability(
            {
                ("use", "all"): (25, 0.81234, 0.7, 0.9, 20, 0.7996, 0.65, 0.88),
                ("value", "all"): (25, NA, NA, NA, None, NA, NA, NA),
            }
        ),
        "distributions": _distributions(
            {"all": {"Q1": 60.0, "Q2": NA, "Q3": 72.5}, "analyst": {"Q1": 99.0, "Q3": 1.0}}
        ),
        "straightlining": pd.DataFrame(
            {"group": ["analyst", "all"], "pct_straightlined": [NA, 100 / 7]}
        ),
        "missingness": pd.DataFrame({"item_id": ["Q1", "Q2"], "pct_missing": [4.0, 100 / 7]}),
        # by respondent group (issue 12): use compared between analyst and manager, value not
        "group_comparisons": _comparisons(
            [
                {"variable": "use", "test": "kruskal_wallis", "groups": "analyst;manager"}
                | {"p_unc": 0.020149, "effect_size": 0.0834, "effect_reading": "small"}
                | {"significant": True},
                {"variable": "use", "test": "mann_whitney", "groups": "analyst;manager"}
                | {"A": "analyst", "B": "manager", "p_unc": 0.0123, "p_corr": 0.01234}
                | {"effect_size": -0.45, "effect_reading": "medium", "higher": "manager"}
                | {"significant": True},
                {"variable": "C1", "test": "chi_square", "groups": "analyst;manager"}
                | {"p_unc": 0.5, "effect_size": 0.1234, "effect_reading": "small"}
                | {"significant": False},
            ]
        ),
        "construct_by_group": pd.DataFrame(
            {
                "construct": ["use", "use", "value"],
                "group": ["analyst", "manager", "analyst"],
                "pct_positive": [50.0, NA, 80.0],
            }
        ),
        "option_shares": _option_shares({"x": 100.0}, 25),
    }


# Worked out by hand from _authority_pub():
# * n_responses: the "all" row, 25; n_by_group: every other row, manager suppressed -> None.
# * use: alpha 0.81234 -> 0.812, listwise 0.7996 -> 0.8 (3 places); pct_positive 33.33.. ->
#   33.3; Q1 is the only published % agree (Q2 suppressed) so it is both highest and lowest;
#   Kruskal p 0.012345 -> 0.0123 (4 places), epsilon 0.12345 -> 0.123; one pair has Holm
#   p < 0.05, with rbc < 0 so B (manager, "Managers") is the higher group.
# * value: everything suppressed -> None; 62.500000001 -> 62.5; Q3 72.5 highest and lowest.
# * by group: use's one pair differs (Holm p 0.01234 -> 0.0123) with r = -0.45, so B
#   (manager) is higher, |r| 0.45 read "medium"; epsilon 0.0834 -> 0.083; manager's share
#   favourable is suppressed -> None; value was not compared (both groups listed as not
#   compared, questionnaire order). C1: one option, 100.0 of 25; chi-square p 0.5, V 0.123.
# * overall: of Q1 60.0 and Q3 72.5 (Q2 suppressed): highest Q3, lowest Q1 (group "all" only,
#   the analyst rows 99/1 must not count); straight-lining 14.28.. -> 14.3; max missing 14.3.
AUTHORITY_EXPECTED = {
    "authority": "lambeth",
    "disclosure_rule": "nhs",
    "n_responses": 25,
    "n_by_group": {"analyst": 20, "manager": None},
    "groups_compared": ["analyst", "manager"],
    "item_highest_agree": "Q3",
    "item_highest_pct_agree": 72.5,
    "item_lowest_agree": "Q1",
    "item_lowest_pct_agree": 60.0,
    "items_agree_suppressed": ["Q2"],
    "pct_straightlined": 14.3,
    "max_pct_missing": 14.3,
    "constructs": {
        "use": {
            "label": "Using data",
            "alpha": 0.812,
            "alpha_ci_low": 0.7,
            "alpha_ci_high": 0.9,
            "alpha_n": 25,
            "alpha_listwise": 0.8,
            "alpha_listwise_ci_low": 0.65,
            "alpha_listwise_ci_high": 0.88,
            "alpha_listwise_n": 20,
            "pct_positive": 33.3,
            "item_highest_agree": "Q1",
            "item_highest_pct_agree": 60.0,
            "item_lowest_agree": "Q1",
            "item_lowest_pct_agree": 60.0,
            "items_agree_suppressed": ["Q2"],
            "group_kruskal_p": 0.0123,
            "group_epsilon_sq": 0.123,
            "group_differences": ["Managers higher than Analysts"],
            "research_question": None,
            "group_comparison": {
                "group_by": "respondent_group",
                "groups_compared": ["analyst", "manager"],
                "groups_not_compared": [],
                "groups_not_asked": [],
                "kruskal_p": 0.0201,
                "epsilon_sq": 0.083,
                "epsilon_sq_reading": "small",
                "n_significant_pairs": 1,
                "largest_difference": {
                    "higher": "manager",
                    "higher_label": "Managers",
                    "lower": "analyst",
                    "lower_label": "Analysts",
                    "rank_biserial": 0.45,
                    "reading": "medium",
                    "p_corr": 0.0123,
                    "text": "Managers higher than Analysts (rank-biserial r = 0.450, medium)",
                },
                "pct_favourable_by_group": {"manager": None, "analyst": 50.0},
            },
        },
        "value": {
            "label": "Value of data",
            "alpha": None,
            "alpha_ci_low": None,
            "alpha_ci_high": None,
            "alpha_n": 25,
            "alpha_listwise": None,
            "alpha_listwise_ci_low": None,
            "alpha_listwise_ci_high": None,
            "alpha_listwise_n": None,
            "pct_positive": 62.5,
            "item_highest_agree": "Q3",
            "item_highest_pct_agree": 72.5,
            "item_lowest_agree": "Q3",
            "item_lowest_pct_agree": 72.5,
            "items_agree_suppressed": [],
            "group_kruskal_p": None,
            "group_epsilon_sq": None,
            "group_differences": [],
            "research_question": None,
            "group_comparison": {
                "group_by": "respondent_group",
                "groups_compared": [],
                "groups_not_compared": ["manager", "analyst"],
                "groups_not_asked": [],
                "kruskal_p": None,
                "epsilon_sq": None,
                "epsilon_sq_reading": None,
                "n_significant_pairs": 0,
                "largest_difference": None,
                "pct_favourable_by_group": {"manager": None, "analyst": 80.0},
            },
        },
    },
    "categorical_items": {
        "C1": {
            "text": "",
            "research_question": None,
            "n": 25,
            "option_pct": {"x": 100.0},
            "top_option": "x",
            "top_option_label": "X",
            "top_option_pct": 100.0,
            "groups_compared": ["analyst", "manager"],
            "chi2_p": 0.5,
            "cramer_v": 0.123,
            "cramer_v_reading": "small",
            "differs_by_group": False,
        }
    },
}


def test_authority_key_figures_hand_example():
    got = kf.authority_key_figures("lambeth", _authority_pub(), Q, RULE)
    assert got == AUTHORITY_EXPECTED
    # plain Python values, so the YAML holds numbers and null, not numpy scalars
    assert type(got["n_responses"]) is int and type(got["pct_straightlined"]) is float


def _programme_pub() -> dict[str, pd.DataFrame]:
    return {
        "responses": pd.DataFrame({"group": ["a", "b", "all"], "n_responses": [30, 40, 70]}),
        "construct_summary": pd.DataFrame(
            {
                "construct": ["use"] * 3 + ["value"] * 3,
                "group": ["a", "b", "all"] * 2,
                "pct_positive": [40.04, NA, 45.0, 10.0, 20.0, 15.0],
            }
        ),
        "kruskal": pd.DataFrame(
            {"variable": ["use", "value"], "p_unc": [0.00004, 0.3], "epsilon_sq": [0.2, 0.0]}
        ),
        "pairwise": pd.DataFrame(
            {"variable": ["use", "value"], "A": ["a", "a"], "B": ["b", "b"]}
            | {"p_corr": [0.001, 0.049999], "rbc": [0.3, -0.1]}
        ),
        "reliability": _reliability(
            {
                ("use", "all"): (70, 0.8, 0.7, 0.85, 60, 0.79, 0.7, 0.86),
                ("use", "a"): (30, 0.7777, 0.6, 0.8, 25, 0.7, 0.5, 0.8),
                ("use", "b"): (40, NA, NA, NA, 30, NA, NA, NA),
                ("value", "all"): (70, 0.6, 0.5, 0.7, 60, 0.6, 0.5, 0.7),
                ("value", "a"): (30, 0.5, 0.4, 0.6, 25, 0.5, 0.4, 0.6),
                ("value", "b"): (40, 0.65, 0.5, 0.7, 30, 0.6, 0.5, 0.7),
            }
        ),
        "distributions": _distributions({"all": {"Q1": 50.0, "Q2": 50.0, "Q3": NA}}),
        "group_comparisons": _comparisons([]),  # no respondent group passes disclosure
        "construct_by_group": pd.DataFrame(
            {"construct": ["use"], "group": ["analyst"], "pct_positive": [12.34]}
        ),
        "option_shares": _option_shares({"x": NA}, None),  # suppressed
    }


# Worked out by hand from _programme_pub() with names b, a, c (config order):
# * c has no responses row, so it is left out everywhere; b comes before a.
# * use: a vs b Holm p 0.001 with rbc > 0, so a ("Council A") is higher; value: p 0.049999
#   < 0.05 with rbc < 0, so b is higher. significant_differences prefixes the labels.
# * Q1 and Q2 tie at 50.0: the first in questionnaire order (Q1) is both highest and lowest.
# * Kruskal p 0.00004 -> 0.0 at 4 places; pct 40.04 -> 40.0; alpha 0.7777 -> 0.778.
def test_programme_key_figures_hand_example():
    names = {"b": "Borough B", "a": "Council A", "c": "City C"}
    got = kf.programme_key_figures(_programme_pub(), Q, RULE, names)
    assert list(got["n_by_authority"]) == ["b", "a"]
    assert got["n_by_authority"] == {"b": 40, "a": 30} and got["n_responses"] == 70
    assert got["significant_differences"] == [
        "Using data: Council A higher than Borough B",
        "Value of data: Borough B higher than Council A",
    ]
    use = got["constructs"]["use"]
    assert use["authority_differences"] == ["Council A higher than Borough B"]
    assert use["authority_kruskal_p"] == 0.0 and use["authority_epsilon_sq"] == 0.2
    assert use["pct_positive"] == 45.0
    assert use["pct_positive_by_authority"] == {"b": None, "a": 40.0}
    assert use["alpha_by_authority"] == {"b": None, "a": 0.778}
    assert (use["alpha"], use["alpha_n"], use["alpha_listwise_n"]) == (0.8, 70, 60)
    assert (use["item_highest_agree"], use["item_lowest_agree"]) == ("Q1", "Q1")
    assert got["constructs"]["value"]["items_agree_suppressed"] == ["Q3"]
    assert (got["item_highest_agree"], got["items_agree_suppressed"]) == ("Q1", ["Q3"])
    assert set(got["constructs"]) == {"use", "value"}  # "notes" has no Likert items
    assert got["disclosure_rule"] == "nhs"
    # respondent groups pooled over the authorities: none compared, analyst's 12.34 -> 12.3
    gc = use["group_comparison"]
    assert gc["groups_compared"] == [] and gc["groups_not_compared"] == ["manager", "analyst"]
    assert gc["pct_favourable_by_group"] == {"manager": None, "analyst": 12.3}
    assert gc["largest_difference"] is None and gc["n_significant_pairs"] == 0
    c1 = got["categorical_items"]["C1"]
    assert (c1["n"], c1["option_pct"], c1["top_option"]) == (None, {"x": None}, None)


def test_num_and_count_helpers():
    assert kf.num(None, 1) is None and kf.num(pd.NA, 1) is None and kf.num(NA, 3) is None
    assert kf.num(0.12344, 4) == 0.1234 and kf.num(2 / 3, 3) == 0.667  # 0.6666.. -> 0.667
    assert kf.num(-0.0004, 3) == 0.0 and type(kf.num(1, 1)) is float
    # the project rule: exact halves go away from zero (Python's round would give 56.2, 0.12)
    assert kf.num(56.25, 1) == 56.3 and kf.num(0.125, 2) == 0.13 and kf.num(-2.5, 0) == -3.0
    assert kf.count(pd.NA) is None and kf.count(15.0) == 15 and type(kf.count(15.0)) is int


def test_significant_pairs_ignores_suppressed_and_non_significant_rows():
    pw = pd.DataFrame(
        {
            "variable": ["v", "v", "v", "w"],
            "A": ["x", "x", "y", "x"],
            "B": ["y", "z", "z", "y"],
            "p_corr": [0.05, NA, 0.0001, 0.0001],  # exactly 0.05 is not below SIG_LEVEL
            "rbc": [0.9, 0.9, 0.2, 0.9],
        }
    )
    assert kf.significant_pairs(pw, "v", str.upper) == ["Y higher than Z"]


# ---------------------------------------------------------------------------- schemas


@pytest.fixture(scope="module")
def schemas() -> dict:
    return {
        s: load_yaml(f"workflow/schemas/key_figures/survey_{s}.schema.yaml")
        for s in ("authority", "programme")
    }


def _programme_figures() -> dict:
    names = {"b": "Borough B", "a": "Council A"}
    return kf.programme_key_figures(_programme_pub(), Q, RULE, names)


def test_schemas_accept_the_key_figures_shape(schemas):
    from jsonschema import Draft202012Validator

    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    check_key_figures(AUTHORITY_EXPECTED, schemas["authority"], "authority")
    check_key_figures(_programme_figures(), schemas["programme"], "programme")


def _every_object_is_closed(node, where="") -> list[str]:
    """Paths of schema objects that list properties but do not forbid others."""
    bad = []
    if isinstance(node, dict):
        if "properties" in node and node.get("additionalProperties") is not False:
            bad.append(where)
        if "properties" in node and set(node.get("required", [])) != set(node["properties"]):
            bad.append(where + " (not every key required)")
        for k, v in node.items():
            bad += _every_object_is_closed(v, f"{where}/{k}")
    return bad


def test_schemas_require_every_key_and_forbid_others(schemas):
    for name, schema in schemas.items():
        assert _every_object_is_closed(schema) == [], name


@pytest.mark.parametrize("scope", ["authority", "programme"])
def test_schema_refuses_missing_renamed_and_mistyped_keys(schemas, scope):
    good = AUTHORITY_EXPECTED if scope == "authority" else _programme_figures()
    schema = schemas[scope]

    missing = copy.deepcopy(good)
    del missing["n_responses"]
    with pytest.raises(KeyFigureError, match=r"key 'n_responses' is missing"):
        check_key_figures(missing, schema, scope)

    renamed = copy.deepcopy(good)
    renamed["constructs"]["use"]["alpha_pairwise"] = renamed["constructs"]["use"].pop("alpha")
    with pytest.raises(KeyFigureError) as err:
        check_key_figures(renamed, schema, scope)
    assert "key 'constructs.use.alpha' is missing" in str(err.value)
    assert "key 'constructs.use.alpha_pairwise' is not in the schema" in str(err.value)

    mistyped = copy.deepcopy(good)
    mistyped["constructs"]["value"]["pct_positive"] = "62.5"
    with pytest.raises(KeyFigureError, match=r"key 'constructs.value.pct_positive'"):
        check_key_figures(mistyped, schema, scope)

    by = "n_by_group" if scope == "authority" else "n_by_authority"
    bad_count = copy.deepcopy(good)
    bad_count[by][next(iter(bad_count[by]))] = 12.5  # a count must be a whole number
    with pytest.raises(KeyFigureError, match=rf"key '{by}\.\w+'"):
        check_key_figures(bad_count, schema, scope)


def test_group_comparison_names_the_groups_a_routed_construct_was_not_asked():
    """A construct asked only of analysts: managers are "not asked", not "not compared", and
    have no favourable share."""
    pub = _programme_pub()
    labels = {"manager": "Managers", "analyst": "Analysts"}
    gc = kf.group_comparison_figures(pub, "use", labels, ["analyst"])
    assert gc["groups_not_asked"] == ["manager"]
    assert gc["groups_not_compared"] == ["analyst"]
    assert gc["pct_favourable_by_group"]["analyst"] == 12.3
    everyone = kf.group_comparison_figures(pub, "use", labels)
    assert everyone["groups_not_asked"] == []
    assert everyone["groups_not_compared"] == ["manager", "analyst"]
