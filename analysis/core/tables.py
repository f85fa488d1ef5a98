"""Reading input tables and checking them against their schemas, with located errors.

Every problem names the file, sheet, row and column and says what was expected. No message
ever repeats the offending value: it may be personal data.

The input-table schemas live in ``workflow/schemas/*.schema.yaml`` as JSON Schemas describing
one row (``properties``, ``required``, plus the extension keywords ``x-unique`` and
``x-columns``). The ``jsonschema`` package checks that those files are valid schemas (see the
tests); the rows themselves are checked here, column by column with pandas, because
``jsonschema`` validates one instance at a time (too slow for survey exports of 100,000 rows),
knows nothing of sheets or spreadsheet rows, and its messages quote the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.core.problems import (  # noqa: F401 (re-export)
    MAX_PROBLEMS_SHOWN,
    InputError,
    InputProblem,
    RawTable,
    column_letter,
)
from analysis.core.readers import (  # noqa: F401 (re-export)
    open_workbook,
    read_csv_table,
    read_table,
    read_xlsx_table,
)
from analysis.core.text import FORMULA_PREFIXES, parse_bool, safe_text  # noqa: F401 (re-export)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: A number as people type it: an optional sign and pound sign, digits either plain or with
#: commas between groups of exactly three ("1,500", "1,500.25"; never "1,5" or "15,00"), an
#: optional decimal part and exponent.
_TYPED_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)£?(?P<num>(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)$"
)


def parse_number_text(text: pd.Series) -> pd.Series:
    """Numbers typed as text, as floats (NaN where the text is not a number).

    Commas are accepted only as thousands separators in groups of three, so "1,5" (a decimal
    comma) and "15,00" are not numbers rather than 15 and 1500; a leading £ is allowed.
    """
    parts = text.astype(str).str.strip().str.extract(_TYPED_NUMBER.pattern)
    cleaned = parts["sign"] + parts["num"].str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce")
    return values.where(np.isfinite(values))


# --------------------------------------------------------------------------------------------
# Schema-driven checks


def _types(prop: dict) -> list[str]:
    t = prop.get("type", "string")
    return [t] if isinstance(t, str) else list(t)


def validate_table(
    table: RawTable, schema: dict, *, enums: dict[str, list] | None = None
) -> pd.DataFrame:
    """Check ``table`` against a row schema and return it typed.

    Supported keywords per property: ``type`` (string, integer, number, boolean, optionally with
    ``null``), ``enum``, ``minimum``, ``maximum``, ``exclusiveMinimum``, ``pattern``,
    ``minLength``, ``default``. Top level: ``required``, ``additionalProperties`` (false = unknown
    columns are errors), ``x-unique`` (lists of columns whose combination must be unique).
    ``enums`` adds allowed values known only at run time (codes from the codebook, ...).
    """
    enums = enums or {}
    props: dict = schema.get("properties", {})
    required = schema.get("required", [])
    df = table.data
    problems: list[InputProblem] = []

    table.expect(props)
    missing = [c for c in required if c not in df.columns]
    if required and len(missing) == len(required) and len(df.columns):
        raise InputError(
            [
                table.where(
                    None,
                    None,
                    "row 1 holds none of the expected column names; is the header row "
                    f"missing? expected a header row with: {', '.join(required)}",
                )
            ]
        )
    for c in missing:
        problems.append(table.where(None, None, f"has no column '{c}' (a required column)"))
    dupes = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    for c in dupes:
        problems.append(table.where(None, c, "appears more than once in the header row"))
    if schema.get("additionalProperties") is False:
        shown = ", ".join(props)
        for c in df.columns:
            if c not in props:
                problems.append(
                    table.where(None, c, f"is not an expected column; expected only: {shown}")
                )
    if problems:
        raise InputError(problems)
    if df.empty:
        raise InputError([table.where(None, None, "has a header row but no data rows")])

    out = {}
    for col, prop in props.items():
        if col not in df.columns:
            if "default" in prop:
                out[col] = pd.Series([prop["default"]] * len(df), index=df.index)
            continue
        typed, col_problems = _check_column(table, col, df[col], prop, enums.get(col))
        problems += col_problems
        out[col] = typed
    for combo in schema.get("x-unique", []):
        if not all(c in out for c in combo):
            continue
        key = pd.DataFrame({c: out[c] for c in combo})
        dup = key.duplicated(keep="first")
        for pos in np.flatnonzero(dup.to_numpy()):
            problems.append(
                table.where(
                    pos,
                    combo[-1],
                    f"repeats an earlier row's {' + '.join(combo)}; expected each to be unique",
                )
            )
    if problems:
        raise InputError(problems)
    return pd.DataFrame(out, index=df.index)


def _check_column(table: RawTable, col: str, s: pd.Series, prop: dict, extra_enum):
    types = _types(prop)
    nullable = "null" in types
    base = next((t for t in types if t != "null"), "string")
    text = s.astype(str).str.strip()
    empty = text.eq("")
    problems: list[InputProblem] = []
    positions = np.arange(len(s))

    def flag(mask, expected):
        for pos in positions[np.asarray(mask, dtype=bool)]:
            problems.append(table.where(pos, col, expected))

    if not nullable:
        if "default" in prop:
            text = text.where(~empty, str(prop["default"]))
            empty = text.eq("")
        flag(empty, "is empty; a value is required")

    if base == "string":
        allowed = prop.get("enum") or extra_enum
        if allowed is not None:
            allowed_s = [str(a) for a in allowed]
            lower = {a.lower(): a for a in allowed_s}
            canon = text.str.lower().map(lower)
            bad = ~empty & canon.isna()
            shown = ", ".join(allowed_s[:12]) + (" ..." if len(allowed_s) > 12 else "")
            flag(bad, f"is not an allowed value; expected one of: {shown}")
            typed = canon.where(~empty, None)
        else:
            inj = text.str.startswith(FORMULA_PREFIXES) & ~empty
            flag(
                inj,
                "starts with =, +, -, @ or a tab, which spreadsheets run as a formula; "
                "remove the leading character",
            )
            if "pattern" in prop:
                bad = ~empty & ~text.str.fullmatch(prop["pattern"]) & ~inj
                flag(
                    bad, prop.get("x-pattern-hint", f"does not match the pattern {prop['pattern']}")
                )
            if "minLength" in prop:
                flag(~empty & (text.str.len() < prop["minLength"]), "is too short")
            typed = text.where(~empty, None)
        return typed.astype(object), problems

    if base == "boolean":
        typed = text.map(parse_bool)
        flag(~empty & typed.isna(), "expected yes or no")
        return typed.astype(object), problems

    # numbers
    values = parse_number_text(text.where(~empty, ""))
    hint = (
        "; a comma only between groups of three digits, a point for decimals"
        if base != "integer"
        else ""
    )
    flag(
        ~empty & values.isna(),
        f"expected a {'whole ' if base == 'integer' else ''}number{hint}",
    )
    ok = values.notna()
    if base == "integer":
        frac = ok & (values % 1 != 0)
        flag(frac, "expected a whole number")
    if "minimum" in prop:
        flag(
            ok & (values < prop["minimum"]),
            prop.get("x-minimum-hint", f"expected a value ≥ {prop['minimum']}"),
        )
    if "exclusiveMinimum" in prop:
        flag(
            ok & (values <= prop["exclusiveMinimum"]),
            f"expected a value > {prop['exclusiveMinimum']}",
        )
    if "maximum" in prop:
        flag(ok & (values > prop["maximum"]), f"expected a value ≤ {prop['maximum']}")
    if base == "integer":
        return values.round().astype("Int64"), problems
    return values.astype("float64"), problems


def check_no_formula_text(table: RawTable, columns: Iterable[str]) -> None:
    """Refuse text cells that a spreadsheet would run as a formula (CSV injection)."""
    problems = []
    for col in columns:
        text = table.data[col].astype(str).str.strip()
        bad = text.str.startswith(FORMULA_PREFIXES) & ~text.str.fullmatch(_NUMBER.pattern)
        for pos in np.flatnonzero(bad.to_numpy()):
            problems.append(
                table.where(
                    pos,
                    col,
                    "starts with =, +, -, @ or a tab, which spreadsheets run as a formula; "
                    "remove the leading character",
                )
            )
    if problems:
        raise InputError(problems)
