"""Ingest of the journey register's Systems sheet (issue 12 point 5, review finding 21).

Good inputs: the example registers' sheets validate, one row per system the Register names,
and Lambeth's early help, social care and youth offending case systems are listed apart (its
service description says each runs its own). Bad inputs: each gets an error naming file,
sheet, row and column, saying what was expected and never repeating the value.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from openpyxl import load_workbook

from analysis import ingest
from analysis.core.tables import InputError
from analysis.core.vocabulary import CAPABILITY_WORDS, HOSTING_WORDS, INTEGRATION_WORDS

EX = REPO / "survey" / "example"
PII = [{"name": "case reference (Mosaic-style)", "regex": r"\bMOS-\d{6,8}\b"}]
COUNCILS = ("leicester", "lambeth", "milton_keynes", "canterbury")


def _systems(path, schemas, authority="leicester"):
    return ingest.ingest_journey_systems(
        path, schemas["journeys"], authority=authority, extra_patterns=PII
    )


def _edit(tmp_path: Path, edit, council="leicester") -> Path:
    dst = tmp_path / "journeys.xlsx"
    shutil.copy(EX / council / "journeys.xlsx", dst)
    wb = load_workbook(dst)
    edit(wb)
    wb.save(dst)
    return dst


def _col(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _located(err, *, row, column, expected, sheet="Systems", hidden=None):
    msg = str(err)
    assert "journeys.xlsx" in msg and f"sheet '{sheet}'" in msg, msg
    assert f"row {row}" in msg and f"column '{column}'" in msg, msg
    assert expected in msg, msg
    if hidden is not None:
        assert hidden not in msg, "the message repeats the offending value"


@pytest.mark.unit
@pytest.mark.parametrize("council", COUNCILS)
def test_example_systems_sheet_names_every_register_system_once(council, schemas):
    """Every system the Register names at a stage from capture to analysis has one row, and
    only those; owners are roles, every value from the schema's vocabularies."""
    path = EX / council / "journeys.xlsx"
    reg = ingest.ingest_journeys(path, schemas["journeys"], authority=council)
    tools = reg[(reg["stage"] != "decision_use") & (reg["system"].str.lower() != "none")]
    got = _systems(path, schemas, council)
    assert list(got.columns) == list(ingest.SYSTEMS_COLUMNS)
    assert sorted(got["system"]) == sorted(set(tools["system"]))
    assert set(got["hosting"]) <= set(HOSTING_WORDS)
    for col, vocab in (("integration", INTEGRATION_WORDS), ("capabilities", CAPABILITY_WORDS)):
        items = {x for cell in got[col].fillna("") for x in str(cell).split(";") if x}
        assert items <= set(vocab), col
    assert got["owner"].str.len().min() > 3


@pytest.mark.unit
def test_lambeth_lists_its_three_case_systems_apart(schemas):
    """Review finding 21: the case study says early help, social care and youth offending each
    run their own case system and nothing is integrated; the inventory must say so too."""
    got = _systems(EX / "lambeth" / "journeys.xlsx", schemas, "lambeth").set_index("system")
    cases = [s for s in got.index if "case system" in s]
    assert sorted(cases) == [
        "Children's social care case system",
        "Early help case system",
        "Youth offending case system",
    ]
    assert set(got.loc[cases, "integration"]) == {"manual_export"}
    assert not got["capabilities"].fillna("").str.contains("warehouse|single_view").any()


@pytest.mark.unit
def test_a_register_without_a_systems_sheet_gives_an_empty_table(tmp_path, schemas):
    p = _edit(tmp_path, lambda wb: wb.remove(wb["Systems"]))
    got = _systems(p, schemas)
    assert got.empty and list(got.columns) == list(ingest.SYSTEMS_COLUMNS)


@pytest.mark.unit
def test_a_row_naming_a_system_the_register_does_not_is_refused(tmp_path, schemas):
    def edit(wb):
        wb["Systems"].cell(3, 1, "Power bi")  # spelled unlike the Register's "Power BI"

    with pytest.raises(InputError) as e:
        _systems(_edit(tmp_path, edit), schemas)
    _located(e.value, row=3, column="system", expected="names no system of the 'Register' sheet",
             hidden="Power bi")  # fmt: skip


@pytest.mark.unit
def test_a_register_system_with_no_row_is_located_in_the_register(tmp_path, schemas):
    """The Register's first row naming the system is the location; the Systems sheet has
    lost that system's row."""
    src = load_workbook(EX / "leicester" / "journeys.xlsx")["Register"]
    first = next(
        r
        for r in range(2, src.max_row + 1)
        if src.cell(r, _col(src, "system")).value == "Partnership data warehouse"
    )

    def drop(wb):
        ws = wb["Systems"]
        r = next(r for r in range(2, ws.max_row + 1)
                 if ws.cell(r, 1).value == "Partnership data warehouse")  # fmt: skip
        ws.delete_rows(r)

    with pytest.raises(InputError) as e:
        _systems(_edit(tmp_path, drop), schemas)
    _located(e.value, sheet="Register", row=first, column="system",
             expected="with no row in the 'Systems' sheet")  # fmt: skip


@pytest.mark.unit
@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("hosting", "in the basement", "is not an allowed value; expected one of: on_premises"),
        ("integration", "carrier pigeon", "expected one or more of: none, manual_export"),
        ("integration", "none;api", "expected 'none' alone"),
        ("capabilities", "telepathy", "expected one or more of: case_management"),
        ("owner", "", "is empty; a value is required"),
    ],
)
def test_bad_systems_cells_are_located(tmp_path, schemas, column, value, expected):
    def edit(wb):
        ws = wb["Systems"]
        ws.cell(4, _col(ws, column)).value = value or None  # (cell(r, c, None) sets nothing)

    with pytest.raises(InputError) as e:
        _systems(_edit(tmp_path, edit), schemas)
    _located(e.value, row=4, column=column, expected=expected, hidden=value or None)


@pytest.mark.unit
def test_a_persons_contact_details_as_owner_are_refused(tmp_path, schemas):
    """The owner is a role; an email address there is stopped by the PII gate."""

    def edit(wb):
        ws = wb["Systems"]
        ws.cell(2, _col(ws, "owner"), "sam.example@example.org")

    with pytest.raises(InputError) as e:
        _systems(_edit(tmp_path, edit), schemas)
    _located(e.value, row=2, column="owner", expected="email address",
             hidden="sam.example")  # fmt: skip


@pytest.mark.unit
def test_lists_are_canonical_whatever_the_case_and_spacing(tmp_path, schemas):
    def edit(wb):
        ws = wb["Systems"]
        ws.cell(2, _col(ws, "integration"), " API ; File_Transfer")
        ws.cell(2, _col(ws, "hosting"), "Cloud")

    got = _systems(_edit(tmp_path, edit), schemas)
    assert got.loc[0, ["hosting", "integration"]].tolist() == ["cloud", "file_transfer;api"]


@pytest.mark.unit
def test_schema_vocabularies_have_words():
    """No raw id from the Systems sheet reaches a report: every value has words."""
    import yaml

    schema = yaml.safe_load((REPO / "workflow/schemas/journeys.schema.yaml").read_text())
    props = schema["$defs"]["systems"]["properties"]
    assert set(props["hosting"]["enum"]) == set(HOSTING_WORDS)
    assert set(props["integration"]["x-list-enum"]) == set(INTEGRATION_WORDS)
    assert set(props["capabilities"]["x-list-enum"]) == set(CAPABILITY_WORDS)
    assert all("_" not in w for w in (*HOSTING_WORDS.values(), *CAPABILITY_WORDS.values()))
    pd.testing.assert_index_equal(pd.Index(list(props)), pd.Index(
        ["system", "owner", "hosting", "integration", "capabilities", "notes"]))  # fmt: skip
