"""Reading answers out of the wide survey table: Likert codes, option indices, groups.

Input is the validated wide survey table of ``docs/data-contracts.md`` (``survey.csv``:
``authority, response_id, respondent_group, wave`` then one column per questionnaire item;
Likert items hold codes 1..k of their scale, categorical items an option id, missing = NA).
Every statistic of the stage reads its columns through these helpers, so a code outside the
scale or an unknown option id is refused in one place, with the item named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn

__all__ = [
    "ID_COLUMNS",
    "group_codes",
    "item_column",
    "likert_codes",
    "likert_matrix",
    "option_index",
    "reverse_items",
]

ID_COLUMNS = ("authority", "response_id", "respondent_group", "wave")


def item_column(survey: pd.DataFrame, item_id: str) -> pd.Series:
    """The survey column of one item; KeyError naming the item when there is none."""
    if item_id not in survey.columns:
        raise KeyError(f"survey table has no column for item {item_id}")
    return survey[item_id]


def likert_codes(survey: pd.DataFrame, item: dict, k: int) -> np.ndarray:
    """Item column as float codes (NaN = missing); refuse codes outside 1..k."""
    s = item_column(survey, item["id"])
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


def likert_matrix(survey: pd.DataFrame, questionnaire: dict, members: list[dict]) -> np.ndarray:
    """Responses x items array of the Likert codes of ``members`` (NaN = missing)."""
    return np.column_stack(
        [
            likert_codes(survey, it, len(qn.item_scale(questionnaire, it)["levels"]))
            for it in members
        ]
    )


def option_index(survey: pd.DataFrame, item: dict) -> np.ndarray:
    """Categorical item as option index 0..m-1 (-1 = missing); refuse unknown option ids."""
    ids = [str(o["id"]) for o in item["options"]]
    s = item_column(survey, item["id"]).astype("string")
    unknown = s.notna() & ~s.isin(ids)
    if unknown.any():
        raise ValueError(
            f"column {item['id']}: {int(unknown.sum())} value(s) are not option ids of the item"
        )
    return np.asarray(pd.Categorical(s, categories=ids).codes, dtype=np.int64)


def group_codes(survey: pd.DataFrame, by: str | None) -> tuple[str, np.ndarray, list[str]]:
    """(group_by name, integer code per row with -1 = no group, sorted group labels).

    ``by=None`` is one group ``"all"`` named ``"overall"``.
    """
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
    for it in qn.items(questionnaire, "likert"):
        if it.get("reverse"):
            k = len(qn.item_scale(questionnaire, it)["levels"])
            x = likert_codes(survey, it, k)
            out[it["id"]] = pd.array(np.where(np.isnan(x), np.nan, k + 1 - x), dtype="Int64")
    return out
