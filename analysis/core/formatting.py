"""Formatting numbers and tables for the reports (no statistics here).

The reports contain no computation: the pipeline writes every number as text into
``_variables.yml`` and every table as a Markdown pipe table. These helpers do that
formatting in one place, so a pound figure or a percentage looks the same in every document.
Missing or suppressed values are shown as the disclosure marker or an en dash, never as
``nan``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

DASH = "–"
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve"]


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def money(x, *, signed: bool = False) -> str:
    """£ with a sensible unit: £1.24m, £340k, £950; negatives as −£1.2m."""
    if _missing(x):
        return DASH
    x = float(x)
    sign = "−" if x < 0 else ("+" if signed and x > 0 else "")
    a = abs(x)
    if a >= 1e9:
        body = f"£{a / 1e9:.2f}bn"
    elif a >= 1e6:
        body = f"£{a / 1e6:.2f}m"
    elif a >= 1e4:
        body = f"£{a / 1e3:.0f}k"
    elif a >= 1e3:
        body = f"£{a / 1e3:.1f}k"
    else:
        body = f"£{a:.0f}"
    return sign + body


def number(x, decimals: int = 0) -> str:
    """Thousands separators: 12,345 (or 0.73 with decimals)."""
    if _missing(x):
        return DASH
    return f"{float(x):,.{decimals}f}"


def smart(x) -> str:
    """A parameter value: whole numbers with separators from 100 up, else 3 significant digits."""
    if _missing(x):
        return DASH
    x = float(x)
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def count(x, marker: str = "[c]") -> str:
    """A disclosure-controlled count: the marker when suppressed."""
    if _missing(x) or x == marker:
        return marker
    return f"{int(round(float(x))):,}"


def pct(x, decimals: int = 0) -> str:
    """Percentage from a 0-100 value."""
    if _missing(x):
        return DASH
    return f"{float(x):.{decimals}f}%"


def ratio(x, decimals: int = 2) -> str:
    if _missing(x) or (isinstance(x, float) and math.isinf(x)):
        return DASH
    return f"{float(x):.{decimals}f}"


def word(n: int) -> str:
    """Small whole numbers as words ("four"), larger as digits."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def prose_list(items: Iterable[str], conj: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items if str(i)]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def md_escape(text) -> str:
    """Make a value safe inside a Markdown pipe-table cell or inline text."""
    s = "" if _missing(text) else str(text)
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
            cells.append(md_escape(f(v) if f else (DASH if _missing(v) else v)))
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
    sep = "|" + "|".join(
        seps[a].format("-" * max(3, w - (2 if a == "c" else 1)))
        for (_, _, a), w in zip(columns, widths, strict=True)
    ) + "|"
    lines = ["| " + " | ".join(header_cells) + " |", sep]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    out = "\n".join(lines) + "\n"
    if caption:
        out += f"\n: {md_escape(caption)}" + (f" {{#tbl-{label}}}" if label else "") + "\n"
    return out
