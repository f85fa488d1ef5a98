"""Ingest of data-journey registers (one row per data stream and stage)."""

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
from analysis.core.vocabulary import STAGES
from analysis.ingest.common import pii_gate


def ingest_journeys(
    path: str | Path,
    schema: dict,
    *,
    authority: str,
    sheet: str = "Register",
    extra_patterns: Sequence = (),
    display: str | None = None,
) -> pd.DataFrame:
    """Validated data-journey register: one row per stream and stage.

    Every cell and header passes the PII gate first (:func:`analysis.ingest.common.pii_gate`):
    the free-text columns (``stream_name``, ``system``, ``security_controls``, ``notes``) are
    published verbatim, so a register naming a person's email or phone number is refused.
    """
    table = read_table(path, sheet=sheet, display=display, columns=schema["properties"])
    pii_gate(table, extra_patterns)
    v = validate_table(table, schema)
    problems = []
    for col in ("stream_name", "source"):
        first = v.groupby("stream_id", sort=False)[col].transform("first")
        for pos in np.flatnonzero(v[col].ne(first).to_numpy()):
            problems.append(
                table.where(
                    pos,
                    col,
                    "differs from an earlier row of the same "
                    "stream_id; expected one value per stream",
                )
            )
    if problems:
        raise InputError(problems)
    v.insert(0, "authority", authority)
    order = {s: i for i, s in enumerate(STAGES)}
    v["_stage_order"] = v["stage"].map(order)
    first_row = v.reset_index().groupby("stream_id")["index"].transform("min")
    v["_stream_order"] = first_row.to_numpy()
    v = v.sort_values(["_stream_order", "_stage_order"], kind="stable")
    return v.drop(columns=["_stage_order", "_stream_order"]).reset_index(drop=True)
