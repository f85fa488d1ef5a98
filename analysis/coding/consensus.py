"""Consensus coding of each excerpt: the basis of every frequency, quote and SWOT count.

Consensus rule (:func:`consensus_coding`)
-----------------------------------------
1. If an excerpt has adjudication rows (``is_adjudication`` True), the adjudicator's codes are
   the consensus (an adjudication row with an empty code means "no code").
2. Otherwise a code is in the consensus when *every* coder who reviewed the excerpt applied
   it (unanimity among the coders present; missing coders are not counted against it).
3. An excerpt reviewed by a single coder and not adjudicated keeps that coder's codes
   (``basis = "single_coder"``), because projects usually double-code only a sample for the
   reliability check; pass ``single_coder="drop"`` to leave such excerpts out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.coding.sheet import EXCERPT_KEY, normalise_coding

CONSENSUS_COLUMNS = (
    "authority",
    "session_id",
    "excerpt_id",
    "participant_role",
    "code",
    "basis",
    "n_coders",
)


def consensus_coding(coding: pd.DataFrame, *, single_coder: str = "keep") -> pd.DataFrame:
    """Consensus coding of each excerpt, the basis of every frequency and quote.

    Rule (stated in the module docstring): adjudication rows win; otherwise a code counts when
    every coder who reviewed the excerpt applied it; a single-coder excerpt keeps its coder's
    codes (``single_coder="keep"``) or is left out (``"drop"``).

    Returns one row per (excerpt, consensus code) with columns ``authority, session_id,
    excerpt_id, participant_role, code, basis, n_coders``; an excerpt whose consensus has no
    code appears once with ``code`` <NA> so that it still counts in excerpt denominators.
    ``basis`` is ``adjudication``, ``unanimous`` or ``single_coder``; ``n_coders`` counts the
    (non-adjudicating) coders who reviewed the excerpt.
    """
    if single_coder not in ("keep", "drop"):
        raise ValueError("single_coder must be 'keep' or 'drop'")
    df = normalise_coding(coding)
    columns = list(CONSENSUS_COLUMNS)
    if df.empty:
        return _typed_consensus(pd.DataFrame(columns=columns))
    key = list(EXCERPT_KEY)
    excerpts = df.drop_duplicates(key)[key + ["session_id", "participant_role"]]
    independent = df[~df["is_adjudication"]]
    n_coders = independent.groupby(key)["coder"].nunique().rename("n_coders")
    adjudicated = df.loc[df["is_adjudication"], key].drop_duplicates().assign(_adj=True)
    excerpts = (
        excerpts.merge(n_coders.reset_index(), on=key, how="left")
        .merge(adjudicated, on=key, how="left")
        .fillna({"n_coders": 0, "_adj": False})
    )
    excerpts["basis"] = np.where(
        excerpts["_adj"].astype(bool),
        "adjudication",
        np.where(excerpts["n_coders"] > 1, "unanimous", "single_coder"),
    )
    if single_coder == "drop":
        excerpts = excerpts[excerpts["basis"] != "single_coder"]

    # Codes from the adjudicator (rule 1).
    adj_codes = df.loc[df["is_adjudication"], key + ["code"]].dropna().drop_duplicates()
    # Codes every reviewing coder applied (rules 2 and 3).
    k = independent.dropna(subset=["code"]).groupby(key + ["code"])["coder"].nunique()
    unanimous = k.rename("_k").reset_index().merge(n_coders.reset_index(), on=key)
    unanimous = unanimous.loc[unanimous["_k"] == unanimous["n_coders"], key + ["code"]]
    unanimous = unanimous.merge(adjudicated, on=key, how="left")
    unanimous = unanimous.loc[unanimous["_adj"].isna(), key + ["code"]]
    codes = pd.concat([adj_codes, unanimous], ignore_index=True)

    out = excerpts.merge(codes, on=key, how="left")
    out = out.sort_values(key + ["code"], na_position="first", kind="stable")
    return _typed_consensus(out[columns])


def _typed_consensus(df: pd.DataFrame) -> pd.DataFrame:
    out = df.astype({c: "string" for c in df.columns if c != "n_coders"})
    out["n_coders"] = out["n_coders"].astype("int64")
    return out.reset_index(drop=True)
