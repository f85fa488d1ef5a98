"""Unit values with provenance (``analysis.costs.unit_values``): a benefit line that names a
unit value gives the same present values as the same line with the uprated value typed by
hand; unknown ids and conflicting cells are located input errors; a GMCA Unit Cost Database
workbook in its published layout is read by position.

Values used: HM Treasury (July 2021) Wellbeing guidance for appraisal, £13,000 per WELLBY in
2019 prices (bundled as ``gb:wellby``, price year 2019-20). The GMCA fixture rows are in the
layout of the GMCA Unit Cost Database (theme sheets, two heading rows, cost code in column C,
value in H, price year in I); their values are made up for the test.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import REPO, load_yaml
from openpyxl import Workbook, load_workbook

from analysis import costs
from analysis.core.tables import InputError
from analysis.costs import unit_values as uv
from analysis.ingest import ingest_costs

SCHEMA = load_yaml("workflow/schemas/costs.schema.yaml")
EXAMPLE = REPO / "survey/example/leicester/costs.xlsx"


def test_the_example_workbooks_name_the_wellby_for_wellbeing():
    """The example shows the intended way of working: Leicester's, Lambeth's and Milton
    Keynes's wellbeing values name gb:wellby; Canterbury's amenity value is its own."""
    for council, named in (("leicester", True), ("lambeth", True), ("milton_keynes", True),
                           ("canterbury", False)):  # fmt: skip
        t = ingest_costs(REPO / f"survey/example/{council}/costs.xlsx", SCHEMA, authority=council)
        prov = t["benefit_values"]
        social = prov[prov["value_kind"] == "social"]
        assert bool((social["unit_value_id"] == "gb:wellby").any()) is named, council


def _workbook_with(tmp_path, edits: dict[str, dict[int, object]], name="costs.xlsx"):
    """A copy of Leicester's example workbook whose Benefits sheet has the given columns
    (header -> {sheet row: value}); a header not on the sheet is added at the end."""
    path = tmp_path / name
    shutil.copy(EXAMPLE, path)
    wb = load_workbook(path)
    ws = wb["Benefits"]
    headers = [c.value for c in ws[1]]
    for header, cells in edits.items():
        if header not in headers:
            headers.append(header)
            ws.cell(row=1, column=len(headers), value=header)
        col = headers.index(header) + 1
        for row, value in cells.items():
            ws.cell(row=row, column=col).value = value  # (cell(value=None) would not clear it)
    wb.save(path)
    return path


def _benefits(tables):
    return tables["benefits"].set_index(["option_id", "outcome_id"])


def _first_outcome_row(path) -> tuple[int, str, str, str]:
    """(sheet row, option, outcome, price year) of the first non-time-saving benefit line
    that names no unit value (the example's O1 lines already name gb:wellby)."""
    ws = load_workbook(path, read_only=True)["Benefits"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    ref = header.index("social_value_ref") if "social_value_ref" in header else None
    for r, row in enumerate(rows, start=2):
        if row[1] != "T1" and (ref is None or not row[ref]):
            return r, row[0], row[1], row[16]
    raise AssertionError("no outcome line")


def test_a_referenced_value_gives_the_same_pv_as_the_uprated_value_typed(tmp_path):
    row, opt, out, price_year = _first_outcome_row(EXAMPLE)
    ref = _workbook_with(tmp_path, {"social_value": {row: None},
                                    "social_value_ref": {row: "gb:wellby"},
                                    "social_value_units": {row: 0.25}})  # fmt: skip
    factor = costs.real_terms_factor("2019-20", price_year, costs.read_gdp_deflators())
    by_hand = 13000 * 0.25 * factor  # £13,000 per WELLBY in 2019 prices, a quarter per outcome
    typed = _workbook_with(tmp_path, {"social_value": {row: by_hand}}, name="typed.xlsx")
    a = ingest_costs(ref, SCHEMA, authority="leicester")
    b = ingest_costs(typed, SCHEMA, authority="leicester")
    assert _benefits(a).loc[(opt, out), "social_value"] == pytest.approx(by_hand, rel=1e-12)
    assert factor > 1.2  # 2019-20 to 2025-26 prices: the value was uprated, not copied
    ra = costs.appraise(a["parameters"], a["options"], a["costs"], a["benefits"]).results
    rb = costs.appraise(b["parameters"], b["options"], b["costs"], b["benefits"]).results
    pd.testing.assert_frame_equal(ra, rb)
    # provenance: the referenced value names its unit value, price year and source
    prov = a["benefit_values"]
    hit = prov[(prov["option_id"] == opt) & (prov["outcome_id"] == out)
               & (prov["value_kind"] == "social")].iloc[0]  # fmt: skip
    assert (hit["unit_value_id"], hit["unit_value"], hit["units"]) == ("gb:wellby", 13000.0, 0.25)
    assert hit["unit_price_year"] == "2019-20" and "Wellbeing guidance" in hit["source"]
    # the example's own WELLBY lines aside, every other monetised value is the council's own
    others = prov.drop(index=hit.name)
    others = others[others["unit_value_id"] != "gb:wellby"]
    assert (others["unit_value_id"] == "").all() and len(others) > 0


@pytest.mark.parametrize(
    ("edits", "column", "expected"),
    [
        ({"social_value": None, "social_value_ref": "gb:no_such_value"}, "social_value_ref",
         "expected a unit-value id of the bundled table"),
        ({"social_value_ref": "gb:wellby"}, "social_value_ref",
         "expected either social_value or a unit-value reference, not both"),
        ({"social_value": None}, "social_value",
         "expected a value (£ per successful outcome) or a unit-value id in social_value_ref"),
        ({"fiscal_value": None, "fiscal_value_ref": "gmca:CR2.0"}, "fiscal_value_ref",
         "expected a cost code of the GMCA Unit Cost Database named in the config"),
        ({"social_value_units": 2}, "social_value_units",
         "expected units only with social_value_ref"),
        ({"social_value": None, "social_value_ref": "wellby"}, "social_value_ref",
         "expected a unit-value id such as gb:wellby"),
    ],
)  # fmt: skip
def test_a_bad_reference_is_a_located_error(tmp_path, edits, column, expected):
    row, *_ = _first_outcome_row(EXAMPLE)
    path = _workbook_with(tmp_path, {k: {row: v} for k, v in edits.items()})
    with pytest.raises(InputError) as err:
        ingest_costs(path, SCHEMA, authority="leicester")
    message = str(err.value)
    assert f"sheet 'Benefits', row {row}, column '{column}'" in message
    assert expected in message
    assert "no_such_value" not in message  # positions and expectations, not the cell


def _gmca(tmp_path, rows, name="gmca-unit-cost-database.xlsx"):
    """A workbook in the GMCA Unit Cost Database's layout: an Introduction sheet, then theme
    sheets with two heading rows and one row per unit cost."""
    wb = Workbook()
    wb.active.title = "Introduction"
    wb.active["A1"] = "Unit Cost Database (test fixture in the published layout)"
    ws = wb.create_sheet("Crime")
    ws.append(["Crime"])
    ws.append(["Outcome category", "Outcome detail", "Cost code", "Description", "Unit",
               "Agency", "Agency detail", "Cost", "Price year", "Uprated cost"])  # fmt: skip
    for code, value, year in rows:
        ws.append(["Crime", "Detail", code, f"Description of {code}", "Per incident",
                   "Police", "", value, year, None])  # fmt: skip
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_gmca_cost_code_is_read_from_the_councils_workbook_and_uprated(tmp_path):
    db = _gmca(tmp_path, [("CR2.0", 2470, "2008/09"), ("CR2.0.3", 415, "2008/09")])
    cat = uv.read_unit_cost_database(db)
    assert cat["unit_value_id"].tolist() == ["gmca:CR2.0", "gmca:CR2.0.3"]
    assert cat["price_year"].tolist() == ["2008-09", "2008-09"]
    row, opt, out, price_year = _first_outcome_row(EXAMPLE)
    path = _workbook_with(tmp_path, {"fiscal_value": {row: None},
                                     "fiscal_value_ref": {row: "gmca:CR2.0.3"}})  # fmt: skip
    t = ingest_costs(path, SCHEMA, authority="leicester", unit_costs=db)
    factor = costs.real_terms_factor("2008-09", price_year, costs.read_gdp_deflators())
    assert _benefits(t).loc[(opt, out), "fiscal_value"] == pytest.approx(415 * factor)
    prov = t["benefit_values"]
    hit = prov[prov["unit_value_id"] == "gmca:CR2.0.3"].iloc[0]
    assert "GMCA Unit Cost Database" in hit["source"] and hit["unit_price_year"] == "2008-09"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("CR1.0", "n/a", "2010/11")], "sheet 2, row 3, column 'value' (H): expected a unit cost"),
        ([("CR1.0", 500, "last year")], "sheet 2, row 3, column 'price year' (I)"),
        ([("CR1.0", 500, "2010/11"), ("CR1.0", 35, "2010/11")],
         "sheet 2, row 4, column 'cost code' (C): repeats a cost code first given at sheet 2, "
         "row 3"),
    ],
)  # fmt: skip
def test_a_bad_gmca_row_is_a_located_error_naming_no_cell(tmp_path, rows, expected):
    with pytest.raises(InputError) as err:
        uv.read_unit_cost_database(_gmca(tmp_path, rows))
    assert expected in str(err.value)
    assert "Crime" not in str(err.value)  # a sheet name is never echoed


def test_the_bundled_values_carry_their_source_and_price_year():
    cat = uv.bundled_unit_values().set_index("unit_value_id")
    w = cat.loc["gb:wellby"]
    assert (w["value"], w["price_year"], w["kind"]) == (13000.0, "2019-20", "social")
    assert "Wellbeing guidance for appraisal" in w["source"]
