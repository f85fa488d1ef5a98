"""Hostile cost workbooks (issue 14): what the appraisal would refuse or get wrong later is a
located error at ingest, on the sheet, row and column, before anything is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from openpyxl import load_workbook

from analysis import ingest
from analysis.core.tables import InputError
from analysis.costs.reference import read_gdp_deflators

WORKBOOK = REPO / "survey" / "example" / "leicester" / "costs.xlsx"


def _costs(path, schemas):
    return ingest.ingest_costs(path, schemas["costs"], authority="leicester")


def _edit(tmp_path: Path, edit) -> Path:
    dst = tmp_path / "costs.xlsx"
    shutil.copy(WORKBOOK, dst)
    wb = load_workbook(dst)
    edit(wb)
    wb.save(dst)
    return dst


def _col(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _row(ws, column: str, value) -> int:
    c = _col(ws, column)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, c).value == value)


def _error(tmp_path, schemas, edit) -> str:
    with pytest.raises(InputError) as e:
        _costs(_edit(tmp_path, edit), schemas)
    return str(e.value)


def test_year_column_beyond_the_appraisal_period_is_refused(tmp_path, schemas):
    """Issue 14.5: a 'Year 10' column of a 10-year appraisal (£7.5m) was dropped silently."""

    def edit(wb):
        ws = wb["Costs"]
        col = ws.max_column + 1
        ws.cell(1, col, "Year 10")
        for r in range(2, 12):
            ws.cell(r, col, 750_000)

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Costs', column 'Year 10' (T): is beyond the appraisal period" in msg
    assert "Year 0 to Year 9" in msg


def test_empty_year_column_beyond_the_period_is_harmless(tmp_path, schemas):
    def edit(wb):
        wb["Costs"].cell(1, wb["Costs"].max_column + 1, "Year 10")

    got = _costs(_edit(tmp_path, edit), schemas)["costs"]
    assert set(got["year"]) == set(range(10))


def test_unknown_column_on_the_costs_sheet_is_refused(tmp_path, schemas):
    def edit(wb):
        ws = wb["Costs"]
        ws.cell(1, ws.max_column + 1, "Year ten")
        ws.cell(2, ws.max_column, 5)

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Costs', column 20 (T): is not an expected column" in msg
    assert "Year ten" not in msg


def test_unknown_column_on_the_parameters_sheet_is_refused(tmp_path, schemas):
    def edit(wb):
        wb["Parameters"].cell(1, 4, "owner")
        wb["Parameters"].cell(2, 4, "x")

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Parameters', column 4 (D): is not an expected column" in msg


@pytest.mark.parametrize(
    "typed, expected",
    [("1,500", 1500.0), ("1,500.25", 1500.25), ("£12,000", 12000.0), ("2500", 2500.0)],
)
def test_thousands_separators_in_groups_of_three_are_read(tmp_path, schemas, typed, expected):
    def edit(wb):
        ws = wb["Costs"]
        ws.cell(3, _col(ws, "Year 1"), typed)

    got = _costs(_edit(tmp_path, edit), schemas)["costs"]
    ws = load_workbook(WORKBOOK)["Costs"]
    line = (ws.cell(3, 1).value, ws.cell(3, 2).value)
    row = got[(got.option_id == line[0]) & (got.line_id == line[1]) & (got.year == 1)]
    assert row["amount"].tolist() == [expected]


@pytest.mark.parametrize("typed", ["1,5", "15,00", "1,50,000", "1.500,25", "12 000"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(tmp_path, schemas, typed):
    """Issue 14.5: '1,5' was read as 15 (every comma stripped whatever the grouping)."""

    def edit(wb):
        ws = wb["Costs"]
        ws.cell(3, _col(ws, "Year 1"), typed)

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Costs', row 3, column 'Year 1' (K): expected a number" in msg
    assert typed not in msg


def test_cost_priced_before_the_deflator_series_is_refused(tmp_path, schemas):
    first = min(read_gdp_deflators()["financial_year"])

    def edit(wb):
        ws = wb["Costs"]
        ws.cell(4, _col(ws, "price_year"), "1990-91")
        ws.cell(4, _col(ws, "prices"), "real")

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Costs', row 4, column 'price_year' (H): is outside the years" in msg
    assert f"starts in {first}" in msg and "1990" not in msg


def test_benefit_priced_before_the_deflator_series_is_refused(tmp_path, schemas):
    def edit(wb):
        ws = wb["Benefits"]
        ws.cell(2, _col(ws, "price_year"), "1995/96")

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Benefits', row 2, column 'price_year'" in msg and "is outside the years" in msg


def test_price_base_year_before_the_deflator_series_is_refused(tmp_path, schemas):
    def edit(wb):
        ws = wb["Parameters"]
        ws.cell(_row(ws, "key", "price_base_year"), 2, "1985-86")

    msg = _error(tmp_path, schemas, edit)
    row = _row(load_workbook(WORKBOOK)["Parameters"], "key", "price_base_year")
    assert f"sheet 'Parameters', row {row}, column 'value' (B): is before" in msg


def test_uncertainty_low_above_high_is_refused(tmp_path, schemas):
    def edit(wb):
        ws = wb["Uncertainty"]
        ws.cell(3, _col(ws, "low"), 900)  # high is 825

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Uncertainty', row 3, column 'low' (C): is above high" in msg


def test_triangular_range_not_containing_its_input_is_refused(tmp_path, schemas):
    rows = {}

    def edit(wb):
        ws = wb["Uncertainty"]
        p, t, d = _col(ws, "parameter"), _col(ws, "target"), _col(ws, "distribution")
        tri = [r for r in range(2, ws.max_row + 1) if ws.cell(r, d).value == "triangular"]
        rows["mult"] = next(r for r in tri if str(ws.cell(r, p).value).endswith("multiplier"))
        rows["hours"] = next(r for r in tri if str(ws.cell(r, t).value).endswith(":T1:cohort"))
        ws.cell(rows["mult"], _col(ws, "low"), 1.1)  # a multiplier of 1.1 to ... leaves out 1
        ws.cell(rows["hours"], _col(ws, "high"), 600)  # cohort 660, range 495 to 600

    msg = _error(tmp_path, schemas, edit)
    assert (
        f"sheet 'Uncertainty', row {rows['mult']}, column 'low' (C): with high, does not "
        "contain 1" in msg
    )
    assert (
        f"row {rows['hours']}, column 'low' (C): with high, does not contain the input it varies"
        in msg
    )


def test_no_proposed_option_is_refused(tmp_path, schemas):
    """Issue 14.4: a workbook without a 'preferred' option failed later, in the appraisal."""

    def edit(wb):
        ws = wb["Options"]
        ws.cell(_row(ws, "category", "preferred"), _col(ws, "category"), "ambitious")

    msg = _error(tmp_path, schemas, edit)
    assert "sheet 'Options', column 'category' (C): has 0 options of category 'preferred'" in msg


def test_examples_still_ingest_with_every_check(schemas, example_config):
    for a in example_config["authorities"]:
        got = ingest.ingest_costs(REPO / a["inputs"]["costs"], schemas["costs"], authority=a["id"])
        assert isinstance(got["costs"], pd.DataFrame) and len(got["costs"])
