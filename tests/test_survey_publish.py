"""Tests of analysis.survey.publish: the table sets the two survey jobs write, and that every
count column of every published table is one the disclosure writer checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.disclosure import check_controlled, rule_from_config
from analysis.survey import publish

RULE = rule_from_config({"rule": "nhs"})
SCALE = {
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "positive": [4, 5],
    "negative": [1, 2],
}
Q = {
    "scales": {"agreement": SCALE},
    "respondent_groups": [{"id": "manager"}, {"id": "analyst"}],
    "missing_labels": {"Don't know": "dont_know", "N/A": "not_applicable"},
    "constructs": [{"id": "use", "label": "Using data"}],
    "items": [
        {"id": f"Q{i}", "type": "likert", "scale": "agreement", "construct": "use"}
        for i in range(1, 5)
    ]
    + [{"id": "C1", "type": "categorical", "options": [{"id": "never"}, {"id": "often"}]}],
}


def _survey(n: int = 120, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "authority": rng.choice(["a", "b"], n),
            "response_id": [f"r{i}" for i in range(n)],
            "respondent_group": rng.choice(["manager", "analyst"], n),
            "wave": 1,
        }
    )
    for i in range(1, 5):
        x = pd.array(rng.integers(1, 6, n), dtype="Int64")
        x[rng.random(n) < 0.1] = pd.NA
        df[f"Q{i}"] = x
    df["C1"] = pd.array(rng.choice(["never", "often"], n), dtype="string")
    missing = df.loc[df["Q1"].isna(), ["authority", "response_id"]].assign(
        item_id="Q1", reason="dont_know"
    )
    return df, missing


PUBLISHED = {
    "likert_collapsed",  # the Likert charts' table (review finding 9)
    "distributions",
    "responses",
    "reliability",
    "kruskal",
    "pairwise",
    "chi2",
    "straightlining",
    "construct_summary",
}
RAW = {"distributions", "construct_scores", "reliability", "kruskal", "pairwise", "chi2"}
RAW |= {"straightlining"}
# results by respondent group, at both levels (issue 12)
PUBLISHED |= {"item_summary", "option_shares", "group_comparisons", "construct_by_group"}
RAW |= {"group_comparisons"}


def test_authority_tables_add_missingness_and_control_every_count():
    survey, missing = _survey()
    raw, pub = publish.authority_tables(survey, missing, Q, RULE)
    assert set(raw) == RAW | {"missingness"} and set(pub) == PUBLISHED | {"missingness"}
    assert set(pub["responses"]["group_by"]) == {publish.AUTHORITY_GROUPING}
    # the missingness table's count columns follow the reasons: the questionnaire's
    # not_applicable as well as the analysis' own three
    counts = publish.published_counts("missingness", pub["missingness"])
    assert "n_not_applicable" in counts and "n_dont_know" in counts and "pct_missing" not in counts
    assert int(raw["missingness"].set_index("item_id").loc["Q1", "n_dont_know"]) == int(
        survey["Q1"].isna().sum()
    )
    for name, df in pub.items():
        check_controlled(df, publish.published_counts(name, df), RULE, where=name)


def test_programme_tables_compare_authorities():
    survey, _ = _survey()
    raw, pub = publish.programme_tables(survey, Q, RULE)
    assert set(raw) == RAW and set(pub) == PUBLISHED
    assert set(pub["responses"]["group"]) == {"a", "b", "all"}
    assert set(pub["kruskal"]["between"]) == {publish.PROGRAMME_GROUPING}
    for name, df in pub.items():
        check_controlled(df, publish.published_counts(name, df), RULE, where=name)


def test_published_counts_names_the_fixed_count_columns():
    assert publish.published_counts("pairwise", pd.DataFrame()) == ["n_A", "n_B"]
    with pytest.raises(KeyError):
        publish.published_counts("not_a_table", pd.DataFrame())


def test_construct_summary_by_group_leaves_out_groups_a_routed_construct_skips():
    """A construct asked only of managers (``asked_of``) has no analyst row by respondent
    group, where it used to publish "0 answers"; by authority every authority stays.
    Hand example: 30 manager answers, 20 of them positive -> 66.7%."""
    rows = []
    for by, group, pos, other in [
        ("respondent_group", "manager", 20, 10),
        ("respondent_group", "analyst", 0, 0),
        ("authority", "a", 12, 6),
        ("authority", "b", 8, 4),
    ]:
        rows.append(
            {"group_by": by, "group": group, "item_id": "Q1", "polarity": "positive", "count": pos}
        )
        rows.append(
            {"group_by": by, "group": group, "item_id": "Q1", "polarity": "neutral", "count": other}
        )
    dist = pd.DataFrame(rows)
    one_item = {**Q, "items": Q["items"][:1]}
    q = {**one_item, "constructs": [{"id": "use", "label": "Using data", "asked_of": ["manager"]}]}
    by_group = publish.construct_summary(dist, q, "respondent_group", RULE)
    assert list(by_group["group"]) == ["manager", "all"]
    assert by_group.set_index("group").loc["manager", "pct_positive"] == pytest.approx(200 / 3)
    by_authority = publish.construct_summary(dist, q, "authority", RULE)
    assert list(by_authority["group"]) == ["a", "b", "all"]
    # asked of everyone: the analyst row stays (0 answers are published as such)
    unrouted = publish.construct_summary(dist, one_item, "respondent_group", RULE)
    assert "analyst" in set(unrouted["group"])
