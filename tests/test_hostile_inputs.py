"""Hostile inputs (issue 14): realistic exports and mistakes a new council makes.

Each case writes a real file (CSV text, or an xlsx saved with openpyxl) and asserts a located
InputError at ingest, before anything is published. Many plant a sentinel string, shaped like
personal data, in a header, a sheet name or a cell, and assert it never reaches the message:
errors name only the columns and sheets the project's schemas expect, and locate anything
else by position.
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

EX = REPO / "survey" / "example"
#: planted in headers, sheet names and cells; an email address, so the PII gate reacts too
SENTINEL = "zq.sentinel@example.org"
SENTINEL_TOKEN = "sentinel"


def _problem_text(err: InputError) -> str:
    return str(err) + "\n".join(repr(p) for p in err.problems)


def assert_hidden(err: InputError) -> None:
    text = _problem_text(err).lower()
    assert SENTINEL_TOKEN not in text, f"the message repeats input text:\n{err}"


def _survey(path, questionnaire, schemas, **kw):
    return ingest.ingest_survey(path, questionnaire, schemas["survey"], authority="leicester", **kw)


def _coding(path, codebook, schemas):
    return ingest.ingest_coding(path, codebook, schemas["coding"], authority="leicester")


def _costs(path, schemas):
    return ingest.ingest_costs(path, schemas["costs"], authority="leicester")


def _journeys(path, schemas):
    return ingest.ingest_journeys(path, schemas["journeys"], authority="leicester")


def _edit_xlsx(src: Path, dst: Path, edit) -> Path:
    shutil.copy(src, dst)
    wb = load_workbook(dst)
    edit(wb)
    wb.save(dst)
    return dst


def _column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _place(n: int) -> str:
    """'column n (L)' for the 1-based column n."""
    return f"column {n} ({'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[n - 1]})"


def _coding_header() -> list[str]:
    return (EX / "leicester" / "coding.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def _coding_frame() -> pd.DataFrame:
    return pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)


# ------------------------------------------------------------------ no input text in errors


def test_csv_without_its_header_row_is_located_never_echoed(tmp_path, codebook, schemas):
    """Issue 14.2: the first excerpt became the 'column name' and the PII gate printed it."""
    df = _coding_frame()
    df.loc[0, "text"] = f"Her mobile is on file and her email is {SENTINEL}"  # a header, now
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, header=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_hidden(e.value)
    # the first record is taken for no header at all (it holds none of the expected names)
    assert "is the header row missing?" in str(e.value)


def test_headerless_file_without_personal_data_says_the_header_is_missing(
    tmp_path, codebook, schemas
):
    df = _coding_frame()
    df.loc[0, "text"] = f"A {SENTINEL_TOKEN} remark with no identifier"
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, header=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_hidden(e.value)
    assert "is the header row missing?" in str(e.value)


def test_missing_sheet_lists_the_expected_sheets_never_the_workbooks(tmp_path, schemas):
    """Issue 14.2: a workbook without the expected sheet listed every sheet name it had."""

    def edit(wb):
        wb["Benefits"].title = SENTINEL

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_hidden(e.value)
    msg = str(e.value)
    assert "has no sheet 'Benefits'" in msg
    for sheet in schemas["costs"]["x-sheets"]:
        assert f"'{sheet}'" in msg  # the sheets the workbook should have


def test_missing_sheet_with_a_similar_name_is_pointed_at_by_position(tmp_path, schemas):
    def edit(wb):
        wb["Register"].title = "register "

    p = _edit_xlsx(EX / "leicester" / "journeys.xlsx", tmp_path / "journeys.xlsx", edit)
    with pytest.raises(InputError) as e:
        _journeys(p, schemas)
    names = load_workbook(p).sheetnames
    assert f"sheet {names.index('register ') + 1} of the workbook has a similar name" in str(
        e.value
    )


def test_unknown_column_is_located_by_position(tmp_path, codebook, schemas):
    df = _coding_frame()
    df.insert(3, SENTINEL, "")
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_hidden(e.value)
    assert "column 4 (D)" in str(e.value)


def test_unknown_survey_column_is_located_by_position(tmp_path, questionnaire, schemas):
    df = pd.read_csv(EX / "leicester" / "survey.csv", dtype=str, keep_default_na=False)
    df[f"{SENTINEL_TOKEN} comments"] = "x"
    p = tmp_path / "survey.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_hidden(e.value)
    n = len(df.columns)
    assert f"column {n} (AD)" in str(e.value) and n == 30


# every ingest function, fed the sentinel in each place an input can hide text
def _hostile_inputs(tmp_path: Path):
    cases = []
    # survey CSV: a cell the scale does not know, an unknown column, a duplicated header
    s = pd.read_csv(EX / "leicester" / "survey.csv", dtype=str, keep_default_na=False)
    bad = s.copy()
    bad.loc[3, "Q03"] = f"{SENTINEL_TOKEN} agrees"
    bad.loc[4, "respondent_group"] = SENTINEL_TOKEN
    bad.loc[5, "wave"] = SENTINEL_TOKEN
    p = tmp_path / "survey_cells.csv"
    bad.to_csv(p, index=False, lineterminator="\n")
    cases.append(("survey", p))
    p = tmp_path / "survey_dup.csv"
    lines = (EX / "leicester" / "survey.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln + (f",{SENTINEL}" if i == 0 else ",x") for i, ln in enumerate(lines)]
    lines = [ln + (f",{SENTINEL}" if i == 0 else ",y") for i, ln in enumerate(lines)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cases.append(("survey", p))
    # coding CSV: a code, a role, an id pattern, a formula, an identifier in text
    c = _coding_frame()
    c.loc[2, "code"] = SENTINEL_TOKEN
    c.loc[3, "participant_role"] = SENTINEL_TOKEN
    c.loc[4, "coder"] = f"{SENTINEL_TOKEN} smith"
    c.loc[5, "cleared_for_publication"] = SENTINEL_TOKEN
    p = tmp_path / "coding_cells.csv"
    c.to_csv(p, index=False, lineterminator="\n")
    cases.append(("coding", p))
    c = _coding_frame()
    c.loc[c.excerpt_id == c.loc[0, "excerpt_id"], "text"] = f"=HYPERLINK({SENTINEL_TOKEN})"
    p = tmp_path / "coding_formula.csv"
    c.to_csv(p, index=False, lineterminator="\n")
    cases.append(("coding", p))
    # journeys: an unknown stage, a text volume, a sentinel-named column and a renamed sheet
    p = _edit_xlsx(
        EX / "leicester" / "journeys.xlsx",
        tmp_path / "journeys_cells.xlsx",
        lambda wb: (
            wb["Register"].cell(2, 3, SENTINEL_TOKEN),
            wb["Register"].cell(3, _column(wb["Register"], "volume_per_year"), SENTINEL_TOKEN),
            wb["Register"].cell(1, wb["Register"].max_column + 1, SENTINEL),
            wb["Register"].cell(2, wb["Register"].max_column, "x"),
        ),
    )
    cases.append(("journeys", p))
    p = _edit_xlsx(
        EX / "leicester" / "journeys.xlsx",
        tmp_path / "journeys_sheet.xlsx",
        lambda wb: setattr(wb["Register"], "title", SENTINEL),
    )
    cases.append(("journeys", p))

    # costs: a text number, an unknown option, a sentinel-named parameter and column
    def costs_edit(wb):
        wb["Costs"]["K3"] = SENTINEL_TOKEN
        wb["Costs"]["A4"] = SENTINEL_TOKEN
        wb["Parameters"].append([SENTINEL_TOKEN, SENTINEL_TOKEN])
        ws = wb["Options"]
        ws.cell(1, ws.max_column + 1, SENTINEL)

    cases.append(
        ("costs", _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "c.xlsx", costs_edit))
    )

    def costs_dup(wb):
        ws = wb["Costs"]
        ws.cell(1, 3, SENTINEL)
        ws.cell(1, 4, SENTINEL)

    cases.append(
        ("costs", _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "d.xlsx", costs_dup))
    )
    return cases


def test_no_ingest_error_repeats_a_header_sheet_name_or_cell(
    tmp_path, questionnaire, codebook, schemas
):
    run = {
        "survey": lambda p: _survey(p, questionnaire, schemas),
        "coding": lambda p: _coding(p, codebook, schemas),
        "journeys": lambda p: _journeys(p, schemas),
        "costs": lambda p: _costs(p, schemas),
    }
    for kind, path in _hostile_inputs(tmp_path):
        with pytest.raises(InputError) as e:
            run[kind](path)
        assert_hidden(e.value)
        assert path.name in str(e.value)


# ------------------------------------------------------------------ headers and long cells


def test_duplicated_header_is_a_located_error_not_a_crash(tmp_path, codebook, schemas):
    """Issue 14.4: a duplicated header crashed the PII scan with a pandas TypeError."""
    lines = (EX / "leicester" / "coding.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln + (",text" if i == 0 else ",more") for i, ln in enumerate(lines)]
    p = tmp_path / "coding.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    header = _coding_header()
    text, extra = header.index("text") + 1, len(header) + 1
    assert f"{_place(extra)}: repeats the header 'text' of {_place(text)}" in str(e.value)


def test_trailing_empty_columns_of_an_excel_csv_are_dropped(tmp_path, codebook, schemas):
    """Issue 14.4: Excel's trailing empty columns (",,,") crashed the PII scan."""
    src = EX / "leicester" / "coding.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    p = tmp_path / "coding.csv"
    p.write_text("\n".join(ln + ",,," for ln in lines) + "\n", encoding="utf-8")
    coding, excerpts = _coding(p, codebook, schemas)
    want_coding, want_excerpts = _coding(src, codebook, schemas)
    pd.testing.assert_frame_equal(coding, want_coding)
    pd.testing.assert_frame_equal(excerpts, want_excerpts)


def test_a_column_with_values_but_no_header_is_located(tmp_path, codebook, schemas):
    lines = (EX / "leicester" / "coding.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln + (",," if i == 0 else f",,{SENTINEL_TOKEN}" * (i == 3)) for i, ln in
             enumerate(lines)]  # fmt: skip
    p = tmp_path / "coding.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_hidden(e.value)
    assert f"{_place(len(_coding_header()) + 2)}: has values but no header" in str(e.value)


def test_xlsx_empty_formatted_columns_are_dropped_and_stray_values_located(tmp_path, schemas):
    ncol = load_workbook(EX / "leicester" / "journeys.xlsx")["Register"].max_column

    def edit(wb):
        ws = wb["Register"]
        ws.cell(1, ncol + 3).number_format = "0.00"  # formatted, empty
        ws.cell(5, ncol + 2, "a note")

    p = _edit_xlsx(EX / "leicester" / "journeys.xlsx", tmp_path / "journeys.xlsx", edit)
    with pytest.raises(InputError) as e:
        _journeys(p, schemas)
    assert f"column {ncol + 2}" in str(e.value) and "has values but no header" in str(e.value)
    # the formatted but empty column alone is no problem
    p = _edit_xlsx(
        EX / "leicester" / "journeys.xlsx",
        tmp_path / "formatted.xlsx",
        lambda wb: setattr(wb["Register"].cell(1, ncol + 3), "number_format", "0.00"),
    )
    assert load_workbook(p)["Register"].max_column == ncol + 3
    assert len(_journeys(p, schemas)) == len(_journeys(EX / "leicester" / "journeys.xlsx", schemas))


def test_a_cell_longer_than_the_csv_modules_limit_is_read(tmp_path, codebook, schemas):
    """Issue 14.4: a cell over 131,072 characters crashed the CSV reader."""
    df = _coding_frame()
    long_text = "The referral was read again. " * 6000  # 174,000 characters
    df.loc[df.excerpt_id == df.loc[0, "excerpt_id"], "text"] = long_text
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    _, excerpts = _coding(p, codebook, schemas)
    assert excerpts.loc[0, "text"] == long_text.strip()


def test_an_unclosed_quote_is_located(tmp_path, codebook, schemas):
    lines = (EX / "leicester" / "coding.csv").read_text(encoding="utf-8").splitlines()
    parts = lines[5].split(",")
    t = _coding_header().index("text")
    parts[t] = '"' + parts[t]  # the text cell opens a quote it never closes
    lines[5] = ",".join(parts)
    p = tmp_path / "coding.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert "row 6" in str(e.value) and "check delimiters and quotes" in str(e.value)


# ------------------------------------------------------------------ the business-case input


@pytest.mark.parametrize(
    ("change", "hidden"),
    [
        (
            lambda c: c["decision_rule"]["affordability_limits"].__setitem__(SENTINEL_TOKEN, 1),
            SENTINEL_TOKEN,
        ),
        (
            lambda c: c["decision_rule"]["affordability_limits"].__setitem__(SENTINEL_TOKEN, -5),
            SENTINEL_TOKEN,
        ),
        # ids that match the schema's patterns, so the consistency checks see them
        (lambda c: c["spending_objectives"][0].__setitem__("delivered_by", ["A97"]), "A97"),
        (lambda c: [r.__setitem__("id", "R97") for r in c["management"]["risks"][:2]], "R97"),
        (lambda c: c["management"]["risks"][0].__setitem__("owner_role", SENTINEL), "example"),
    ],
)
def test_no_business_case_error_repeats_a_key_or_value(tmp_path, change, hidden):
    import copy

    import yaml

    schema = yaml.safe_load(
        (REPO / "workflow/schemas/business_case.schema.yaml").read_text("utf-8")
    )
    case = copy.deepcopy(yaml.safe_load((EX / "business_case.yaml").read_text(encoding="utf-8")))
    change(case)
    path = tmp_path / "business_case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    actions = set(pd.read_csv(REPO / "survey/roadmap_actions.csv", dtype=str)["action_id"])
    authorities = {
        a["id"] for a in yaml.safe_load((REPO / "config.yaml").read_text())["authorities"]
    }
    with pytest.raises(InputError) as e:
        ingest.ingest_business_case(path, schema, actions, authority_ids=authorities)
    assert hidden not in _problem_text(e.value), str(e.value)
    assert "key '" in str(e.value)


# ------------------------------------------------------------------ an unforeseen failure


def test_an_ingest_jobs_unexpected_failure_never_logs_the_exceptions_message(tmp_path, capfd):
    """Defence in depth: a bug in an ingest job may raise with input text in its message
    (pandas' KeyError quotes the header); the log and the terminal get the frames only."""
    import logging
    from types import SimpleNamespace

    from analysis.core.io import run_script

    planted = SENTINEL

    def main(_smk):
        raise KeyError(planted)  # (the frame's source line names the variable, not the value)

    log = tmp_path / "ingest.log"
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        with pytest.raises(SystemExit) as e:
            run_script(SimpleNamespace(log=[str(log)], rule="ingest_coding"), main)
        assert e.value.code == 1
        text = log.read_text(encoding="utf-8") + capfd.readouterr().err
        assert "KeyError" in text and "test_hostile_inputs.py" in text
        assert SENTINEL_TOKEN not in text.lower()
        # any other job keeps the whole traceback
        with pytest.raises(KeyError):
            run_script(SimpleNamespace(log=[str(log)], rule="survey_authority"), main)
        assert SENTINEL in log.read_text(encoding="utf-8")
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
