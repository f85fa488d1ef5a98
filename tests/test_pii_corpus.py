"""Gate 1 measured on a labelled corpus: precision and recall per identifier kind.

``tests/data/pii_corpus.csv`` is synthetic (invented text; NHS numbers from the 999 range the
NHS reserves for testing, telephone numbers from Ofcom's ranges for drama, National Insurance
numbers with made-up digits). Columns: ``label`` (positive / negative), ``kind`` (for a
positive, the one identifier kind in the line; for a negative, the kind it resembles, if any),
``format`` (how the identifier or lookalike is written) and ``text``.

Positives cover every kind in the formats people write (separators of spaces, no-break and
double spaces, dots, hyphens and dashes; full-width characters; dates of birth in numeric, ISO
and long forms next to a birth keyword; obfuscated emails). Negatives are council and workshop
text that must pass: dates of meetings, reference numbers, money, phone-like statistics,
percentages, years and financial years, section and version numbers, postcode districts,
times, and lookalikes such as invalid check digits and never-issued NI prefixes.

``python tests/test_pii_corpus.py`` prints the figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.core import pii

CORPUS = Path(__file__).parent / "data" / "pii_corpus.csv"


def load_corpus() -> list[dict]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def confusion(rows: list[dict], *, strict: bool = False) -> dict:
    """Per kind: true positives, false positives, false negatives (line by line).

    A positive line is found when its kind is reported; any kind reported that the line does
    not hold is a false positive of that kind (so a lookalike of another kind counts too).
    ``"any"`` counts lines: a positive line found, a negative line with anything reported.
    """
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in (*pii.KINDS, "any")}
    for r in rows:
        found = set(pii.find_identifiers_in_text(r["text"], strict=strict))
        holds = {r["kind"]} if r["label"] == "positive" else set()
        for kind in pii.KINDS:
            if kind in holds:
                counts[kind]["tp" if kind in found else "fn"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
        if holds:
            counts["any"]["tp" if holds & found else "fn"] += 1
        elif found:
            counts["any"]["fp"] += 1
    return counts


def rate(num: int, den: int) -> float:
    return num / den if den else float("nan")


def figures(rows: list[dict], *, strict: bool = False) -> list[tuple]:
    """(kind, positives, precision, recall, false positives) per kind and overall."""
    out = []
    for kind, c in confusion(rows, strict=strict).items():
        out.append(
            (
                "overall (lines)" if kind == "any" else kind,
                c["tp"] + c["fn"],
                rate(c["tp"], c["tp"] + c["fp"]),
                rate(c["tp"], c["tp"] + c["fn"]),
                c["fp"],
            )
        )
    return out


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_labelled_and_large(corpus):
    """Hundreds of lines, every kind well represented, labels consistent with the rules."""
    pos = [r for r in corpus if r["label"] == "positive"]
    neg = [r for r in corpus if r["label"] == "negative"]
    assert len(pos) + len(neg) == len(corpus)
    assert len(pos) >= 250 and len(neg) >= 300
    assert len({r["text"] for r in corpus}) == len(corpus), "duplicate lines"
    for kind in pii.KINDS:
        assert sum(r["kind"] == kind for r in pos) >= 25, kind
    assert {r["kind"] for r in pos} == set(pii.KINDS)


def test_recall_is_one_for_every_supported_format(corpus):
    missed = [
        (i + 2, r["kind"], r["format"])
        for i, r in enumerate(corpus)
        if r["label"] == "positive" and r["kind"] not in pii.find_identifiers_in_text(r["text"])
    ]
    assert missed == [], f"identifiers missed (csv line, kind, format): {missed}"


def test_no_false_positive_on_council_text(corpus):
    flagged = [
        (i + 2, r["kind"] or r["format"], pii.find_identifiers_in_text(r["text"]))
        for i, r in enumerate(corpus)
        if r["label"] == "negative" and pii.find_identifiers_in_text(r["text"])
    ]
    assert flagged == [], f"false positives (csv line, lookalike of, kinds): {flagged}"


def test_each_positive_line_reports_only_its_kind(corpus):
    """Precision per kind: a line holding one kind is not also reported as another."""
    for kind, _, precision, recall, fp in figures(corpus):
        assert fp == 0 and precision == 1.0 and recall == 1.0, kind


def test_strict_screen_finds_everything_the_gate_finds(corpus):
    """The publication screen (strict) reports a superset of the gate's kinds on every line,
    and it flags the lookalikes the gate lets through on purpose (invalid check digit, a
    never-issued prefix, a bare handle, a year of birth)."""
    for r in corpus:
        gate = pii.find_identifiers_in_text(r["text"])
        strict = pii.find_identifiers_in_text(r["text"], strict=True)
        assert set(gate) <= set(strict), r["format"]
    for text in ("NHS no. 943 476 5918", "QQ 12 34 56 C", "@jo_bloggs81", "born in 1981"):
        assert pii.find_identifiers_in_text(text) == []
        assert pii.find_identifiers_in_text(text, strict=True) != []


def test_nhs_positives_carry_valid_check_digits_and_lookalikes_do_not(corpus):
    """The corpus is consistent with the rule it tests: NHS positives (digits only) are valid,
    the NHS lookalikes with ten digits in 3-3-4 are not."""
    for r in corpus:
        m = pii.NHS_CANDIDATE.search(pii.normalise(r["text"]))
        if r["label"] == "positive" and r["kind"] == "NHS number":
            assert m and pii.nhs_number_is_valid("".join(m.groups())), r["format"]
        elif r["label"] == "negative" and m:
            assert not pii.nhs_number_is_valid("".join(m.groups())), r["text"]


def main() -> None:
    rows = load_corpus()
    n_pos = sum(r["label"] == "positive" for r in rows)
    print(f"{CORPUS.name}: {n_pos} positive lines, {len(rows) - n_pos} negative lines")
    for strict in (False, True):
        print("\npublication screen (strict)" if strict else "\ningest gate")
        print(f"{'kind':<28}{'positives':>10}{'precision':>11}{'recall':>8}{'false +':>9}")
        for kind, n, p, r, fp in figures(rows, strict=strict):
            print(f"{kind:<28}{n:>10}{p:>11.3f}{r:>8.3f}{fp:>9}")


if __name__ == "__main__":
    main()
