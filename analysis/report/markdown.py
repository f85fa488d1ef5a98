"""Markdown building blocks for generated report fragments: escaped text, pipe tables, figure blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.core.formatting import DASH, is_missing


def md_escape(text) -> str:
    """Make a value safe inside a Markdown pipe-table cell or inline text."""
    s = "" if is_missing(text) else str(text)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]", "@", "#"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ").replace("{{<", "{\\{<")


def markdown_table(
    df: pd.DataFrame,
    columns: Sequence[tuple[str, str, str]] | None = None,
    *,
    caption: str | None = None,
    label: str | None = None,
    formatters: dict | None = None,
) -> str:
    """A pipe table. ``columns`` holds (column, header, align) with align in l/r/c.

    Values pass through ``formatters[column]`` when given, else ``str``; cells are escaped.
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
            cells.append(md_escape(f(v) if f else (DASH if is_missing(v) else v)))
        body.append(cells)
    if not body:
        body.append(["" for _ in columns])
    # Pandoc sizes columns of wide tables by the dashes of the separator line: give each column
    # dashes in proportion to its longest word run (capped), so text wraps where it should.
    widths = []
    for j, h in enumerate(header_cells):
        longest = max([len(h)] + [len(r[j]) for r in body])
        widths.append(max(10, min(longest, 40)) + 2)
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
    alt = p.figures[name][1]
    return (
        f"![{md_escape(caption)}](figures/{name}.png){{#fig-{label} "
        f'fig-alt="{attribute_value(alt)}"}}\n'
    )
