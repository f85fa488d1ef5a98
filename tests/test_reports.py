"""Reports: every document renders to HTML and PDF, and shows the numbers the pipeline computed.

The checks read the rendered files the way a reader would: the HTML parsed with BeautifulSoup,
the PDF's text extracted with pypdf. Expected numbers come from the published key figures,
formatted by the one formatter the reports use (the key figures themselves are checked
against independent recomputation in test_workflow_costs.py and test_workflow_survey.py).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import snakemake
from openpyxl import load_workbook
from pypdf import PdfReader

from analysis.core import formatting as fmt

AUTHS = ["leicester", "lambeth", "milton_keynes", "canterbury"]
NAMES = {
    "leicester": "Leicester City Council",
    "lambeth": "Lambeth London Borough Council",
    "milton_keynes": "Milton Keynes Council",
    "canterbury": "Canterbury City Council",
}
DOCS = ["index", "business-case", "user-research", "roadmap"] + [f"case-study-{a}" for a in AUTHS]
UNRESOLVED = ("{{<", ">}}", "?@", "@fig-", "@tbl-", "@sec-", "@@ID@@")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def html_text(path: Path) -> str:
    return _norm(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" "))


def pdf_text(path: Path) -> str:
    return _norm(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def kf(work: Path, scope: str, stage: str) -> dict:
    return yaml.safe_load(
        (work / "results" / scope / "published" / stage / "key_figures.yaml").read_text()
    )


@pytest.fixture(scope="module")
def reports(pipeline_run):
    work = pipeline_run["dir"]
    out = {}
    for d in DOCS:
        html, pdf = work / f"results/reports/{d}.html", work / f"results/reports/{d}.pdf"
        assert html.is_file() and pdf.is_file(), d
        out[d] = {
            "html": html_text(html),
            "pdf": pdf_text(pdf),
            "soup": BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser"),
            "pdf_path": pdf,
        }
    return work, out


def test_every_document_renders_to_html_and_pdf(reports):
    _, docs = reports
    assert set(docs) == set(DOCS)
    for d, r in docs.items():
        assert len(r["html"]) > 1000, d
        reader = PdfReader(r["pdf_path"])
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), d  # A4 points
        assert "Contents" in r["pdf"], d


def test_business_case_has_the_five_cases(reports):
    _, docs = reports
    r = docs["business-case"]
    h2 = [_norm(h.get_text(" ")) for h in r["soup"].find_all("h2")]
    for case in (
        "Strategic case",
        "Economic case",
        "Commercial case",
        "Financial case",
        "Management case",
    ):
        assert any(case in h for h in h2), case
        assert case in r["pdf"], case


def test_each_councils_npsv_and_bcr_appear(reports):
    work, docs = reports
    for a in AUTHS:
        k = kf(work, a, "costs")
        pref = k["options"][k["preferred_option_id"]]
        npsv, bcr = fmt.money(pref["npsv"]), fmt.ratio(pref["bcr"])
        for d in (f"case-study-{a}", "business-case"):
            for form in ("html", "pdf"):
                assert npsv in docs[d][form], (a, d, form, npsv)
                assert bcr in docs[d][form], (a, d, form, bcr)
        # the wording follows the result
        vfm = str(pref["vfm_category"])
        assert f"{vfm} value for money" in docs[f"case-study-{a}"]["html"]
        pays = (
            "pays back in year" if pref["payback_year"] is not None else "does not pay back within"
        )
        assert pays in docs[f"case-study-{a}"]["html"]


def test_each_case_study_shows_the_sensitivity_charts_of_its_preferred_way_forward(reports):
    """A summarised business case leaves each council's tornado chart and Monte Carlo
    histogram to its case study, so every case study carries them: numbered, with the alt
    text the costs stage wrote for that council's charts (none where business as usual is
    recommended: there is no option to chart)."""
    work, docs = reports
    for a in AUTHS:
        soup, k = docs[f"case-study-{a}"]["soup"], kf(work, a, "costs")
        invests = k["preferred_option_id"] != k["baseline_option_id"]
        for fid, stem in (("fig-tornado", "tornado"), ("fig-mc", "monte_carlo")):
            fig = soup.find(id=fid)
            assert (fig is not None) == invests, (a, fid)
            if invests:
                alt = (work / f"results/{a}/published/costs/{stem}.alt.txt").read_text("utf-8")
                img = fig.find("img")
                assert _norm(img["alt"]) == _norm(alt), (a, fid)
        assert ("One-way sensitivity of the NPSV" in docs[f"case-study-{a}"]["pdf"]) == invests


def test_survey_base_sizes_appear(reports):
    work, docs = reports
    n_prog = fmt.count(kf(work, "programme", "survey")["n_responses"])
    for d in ("index", "user-research"):
        assert f"{n_prog} responses" in docs[d]["html"] or f"surveyed {n_prog}" in docs[d]["html"]
        assert n_prog in docs[d]["pdf"]
    for a in AUTHS:
        n = fmt.count(kf(work, a, "survey")["n_responses"])
        assert f"{n} people answered the survey" in docs[f"case-study-{a}"]["html"]
        assert f"{n} people answered the survey" in docs[f"case-study-{a}"]["pdf"]


def test_flagged_codes_are_named_in_the_user_research_report(reports):
    work, docs = reports
    flagged = kf(work, "programme", "coding")["codes_below_threshold"]
    assert flagged, "the example data is built to have unreliable codes"
    for label in flagged:
        assert label in docs["user-research"]["html"]


def test_no_unresolved_markers(reports):
    _, docs = reports
    for d, r in docs.items():
        for form in ("html", "pdf"):
            for marker in UNRESOLVED:
                assert marker not in r[form], (d, form, marker)
            assert "nan" not in r[form].split(), (d, form)


def test_no_external_resources_and_accessible_html(reports):
    work, docs = reports
    for d, r in docs.items():
        soup = r["soup"]
        raw = (work / f"results/reports/{d}.html").read_text(encoding="utf-8")
        for tag, attr in (
            ("img", "src"),
            ("script", "src"),
            ("link", "href"),
            ("iframe", "src"),
            ("source", "src"),
        ):
            for el in soup.find_all(tag):
                assert not str(el.get(attr, "")).startswith(("http:", "https:", "//")), (d, tag)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", raw), d
        assert not re.search(r"@import", raw), d
        assert soup.html.get("lang") == "en-GB"
        assert len(soup.find_all("h1")) == 1, d
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), d
        for img in soup.find_all("img"):
            assert img.get("alt", "").strip(), (d, "img without alt text")
            assert img["src"].startswith("data:image/png;base64,"), d
        for th in soup.select("thead th"):
            assert th.get("scope") == "col", d


def test_case_studies_are_about_their_own_council(reports):
    _, docs = reports
    for a in AUTHS:
        text = docs[f"case-study-{a}"]["html"]
        assert NAMES[a] in text
        for other in AUTHS:
            if other != a:
                assert NAMES[other] not in text, (a, other)


def test_report_project_holds_no_computation():
    """The .qmd sources contain no executable code chunks and no inline code."""
    from conftest import REPO

    for qmd in (REPO / "report").glob("*.qmd"):
        text = qmd.read_text()
        assert "```{python" not in text and "```{r" not in text and "`{python}" not in text
        assert "`r " not in text, qmd.name


def test_provenance_bundle(pipeline_run):
    """`snakemake --report report.zip` (README) bundles the main figures and tables."""
    work = pipeline_run["dir"]
    snakemake(work, "--report", "report.zip", check=True)
    with zipfile.ZipFile(work / "report.zip") as z:
        names = z.namelist()
    for expected in (
        "cumulative_cash_flow.png",
        "options_results.csv",
        "journey_map.png",
        "agreement.png",
    ):
        assert any(n.endswith(expected) for n in names), expected


def test_changing_one_cost_changes_that_councils_npsv_in_the_reports(pipeline_run, tmp_path):
    """End to end: one cost cell in Leicester's workbook -> new NPSV in its case study and in
    the business case; the other councils' case studies are unchanged byte for byte."""
    src = pipeline_run["dir"]
    work = tmp_path / "project"
    shutil.copytree(src, work, symlinks=True, ignore=shutil.ignore_patterns("report.zip"))
    before = {a: (work / f"results/reports/case-study-{a}.html").read_bytes() for a in AUTHS}
    old = kf(work, "leicester", "costs")
    old_npsv = old["options"]["preferred"]["npsv"]

    book = work / "survey/example/leicester/costs.xlsx"
    wb = load_workbook(book)
    ws = wb["Costs"]
    header = [c.value for c in ws[1]]
    col = header.index("Year 0") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == "preferred" and ws.cell(row, 2).value == "L1":
            ws.cell(row, col, float(ws.cell(row, col).value) + 250000.0)
    wb.save(book)

    snakemake(work, "--cores", "2", check=True)
    new = kf(work, "leicester", "costs")
    new_npsv = new["options"]["preferred"]["npsv"]
    assert new_npsv < old_npsv
    case = html_text(work / "results/reports/case-study-leicester.html")
    business = html_text(work / "results/reports/business-case.html")
    assert fmt.money(new_npsv) in case and fmt.money(old_npsv) not in case
    assert fmt.money(new_npsv) in business
    assert fmt.money(new_npsv) in pdf_text(work / "results/reports/case-study-leicester.pdf")
    for a in AUTHS[1:]:
        assert (work / f"results/reports/case-study-{a}.html").read_bytes() == before[a], a


def test_example_edition_says_its_data_is_synthetic(reports):
    """The bundled inputs are synthetic: the landing page and business case must say so."""
    _, docs = reports
    for d in ("index", "business-case"):
        assert "synthetic example data" in docs[d]["html"], d


def test_every_report_has_its_date_version_sources_and_a_way_back(reports):
    """Each document states its edition date and the code that made it, lists its sources,
    and (other than the final report itself) links back to the final report."""
    _, docs = reports
    for d, r in docs.items():
        assert "2 December 2026" in r["html"] and "2 December 2026" in r["pdf"], d
        assert "produced by council-data-roadmap" in r["html"], d
        headings = [h.get_text(" ", strip=True) for h in r["soup"].find_all(["h2", "h3"])]
        assert "Sources" in headings, d
        assert "Green Book" in r["html"] and "Krippendorff" in r["html"], d
        if d != "index":
            assert r["soup"].find("a", href="index.html"), d


# ------------------------------------------------------------------------------ findings (issue 12, point 6)

#: A raw id: two or more lower-case words joined by underscores ("milton_keynes",
#: "data_inflow"); report text has labels, never ids (file names in links are attributes).
RAW_ID = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _section_elements(soup, section_id: str) -> list:
    """The elements of a section: the ``<section>`` with the id, or (when the id is on the
    heading) the heading's following siblings up to the next heading of its level or above."""
    el = soup.find(id=section_id)
    assert el is not None, section_id
    if not re.fullmatch(r"h[1-6]", el.name):
        return [el]
    level, out = int(el.name[1]), []
    for sib in el.find_next_siblings():
        if re.fullmatch(r"h[1-6]", sib.name or "") and int(sib.name[1]) <= level:
            break
        out.append(sib)
    return out


def _section_text(soup, section_id: str) -> str:
    return _norm(" ".join(e.get_text(" ") for e in _section_elements(soup, section_id)))


def test_research_questions_are_answered_in_their_own_terms(reports):
    """Each RQ section opens with its answer in the question's terms (streams, channels,
    review frequency, value added, re-keying, opportunities), with no raw ids; the final
    report's outcomes give the same answers, link to them and give each council's way forward."""
    _, docs = reports
    soup = docs["user-research"]["soup"]
    expected = {
        "sec-rq1": "data streams come into the services studied",
        "sec-rq2": "reach a decision",
        "sec-rq3": "reviewed for whether they are still needed",
        "sec-rq4": "value added",
        "sec-rq5": "Manual re-keying",
        "sec-rq6": "The opportunities people named most",
    }
    for sec, words in expected.items():
        text = _section_text(soup, sec)
        assert words in text, (sec, words)
        assert not RAW_ID.findall(text), (sec, RAW_ID.findall(text))
    index = docs["index"]
    outcomes = _section_text(index["soup"], "sec-outcomes")
    for words in expected.values():
        assert words in outcomes, words
    links = {
        a.get("href")
        for e in _section_elements(index["soup"], "sec-outcomes")
        for a in e.find_all("a")
    }
    assert {f"user-research.html#sec-rq{i}" for i in range(1, 7)} <= links
    for a in AUTHS:
        assert f"case-study-{a}.html" in links, a
    assert "preferred way forward" in outcomes or "business as usual" in outcomes
    assert not RAW_ID.findall(outcomes), RAW_ID.findall(outcomes)


def _in_short(soup, section_id: str) -> str:
    """The text of the section's first callout (its "In short" answer)."""
    for e in _section_elements(soup, section_id):
        if "callout" in " ".join(e.get("class") or []):
            return _norm(e.get_text(" "))
        inner = e.find(class_=re.compile("callout"))
        if inner is not None:
            return _norm(inner.get_text(" "))
    return ""


def test_rq2_and_rq5_say_when_and_why_and_no_answer_rests_on_an_unreliable_code(reports):
    """Review findings 8 and 20: RQ2 ("when ... and why that way") and RQ5 ("how, when and
    why") had no "when" or "why"; RQ2 was answered with an expectations item (Q23); RQ3's
    "why" rested on two codes below 0.667. Every code the "in short" answers cite is
    reliable or tentative; the others are said to be not established."""
    _, docs = reports
    soup = docs["user-research"]["soup"]
    rq2, rq3, rq5 = (_in_short(soup, f"sec-rq{i}") for i in (2, 3, 5))
    assert "When:" in rq2 and "Why that way:" in rq2
    assert "When:" in rq5 and "Why by hand:" in rq5
    assert "I expect" not in rq2 and "expectations" not in rq2
    assert "Why:" in rq3 and "Why: in the workshops" not in rq3
    for i in range(1, 7):
        text = _in_short(soup, f"sec-rq{i}")
        assert "not reliable: coders agreed too little" not in text, (i, text)


def test_no_lesson_sentence_is_shared_by_two_case_studies(reports):
    """Review finding 36: three case studies ended their lessons with the same sentence."""
    _, docs = reports
    owners: dict[str, set] = {}
    for a in AUTHS:
        for e in _section_elements(docs[f"case-study-{a}"]["soup"], "sec-lessons"):
            for li in e.find_all("li"):
                owners.setdefault(_norm(li.get_text(" ")), set()).add(a)
    shared = {t: o for t, o in owners.items() if len(o) > 1}
    assert owners and shared == {}, shared


def test_case_studies_have_their_own_challenges_achievements_risks_and_lessons(reports):
    """The four sections exist in every case study, hold no raw ids, and differ between
    councils (selected from each council's data, not the same sentences re-numbered)."""
    _, docs = reports
    seen = {}
    for a in AUTHS:
        soup = docs[f"case-study-{a}"]["soup"]
        for sec in ("sec-challenges", "sec-achievements", "sec-risks", "sec-lessons"):
            text = _section_text(soup, sec)
            assert not RAW_ID.findall(text), (a, sec, RAW_ID.findall(text))
            items = tuple(
                re.sub(r"[\d.,£%−]+", "#", _norm(li.get_text(" ")))
                for e in _section_elements(soup, sec)
                for li in e.find_all("li")
            )
            seen.setdefault(sec, set()).add(items)
    for sec, variants in seen.items():
        assert len(variants) > 1, f"{sec} is the same in every case study"


def test_no_raw_id_in_any_reports_text(reports):
    """No register or questionnaire id ("ad_hoc", "milton_keynes") in the text a reader sees
    (issue 12, point 9); links and file names are attributes, not text."""
    _, docs = reports
    for d, r in docs.items():
        assert not RAW_ID.findall(r["html"]), (d, sorted(set(RAW_ID.findall(r["html"]))))
