"""Construct agreement: the share of respondents who agree, on average, with each construct.

Written by the survey stage as a raw internal table (``construct_agreement.csv``); the journeys
stage reads that table as survey evidence of data maturity and publishes it under disclosure
control.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.survey.questionnaire import item_scale, likert_constructs
from analysis.survey.reliability import construct_scores


def construct_agreement(
    survey: pd.DataFrame, questionnaire: dict, *, min_answered: float = 0.5
) -> pd.DataFrame:
    """Per cent of respondents who agree with each construct: the survey evidence of maturity.

    A respondent's construct score is the mean of the construct's Likert items after
    reversing reverse-keyed ones (:func:`analysis.survey.reliability.construct_scores`, which
    gives no score when fewer than ``min_answered`` of the items were answered). The
    respondent *agrees* with the construct when the score reaches the lowest ``positive``
    code of the items' scale (4 = "Agree" on the five-point agreement scale), i.e. agrees on
    average -- the construct-level analogue of the "% agree" (top-two-box) summary of a Likert
    item recommended for reporting Likert data (``docs/reference/research-methods.md``,
    "Likert survey data").

    Returns RAW columns ``authority, construct, label, research_question, n`` (respondents
    with a score), ``n_agree``, ``pct_agree`` (NaN when n = 0); one row per authority in
    ``survey`` and questionnaire construct with Likert items, in questionnaire order. Publish
    ``n`` and ``n_agree`` only through :mod:`analysis.core.disclosure`.
    """
    scores = construct_scores(survey, questionnaire, min_answered=min_answered)
    rows = []
    for c, members in likert_constructs(questionnaire):
        # items may use different scales (agreement, satisfaction) when these share the
        # number of levels and the first positive code
        shapes = set()
        for m in members:
            sc = item_scale(questionnaire, m)
            if not sc.get("positive"):
                raise ValueError(
                    f"questionnaire scale {m['scale']!r}: no 'positive' codes to define agreement"
                )
            shapes.add((len(sc["levels"]), min(int(x) for x in sc["positive"])))
        if len(shapes) != 1:
            raise ValueError(
                f"questionnaire construct {c['id']!r}: its Likert items use scales with "
                "different numbers of levels or positive codes"
            )
        threshold = shapes.pop()[1]
        for auth, g in scores.groupby("authority", sort=True):
            x = g[c["id"]].to_numpy(dtype=float)
            x = x[~np.isnan(x)]
            n, n_agree = len(x), int((x >= threshold).sum())
            rows.append(
                {
                    "authority": str(auth),
                    "construct": c["id"],
                    "label": c.get("label", c["id"]),
                    "research_question": c.get("research_question", ""),
                    "n": n,
                    "n_agree": n_agree,
                    "pct_agree": 100.0 * n_agree / n if n else np.nan,
                }
            )
    cols = ["authority", "construct", "label", "research_question", "n", "n_agree", "pct_agree"]
    out = pd.DataFrame(rows, columns=cols)
    order = {c["id"]: i for i, (c, _) in enumerate(likert_constructs(questionnaire))}
    out["_c"] = out["construct"].map(order)
    out = out.sort_values(["authority", "_c"], kind="stable").drop(columns="_c")
    return out.reset_index(drop=True)
