"""The rendered-PDF check (analysis.render.check.pdf_problems) reads what a reader would see.

The pipeline reads PDFs with PDFium (pypdfium2); these tests compile small PDFs with typst and
compare its reading with pypdf's, a second reader, so a reader that lost text would show."""

from __future__ import annotations

import re

import pytest

from analysis.render.check import pdf_problems, pdf_text

pytestmark = pytest.mark.unit

CLEAN = (
    "= Appraisal\n\nThe preferred way forward has an NPSV of £1.2m and a BCR of 2.4.\n\n"
    "#pagebreak()\nSecond page: Figure 1 shows the cash flow.\n"
)


def _pdf(tmp_path, markup: str):
    import typst

    path = tmp_path / "doc.pdf"
    path.write_bytes(typst.compile(markup.encode("utf-8")))
    return path


def _words(text: str) -> list[str]:
    return re.findall(r"[\w£.]+", text)


def test_pdfium_reads_the_same_words_as_pypdf(tmp_path):
    from pypdf import PdfReader

    path = _pdf(tmp_path, CLEAN)
    theirs = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    ours = pdf_text(path)
    assert _words(ours) == _words(theirs)
    assert "£1.2m" in ours and "Second page" in ours
    assert pdf_problems(path) == []


@pytest.mark.parametrize(
    "leftover, what",
    [
        ('#("{{< var survey.n >}}")', "shortcode"),
        ('#("?@fig-trend")', "cross-reference"),
        ('#("{#tbl-costs}")', "attribute block"),
    ],
)
def test_a_leftover_in_the_pdf_text_is_a_problem(tmp_path, leftover, what):
    path = _pdf(tmp_path, CLEAN + f"\nSee {leftover} here.\n")
    problems = pdf_problems(path)
    assert problems and all(what in p for p in problems), problems
