"""UK public-sector financial years (April to March), written ``2025-26``.

Shared by ingest (which normalises what councils type) and the cost model (which steps through
the appraisal period), so both accept exactly the same spellings.
"""

from __future__ import annotations

import re

_FY = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def normalise_financial_year(value) -> str:
    """``'2025/26'``, ``'2025-2026'`` or ``'2025-26'`` -> ``'2025-26'``."""
    m = _FY.match(str(value))
    if not m:
        raise ValueError("financial year must look like 2025-26")
    start = int(m.group(1))
    end = int(m.group(2)[-2:])
    if (start + 1) % 100 != end:
        raise ValueError("financial year must span two consecutive years, like 2025-26")
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_or_none(value) -> str | None:
    """:func:`normalise_financial_year`, or None when ``value`` is not a financial year."""
    try:
        return normalise_financial_year(value)
    except ValueError:
        return None


def add_financial_years(year: str, n: int) -> str:
    """``add_financial_years('2025-26', 2) == '2027-28'``."""
    start = int(normalise_financial_year(year)[:4]) + int(n)
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_end(year: str):
    """The last day of a financial year: ``financial_year_end('2026-27') == date(2027, 3, 31)``."""
    import datetime as dt

    return dt.date(int(normalise_financial_year(year)[:4]) + 1, 3, 31)
