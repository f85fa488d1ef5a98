"""What every ingest function shares: label normalisation, the PII gate (gate 1), id mapping."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.core import pii
from analysis.core.tables import (
    InputError,
    RawTable,
)

MISSING_NOT_ANSWERED = "not_answered"
_PREFIX = re.compile(r"^\s*\(?\d{1,2}\s*[.):\-–]?\s+(?=\D)")


def normalise_label(raw: str) -> str:
    """Lower-case, strip a numeric prefix ("5. Strongly agree"), unify apostrophes and spaces."""
    s = str(raw).replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    s = _PREFIX.sub("", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def pii_gate(table: RawTable, extra_patterns: Sequence = (), columns=None) -> None:
    """Gate 1: refuse the whole file if any header or text cell holds a direct identifier.

    The error names the row, column and kind of identifier, never the value.
    """
    problems = [
        table.where(
            None,
            f.column,
            f"the header names an identifier ({f.kind}); "
            "drop the column in config (drop_columns) or remove it from the file",
        )
        for f in pii.scan_headers(table.data.columns)
    ]
    for f in pii.scan_table(table.data, columns, extra_patterns):
        problems.append(
            table.where(
                f.row,
                f.column,
                f"holds what looks like a {f.kind}; inputs must be anonymised before ingest",
            )
        )
    if problems:
        raise InputError(problems)


def map_ids_or_labels(s: pd.Series, entries: list[dict]) -> pd.Series:
    """Map values given either as ids or labels (any case) to ids; unknown values unchanged."""
    lookup = {}
    for e in entries:
        lookup[normalise_label(e["id"])] = e["id"]
        lookup[normalise_label(e.get("label", e["id"]))] = e["id"]
    norm = s.astype(str).map(normalise_label)
    return norm.map(lookup).where(lambda x: x.notna(), s)
