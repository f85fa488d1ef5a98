"""Formatting numbers for people: report text, tables, chart labels and alt text (no statistics).

The reports contain no computation: the pipeline writes every number as text into
``_variables.yml`` and every table as a Markdown pipe table. These helpers do that
formatting in one place, so a pound figure or a percentage looks the same in every document.
Missing or suppressed values are shown as the disclosure marker or an en dash, never as
``nan``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analysis.core.rounding import round_half_away, to_decimals

DASH = "–"
#: The sign of a negative number: a typographic minus (U+2212), as in running text, held to
#: its number by a word joiner (U+2060). Unicode line breaking (UAX #14) allows a break between
#: a minus and a following "£" (both class PR), and browsers and typst took it, so a table cell
#: showed "−" on one line and "£43k" on the next; the joiner removes that break opportunity and
#: is invisible (screen readers skip it).
MINUS = "\u2212\u2060"
_WORDS = [
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _rounded(x: float, digits: int) -> Decimal:
    return to_decimals(x, digits)


def _minus(text: str) -> str:
    """A typographic minus sign (U+2212) for a negative number, as in running text."""
    return MINUS + text[1:] if text.startswith("-") else text


#: (smallest absolute value, divisor, decimals, unit) of each money format, largest first.
_MONEY_UNITS = (
    (1e9, 1e9, 2, "bn"),
    (1e6, 1e6, 2, "m"),
    (1e4, 1e3, 0, "k"),
    (1e3, 1e3, 1, "k"),
    (0.0, 1.0, 0, ""),
)


def money(x, *, signed: bool = False, sig: int | None = None, trim: bool = False) -> str:
    """£ with a sensible unit: £1.24m, £340k, £9.5k, £950; negatives as −£1.24m.

    The one money format of the project: report text, tables, chart labels and alt text all
    call it. Rounded once, from the value given (pass unrounded values), halves away from zero;
    a value that rounds up to the next unit takes that unit (999,999 -> £1.00m). With ``sig``,
    the value is shown to that many significant figures, for estimates (£260m, £5.1m, −£41m).
    With ``trim``, zeros ending the decimals are dropped (£100.00m -> £100m, £1.50m -> £1.5m),
    for axis ticks, which are round numbers whose zeros would claim a precision they lack.
    """
    if is_missing(x):
        return DASH
    if sig is not None:
        return _money_sig(float(x), sig, signed)
    x = float(x)
    a = abs(x)
    k = next(i for i, (low, *_rest) in enumerate(_MONEY_UNITS) if a >= low)
    while True:
        _low, div, digits, unit = _MONEY_UNITS[k]
        r = _rounded(a / div, digits)
        if k > 0 and float(r) * div >= _MONEY_UNITS[k - 1][0]:
            k -= 1
            continue
        break
    if r == 0:
        return "£0"
    sign = MINUS if x < 0 else ("+" if signed else "")
    body = f"{r:,.{digits}f}"
    if trim and "." in body:
        body = body.rstrip("0").rstrip(".")
    return f"{sign}£{body}{unit}"


def _money_sig(x: float, sig: int, signed: bool) -> str:
    if x == 0:
        return "£0"
    d = Decimal(repr(abs(x)))
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - sig + 1), rounding=ROUND_HALF_UP)
    a = float(d)
    for low, div, unit in ((1e9, 1e9, "bn"), (1e6, 1e6, "m"), (1e3, 1e3, "k"), (0.0, 1.0, "")):
        if a >= low:
            break
    value = Decimal(repr(a / div))
    decimals = max(0, sig - (value.adjusted() + 1))
    sign = MINUS if x < 0 else ("+" if signed else "")
    return f"{sign}£{value:,.{decimals}f}{unit}"


def money_apart(a, b) -> tuple[str, str]:
    """:func:`money` of two values a sentence compares ("expects £12.4k but finds £11.9k"):
    where they differ but print alike, each to the fewest significant figures, from three, that
    tells them apart, so a sentence never says "£12k but finds £12k"."""
    sa, sb = money(a), money(b)
    sig = 3
    while sa == sb and float(a) != float(b) and sig <= 12:
        sa, sb, sig = money(a, sig=sig), money(b, sig=sig), sig + 1
    return sa, sb


def number(x, decimals: int = 0) -> str:
    """Thousands separators: 12,345 (or 0.73 with decimals); halves away from zero."""
    if is_missing(x):
        return DASH
    return _minus(f"{_rounded(float(x), decimals):,.{decimals}f}")


def smart(x) -> str:
    """A parameter value: whole numbers with separators from 100 up, else 3 significant digits."""
    if is_missing(x):
        return DASH
    x = float(x)
    if abs(x) >= 100:
        return number(x)
    if x == 0:
        return "0"
    d = Decimal(repr(x))
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - 2), rounding=ROUND_HALF_UP)
    return _minus(format(d.normalize(), "f"))


def count(x, marker: str = "[c]") -> str:
    """A disclosure-controlled count: the marker when suppressed."""
    if is_missing(x) or x == marker:
        return marker
    return f"{int(round_half_away(float(x))):,}"


def pct(x, decimals: int = 0) -> str:
    """Percentage from a 0-100 value."""
    if is_missing(x):
        return DASH
    return _minus(f"{_rounded(float(x), decimals):.{decimals}f}%")


def p_value(x) -> str:
    """A p-value as the APA style prints it: three decimals, or "< 0.001" below that."""
    if is_missing(x):
        return DASH
    return "<\u00a00.001" if float(x) < 0.001 else f"{_rounded(float(x), 3):.3f}"


def ratio(x, decimals: int = 2) -> str:
    if is_missing(x) or (isinstance(x, float) and math.isinf(x)):
        return DASH
    return _minus(f"{_rounded(float(x), decimals):.{decimals}f}")


def word(n: int) -> str:
    """Small whole numbers as words ("four"), larger as digits."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def plural(n, noun: str) -> str:
    """ "1 stream", "2 streams", "1,024 streams": a count and its noun (regular plurals)."""
    return f"{number(n)} {noun}{'' if int(n) == 1 else 's'}"


def of_all(k, n, as_word: bool = False) -> str:
    """How many of ``n`` a sentence counts ("{} of the 54 councils", "{} of them"): "all" when
    it is every one (of three or more), "both" of two, "none" of none, else the number (as a
    word with ``as_word``), so a sentence never reads "54 of the 54"."""
    k, n = int(k), int(n)
    if k == n and n > 2:
        return "all"
    if k == n == 2:
        return "both"
    if k == 0 and n > 0:
        return "none"
    return word(k) if as_word else number(k)


#: The most names a sentence or a table cell lists; past it, it gives their number
#: (:func:`names_or_count`). Ten is the league of a summarised programme's tables.
NAMES_UP_TO = 10


def names_or_count(names: Iterable[str], noun: str = "councils") -> str:
    """:func:`prose_list` of ``names`` up to :data:`NAMES_UP_TO` of them, else their number
    ("54 councils"): a cell or a sentence naming dozens of councils cannot be read."""
    names = [str(n) for n in names if str(n)]
    return prose_list(names) if len(names) <= NAMES_UP_TO else f"{number(len(names))} {noun}"


def prose_list(items: Iterable[str], conj: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items if str(i)]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]
