"""Tests of the survey statistics (analysis.survey.distributions, reliability, comparisons,
quality): published worked examples plus independent computation with scipy, pingouin and
statsmodels, and small hand-worked tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

import analysis.survey as sv
from analysis.core.disclosure import check_controlled, rule_from_config

AGREE = {
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "positive": [4, 5],
    "negative": [1, 2],
}


def _questionnaire(n_items=4, reverse=(), construct="c1", extra_scales=None, categorical=()):
    scales = {"agreement": AGREE, **(extra_scales or {})}
    items = [
        {
            "id": f"Q{i + 1}",
            "type": "likert",
            "scale": "agreement",
            "construct": construct,
            "reverse": f"Q{i + 1}" in reverse,
            "text": f"item {i + 1}",
        }
        for i in range(n_items)
    ]
    for cid, opts in categorical:
        items.append(
            {
                "id": cid,
                "type": "categorical",
                "text": "cat",
                "options": [{"id": o, "label": o.title()} for o in opts],
            }
        )
    return {
        "scales": scales,
        "constructs": [{"id": construct, "label": "Construct one"}],
        "items": items,
    }


def _survey(values: dict, groups=None, authorities=None) -> pd.DataFrame:
    n = len(next(iter(values.values())))
    df = pd.DataFrame(
        {
            "authority": authorities if authorities is not None else ["a"] * n,
            "response_id": [f"r{i}" for i in range(n)],
            "respondent_group": groups if groups is not None else ["g"] * n,
            "wave": 1,
        }
    )
    for k, v in values.items():
        df[k] = pd.array(v, dtype="Int64") if not isinstance(v[0], str) else pd.array(v, "string")
    return df


def _random_survey(seed=0, n=400, n_items=4, p_missing=0.1):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    vals = {}
    for i in range(n_items):
        x = np.clip(np.round(3 + latent + rng.normal(scale=1.2, size=n)), 1, 5)
        x = pd.array(x.astype(int), dtype="Int64")
        x[rng.random(n) < p_missing] = pd.NA
        vals[f"Q{i + 1}"] = x
    df = _survey(
        {k: list(v) for k, v in vals.items()},
        groups=list(rng.choice(["analyst", "manager", "frontline", "partner"], n)),
        authorities=list(rng.choice(["lambeth", "leicester", "canterbury"], n)),
    )
    for k, v in vals.items():
        df[k] = v
    return df


# --------------------------------------------------------------------------- distributions


def test_item_distributions_hand_example():
    q = _questionnaire(n_items=1)
    # 6 answers, 2 missing: codes 1, 2, 4, 4, 5, 5
    df = _survey({"Q1": [1, 2, 4, None, 4, 5, None, 5]})
    d = sv.item_distributions(df, q)
    assert list(d["level"]) == ["1", "2", "3", "4", "5"]
    assert list(d["count"]) == [1, 1, 0, 2, 2]
    assert d["n"].iloc[0] == 6 and d["n_missing"].iloc[0] == 2
    assert d["pct_missing"].iloc[0] == pytest.approx(25.0)  # 2 of 8 responses
    assert list(d["percent"]) == pytest.approx([100 / 6, 100 / 6, 0, 200 / 6, 200 / 6])
    # sorted 1 2 4 4 5 5: middle pair (4, 4) -> 4
    assert d["median"].iloc[0] == 4.0
    assert d["pct_agree"].iloc[0] == pytest.approx(400 / 6)
    assert d["pct_disagree"].iloc[0] == pytest.approx(200 / 6)
    assert list(d["polarity"]) == ["negative", "negative", "neutral", "positive", "positive"]
    assert (d["group_by"] == "overall").all() and (d["group"] == "all").all()


def test_item_distributions_even_median_between_codes():
    q = _questionnaire(n_items=1)
    d = sv.item_distributions(_survey({"Q1": [2, 3, 4, 5]}), q)
    assert d["median"].iloc[0] == 3.5  # mean of the two middle values, as numpy's median


def test_item_distributions_by_group_agree_with_pandas():
    df = _random_survey(seed=3)
    q = _questionnaire()
    d = sv.item_distributions(df, q, by="authority")
    for (grp, item), blk in d.groupby(["group", "item_id"]):
        s = df.loc[df["authority"] == grp, item]
        vc = s.value_counts().reindex(range(1, 6), fill_value=0)
        assert list(blk["count"]) == list(vc)
        assert blk["n_missing"].iloc[0] == s.isna().sum()
        assert blk["median"].iloc[0] == np.median(s.dropna().to_numpy(dtype=float))
        assert blk["pct_agree"].iloc[0] == pytest.approx(100 * (s.dropna() >= 4).mean())


def test_item_distributions_categorical_and_bad_codes():
    q = _questionnaire(n_items=1, categorical=[("C1", ["never", "often"])])
    df = _survey({"Q1": [1, 2, 3], "C1": ["often", "often", None]})
    d = sv.item_distributions(df, q)
    c = d[d["item_id"] == "C1"]
    assert list(c["level"]) == ["never", "often"] and list(c["count"]) == [0, 2]
    assert c["code"].isna().all() and c["median"].isna().all()
    with pytest.raises(ValueError, match="Q1"):
        sv.item_distributions(_survey({"Q1": [1, 9, 3], "C1": ["often"] * 3}), q)
    with pytest.raises(ValueError, match="C1"):
        sv.item_distributions(_survey({"Q1": [1, 2, 3], "C1": ["often", "bogus", "x"]}), q)


# --------------------------------------------------------------------------- constructs


def test_construct_scores_reverse_and_missing_policy():
    q = _questionnaire(n_items=4, reverse=("Q4",))
    df = _survey(
        {
            "Q1": [5, 4, None, 1],
            "Q2": [5, None, None, 1],
            "Q3": [4, None, None, 2],
            "Q4": [1, 2, 3, None],  # reverse-keyed: 1 -> 5, 2 -> 4, 3 -> 3
        }
    )
    sc = sv.construct_scores(df, q)
    # r0: (5 + 5 + 4 + 5) / 4; r1: 2 of 4 answered (= half) -> (4 + 4) / 2;
    # r2: 1 of 4 answered -> NA; r3: (1 + 1 + 2) / 3
    assert sc["c1"].iloc[0] == pytest.approx(19 / 4)
    assert sc["c1"].iloc[1] == pytest.approx(4.0)
    assert np.isnan(sc["c1"].iloc[2])
    assert sc["c1"].iloc[3] == pytest.approx(4 / 3)
    assert list(sc.columns[:4]) == ["authority", "response_id", "respondent_group", "wave"]


def _binary_questionnaire(cols):
    scale = {"levels": ["No", "Yes"], "positive": [2], "negative": [1]}
    return {
        "scales": {"yn": scale},
        "constructs": [{"id": "c", "label": "C"}],
        "items": [
            {"id": c, "type": "likert", "scale": "yn", "construct": "c", "reverse": False}
            for c in cols
        ],
    }


def _hand_alpha(x: np.ndarray) -> float:
    """alpha = k/(k-1) * (1 - sum item variances / variance of the total), complete data."""
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_alpha_pairwise_vs_listwise_published_example():
    """pingouin's documented example (dataset ``cronbach_wide_missing``, 12 respondents x 11
    binary items with 4 missing answers), checked by pingouin against R psych::alpha:
    pairwise (use="pairwise") alpha = 0.732660835214447, 95 % CI [0.435, 0.909];
    listwise (use="complete.obs") alpha = 0.8016949152542373.
    Source: https://pingouin-stats.org/build/html/generated/pingouin.cronbach_alpha.html
    """
    import pingouin as pg

    data = pg.read_dataset("cronbach_wide_missing")
    cols = list(data.columns)
    # codes 0/1 -> 1/2 (alpha is shift invariant)
    df = _survey({c: list(data[c].astype("Int64") + 1) for c in cols})
    q = _binary_questionnaire(cols)

    pw = sv.construct_reliability(df, q, missing="pairwise").iloc[0]
    assert pw["alpha"] == pytest.approx(0.732660835214447, abs=1e-12)
    assert [round(pw["ci_low"], 3), round(pw["ci_high"], 3)] == [0.435, 0.909]
    assert pw["n"] == 12

    lw = sv.construct_reliability(df, q, missing="listwise").iloc[0]
    assert lw["alpha"] == pytest.approx(0.8016949152542373, abs=1e-12)
    # listwise by hand: keep complete rows, then the variance formula
    complete = data.dropna().to_numpy(dtype=float)
    assert lw["n"] == complete.shape[0] == 9
    assert lw["alpha"] == pytest.approx(_hand_alpha(complete), abs=1e-12)
    # Feldt CI by hand with the complete-case n (pingouin would use n = 12 here)
    n, k = complete.shape
    f_lo, f_hi = (
        st.f.isf(0.025, n - 1, (n - 1) * (k - 1)),
        st.f.isf(0.975, n - 1, (n - 1) * (k - 1)),
    )
    assert lw["ci_low"] == pytest.approx(1 - (1 - lw["alpha"]) * f_lo)
    assert lw["ci_high"] == pytest.approx(1 - (1 - lw["alpha"]) * f_hi)
    # the two policies really differ on this data
    assert lw["alpha"] - pw["alpha"] > 0.05


def test_alpha_pairwise_by_hand():
    """Pairwise alpha written out: each (co)variance from the respondents answering both."""
    df = _random_survey(seed=5, p_missing=0.2)
    q = _questionnaire()
    got = sv.construct_reliability(df, q, missing="pairwise").iloc[0]["alpha"]
    x = df[["Q1", "Q2", "Q3", "Q4"]].to_numpy(dtype=float, na_value=np.nan)
    k = x.shape[1]
    cov = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            ok = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            cov[i, j] = np.cov(x[ok, i], x[ok, j], ddof=1)[0, 1]
    assert got == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()), abs=1e-12)


def test_alpha_long_dataset_and_reverse_keying():
    """pingouin's documented Likert example (dataset ``cronbach_alpha``, 15 subjects x 10
    items on 1..7): alpha = 0.5917188485995826, 95 % CI [0.195, 0.84] (same source)."""
    import pingouin as pg

    data = pg.read_dataset("cronbach_alpha").pivot(index="Subj", columns="Items", values="Scores")
    cols = list(data.columns)
    seven = {"levels": [str(i) for i in range(1, 8)], "positive": [6, 7], "negative": [1, 2]}
    q = {
        "scales": {"seven": seven},
        "constructs": [{"id": "c", "label": "C"}],
        "items": [
            {"id": c, "type": "likert", "scale": "seven", "construct": "c", "reverse": c == "Q3"}
            for c in cols
        ],
    }
    # store Q3 reverse-keyed "as answered" (8 - x): the function must undo it
    stored = {c: list((8 - data[c]) if c == "Q3" else data[c]) for c in cols}
    r = sv.construct_reliability(_survey(stored), q).iloc[0]
    assert r["alpha"] == pytest.approx(0.5917188485995826, abs=1e-12)
    assert [round(r["ci_low"], 3), round(r["ci_high"], 3)] == [0.195, 0.84]


def test_alpha_by_group_matches_pingouin_per_group():
    import pingouin as pg

    df = _random_survey(seed=11, p_missing=0.0)
    q = _questionnaire()
    out = sv.construct_reliability(df, q, by="authority")
    assert list(out["group"]) == sorted(df["authority"].unique())
    for _, row in out.iterrows():
        sub = df.loc[df["authority"] == row["group"], ["Q1", "Q2", "Q3", "Q4"]].astype(float)
        a, ci = pg.cronbach_alpha(data=sub)
        assert row["alpha"] == pytest.approx(a, abs=1e-12)
        assert [round(row["ci_low"], 3), round(row["ci_high"], 3)] == list(ci)


# --------------------------------------------------------------------------- comparisons


def test_kruskal_published_example():
    """scipy.stats.kruskal documentation example: x=[1,1,1], y=[2,2,2], z=[2,2] gives
    H = 7.0, p = 0.0301973834223185
    (https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.kruskal.html)."""
    df = pd.DataFrame({"v": [1, 1, 1, 2, 2, 2, 2, 2], "grp": list("xxxyyyzz")})
    r = sv.kruskal_wallis(df, ["v"], "grp").iloc[0]
    assert r["H"] == pytest.approx(7.0)
    assert r["p_unc"] == pytest.approx(0.0301973834223185)
    assert r["df"] == 2 and r["n"] == 8
    assert r["epsilon_sq"] == pytest.approx(7.0 / ((8**2 - 1) / (8 + 1)))  # = 7/7 = 1


def test_kruskal_agrees_with_scipy_on_likert_data():
    df = _random_survey(seed=7)
    sc = sv.construct_scores(df, _questionnaire())
    data = df.join(sc[["c1"]])
    out = sv.kruskal_wallis(data, ["Q1", "Q2", "c1"], "respondent_group")
    for _, row in out.iterrows():
        samples = [
            g[row["variable"]].dropna().to_numpy(dtype=float)
            for _, g in data.groupby("respondent_group")
        ]
        ref = st.kruskal(*samples)
        n = sum(map(len, samples))
        assert row["H"] == pytest.approx(ref.statistic, rel=1e-10)
        assert row["p_unc"] == pytest.approx(ref.pvalue, rel=1e-8)
        assert row["epsilon_sq"] == pytest.approx(ref.statistic * (n + 1) / (n**2 - 1))


def test_mannwhitney_published_example():
    """Shier (2004), "Statistics: 2.3 The Mann-Whitney U Test", Mathematics Learning Support
    Centre, as reproduced in the scipy.stats.mannwhitneyu docs: males [19, 22, 16, 29, 24]
    vs females [20, 11, 17, 12]: U_M = 17, exact two-sided p = 0.1111."""
    df = pd.DataFrame({"age": [19, 22, 16, 29, 24, 20, 11, 17, 12], "sex": list("mmmmmffff")})
    r = sv.pairwise_mannwhitney(df, ["age"], "sex").iloc[0]
    assert (r["A"], r["B"]) == ("f", "m")  # sorted order: female first
    assert r["U_val"] == pytest.approx(3.0)  # U_F = 20 - 17
    assert r["p_unc"] == pytest.approx(0.1111111111111111)
    assert r["rbc"] == pytest.approx(2 * 3 / 20 - 1)


def test_pairwise_mannwhitney_agrees_with_pingouin_and_statsmodels_holm():
    import pingouin as pg
    from statsmodels.stats.multitest import multipletests

    df = _random_survey(seed=9)
    out = sv.pairwise_mannwhitney(df, ["Q1", "Q3"], "respondent_group")
    groups = sorted(df["respondent_group"].unique())
    assert len(out) == 2 * math.comb(len(groups), 2)
    for var, blk in out.groupby("variable", sort=False):
        for _, row in blk.iterrows():
            x = df.loc[df["respondent_group"] == row["A"], var].dropna().to_numpy(dtype=float)
            y = df.loc[df["respondent_group"] == row["B"], var].dropna().to_numpy(dtype=float)
            ref = pg.mwu(x, y)
            assert row["U_val"] == pytest.approx(ref["U_val"].iloc[0])
            assert row["p_unc"] == pytest.approx(ref["p_val"].iloc[0], rel=1e-9)
            assert row["rbc"] == pytest.approx(ref["RBC"].iloc[0])
            assert row["cles"] == pytest.approx(ref["CLES"].iloc[0])
        holm = multipletests(blk["p_unc"].to_numpy(), method="holm")[1]
        assert blk["p_corr"].to_numpy() == pytest.approx(holm)


def test_mannwhitney_small_tied_sample_uses_asymptotic_like_scipy():
    df = pd.DataFrame({"v": [1, 2, 2, 3, 3, 3, 4], "grp": list("aaabbbb")})
    r = sv.pairwise_mannwhitney(df, ["v"], "grp").iloc[0]
    ref = st.mannwhitneyu([1, 2, 2], [3, 3, 3, 4])
    assert r["U_val"] == pytest.approx(ref.statistic)
    assert r["p_unc"] == pytest.approx(ref.pvalue)


def test_chi2_published_example_and_cramers_v():
    """Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5
    (party identification by gender, GSS): X^2 = 30.1 with df = 2."""
    import pingouin as pg

    table = {"female": (762, 327, 468), "male": (484, 239, 477)}
    opts = ["democrat", "independent", "republican"]
    rows, groups = [], []
    for sex, counts in table.items():
        for o, c in zip(opts, counts, strict=True):
            rows += [o] * c
            groups += [sex] * c
    df = _survey({"Q1": [3] * len(rows), "P": rows}, groups=groups)
    q = _questionnaire(n_items=1, categorical=[("P", opts)])
    r = sv.chi2_independence_items(df, q, "respondent_group").iloc[0]
    assert round(r["chi2"], 1) == 30.1 and r["dof"] == 2
    n = 762 + 327 + 468 + 484 + 239 + 477
    assert r["cramer_v"] == pytest.approx(math.sqrt(r["chi2"] / (n * 1)))
    assert r["cramer_v"] == pytest.approx(
        st.contingency.association(np.array(list(table.values())), method="cramer")
    )
    _, _, pst = pg.chi2_independence(df, x="respondent_group", y="P", correction=False)
    pear = pst.set_index("test").loc["pearson"]
    assert r["chi2"] == pytest.approx(pear["chi2"]) and r["p_unc"] == pytest.approx(pear["pval"])
    assert r["cramer_v"] == pytest.approx(pear["cramer"])
    assert not r["small_expected"]


def test_chi2_flags_small_expected_counts():
    q = _questionnaire(n_items=1, categorical=[("P", ["a", "b", "never_used"])])
    df = _survey(
        {"Q1": [3] * 12, "P": ["a"] * 5 + ["b"] + ["a"] + ["b"] * 5},
        groups=["x"] * 6 + ["y"] * 6,
    )
    r = sv.chi2_independence_items(df, q, "respondent_group").iloc[0]
    assert r["n_levels"] == 2  # the empty option is dropped
    # expected counts are all 3 (< 5): 100 % of cells
    assert r["min_expected"] == pytest.approx(3.0)
    assert r["pct_expected_lt5"] == 100.0 and r["small_expected"]


# --------------------------------------------------------------------------- data quality


def test_missingness_summary_with_reasons():
    q = _questionnaire(n_items=2)
    df = _survey({"Q1": [1, None, None, 4], "Q2": [None, 2, 3, 4]})
    missing = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r0", "r3"],
            "item_id": ["Q1", "Q1", "Q2", "Q2"],  # (r3, Q2) was answered: ignored
            "reason": ["dont_know", "prefer_not_to_say", "not_answered", "dont_know"],
        }
    )
    out = sv.missingness_summary(df, q, missing).set_index("item_id")
    assert out.loc["Q1", "n_missing"] == 2 and out.loc["Q1", "pct_missing"] == 50.0
    assert out.loc["Q1", "n_dont_know"] == 1 and out.loc["Q1", "n_prefer_not_to_say"] == 1
    assert out.loc["Q2", "n_not_answered"] == 1 and out.loc["Q2", "n_dont_know"] == 0
    assert out.loc["Q2", "n_missing_unexplained"] == 0
    bare = sv.missingness_summary(df, q)
    assert bare["n_dont_know"].isna().all() and list(bare["n_answered"]) == [2, 3]


def test_straightlining():
    q = _questionnaire(n_items=5)
    df = _survey(
        {
            "Q1": [3, 3, 4, 2],
            "Q2": [3, 3, 4, 2],
            "Q3": [3, 4, 4, 2],
            "Q4": [3, 3, 4, None],
            "Q5": [3, 3, 4, 2],
        },
        groups=["x", "x", "y", "y"],
    )
    out = sv.straightlining(df, q, min_items=5, by="respondent_group").set_index("group")
    # x: r0 flat, r1 not; y: r2 flat, r3 answered 4 < 5 items -> not eligible
    assert out.loc["x", "n_eligible"] == 2 and out.loc["x", "n_straightlined"] == 1
    assert out.loc["y", "n_eligible"] == 1 and out.loc["y", "pct_straightlined"] == 100.0


# --------------------------------------------------------------------------- disclosure bridge


def test_controlled_distributions():
    rule = rule_from_config({"rule": "nhs"})
    q = _questionnaire(n_items=1)
    # big: 1x10, 2x3, 3x12, 4x20, 5x22 (n 67) + 2 missing; other: 15, 12, 14, 18, 16 (n 75)
    big = [1] * 10 + [2] * 3 + [3] * 12 + [4] * 20 + [5] * 22 + [None] * 2
    other = [1] * 15 + [2] * 12 + [3] * 14 + [4] * 18 + [5] * 16
    df = _survey({"Q1": big + other}, groups=["big"] * len(big) + ["other"] * len(other))
    d = sv.item_distributions(df, q, by="respondent_group")
    c = sv.controlled_distributions(d, rule)
    check_controlled(c, ["count", "n", "n_missing"], rule, where="controlled")
    assert list(dict.fromkeys(c["group"])) == ["big", "other", "all"]
    b = c[c["group"] == "big"].set_index("level")
    # the 3 in level 2 is suppressed, and at least one more cell of that row (secondary)
    assert pd.isna(b.loc["2", "count"]) and b["count"].isna().sum() >= 2
    # positive levels 20, 22 -> 20, 20; n 67 -> 65 (from the unrounded 67, not 20 + 20 + ...)
    assert list(b.loc[["4", "5"], "count"]) == [20, 20] and b.loc["5", "n"] == 65
    # percentages from the rounded values: 20 / 65, agree (20 + 20) / 65
    assert b.loc["5", "percent"] == pytest.approx(100 * 20 / 65)
    assert b.loc["5", "pct_agree"] == pytest.approx(100 * 40 / 65)
    assert pd.isna(b.loc["5", "pct_disagree"])  # a negative level is suppressed
    assert b.loc["5", "median"] == 4.0  # raw median of 67 answers, n >= 8: published
    assert pd.isna(b.loc["5", "n_missing"])  # 2 missing answers: suppressed
    a = c[c["group"] == "all"].set_index("level")
    assert a.loc["5", "count"] == 40 and a.loc["5", "n"] == 140  # 38 -> 40, 142 -> 140
    # every group row: 0 or >= 2 suppressed among its levels + n; every level column
    # (big, other, all): 0 or >= 2 suppressed -> nothing recoverable by subtraction
    for _, blk in c.groupby("group"):
        assert blk["count"].isna().sum() + int(pd.isna(blk["n"].iloc[0])) != 1
    for _, blk in c.groupby("level"):
        assert blk["count"].isna().sum() != 1
    assert c.drop_duplicates("group")["n_missing"].isna().sum() != 1


def test_controlled_distributions_small_base():
    rule = rule_from_config({"rule": "nhs"})
    q = _questionnaire(n_items=1)
    d = sv.item_distributions(_survey({"Q1": [4, 4, 5, 5, 3]}), q)
    c = sv.controlled_distributions(d, rule)
    # 5 answers: every non-zero count, n and the median are suppressed; zeros stay 0
    assert c["n"].isna().all() and c["median"].isna().all()
    assert list(c["count"].astype("Float64").fillna(-1)) == [0, 0, -1, -1, -1]
    assert c["percent"].isna().all()
