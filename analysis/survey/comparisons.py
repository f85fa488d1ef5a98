"""Group comparisons: Kruskal-Wallis, pairwise Mann-Whitney (Holm), chi-square of independence.

* Kruskal-Wallis H with tie correction (Kruskal & Wallis 1952); epsilon squared
  ``H / ((n^2 - 1) / (n + 1))`` (Tomczak & Tomczak 2014, Trends in Sport Sciences 21(1)).
* Mann-Whitney U, two-sided, normal approximation with tie and continuity correction exactly
  as ``scipy.stats.mannwhitneyu`` (exact distribution where scipy's ``method="auto"`` would
  use it); rank-biserial correlation ``2 U_A / (n_A n_B) - 1`` (Wendt 1972; pingouin's
  ``RBC``); Holm (1979) correction within each (variable, grouping) family.
* Chi-square test of independence (Pearson, no Yates correction) with Cramer's V
  ``sqrt(chi2 / (n (min(r, c) - 1)))`` (Cramer 1946); levels/groups with no answers are
  dropped first. Expected counts below 5 are NOT merged away: the output reports the smallest
  expected count and the share of cells below 5, and flags ``small_expected`` by Cochran's
  (1954) rule (more than 20 % of cells below 5 or any cell below 1) so the reader can
  discount the p-value.

Every function returns RAW, unrounded statistics; disclosure control is the caller's job.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.survey.answers import group_codes, likert_codes, option_index

__all__ = ["chi2_independence_items", "kruskal_wallis", "pairwise_mannwhitney"]

# Why not call scipy.stats.kruskal / mannwhitneyu per test: the benchmark (100,000 responses,
# 48 variables, 2 groupings, 16 pairs each) would re-rank the raw data ~800 times. Survey
# variables take few distinct values, so each variable is reduced ONCE to a group x value
# count table and the rank sums, tie terms and U statistics are computed from that table.
# The formulas are scipy's (checked against scipy and pingouin in tests/test_survey_stats.py).


def _count_table(x: np.ndarray, g: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(group x distinct-value count table, sorted distinct values) of the valid rows."""
    ok = ~np.isnan(x) & (g >= 0)
    vals, inv = np.unique(x[ok], return_inverse=True)
    tab = np.bincount(g[ok] * len(vals) + inv, minlength=n_groups * len(vals))
    return tab.reshape(n_groups, len(vals)), vals


def _midranks(c: np.ndarray) -> np.ndarray:
    """Average rank of each distinct value given its count ``c`` (ascending order)."""
    return np.cumsum(c) - (c - 1) / 2


def _numeric(data: pd.DataFrame, col: str) -> np.ndarray:
    if col not in data.columns:
        raise KeyError(f"table has no column {col!r}")
    try:
        return pd.to_numeric(data[col]).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"column {col!r} is not numeric") from None


def kruskal_wallis(data: pd.DataFrame, variables, between: str) -> pd.DataFrame:
    """Kruskal-Wallis H test of each variable across the groups of ``between``.

    ``H = [12 / (N (N + 1)) * sum(R_g^2 / n_g) - 3 (N + 1)] / (1 - sum(t^3 - t) / (N^3 - N))``
    with midranks for ties (Kruskal & Wallis 1952; scipy.stats.kruskal), ``df = groups - 1``,
    ``p_unc`` from chi-square; ``epsilon_sq = H / ((N^2 - 1) / (N + 1))`` (Tomczak & Tomczak
    2014). Groups with no answers are left out; NaN when < 2 groups or all values tie.

    Columns: ``variable, between, n, n_groups, H, df, p_unc, epsilon_sq``.
    """
    from scipy.stats import chi2

    _, g, labels = group_codes(data, between)
    rows = []
    for var in variables:
        tab, _ = _count_table(_numeric(data, var), g, len(labels))
        tab = tab[tab.sum(axis=1) > 0]
        n_g = tab.sum(axis=1)
        c = tab.sum(axis=0)
        big_n = int(c.sum())
        h = dof = p = eps = math.nan
        if len(n_g) >= 2 and big_n >= 2:
            r = tab @ _midranks(c).astype(float)
            tie = 1 - float(np.sum(c.astype(float) ** 3 - c)) / (float(big_n) ** 3 - big_n)
            if tie > 0:
                h = (12 / (big_n * (big_n + 1)) * np.sum(r**2 / n_g) - 3 * (big_n + 1)) / tie
                dof = len(n_g) - 1
                p = float(chi2.sf(h, dof))
                eps = h / ((big_n**2 - 1) / (big_n + 1))
        rows.append(
            {
                "variable": var,
                "between": between,
                "n": big_n,
                "n_groups": len(n_g),
                "H": h,
                "df": dof,
                "p_unc": p,
                "epsilon_sq": eps,
            }
        )
    out = pd.DataFrame(
        rows, columns=["variable", "between", "n", "n_groups", "H", "df", "p_unc", "epsilon_sq"]
    )
    out["df"] = out["df"].astype("Int64")
    return out


def _mwu_from_counts(ca: np.ndarray, cb: np.ndarray, vals: np.ndarray) -> tuple[float, float]:
    """(U of sample A, two-sided p) as scipy.stats.mannwhitneyu(method="auto")."""
    from scipy import special
    from scipy.stats import mannwhitneyu

    na, nb = int(ca.sum()), int(cb.sum())
    c = ca + cb
    keep = c > 0
    ca, cb, c, vals = ca[keep], cb[keep], c[keep], vals[keep]
    u1 = float(ca @ _midranks(c)) - na * (na + 1) / 2
    if (na <= 8 or nb <= 8) and c.max() == 1:  # scipy "auto" -> exact distribution
        res = mannwhitneyu(np.repeat(vals, ca), np.repeat(vals, cb), method="exact")
        return float(res.statistic), float(res.pvalue)
    n = na + nb
    u = max(u1, na * nb - u1)
    tie_term = float(np.sum(c.astype(float) ** 3 - c))
    s = math.sqrt(na * nb / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (u - na * nb / 2 - 0.5) / np.float64(s)
    p = float(np.clip(2 * special.ndtr(-z), 0, 1))
    return u1, p


def pairwise_mannwhitney(
    data: pd.DataFrame, variables, between: str, padjust: str = "holm"
) -> pd.DataFrame:
    """Two-sided Mann-Whitney U test for every pair of groups of ``between``, per variable.

    Pairs are (A, B) with A before B in sorted group order. ``U_val`` is U of A;
    ``rbc = 2 U_A / (n_A n_B) - 1`` (rank-biserial correlation, positive when A tends to be
    higher; equals pingouin's ``RBC``); ``cles = U_A / (n_A n_B)`` (probability that a
    random A exceeds a random B, ties counted half; pingouin's ``CLES``). ``p_corr`` is
    corrected with ``pingouin.multicomp(method=padjust)`` within each variable.

    Columns: ``variable, between, A, B, n_A, n_B, U_val, p_unc, p_corr, p_adjust, rbc, cles``.
    """
    import pingouin as pg

    _, g, labels = group_codes(data, between)
    rows = []
    for var in variables:
        tab, vals = _count_table(_numeric(data, var), g, len(labels))
        fam = []
        for a, b in combinations(range(len(labels)), 2):
            na, nb = int(tab[a].sum()), int(tab[b].sum())
            if na == 0 or nb == 0:
                u = p = rbc = cles = math.nan
            else:
                u, p = _mwu_from_counts(tab[a], tab[b], vals)
                cles = u / (na * nb)
                rbc = 2 * cles - 1
            fam.append(
                {
                    "variable": var,
                    "between": between,
                    "A": labels[a],
                    "B": labels[b],
                    "n_A": na,
                    "n_B": nb,
                    "U_val": u,
                    "p_unc": p,
                    "p_corr": math.nan,
                    "p_adjust": padjust,
                    "rbc": rbc,
                    "cles": cles,
                }
            )
        pvals = np.array([r["p_unc"] for r in fam], dtype=float)
        if len(fam) and np.isfinite(pvals).any():
            _, pcorr = pg.multicomp(pvals, method=padjust)
            for r, pc in zip(fam, np.atleast_1d(pcorr), strict=True):
                r["p_corr"] = float(pc)
        rows.extend(fam)
    cols = ["variable", "between", "A", "B", "n_A", "n_B", "U_val", "p_unc", "p_corr"]
    return pd.DataFrame(rows, columns=[*cols, "p_adjust", "rbc", "cles"])


def chi2_independence_items(
    survey: pd.DataFrame, questionnaire: dict, between: str, items=None
) -> pd.DataFrame:
    """Chi-square test of independence of each categorical item and the groups of ``between``.

    Pearson chi-square without Yates' correction (``scipy.stats.chi2_contingency(...,
    correction=False)``) on the group x option table after dropping empty rows/columns;
    Cramer's V ``sqrt(chi2 / (n (min(r, c) - 1)))``. Small expected counts are reported, not
    merged: ``min_expected``, ``pct_expected_lt5`` and ``small_expected`` (Cochran's rule:
    > 20 % of cells below 5 or any below 1). ``items`` defaults to every categorical item;
    Likert items may be named too (their codes are treated as categories).

    Columns: ``item_id, between, n, n_groups, n_levels, chi2, dof, p_unc, cramer_v,
    min_expected, pct_expected_lt5, small_expected``.
    """
    from scipy.stats import chi2_contingency

    _, g, labels = group_codes(survey, between)
    chosen = (
        qn.items(questionnaire, "categorical")
        if items is None
        else qn.items(questionnaire, None, items)
    )
    rows = []
    for it in chosen:
        if it.get("type") == "categorical":
            idx = option_index(survey, it)
            k = len(it["options"])
        else:
            k = len(qn.item_scale(questionnaire, it)["levels"])
            x = likert_codes(survey, it, k)
            idx = np.where(np.isnan(x), -1, x - 1).astype(np.int64)
        ok = (idx >= 0) & (g >= 0)
        tab = np.bincount(g[ok] * k + idx[ok], minlength=len(labels) * k).reshape(len(labels), k)
        tab = tab[tab.sum(axis=1) > 0][:, tab.sum(axis=0) > 0]
        n = int(tab.sum())
        res = {"chi2": math.nan, "dof": pd.NA, "p_unc": math.nan, "cramer_v": math.nan}
        min_e = pct_lt5 = math.nan
        small = pd.NA
        if min(tab.shape) >= 2:
            chi2, p, dof, expected = chi2_contingency(tab, correction=False)
            res = {
                "chi2": float(chi2),
                "dof": int(dof),
                "p_unc": float(p),
                "cramer_v": math.sqrt(chi2 / (n * (min(tab.shape) - 1))),
            }
            min_e = float(expected.min())
            pct_lt5 = float(100 * (expected < 5).mean())
            small = bool(pct_lt5 > 20 or min_e < 1)
        rows.append(
            {
                "item_id": it["id"],
                "between": between,
                "n": n,
                "n_groups": tab.shape[0],
                "n_levels": tab.shape[1],
                **res,
                "min_expected": min_e,
                "pct_expected_lt5": pct_lt5,
                "small_expected": small,
            }
        )
    cols = ["item_id", "between", "n", "n_groups", "n_levels", "chi2", "dof", "p_unc"]
    out = pd.DataFrame(
        rows, columns=[*cols, "cramer_v", "min_expected", "pct_expected_lt5", "small_expected"]
    )
    out["dof"] = out["dof"].astype("Int64")
    out["small_expected"] = out["small_expected"].astype("boolean")
    return out
