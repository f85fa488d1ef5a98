"""Hostile inputs and config through real Snakemake runs (issue 14, items 2, 3 and 6).

A bad input of any kind stops the run at ingest: nothing under results/*/published or
results/reports is written, even with --keep-going, and no message, job log or Snakemake log
repeats the input's text. Config text full of quotes, colons, '#', '@', line breaks and
non-ASCII letters reaches the rendered reports exactly.
"""

from __future__ import annotations

import shutil

import pandas as pd
import yaml
from bs4 import BeautifulSoup
from conftest import copy_completed_run, copy_repo, snakemake
from openpyxl import load_workbook

SENTINEL = "zq.sentinel@example.org"


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _plant_bad_inputs(work) -> None:
    ex = work / "survey" / "example"
    # Leicester: a coding sheet saved without its header row, an identifier in its first row
    coding = pd.read_csv(ex / "leicester" / "coding.csv", dtype=str, keep_default_na=False)
    coding.loc[0, "text"] = f"Her mobile is on file and her email is {SENTINEL}"
    coding.to_csv(ex / "leicester" / "coding.csv", index=False, header=False, lineterminator="\n")
    # Lambeth: costs in a Year 10 column of a 10-year appraisal
    wb = load_workbook(ex / "lambeth" / "costs.xlsx")
    ws = wb["Costs"]
    col = ws.max_column + 1
    ws.cell(1, col, "Year 10")
    for r in range(2, 12):
        ws.cell(r, col, 750_000)
    wb.save(ex / "lambeth" / "costs.xlsx")
    # Milton Keynes: the register's sheet renamed to something personal
    wb = load_workbook(ex / "milton_keynes" / "journeys.xlsx")
    wb["Register"].title = SENTINEL
    wb.save(ex / "milton_keynes" / "journeys.xlsx")
    # Canterbury: a duplicated header and Excel's trailing empty columns in the survey
    lines = (ex / "canterbury" / "survey.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln + (",Q03,," if i == 0 else ",x,,") for i, ln in enumerate(lines)]
    (ex / "canterbury" / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_bad_inputs_stop_the_run_before_anything_is_published(tmp_path):
    work = copy_repo(tmp_path / "project")
    _plant_bad_inputs(work)
    proc = snakemake(work, "--cores", "2", "--keep-going")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    published = [p for p in (work / "results").glob("*/published/**/*") if p.is_file()]
    assert published == []
    assert not (work / "results" / "reports").exists()
    assert not (work / "results" / "manifest.csv").exists()
    for expected in (
        # the header row is missing, so the first excerpt stands where the header should be:
        # said by position, without repeating it (or the identifier planted in it)
        "coding.csv, row 1: row 1 holds none of the expected column names; is the header row "
        "missing?",
        "sheet 'Costs', column 'Year 10' (T): is beyond the appraisal period",
        "journeys.xlsx: has no sheet 'Register'",
        "survey.csv, row 1, column 30 (AD): repeats the header 'Q03' of column 6 (F)",
    ):
        assert expected in out, out[-4000:]
    logs = [*(work / "logs").rglob("*.log"), *(work / ".snakemake" / "log").glob("*.log")]
    assert logs
    for text in [out, *(p.read_text(encoding="utf-8", errors="replace") for p in logs)]:
        assert "sentinel" not in text.lower()


def test_config_text_reaches_the_reports_exactly(pipeline_run, tmp_path):
    work = copy_completed_run(pipeline_run, tmp_path / "project")
    config = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    title = 'The "data" journey: #1 review of @council\'s services\n— Région *not bold*'
    lead = '@Partners: "Four" councils # one'
    council = 'St. Hélène\'s "City": Council #2 @here'
    config["authorities"][0]["name"] = council
    hostile = {
        "programme": {**config["programme"], "title": title, "lead_organisation": lead},
        "authorities": config["authorities"],
    }
    (work / "hostile.yaml").write_text(yaml.safe_dump(hostile, allow_unicode=True), "utf-8")
    # only the reports are rebuilt (other jobs would re-run for the changed names; the
    # report jobs are what turns config text into title pages)
    proc = snakemake(
        work, "--cores", "2", "--configfile", "hostile.yaml",
        "--rerun-triggers", "mtime", "--forcerun", "report_build", "report_case_study",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    reports = work / "results" / "reports"
    generated = sorted((reports / "build").glob("*/_generated/**/*.md"))
    assert len({md.relative_to(reports / "build").parts[0] for md in generated}) == 5
    for md in generated:  # every sentence, caption
        text = md.read_text(encoding="utf-8")
        assert council not in text and lead not in text, md.name
    index = BeautifulSoup((reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert _flat(index.title.get_text()) == _flat(title)
    assert _flat(index.find("h1").get_text()) == _flat(title)
    assert _flat(lead) in _flat(index.get_text(" "))
    assert not index.find("h1").find("em") and not index.select(".citation")
    case = BeautifulSoup(
        (reports / "case-study-leicester.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert _flat(case.find("h1").get_text()) == f"Case study: {_flat(council)}"
    assert _flat(council) in _flat(" ".join(p.get_text() for p in case.find_all("p")))
    assert not case.select(".citation")
    shutil.rmtree(work)


def test_a_benefit_line_the_business_case_does_not_cover_stops_the_run_at_the_gate(
    pipeline_run, tmp_path
):
    """The business case's benefits-realisation entries must cover every monetised benefit
    line of the cost workbooks. Each input is valid alone, so the gate (the manifest job)
    checks them against each other: a re-run after Canterbury's entry is removed stops there,
    names the workbook's sheet, row and column, and nothing published changes."""
    work = copy_completed_run(pipeline_run, tmp_path / "project")
    path = work / "survey" / "example" / "business_case.yaml"
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = case["benefits"]["realisation"]
    case["benefits"]["realisation"] = [
        e for e in entries if not (e.get("councils") == ["canterbury"] and e["outcomes"] == ["O1"])
    ]
    assert len(case["benefits"]["realisation"]) == len(entries) - 1
    path.write_text(yaml.safe_dump(case, sort_keys=False, allow_unicode=True), encoding="utf-8")
    published = {p: p.stat().st_mtime_ns for p in (work / "results").rglob("published/**/*")}
    proc = snakemake(work, "--cores", "2")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "canterbury/costs.xlsx, sheet 'Benefits', row" in out, out[-3000:]
    assert "column 'outcome_id': this monetised benefit line is covered by no entry" in out
    assert {p: p.stat().st_mtime_ns for p in published} == published
