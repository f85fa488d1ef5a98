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

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.text import FORMULA_PREFIXES, parse_bool, safe_text  # noqa: F401 (re-export)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    expected: str
    sheet: str | None = None
    row: int | None = None  # 1-based row as a spreadsheet or text editor shows it
    column: str | None = None
    column_letter: str | None = None  # spreadsheet column letter, for .xlsx inputs

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            where.append(f"column '{self.column}'{letter}")
        return f"{', '.join(where)}: {self.expected}"


class InputError(ValueError):
    """Raised when an input fails validation; carries every problem found."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if n > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more of the same kinds")
        return "\n".join(lines)


@dataclass
class RawTable:
    """A table read as text, with what is needed to locate a cell in the source file."""

    data: pd.DataFrame  # every cell a str ("" when empty); columns as in the header row
    file: str
    sheet: str | None = None
    file_rows: list[int] = field(default_factory=list)  # file row (1-based) of each data row
    column_letters: dict[str, str] = field(default_factory=dict)

    def where(self, row_pos: int | None = None, column: str | None = None, expected: str = ""):
        row = None if row_pos is None else self.file_rows[int(row_pos)]
        letter = self.column_letters.get(column) if column is not None else None
        return InputProblem(self.file, expected, self.sheet, row, column, letter)


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def read_csv_table(path: str | Path, *, header_rows: int = 1, display: str | None = None):
    """Read a CSV as text. Refuses empty files, non-UTF-8 text and a wrong delimiter."""
    path = Path(path)
    name = display or str(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError([InputProblem(name, "the file is empty; expected a header row and data")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                InputProblem(
                    name, "is not UTF-8 text; save it as 'CSV UTF-8 (comma delimited)'", row=line
                )
            ]
        ) from None
    first_line = text.splitlines()[0]
    if "," not in first_line:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if delim in first_line:
                raise InputError(
                    [
                        InputProblem(
                            name, f"columns are separated by {label}; expected commas", row=1
                        )
                    ]
                )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if len(rows) < header_rows:
        raise InputError([InputProblem(name, f"expected {header_rows} header row(s)")])
    header = [h.strip() for h in rows[0]]
    body = rows[header_rows:]
    problems = []
    for i, r in enumerate(body):
        if len(r) != len(header) and any(c.strip() for c in r):
            problems.append(
                InputProblem(
                    name,
                    f"has {len(r)} cells; the header has {len(header)} (check delimiters and quotes)",
                    row=i + header_rows + 1,
                )
            )
    if problems:
        raise InputError(problems)
    kept = [
        (i, r + [""] * (len(header) - len(r)))
        for i, r in enumerate(body)
        if any(c.strip() for c in r)
    ]
    df = pd.DataFrame([r for _, r in kept], columns=header, dtype=object)
    return RawTable(df, name, None, [i + header_rows + 1 for i, _ in kept], {})


def read_xlsx_table(
    path: str | Path,
    sheet: str,
    *,
    header_rows: int = 1,
    display: str | None = None,
    workbook=None,
):
    """Read one sheet of an .xlsx as text (numbers as their shortest repr).

    A formula cell is read as its saved value; a formula with no saved value is an error (the
    pipeline does not evaluate spreadsheet formulas).
    """
    from openpyxl import load_workbook

    path = Path(path)
    name = display or str(path)
    if workbook is None:
        workbook = open_workbook(path, display=name)
    wb_values, wb_formulas = workbook
    if sheet not in wb_values.sheetnames:
        raise InputError(
            [
                InputProblem(
                    name, f"has no sheet '{sheet}'; it has {', '.join(wb_values.sheetnames)}"
                )
            ]
        )
    del load_workbook
    ws_v, ws_f = wb_values[sheet], wb_formulas[sheet]
    values = list(ws_v.iter_rows(values_only=True))
    formulas = list(ws_f.iter_rows(values_only=True))
    if not values or all(v is None for v in values[0]):
        raise InputError([InputProblem(name, "has no header row in row 1", sheet=sheet)])
    header_cells = list(values[0])
    while header_cells and header_cells[-1] is None:
        header_cells.pop()
    header = [("" if h is None else str(h)).strip() for h in header_cells]
    ncol = len(header)
    problems, body = [], []
    for i, (rv, rf) in enumerate(zip(values[header_rows:], formulas[header_rows:], strict=False)):
        rv = list(rv[:ncol]) + [None] * max(0, ncol - len(rv))
        rf = list(rf[:ncol]) + [None] * max(0, ncol - len(rf))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in rv) and all(
            f is None for f in rf
        ):
            continue
        cells = []
        for j, (v, f) in enumerate(zip(rv, rf, strict=True)):
            if isinstance(f, str) and f.startswith("=") and v is None:
                problems.append(
                    InputProblem(
                        name,
                        "holds a formula with no saved value; type the value, or open and save "
                        "the workbook in a spreadsheet program",
                        sheet,
                        i + header_rows + 1,
                        header[j],
                        _column_letter(j),
                    )
                )
            cells.append(_cell_text(v))
        body.append((i, cells))
    if problems:
        raise InputError(problems)
    df = pd.DataFrame([c for _, c in body], columns=header, dtype=object)
    letters = {h: _column_letter(j) for j, h in enumerate(header)}
    return RawTable(df, name, sheet, [i + header_rows + 1 for i, _ in body], letters)


def open_workbook(path: str | Path, *, display: str | None = None):
    """Open an .xlsx twice (saved values, formulas), read-only. Refuses files that are not xlsx."""
    import zipfile

    from openpyxl import load_workbook

    path = Path(path)
    name = display or str(path)
    if path.stat().st_size == 0:
        raise InputError([InputProblem(name, "the file is empty; expected an .xlsx workbook")])
    if not zipfile.is_zipfile(path):
        raise InputError(
            [InputProblem(name, "is not an .xlsx workbook (Excel 2007+); save it as .xlsx")]
        )
    try:
        return (
            load_workbook(path, data_only=True, read_only=False),
            load_workbook(path, data_only=False, read_only=False),
        )
    except Exception:  # openpyxl raises many kinds for a corrupt file
        raise InputError([InputProblem(name, "could not be opened as an .xlsx workbook")]) from None


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v).strip()


def read_table(path, *, sheet: str | None = None, header_rows: int = 1, display=None) -> RawTable:
    """Read a CSV, or one sheet of an .xlsx, as text."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv_table(path, header_rows=header_rows, display=display)
    if suffix in (".xlsx", ".xlsm"):
        if sheet is None:
            raise ValueError("an .xlsx input needs a sheet name")
        return read_xlsx_table(path, sheet, header_rows=header_rows, display=display)
    raise InputError(
        [InputProblem(display or str(path), "has an unsupported type; expected .csv or .xlsx")]
    )


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

    missing = [c for c in required if c not in df.columns]
    for c in missing:
        problems.append(table.where(None, None, f"has no column '{c}' (a required column)"))
    dupes = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    for c in dupes:
        problems.append(table.where(None, c, "appears more than once in the header row"))
    if schema.get("additionalProperties") is False:
        for c in df.columns:
            if c not in props:
                problems.append(
                    table.where(
                        None, c, f"is not an expected column; expected only: {', '.join(props)}"
                    )
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
    cleaned = text.str.replace(",", "", regex=False).str.replace("£", "", regex=False)
    is_num = cleaned.str.fullmatch(_NUMBER.pattern)
    flag(~empty & ~is_num, f"expected a {'whole ' if base == 'integer' else ''}number")
    values = pd.to_numeric(cleaned.where(is_num & ~empty), errors="coerce")
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
