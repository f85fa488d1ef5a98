"""Ingest: good inputs normalise as documented; each bad input gets a located error.

Every bad-input case asserts (1) InputError is raised, (2) the message names the file and,
where the input has them, the sheet, row and column, (3) it says what was expected, and
(4) it never contains the planted offending value.
"""

from __future__ import annotations

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


# ----------------------------------------------------------------------------- helpers


def _csv_rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _edit_csv_cell(src: Path, dst: Path, row: int, column: str, value: str) -> Path:
    """Copy a CSV, setting one cell (row = 1-based file row)."""
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(dst, index=False, lineterminator="\n")
    return dst


def _edit_xlsx(src: Path, dst: Path, edit) -> Path:
    shutil.copy(src, dst)
    wb = load_workbook(dst)
    edit(wb)
    wb.save(dst)
    return dst


def _survey(path, q, schemas, **kw):
    return ingest.ingest_survey(
        path, q, schemas["survey"], authority="leicester", extra_patterns=PII, **kw
    )


def _coding(path, cb, schemas):
    return ingest.ingest_coding(
        path, cb, schemas["coding"], authority="leicester", extra_patterns=PII
    )


def _costs(path, schemas):
    return ingest.ingest_costs(path, schemas["costs"], authority="leicester")


def _journeys(path, schemas):
    return ingest.ingest_journeys(path, schemas["journeys"], authority="leicester")


def assert_located(
    err: InputError,
    *,
    file: str,
    expected: str,
    row=None,
    column=None,
    sheet=None,
    hidden: str | None = None,
):
    msg = str(err)
    assert file in msg
    assert expected in msg, msg
    if row is not None:
        assert f"row {row}" in msg, msg
    if column is not None:
        assert f"column '{column}'" in msg, msg
    if sheet is not None:
        assert f"sheet '{sheet}'" in msg, msg
    if hidden is not None:
        assert hidden not in msg, "the message repeats the offending value"


# ----------------------------------------------------------------------------- good inputs


def test_survey_normalises_labels_codes_and_missing(tmp_path, questionnaire, schemas):
    header = "response_id,respondent_group,wave," + ",".join(
        it["id"] for it in questionnaire["items"]
    )
    n_items = len(questionnaire["items"])
    likert = [it for it in questionnaire["items"] if it["type"] == "likert"]

    categorical = {"Q21": "Never", "Q22": "On paper"}

    def row(rid, group, first):
        answers = iter(list(first) + ["3"] * (len(likert) - len(first)))
        # each item in questionnaire order: a Likert answer, or the categorical option
        cells = [
            categorical[it["id"]] if it["type"] != "likert" else next(answers)
            for it in questionnaire["items"]
        ]
        return f"{rid},{group},1," + ",".join(cells)

    lines = [
        header,
        row(
            "R1",
            "Frontline staff",
            [
                "5. Strongly agree",
                "Tend to agree",
                "2",
                "Don't know",
                "Prefer not to say",
                "",
                "neither agree nor disagree",
                "1 - Strongly disagree",
            ],
        ),
        row("R2", "partner_agency", ["Strongly agree", "Disagree", "Tend to disagree", "4"]),
    ]
    survey, missing = _survey(_write(tmp_path / "s.csv", lines), questionnaire, schemas)
    assert list(survey.columns[:4]) == ["authority", "response_id", "respondent_group", "wave"]
    assert survey.shape == (2, 4 + n_items)
    r1 = survey.iloc[0]
    assert r1["respondent_group"] == "frontline_staff"  # label mapped to id
    assert [r1[c] for c in ("Q01", "Q02", "Q03", "Q07", "Q08")] == [5, 4, 2, 3, 1]
    assert pd.isna(r1["Q04"]) and pd.isna(r1["Q05"]) and pd.isna(r1["Q06"])
    assert str(survey["Q01"].dtype) == "Int64"
    assert survey.loc[0, "Q21"] == "never" and survey.loc[0, "Q22"] == "paper"
    reasons = dict(zip(missing["item_id"], missing["reason"], strict=True))
    assert reasons == {"Q04": "dont_know", "Q05": "prefer_not_to_say", "Q06": "not_answered"}
    assert (missing["response_id"] == "R1").all()


def test_example_inputs_ingest(questionnaire, codebook, schemas, example_config):
    for a in example_config["authorities"]:
        survey, missing = ingest.ingest_survey(
            REPO / a["inputs"]["survey"],
            questionnaire,
            schemas["survey"],
            authority=a["id"],
            fmt=a.get("survey_format"),
            extra_patterns=example_config["pii"]["extra_patterns"],
        )
        assert 80 <= len(survey) <= 200
        assert survey["respondent_group"].nunique() >= 4
        assert set(missing["reason"]) == {"dont_know", "prefer_not_to_say", "not_answered"}
        coding, excerpts = ingest.ingest_coding(
            REPO / a["inputs"]["coding"], codebook, schemas["coding"], authority=a["id"]
        )
        # one excerpt per statement the example's workshops heard (survey/example_excerpts.py)
        assert len(excerpts) == len(_example_statements()[a["id"]])
        assert set(coding["coder"]) >= {"C1", "C2"}
        assert excerpts["session_participants"].ge(1).all()
        journeys = ingest.ingest_journeys(
            REPO / a["inputs"]["journeys"], schemas["journeys"], authority=a["id"]
        )
        assert 6 <= journeys["stream_id"].nunique() <= 12
        assert {"police", "nhs", "public"} & set(journeys["source"])
        costs = ingest.ingest_costs(
            REPO / a["inputs"]["costs"], schemas["costs"], authority=a["id"]
        )
        assert (costs["options"]["category"] == "bau").sum() == 1
        assert (costs["costs"]["amount"] >= 0).all()


def test_milton_keynes_baseline_uses_programme_figures(schemas):
    """programme.md: 750 assessments and 1,050 reviews costing £1.9M in 2017/18."""
    costs = _costs(EX / "milton_keynes" / "costs.xlsx", schemas)
    b = costs["baseline"]
    assert set(b["volume"]) == {750, 1050}
    assert b["total_cost"].sum() == pytest.approx(1_900_000)
    assert set(b["price_year"]) == {"2017-18"}


def test_platform_export_drops_identifier_columns(questionnaire, schemas, example_config):
    mk = next(a for a in example_config["authorities"] if a["id"] == "milton_keynes")
    survey, _ = ingest.ingest_survey(
        REPO / mk["inputs"]["survey"],
        questionnaire,
        schemas["survey"],
        authority="milton_keynes",
        fmt=mk["survey_format"],
    )
    assert "Email" not in survey.columns and "Name" not in survey.columns
    # without drop_columns the identifier columns are refused by the PII gate
    fmt = {**mk["survey_format"], "drop_columns": ["ID", "Start time", "Completion time"]}
    with pytest.raises(InputError) as e:
        ingest.ingest_survey(
            REPO / mk["inputs"]["survey"],
            questionnaire,
            schemas["survey"],
            authority="milton_keynes",
            fmt=fmt,
        )
    # located by position: a header that is not an expected column is never repeated
    header = [c.value for c in load_workbook(REPO / mk["inputs"]["survey"])["Sheet1"][1]]
    for h in ("Email", "Name"):
        j = header.index(h)
        assert f"column {j + 1} ({chr(ord('A') + j)})" in str(e.value)
        assert f"'{h}'" not in str(e.value)
    assert "anonymous" not in str(e.value)


def test_costs_long_form_and_financial_years(schemas):
    costs = _costs(EX / "leicester" / "costs.xlsx", schemas)
    c = costs["costs"]
    assert set(c["year"]) == set(range(10))
    wb = load_workbook(EX / "leicester" / "costs.xlsx", data_only=True)
    ws = wb["Costs"]
    header = [x.value for x in ws[1]]
    first = [x.value for x in ws[2]]
    row = dict(zip(header, first, strict=True))
    got = c[(c.option_id == row["option_id"]) & (c.line_id == row["line_id"])]
    assert list(got["amount"]) == [float(row[f"Year {i}"]) for i in range(10)]
    assert ingest.normalise_financial_year("2017/18") == "2017-18"
    assert ingest.normalise_financial_year("2017-2018") == "2017-18"
    assert ingest.normalise_financial_year("2017/19") is None


# ----------------------------------------------------------------------------- bad inputs


def test_bad_survey_missing_item_column(tmp_path, questionnaire, schemas):
    df = pd.read_csv(EX / "leicester" / "survey.csv", dtype=str, keep_default_na=False)
    p = tmp_path / "survey.csv"
    df.drop(columns=["Q05"]).to_csv(p, index=False)
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(e.value, file="survey.csv", column="Q05", expected="every questionnaire item")


def test_bad_survey_unknown_likert_label(tmp_path, questionnaire, schemas):
    p = _edit_csv_cell(
        EX / "leicester" / "survey.csv", tmp_path / "survey.csv", 7, "Q03", "Sort of agree-ish"
    )
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(
        e.value,
        file="survey.csv",
        row=7,
        column="Q03",
        expected="not a label of the 'agreement' scale",
        hidden="Sort of agree-ish",
    )


def test_bad_survey_out_of_range_code(tmp_path, questionnaire, schemas):
    p = _edit_csv_cell(EX / "leicester" / "survey.csv", tmp_path / "survey.csv", 4, "Q10", "7")
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(e.value, file="survey.csv", row=4, column="Q10", expected="out of range")


def test_bad_survey_duplicate_ids(tmp_path, questionnaire, schemas):
    lines = _csv_rows(EX / "leicester" / "survey.csv")
    dup = lines[5].split(",")[0]
    lines[9] = dup + lines[9][lines[9].index(",") :]
    with pytest.raises(InputError) as e:
        _survey(_write(tmp_path / "survey.csv", lines), questionnaire, schemas)
    assert_located(e.value, file="survey.csv", row=10, column="response_id", expected="unique")


def test_bad_survey_unknown_respondent_group(tmp_path, questionnaire, schemas):
    p = _edit_csv_cell(
        EX / "leicester" / "survey.csv",
        tmp_path / "survey.csv",
        3,
        "respondent_group",
        "Councillor",
    )
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(
        e.value,
        file="survey.csv",
        row=3,
        column="respondent_group",
        expected="expected one of: frontline_staff",
        hidden="Councillor",
    )


def test_bad_empty_file(tmp_path, questionnaire, schemas):
    p = tmp_path / "survey.csv"
    p.write_bytes(b"")
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(e.value, file="survey.csv", expected="empty")


def test_bad_header_only(tmp_path, questionnaire, schemas):
    lines = _csv_rows(EX / "leicester" / "survey.csv")[:1]
    with pytest.raises(InputError) as e:
        _survey(_write(tmp_path / "survey.csv", lines), questionnaire, schemas)
    assert_located(e.value, file="survey.csv", expected="no data rows")


def test_bad_wrong_delimiter(tmp_path, questionnaire, schemas):
    lines = [ln.replace(",", ";") for ln in _csv_rows(EX / "leicester" / "survey.csv")]
    with pytest.raises(InputError) as e:
        _survey(_write(tmp_path / "survey.csv", lines), questionnaire, schemas)
    assert_located(e.value, file="survey.csv", row=1, expected="separated by semicolons")


def test_bad_wrong_encoding(tmp_path, codebook, schemas):
    text = (EX / "leicester" / "coding.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[3] = lines[3].replace(" ", " Caf\u00e9 ", 1)  # the first space is in the text
    p = tmp_path / "coding.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(e.value, file="coding.csv", row=4, expected="not UTF-8")


def test_bad_formula_injection_cell(tmp_path, codebook, schemas):
    payload = '=HYPERLINK("http://example.invalid","click")'
    p = _edit_csv_cell(EX / "leicester" / "coding.csv", tmp_path / "coding.csv", 2, "text", payload)
    # keep the excerpt consistent across its rows so only the injection is reported
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[df.excerpt_id == df.loc[0, "excerpt_id"], "text"] = payload
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(
        e.value,
        file="coding.csv",
        row=2,
        column="text",
        expected="run as a formula",
        hidden="HYPERLINK",
    )


def test_bad_unknown_code(tmp_path, codebook, schemas):
    p = _edit_csv_cell(
        EX / "leicester" / "coding.csv", tmp_path / "coding.csv", 5, "code", "made_up_code"
    )
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(
        e.value,
        file="coding.csv",
        row=5,
        column="code",
        expected="not an allowed value",
        hidden="made_up_code",
    )


def test_bad_missing_column_in_coding(tmp_path, codebook, schemas):
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    p = tmp_path / "coding.csv"
    df.drop(columns=["cleared_for_publication"]).to_csv(p, index=False)
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(e.value, file="coding.csv", expected="has no column 'cleared_for_publication'")


def _example_statements() -> dict:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "example_excerpts", REPO / "survey" / "example_excerpts.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.STATEMENTS


def test_coding_sheet_needs_the_attendance_of_each_session(tmp_path, codebook, schemas):
    """The disclosure rule needs each session's attendance: a sheet without the column is
    refused, naming it; a session given two attendances is refused at the row that differs;
    an attendance of 0 is refused (an interview is 1). Values never appear in the message."""
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    p = tmp_path / "coding.csv"
    df.drop(columns=["session_participants"]).to_csv(p, index=False)
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(e.value, file="coding.csv", expected="has no column 'session_participants'")
    session = df.loc[0, "session_id"]
    rows = df.index[df["session_id"] == session]
    assert len(rows) >= 2
    bad = df.copy()
    bad.loc[rows[1], "session_participants"] = str(
        int(df.loc[rows[0], "session_participants"]) + 40
    )
    bad.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(e.value, file="coding.csv", row=int(rows[1]) + 2,
                   column="session_participants", expected="one number of participants per session")  # fmt: skip
    zero = df.copy()
    zero.loc[rows, "session_participants"] = "0"
    zero.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(e.value, file="coding.csv", column="session_participants",
                   expected="number of people who took part")  # fmt: skip


def test_bad_inconsistent_excerpt(tmp_path, codebook, schemas):
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    first = df.loc[0, "excerpt_id"]
    rows = df.index[df.excerpt_id == first]
    assert len(rows) >= 2
    df.loc[rows[1], "participant_role"] = (
        "analyst" if df.loc[rows[0], "participant_role"] != "analyst" else "resident"
    )
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(
        e.value,
        file="coding.csv",
        row=int(rows[1]) + 2,
        column="participant_role",
        expected="one value per excerpt",
    )


def test_bad_costs_missing_sheet(tmp_path, schemas):
    p = _edit_xlsx(
        EX / "leicester" / "costs.xlsx",
        tmp_path / "costs.xlsx",
        lambda wb: wb.remove(wb["Benefits"]),
    )
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", expected="has no sheet 'Benefits'")


def test_bad_costs_text_in_numeric_cell(tmp_path, schemas):
    def edit(wb):
        wb["Costs"]["K3"] = "about forty thousand"  # column K = "Year 1", row 3

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value,
        file="costs.xlsx",
        sheet="Costs",
        row=3,
        column="Year 1",
        expected="expected a number",
        hidden="forty",
    )
    assert "(K)" in str(e.value)  # spreadsheet column letter given


def test_bad_costs_negative_cost(tmp_path, schemas):
    def edit(wb):
        wb["Costs"]["J4"] = -5000  # column J = "Year 0"

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value, file="costs.xlsx", sheet="Costs", row=4, column="Year 0", expected="£0 or more"
    )


def test_bad_costs_rate_out_of_range(tmp_path, schemas):
    def edit(wb):
        ws = wb["Benefits"]
        col = [c.value for c in ws[1]].index("success_rate") + 1
        ws.cell(2, col, 1.7)

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value, file="costs.xlsx", sheet="Benefits", row=2, column="success_rate", expected="≤ 1"
    )


def test_bad_costs_unknown_option(tmp_path, schemas):
    def edit(wb):
        wb["Costs"]["A3"] = "gold_plated"

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value,
        file="costs.xlsx",
        sheet="Costs",
        row=3,
        column="option_id",
        expected="not on the Options sheet",
    )


def test_bad_costs_formula_without_value(tmp_path, schemas):
    def edit(wb):
        wb["Costs"]["J3"] = "=1000*2"  # openpyxl saves no cached value

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value,
        file="costs.xlsx",
        sheet="Costs",
        row=3,
        column="Year 0",
        expected="formula with no saved value",
    )


def test_bad_costs_missing_parameter(tmp_path, schemas):
    def edit(wb):
        ws = wb["Parameters"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == "price_base_year":
                ws.delete_rows(r)
                break

    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx", edit)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(
        e.value,
        file="costs.xlsx",
        sheet="Parameters",
        expected="required parameter 'price_base_year'",
    )


def test_bad_not_an_xlsx(tmp_path, schemas):
    p = tmp_path / "costs.xlsx"
    shutil.copy(EX / "leicester" / "survey.csv", p)
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", expected="not an .xlsx workbook")


def test_bad_journeys_unknown_stage_and_duplicate(tmp_path, schemas):
    def edit(wb):
        ws = wb["Register"]
        ws["C2"] = "teleportation"
        for c in range(1, ws.max_column + 1):
            ws.cell(5, c, ws.cell(4, c).value)

    p = _edit_xlsx(EX / "leicester" / "journeys.xlsx", tmp_path / "journeys.xlsx", edit)
    with pytest.raises(InputError) as e:
        _journeys(p, schemas)
    assert_located(
        e.value,
        file="journeys.xlsx",
        sheet="Register",
        row=2,
        column="stage",
        expected="expected one of: capture",
        hidden="teleportation",
    )
    assert_located(e.value, file="journeys.xlsx", sheet="Register", row=5, expected="unique")


def test_bad_journeys_negative_volume(tmp_path, schemas):
    def edit(wb):
        ws = wb["Register"]
        col = [c.value for c in ws[1]].index("volume_per_year") + 1
        ws.cell(3, col, -10)

    p = _edit_xlsx(EX / "leicester" / "journeys.xlsx", tmp_path / "journeys.xlsx", edit)
    with pytest.raises(InputError) as e:
        _journeys(p, schemas)
    assert_located(
        e.value,
        file="journeys.xlsx",
        sheet="Register",
        row=3,
        column="volume_per_year",
        expected="≥ 0",
    )


# ----------------------------------------------------------------------------- PII gate


@pytest.mark.parametrize(
    "planted, kind",
    [
        ("You can email me on sam.example@example.org", "email address"),
        ("Her number is 07700 900123", "UK telephone number"),
        ("NHS number 943 476 5919 on the form", "NHS number"),
        ("NI number AB 12 34 56 C", "National Insurance number"),
        ("She lives in CT1 2EH near the station", "full postcode"),
        ("DOB 14/02/1990 was recorded", "date of birth"),
        ("see MOS-1234567 for details", "case reference (Mosaic-style)"),
    ],
)
def test_pii_gate_refuses_coding_text(tmp_path, codebook, schemas, planted, kind):
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    target = df.loc[10, "excerpt_id"]
    df.loc[df.excerpt_id == target, "text"] = planted
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    first_row = int(df.index[df.excerpt_id == target][0]) + 2
    with pytest.raises(InputError) as e:
        _coding(p, codebook, schemas)
    assert_located(
        e.value,
        file="coding.csv",
        row=first_row,
        column="text",
        expected=f"looks like {pii.with_article(kind)}",
    )
    assert planted not in str(e.value)
    for token in planted.split():
        if len(token) >= 5 and (any(ch.isdigit() for ch in token) or "@" in token):
            assert token not in str(e.value)


def test_pii_gate_allows_postcode_district(tmp_path, codebook, schemas):
    df = pd.read_csv(EX / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    target = df.loc[10, "excerpt_id"]
    df.loc[df.excerpt_id == target, "text"] = "Most reports come from around CT1 and CT2."
    p = tmp_path / "coding.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    coding, excerpts = _coding(p, codebook, schemas)
    assert "Most reports come from around CT1 and CT2." in set(excerpts["text"])


def test_pii_gate_refuses_identifier_header(tmp_path, questionnaire, schemas):
    df = pd.read_csv(EX / "leicester" / "survey.csv", dtype=str, keep_default_na=False)
    df.insert(1, "Respondent name", "")
    p = tmp_path / "survey.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(InputError) as e:
        _survey(p, questionnaire, schemas)
    assert_located(
        e.value, file="survey.csv", expected="header names an identifier", hidden="Respondent name"
    )
    assert "column 2 (B)" in str(e.value)  # located by position, never by the input's header


def test_inputs_are_not_written(tmp_path, questionnaire, codebook, schemas):
    """Ingest reads only: the files are byte-identical afterwards."""
    paths = [
        EX / "leicester" / n for n in ("survey.csv", "coding.csv", "costs.xlsx", "journeys.xlsx")
    ]
    before = [p.read_bytes() for p in paths]
    _survey(paths[0], questionnaire, schemas)
    _coding(paths[1], codebook, schemas)
    _costs(paths[2], schemas)
    _journeys(paths[3], schemas)
    assert [p.read_bytes() for p in paths] == before
