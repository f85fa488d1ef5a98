"""Survey statistics: Likert distributions, construct scores, reliability, group comparisons.

Input is the validated wide survey table of ``docs/data-contracts.md`` (``survey.csv``:
``authority, response_id, respondent_group, wave`` then one column per questionnaire item;
Likert items hold codes 1..k of their scale, categorical items an option id, missing = NA)
and the questionnaire as a dict (``yaml.safe_load`` of ``survey/questionnaire.yaml``).

Every function returns RAW, unrounded statistics in a tidy DataFrame with stable snake_case
columns. Disclosure control is the caller's job (``analysis.core.disclosure``); the one bridge
provided here is :func:`controlled_distributions`.

Methods and sources
-------------------
* Likert items are reported as distributions (counts, % of answered, median, % agree),
  not means (research-methods reference, "Likert survey data").
* Construct score: mean of the construct's Likert items after reversing reverse-keyed items
  (``k + 1 - code``); a respondent gets a score only when they answered at least
  ``min_answered`` (default half) of the construct's items, otherwise NA.
* Cronbach's alpha: ``pingouin.cronbach_alpha`` (Cronbach 1951); Feldt, Woodruff & Salih
  (1987) confidence interval, computed here unrounded with the same formula pingouin uses.
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
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.survey.questionnaire import item_scale as _scale
from analysis.survey.questionnaire import items as _items
from analysis.survey.questionnaire import likert_constructs as _constructs

__all__ = [
    "chi2_independence_items",
    "construct_reliability",
    "construct_scores",
    "controlled_distributions",
    "item_distributions",
    "kruskal_wallis",
    "missingness_summary",
    "pairwise_mannwhitney",
    "reverse_items",
    "straightlining",
]

ID_COLUMNS = ("authority", "response_id", "respondent_group", "wave")
MISSING_REASONS = ("not_answered", "dont_know", "prefer_not_to_say")

DIST_COLUMNS = [
    "group_by",
    "group",
    "item_id",
    "item_type",
    "scale",
    "level",
    "code",
    "level_label",
    "polarity",
    "count",
    "percent",
    "n",
    "n_missing",
    "pct_missing",
    "median",
    "pct_agree",
    "pct_disagree",
]


# --------------------------------------------------------------------------- questionnaire


def _column(survey: pd.DataFrame, item_id: str) -> pd.Series:
    if item_id not in survey.columns:
        raise KeyError(f"survey table has no column for item {item_id}")
    return survey[item_id]


def _likert_codes(survey: pd.DataFrame, item: dict, k: int) -> np.ndarray:
    """Item column as float codes (NaN = missing); refuse codes outside 1..k."""
    s = _column(survey, item["id"])
    try:
        x = pd.to_numeric(s).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"column {item['id']}: expected Likert codes 1..{k}") from None
    ok = np.isnan(x) | ((x >= 1) & (x <= k) & (x == np.floor(x)))
    if not ok.all():
        raise ValueError(
            f"column {item['id']}: {int((~ok).sum())} value(s) are not Likert codes 1..{k}"
        )
    return x


def _option_index(survey: pd.DataFrame, item: dict) -> np.ndarray:
    """Categorical item as option index 0..m-1 (-1 = missing); refuse unknown option ids."""
    ids = [str(o["id"]) for o in item["options"]]
    s = _column(survey, item["id"]).astype("string")
    unknown = s.notna() & ~s.isin(ids)
    if unknown.any():
        raise ValueError(
            f"column {item['id']}: {int(unknown.sum())} value(s) are not option ids of the item"
        )
    return np.asarray(pd.Categorical(s, categories=ids).codes, dtype=np.int64)


def _groups(survey: pd.DataFrame, by: str | None) -> tuple[str, np.ndarray, list[str]]:
    """(group_by name, integer code per row with -1 = no group, sorted group labels)."""
    if by is None:
        return "overall", np.zeros(len(survey), dtype=np.int64), ["all"]
    if by not in survey.columns:
        raise KeyError(f"survey table has no column {by!r} to group by")
    s = survey[by]
    labels = sorted({str(v) for v in s.dropna().unique()})
    cat = pd.Categorical(s.astype("string"), categories=labels)
    return by, np.asarray(cat.codes, dtype=np.int64), labels


def reverse_items(survey: pd.DataFrame, questionnaire: dict) -> pd.DataFrame:
    """Copy of ``survey`` with reverse-keyed Likert items recoded ``k + 1 - code``."""
    out = survey.copy()
    for it in _items(questionnaire, "likert"):
        if it.get("reverse"):
            k = len(_scale(questionnaire, it)["levels"])
            x = _likert_codes(survey, it, k)
            out[it["id"]] = pd.array(np.where(np.isnan(x), np.nan, k + 1 - x), dtype="Int64")
    return out


# --------------------------------------------------------------------------- distributions


def _median_from_counts(codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Median of each row of a (groups x levels) count table over ordered ``codes``.

    Even n: the mean of the two middle values (so it may fall half-way between codes).
    """
    counts = np.atleast_2d(counts)
    n = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    out = np.full(n.shape, np.nan)
    for g in np.flatnonzero(n > 0):
        lo = np.searchsorted(cum[g], (n[g] - 1) // 2 + 1)
        hi = np.searchsorted(cum[g], n[g] // 2 + 1)
        out[g] = (codes[lo] + codes[hi]) / 2
    return out


def item_distributions(
    survey: pd.DataFrame, questionnaire: dict, by: str | None = None, items=None
) -> pd.DataFrame:
    """Distribution of every Likert and categorical item, overall or by a grouping column.

    Tidy long table, one row per group x item x level (levels in scale/option order, zero
    counts included), with the item-level summaries repeated on each of its level rows:

    ``group_by`` ("overall" or the ``by`` column), ``group`` ("all" or the group value),
    ``item_id``, ``item_type`` (likert|categorical), ``scale``, ``level`` (str: the code or
    option id), ``code`` (Int64 Likert code, <NA> for categorical), ``level_label``,
    ``polarity`` (negative|neutral|positive from the scale's ``negative``/``positive``
    codes; <NA> for categorical), ``count``, ``percent`` (of answered), ``n`` (answered),
    ``n_missing``, ``pct_missing`` (of the group's responses), ``median`` (Likert code; mean
    of the two middle values for even n), ``pct_agree`` / ``pct_disagree`` (% of answered in
    the scale's positive / negative codes).

    Rows whose ``by`` value is missing count in the overall table only. All values raw.
    """
    group_by, g, labels = _groups(survey, by)
    n_groups = len(labels)
    in_group = g >= 0
    blocks = []
    for it in _items(questionnaire, ids=items):
        kind = it.get("type")
        if kind == "likert":
            sc = _scale(questionnaire, it)
            k = len(sc["levels"])
            x = _likert_codes(survey, it, k)
            idx = np.where(np.isnan(x), k, x - 1).astype(np.int64)
            level = [str(c) for c in range(1, k + 1)]
            code = np.arange(1, k + 1)
            level_label = list(sc["levels"])
            pos, neg = set(sc.get("positive", [])), set(sc.get("negative", []))
            polarity = [
                "positive" if c in pos else "negative" if c in neg else "neutral" for c in code
            ]
            scale = it["scale"]
        elif kind == "categorical":
            idx = _option_index(survey, it)
            k = len(it["options"])
            idx = np.where(idx < 0, k, idx)
            level = [str(o["id"]) for o in it["options"]]
            code = None
            level_label = [str(o.get("label", o["id"])) for o in it["options"]]
            polarity = None
            scale = pd.NA
        else:
            continue
        tab = np.bincount(
            g[in_group] * (k + 1) + idx[in_group], minlength=n_groups * (k + 1)
        ).reshape(n_groups, k + 1)
        counts, n_missing = tab[:, :k], tab[:, k]
        n = counts.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = 100 * counts / n[:, None]
            pct_missing = 100 * n_missing / (n + n_missing)
        if kind == "likert":
            median = _median_from_counts(code.astype(float), counts)
            pmask = np.array([p == "positive" for p in polarity])
            nmask = np.array([p == "negative" for p in polarity])
            with np.errstate(invalid="ignore", divide="ignore"):
                pct_agree = 100 * counts[:, pmask].sum(axis=1) / n
                pct_disagree = 100 * counts[:, nmask].sum(axis=1) / n
        else:
            median = pct_agree = pct_disagree = np.full(n_groups, np.nan)
        rep = np.repeat
        blocks.append(
            pd.DataFrame(
                {
                    "group_by": group_by,
                    "group": rep(labels, k),
                    "item_id": it["id"],
                    "item_type": kind,
                    "scale": scale,
                    "level": np.tile(level, n_groups),
                    "code": pd.array(
                        np.tile(code, n_groups) if code is not None else [pd.NA] * (n_groups * k),
                        dtype="Int64",
                    ),
                    "level_label": np.tile(level_label, n_groups),
                    "polarity": np.tile(polarity, n_groups)
                    if polarity is not None
                    else [pd.NA] * (n_groups * k),
                    "count": counts.ravel(),
                    "percent": percent.ravel(),
                    "n": rep(n, k),
                    "n_missing": rep(n_missing, k),
                    "pct_missing": rep(pct_missing, k),
                    "median": rep(median, k),
                    "pct_agree": rep(pct_agree, k),
                    "pct_disagree": rep(pct_disagree, k),
                }
            )
        )
    if not blocks:
        return pd.DataFrame(columns=DIST_COLUMNS)
    out = pd.concat(blocks, ignore_index=True)
    for col in ("group_by", "group", "item_id", "item_type", "scale", "level", "level_label"):
        out[col] = out[col].astype("string")
    out["polarity"] = out["polarity"].astype("string")
    out[["count", "n", "n_missing"]] = out[["count", "n", "n_missing"]].astype("int64")
    return out[DIST_COLUMNS]


def controlled_distributions(dist: pd.DataFrame, rule) -> pd.DataFrame:
    """Disclosure-controlled version of an :func:`item_distributions` table.

    Each (group_by, item) block is controlled as one group x level crosstab with
    :func:`analysis.core.disclosure.control_crosstab` (primary + secondary suppression, rounding,
    totals from unrounded counts); for a grouped block the totals row is kept as group
    ``"all"`` so the overall figures published beside the groups are consistent with them.
    (Publishing a separately controlled ``overall`` table next to a grouped one can let a
    cell be recovered by differencing across the tables: prefer the ``"all"`` rows.)

    ``count`` and ``n`` are the controlled counts (Int64, <NA> = suppressed); ``percent``,
    ``pct_agree``, ``pct_disagree`` are computed from the ROUNDED counts (<NA> when a part
    is suppressed); ``n_missing`` is controlled as a group x 1 table with its "all" total
    (secondary suppression included) and ``pct_missing`` is computed from rounded values; ``median`` is suppressed (NaN) when it rests on fewer
    than ``rule.min_count`` answers.
    """
    from analysis.core.disclosure import control_counts, control_crosstab, suppress_small_base

    missing_cols = set(DIST_COLUMNS) - set(dist.columns)
    if missing_cols:
        raise KeyError(f"distribution table lacks columns {sorted(missing_cols)}")
    total_label = "\x00all"  # cannot clash with a group value
    out_blocks = []
    for (group_by, item_id), blk in dist.groupby(["group_by", "item_id"], sort=False):
        levels = list(dict.fromkeys(blk["level"]))
        groups = list(dict.fromkeys(blk["group"]))
        if "all" in groups and group_by != "overall":
            raise ValueError(f"item {item_id}: a group of {group_by!r} is called 'all'")
        raw = (
            blk.pivot(index="group", columns="level", values="count")
            .reindex(index=groups, columns=levels)
            .astype("int64")
        )
        ctab = control_crosstab(raw, rule, row_total=total_label, col_total="n")
        first = blk.drop_duplicates("group").set_index("group")
        miss_raw = first["n_missing"].reindex(groups)
        if group_by == "overall":
            ctab = ctab.drop(index=total_label)
            row_groups = groups
        else:
            ctab = ctab.rename(index={total_label: "all"})
            row_groups = [*groups, "all"]
            miss_raw = pd.concat([miss_raw, pd.Series([miss_raw.sum()], index=["all"])])
        raw_tot = raw.copy()
        if group_by != "overall":
            raw_tot.loc["all"] = raw.sum(axis=0)
        if group_by == "overall":
            n_missing = control_counts(miss_raw, rule)
        else:  # the "all" row is a published total of the groups' missing counts
            mtab = control_crosstab(
                miss_raw.iloc[:-1].to_frame("m").astype("int64"), rule, row_total="all"
            )
            n_missing = mtab["m"]
        template = blk[blk["group"] == groups[0]].reset_index(drop=True)
        for grp in row_groups:
            row = template.copy()
            row["group"] = grp
            counts = ctab.loc[grp, levels].astype("Int64").reset_index(drop=True)
            n_ctl = ctab.loc[grp, "n"]
            row["count"] = counts.to_numpy()
            row["n"] = pd.array([n_ctl] * len(levels), dtype="Int64")
            base = pd.NA if pd.isna(n_ctl) or n_ctl == 0 else int(n_ctl)
            row["percent"] = (counts.astype("Float64") * 100 / base).to_numpy()
            nm = n_missing.loc[grp]
            row["n_missing"] = pd.array([nm] * len(levels), dtype="Int64")
            denom = n_ctl + nm if not (pd.isna(n_ctl) or pd.isna(nm)) else pd.NA
            pm = pd.NA if pd.isna(denom) or denom == 0 else float(nm) * 100 / float(denom)
            row["pct_missing"] = pd.array([pm] * len(levels), dtype="Float64")
            n_raw = int(raw_tot.loc[grp].sum())
            if template["item_type"].iloc[0] == "likert":
                med = _median_from_counts(
                    template["code"].astype(float).to_numpy(),
                    raw_tot.loc[grp].to_numpy()[None, :],
                )[0]
                med = suppress_small_base(med, n_raw, rule)
                agree = []
                for pol in ("positive", "negative"):
                    part = counts[(template["polarity"] == pol).to_numpy()]
                    if pd.isna(base) or not base or part.isna().any():
                        agree.append(pd.NA)
                    else:
                        agree.append(float(part.sum()) * 100 / float(base))
            else:
                med, agree = float("nan"), [pd.NA, pd.NA]
            row["median"] = med
            row["pct_agree"] = pd.array([agree[0]] * len(levels), dtype="Float64")
            row["pct_disagree"] = pd.array([agree[1]] * len(levels), dtype="Float64")
            out_blocks.append(row)
    if not out_blocks:
        return dist.iloc[0:0].copy()
    out = pd.concat(out_blocks, ignore_index=True)
    for col in ("count", "n", "n_missing"):
        out[col] = out[col].astype("Int64")
    for col in ("percent", "pct_missing", "pct_agree", "pct_disagree"):
        out[col] = out[col].astype("Float64")
    out["group"] = out["group"].astype("string")
    return out[DIST_COLUMNS]


# --------------------------------------------------------------------------- constructs


def construct_scores(
    survey: pd.DataFrame, questionnaire: dict, min_answered: float = 0.5
) -> pd.DataFrame:
    """Construct score per response: mean of its Likert items after reversing reverse-keyed ones.

    Missing-data policy: the score is the mean of the items the respondent answered, and is
    given only when they answered at least ``min_answered`` (a fraction, default one half)
    of the construct's items; otherwise NA. Scores are on the 1..k code scale (treating
    codes as interval: say so where they are reported).

    Returns the id columns present in ``survey`` followed by one float column per construct.
    """
    rev = reverse_items(survey, questionnaire)
    out = survey[[c for c in ID_COLUMNS if c in survey.columns]].copy()
    for c, members in _constructs(questionnaire):
        mat = np.column_stack(
            [_likert_codes(rev, it, len(_scale(questionnaire, it)["levels"])) for it in members]
        )
        answered = (~np.isnan(mat)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.nansum(mat, axis=1) / answered
        score[answered < min_answered * len(members)] = np.nan
        out[c["id"]] = score
    return out


def _feldt_ci(alpha: float, n: int, k: int, ci: float) -> tuple[float, float]:
    """Feldt, Woodruff & Salih (1987) interval for coefficient alpha (as in pingouin)."""
    from scipy.stats import f

    if not np.isfinite(alpha) or n < 2 or k < 2:
        return (math.nan, math.nan)
    a = 1 - ci
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - alpha) * f.isf(a / 2, df1, df2), 1 - (1 - alpha) * f.isf(1 - a / 2, df1, df2))


def construct_reliability(
    survey: pd.DataFrame,
    questionnaire: dict,
    missing: str = "pairwise",
    by: str | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Cronbach's alpha and its Feldt confidence interval for every construct.

    Items are reversed where reverse-keyed, then passed to ``pingouin.cronbach_alpha``.
    ``missing``:

    * ``"pairwise"``: each covariance uses the respondents who answered both items
      (pingouin ``nan_policy="pairwise"``, R ``psych::alpha(use="pairwise")``); respondents
      who answered none of the construct's items are dropped, and ``n`` (used for the CI) is
      the number left;
    * ``"listwise"``: only respondents who answered every item of the construct
      (R ``use="complete.obs"``). Deletion is done here, before calling pingouin, so that the
      Feldt interval uses the complete-case ``n`` (pingouin would use the pre-deletion n).

    Columns: ``construct, group_by, group, n_items, n, alpha, ci_low, ci_high, missing``;
    alpha is NaN when fewer than 2 respondents or items are usable, or when the total score
    has no variance (alpha's denominator is zero).
    """
    import pingouin as pg

    if missing not in ("pairwise", "listwise"):
        raise ValueError("missing must be 'pairwise' or 'listwise'")
    group_by, g, labels = _groups(survey, by)
    rev = reverse_items(survey, questionnaire)
    rows = []
    for c, members in _constructs(questionnaire):
        mat = np.column_stack(
            [_likert_codes(rev, it, len(_scale(questionnaire, it)["levels"])) for it in members]
        )
        for gi, label in enumerate(labels):
            sub = mat[g == gi]
            keep = (
                ~np.isnan(sub).any(axis=1) if missing == "listwise" else ~np.isnan(sub).all(axis=1)
            )
            sub = sub[keep]
            n, k = sub.shape
            alpha = math.nan
            if n >= 2 and k >= 2:
                df = pd.DataFrame(sub, columns=[it["id"] for it in members])
                # every respondent gave the same answers: the total score has no variance and
                # alpha is undefined (pingouin would return -inf with a RuntimeWarning)
                with np.errstate(divide="ignore", invalid="ignore"):
                    alpha = float(pg.cronbach_alpha(data=df, nan_policy="pairwise", ci=ci)[0])
                if not math.isfinite(alpha):
                    alpha = math.nan
            lo, hi = _feldt_ci(alpha, n, k, ci)
            rows.append(
                {
                    "construct": c["id"],
                    "group_by": group_by,
                    "group": label,
                    "n_items": k,
                    "n": n,
                    "alpha": alpha,
                    "ci_low": lo,
                    "ci_high": hi,
                    "missing": missing,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "construct",
            "group_by",
            "group",
            "n_items",
            "n",
            "alpha",
            "ci_low",
            "ci_high",
            "missing",
        ],
    )


# --------------------------------------------------------------------------- comparisons
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

    _, g, labels = _groups(data, between)
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

    _, g, labels = _groups(data, between)
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

    _, g, labels = _groups(survey, between)
    chosen = (
        _items(questionnaire, "categorical")
        if items is None
        else _items(questionnaire, None, items)
    )
    rows = []
    for it in chosen:
        if it.get("type") == "categorical":
            idx = _option_index(survey, it)
            k = len(it["options"])
        else:
            k = len(_scale(questionnaire, it)["levels"])
            x = _likert_codes(survey, it, k)
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


# --------------------------------------------------------------------------- data quality


def missingness_summary(
    survey: pd.DataFrame, questionnaire: dict, missing: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Answered / missing counts per item, with reasons from ``survey_missing.csv`` if given.

    ``missing`` is the long table ``response_id, item_id, reason`` (an ``authority`` column,
    when present in both tables, is used in the join). Reason columns ``n_<reason>`` cover
    ``not_answered, dont_know, prefer_not_to_say`` plus any other reason in the table (sorted);
    only rows whose item is actually missing in ``survey`` are counted, and
    ``n_missing_unexplained`` is the number of missing answers with no reason recorded.
    Without ``missing`` the reason columns are <NA>.

    Columns: ``item_id, n_responses, n_answered, n_missing, pct_missing, n_<reason>…,
    n_missing_unexplained``.
    """
    items = _items(questionnaire)
    reasons = list(MISSING_REASONS)
    if missing is not None:
        extra = sorted(set(missing["reason"].dropna().astype(str)) - set(reasons))
        reasons += extra
    keys = ["authority", "response_id"]
    if missing is None or not all(k in missing.columns for k in keys) or "authority" not in survey:
        keys = ["response_id"]
    n_resp = len(survey)
    rows = []
    long = None
    if missing is not None:
        ids = survey[keys].astype("string")
        item_cols = [it["id"] for it in items]
        isna = survey[item_cols].isna()
        is_missing = pd.concat([ids, isna], axis=1).melt(
            id_vars=keys, var_name="item_id", value_name="is_missing"
        )
        m = missing[[*keys, "item_id", "reason"]].astype("string")
        long = m.merge(is_missing, on=[*keys, "item_id"], how="inner")
        long = long[long["is_missing"]]
        long = long.drop_duplicates([*keys, "item_id"])
        counts = long.groupby(["item_id", "reason"]).size()
    for it in items:
        n_miss = int(_column(survey, it["id"]).isna().sum())
        row = {
            "item_id": it["id"],
            "n_responses": n_resp,
            "n_answered": n_resp - n_miss,
            "n_missing": n_miss,
            "pct_missing": 100 * n_miss / n_resp if n_resp else math.nan,
        }
        explained = 0
        for r in reasons:
            v = pd.NA if long is None else int(counts.get((it["id"], r), 0))
            row[f"n_{r}"] = v
            explained += 0 if v is pd.NA else v
        row["n_missing_unexplained"] = pd.NA if long is None else n_miss - explained
        rows.append(row)
    cols = ["item_id", "n_responses", "n_answered", "n_missing", "pct_missing"]
    cols += [f"n_{r}" for r in reasons] + ["n_missing_unexplained"]
    out = pd.DataFrame(rows, columns=cols)
    for c in [f"n_{r}" for r in reasons] + ["n_missing_unexplained"]:
        out[c] = out[c].astype("Int64")
    return out


def straightlining(
    survey: pd.DataFrame, questionnaire: dict, min_items: int = 5, by: str | None = None
) -> pd.DataFrame:
    """Share of respondents who gave the same code to every Likert item they answered.

    Only respondents who answered at least ``min_items`` Likert items are eligible. Codes
    are taken as answered (before reversing), so a respondent who agrees with both a
    positively and a reverse-keyed item is flagged: that is the data-quality signal.

    Columns: ``group_by, group, n_eligible, n_straightlined, pct_straightlined``.
    """
    group_by, g, labels = _groups(survey, by)
    likert = _items(questionnaire, "likert")
    mat = np.column_stack(
        [_likert_codes(survey, it, len(_scale(questionnaire, it)["levels"])) for it in likert]
    )
    answered = (~np.isnan(mat)).sum(axis=1)
    eligible = answered >= min_items
    lo = np.where(np.isnan(mat), np.inf, mat).min(axis=1)
    hi = np.where(np.isnan(mat), -np.inf, mat).max(axis=1)
    flat = eligible & (lo == hi)
    rows = []
    for gi, label in enumerate(labels):
        sel = g == gi
        ne, ns = int(eligible[sel].sum()), int(flat[sel].sum())
        rows.append(
            {
                "group_by": group_by,
                "group": label,
                "n_eligible": ne,
                "n_straightlined": ns,
                "pct_straightlined": 100 * ns / ne if ne else math.nan,
            }
        )
    return pd.DataFrame(
        rows, columns=["group_by", "group", "n_eligible", "n_straightlined", "pct_straightlined"]
    )
