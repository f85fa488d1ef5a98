"""Both renderers on the same sources: genuine Quarto (1.7.34 in CI) and the pandoc/typst
fallback.

- Deliberately broken sources (a mid-line include, a shortcode inside an attribute, an unknown
  variable, an unresolved cross-reference) fail the render under each renderer, and nothing is
  written to the output folder.
- The example programme's report project, rendered by Quarto in the pipeline run, is rendered
  again with the fallback; what a reader depends on must agree: titles, language, numbered
  section headings and the table of contents, figure and table numbers and captions,
  cross-reference texts, alt texts, callouts, included content, page size.
- The PDFs of both carry the document language, tagged headings, and every figure's alt text.

Where Quarto is not on PATH these tests skip, naming the install script; with
``REQUIRE_QUARTO=1`` (set by ``.ci/run``) they fail instead, so CI never skips them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.render import RenderError, render_project

INSTALL = "bash ../shared/tools/quarto/install.sh (prints the folder to put on PATH)"
DOCS = ["index", "business-case", "user-research", "roadmap"] + [
    f"case-study-{a}" for a in ("leicester", "lambeth", "milton_keynes", "canterbury")
]


@pytest.fixture(scope="module")
def quarto():
    exe = shutil.which("quarto")
    if exe is None:
        if os.environ.get("REQUIRE_QUARTO"):
            pytest.fail(f"REQUIRE_QUARTO is set but quarto is not on PATH: {INSTALL}")
        pytest.skip(f"quarto is not on PATH; install it with {INSTALL}")
    return exe


# ------------------------------------------------------------------------------ broken sources


def _project(tmp_path: Path, body: str) -> Path:
    from analysis.core.plotting import new_figure, save_figure

    project = tmp_path / "project"
    project.mkdir()
    (project / "_quarto.yml").write_text("project:\n  type: default\nlang: en-GB\n")
    (project / "_variables.yml").write_text('x: "hello"\n')
    (project / "part.md").write_text("Included text.\n")
    fig, ax = new_figure(1.5)
    ax.plot([0, 1], [0, 1])
    save_figure(fig, project / "f.png", "A rising line.")
    (project / "doc.qmd").write_text(f"---\ntitle: Test\n---\n\n{body}\n", encoding="utf-8")
    return project


BROKEN = {
    "mid-line include": "Text {{< include part.md >}} more.",
    "shortcode in an attribute": '![Cap](f.png){#fig-a fig-alt="{{< var x >}}"}',
    "unknown variable": "Value {{< var nope >}}.",
    "unresolved cross-reference": "See @fig-missing.",
}


@pytest.mark.workflow
@pytest.mark.parametrize("renderer", ["pandoc", "quarto"])
@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_source_fails_under_each_renderer(request, tmp_path, renderer, case):
    if renderer == "quarto":
        request.getfixturevalue("quarto")
    project = _project(tmp_path, BROKEN[case])
    out = tmp_path / "out"
    with pytest.raises(RenderError) as err:
        render_project(project, out, ["doc"], formats=("html", "pdf"), renderer=renderer)
    assert "doc" in str(err.value) or "build" in str(err.value) or "project" in str(err.value)
    assert not out.exists() or not list(out.iterdir()), "nothing may be published"


@pytest.mark.workflow
def test_clean_source_renders_under_quarto(quarto, tmp_path):
    """The control for the broken cases: the same project, written correctly, renders."""
    body = (
        "See @fig-a.\n\n{{< include part.md >}}\n\n"
        '![Cap](f.png){#fig-a fig-alt="He said \\"no\\"; it\'s fine"}\n\nValue {{< var x >}}.'
    )
    project = _project(tmp_path, body)
    done = render_project(project, tmp_path / "out", ["doc"], formats=("html",), renderer="quarto")
    soup = BeautifulSoup(done[("doc", "html")].read_text(encoding="utf-8"), "html.parser")
    assert soup.find("img", alt='He said "no"; it\'s fine')
    assert "Included text." in soup.get_text() and "hello" in soup.get_text()
    assert any(a.get_text(strip=True) == "Figure\xa01" for a in soup.select('a[href="#fig-a"]'))


# ------------------------------------------------------------------------------ the same reports


def _text(node) -> str:
    return " ".join(node.get_text(" ").split()).replace("\xa0", " ")


def reader_view(html: str) -> dict:
    """What a reader depends on in a rendered HTML report, renderer-independently."""
    soup = BeautifulSoup(html, "html.parser")
    toc = soup.find(id="TOC")
    main = soup.find("main") or soup.body
    body_links = [a for a in main.find_all("a") if not (toc and toc in a.parents)]
    headings = [
        _text(h) for h in main.find_all(["h2", "h3", "h4"]) if re.match(r"^\d+(\.\d+)* ", _text(h))
    ]
    return {
        "lang": soup.html.get("lang"),
        "title": _text(soup.title),
        "headings": headings,
        "toc": [_text(a) for a in toc.find_all("a")] if toc else [],
        "captions": [_text(c) for c in main.find_all(["figcaption", "caption"])],
        "xrefs": [
            _text(a) for a in body_links if re.match(r"#(fig|tbl|sec)-", a.get("href") or "")
        ],
        "alts": [img.get("alt") for img in main.find_all("img")],
        "callouts": [
            (
                [c for c in d.get("class") if c.startswith("callout-") and c[8:] in KINDS],
                _text(d)[:60],
            )
            for d in main.select("div.callout")
        ],
    }


KINDS = {"note", "tip", "important", "warning", "caution"}


@pytest.fixture(scope="module")
def both(pipeline_run, quarto, tmp_path_factory):
    """The pipeline's reports (rendered by Quarto) and the same build rendered by the fallback."""
    work = pipeline_run["dir"]
    for log in [
        *(work / "logs/programme").glob("report_render_*.log"),
        *(work / "logs").glob("*/report_case_study.log"),
    ]:
        text = log.read_text(encoding="utf-8")
        assert "with quarto 1.7" in text, f"{log.name}: the pipeline should render with Quarto"
    out = tmp_path_factory.mktemp("fallback")
    builds = work / "results/reports/build"
    programme = [d for d in DOCS if not d.startswith("case-study-")]
    render_project(builds / "programme", out, programme, renderer="pandoc")
    for doc in DOCS[len(programme) :]:  # each case study is a project of its own
        render_project(builds / doc, out, [doc], renderer="pandoc")
    return work / "results/reports", out


@pytest.mark.parametrize("doc", DOCS)
def test_quarto_and_fallback_html_agree_for_the_reader(both, doc):
    quarto_dir, fallback_dir = both
    q = reader_view((quarto_dir / f"{doc}.html").read_text(encoding="utf-8"))
    f = reader_view((fallback_dir / f"{doc}.html").read_text(encoding="utf-8"))
    assert q["headings"], doc  # not vacuous: numbered sections exist
    for key in ("lang", "title", "headings", "toc", "captions", "xrefs", "alts", "callouts"):
        assert q[key] == f[key], f"{doc}: {key} differs between Quarto and the fallback"


def _struct(path: Path) -> tuple[str, list[tuple[str, str | None]], tuple[int, int]]:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    out: list[tuple[str, str | None]] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S"):
                out.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
            if "/K" in node:
                walk(node["/K"])

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"])
    size = tuple(round(float(v)) for v in reader.pages[0].mediabox[2:])
    return str(root.get("/Lang")), out, size


@pytest.mark.parametrize("doc", DOCS)
def test_pdfs_are_accessible_and_alike(both, doc):
    """Both PDFs: A4, language en-GB, tagged headings, every figure's alt text on its Figure
    element, and the same alt texts as the HTML's images (in the same order)."""
    quarto_dir, fallback_dir = both
    alts = reader_view((quarto_dir / f"{doc}.html").read_text(encoding="utf-8"))["alts"]
    for folder in (quarto_dir, fallback_dir):
        lang, tags, size = _struct(folder / f"{doc}.pdf")
        assert lang == "en-GB", folder
        assert size == (595, 842), folder  # A4 in points
        assert any(t in {"/H1", "/H2"} for t, _ in tags), folder
        figures = [a for t, a in tags if t == "/Figure"]
        assert figures == alts, f"{folder.name}/{doc}.pdf: figure alt texts"


def test_pipeline_output_has_no_quarto_scratch(both):
    quarto_dir, _ = both
    names = {p.name for p in quarto_dir.iterdir()}
    assert ".quarto" not in names and ".gitignore" not in names
    assert not list((quarto_dir / "build").rglob(".quarto"))
    published = {f"{d}.{ext}" for d in DOCS for ext in ("html", "pdf")}
    assert names - {"build"} == published | {"programme-tables.xlsx"}


def _page_endings(pdf: Path) -> list[tuple[int, str]]:
    """The last line of text of every page but the last (not its page number)."""
    import pypdf

    out = []
    for i, page in enumerate(pypdf.PdfReader(str(pdf)).pages[:-1], 1):
        lines = [ln.strip() for ln in (page.extract_text() or "").splitlines() if ln.strip()]
        while lines and re.fullmatch(r"\d+", lines[-1]):
            lines.pop()
        if lines:
            out.append((i, lines[-1]))
    return out


@pytest.mark.parametrize("doc", DOCS)
def test_no_pdf_page_ends_with_a_heading_or_a_lead_in(both, doc):
    """Issue 12, point 9 (orphaned headings): with either renderer, no page of a PDF ends
    with a heading (numbered or not: "Sources", a council's name over its figures) or with a
    paragraph that introduces what follows it ("Disbenefits:"). Quarto 1.7 wraps an
    unnumbered heading in a block the sticky-heading rule cannot reach; the lead-ins are kept
    with the next block by report/quarto-a11y.lua and the fallback's pdf.py."""
    quarto_dir, fallback_dir = both
    soup = BeautifulSoup((quarto_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    headings = {
        re.sub(r"^[\d.]+\s+", "", " ".join(h.get_text(" ").split()))
        for h in soup.find_all(["h1", "h2", "h3", "h4"])
    }
    assert "Sources" in headings  # not vacuous: every report has an unnumbered Sources heading
    for folder in (quarto_dir, fallback_dir):
        for page, last in _page_endings(folder / f"{doc}.pdf"):
            last = re.sub(r"^[\d.]+\s+", "", last)
            assert last not in headings, f"{folder.name}/{doc}.pdf p{page} ends with '{last}'"
            assert not last.endswith(":"), f"{folder.name}/{doc}.pdf p{page} ends with '{last}'"


@pytest.mark.parametrize("doc", DOCS)
def test_no_short_table_is_split_across_pdf_pages(both, doc):
    """Issue 12, point 9: in both renderers' PDFs a table of at most six rows sits on one
    page with its caption: every row's first cell (from the HTML table) is on the page that
    holds the caption."""
    import pypdf

    quarto_dir, fallback_dir = both
    soup = BeautifulSoup((quarto_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    short = []
    for tbl in soup.find_all("table"):
        caption = tbl.find("caption") or tbl.find_previous("figcaption")
        label = (
            re.match(r"Table\s+(\d+):", " ".join(caption.get_text(" ").split()))
            if caption
            else None
        )
        rows = tbl.find("tbody").find_all("tr") if tbl.find("tbody") else []
        if label and 0 < len(rows) <= 6:
            firsts = ["".join(r.find("td").get_text().split()) for r in rows if r.find("td")]
            short.append((f"Table {label.group(1)}:", firsts))
    for folder in (quarto_dir, fallback_dir):
        pages = [
            "".join((p.extract_text() or "").split())
            for p in pypdf.PdfReader(str(folder / f"{doc}.pdf")).pages
        ]
        for caption, firsts in short:
            page = next(p for p in pages if caption.replace(" ", "") in p)
            missing = [c for c in firsts if c not in page]
            assert not missing, f"{folder.name}/{doc}.pdf: {caption} split from {missing}"
