"""Small rules about text that several stages apply: formula-safe output, yes/no words.

One home for each, so a CSV, a published table and the Excel workbook all neutralise the same
characters, and every input column of yes/no values accepts the same words.
"""

from __future__ import annotations

import math

#: Characters that make a spreadsheet treat a cell as a formula (CSV injection; OWASP "CSV
#: Injection": = + - @, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Words read as yes / no in input columns of type boolean (case-insensitive, trimmed).
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})


def starts_like_formula(value) -> bool:
    """True when ``value`` is text a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_text(value):
    """Neutralise text bound for a CSV/XLSX output so a spreadsheet cannot run it as a formula.

    OWASP's CSV-injection advice: prefix a single quote to cells beginning with = + - @ tab CR.
    Numbers, missing values and other text pass unchanged.
    """
    return "'" + value if starts_like_formula(value) else value


def parse_bool(value) -> bool | None:
    """``True``/``False`` for a boolean or a yes/no word (:data:`TRUE_WORDS`, :data:`FALSE_WORDS`).

    Returns None for an empty or missing value and for a word that is neither, so the caller
    can report it at its own location (this function never sees the file or row).
    """
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")) == "bool":  # numpy bool
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None
