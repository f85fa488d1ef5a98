"""Reading CSV files and xlsx sheets as text, with every cell's location kept.

Both readers tidy the header row the same way (:func:`_tidy_columns`): a column with no
header and no value is dropped (the empty columns a spreadsheet leaves at the right of a CSV
export), a column with values but no header and a header that appears twice are located
errors. Problems are located by position, and never repeat a header, a sheet name or a cell:
see :mod:`analysis.core.problems`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.core.problems import InputError, InputProblem, RawTable, column_letter

HEADER_ROW = 1


def _tidy_columns(
    name: str,
    sheet: str | None,
    header: list[str],
    body: list[tuple[int, list[str]]],
    expected: Iterable[str],
) -> RawTable:
    """A :class:`RawTable` from a header row and ``(file row, cells)`` rows of equal width."""
    expected = {str(e) for e in expected}
    problems: list[InputProblem] = []
    keep: list[int] = []
    first: dict[str, int] = {}
    skeleton = RawTable(pd.DataFrame(), name, sheet, [], {}, expected)
    for j, h in enumerate(header):
        has_values = any(cells[j] for _, cells in body)
        if not h:
            if has_values:
                problems.append(
                    skeleton.at_position(
                        j, "has values but no header; expected a column name", HEADER_ROW
                    )
                )
            continue
        if h in first:
            named = f" '{h}'" if h in expected else ""
            k = first[h]
            problems.append(
                skeleton.at_position(
                    j,
                    f"repeats the header{named} of column {k + 1} ({column_letter(k)}); "
                    "expected each column name once",
                    HEADER_ROW,
                )
            )
            continue
        first[h] = j
        keep.append(j)
    if problems and expected and not any(h in expected for h in header):
        # a file saved without its header row: its first record is no header at all, so say
        # that rather than what is "repeated" or "missing" in it (a platform export whose
        # headers are mapped to the expected names later has no such problem to report)
        problems = [
            InputProblem(
                name,
                "row 1 holds none of the expected column names; is the header row missing? "
                f"expected a header row with: {', '.join(sorted(expected))}",
                sheet=sheet,
                row=HEADER_ROW,
            )
        ]
    if problems:
        raise InputError(problems)
    df = pd.DataFrame(
        [[cells[j] for j in keep] for _, cells in body],
        columns=[header[j] for j in keep],
        dtype=object,
    )
    positions = {header[j]: j for j in keep}
    return RawTable(df, name, sheet, [r for r, _ in body], positions, expected)


def read_csv_table(
    path: str | Path,
    *,
    header_rows: int = 1,
    display: str | None = None,
    columns: Iterable[str] = (),
) -> RawTable:
    """Read a CSV as text. Refuses empty files, non-UTF-8 text and a wrong delimiter.

    ``columns``: the column names the project expects (only those are ever named in errors).
    A cell may be of any length (the csv module's default limit of 131,072 characters is
    raised to the file's size).
    """
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
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        for r in reader:
            rows.append(r)
    except csv.Error:
        raise InputError(
            [
                InputProblem(
                    name,
                    "could not be read as CSV (check quotes and line ends); expected CSV UTF-8",
                    row=len(rows) + 1,
                )
            ]
        ) from None
    if len(rows) < header_rows:
        raise InputError([InputProblem(name, f"expected {header_rows} header row(s)")])
    header = [h.strip() for h in rows[0]]
    named = [j for j, h in enumerate(header) if h]
    width = named[-1] + 1 if named else 0  # cells right of the last header must be empty
    problems, body = [], []
    for i, r in enumerate(rows[header_rows:]):
        if not any(c.strip() for c in r):
            continue
        row = i + header_rows + 1
        beyond = any(c.strip() for c in r[len(header) :])
        if beyond or len(r) < width:
            problems.append(
                InputProblem(
                    name,
                    f"has {len(r)} cells; the header has {len(header)} (check delimiters "
                    "and quotes)",
                    row=row,
                )
            )
            continue
        cells = (r + [""] * len(header))[: len(header)]
        body.append((row, cells))
    if problems:
        raise InputError(problems)
    return _tidy_columns(name, None, header, body, columns)


def read_xlsx_table(
    path: str | Path,
    sheet: str,
    *,
    header_rows: int = 1,
    display: str | None = None,
    workbook=None,
    columns: Iterable[str] = (),
    sheets: Sequence[str] | None = None,
) -> RawTable:
    """Read one sheet of an .xlsx as text (numbers as their shortest repr).

    A formula cell is read as its saved value; a formula with no saved value is an error (the
    pipeline does not evaluate spreadsheet formulas). ``sheets``: every sheet the caller
    expects, listed when ``sheet`` is missing (the workbook's own sheet names never are).
    """
    path = Path(path)
    name = display or str(path)
    if workbook is None:
        workbook = open_workbook(path, display=name)
    wb_values, wb_formulas = workbook
    if sheet not in wb_values.sheetnames:
        raise InputError([_missing_sheet(name, sheet, wb_values.sheetnames, sheets)])
    ws_v, ws_f = wb_values[sheet], wb_formulas[sheet]
    values = list(ws_v.iter_rows(values_only=True))
    formulas = list(ws_f.iter_rows(values_only=True))
    if not values or all(v is None for v in values[0]):
        raise InputError([InputProblem(name, "has no header row in row 1", sheet=sheet)])
    ncol = max(len(r) for r in values)
    header = [_cell_text(h) for h in list(values[0]) + [None] * (ncol - len(values[0]))]
    skeleton = RawTable(pd.DataFrame(), name, sheet, [], {h: j for j, h in enumerate(header)})
    skeleton.expect(columns)
    problems, body = [], []
    for i, (rv, rf) in enumerate(zip(values[header_rows:], formulas[header_rows:], strict=False)):
        rv = list(rv[:ncol]) + [None] * max(0, ncol - len(rv))
        rf = list(rf[:ncol]) + [None] * max(0, ncol - len(rf))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in rv) and all(
            f is None for f in rf
        ):
            continue
        row = i + header_rows + 1
        for j, (v, f) in enumerate(zip(rv, rf, strict=True)):
            if isinstance(f, str) and f.startswith("=") and v is None:
                problems.append(
                    skeleton.at_position(
                        j,
                        "holds a formula with no saved value; type the value, or open and save "
                        "the workbook in a spreadsheet program",
                        row,
                    )
                )
        body.append((row, [_cell_text(v) for v in rv]))
    if problems:
        raise InputError(problems)
    return _tidy_columns(name, sheet, header, body, columns)


def _missing_sheet(name: str, sheet: str, present: list[str], wanted) -> InputProblem:
    """The workbook has no sheet ``sheet``: say which sheets are expected, never which it has."""
    wanted = list(wanted) if wanted else [sheet]
    listed = ", ".join(f"'{s}'" for s in wanted)
    expected = (
        f"has no sheet '{sheet}'; expected the sheet{'s' if len(wanted) > 1 else ''} {listed}"
    )
    similar = [i for i, s in enumerate(present, 1) if str(s).strip().lower() == sheet.lower()]
    if similar:
        expected += f" (sheet {similar[0]} of the workbook has a similar name: rename it '{sheet}')"
    return InputProblem(name, expected)


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


def read_table(
    path,
    *,
    sheet: str | None = None,
    header_rows: int = 1,
    display=None,
    columns: Iterable[str] = (),
) -> RawTable:
    """Read a CSV, or one sheet of an .xlsx, as text. ``columns``: the expected column names."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv_table(path, header_rows=header_rows, display=display, columns=columns)
    if suffix in (".xlsx", ".xlsm"):
        if sheet is None:
            raise ValueError("an .xlsx input needs a sheet name")
        return read_xlsx_table(
            path, sheet, header_rows=header_rows, display=display, columns=columns
        )
    raise InputError(
        [InputProblem(display or str(path), "has an unsupported type; expected .csv or .xlsx")]
    )
