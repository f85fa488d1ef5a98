"""Gate 1 of ``docs/reference/privacy-and-disclosure.md``: only anonymised data comes in.

Detects direct identifiers in free text, column headers and sheet names. The functions return
the *kind* of identifier found and where, never the matched value, so callers can report a
finding without repeating personal data.

Text is normalised before matching (:func:`normalise`): Unicode compatibility forms are
folded (NFKC: no-break, thin and other Unicode spaces become spaces, full-width digits and
letters become ASCII), every dash and minus sign becomes ``-``, zero-width characters and soft
hyphens are removed, and runs of white space become one space. Each kind is then recognised
in the formats people write: separators of spaces, dots or hyphens inside numbers, either case,
and (for dates of birth) numeric, ISO and long forms next to a birth keyword. The figures on a
labelled corpus of identifiers and lookalikes are in ``tests/test_pii_corpus.py``
(``python tests/test_pii_corpus.py`` prints them).

Written here rather than taken from a library: the general PII scanners on PyPI need a
language model (presidio-analyzer loads a spaCy model; scrubadub's name detection likewise)
and presidio's UK recognisers accept only spaces or hyphens inside an NHS number and no
National Insurance prefix rules; ``phonenumbers`` (libphonenumber) either accepts only numbers
in ranges its metadata lists as allocated, missing Ofcom's reserved drama ranges and any newer
range, or (at its "possible" leniency) flags years such as 2019-2024 and times such as
0930 1030. The rule set here is small enough to own and test.

Sources for the rules:
- NHS number check digit: NHS Data Dictionary, "NHS Number" (modulus 11, weights 10..2).
- National Insurance number format: HMRC National Insurance Manual NIM39110.
- Postcode format: ONS/Royal Mail postcode structure (outward code + inward code).
- Ofcom UK numbering plan for telephone number lengths (10 or 11 national digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

# --------------------------------------------------------------------------- normalisation

_REMOVED = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"), None)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as the patterns read it: NFKC, dashes as ``-``, no zero-width characters,
    white space runs as one space (case is kept; the patterns ignore it where it may vary)."""
    s = unicodedata.normalize("NFKC", text).translate(_REMOVED).translate(_DASHES)
    return _SPACE.sub(" ", s).strip()


# --------------------------------------------------------------------------- patterns

# Email: a local part, "@" (spaces around it allowed), a domain of dotted labels. Obfuscated
# forms: "[at]"/"(at)" and "[dot]"/"(dot)" in brackets, or " at " and " dot " spelled out when
# the domain has at least one spelled " dot " and ends in a common top-level domain (so
# "staff at the hub" and "based at kent.gov.uk", a website, do not match).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_DOT = r"(?:\.| ?[(\[{<] ?dot ?[)\]}>] ?)"
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[A-Za-z]{{2,24}}(?![\w@])"
EMAIL = re.compile(
    # an apostrophe in the local part ("o'neill@...") only where nothing separates it from @,
    # so "the council's @gov.uk accounts" is not an address
    rf"(?<![\w.%+\-'])(?:[A-Za-z0-9][\w.%+\-']{{0,63}}@"
    rf"|[A-Za-z0-9][\w.%+\-]{{0,63}} ?(?:@|[(\[{{<] ?at ?[)\]}}>]) ?){_DOMAIN}",
    re.IGNORECASE,
)
_TLDS = r"(?:com|org|net|uk|gov|nhs|ac|co|edu|info|biz|io|me|scot|wales|cymru|london|police)"
EMAIL_SPELLED = re.compile(
    rf"(?<![\w.])[A-Za-z0-9][\w.%+\-]{{0,63}} at {_LABEL}(?:(?: dot |\.){_LABEL})*"
    rf" dot {_TLDS}(?!\w)|(?<![\w.])[A-Za-z0-9]+[._][\w.%+\-]*[A-Za-z0-9] at "
    rf"{_LABEL}(?:\.{_LABEL})*\.{_TLDS}(?!\w)",
    re.IGNORECASE,
)

# Telephone: a run of digit groups after +44 / 0044 (optionally "(0)") or a leading 0, split
# by single spaces, hyphens, dots or brackets; see _has_uk_phone for what counts.
PHONE_RUN = re.compile(
    r"(?<![\w+.\-/])(?P<intl>\(?(?:\+|00) ?44\)?[ \-.]?(?:\(0\) ?)?)?"
    r"(?P<body>\(?\d+\)?(?:(?: ?[\-.] ?| )?\(?\d+\)?)*)"
)

# NHS number: 10 digits written 3-3-4, the groups separated by nothing, a space, a dot, a
# hyphen or a slash (spaces around the punctuation allowed); the check digit must be valid.
_NHS_SEP = r"(?: ?[.\-/] ?| )?"
NHS_CANDIDATE = re.compile(
    rf"(?<!\d)(?<!\d[.\-/])(\d{{3}}){_NHS_SEP}(\d{{3}}){_NHS_SEP}(\d{{4}})(?!\d)(?![.\-/]\d)"
)

# HMRC NIM39110: first letter not D F I Q U V; second letter not D F I O Q U V; prefixes
# BG GB NK KN TN NT ZZ never issued; suffix A-D. Pairs of digits may be separated by a space,
# hyphen or dot. Without its suffix only after a keyword ("NI number", "NINO").
_NINO_PREFIX = r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
_NINO_DIGITS = r"(?:\d{2}[ \-.]?\d{2}[ \-.]?\d{2}|\d{3}[ \-.]?\d{3})"
NINO = re.compile(
    rf"(?<![A-Za-z0-9]){_NINO_PREFIX}[ \-.]?{_NINO_DIGITS}[ \-.]?[A-D](?![A-Za-z0-9])"
    rf"|\b(?:N\.? ?I\.?|NINO|national insurance)(?: (?:number|no\.?|num))?\W{{0,4}}"
    rf"{_NINO_PREFIX}[ \-.]?{_NINO_DIGITS}(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# Full postcode: outward code (area letters, district digit(s), optional letter) + inward code
# (digit + two letters, excluding C I K M O V), with or without the space. A district alone
# ("MK9") does not match, nor a lower-case ordinal such as "B2 2nd".
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d([ABD-HJLNP-UW-Z]{2}))"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"st|nd|rd|th")

# Date of birth: a birth keyword, a few linking words, then a date with day, month and year.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD_WORDS = (
    r"(?:(?:twenty|thirty)[ \-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth"
    r"|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORD_WORDS})"
_YEAR = r"(?:\d{4}|'?\d{2}|(?:nineteen|twenty)[ \-](?:hundred|oh[ \-]\w+|\w+(?:[ \-]\w+)?))"
_DATE = (
    r"(?:\d{1,2}(?: ?[/.\-] ?| )\d{1,2}(?: ?[/.\-] ?| )(?:\d{4}|\d{2})(?!\d)"  # 03/04/1981
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}(?!\d)"  # 1981-04-03
    rf"|(?:the )?{_DAY} (?:of )?{_MONTH},? {_YEAR}(?!\d)"  # 3rd of April 1981
    rf"|{_MONTH} (?:the )?{_DAY},? {_YEAR}(?!\d))"  # April 3, 1981
)
_BIRTH = r"(?:d\.? ?o\.? ?b\b\.?|date of birth|birth ?date|\bborn\b)"
_LINK = r"(?:[ :;,=(\-]|\b(?:is|was|on|the|of|as|(?:recorded|given|listed|stated) as)\b)"
DOB_TEXT = re.compile(
    rf"(?<![A-Za-z]){_BIRTH}(?: (?:in|at) (?-i:[A-Z][\w'\-]*)(?: (?-i:[A-Z][\w'\-]*))?,?)?"
    rf"{_LINK}{{0,9}}{_DATE}"
    rf"|{_DATE}\W{{1,3}}(?:d\.? ?o\.? ?b\b\.?|date of birth)",
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
    """An identifier found at ``row`` (0-based position in the table) and ``column``;
    ``position`` is the 0-based position of the column (for a header finding, so that the
    header itself need not be repeated)."""

    row: int | None
    column: str
    kind: str
    position: int | None = None


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


def _is_uk_national(digits: str) -> bool:
    """10 or 11 national digits with a leading 0 and a second digit Ofcom allocates to
    geographic (1, 2), non-geographic (3, 8) or mobile and personal (7) numbers."""
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] in "12378"


def _has_uk_phone(text: str) -> bool:
    """A UK telephone number in (normalised) ``text``.

    Each run of digit groups is read group by group; it is a number when, at the end of a
    group, the digits so far make 10 or 11 national digits of a UK number. Without +44 the first
    group must hold the whole area code (at least three digits, "020", "0116", "07700"), so
    decimals ("0.5"), times ("07.30") and dotted dates ("01.04.2024") are not read as numbers.
    """
    for m in PHONE_RUN.finditer(text):
        groups = re.findall(r"\d+", m.group("body"))
        for start, first in enumerate(groups):
            if start == 0 and m.group("intl") is not None:
                national = "0" + first.removeprefix("0")  # "+44 0116 ..." also written
            elif first.startswith("0044"):  # "(0044 ..." (the bracket hides the prefix)
                national = "0" + first[4:]
            elif first.startswith("0") and len(first) >= 3:
                national = first
            else:
                continue
            for g in groups[start + 1 :]:
                if _is_uk_national(national) or len(national) > 11:
                    break
                national += g
            if _is_uk_national(national):
                return True
    return False


def _has_nhs_number(text: str) -> bool:
    return any(nhs_number_is_valid("".join(m.groups())) for m in NHS_CANDIDATE.finditer(text))


def _has_postcode(text: str) -> bool:
    for m in POSTCODE.finditer(text):
        inward = m.group(1)
        if inward is None or not (inward.islower() and _ORDINAL.fullmatch(inward)):
            return True
    return False


def _has_email(text: str) -> bool:
    return bool(EMAIL.search(text) or EMAIL_SPELLED.search(text))


#: Identifier kinds in the order they are reported, each with its test on normalised text.
DETECTORS = (
    ("email address", _has_email),
    ("UK telephone number", _has_uk_phone),
    ("NHS number", _has_nhs_number),
    ("National Insurance number", lambda t: NINO.search(t) is not None),
    ("full postcode", _has_postcode),
    ("date of birth", lambda t: DOB_TEXT.search(t) is not None),
)
#: The kinds :func:`find_identifiers_in_text` reports (besides a council's own patterns).
KINDS = tuple(kind for kind, _ in DETECTORS)

# The stricter screen for text about to be published verbatim (quotes): a quote it flags is
# left out, which costs little, so it also flags what is only shaped like an identifier.
_STRICT_NHS = re.compile(r"(?<!\d)\d{3}[ .\-/]?\d{3}[ .\-/]?\d{4}(?!\d)")
_STRICT_NINO = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}[ \-.]?\d{2}[ \-.]?\d{2}[ \-.]?\d{2}(?:[ \-.]?[A-D])?(?![A-Za-z0-9])"
)
_STRICT_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}|\w ?@ ?\w")
_STRICT_BIRTH = re.compile(
    r"(?:\bd\.? ?o\.? ?b\b|date of birth|birth ?date|\bborn\b|\bbirthday\b)"
    r".{0,40}?(?:\b(?:19|20)\d{2}\b|\d{1,2} ?[/.\-] ?\d{1,2})"
    r"|(?:\b(?:19|20)\d{2}\b|\d{1,2} ?[/.\-] ?\d{1,2}).{0,10}?\b(?:d\.? ?o\.? ?b|born)\b",
    re.IGNORECASE,
)
STRICT_DETECTORS = (
    ("number shaped like an NHS number", lambda t: _STRICT_NHS.search(t) is not None),
    ("code shaped like a National Insurance number", lambda t: _STRICT_NINO.search(t) is not None),
    ("@ address or handle", lambda t: _STRICT_HANDLE.search(t) is not None),
    ("date or year next to a birth keyword", lambda t: _STRICT_BIRTH.search(t) is not None),
)


def find_identifiers_in_text(
    text: str, extra_patterns: Sequence = (), *, strict: bool = False
) -> list[str]:
    """Kinds of direct identifier found in ``text`` (empty list if none), in a stable order.

    The text is normalised first (:func:`normalise`). ``extra_patterns`` holds
    ``{"name": ..., "regex": ...}`` dicts or ``(name, compiled)`` pairs for a council's own
    case-reference formats; they are tried on the text as given and as normalised. ``strict``
    (for text published verbatim, such as quotes) adds :data:`STRICT_DETECTORS`: numbers and
    codes shaped like an NHS or National Insurance number whatever their check digit or
    prefix, any @ address or handle, and any date or year next to a birth keyword.
    """
    if not isinstance(text, str) or not text:
        return []
    norm = normalise(text)
    kinds = [kind for kind, found in DETECTORS if found(norm)]
    if strict:
        kinds += [kind for kind, found in STRICT_DETECTORS if found(norm)]
    for name, pattern in _compiled(extra_patterns):
        if pattern.search(text) or pattern.search(norm):
            kinds.append(name)
    return kinds


def with_article(kind: str) -> str:
    """``kind`` with "a" or "an" as it is read aloud ("an NHS number", "a UK telephone
    number", "an email address")."""
    vowel_sound = kind[:1].lower() in "aeio" or kind.startswith(("NHS", "NI "))
    return f"{'an' if vowel_sound else 'a'} {kind}"


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
    h = re.sub(r"[^a-z0-9]+", " ", normalise(str(header)).lower()).strip()
    for kind, pattern in IDENTIFIER_HEADERS:
        if pattern.search(h):
            return kind
    return None


def scan_headers(columns: Iterable[str]) -> list[Finding]:
    """Findings for every header that names an identifier (such as "Email")."""
    return [
        Finding(None, str(c), kind, i)
        for i, c in enumerate(columns)
        if (kind := identifier_header(str(c)))
    ]


def scan_header_values(columns: Iterable[str], extra_patterns: Sequence = ()) -> list[Finding]:
    """Findings for every header that *holds* an identifier (a header such as
    "Q5 jo@example.org"); report them by ``position``, never by the header text."""
    return [
        Finding(None, str(c), kind, i)
        for i, c in enumerate(columns)
        for kind in find_identifiers_in_text(str(c), extra_patterns)
    ]


def scan_table(
    df: pd.DataFrame, columns: Iterable[str] | None = None, extra_patterns: Sequence = ()
) -> list[Finding]:
    """Findings for every text cell of ``columns`` (default: all) holding an identifier.

    Each distinct value is scanned once, so long tables with repeated labels stay cheap.
    Rows are 0-based positions in ``df``; findings are sorted by row then column.
    """
    findings: list[Finding] = []
    cols = list(df.columns) if columns is None else list(columns)
    places = {c: i for i, c in enumerate(df.columns)}
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
                findings.append(Finding(positions[label], str(col), kind, places.get(col)))
    return sorted(findings, key=lambda f: (f.row if f.row is not None else -1, f.column))


class IdentifierInOutput(ValueError):
    """Text about to be published holds what looks like a direct identifier."""


def check_published_text(tables: Mapping[str, pd.DataFrame], extra_patterns: Sequence = ()):
    """Gate 1 again, on text about to be published verbatim (``docs/reference/
    privacy-and-disclosure.md``): raise :class:`IdentifierInOutput` naming the table, the CSV
    line, the column and the kind of every identifier found in a text cell, never the value.

    Ingest refuses such inputs already; this catches text that reaches a publication any other
    way (an edited intermediate file, a rule table, a change of ``extra_patterns``).
    """
    problems = [
        f"published table '{name}', line {f.row + 2}, column '{f.column}': holds what looks "
        f"like {with_article(f.kind)}"
        for name, df in tables.items()
        for f in scan_table(df, extra_patterns=extra_patterns)
    ]
    if problems:
        raise IdentifierInOutput(
            "text about to be published holds what looks like personal data; nothing was "
            "published:\n  - " + "\n  - ".join(problems)
        )
