"""Data quality of the survey answers: missingness by reason, and straight-lining.

Both return RAW counts; the published versions are controlled in :mod:`analysis.survey.publish`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.survey.answers import group_codes, item_column, likert_matrix

__all__ = ["MISSING_REASONS", "missingness_summary", "straightlining"]

# the reasons the analysis always reports, whatever the questionnaire's missing labels
MISSING_REASONS = ("not_answered", "dont_know", "prefer_not_to_say")


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
    items = qn.items(questionnaire)
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
        n_miss = int(item_column(survey, it["id"]).isna().sum())
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
    group_by, g, labels = group_codes(survey, by)
    likert = qn.items(questionnaire, "likert")
    mat = likert_matrix(survey, questionnaire, likert)
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
