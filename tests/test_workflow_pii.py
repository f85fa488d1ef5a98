"""Issue 14 end to end: identifiers in the formats people write stop the run at ingest, with a
located error that repeats no value, before anything is published; and every maturity level
the journeys stage publishes can be derived from the published survey counts alone.

Run on a copy of the session's finished example run (``copy_completed_run``): only the two
changed councils' ingest jobs run, and fail.
"""

from __future__ import annotations

import math

import pandas as pd
from conftest import copy_completed_run, load_yaml, snakemake
from openpyxl import load_workbook

AUTHORITIES = ("leicester", "lambeth", "milton_keynes", "canterbury")
MARKER = "[c]"


def _stamps(folder):
    return {p: p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_identifiers_in_written_formats_stop_the_run(pipeline_run, tmp_path):
    """A cleared excerpt of Canterbury's coding sheet with an ISO date of birth and a postcode
    written with a no-break space, and an email with spaces around @ in a free-text column of
    Leicester's register (screened by no gate before): both refused, located by file, sheet,
    row and column, the values nowhere in the output or the logs; nothing under results/ is
    rewritten but the refused jobs' own outputs, which are removed."""
    work = copy_completed_run(pipeline_run, tmp_path / "p")
    cfg = {a["id"]: a for a in load_yaml("config.yaml")["authorities"]}
    coding = work / cfg["canterbury"]["inputs"]["coding"]
    df = pd.read_csv(coding, dtype=str, keep_default_na=False)
    cleared = df[df["cleared_for_publication"] == "yes"]["excerpt_id"].iloc[3]
    planted = "DOB: 1981-04-03, she stays at CT2\u00a08PQ with her aunt"
    df.loc[df["excerpt_id"] == cleared, "text"] = planted
    df.to_csv(coding, index=False, lineterminator="\n")
    coding_row = int(df.index[df["excerpt_id"] == cleared][0]) + 2
    text_letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(df.columns).index("text")]

    register = work / cfg["leicester"]["inputs"]["journeys"]
    wb = load_workbook(register)
    ws = wb["Register"]
    col = [c.value for c in ws[1]].index("security_controls") + 1
    ws.cell(4, col, "Shared mailbox, ask jo.bloggs @ example.org for access")
    wb.save(register)

    before = _stamps(work / "results")
    proc = snakemake(work, "--cores", "2", "--keep-going")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    logs = "".join(
        (work / "logs" / a / f"ingest_{k}.log").read_text("utf-8")
        for a, k in (("canterbury", "coding"), ("leicester", "journeys"))
    )
    for text in (out, logs):
        assert (
            f"coding.csv, row {coding_row}, column 'text' ({text_letter}): holds what looks like a full postcode"
            in text
        ), text
        assert (
            f"row {coding_row}, column 'text' ({text_letter}): holds what looks like a date of birth"
            in text
        )
        assert (
            "journeys.xlsx, sheet 'Register', row 4, column 'security_controls' (H): "
            "holds what looks like an email address" in text
        ), text
        for value in ("1981-04-03", "8PQ", "jo.bloggs", "example.org"):
            assert value not in text, value
    # Snakemake removes the refused jobs' old outputs before running them; nothing else under
    # results/ is touched (nothing assessed or published from the refused inputs)
    refused = {
        work / "results" / "canterbury" / "ingest" / "coding.csv",
        work / "results" / "canterbury" / "ingest" / "excerpts.csv",
        work / "results" / "leicester" / "ingest" / "journeys.csv",
        work / "results" / "leicester" / "ingest" / "systems.csv",  # the register's 2nd sheet
    }
    assert not any(p.exists() for p in refused)
    assert _stamps(work / "results") == {p: t for p, t in before.items() if p not in refused}


def _level(value: float, thresholds) -> int:
    return 1 + sum(value >= t for t in thresholds)


def test_published_maturity_levels_follow_from_published_counts(pipeline_run):
    """Every survey indicator's published level is the rubric level of 100 x n_agree / n as
    published in survey_agreement.csv; where n_agree is the marker, the level is the same for
    every count 1..7 over the published n, or empty (the value is empty either way)."""
    work = pipeline_run["dir"]
    rubric = pd.read_csv(work / "survey/maturity_rubric.csv")
    survey_rows = rubric[rubric["source"] == "survey"].set_index("indicator_id")
    checked = 0
    for a in AUTHORITIES:
        pub = work / "results" / a / "published" / "journeys"
        agree = pd.read_csv(pub / "survey_agreement.csv", dtype=str).set_index("construct")
        ind = pd.read_csv(pub / "maturity_indicators.csv", dtype=str, keep_default_na=False)
        for r in ind[ind["source"] == "survey"].itertuples():
            th = survey_rows.loc[r.indicator_id, ["level_2", "level_3", "level_4", "level_5"]]
            n, n_agree = agree.loc[r.argument, "n"], agree.loc[r.argument, "n_agree"]
            if n == MARKER or (n_agree != MARKER and int(n) == 0):
                expected = ""
            elif n_agree == MARKER:
                levels = {_level(100 * k / int(n), th) for k in range(1, 8)}
                expected = str(levels.pop()) if len(levels) == 1 else ""
                assert r.value == ""
            else:
                pct = 100 * int(n_agree) / int(n)
                expected = str(_level(pct, th))
                assert math.isclose(float(r.value), round(pct, 1), abs_tol=0.051)
            assert r.level == expected, (a, r.indicator_id)
            checked += 1
    assert checked == 4 * len(survey_rows)
