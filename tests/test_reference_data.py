"""The packaged reference tables (``analysis/data/*.csv``): every row sourced, versioned and
flagged; the GDP deflator series of a named HM Treasury release and its updater; the Green
Book 2026 discount schedules and lower-rate test.

Sources cited in the tests:
- HM Treasury, "GDP deflators at market prices, and money GDP", March 2026 release
  (financial years, 2024-25 = 100), as copied in the seed table of
  ncl-icb-analytics/dbt-ncl-analytics (parsed from gdp_deflators_march_2026.xlsx) and in a
  second, independent uprating note of the same vintage: 2008-09 66.8397, 2015-16 74.5804,
  2018-19 78.7948, 2019-20 80.8738, 2020-21 85.1002 (both: 85.10), 2022-23 91.2996.
- Department for Transport, TAG "Forthcoming change: Green Book updates" (gov.uk, 16 April
  2026): the Green Book 2026 lower-rate test, 3.00 / 2.57 / 2.14 / 1.71 / 1.29 / 0.86% on the
  bands 0-30, 31-75, 76-125, 126-200, 201-300, 301+; standard and health rates as in 2022.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from openpyxl import Workbook

from analysis import costs
from analysis.core.tables import InputError
from analysis.costs import deflator_update as du
from analysis.costs.discounting import discount_factors, resolve_vintage
from analysis.costs.results import lower_rate_test_applies, lower_rate_test_npsv

DATA = REPO / "analysis" / "data"
PROVENANCE = ("source", "table", "vintage", "verified", "checked_against")


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_every_reference_row_is_sourced_versioned_and_flagged(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PROVENANCE if c not in df.columns]
    assert not missing, f"{path.name} lacks {missing}"
    for col in ("source", "table", "vintage", "checked_against"):
        empty = df.index[df[col].str.strip() == ""].tolist()
        assert not empty, f"{path.name}: rows {empty} have no {col}"
    assert set(df["verified"]) <= {"true", "false"}, path.name


def test_the_provenance_check_fails_on_an_unflagged_or_unsourced_row(tmp_path, monkeypatch):
    """The check above is not vacuous: a copy with one row unsourced and one unflagged fails."""
    df = pd.read_csv(DATA / "optimism_bias.csv", dtype=str, keep_default_na=False)
    df.loc[0, "source"] = ""
    df.loc[1, "verified"] = ""
    bad = tmp_path / "optimism_bias.csv"
    df.to_csv(bad, index=False)
    with pytest.raises(AssertionError, match="no source"):
        test_every_reference_row_is_sourced_versioned_and_flagged(bad)
    df.loc[0, "source"] = "x"
    df.to_csv(bad, index=False)
    with pytest.raises(AssertionError):
        test_every_reference_row_is_sourced_versioned_and_flagged(bad)


SPOT = {  # HM Treasury March 2026 release, two independent copies agree (module docstring)
    "2008-09": 66.8397,
    "2015-16": 74.5804,
    "2018-19": 78.7948,
    "2019-20": 80.8738,
    "2020-21": 85.1002,
    "2022-23": 91.2996,
    "2024-25": 100.0,
}


def test_deflators_are_the_march_2026_release():
    d = costs.read_gdp_deflators().set_index("financial_year")
    for fy, value in SPOT.items():
        assert d.loc[fy, "index"] == pytest.approx(value, abs=5e-5), fy
    assert set(d["vintage"]) == {"hmt_2026_03"} and set(d["reference_year"]) == {"2024-25"}
    assert "March 2026" in d["source"].iloc[0]
    # outturn to 2024-25, OBR forecasts after; consecutive financial years
    assert (d.loc[:"2024-25", "status"] == "outturn").all()
    assert (d.loc["2025-26":, "status"] == "forecast").all()
    starts = [int(y[:4]) for y in d.index]
    assert starts == list(range(starts[0], starts[-1] + 1))
    # nothing was checked against HM Treasury's own file, and the table says so row by row
    assert not d["verified"].astype(bool).any()
    two = d["checked_against"].str.startswith("two independent copies")
    assert sorted(d.index[two]) == sorted(SPOT)


def test_the_2023_24_step_is_in_line_with_the_published_calendar_series():
    """The old table's 2023-24 growth (+7.0%) was out of line with the calendar-year series
    (2023 +6.35%, 2024 +3.90%); the financial-year growth now lies between them."""
    d = costs.read_gdp_deflators().set_index("financial_year")["index"]
    growth = d["2023-24"] / d["2022-23"] - 1
    assert 0.039 < growth < 0.0635


# ------------------------------------------------------------------------------ updater


def _hmt_workbook(path: Path, rows: list[tuple], *, title_rows: int = 6, heading="2024-25 = 100"):
    """A workbook in HM Treasury's published layout: title lines, a header row (B "Financial
    year", C the index headed by its reference year, D the % change; H-J the calendar-year
    block), data rows, forecast years marked "(1), (2)", and a footnotes line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "GDP deflators"
    ws["A1"] = "GDP deflators at market prices, and money GDP"
    ws["A2"] = "March 2026 (Spring Statement & Quarterly National Accounts)"
    h = title_rows + 1
    for col, text in zip("BCDHIJ", ["Financial year", heading, "per cent change on previous year",
                                    "Calendar year", heading, "per cent change"], strict=True):  # fmt: skip
        ws[f"{col}{h}"] = text
    for i, (label, index, pct) in enumerate(rows, start=h + 1):
        ws[f"B{i}"], ws[f"C{i}"], ws[f"D{i}"] = label, index, pct
        ws[f"H{i}"], ws[f"I{i}"] = 2000 + i, 50.0 + i  # the calendar block is not read
    end = h + len(rows) + 2
    ws[f"B{end}"] = "Sources and footnotes:"
    ws[f"B{end + 1}"] = "(1) Forecast from the OBR."
    wb.save(path)
    return path


def _rows_from_packaged():
    d = costs.read_gdp_deflators()
    out, prev = [], None
    for fy, idx, status in zip(d["financial_year"], d["index"], d["status"], strict=True):
        pct = None if prev is None else round((idx / prev - 1) * 100, 4)
        label = f"{fy} (1), (2)" if status == "forecast" else fy
        out.append((label, float(idx), pct))
        prev = idx
    return out


def test_the_updater_round_trips_a_release_in_hmt_layout(tmp_path):
    xlsx = _hmt_workbook(
        tmp_path / "GDP_Deflators_Qtrly_National_Accounts_March_2026_update.xlsx",
        _rows_from_packaged(),
    )
    out = tmp_path / "gdp_deflators.csv"
    assert du.main([str(xlsx), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    want = costs.read_gdp_deflators()
    assert got["financial_year"].tolist() == want["financial_year"].tolist()
    np.testing.assert_allclose(got["index"], want["index"], atol=5e-5)
    assert got["status"].tolist() == want["status"].tolist()
    assert set(got["vintage"]) == {"hmt_2026_03"} and set(got["reference_year"]) == {"2024-25"}
    assert got["verified"].all()  # read from HM Treasury's own file
    assert got.columns.tolist() == want.columns.tolist()
    # the appraisal reads it as it reads the packaged table: same real-terms factors
    base = "2025-26"
    for py in ("2008-09", "2017-18", "2030-31"):
        assert costs.real_terms_factor(py, base, got) == pytest.approx(
            costs.real_terms_factor(py, base, want), rel=1e-9
        )


def test_a_forecast_year_printed_as_a_percentage_change_is_chained(tmp_path):
    rows = [("2023-24", 96.0, None), ("2024-25", 100.0, 4.1667), ("2025-26 (1), (2)", "-", 3.0),
            ("2026-27 (1), (2)", None, 2.0)]  # fmt: skip
    series, ref = du.read_release(_hmt_workbook(tmp_path / "r.xlsx", rows, title_rows=4))
    assert ref == "2024-25"
    # hand-worked: 100 x 1.03 = 103; 103 x 1.02 = 105.06
    assert series["index"].tolist() == pytest.approx([96.0, 100.0, 103.0, 105.06])
    assert series["status"].tolist() == ["outturn", "outturn", "forecast", "forecast"]
    rebased = du.rebase(series, "2023-24")
    assert rebased["index"].iloc[1] == pytest.approx(100 / 96 * 100)


@pytest.mark.parametrize(
    ("rows", "heading", "expected"),
    [
        ([("2023-24", 96.0, None), ("2025-26", 100.0, None)], "2025-26 = 100",
         "row 9, column 'Financial year' (B): expected the year after 2023-24"),
        ([("2023-24", 96.0, None), ("2024-25", "n/a", None)], "2024-25 = 100",
         "row 9, column 3 (C): expected a positive index value"),
        ([("2023-24", 96.0, None), ("2024-25", 99.0, None)], "2024-25 = 100",
         "expected the index of the reference year 2024-25 to be 100"),
        ([("2023-24", 96.0, None), ("24-25", 100.0, None)], "2024-25 = 100",
         "row 9, column 'Financial year' (B): expected a financial year such as 2024-25"),
    ],
)  # fmt: skip
def test_a_bad_release_is_a_located_error(tmp_path, rows, heading, expected):
    path = _hmt_workbook(tmp_path / "bad.xlsx", rows, heading=heading)
    with pytest.raises(InputError) as err:
        du.read_release(path)
    assert "bad.xlsx, sheet 1" in str(err.value)  # by position, never the file's own name
    assert "GDP deflators" not in str(err.value) and "= 100'" not in str(err.value)
    assert expected in str(err.value)


def test_a_file_without_the_financial_year_table_is_refused(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "Something else"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="no sheet with a 'Financial year' header"):
        du.read_release(tmp_path / "other.xlsx")


def test_make_update_deflators_runs_the_updater_on_a_download(tmp_path):
    """The README's command, as a finance officer runs it, on a copy of the repository's
    packaged table (``--out``), never the packaged file itself."""
    xlsx = _hmt_workbook(tmp_path / "GDP_Deflators_June_2026_update.xlsx", _rows_from_packaged())
    out = tmp_path / "table.csv"
    run = subprocess.run(
        [sys.executable, "-m", "analysis.costs.deflator_update", str(xlsx), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "vintage hmt_2026_06" in run.stdout
    assert set(pd.read_csv(out)["vintage"]) == {"hmt_2026_06"}
    assert du.vintage_from_name("gdp deflators.xlsx") is None


# ------------------------------------------------------------------------------ Green Book 2026


def test_the_2026_edition_is_the_default_and_keeps_the_2022_rates():
    assert resolve_vintage("standard") == "green_book_2026"
    for schedule in ("standard", "health"):
        np.testing.assert_array_equal(
            discount_factors(120, schedule, "green_book_2026"),
            discount_factors(120, schedule, "green_book_2022"),
        )


def test_the_lower_rate_test_schedule_is_the_published_one():
    f = discount_factors(80, "lower_rate_test", "green_book_2026")
    # factor_t = factor_{t-1} / (1 + r_t): 3.00% to year 30, then 2.57% (DfT TAG, 2026)
    assert f[30] == pytest.approx(1.03**-30)
    assert f[31] == pytest.approx(1.03**-30 / 1.0257)
    assert f[76] == pytest.approx(1.03**-30 * 1.0257**-45 / 1.0214)


def test_the_lower_rate_test_applies_beyond_50_years_on_the_standard_schedule():
    assert lower_rate_test_applies(60, "standard", "green_book_2026")
    assert not lower_rate_test_applies(50, "standard", "green_book_2026")
    assert not lower_rate_test_applies(60, "health", "green_book_2026")
    assert not lower_rate_test_applies(60, "standard", "green_book_2022")  # no such test then
    # hand example: £1 of net benefit in each of 60 years, discounted at the lower rates
    cf = pd.DataFrame({"option_id": "o", "year": range(60), "net_benefit": 1.0})
    got = lower_rate_test_npsv(cf, ["o"], 60, "standard", "green_book_2026")
    years = np.arange(60)
    rates = np.where(years <= 30, 0.03, 0.0257)
    rates[0] = 0.0
    assert got[0] == pytest.approx((1 / np.cumprod(1 + rates)).sum())
    assert np.isnan(lower_rate_test_npsv(cf, ["o"], 60, "health", "green_book_2026")[0])
