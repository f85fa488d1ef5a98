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
    An item asked of some respondent groups only (``asked_of``) counts only the responses of
    those groups: ``n_responses`` is then the number asked, and a skipped item is not missing.
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
    counts = None
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
        asked = _asked_mask(survey, questionnaire, it)
        n_asked = int(asked.sum()) if asked is not None else n_resp
        col = item_column(survey, it["id"])
        n_miss = int((col.isna() if asked is None else col.isna() & asked).sum())
        row = {
            "item_id": it["id"],
            "n_responses": n_asked,
            "n_answered": n_asked - n_miss,
            "n_missing": n_miss,
            "pct_missing": 100 * n_miss / n_asked if n_asked else math.nan,
        }
        explained = 0
        item_counts = counts if asked is None or long is None else None
        if item_counts is None and long is not None:
            asked_ids = survey.loc[asked, keys].astype("string")
            sub = long[long["item_id"] == it["id"]].merge(asked_ids, on=keys)
            item_counts = sub.groupby(["item_id", "reason"]).size()
        for r in reasons:
            v = pd.NA if long is None else int(item_counts.get((it["id"], r), 0))
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


def _asked_mask(survey: pd.DataFrame, questionnaire: dict, item: dict) -> pd.Series | None:
    """Which responses were asked ``item`` (``None``: all were; see
    :func:`analysis.survey.questionnaire.asked_of`)."""
    groups = qn.asked_of(questionnaire, item)
    if groups is None or "respondent_group" not in survey:
        return None
    return survey["respondent_group"].astype("string").isin(groups).fillna(False).astype(bool)


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
