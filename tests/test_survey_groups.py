"""Results by respondent group (analysis.survey.groups): effect sizes against worked examples
and hand computations, their reading on Cohen's (1988) thresholds, comparisons restricted to
the groups that pass disclosure, and the item summary that never drops a group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.disclosure import rule_from_config
from analysis.survey import (
    construct_scores,
    controlled_comparisons,
    controlled_distributions,
    effect_reading,
    group_comparisons,
    item_distributions,
    item_summary,
    option_shares,
    pairwise_mannwhitney,
)

RULE = rule_from_config({"rule": "nhs"})
SCALE = {
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "positive": [4, 5],
    "negative": [1, 2],
}
Q = {
    "scales": {"agreement": SCALE},
    "respondent_groups": [
        {"id": "staff", "label": "Staff"},
        {"id": "resident", "label": "Residents"},
        {"id": "partner", "label": "Partners"},
        {"id": "police", "label": "Police"},  # nobody answered: shown, never dropped
    ],
    "constructs": [{"id": "use", "label": "Using data", "research_question": "RQ2"}],
    "items": [
        {"id": "Q1", "type": "likert", "scale": "agreement", "construct": "use"},
        {"id": "Q2", "type": "likert", "scale": "agreement", "construct": "use", "reverse": True},
        {
            "id": "Q3",
            "type": "categorical",
            "research_question": "RQ3",
            "options": [{"id": "never", "label": "Never"}, {"id": "often", "label": "Often"}],
        },
    ],
}


# ---------------------------------------------------------------- effect sizes by hand
def test_rank_biserial_simple_difference_by_hand():
    """Kerby (2014), "The simple difference formula: an approach to teaching nonparametric
    correlation", Comprehensive Psychology 3, 11.IT.3.1: r = share of (A, B) pairs where A is
    higher minus share where B is higher. A = 2, 4, 6 and B = 1, 3, 5: of 9 pairs A wins 6
    (2>1; 4>1, 4>3; 6>1, 6>3, 6>5) and loses 3, so r = 6/9 - 3/9 = 1/3. With ties (A = 1, 2,
    2; B = 2, 3) A wins none, ties 2, loses 4: r = (0 - 4)/6 = -2/3."""
    data = pd.DataFrame({"v": [2, 4, 6, 1, 3, 5], "g": list("aaabbb")})
    assert pairwise_mannwhitney(data, ["v"], "g")["rbc"].iloc[0] == pytest.approx(1 / 3)
    ties = pd.DataFrame({"v": [1, 2, 2, 2, 3], "g": list("aaabb")})
    assert pairwise_mannwhitney(ties, ["v"], "g")["rbc"].iloc[0] == pytest.approx(-2 / 3)


def _survey(groups: dict[str, tuple[list, list, list]]) -> pd.DataFrame:
    rows = []
    for g, (q1, q2, q3) in groups.items():
        for i, (a, b, c) in enumerate(zip(q1, q2, q3, strict=True)):
            rows.append({"response_id": f"{g}{i}", "respondent_group": g, "wave": 1})
            rows[-1] |= {"authority": "x", "Q1": a, "Q2": b, "Q3": c}
    out = pd.DataFrame(rows)
    out[["Q1", "Q2"]] = out[["Q1", "Q2"]].astype("Int64")
    return out


def test_epsilon_squared_and_cramers_v_by_hand():
    """Kruskal-Wallis: staff answer Q1 = 1 (x10), residents 5 (x10); with Q2 = 6 - Q1 the
    construct score is 1 vs 5. Ranks: staff 1..10 (mean 5.5), residents 11..20 (15.5), every
    value tied within its group: H = [12/(20*21) * (55^2/10 + 155^2/10) - 63] / (1 - 2*990/
    7980) = 14.2857 / 0.75188 = 19.0 and epsilon^2 = H / (N - 1) = 1.0 (a complete split).
    Chi-square of Q3 by hand: staff 10 never / 0 often... use 8/2 vs 2/8: expected 5 each,
    chi2 = 4 * 9/5 = 7.2, n = 20, V = sqrt(7.2 / 20) = 0.6 (large: w = 0.6 >= 0.5)."""
    survey = _survey(
        {
            "staff": ([1] * 10, [5] * 10, ["never"] * 8 + ["often"] * 2),
            "resident": ([5] * 10, [1] * 10, ["never"] * 2 + ["often"] * 8),
        }
    )
    raw = group_comparisons(survey, construct_scores(survey, Q), Q, "respondent_group", RULE)
    kw = raw[(raw["variable"] == "use") & (raw["test"] == "kruskal_wallis")].iloc[0]
    assert kw["statistic"] == pytest.approx(19.0) and kw["effect_size"] == pytest.approx(1.0)
    assert kw["effect_reading"] == "large" and kw["groups"] == "resident;staff"
    pair = raw[(raw["variable"] == "use") & (raw["test"] == "mann_whitney")].iloc[0]
    assert pair["effect_size"] == pytest.approx(1.0)  # every resident above every staff member
    assert pair["higher"] == "resident" and pair["A"] == "resident"
    chi = raw[raw["test"] == "chi_square"].iloc[0]
    assert chi["statistic"] == pytest.approx(7.2) and chi["effect_size"] == pytest.approx(0.6)
    assert chi["effect_reading"] == "large" and chi["research_question"] == "RQ3"


@pytest.mark.parametrize(
    ("value", "kind", "df_star", "reading"),
    [
        (0.09, "rank_biserial", 1, "negligible"),
        (-0.1, "rank_biserial", 1, "small"),  # by absolute value
        (0.3, "rank_biserial", 1, "medium"),
        (0.5, "rank_biserial", 1, "large"),
        (0.0099, "epsilon_sq", 1, "negligible"),
        (0.06, "epsilon_sq", 1, "medium"),
        (0.14, "epsilon_sq", 1, "large"),
        # V with df* = 4: thresholds 0.1/2, 0.3/2, 0.5/2 = 0.05, 0.15, 0.25
        (0.149, "cramer_v", 4, "small"),
        (0.15, "cramer_v", 4, "medium"),
        (0.25, "cramer_v", 4, "large"),
        (float("nan"), "epsilon_sq", 1, None),
    ],
)
def test_effect_readings_on_cohens_thresholds(value, kind, df_star, reading):
    assert effect_reading(value, kind, df_star) == reading


# ---------------------------------------------------------------- disclosure by group
def _three_groups() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    return _survey(
        {
            "staff": (rng.integers(1, 6, 20).tolist(), [3] * 20, ["never"] * 20),
            "resident": (rng.integers(1, 6, 12).tolist(), [3] * 12, ["often"] * 12),
            "partner": ([5, 5, 4], [1, 1, 2], ["never"] * 3),  # 3 people: below 8
        }
    )


def test_a_group_below_the_threshold_is_left_out_of_every_comparison():
    survey = _three_groups()
    raw = group_comparisons(survey, construct_scores(survey, Q), Q, "respondent_group", RULE)
    assert set(raw["groups"]) == {"resident;staff"}  # partner (3) never in a test
    assert not (raw["A"].eq("partner") | raw["B"].eq("partner")).any()
    pub = controlled_comparisons(raw, RULE)
    assert "U_val" not in pub.columns
    pair = pub[(pub["variable"] == "use") & (pub["test"] == "mann_whitney")].iloc[0]
    assert (pair["n_A"], pair["n_B"], pair["n"]) == (10, 20, 30)  # 12 -> 10, 20, 32 -> 30


def test_item_summary_shows_small_and_absent_groups_as_suppressed_never_dropped():
    survey = _three_groups()
    pub = controlled_distributions(item_distributions(survey, Q, by="respondent_group"), RULE)
    summary = item_summary(pub, Q, ["staff", "resident", "partner", "police"])
    q1 = summary[summary["item_id"] == "Q1"].set_index("group")
    assert list(q1.index) == ["staff", "resident", "partner", "police", "all"]
    assert q1.loc["partner", "status"] == "suppressed" and pd.isna(q1.loc["partner", "n"])
    assert q1.loc["police", "status"] == "no responses" and q1.loc["police", "n"] == 0
    assert q1.loc["all", "n"] == 35  # 20 + 12 + 3 answers
    assert set(summary["item_id"]) == {"Q1", "Q2", "Q3"}  # every item, Likert and categorical
    assert len(summary) == 3 * 5


def _published_block(counts, percents, n, agree, disagree, item="Q2", kind="likert"):
    """One group's rows of a published distributions table, made by hand."""
    k = len(counts)
    levels = [str(c) for c in range(1, k + 1)] if kind == "likert" else ["never", "often"]
    return pd.DataFrame(
        {
            "group_by": "respondent_group",
            "group": "staff",
            "item_id": item,
            "item_type": kind,
            "level": levels,
            "level_label": SCALE["levels"] if kind == "likert" else ["Never", "Often"],
            "polarity": ["negative", "negative", "neutral", "positive", "positive"]
            if kind == "likert"
            else [pd.NA] * k,
            "count": pd.array(counts, dtype="Int64"),
            "percent": pd.array(percents, dtype="Float64"),
            "n": pd.array([n] * k, dtype="Int64"),
            "n_missing": pd.array([0] * k, dtype="Int64"),
            "pct_missing": 0.0,
            "median": 3.0 if kind == "likert" else np.nan,
            "pct_agree": agree,
            "pct_disagree": disagree,
        }
    )


def test_item_summary_reads_a_published_block_by_hand():
    """Q2 (reverse-keyed) for staff: counts [c], 10, 20, 10, 0 of 45. Its favourable share is
    the disagreeing one, which rests on the suppressed level, so it is empty; neutral is
    20/45 = 44.4 %; the largest published count is level 3 (Neither)."""
    block = _published_block(
        [None, 10, 20, 10, 0], [None, 100 * 10 / 45, 100 * 20 / 45, 100 * 10 / 45, 0.0], 45,
        100 * 10 / 45, pd.NA,
    )  # fmt: skip
    row = item_summary(block, Q).iloc[0]
    assert row["status"] == "partly suppressed" and row["reverse"]
    assert pd.isna(row["pct_favourable"]) and row["pct_agree"] == pytest.approx(22.222, 1e-3)
    assert row["pct_neutral"] == pytest.approx(44.444, 1e-3)
    assert (row["top_level"], row["top_level_label"]) == ("3", "Neither")
    assert (row["construct"], row["research_question"]) == ("use", "RQ2")


def test_option_shares_of_a_published_block_by_hand():
    block = _published_block([20, None], [100.0, None], 25, np.nan, np.nan, "Q3", "categorical")
    shares = option_shares(block, Q).set_index("option")
    assert shares.loc["never", ["count", "n", "pct"]].tolist() == [20, 25, 100.0]
    assert pd.isna(shares.loc["often", "count"]) and (shares["research_question"] == "RQ3").all()
    row = item_summary(block, Q).iloc[0]
    assert (row["top_level"], row["top_level_pct"], row["status"]) == (
        "never",
        100.0,
        "partly suppressed",
    )
