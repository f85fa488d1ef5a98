"""Tests of analysis.costs.workbook: live formulas, recalculation by LibreOffice, injection safety."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis import costs as ap
from analysis.costs import workbook as wbm

DEFLATORS = pd.DataFrame(
    {"financial_year": ["2023-24", "2024-25", "2025-26"], "index": [90.0, 95.0, 100.0]}
)
GRADES = pd.DataFrame(
    {
        "grade": [1, 2, 3, 4, 5],
        "benefit_reduction": [0.0, 0.05, 0.10, 0.15, 0.25],
        "cost_uplift": [0.0, 0.05, 0.10, 0.15, 0.25],
    }
)
RISKY = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x","y")']


def make_appraisal(n=8):
    params = {
        "authority_name": "=Test council",
        "price_base_year": "2025-26",
        "appraisal_years": n,
        "optimism_bias_category": "equipment_development",
        "optimism_bias_mitigation": 0.85,
        "discount_schedule": "standard",
    }
    options = pd.DataFrame(
        {
            "option_id": ["bau", "pref", "amb"],
            "name": ["Business as usual", "+Preferred", "Ambitious"],
            "category": ["bau", "preferred", "ambitious"],
        }
    )
    rows = []
    for y in range(n):
        rows.append(("bau", "L1", RISKY[0], "staff", "council", 2, "2024-25", "real", y, 1234.56))
        rows.append(("pref", "L1", RISKY[1], "staff", "council", 2, "2024-25", "real", y, 1000.0))
        rows.append(("pref", "L3", RISKY[2], "revenue", "nhs", 3, "2025-26", "nominal", y, 333.33))
        rows.append(("amb", "L1", RISKY[3], "staff", "council", 1, "2025-26", "real", y, 900.0))
    rows.append(("pref", "L2", RISKY[4], "capital", "council", 4, "2023-24", "real", 0, 15_000.0))
    rows.append(("amb", "L2", RISKY[5], "capital", "council", 5, "2025-26", "real", 1, 40_000.0))
    costs = pd.DataFrame(
        rows,
        columns=[
            "option_id",
            "line_id",
            "description",
            "cost_type",
            "agency",
            "confidence_grade",
            "price_year",
            "prices",
            "year",
            "amount",
        ],
    )
    benefits = pd.DataFrame(
        {
            "option_id": ["pref", "pref", "amb"],
            "outcome_id": ["O1", "O2", "O1"],
            "outcome": [RISKY[6], "Plain text", "@risky"],
            "cohort": [800.0, 120.0, 2000.0],
            "engagement_rate": [0.6, 0.9, 0.5],
            "success_rate": [0.35, 0.5, 0.3],
            "deadweight": [0.25, 0.1, 0.2],
            "lag_years": [1, 0, 2],
            "duration_years": [4, np.nan, 5],
            "drop_off": [0.15, 0.0, 0.2],
            "fiscal_value": [55.5, 120.0, 40.0],
            "fiscal_agency": ["nhs", "council", "police"],
            "economic_value": [12.0, 0.0, 25.0],
            "social_value": [7.5, 30.0, 10.0],
            "cashable_share": [0.4, 0.8, 0.2],
            "confidence_grade": [2, 3, 5],
            "price_year": ["2023-24", "2025-26", "2024-25"],
            "source": ["t", "t", "t"],
        }
    )
    costs["sourcing"] = "in_house"
    a = ap.appraise(params, options, costs, benefits, deflators=DEFLATORS, confidence_grades=GRADES)
    return a, options


def test_totals_are_live_formulas(tmp_path):
    from openpyxl import load_workbook

    a, options = make_appraisal()
    path = wbm.write_workbook(a, options, tmp_path / "w.xlsx")
    wb = load_workbook(path)
    tot = wb["Totals"]
    for col in "CDEF":
        assert str(tot[f"{col}2"].value).startswith("=")
    assert "Cash flows" in tot["C2"].value
    assert wb["Cash flows"]["D2"].value.startswith("=SUMIF('Costs adjusted'")
    assert wb["Discount factors"]["C3"].value == "=C2/(1+B3)"
    assert wb["Benefit inputs"]["T2"].value == "=D2*E2*F2*(1-G2)"
    assert "NPV(" not in "".join(str(c.value) for row in tot.iter_rows() for c in row)


def test_totals_mark_the_option_the_decision_rule_prefers(tmp_path):
    """The marker sits on the decision rule's option (here the higher-NPSV one of pref and
    amb, both checked by hand from the results), not on the workbook's "preferred"."""
    from openpyxl import load_workbook

    a, options = make_appraisal()
    _aff, dec = ap.decide_appraisal(a, options, deflators=DEFLATORS)
    res = a.results.set_index("option_id")
    vfm = res[(res["npsv"] > 0) & (res["bcr"] >= 1)]
    expected = vfm["npsv"].idxmax() if len(vfm) else "bau"
    assert dec.preferred_option_id == expected
    wb = load_workbook(wbm.write_workbook(a, options, tmp_path / "w.xlsx", dec))
    rows = list(wb["Totals"].iter_rows(values_only=True))
    assert rows[0][6] == "decision"
    marked = [r[0] for r in rows[1:] if r[6] == wbm.DECISION_MARKER]
    assert marked == ([] if expected == "bau" else [expected])
    readme = [r[0] for r in wb["Read me"].iter_rows(values_only=True)]
    assert any(str(t).startswith("Decision rule:") for t in readme)
    # without a decision the Totals keep their six columns
    plain = load_workbook(wbm.write_workbook(a, options, tmp_path / "p.xlsx"))
    assert plain["Totals"].max_column == 6


def test_formula_injection_safe(tmp_path):
    """OWASP "CSV Injection": text starting with = + - @ tab or CR must stay text."""
    from openpyxl import load_workbook

    a, options = make_appraisal()
    path = wbm.write_workbook(a, options, tmp_path / "w.xlsx")
    wb = load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.replace("\n", "\r") in RISKY + [
                    "=Test council",
                    "+Preferred",
                ]:
                    found[c.value] = c
    # XML 1.0 (section 2.11) reads a lone CR back as LF; the cell must still be text.
    expected = {t.replace("\r", "\n") for t in RISKY}
    assert expected <= set(found)
    for text, cell in found.items():
        assert cell.data_type == "s", text
        assert cell.quotePrefix, text
    # and in the XML none of those strings sits in a formula element
    with zipfile.ZipFile(path) as z:
        xml = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>1+1</f>" not in xml and "<f>HYPERLINK" not in xml and "<f>cmd" not in xml


def test_deterministic_bytes(tmp_path):
    """Saved with analysis.core.xlsx.save_deterministic: its fixed zip and document times."""
    from analysis.core.xlsx import FIXED_ISO, FIXED_ZIP_TIME

    a, options = make_appraisal()
    p1 = wbm.write_workbook(a, options, tmp_path / "a.xlsx")
    p2 = wbm.write_workbook(a, options, tmp_path / "b.xlsx")
    assert p1.read_bytes() == p2.read_bytes()
    with zipfile.ZipFile(p1) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_ZIP_TIME}
        core = z.read("docProps/core.xml").decode()
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_ISO}</dcterms:created>' in core
    assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_ISO}</dcterms:modified>' in core


def _recalculate(src, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install -y --no-install-recommends "
            "libreoffice-calc to run the recalculation check"
        )
    profile = (outdir / "lo_profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir / "out"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return outdir / "out" / src.name


def test_libreoffice_recalculation_matches_python_to_the_penny(tmp_path):
    """Recalculate the workbook in LibreOffice and compare NPSV and BCR with the model."""
    from openpyxl import load_workbook

    a, options = make_appraisal()
    src = wbm.write_workbook(a, options, tmp_path / "w.xlsx")
    out = _recalculate(src, tmp_path)
    wb = load_workbook(out, data_only=True)
    got = {r[0]: r for r in wb["Totals"].iter_rows(min_row=2, values_only=True) if r[0] is not None}
    res = a.results.set_index("option_id")
    assert set(got) == set(res.index) == {"pref", "amb"}
    for oid, (_o, _n, pvc, pvb, npsv, bcr) in got.items():
        assert round(pvc, 2) == round(res.loc[oid, "pv_costs"], 2)
        assert round(pvb, 2) == round(res.loc[oid, "pv_benefits"], 2)
        assert round(npsv, 2) == round(res.loc[oid, "npsv"], 2)
        assert round(bcr, 6) == round(res.loc[oid, "bcr"], 6)
    # the recalculated cumulative cash flow ends at the NPSV as well
    cf = [r for r in wb["Cash flows"].iter_rows(min_row=2, values_only=True) if r[0] == "amb"]
    assert round(cf[-1][9], 2) == round(res.loc["amb", "npsv"], 2)
    # injected text is still text after a round trip through LibreOffice
    texts = {c for row in wb["Cost inputs"].iter_rows(values_only=True) for c in row}
    assert "=1+1" in texts and "@cmd" in texts
