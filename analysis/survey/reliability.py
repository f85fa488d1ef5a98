"""Construct scores and their reliability: Cronbach's alpha with the Feldt interval.

* Construct score: mean of the construct's Likert items after reversing reverse-keyed items
  (``k + 1 - code``); a respondent gets a score only when they answered at least
  ``min_answered`` (default half) of the construct's items, otherwise NA.
* Cronbach's alpha: ``pingouin.cronbach_alpha`` (Cronbach 1951); Feldt, Woodruff & Salih
  (1987) confidence interval, computed here unrounded with the same formula pingouin uses.

Every function returns RAW, unrounded statistics; disclosure control is the caller's job.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.survey.answers import ID_COLUMNS, group_codes, likert_matrix, reverse_items

__all__ = ["construct_reliability", "construct_scores"]


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
    for c, members in qn.likert_constructs(questionnaire):
        mat = likert_matrix(rev, questionnaire, members)
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
    group_by, g, labels = group_codes(survey, by)
    rev = reverse_items(survey, questionnaire)
    rows = []
    for c, members in qn.likert_constructs(questionnaire):
        mat = likert_matrix(rev, questionnaire, members)
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
