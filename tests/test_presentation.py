"""Presentation of the reports (issue 12, point 9): checks that would catch each kind of defect
a board reader found, on the rendered example reports and on the functions that prevent them.

- a minus sign held to its number (no line break can fall between "−" and "£43k");
- no raw snake_case id in any report's text or any figure's alt text;
- table column widths that give every column at least its longest word;
- chart tick labels without false precision;
- the decision rule's constraints stated as the councils gave them;
- table cells in sentence case ("Collect", not the lifecycle id "collect").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from analysis.core import formatting as fmt
from analysis.report import appraisal_wording as aw
from analysis.report.markdown import (
    CELL_PADDING_CHARS,
    TABLE_LINE_CHARS,
    column_widths,
    markdown_table,
    sentence_case,
)

# ------------------------------------------------------------------------------ unit


def test_a_minus_sign_is_joined_to_its_number():
    # UAX #14 lets a line break fall between U+2212 and "£" (both class PR): a word joiner
    # (U+2060, class WJ) forbids it, in browsers and in typst alike
    for text in (fmt.money(-43_000), fmt.pct(-12.5), fmt.number(-5), fmt.money(-1.2e6, sig=2)):
        assert text.startswith("\u2212\u2060"), text
        assert "-" not in text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (100e6, "£100m"),  # untrimmed: £100.00m, a precision an axis tick does not have
        (1.5e6, "£1.5m"),
        (1.25e6, "£1.25m"),
        (5_000, "£5k"),  # £5.0k untrimmed
        (-400e6, "\u2212\u2060£400m"),
        (0, "£0"),
    ],
)
def test_trimmed_money_for_axis_ticks(value, shown):
    assert fmt.money(value, trim=True) == shown


@pytest.mark.parametrize(
    ("a", "b", "shown"),
    [
        (12_345.6, 11_829.0, ("£12.3k", "£11.8k")),  # both £12k at the default precision
        (12_049.0, 12_001.0, ("£12.05k", "£12.00k")),  # three figures still alike: four
        (500_000.0, 400_000.0, ("£500k", "£400k")),  # apart already: unchanged
        (12_000.0, 12_000.0, ("£12k", "£12k")),  # equal values print alike
    ],
)
def test_two_compared_amounts_never_print_alike_when_they_differ(a, b, shown):
    """The savings sentence once read "expects £12k but its appraisal finds £12k (£517
    short)" (64-council review): compared amounts get the figures that tell them apart."""
    assert fmt.money_apart(a, b) == shown


@pytest.mark.parametrize(
    ("k", "n", "shown"),
    [(54, 54, "all"), (2, 2, "both"), (0, 7, "none"), (13, 14, "13"), (1, 1, "1")],
)
def test_a_count_of_every_one_reads_all(k, n, shown):
    """The 64-council review read "54 of the 54 councils that invest" and "13 actions, 13 of
    them a common need": a count that is every one reads "all" (or "both")."""
    assert fmt.of_all(k, n) == shown


def test_every_column_gets_its_longest_word():
    """The economic table that overlapped in the PDF: nine columns, one long text column.
    Each column's share of the line must hold its longest word (a number is one word)."""
    header = ["Council", "Option", "PV costs", "PV benefits", "NPSV", "BCR", "Value for money"]
    header += ["Payback year", "Decision"]
    body = [
        ["Milton Keynes", "More ambitious", "£3.30m", "£2.70m", fmt.money(-595_000), "0.82"]
        + ["poor", "never", "no value for money (NPSV not positive); proposed by the council"],
        ["Canterbury", "Do minimum", "£85k", "£105k", "£20k", "1.24", "low", "5"]
        + ["preferred way forward"],
    ]
    widths = column_widths(header, body)
    line = 110 if len(header) >= 6 else TABLE_LINE_CHARS  # the 7.5 pt wide-table line
    total = sum(widths)
    for j, w in enumerate(widths):
        longest = max(len(word) for row in [header, *body] for word in row[j].split())
        # the column's share of the line, less its padding, holds the longest word
        assert w / total * line - CELL_PADDING_CHARS >= longest - 1e-9, (header[j], w)
    # the long text column gets the room left, more than any short column
    assert widths[-1] == max(widths)


def test_a_short_table_keeps_each_column_to_its_content():
    widths = column_widths(["Id", "Name"], [["A1", "Short"]])
    assert widths == [2 + CELL_PADDING_CHARS, 5 + CELL_PADDING_CHARS]
    md = markdown_table(
        __import__("pandas").DataFrame({"a": ["x"], "b": ["y"]}), [("a", "A", "l"), ("b", "B", "r")]
    )
    assert md.splitlines()[1] == "|:---|---:|"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("collect", "Collect"),
        ("service manager", "Service manager"),
        ("capture, validation, processing", "Capture, validation, processing"),
        ("yes", "Yes"),
        ("https://www.gov.uk/green-book", "https://www.gov.uk/green-book"),
        ("cost_lines.csv", "cost_lines.csv"),
        ("e.g. a plan", "e.g. a plan"),
        ("£1.2m", "£1.2m"),
        ("A01", "A01"),
        (3, 3),
    ],
)
def test_sentence_case_capitalises_plain_words_only(cell, shown):
    assert sentence_case(cell) == shown


def test_a_table_of_lifecycle_ids_is_published_in_sentence_case():
    df = __import__("pandas").DataFrame({"stage": ["collect", "analyse"], "n": [1, 2]})
    out = markdown_table(df, [("stage", "Stage", "l"), ("n", "N", "r")])
    assert "| Collect " in out and "| Analyse " in out and "collect" not in out


def test_constraints_sentence_states_the_rule_the_councils_gave():
    names = {"a": "Alpha Council", "b": "Beta Council"}

    def short(n):
        return n.replace(" Council", "")

    def kf(limit=None, big="eligible", chosen="big"):
        return {
            "decision_min_bcr": 1.0, "decision_affordability_limit": limit,
            "recommendation_reason": "highest_npsv_of_the_options_offering_value_for_money",
            "preferred_option_id": chosen,
            "options": {"main": {"npsv": 100.0, "eligibility": "eligible"},
                        "big": {"npsv": 300.0, "eligibility": big}},
        }  # fmt: skip

    kfs = {"a": kf(), "b": kf()}
    text = aw.constraints_sentence(kfs, ["a", "b"], names, short)
    assert "at least 1.00" in text and "no council states an affordability limit" in text
    kfs["b"] = kf(2_500_000)
    text = aw.constraints_sentence(kfs, ["a", "b"], names, short)
    assert "(Beta £2.50m)" in text and "Alpha" not in text
    assert "no council states" not in text and "In no council does the limit change" in text
    # Beta's limit rules out "big" (more NPSV, value for money): the limit changed the answer
    kfs["b"] = kf(2_500_000, big="exceeds_affordability_limit", chosen="main")
    text = aw.constraints_sentence(kfs, ["a", "b"], names, short)
    assert "The limit changes the answer in Beta" in text


# ------------------------------------------------------------------------------ reports

DOCS = ["index", "business-case", "user-research", "roadmap"]
DOCS += [f"case-study-{a}" for a in ("leicester", "lambeth", "milton_keynes", "canterbury")]
#: a snake_case word: lower-case words joined by underscores ("milton_keynes", "ad_hoc")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: a negative number written with a hyphen-minus, or a minus a line break may separate
HYPHEN_NEGATIVE = re.compile(r"(?<![\w\u2060])-[£\d]")
LOOSE_MINUS = re.compile("\u2212(?!\u2060)")


def _soup(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup


@pytest.fixture(scope="module")
def rendered(pipeline_run):
    out = pipeline_run["dir"] / "results" / "reports"
    return {d: (_soup(out / f"{d}.html"), out / f"{d}.pdf") for d in DOCS}


def test_no_table_cell_lets_a_minus_sign_wrap_from_its_number(rendered):
    cells = 0
    for doc, (soup, pdf) in rendered.items():
        for cell in soup.find_all(["td", "th"]):
            text = cell.get_text()
            cells += "\u2212" in text
            assert not LOOSE_MINUS.search(text), (doc, text)
            assert not HYPHEN_NEGATIVE.search(text), (doc, text)
        pdf_text = " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
        assert not LOOSE_MINUS.search(pdf_text), doc
    assert cells > 0  # the example has negative values in its tables


def test_no_raw_id_in_any_report_text_or_alt_text(rendered, pipeline_run):
    for doc, (soup, _pdf) in rendered.items():
        text = soup.get_text(" ")
        assert not SNAKE.findall(text), (doc, sorted(set(SNAKE.findall(text))))
        # a one-word council id ("lambeth") is a raw id too: names are capitalised
        ids = re.findall(r"\b(?:leicester|lambeth|canterbury)\b", text)
        assert not ids, (doc, sorted(set(ids)))
        for img in soup.find_all("img"):
            alt = img.get("alt", "")
            assert alt, doc
            assert not SNAKE.findall(alt), (doc, SNAKE.findall(alt))
            assert not re.search(r"\((?:[A-Z]\d+)\)", alt), (doc, alt)  # "(O1)"
    # and every published alt text, which the reports quote
    for alt_file in (pipeline_run["dir"] / "results").rglob("published/**/*.alt.txt"):
        alt = alt_file.read_text(encoding="utf-8")
        assert not SNAKE.findall(alt), (alt_file.name, SNAKE.findall(alt))


def test_system_names_keep_their_own_spelling_in_every_report(rendered, pipeline_run):
    """Issue 12, point 9 (spelling drift between tables and figures): a system is printed as
    the council's register names it ("Power BI", "Departmental SQL database"), never re-cased
    ("Power bi"). Each name with an inner capital is looked for in every report, case-blind;
    every hit must be spelled exactly as the register spells it."""
    names = set()
    for reg in (pipeline_run["dir"] / "results").glob("*/ingest/journeys.csv"):
        df = pd.read_csv(reg, dtype=str, keep_default_na=False)
        names |= {n for n in df["system"] if n.lower() != "none" and n[1:] != n[1:].lower()}
    assert names  # the example registers have such names (Power BI, SQL)
    seen = 0
    for doc, (soup, _pdf) in rendered.items():
        text = soup.get_text(" ")
        for name in names:
            for hit in re.findall(re.escape(name), text, flags=re.IGNORECASE):
                seen += 1
                assert hit == name, (doc, hit, name)
    assert seen > 0


def test_no_table_cell_starts_with_a_lower_case_word(rendered):
    """Every table cell of every report starts as a sentence does: no bare lifecycle id
    ("collect"), owner role or yes/no in lower case."""
    for doc, (soup, _pdf) in rendered.items():
        for cell in soup.find_all("td"):
            text = cell.get_text(" ").strip()
            assert not re.match(r"[a-z][a-z'’-]*(?:[\s,;]|$)", text), (doc, text)


def test_a_routed_construct_shows_only_the_groups_it_was_asked_of(rendered):
    """The expectations questions (Q23-Q26) are asked only of residents, partner agencies and
    the voluntary sector: the user-research table by respondent group has no staff row with
    "0" answers, and the text says the staff groups were routed past the questions."""
    soup = rendered["user-research"][0]
    block = soup.find(id="tbl-rq2-expectations-groups")
    # Quarto puts the id on a div around the table, the fallback on the table itself
    table = block if block.name == "table" else block.find("table")
    rows = [tr.find_all("td") for tr in table.find_all("tr")]
    groups = [r[0].get_text(strip=True) for r in rows if r]
    assert groups and not any("staff" in g.lower() or g == "Managers" for g in groups), groups
    assert {"Police", "Health services", "Other partner agencies"} <= set(groups)
    text = soup.get_text(" ")
    assert "routes the other groups (frontline staff; managers; analysts" in text


def test_no_case_study_quotes_the_same_sentence_twice(rendered):
    """Two people may say the same thing; a case study shows it once."""
    for doc, (soup, _pdf) in rendered.items():
        if not doc.startswith("case-study-"):
            continue
        quotes = [q.get_text(" ", strip=True) for q in soup.find_all("blockquote")]
        assert len(quotes) >= 3, doc
        seen = set()
        for q in quotes:
            said = {
                x.strip()
                for x in re.split(r"(?<=[.!?])\s+", q.split("”")[0].lstrip("“"))
                if x.strip()
            }
            assert not said & seen, (doc, sorted(said & seen))
            seen |= said


def test_each_figure_and_table_caption_shares_a_page_with_its_content(rendered):
    """A table's caption (above it) is on the page where the table starts: no page of the PDF
    ends in a "Table n:" caption line."""
    for doc, (_soup_, pdf) in rendered.items():
        for i, page in enumerate(PdfReader(pdf).pages, 1):
            lines = [ln.strip() for ln in (page.extract_text() or "").splitlines() if ln.strip()]
            # the page's last line of content (not its number or running footer)
            content = [ln for ln in lines if not re.fullmatch(r"\d+|.*Page \d+ of \d+", ln)]
            # a page holding only a figure (a journey map) has no line of text
            assert not content or not re.match(r"Table \d+:", content[-1]), (doc, i, content[-1])


def test_discount_schedule_vintage_in_words():
    from analysis.report.wording import vintage_words

    assert vintage_words("green_book_2022") == "2022 edition"
    assert "_" not in vintage_words("some_other_table")


def test_a_chart_taller_than_a_page_with_its_caption_is_scaled_to_fit(tmp_path):
    """A chart is never split from its caption in the PDF, so one drawn taller than the text
    block less a caption's room (a 9-stream journey map was 10.05 in on a 10.04 in block: its
    caption ran into the page footer) is given a height that fits; others keep their size."""
    from types import SimpleNamespace

    from PIL import Image

    from analysis.core.page import A4_TEXT_HEIGHT_IN, FIGURE_MAX_HEIGHT_IN
    from analysis.report.markdown import figure

    assert A4_TEXT_HEIGHT_IN == pytest.approx(25.5 / 2.54)  # A4 less 2 cm and 2.2 cm margins
    tall, short = tmp_path / "tall.png", tmp_path / "short.png"
    Image.new("RGB", (1340, 2010)).save(tall, dpi=(200, 200))  # 10.05 in
    Image.new("RGB", (1340, 1080)).save(short, dpi=(200, 200))  # 5.4 in
    p = SimpleNamespace(figures={"tall": (tall, "A tall map."), "short": (short, "A chart.")})
    md = figure(p, "tall", "Tall", "t")
    assert f"{{#fig-t height={FIGURE_MAX_HEIGHT_IN:.2f}in fig-alt=" in md
    assert "height=" not in figure(p, "short", "Short", "s")
