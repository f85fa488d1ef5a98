"""Markdown building blocks for generated report fragments: escaped text, pipe tables, figure blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.core.formatting import DASH, is_missing
from analysis.render.common import WIDE_TABLE_COLUMNS


def md_escape(text) -> str:
    """Make a value safe inside a Markdown pipe-table cell or inline text."""
    s = "" if is_missing(text) else str(text)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]", "@", "#"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ").replace("{{<", "{\\{<")


#: Characters of table text across the page's text width (A4, 2 cm margins, 9 pt DejaVu Sans
#: in the PDF, where a digit is about 1.8 mm wide); the HTML page is wider, so what fits here
#: fits there. A table of ``WIDE_TABLE_COLUMNS`` or more columns is set in 7.5 pt, which holds
#: :data:`WIDE_TABLE_LINE_CHARS`.
TABLE_LINE_CHARS = 92
WIDE_TABLE_LINE_CHARS = 110
#: Characters of padding each column's cell insets take (5 pt each side).
CELL_PADDING_CHARS = 2
#: The longest word a column is widened for; a longer one (a URL) may wrap.
LONGEST_WORD_CHARS = 24


def column_widths(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[int]:
    """Relative column widths (in characters) for a pipe table's separator line.

    Pandoc gives a table whose source lines are long the full text width and sizes its columns
    in proportion to the dashes of the separator line; the PDF (typst) and the HTML then wrap
    each cell within its share. Sizing by each column's longest cell, as before, starved short
    columns of numbers and names next to one long text column, so words and numbers ran into
    their neighbours. Here every column first gets its longest word (a number such as
    "−£1.15m" is one word: it never wraps), then the room left on a line of
    :data:`TABLE_LINE_CHARS` goes to the columns whose cells are longer than that, in
    proportion to how much longer. Written here because pandoc and typst size columns only by
    these ratios (or, without them, typst shrinks every column alike).
    """
    n = len(header)
    rows = [list(header), *[list(r) for r in body]]

    def longest_word(j):
        words = [w for r in rows for w in r[j].split()]
        return min(max((len(w) for w in words), default=1), LONGEST_WORD_CHARS)

    least = [longest_word(j) for j in range(n)]
    # the header may wrap at its spaces; a cell is wanted on one line where there is room
    wanted = [max(least[j], max((len(r[j]) for r in rows[1:]), default=0)) for j in range(n)]
    line = WIDE_TABLE_LINE_CHARS if n >= WIDE_TABLE_COLUMNS else TABLE_LINE_CHARS
    room = line - sum(least) - CELL_PADDING_CHARS * n
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    if room > 0 and sum(extra) > 0:
        share = min(1.0, room / sum(extra))
        least = [m + round(e * share) for m, e in zip(least, extra, strict=True)]
    return [max(1, m) + CELL_PADDING_CHARS for m in least]


_FIRST_WORD = re.compile(r"[a-z][a-z'’-]*(?=[\s,;]|$)")


def sentence_case(value):
    """A table cell starting with a plain lower-case word ("collect", "service manager",
    "yes") starts with a capital, as every cell of a published table does. Anything else is
    left as it is: numbers, ids, and text whose first word is not a plain word (a web address,
    a file name, "e.g.")."""
    if isinstance(value, str) and _FIRST_WORD.match(value):
        return value[0].upper() + value[1:]
    return value


def markdown_table(
    df: pd.DataFrame,
    columns: Sequence[tuple[str, str, str]] | None = None,
    *,
    caption: str | None = None,
    label: str | None = None,
    formatters: dict | None = None,
) -> str:
    """A pipe table. ``columns`` holds (column, header, align) with align in l/r/c.

    Values pass through ``formatters[column]`` when given, else ``str``; text cells are
    sentence-cased (:func:`sentence_case`) and escaped.
    A caption line ``: caption {#tbl-label}`` follows when a caption is given.
    """
    formatters = formatters or {}
    if columns is None:
        columns = [(c, c, "l") for c in df.columns]
    header_cells = [md_escape(h) for _, h, _ in columns]
    body = []
    for _, row in df.iterrows():
        cells = []
        for col, _, _ in columns:
            v = row[col]
            f = formatters.get(col)
            cells.append(md_escape(sentence_case(f(v) if f else (DASH if is_missing(v) else v))))
        body.append(cells)
    if not body:
        body.append(["" for _ in columns])
    widths = column_widths(header_cells, body)
    seps = {"l": ":{}", "r": "{}:", "c": ":{}:"}
    sep = (
        "|"
        + "|".join(
            seps[a].format("-" * max(3, w - (2 if a == "c" else 1)))
            for (_, _, a), w in zip(columns, widths, strict=True)
        )
        + "|"
    )
    lines = ["| " + " | ".join(header_cells) + " |", sep]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    out = "\n".join(lines) + "\n"
    if caption:
        out += f"\n: {md_escape(caption)}" + (f" {{#tbl-{label}}}" if label else "") + "\n"
    return out


def attribute_value(text: str) -> str:
    """``text`` as the inside of a double-quoted Markdown attribute value: backslashes and
    double quotes escaped, whitespace (line breaks included) collapsed. A shortcode cannot be
    written inside an attribute (Quarto 1.7 expands shortcodes before it parses attributes and
    the figure breaks silently), so text holding one is refused."""
    s = re.sub(r"\s+", " ", str(text)).strip()
    if "{{<" in s:
        raise ValueError("an attribute value cannot hold a shortcode ({{< ... >}})")
    return s.replace("\\", "\\\\").replace('"', '\\"')


def figure(p, name: str, caption: str, label: str) -> str:
    """A numbered figure block: ``figures/<name>.png`` with its caption, id and alt text written
    out literally (no shortcode inside the attribute block), correct for every Quarto from 1.7
    and for the fallback renderer."""
    png, alt = p.figures[name]
    return (
        f"![{md_escape(caption)}](figures/{name}.png){{#fig-{label}{_height_cap(png)} "
        f'fig-alt="{attribute_value(alt)}"}}\n'
    )


def figure_scale(png) -> float:
    """The share of its drawn size a chart is printed at: 1, or less when it is drawn taller
    than :data:`~analysis.core.page.FIGURE_MAX_HEIGHT_IN` (at its saved resolution) and
    :func:`figure` scales it to fit one page with its caption."""
    from PIL import Image

    from analysis.core.page import FIGURE_MAX_HEIGHT_IN

    with Image.open(png) as im:
        dpi = float((im.info.get("dpi") or (200, 200))[1]) or 200.0
        height_in = im.size[1] / dpi
    return min(1.0, FIGURE_MAX_HEIGHT_IN / height_in)


def _height_cap(png) -> str:
    """`` height=...in`` for a chart :func:`figure_scale` scales down, so it fits one page with
    its caption rather than pushing the caption off the page; empty otherwise."""
    from analysis.core.page import FIGURE_MAX_HEIGHT_IN

    return f" height={FIGURE_MAX_HEIGHT_IN:.2f}in" if figure_scale(png) < 1.0 else ""
