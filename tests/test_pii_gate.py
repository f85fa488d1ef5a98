"""Gate 1 at ingest (issue 14): every input kind's free text, headers and sheet names, in the
formats people write; errors locate the cell and never repeat the value, the header or the
sheet name that holds it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from openpyxl import load_workbook

from analysis import ingest
from analysis.core import pii
from analysis.core.tables import InputError

EX = REPO / "survey" / "example"
PII = [{"name": "case reference (Mosaic-style)", "regex": r"\bMOS-\d{6,8}\b"}]

# The ten kinds of excerpt of the issue, each passed by the gate before it normalised text.
ISSUE_EXCERPTS = [
    ("Her postcode is MK9\u00a03EJ, near the hub", "full postcode"),
    ("they live at CT1  2EH now", "full postcode"),
    ("NHS no. 943.476.5919 on the letter", "NHS number"),
    ("NHS 943\u00a0476\u00a05919 given by the GP", "NHS number"),
    ("NHS number 943  476  5919", "NHS number"),
    ("NI AB-12-34-56-C on the UC journal", "National Insurance number"),
    ("DOB: 1981-04-03, lives with her mother", "date of birth"),
    ("she was born on the third of April 1981", "date of birth"),
    ("write to jo.bloggs @ example.org", "email address"),
    ("mobile 07700\u2013900\u2013123 after six", "UK telephone number"),
]


def _coding_with(tmp_path: Path, text: str) -> tuple[Path, int]:
    """The example coding sheet with one excerpt's text replaced; the file row of its first
    line."""
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    target = df.loc[10, "excerpt_id"]
    df.loc[df.excerpt_id == target, "text"] = text
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    return p, int(df.index[df.excerpt_id == target][0]) + 2


def _edit_register(tmp_path: Path, edit) -> Path:
    dst = tmp_path / "journeys.xlsx"
    shutil.copy(EX / "leicester" / "journeys.xlsx", dst)
    wb = load_workbook(dst)
    edit(wb)
    wb.save(dst)
    return dst


def _journeys(path, schemas, **kw):
    return ingest.ingest_journeys(
        path, schemas["journeys"], authority="leicester", extra_patterns=PII, **kw
    )


@pytest.mark.parametrize("planted, kind", ISSUE_EXCERPTS)
def test_coding_text_in_written_formats_refused(tmp_path, codebook, schemas, planted, kind):
    path, row = _coding_with(tmp_path, planted)
    with pytest.raises(InputError) as e:
        ingest.ingest_coding(
            path, codebook, schemas["coding"], authority="leicester", extra_patterns=PII
        )
    msg = str(e.value)
    # an expected column is named, with its letter ("column 'text' (H)")
    assert re.search(
        rf"row {row}, column 'text' \([A-Z]+\): holds what looks like {pii.with_article(kind)}",
        msg,
    ), msg
    assert planted not in msg
    for token in planted.replace("\u00a0", " ").split():
        if any(ch.isdigit() for ch in token) or "@" in token:
            assert token not in msg, token


@pytest.mark.parametrize(
    "column, planted, kind",
    [
        ("security_controls", "Access via jo.bloggs @ example.org only", "email address"),
        ("notes", "ask Sam on 0116\u00a0496\u00a00123", "UK telephone number"),
        ("stream_name", "Referrals for NHS 999 239 6229", "NHS number"),
        ("system", "Laptop at LE1 6ZG", "full postcode"),
        ("notes", "see MOS-1234567", "case reference (Mosaic-style)"),
    ],
)
def test_register_free_text_refused(tmp_path, schemas, column, planted, kind):
    """Every free-text column of the register is screened (they are published verbatim)."""

    def edit(wb):
        ws = wb["Register"]
        col = [c.value for c in ws[1]].index(column) + 1
        ws.cell(5, col, planted)

    with pytest.raises(InputError) as e:
        _journeys(_edit_register(tmp_path, edit), schemas)
    msg = str(e.value)
    assert "sheet 'Register', row 5" in msg and f"column '{column}'" in msg, msg
    assert f"holds what looks like {pii.with_article(kind)}" in msg
    assert planted not in msg and planted.split()[-1] not in msg


def test_register_header_holding_an_identifier_is_located_by_position(tmp_path, schemas):
    """A header holding an email is refused; neither the header nor the address is printed,
    and cells under it are located by column number and letter."""

    def edit(wb):
        ws = wb["Register"]
        col = [c.value for c in ws[1]].index("notes") + 1
        ws.cell(1, col, "notes (ask jo.bloggs@example.org)")
        ws.cell(3, col, "call 07700 900123")

    with pytest.raises(InputError) as e:
        _journeys(_edit_register(tmp_path, edit), schemas)
    msg = str(e.value)
    assert "the header of column 14 (N) holds what looks like an email address" in msg, msg
    assert "row 3: column 14 (N) holds what looks like a UK telephone number" in msg, msg
    assert "jo.bloggs" not in msg and "example.org" not in msg and "07700" not in msg


def test_sheet_name_holding_an_identifier_is_not_repeated(tmp_path, schemas):
    name = "Reg 07700 900123"

    def edit(wb):
        wb["Register"].title = name

    with pytest.raises(InputError) as e:
        _journeys(_edit_register(tmp_path, edit), schemas, sheet=name)
    msg = str(e.value)
    assert "the name of the sheet read holds what looks like a UK telephone number" in msg
    assert "07700" not in msg and "900123" not in msg


def test_survey_header_and_cell_in_written_formats_refused(tmp_path, questionnaire, schemas):
    df = pd.read_csv(EX / "leicester" / "survey.csv", dtype=str, keep_default_na=False)
    df.loc[3, "Q01"] = "DOB 1990-02-14"
    df.insert(2, "wave of jo (at) example (dot) org", "")
    p = tmp_path / "survey.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        ingest.ingest_survey(
            p, questionnaire, schemas["survey"], authority="leicester", extra_patterns=PII
        )
    msg = str(e.value)
    assert "the header of column 3 (C) holds what looks like an email address" in msg, msg
    assert re.search(
        r"row 5, column 'Q01'( \([A-Z]+\))?: holds what looks like a date of birth", msg
    ), msg
    assert "example" not in msg and "1990" not in msg


def test_example_inputs_pass_the_gate(questionnaire, codebook, schemas, example_config):
    """No false positive on the committed example programme (four councils, every kind)."""
    for a in example_config["authorities"]:
        auth, inputs = a["id"], a["inputs"]
        ingest.ingest_survey(
            REPO / inputs["survey"],
            questionnaire,
            schemas["survey"],
            authority=auth,
            fmt=a.get("survey_format"),
            extra_patterns=PII,
        )
        ingest.ingest_coding(
            REPO / inputs["coding"], codebook, schemas["coding"], authority=auth, extra_patterns=PII
        )
        _journeys(REPO / inputs["journeys"], schemas)


def test_a_header_naming_and_holding_an_identifier_is_never_repeated():
    from analysis.core.tables import RawTable

    df = pd.DataFrame({"response_id": ["r1"], "Email jo@example.org": ["07700 900123"]})
    table = RawTable(df, "survey.csv", None, [2], {})
    with pytest.raises(InputError) as e:
        ingest.pii_gate(table)
    msg = str(e.value)
    assert "the header of column 2 (B) holds what looks like an email address" in msg
    assert "column 2 (B): the header names an identifier (email address column)" in msg
    assert "row 2: column 2 (B) holds what looks like a UK telephone number" in msg
    assert "jo@" not in msg and "example" not in msg and "07700" not in msg
