"""What every ingest function shares: label normalisation, the PII gate (gate 1), id mapping."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.core import pii
from analysis.core.problems import column_letter
from analysis.core.tables import (
    InputError,
    InputProblem,
    RawTable,
)

MISSING_NOT_ANSWERED = "not_answered"
_PREFIX = re.compile(r"^\s*\(?\d{1,2}\s*[.):\-–]?\s+(?=\D)")


def normalise_label(raw: str) -> str:
    """Lower-case, strip a numeric prefix ("5. Strongly agree"), unify apostrophes and spaces."""
    s = str(raw).replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    s = _PREFIX.sub("", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def _column_place(table: RawTable, position: int) -> str:
    """ "column 3 (C)": where a column is, without its header (which may hold the identifier)."""
    pos = table.positions.get(str(table.data.columns[position]), position)  # in the file
    return f"column {pos + 1} ({column_letter(pos)})"


def pii_gate(table: RawTable, extra_patterns: Sequence = (), columns=None) -> None:
    """Gate 1: refuse the whole file if the sheet name, any header or any text cell of
    ``columns`` (default: all) holds a direct identifier, or a header names one.

    Errors name the file, sheet, row and column and the kind of identifier, never the value:
    a header that holds an identifier is located by column number (and letter), and so are the
    cells under it; a sheet name that holds one is not repeated in any message.
    """
    sheet_kinds = pii.find_identifiers_in_text(table.sheet or "", extra_patterns)
    if sheet_kinds:
        raise InputError(
            [
                InputProblem(
                    table.file,
                    f"the name of the sheet read holds what looks like {pii.with_article(k)}; "
                    "rename the sheet (and the sheet named in config)",
                )
                for k in sheet_kinds
            ]
        )
    held = pii.scan_header_values(table.data.columns, extra_patterns)
    hidden = {f.column for f in held}  # headers never repeated, nor their cells' column name
    problems = [
        table.where(
            None,
            None,
            f"the header of {_column_place(table, f.position)} holds what looks like "
            f"{pii.with_article(f.kind)}; headers must not hold personal data",
        )
        for f in held
    ]
    for f in pii.scan_headers(table.data.columns):
        expected = (
            f"the header names an identifier ({f.kind}); "
            "drop the column in config (drop_columns) or remove it from the file"
        )
        if f.column in hidden:
            problems.append(
                table.where(None, None, f"{_column_place(table, f.position)}: {expected}")
            )
        else:
            problems.append(table.where(None, f.column, expected))
    for f in pii.scan_table(table.data, columns, extra_patterns):
        expected = (
            f"holds what looks like {pii.with_article(f.kind)}; "
            "inputs must be anonymised before ingest"
        )
        if f.column in hidden:
            problems.append(
                table.where(f.row, None, f"{_column_place(table, f.position)} {expected}")
            )
        else:
            problems.append(table.where(f.row, f.column, expected))
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
