"""Gate 1 of ``docs/reference/privacy-and-disclosure.md``: only anonymised data comes in.

Detects direct identifiers in free text and in column headers. The functions return the
*kind* of identifier found and where, never the matched value, so callers can report a
finding without repeating personal data.

Written here rather than taken from a library: the general PII scanners on PyPI (presidio,
scrubadub) need language models or network downloads, do not know NHS-number check digits
or HMRC's National Insurance prefix rules, and would be heavy for a rule set this small.

Sources for the rules:
- NHS number check digit: NHS Data Dictionary, "NHS Number" (modulus 11, weights 10..2).
- National Insurance number format: HMRC National Insurance Manual NIM39110.
- Postcode format: ONS/Royal Mail postcode structure (outward code + inward code).
- Ofcom UK numbering plan for telephone number lengths (10 or 11 national digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

# Candidate phone numbers: +44 / 0044 / 0 prefix, then digits with optional spaces, hyphens,
# dots or brackets. Lengths are checked after normalising (see _is_uk_phone).
PHONE = re.compile(r"(?<![\w+])(?:\+44|0044|\(?0)[\d\s\-().]{8,16}\d(?!\d)")

# 10 digits, optionally grouped 3-3-4 by spaces or hyphens.
NHS_CANDIDATE = re.compile(r"(?<![\d\-])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\-])")

# HMRC NIM39110: first letter not D F I Q U V; second letter not D F I O Q U V; prefixes
# BG GB NK KN TN NT ZZ never issued; suffix A-D.
NINO = re.compile(
    r"(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![A-Za-z0-9])",
    re.IGNORECASE,
)

# Full postcode: outward code (area letters, district digit(s), optional letter) + inward code
# (digit + two letters, excluding C I K M O V). A district alone ("MK9") does not match.
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# A date of birth written in free text ("DOB 03/04/1987", "born on 3 April 1987").
DOB_TEXT = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\W{0,3}"
    r"\d{1,2}(?:st|nd|rd|th)?[\s/.\-]+(?:\d{1,2}|[A-Za-z]{3,9})[\s/.\-]+\d{2,4}",
    re.IGNORECASE,
)

#: Header patterns that name an identifier column (matched on the lower-cased header with
#: punctuation turned to spaces).
IDENTIFIER_HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email address column", re.compile(r"\be ?mail\b")),
    ("IP address column", re.compile(r"\bip ?address\b|\bip\b")),
    ("NHS number column", re.compile(r"\bnhs ?(no|num|number)\b")),
    ("National Insurance number column", re.compile(r"\bnational insurance\b|\bni ?(no|number)\b")),
    ("date of birth column", re.compile(r"\bdate of birth\b|\bdob\b|\bbirth ?date\b")),
    ("telephone column", re.compile(r"\b(tele)?phone\b|\bmobile\b|\btel\b")),
    ("address column", re.compile(r"\baddress\b|\bpost ?code\b")),
    ("location column", re.compile(r"\blocation\b|\blatitude\b|\blongitude\b")),
    (
        "name column",
        re.compile(
            r"^(first |last |full |given |family |sur)?name$|\b(respondent|participant|client|person|your) name\b|\bsurname\b|\bforename\b"
        ),
    ),
)


@dataclass(frozen=True)
class Finding:
    """An identifier found at ``row`` (0-based position in the table) and ``column``."""

    row: int | None
    column: str
    kind: str


def nhs_number_is_valid(digits: str) -> bool:
    """True when ``digits`` (10 digits) carries a valid NHS modulus-11 check digit.

    Weights 10..2 on the first nine digits; check = 11 - (sum mod 11); 11 -> 0; 10 -> invalid.
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def _is_uk_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif candidate.lstrip("( ").startswith("+44"):
        digits = "0" + digits[2:]
        digits = digits.replace("00", "0", 1) if digits.startswith("00") else digits  # +44 (0)
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return False
    return digits[1] in "12378"


def find_identifiers_in_text(text: str, extra_patterns: Sequence = ()) -> list[str]:
    """Kinds of direct identifier found in ``text`` (empty list if none), in a stable order.

    ``extra_patterns`` holds ``{"name": ..., "regex": ...}`` dicts or ``(name, compiled)`` pairs
    for a council's own case-reference formats.
    """
    if not isinstance(text, str) or not text:
        return []
    kinds: list[str] = []
    if EMAIL.search(text):
        kinds.append("email address")
    if any(_is_uk_phone(m.group(0)) for m in PHONE.finditer(text)):
        kinds.append("UK telephone number")
    if any(nhs_number_is_valid("".join(m.groups())) for m in NHS_CANDIDATE.finditer(text)):
        kinds.append("NHS number")
    if NINO.search(text):
        kinds.append("National Insurance number")
    if POSTCODE.search(text):
        kinds.append("full postcode")
    if DOB_TEXT.search(text):
        kinds.append("date of birth")
    for name, pattern in _compiled(extra_patterns):
        if pattern.search(text):
            kinds.append(name)
    return kinds


def _compiled(extra_patterns: Sequence) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for p in extra_patterns:
        if isinstance(p, dict):
            out.append((p["name"], re.compile(p["regex"])))
        else:
            name, rx = p
            out.append((name, rx if isinstance(rx, re.Pattern) else re.compile(rx)))
    return out


def identifier_header(header: str) -> str | None:
    """The identifier kind a column header names (e.g. ``"Email"``), or None."""
    h = re.sub(r"[^a-z0-9]+", " ", str(header).lower()).strip()
    for kind, pattern in IDENTIFIER_HEADERS:
        if pattern.search(h):
            return kind
    return None


def scan_headers(columns: Iterable[str]) -> list[Finding]:
    """Findings for every header that names an identifier."""
    return [Finding(None, str(c), kind) for c in columns if (kind := identifier_header(str(c)))]


def scan_table(
    df: pd.DataFrame, columns: Iterable[str] | None = None, extra_patterns: Sequence = ()
) -> list[Finding]:
    """Findings for every text cell of ``columns`` (default: all) holding an identifier.

    Each distinct value is scanned once, so long tables with repeated labels stay cheap.
    Rows are 0-based positions in ``df``; findings are sorted by row then column.
    """
    findings: list[Finding] = []
    cols = list(df.columns) if columns is None else list(columns)
    for col in cols:
        series = df[col]
        values = series.dropna()
        values = values[values.map(lambda v: isinstance(v, str))]
        if values.empty:
            continue
        kinds_by_value = {
            v: k for v in pd.unique(values) if (k := find_identifiers_in_text(v, extra_patterns))
        }
        if not kinds_by_value:
            continue
        positions = {label: i for i, label in enumerate(df.index)}
        for label, value in values.items():
            for kind in kinds_by_value.get(value, ()):
                findings.append(Finding(positions[label], str(col), kind))
    return sorted(findings, key=lambda f: (f.row if f.row is not None else -1, f.column))
