"""Read HM Treasury's "GDP deflators at market prices, and money GDP" release and rewrite the
packaged deflator table from it, so a finance officer can drop in each quarter's release.

HM Treasury publishes the series as one worksheet (xlsx; some older releases as csv): a few
title lines, then a header row whose first cell in the financial-year block reads "Financial
year", followed by the index (headed with its reference year, "2024-25 = 100") and the
percentage change on the previous year. Forecast years carry footnote markers after the year
("2025-26 (1), (2)") and may give only the percentage change; the table ends at a "Sources and
footnotes" line. Calendar years sit in a second block further right, which is not read. The
layout is described, with its sources, in ``analysis/data/README.md``.

:func:`read_release` finds the header row by its text rather than a fixed row number (the
title block has changed length between releases), parses and validates the block, and chains
a forecast year with no printed index from the previous year's index and its percentage
change. :func:`deflator_table` turns it into the packaged table's columns with the release's
vintage; :func:`main` is the command line (``make update-deflators FILE=...``).

Written here rather than taken from a library: no maintained Python package reads this
release (the R package ``greenbook`` bundles a copy of it, but nothing parses a council's
newer download).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import pandas as pd

from analysis.core.tables import InputError, InputProblem

#: The packaged table the appraisal reads (``analysis.costs.reference.read_gdp_deflators``).
PACKAGED = Path(__file__).resolve().parents[1] / "data" / "gdp_deflators.csv"
TABLE_COLUMNS = [
    "financial_year",
    "index",
    "reference_year",
    "status",
    "verified",
    "source",
    "table",
    "vintage",
    "release_date",
    "checked_against",
]
SOURCE = (
    "HM Treasury, GDP deflators at market prices, and money GDP: {release}. Outturn from ONS "
    "series L8GG, forecasts from the OBR. https://www.gov.uk/government/collections/"
    "gdp-deflators-at-market-prices-and-money-gdp"
)
TABLE = (
    "financial-year table: financial year, GDP deflator index ({reference} = 100), % change on "
    "previous year"
)
_YEAR = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{2})\b(.*)$")
_REFERENCE = re.compile(r"(\d{4})\s*[-/–]\s*(\d{2})\s*=\s*100")
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        1,
    )
}


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


def _rows(path: Path) -> tuple[int | None, list[list]]:
    """(sheet position, rows of cell values) of the release's data sheet (the first sheet that
    has a "Financial year" header cell) or of a csv. Messages locate the sheet by position and
    never repeat the file's own names."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return None, [list(r) for r in csv.reader(fh)]
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # any reader failure is the same input error
        raise InputError([InputProblem(str(path), "is not a readable xlsx workbook")]) from None
    for number, ws in enumerate(wb.worksheets, 1):
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if any(_is_header(c) for r in rows for c in r):
            return number, rows
    raise InputError([InputProblem(str(path), "has no sheet with a 'Financial year' header cell")])


def _is_header(cell) -> bool:
    return isinstance(cell, str) and cell.strip().lower().startswith("financial year")


def _number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str):
        s = v.strip().replace(",", "")
        try:
            return float(s)
        except ValueError:
            return None
    return None


def read_release(path: str | Path) -> tuple[pd.DataFrame, str]:
    """The financial-year series of an HM Treasury release: ``financial_year, index,
    pct_change, status`` (``outturn`` / ``forecast``) and its reference year.

    Every problem is a located :class:`~analysis.core.tables.InputError` (file, sheet, row,
    column and what was expected): no header, a year out of sequence, a missing or
    non-positive index, a reference year whose index is not 100.
    """
    path = Path(path)
    name = str(path)
    sheet, rows = _rows(path)
    where = next(
        ((i, j) for i, r in enumerate(rows) for j, c in enumerate(r) if _is_header(c)), None
    )
    if where is None:
        raise InputError(
            [InputProblem(name, "has no 'Financial year' header cell", sheet_number=sheet)]
        )
    h, yc = where
    header = rows[h]
    ic, pc = yc + 1, yc + 2
    problems: list[InputProblem] = []

    def located(col) -> dict:
        """The year column by the name looked for; any other column by its position."""
        if col == yc:
            return {"column": "Financial year", "column_letter": _letter(col)}
        return {"column_number": col + 1, "column_letter": _letter(col)}

    def problem(i, col, text):
        problems.append(InputProblem(name, text, sheet_number=sheet, row=i + 1, **located(col)))

    heading = str(header[ic]) if ic < len(header) and header[ic] is not None else ""
    ref = _REFERENCE.search(heading)
    out = []
    for i in range(h + 1, len(rows)):
        r = rows[i] + [None] * 3
        label = r[yc]
        if label is None or (isinstance(label, str) and not label.strip()):
            if out:
                break
            continue
        text = str(label).strip()
        if text.lower().startswith(("source", "footnote", "note")):
            break
        m = _YEAR.match(text)
        if not m:
            problem(i, yc, "expected a financial year such as 2024-25")
            continue
        start, end = int(m.group(1)), int(m.group(2))
        if (start + 1) % 100 != end:
            problem(i, yc, "expected a financial year such as 2024-25 (consecutive years)")
            continue
        fy = f"{start}-{end:02d}"
        forecast = "(" in m.group(3)
        index, pct = _number(r[ic]), _number(r[pc])
        if index is None and forecast and pct is not None and out:
            index = out[-1]["index"] * (1 + pct / 100)
        if index is None or index <= 0:
            problem(i, ic, "expected a positive index value (or, for a forecast year, a % change)")
            continue
        if out and start != int(out[-1]["financial_year"][:4]) + 1:
            problem(i, yc, f"expected the year after {out[-1]['financial_year']}")
            continue
        status = "forecast" if forecast else "outturn"
        out.append({"financial_year": fy, "index": index, "pct_change": pct, "status": status})
    if not out and not problems:
        problems.append(
            InputProblem(
                name, "has no financial years under its header", sheet_number=sheet, row=h + 1
            )
        )
    if problems:
        raise InputError(problems)
    df = pd.DataFrame(out)
    reference = f"{ref.group(1)}-{ref.group(2)}" if ref else None
    if reference is None:
        at_100 = df.loc[(df["index"] - 100).abs() < 5e-5, "financial_year"]
        reference = str(at_100.iloc[0]) if len(at_100) else None
    if reference is None or reference not in set(df["financial_year"]):
        raise InputError(
            [
                InputProblem(
                    name,
                    "expected a reference year (a heading such as '2024-25 = 100', or a year "
                    "whose index is 100)",
                    sheet_number=sheet,
                    row=h + 1,
                    **located(ic),
                )
            ]
        )
    at_ref = float(df.loc[df["financial_year"] == reference, "index"].iloc[0])
    if abs(at_ref - 100) > 5e-5:
        row = h + 2 + int((df["financial_year"] == reference).to_numpy().argmax())
        raise InputError(
            [
                InputProblem(
                    name,
                    f"expected the index of the reference year {reference} to be 100",
                    sheet_number=sheet,
                    row=row,
                    **located(ic),
                )
            ]
        )
    return df, reference


def rebase(series: pd.DataFrame, reference_year: str) -> pd.DataFrame:
    """The series with ``reference_year`` = 100 (HM Treasury: divide every value by the new
    reference year's value and multiply by 100). Only ratios are used in the appraisal, so
    rebasing changes no result."""
    at = series.loc[series["financial_year"] == reference_year, "index"]
    if at.empty:
        raise ValueError(f"the series does not cover the reference year {reference_year}")
    return series.assign(index=series["index"] / float(at.iloc[0]) * 100.0)


def vintage_from_name(path: str | Path) -> str | None:
    """``hmt_<year>_<month>`` from a release file name such as
    ``GDP_Deflators_Qtrly_National_Accounts_June_2026_update.xlsx``; None when it names none."""
    words = re.split(r"[^a-z0-9]+", Path(path).stem.lower())
    for a, b in zip(words, words[1:], strict=False):
        if a in _MONTHS and re.fullmatch(r"20\d{2}", b):
            return f"hmt_{b}_{_MONTHS[a]:02d}"
    return None


def deflator_table(
    series: pd.DataFrame,
    reference_year: str,
    *,
    vintage: str,
    release: str,
    release_date: str,
    checked_against: str,
) -> pd.DataFrame:
    """The packaged table (:data:`TABLE_COLUMNS`) from a release read by :func:`read_release`:
    every row verified, since it was read from HM Treasury's own file."""
    return pd.DataFrame(
        {
            "financial_year": series["financial_year"],
            "index": series["index"].round(4),
            "reference_year": reference_year,
            "status": series["status"],
            "verified": "true",
            "source": SOURCE.format(release=release),
            "table": TABLE.format(reference=reference_year),
            "vintage": vintage,
            "release_date": release_date,
            "checked_against": checked_against,
        },
        columns=TABLE_COLUMNS,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: read a release, validate it and rewrite the packaged table."""
    ap = argparse.ArgumentParser(
        prog="python -m analysis.costs.deflator_update",
        description="Rewrite analysis/data/gdp_deflators.csv from an HM Treasury GDP deflator "
        "release (xlsx or csv as published).",
    )
    ap.add_argument("file", help="the release as downloaded from gov.uk")
    ap.add_argument("--vintage", help="e.g. hmt_2026_06 (default: from the file name)")
    ap.add_argument("--release", help="the release's title, e.g. 'June 2026 (Quarterly "
                    "National Accounts)' (default: from the vintage)")  # fmt: skip
    ap.add_argument("--release-date", help="YYYY-MM or YYYY-MM-DD (default: from the vintage)")
    ap.add_argument("--reference-year", help="rebase to this year = 100 (default: as published)")
    ap.add_argument("--out", default=str(PACKAGED), help="table to write (default: packaged)")
    args = ap.parse_args(argv)
    vintage = args.vintage or vintage_from_name(args.file)
    if not vintage:
        ap.error("the file name names no month and year: give --vintage, e.g. hmt_2026_06")
    try:
        series, reference = read_release(args.file)
    except InputError as err:
        print(f"Refused: {err}", file=sys.stderr)
        return 2
    if args.reference_year:
        series, reference = rebase(series, args.reference_year), args.reference_year
    m = re.fullmatch(r"hmt_(\d{4})_(\d{2})", vintage)
    month = next((k for k, v in _MONTHS.items() if m and v == int(m.group(2))), None)
    release = args.release or (f"{month.capitalize()} {m.group(1)} release" if m else vintage)
    release_date = args.release_date or (f"{m.group(1)}-{m.group(2)}" if m else "")
    table = deflator_table(
        series,
        reference,
        vintage=vintage,
        release=release,
        release_date=release_date,
        checked_against=f"read from HM Treasury's file {Path(args.file).name} by "
        "analysis.costs.deflator_update",
    )
    table.to_csv(args.out, index=False, lineterminator="\n")
    n_fc = int((table["status"] == "forecast").sum())
    print(
        f"Wrote {len(table)} financial years ({table['financial_year'].iloc[0]} to "
        f"{table['financial_year'].iloc[-1]}, {n_fc} forecast), {reference} = 100, vintage "
        f"{vintage}, to {args.out}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line
    sys.exit(main())
