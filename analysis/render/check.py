"""One check of rendered reports, shared by both renderers: nothing unresolved is published.

Quarto exits 0 with a mid-line include left as literal text, with a figure whose attribute
block broke (the raw ``{#fig-x fig-alt="..."}`` printed after the image), or with a
cross-reference it could not resolve (printed ``?@fig-x``). So every rendered HTML and PDF is
read back and refused when it shows any of these, whichever renderer wrote it:

- a shortcode (``{{<``), an attribute block (``{#fig-``, ``{#tbl-``, ``fig-alt=``) or an
  unresolved cross-reference (``?@fig-``, ``?@tbl-``, ``?@sec-``, ``@fig-`` left as text);
- (HTML) an image without alt text, a figure or table caption without its number.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from analysis.render.common import RenderError

_LEFTOVERS = (
    (re.compile(r"\{\{\{?<"), "an unresolved shortcode"),
    (re.compile(r"\{#(?:fig|tbl|sec)-"), "a raw attribute block"),
    (re.compile(r"\bfig-alt\s*="), "a raw attribute block (fig-alt)"),
    (re.compile(r"\?@(?:fig|tbl|sec)-[\w-]+"), "an unresolved cross-reference"),
    (re.compile(r"(?<![\w/#])@(?:fig|tbl|sec)-[\w-]+"), "an unresolved cross-reference"),
)
_NUMBERED_CAPTION = re.compile(r"^\s*(Figure|Table)[\s\u00a0]+\d+")


class _Text(HTMLParser):
    """Visible text, image alt texts and figure/table captions of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.images_without_alt = 0
        self.captions: list[str] = []
        self._skip = 0  # inside <script>/<style>
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img" and not (attrs.get("alt") or "").strip():
            self.images_without_alt += 1
        elif tag in ("figcaption", "caption"):
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in ("figcaption", "caption") and self._caption is not None:
            self.captions.append(" ".join("".join(self._caption).split()))
            self._caption = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._caption is not None:
            self._caption.append(data)


def html_problems(path: str | Path) -> list[str]:
    """What is unresolved in a rendered HTML file (empty when it is clean)."""
    parser = _Text()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    problems = [f"{path}: {what} in the text" for rx, what in _LEFTOVERS if rx.search(text)]
    if parser.images_without_alt:
        problems.append(f"{path}: {parser.images_without_alt} image(s) without alt text")
    unnumbered = [c for c in parser.captions if c and not _NUMBERED_CAPTION.match(c)]
    if unnumbered:
        problems.append(f"{path}: {len(unnumbered)} figure or table caption(s) without a number")
    return problems


def pdf_text(path: str | Path) -> str:
    """The text of a PDF, page by page, as PDFium reads it (pypdfium2, Google's PDF engine).

    PDFium, not pypdf: pypdf's pure-Python text extraction took 0.75 s of a case study's 3 s
    render and 1.5 s of the business case's (issue 15); PDFium reads the same text in a few
    hundredths. The tests read the PDFs back with pypdf, a second, independent reader."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            text = page.get_textpage()
            pages.append(text.get_text_range())
            text.close()
            page.close()
        return "\n".join(pages)
    finally:
        pdf.close()


def pdf_problems(path: str | Path) -> list[str]:
    """What is unresolved in a rendered PDF (empty when it is clean)."""
    text = " ".join(pdf_text(path).split())
    return [f"{path}: {what} in the text" for rx, what in _LEFTOVERS if rx.search(text)]


def check_rendered(paths) -> None:
    """Raise :class:`RenderError` listing every problem of the rendered files ``paths``."""
    problems = []
    for path in paths:
        path = Path(path)
        problems += html_problems(path) if path.suffix == ".html" else pdf_problems(path)
    if problems:
        raise RenderError(
            "rendered output is not clean (nothing is published):\n  - " + "\n  - ".join(problems)
        )
