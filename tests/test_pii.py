"""Gate 1 (docs/reference/privacy-and-disclosure.md): each identifier kind is found, lookalikes pass."""

import pytest

from analysis.core import pii


@pytest.mark.parametrize(
    "digits, valid",
    [
        # NHS Data Dictionary worked example: 943 476 5919 has check digit 9.
        ("9434765919", True),
        ("9434765918", False),  # same number, wrong check digit
        ("4010232137", True),  # check digit 7 (sum 180 mod 11 = 4 -> 11-4 = 7)
        ("4010232138", False),
        # check would be 10 (invalid by definition): weights 10..2 sum 1 mod 11 -> 10
        ("0000000010", False),
    ],
)
def test_nhs_check_digit(digits, valid):
    assert pii.nhs_number_is_valid(digits) is valid


def test_nhs_check_digit_independent_computation():
    # independent: the check digit recomputed for many numbers and compared
    for n in range(100000000, 100000000 + 2000, 7):
        body = str(n)[:9].zfill(9)
        total = sum(int(body[i]) * (10 - i) for i in range(9))
        check = (11 - total % 11) % 11
        if check == 10:
            assert not any(pii.nhs_number_is_valid(body + str(d)) for d in range(10))
        else:
            assert pii.nhs_number_is_valid(body + str(check))
            assert not pii.nhs_number_is_valid(body + str((check + 1) % 10))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("contact me at jo.bloggs@example.org please", "email address"),
        ("ring 0116 496 0000 after six", "UK telephone number"),
        ("mobile +44 7700 900123", "UK telephone number"),
        ("+44 (0)20 7946 0958", "UK telephone number"),
        ("07700900123", "UK telephone number"),
        ("(+44) 7700 900123", "UK telephone number"),
        ("0044 7700 900123", "UK telephone number"),
        ("07700.900.123", "UK telephone number"),
        ("in 2024 0116 496 0000", "UK telephone number"),
        ("NHS no. 943 476 5919", "NHS number"),
        ("9434765919", "NHS number"),
        ("943-476-5919", "NHS number"),
        ("NI number AB123456C", "National Insurance number"),
        ("ab 12 34 56 c", "National Insurance number"),
        ("lives at MK9 3EJ", "full postcode"),
        ("SW1A 1AA", "full postcode"),
        ("DOB 03/04/1987", "date of birth"),
        ("born on 3 April 1987", "date of birth"),
    ],
)
def test_identifier_found(text, kind):
    assert kind in pii.find_identifiers_in_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "NHS no. 943 476 5918",  # invalid check digit: not an NHS number
        "QQ123456C",  # Q is never a NINO prefix letter
        "GB123456A",  # GB prefix never issued
        "AB123456E",  # suffix must be A-D
        "the hub in MK9 serves the area",  # a postcode district alone is allowed
        "750 assessments and 1,050 reviews cost £1.9M in 2017/18",
        "in 2016/17 Kent spent over £1M",
        "we hold about 2000000 records",
        "Strongly agree",
        "the meeting was on 03/04/2024",  # a date that is not marked as a date of birth
    ],
)
def test_lookalikes_pass(text):
    assert pii.find_identifiers_in_text(text) == []


# Issue 14: identifiers in the formats people write, each missed by the gate before it
# normalised text (Unicode spaces and dashes, punctuation separators, case).
@pytest.mark.parametrize(
    "text, kind",
    [
        ("NHS no. 943.476.5919", "NHS number"),  # dots
        ("NHS 943\u00a0476\u00a05919", "NHS number"),  # no-break spaces
        ("943  476  5919", "NHS number"),  # double spaces
        ("943\u2013476\u2013 5919", "NHS number"),  # en dashes
        ("NI AB-12-34-56-C", "National Insurance number"),  # hyphens
        ("NI number AB 123 456 C", "National Insurance number"),  # 3-3 grouping
        ("NINO: AB 12 34 56", "National Insurance number"),  # no suffix, after a keyword
        ("lives at MK9\u00a03EJ", "full postcode"),  # no-break space
        ("MK9  3EJ", "full postcode"),  # double space
        ("DOB: 1981-04-03", "date of birth"),  # ISO
        ("born on the third of April 1981", "date of birth"),  # day in words
        ("born on the 3rd of April, nineteen eighty-one", "date of birth"),  # year in words
        ("born April 3, 1981", "date of birth"),
        ("03/04/1981 (DOB)", "date of birth"),  # keyword after the date
        ("jo.bloggs @ example.org", "email address"),  # spaces around @
        ("jo.bloggs\u00a0@\u00a0example.org", "email address"),
        ("jo [at] example [dot] org", "email address"),
        ("jo dot bloggs at example dot org", "email address"),
        ("jo\uff20example.org", "email address"),  # full-width @
        ("call 07700 900123 2 times", "UK telephone number"),  # a number after it
    ],
)
def test_identifier_found_in_written_formats(text, kind):
    assert pii.find_identifiers_in_text(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "B2 2nd floor meeting room",  # a lower-case ordinal is not an inward code
        "the A1 1st junction",
        "version 10.0.19045.3803",  # a version number is not a phone number
        "ISBN 978-0-19-852663-6",
        "the council's @gov.uk accounts",  # no local part
        "based at kent.gov.uk",  # a website, not an address
        "the DOB field was added to the form on 01/04/2023",  # a date, not of birth
        "Born in Bradford project launched 2019-03-01",
        "the 2019\u20132024 strategy and FY\u00a02024/25",
        "sessions 09:30\u201311:00, 0930 1030 1130",
    ],
)
def test_lookalikes_in_written_formats_pass(text):
    # the first four were flagged before; the rest guard the widened patterns
    assert pii.find_identifiers_in_text(text) == []


def test_normalise_folds_spaces_dashes_and_width():
    assert pii.normalise("a\u00a0\u2009b\u2013c\u200b\uff11\t\n d") == "a b-c1 d"


def test_extra_patterns_from_config():
    pats = [{"name": "case reference", "regex": r"\bMOS-\d{6,8}\b"}]
    assert pii.find_identifiers_in_text("see MOS-1234567", pats) == ["case reference"]
    assert pii.find_identifiers_in_text("see MOS-12", pats) == []


@pytest.mark.parametrize(
    "header, identifying",
    [
        ("Email", True),
        ("Name", True),
        ("IP Address", True),
        ("Location", True),
        ("Date of birth", True),
        ("NHS Number", True),
        ("Phone", True),
        ("Home address", True),
        ("Respondent name", True),
        ("response_id", False),
        ("respondent_group", False),
        ("participant_role", False),
        ("Q01", False),
        ("Completion time", False),
        ("stream_name", False),
        ("text", False),
    ],
)
def test_identifier_headers(header, identifying):
    assert (pii.identifier_header(header) is not None) is identifying


def test_scan_table_reports_position_not_value():
    import pandas as pd

    df = pd.DataFrame({"a": ["fine", "x@y.org", "fine"], "b": ["MK9", "ok", "SW1A 1AA"]})
    found = pii.scan_table(df)
    assert [(f.row, f.column, f.kind) for f in found] == [
        (1, "a", "email address"),
        (2, "b", "full postcode"),
    ]
    assert all("x@y.org" not in repr(f) for f in found)


def test_header_values_are_found_and_located_by_position():
    cols = ["response_id", "Q5 jo@example.org", "Email"]
    values = pii.scan_header_values(cols)
    assert [(f.position, f.kind) for f in values] == [(1, "email address")]
    names = pii.scan_headers(cols)
    assert [(f.position, f.kind) for f in names] == [(2, "email address column")]
