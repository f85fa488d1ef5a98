"""Ingest of workshop and interview coding sheets (one row per excerpt, coder and code)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.tables import (
    InputError,
    read_table,
    validate_table,
)
from analysis.ingest.common import (
    map_ids_or_labels,
    pii_gate,
)


def ingest_coding(
    path: str | Path,
    codebook: dict,
    schema: dict,
    *,
    authority: str,
    sheet: str = "Coding",
    extra_patterns: Sequence = (),
    display: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated coding table (one row per excerpt x coder x code) and excerpts table.

    The excerpts table carries each excerpt's ``session_participants`` (the attendance of its
    session, one value per session), which the coding stage's disclosure rule needs."""
    table = read_table(path, sheet=sheet, display=display, columns=schema["properties"])
    pii_gate(table, extra_patterns)
    df = table.data
    if "participant_role" in df:
        df["participant_role"] = map_ids_or_labels(
            df["participant_role"], codebook["participant_roles"]
        )
    if "code" in df:
        df["code"] = map_ids_or_labels(df["code"], codebook["codes"])
    v = validate_table(
        table,
        schema,
        enums={
            "participant_role": [r["id"] for r in codebook["participant_roles"]],
            "code": [c["id"] for c in codebook["codes"]],
        },
    )
    problems = []
    excerpt_cols = ["session_id", "participant_role", "cleared_for_publication", "text"]
    first = v.groupby("excerpt_id", sort=False)[excerpt_cols].transform("first")
    for col in excerpt_cols:
        differs = v[col].astype(str).ne(first[col].astype(str))
        for pos in np.flatnonzero(differs.to_numpy()):
            problems.append(
                table.where(
                    pos,
                    col,
                    "differs from an earlier row of the same "
                    "excerpt_id; expected one value per excerpt",
                )
            )
    # a session has one attendance: every row of a session gives the same number of people
    first_n = v.groupby("session_id", sort=False)["session_participants"].transform("first")
    differs = v["session_participants"].astype(str).ne(first_n.astype(str))
    for pos in np.flatnonzero(differs.to_numpy()):
        problems.append(
            table.where(
                pos,
                "session_participants",
                "differs from an earlier row of the same session_id; expected one number of "
                "participants per session",
            )
        )
    # one "no code" row and coded rows for the same excerpt and coder contradict each other
    key = v[["excerpt_id", "coder"]].astype(str).agg("\x1f".join, axis=1)
    has_empty = v["code"].isna()
    mixed = key.isin(set(key[has_empty])) & key.isin(set(key[~has_empty])) & has_empty
    for pos in np.flatnonzero(mixed.to_numpy()):
        problems.append(
            table.where(
                pos,
                "code",
                "is empty but the same coder applied codes to "
                "this excerpt in other rows; remove the empty row",
            )
        )
    if problems:
        raise InputError(problems)
    coding = pd.DataFrame(
        {
            "authority": authority,
            "session_id": v["session_id"],
            "excerpt_id": v["excerpt_id"],
            "participant_role": v["participant_role"],
            "coder": v["coder"],
            "is_adjudication": v["adjudication"].astype(bool),
            "code": v["code"],
        }
    )
    excerpts = v.drop_duplicates("excerpt_id")[
        [
            "session_id",
            "session_participants",
            "excerpt_id",
            "participant_role",
            "cleared_for_publication",
            "text",
        ]
    ].assign(authority=authority)
    excerpts["cleared_for_publication"] = excerpts["cleared_for_publication"].astype(bool)
    excerpts["session_participants"] = excerpts["session_participants"].astype("int64")
    excerpts = excerpts[
        [
            "authority",
            "session_id",
            "session_participants",
            "excerpt_id",
            "participant_role",
            "cleared_for_publication",
            "text",
        ]
    ]
    return coding.reset_index(drop=True), excerpts.reset_index(drop=True)
