"""Tests of analysis.render.engine: the pandoc + typst fallback renderer of the Quarto report sources.

Everything here runs the real engines (pandoc from pypandoc-binary, the typst compiler from the
``typst`` package) on a small Quarto project built in ``tmp_path``; nothing is mocked. Quarto is
not installed on our machines, so the Quarto path is tested only for the renderer choice and its
error (``test_choose_renderer_*``).

Expected behaviour comes from the Quarto documentation, not from this module's output:
* variables and meta shortcodes: https://quarto.org/docs/authoring/variables.html
* includes: https://quarto.org/docs/authoring/includes.html
* cross-references ("Figure 1", "Table 1", "Section 2.1"; ``[-@fig-x]`` gives the bare
  number): https://quarto.org/docs/authoring/cross-references.html
* callouts (default titles "Note", "Tip", ...): https://quarto.org/docs/authoring/callouts.html
and from WCAG 2.2 / the GOV.UK accessibility guidance for the HTML checks (one h1, no skipped
heading levels, alt text, ``scope="col"`` on column headers, ``lang``).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from analysis.render import RenderError, choose_renderer, render_document

VARIABLES = {
    "authority": {"name": "Exampleshire County Council"},
    "survey": {"n": 412, "response_rate": "37.5%"},
    "costs": {"npv": "£1.24m"},
}
FIG_ALT = "Line chart: responses rise from 10 in January to 60 in June."

QMD = """\
---
title: "Business case: {{< var authority.name >}}"
date: 2025-03-31
---

## Summary {#sec-summary}

We surveyed {{< var survey.n >}} staff (response rate {{< var survey.response_rate >}}).
The net present value is {{< var costs.npv >}}, see @tbl-costs and @fig-trend.
Prepared by {{< meta organisation >}}. Method in @sec-design.

::: {.callout-note}
## What this means

The NPV in @tbl-costs is positive.
:::

::: {.callout-warning title="Caveat"}
Small numbers are suppressed.
:::

::: {.callout-tip}
A tip with the default title.
:::

## Method {#sec-method}

{{< include parts/method.md >}}

### Survey design {#sec-design}

See [-@fig-trend] and @sec-summary. Literal shortcode: {{{< var survey.n >}}}.

![Responses by month](figures/trend.png){#fig-trend fig-alt="FIG_ALT"}

| Option        | Cost (£k) | Benefit (£k) |
|:--------------|----------:|-------------:|
| Do nothing    |         0 |            0 |
| Shared portal |       120 |          340 |

: Costs and benefits by option {#tbl-costs}

{{< pagebreak >}}

## Appendix {.unnumbered}

```{=html}
<p>RAW-HTML-ONLY</p>
```

```{=typst}
RAW-TYPST-ONLY
```
""".replace("FIG_ALT", FIG_ALT)


def make_project(root: Path, qmd: str = QMD, **extra_files: str) -> Path:
    """Write a small Quarto project (with a matplotlib PNG) and return the .qmd path."""
    from analysis.core.plotting import new_figure, save_figure

    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(
        "project:\n  type: default\nnumber-sections: true\ntoc: true\n"
        "organisation: Example Research Unit\nlang: en-GB\n",
        encoding="utf-8",
    )
    (root / "_variables.yml").write_text(yaml.safe_dump(VARIABLES), encoding="utf-8")
    (root / "parts").mkdir(exist_ok=True)
    # A nested include's path is relative to the document being rendered, not to the including
    # file: with Quarto 1.7.34, main.qmd including sub/a.md including b.md reads ./b.md and,
    # when it is missing, stops with "could not find file <project>/b.md" even though
    # sub/b.md exists (quarto.js resolvePath uses the rendered document's folder).
    (root / "parts" / "method.md").write_text(
        "We used {{< var survey.n >}} responses.\n\n{{< include parts/detail.md >}}\n",
        encoding="utf-8",
    )
    (root / "parts" / "detail.md").write_text("NESTED-INCLUDE-TEXT.\n", encoding="utf-8")
    fig, ax = new_figure(2.5)
    ax.plot([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60])
    save_figure(fig, root / "figures" / "trend.png", FIG_ALT)
    for name, text in extra_files.items():
        (root / name).write_text(text, encoding="utf-8")
    qmd_path = root / "report.qmd"
    qmd_path.write_text(qmd, encoding="utf-8")
    return qmd_path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("proj")
    qmd = make_project(root / "report")
    lines: list[str] = []
    out = render_document(qmd, root / "out", renderer="pandoc", log=lines.append)
    return out, lines


@pytest.fixture(scope="module")
def soup(rendered):
    from bs4 import BeautifulSoup

    return BeautifulSoup(rendered[0]["html"].read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def pdf_text(rendered):
    from pypdf import PdfReader

    reader = PdfReader(rendered[0]["pdf"])
    return [" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _expected_values() -> list[str]:
    return [
        VARIABLES["authority"]["name"],
        str(VARIABLES["survey"]["n"]),
        VARIABLES["survey"]["response_rate"],
        VARIABLES["costs"]["npv"],
    ]


# ---------------------------------------------------------------------------------------- HTML


def test_html_resolves_shortcodes_and_includes(soup):
    text = _flat(soup.get_text(" "))
    for value in _expected_values():
        assert value in text
    assert "Example Research Unit" in text  # {{< meta >}} from _quarto.yml
    assert "NESTED-INCLUDE-TEXT" in text  # include inside an included file
    # the only "{{<" left is Quarto's escaped form {{{< ... >}}}, which renders literally
    assert text.count("{{<") == 1 and "{{< var survey.n >}}" in text
    assert "{{{<" not in text
    assert "?@" not in text and not re.search(r"@(fig|tbl|sec)-", text)


def test_html_cross_references_link_and_number(soup):
    def link_texts(target):
        return {_flat(a.get_text()) for a in soup.find_all("a", href=f"#{target}")} - {""}

    # Two level-2 sections come before the level-3 "Survey design": it is 2.1.
    assert "Figure 1" in link_texts("fig-trend") and "1" in link_texts("fig-trend")
    assert link_texts("tbl-costs") == {"Table 1"}
    assert "Section 2.1" in link_texts("sec-design")
    assert "Section 1" in link_texts("sec-summary")
    for target in ("fig-trend", "tbl-costs", "sec-design", "sec-summary"):
        assert soup.find(id=target) is not None
    assert _flat(soup.find("figcaption").get_text()) == "Figure 1: Responses by month"
    assert _flat(soup.find("caption").get_text()) == "Table 1: Costs and benefits by option"
    heads = {_flat(h.get_text()) for h in soup.find_all(["h2", "h3"])}
    assert {"1 Summary", "2 Method", "2.1 Survey design", "Appendix"} <= heads


def test_html_is_accessible(soup):
    assert soup.html["lang"] == "en-GB"
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    levels = [int(h.name[1]) for h in headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    imgs = soup.find_all("img")
    assert imgs and all(img.get("alt") for img in imgs)
    assert imgs[0]["alt"] == FIG_ALT
    ths = soup.find_all("th")
    assert len(ths) == 3 and all(th.get("scope") == "col" for th in ths)


def test_html_is_self_contained(soup):
    assert soup.find("img")["src"].startswith("data:image/png;base64,")
    for tag in soup.find_all(["link", "script", "img", "style", "iframe", "source"]):
        for attr in ("src", "href"):
            assert not re.match(r"^(https?:)?//", tag.get(attr, "")), tag
    for style in soup.find_all("style"):
        assert "http://" not in style.get_text() and "https://" not in style.get_text()
    assert not soup.find_all("script")
    assert not soup.find_all("link", rel="stylesheet")  # the CSS is embedded


def test_html_callouts_and_raw_blocks(soup):
    def callout(kind):
        div = soup.find("div", class_=f"callout-{kind}")
        return _flat(div.find(class_="callout-title").get_text()), _flat(div.get_text())

    assert callout("note")[0] == "What this means"
    assert "Table 1 is positive" in callout("note")[1]
    assert callout("warning")[0] == "Caveat"
    assert callout("tip")[0] == "Tip"  # Quarto's default title
    text = soup.get_text()
    assert "RAW-HTML-ONLY" in text and "RAW-TYPST-ONLY" not in text
    assert soup.find("nav", id="TOC") is not None


# ----------------------------------------------------------------------------------------- PDF


def test_pdf_text_and_numbering(pdf_text, rendered):
    from pypdf import PdfReader

    whole = " ".join(pdf_text)
    for value in _expected_values():
        assert value in whole
    assert "Figure 1: Responses by month" in whole
    assert "Table 1: Costs and benefits by option" in whole
    assert "Section 2.1" in whole and "2.1 Survey design" in whole and "1 Summary" in whole
    assert "What this means" in whole and "Caveat" in whole
    assert "RAW-TYPST-ONLY" in whole and "RAW-HTML-ONLY" not in whole
    assert "?@" not in whole and not re.search(r"@(fig|tbl|sec)-", whole)
    # {{< pagebreak >}} puts the appendix on a new page
    table_page = next(i for i, t in enumerate(pdf_text) if "Table 1: Costs" in t)
    appendix_page = next(i for i, t in enumerate(pdf_text) if "RAW-TYPST-ONLY" in t)
    assert appendix_page == table_page + 1 and pdf_text[appendix_page].startswith("Appendix")
    assert "31 March 2025" in pdf_text[0]
    assert "Contents" in pdf_text[0]  # contents on the first page, body after a page break
    assert f"Page 1 of {len(pdf_text)}" in pdf_text[0]
    box = PdfReader(rendered[0]["pdf"]).pages[0].mediabox
    # A4 is 210 x 297 mm = 595.28 x 841.89 pt (ISO 216; 1 pt = 1/72 in)
    assert float(box.width) == pytest.approx(595.28, abs=0.5)
    assert float(box.height) == pytest.approx(841.89, abs=0.5)


def test_html_and_pdf_number_the_same(soup, pdf_text):
    whole = " ".join(pdf_text)
    captions = [_flat(c.get_text()) for c in soup.find_all(["figcaption", "caption"])]
    headings = [_flat(h.get_text()) for h in soup.find("main").find_all(["h2", "h3"])]
    for item in captions + headings:
        assert item in whole


def test_log_says_which_renderer_ran(rendered):
    lines = rendered[1]
    assert len(lines) == 2
    assert "report.html with pandoc fallback" in lines[0]
    assert "report.pdf with pandoc+typst fallback" in lines[1]


def test_rerender_is_byte_identical(tmp_path):
    qmd = make_project(tmp_path / "p")
    a = render_document(qmd, tmp_path / "a", renderer="pandoc")
    b = render_document(qmd, tmp_path / "b", renderer="pandoc")
    for fmt in ("html", "pdf"):
        assert a[fmt].read_bytes() == b[fmt].read_bytes()


# -------------------------------------------------------------------------------------- errors


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def _assert_fails(tmp_path, qmd_text, pattern, **extra):
    qmd = make_project(tmp_path / "p", qmd_text, **extra)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=pattern):
        render_document(qmd, out, renderer="pandoc")
    assert not out.exists() or not any(out.iterdir())  # nothing half-rendered is left


def test_unknown_variable_names_file_and_line(tmp_path):
    qmd = QMD.replace("{{< var costs.npv >}}", "{{< var costs.nvp >}}")
    line = _line_of(qmd, "costs.nvp")
    _assert_fails(tmp_path, qmd, rf"report\.qmd:{line}: unknown variable 'costs\.nvp'")


def test_unknown_variable_in_included_file_names_that_file(tmp_path):
    qmd = QMD.replace("{{< include parts/method.md >}}", "{{< include extra.md >}}")
    _assert_fails(
        tmp_path,
        qmd,
        r"extra\.md:3: unknown variable 'survey\.x'",
        **{"extra.md": "a\n\n{{< var survey.x >}}\n"},
    )


def test_unknown_meta_key_is_an_error(tmp_path):
    qmd = QMD.replace("{{< meta organisation >}}", "{{< meta organization >}}")
    line = _line_of(qmd, "organization")
    _assert_fails(tmp_path, qmd, rf"report\.qmd:{line}: unknown metadata key 'organization'")


def test_missing_include_is_an_error(tmp_path):
    qmd = QMD.replace("parts/method.md", "parts/missing.md")
    line = _line_of(qmd, "parts/missing.md")
    _assert_fails(
        tmp_path, qmd, rf"report\.qmd:{line}: included file 'parts/missing\.md' not found"
    )


def test_circular_include_is_an_error(tmp_path):
    qmd = QMD.replace("parts/method.md", "loop.md")
    _assert_fails(tmp_path, qmd, r"circular", **{"loop.md": "{{< include loop.md >}}\n"})


def test_unresolved_reference_is_an_error(tmp_path):
    qmd = QMD.replace("see @tbl-costs and", "see @tbl-missing and")
    line = _line_of(qmd, "@tbl-missing")
    _assert_fails(tmp_path, qmd, rf"report\.qmd:{line}: unresolved cross-reference '@tbl-missing'")


def test_reference_to_unnumbered_section_is_an_error(tmp_path):
    qmd = QMD.replace("## Appendix {.unnumbered}", "## Appendix {#sec-app .unnumbered}")
    _assert_fails(tmp_path, qmd + "\nSee @sec-app.\n", r"'@sec-app' refers to an unnumbered")


def test_figure_without_fig_alt_is_an_error(tmp_path):
    qmd = QMD.replace(f' fig-alt="{FIG_ALT}"', "")
    _assert_fails(tmp_path, qmd, r"figure 'fig-trend' has no fig-alt")


def test_skipped_heading_level_is_an_error(tmp_path):
    qmd = QMD.replace("### Survey design", "#### Survey design")
    _assert_fails(tmp_path, qmd, r"skips a level")


def test_unsupported_shortcode_is_an_error(tmp_path):
    qmd = QMD.replace("## Appendix", "{{< video https://example.org/v.mp4 >}}\n\n## Appendix")
    _assert_fails(tmp_path, qmd, r"unsupported shortcode")


def test_front_matter_var_error_names_front_matter_line(tmp_path):
    qmd = QMD.replace("authority.name", "authority.title")
    _assert_fails(tmp_path, qmd, r"report\.qmd:2: unknown variable 'authority\.title'")


# ----------------------------------------------------------------- includes, as Quarto 1.7 does
# Observed with Quarto 1.7.34 (`quarto render doc.qmd --to html` on small projects in /tmp):
# * an include with text before or after it on its line is not expanded: Quarto warns
#   "Shortcode 'include' not found", exits 0 and prints "{{< include inc.md >}}" as text;
# * `{{<include inc.md>}}` (no space after `{{<`) is not expanded either and comes out as a raw
#   HTML tag; `{{<  include inc.md >}}` is an "Invalid Shortcode" error;
# * leading/trailing spaces on the line are fine, and the included text is always followed by a
#   blank line: "before\n{{< include x >}}\nafter" gives <p>before X</p><p>after</p>.


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("See {{< include parts/method.md >}}", "does not stand alone on its line"),
        ("{{< include parts/method.md >}} and more", "does not stand alone on its line"),
        ("{{{< var survey.n >}}} {{< include parts/method.md >}}", "does not stand alone"),
        ("{{<include parts/method.md>}}", r"one space after '\{\{<'"),
    ],
)
def test_include_that_does_not_stand_alone_is_an_error(tmp_path, line, message):
    qmd = QMD.replace("{{< include parts/method.md >}}", line)
    number = _line_of(qmd, line)
    _assert_fails(tmp_path, qmd, rf"report\.qmd:{number}: .*{message}")


def test_include_not_alone_in_an_included_file_names_that_file(tmp_path):
    qmd = QMD.replace("{{< include parts/method.md >}}", "{{< include extra.md >}}")
    _assert_fails(
        tmp_path,
        qmd,
        r"extra\.md:2: include '\{\{< include parts/detail\.md >\}\}' does not stand alone on "
        r"its line; Quarto expands an include only when it stands alone on its line",
        **{"extra.md": "Text.\n(see {{< include parts/detail.md >}})\n"},
    )


def test_nested_include_is_relative_to_the_rendered_document(tmp_path):
    from analysis.render import read_source

    qmd = make_project(
        tmp_path / "p",
        QMD.replace("{{< include parts/method.md >}}", "{{< include parts/nested.md >}}"),
        **{
            "parts/nested.md": "{{< include detail.md >}}\n\n{{< include /parts/detail.md >}}\n",
            "detail.md": "DETAIL-BESIDE-THE-DOCUMENT\n",
        },
    )
    body = read_source(qmd).body
    assert "DETAIL-BESIDE-THE-DOCUMENT" in body  # detail.md: beside report.qmd, not parts/
    assert "NESTED-INCLUDE-TEXT" in body  # /parts/detail.md: from the project folder


def test_include_path_in_a_subfolder_document(tmp_path):
    from analysis.render import read_source

    make_project(tmp_path / "p", **{"part.md": "PROJECT-PART\n"})
    sub = tmp_path / "p" / "sub"
    (sub / "deeper").mkdir(parents=True)
    (sub / "part.md").write_text("SUB-PART\n", encoding="utf-8")
    (sub / "deeper" / "part.md").write_text("DEEPER-PART\n", encoding="utf-8")
    (sub / "deeper" / "inner.md").write_text(
        "{{< include part.md >}}\n\n{{< include /part.md >}}\n", encoding="utf-8"
    )
    (sub / "doc.qmd").write_text(
        "---\ntitle: Sub\n---\n\n{{< include deeper/inner.md >}}\n", encoding="utf-8"
    )
    body = read_source(sub / "doc.qmd").body
    # part.md beside sub/doc.qmd (not beside deeper/inner.md); /part.md in the project folder
    assert "SUB-PART" in body and "PROJECT-PART" in body and "DEEPER-PART" not in body


def test_include_is_followed_by_a_blank_line(tmp_path):
    from bs4 import BeautifulSoup

    qmd = make_project(
        tmp_path / "p",
        QMD.replace(
            "{{< include parts/method.md >}}",
            "BEFORE-TEXT\n  {{< include parts/detail.md >}}  \nAFTER-TEXT",
        ),
    )
    out = render_document(qmd, tmp_path / "out", formats=("html",), renderer="pandoc")
    soup = BeautifulSoup(out["html"].read_text(encoding="utf-8"), "html.parser")
    paragraphs = [_flat(p.get_text()) for p in soup.find_all("p")]
    assert "BEFORE-TEXT NESTED-INCLUDE-TEXT." in paragraphs and "AFTER-TEXT" in paragraphs


# --------------------------------------------------------------- shortcodes in attribute blocks
# Quarto 1.7.34 with `![Cap x](f.png){#fig-x fig-alt="{{< var alt.x >}}"}` exits 0 and prints
# the image without a figure, followed by the text {#fig-x fig-alt="Alt text for x"}; @fig-x
# becomes ?@fig-x. A callout `::: {.callout-note title="{{< meta k >}}"}` and a span
# `[span]{.cls key="{{< meta k >}}"}` fall apart the same way.


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f'fig-alt="{FIG_ALT}"', 'fig-alt="{{< var authority.name >}}"'),
        ("{#fig-trend", "{#fig-{{< var survey.n >}}"),
        (
            '::: {.callout-warning title="Caveat"}',
            '::: {.callout-warning title="{{< meta title >}}"}',
        ),
        ("## Method {#sec-method}", '## Method {#sec-method data-n="{{< var survey.n >}}"}'),
        ("Small numbers", '[Small]{.note key="{{< meta organisation >}}"} numbers'),
        ("Small numbers", "[Small]{ {{< var survey.n >}} } numbers"),
        ("```{=typst}", "```{=typst .x key={{< var survey.n >}}}"),
    ],
)
def test_shortcode_in_an_attribute_block_is_an_error(tmp_path, old, new):
    assert old in QMD
    qmd = QMD.replace(old, new, 1)
    number = _line_of(qmd, new)
    _assert_fails(
        tmp_path,
        qmd,
        rf"report\.qmd:{number}: shortcode .* inside an attribute block; Quarto 1\.7 expands "
        "shortcodes before pandoc parses attributes",
    )


def test_braces_that_are_not_attributes_may_hold_shortcodes(tmp_path):
    from analysis.render import read_source

    qmd = make_project(
        tmp_path / "p",
        QMD.replace(
            "Small numbers are suppressed.",
            "Sets {a, {{< var survey.n >}}} and {x = {{< var survey.n >}}}; "
            '`{key="{{< var survey.n >}}"}`.',
        ),
    )
    body = read_source(qmd).body
    assert 'Sets {a, 412} and {x = 412}; `{key="412"}`.' in body


# ------------------------------------------------------------- values escaped for their context
# Quarto 1.7.34 parses each _variables.yml value as markdown inlines on its own (shortcodes are
# resolved on pandoc's AST). With the values below it gave, and the fallback gives:
# * "a | b" in a pipe-table cell: one cell "a | b" (the fallback writes a \| there);
# * "line one\nline two": "line one line two", in the same paragraph, no line break;
# * "- item", "# Head", "1. first" at the start of a line: text, not a list or heading;
# * "*bold* and _under_ and snake_case_name": <em>bold</em> and <em>under</em> and
#   snake_case_name; "mail me@example.org": unchanged; "@fig-trend" in a value: a
#   cross-reference ("Figure 1"), like @fig-trend written in the text;
# * in inline code or a code block: the value's plain text ("bold and under ...");
# * a value with double quotes in a quoted front-matter string: the subtitle He said “no”.

CONTEXT_VARIABLES = {
    "pipe": "a | b",
    "nl": "line one\nline two",
    "item": "- item",
    "head": "# Head",
    "num": "1. first",
    "star": "*bold* and _under_ and snake_case_name, see @fig-trend",
    "at": "mail me@example.org",
    "quote": 'He said "no"',
}
CONTEXT_QMD = """\
---
title: "Contexts"
subtitle: "{{< var ctx.quote >}}"
---

## Values

| Value | Note |
|:------|:-----|
| {{< var ctx.pipe >}} | PIPE-ROW |
| `{{< var ctx.pipe >}}` | CODE-ROW |

NL: {{< var ctx.nl >}} end.

{{< var ctx.item >}}

{{< var ctx.head >}}

{{< var ctx.num >}} x

Star: {{< var ctx.star >}}. At: {{< var ctx.at >}}.

Code: `{{< var ctx.star >}}`.

```
{{< var ctx.star >}}
```

![Responses by month](figures/trend.png){#fig-trend fig-alt="FIG_ALT"}
""".replace("FIG_ALT", FIG_ALT)


def test_values_are_escaped_for_the_context_they_land_in(tmp_path):
    from bs4 import BeautifulSoup

    variables = yaml.safe_dump({**VARIABLES, "ctx": CONTEXT_VARIABLES})
    qmd = make_project(tmp_path / "p", CONTEXT_QMD, **{"_variables.yml": variables})
    out = render_document(qmd, tmp_path / "out", formats=("html",), renderer="pandoc")
    soup = BeautifulSoup(out["html"].read_text(encoding="utf-8"), "html.parser")
    rows = [[_flat(td.get_text()) for td in tr.find_all("td")] for tr in soup.find_all("tr")[1:]]
    assert rows == [["a | b", "PIPE-ROW"], ["a | b", "CODE-ROW"]]
    assert soup.find("td").find("code") is None and soup.find_all("td")[2].code is not None
    paragraphs = [p for p in soup.find("main").find_all("p")]
    texts = [_flat(p.get_text()) for p in paragraphs]
    assert "NL: line one line two end." in texts and not soup.find("main").find_all("br")
    assert {"- item", "# Head", "1. first x"} <= set(texts)
    assert not soup.find("main").find_all(["ul", "ol", "h3"])
    star = next(p for p in paragraphs if _flat(p.get_text()).startswith("Star:"))
    assert [_flat(e.get_text()) for e in star.find_all("em")] == ["bold", "under"]
    assert "snake_case_name, see Figure 1" in _flat(star.get_text())
    assert star.find("a", href="#fig-trend") is not None
    assert "At: mail me@example.org." in _flat(star.get_text())
    plain = "bold and under and snake_case_name, see @fig-trend"
    assert [_flat(c.get_text()) for c in soup.find("main").find_all("code")][1:] == [plain, plain]
    assert _flat(soup.find(class_="subtitle").get_text()) == "He said \u201cno\u201d"


def test_front_matter_shortcode_must_sit_in_a_quoted_string(tmp_path):
    # Quarto 1.7.34 refuses `title: {{< var x >}}` ("Field title has value {{< var x >}}, which
    # must instead be a string"): YAML reads the braces as a mapping. The fallback reads the
    # YAML first too, then resolves var in its strings (so a value with quotes cannot break it).
    qmd = QMD.replace('"Business case: {{< var authority.name >}}"', "{{< var authority.name >}}")
    _assert_fails(tmp_path, qmd, r"(?s)report\.qmd: front matter is not valid YAML .*quoted string")


# --------------------------------------------------------------- literal attribute values
# Quarto 1.7.34 parses `![Cap y](f.png){#fig-y fig-alt="He said \"no\" and it's fine"}`: a
# figure with id fig-y, "Figure 1: Cap y", and <img alt="He said &quot;no&quot; and it's fine">.

QUOTED_ALT = 'He said "no" and it\'s fine'


def test_escaped_quotes_in_fig_alt_keep_the_figure(tmp_path):
    from bs4 import BeautifulSoup

    figure = '![Quoted](figures/trend.png){#fig-quoted fig-alt="He said \\"no\\" and it\'s fine"}'
    qmd = make_project(
        tmp_path / "p",
        QMD.replace("## Appendix", f"{figure}\n\nSee @fig-quoted.\n\n## Appendix"),
    )
    out = render_document(qmd, tmp_path / "out", renderer="pandoc")
    soup = BeautifulSoup(out["html"].read_text(encoding="utf-8"), "html.parser")
    box = soup.find(id="fig-quoted")
    assert box is not None and box.find("img")["alt"] == QUOTED_ALT
    assert _flat(box.find("figcaption").get_text()) == "Figure 2: Quoted"
    assert {_flat(a.get_text()) for a in soup.find_all("a", href="#fig-quoted")} == {"Figure 2"}
    assert [alt for tag, alt in _pdf_structure(out["pdf"])[1] if tag == "/Figure"] == [
        FIG_ALT,
        QUOTED_ALT,
    ]


# ------------------------------------------------------------------------- accessible PDF


def _pdf_structure(path):
    """``(/Lang, [(structure type, /Alt or /T), ...])`` of a tagged PDF, in document order."""
    from pypdf import PdfReader

    catalog = PdfReader(path).trailer["/Root"]
    elements = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            elements.append((str(node["/S"]), node.get("/Alt", node.get("/T"))))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "keys") and "/S" in kid:  # a structure element (not content)
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    return str(catalog.get("/Lang")), elements


def test_pdf_is_tagged_with_alt_text_language_and_headings(rendered):
    lang, elements = _pdf_structure(rendered[0]["pdf"])
    assert lang == "en-GB"  # from lang: en-GB in _quarto.yml
    assert [alt for tag, alt in elements if tag == "/Figure"] == [FIG_ALT]
    headings = [(tag, str(title)) for tag, title in elements if re.fullmatch(r"/H\d", tag)]
    assert headings == [
        ("/H1", "Contents"),
        ("/H1", "1 Summary"),
        ("/H1", "2 Method"),
        ("/H2", "2.1 Survey design"),
        ("/H1", "Appendix"),
    ]


def test_pdf_language_without_a_region(tmp_path):
    qmd = make_project(
        tmp_path / "p",
        **{
            "_quarto.yml": "project:\n  type: default\nnumber-sections: true\norganisation: Example\nlang: en\n"
        },
    )
    out = render_document(qmd, tmp_path / "out", formats=("pdf",), renderer="pandoc")
    assert _pdf_structure(out["pdf"])[0] == "en"  # not en-GB: the language written, as in HTML


# ------------------------------------------------------------------------------ renderer choice


def test_choose_renderer_without_quarto(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no quarto on PATH
    assert choose_renderer("auto") == "pandoc"
    assert choose_renderer("pandoc") == "pandoc"
    with pytest.raises(RenderError, match="quarto.*not on PATH"):
        choose_renderer("quarto")
    with pytest.raises(RenderError, match="renderer must be one of"):
        choose_renderer("latex")


def test_choose_renderer_with_quarto_on_path(monkeypatch, tmp_path):
    # An executable named quarto on PATH is all `auto` looks for; it is never run here.
    exe = tmp_path / "quarto"
    exe.write_text("#!/bin/sh\nexit 1\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_renderer("auto") == "quarto"
    assert choose_renderer("quarto") == "quarto"
    assert choose_renderer("pandoc") == "pandoc"


def test_forced_quarto_missing_fails_before_writing(monkeypatch, tmp_path):
    qmd = make_project(tmp_path / "p")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RenderError, match="not on PATH"):
        render_document(qmd, tmp_path / "out", renderer="quarto")
    assert not (tmp_path / "out").exists()


def test_only_requested_formats_are_written(tmp_path):
    qmd = make_project(tmp_path / "p")
    out = render_document(qmd, tmp_path / "out", formats=("html",), renderer="pandoc")
    assert set(out) == {"html"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]


def test_a_lead_in_never_ends_a_pdf_page(tmp_path):
    """The fallback keeps an unnumbered heading and a paragraph ending with a colon on the
    page of the block after it (issue 12, point 9). The text before them grows a line at a
    time, so over the sweep the lead-in passes the foot of a page (without the sticky block,
    "Disbenefits:" ends page 2 at 38 lines); on no length may a page end with it."""
    import pypdf

    starts_a_page = 0
    for n in range(32, 45):
        body = "\n\n".join(f"Line {i}." for i in range(n))
        qmd = (
            '---\ntitle: "Lead-ins"\n---\n\n' + body + "\n\n**Disbenefits:**\n\n"
            "- Transition effort\n- Risk of over-reliance\n\n## Sources {.unnumbered}\n\n"
            "1. HM Treasury (2022). The Green Book.\n2. HM Treasury (2003). Optimism bias.\n"
        )
        out = render_document(
            make_project(tmp_path / f"p{n}", qmd), tmp_path / f"o{n}", formats=("pdf",),
            renderer="pandoc",
        )  # fmt: skip
        for page in pypdf.PdfReader(str(out["pdf"])).pages:
            lines = [
                ln.strip()
                for ln in (page.extract_text() or "").splitlines()
                if ln.strip() and not re.fullmatch(r"\d+|.*Page \d+ of \d+", ln.strip())
            ]  # the page's text without its number and running footer
            if lines and lines[-1] != "Optimism bias.":  # not the document's last page
                assert lines[-1] not in ("Disbenefits:", "Sources"), (n, lines[-1])
            starts_a_page += bool(lines) and lines[0] == "Disbenefits:"
    assert starts_a_page  # the sweep carried the lead-in over a page break


def test_a_short_table_is_never_split_across_pages(tmp_path):
    """A table of at most six rows moves whole to the next page rather than leave a row or
    two under its caption (issue 12, point 9). The text before it grows a line at a time, so
    over the sweep the table passes the foot of a page; on every length the caption and all
    five rows share a page."""
    import pypdf

    rows = "\n".join(f"| R{i} row label | {i * 10} |" for i in range(1, 6))
    moved = 0
    for n in range(30, 44):
        body = "\n\n".join(f"Line {i}." for i in range(n))
        qmd = (
            '---\ntitle: "Short tables"\n---\n\n' + body + "\n\n| Item | Value |\n|---|--:|\n"
            + rows + "\n\n: Five rows {#tbl-five}\n\nAfter the table.\n"
        )  # fmt: skip
        out = render_document(
            make_project(tmp_path / f"p{n}", qmd), tmp_path / f"o{n}", formats=("pdf",),
            renderer="pandoc",
        )  # fmt: skip
        pages = [
            (p.extract_text() or "").replace("\xa0", " ")
            for p in pypdf.PdfReader(str(out["pdf"])).pages
        ]
        page = next(p for p in pages if "Table 1: Five rows" in p)
        assert all(f"R{i} row label" in page for i in range(1, 6)), n
        moved += page.lstrip().startswith("Table 1: Five rows") or "Line" not in page
    assert moved  # the sweep carried the table over a page break


def test_the_same_sources_give_the_same_pdf_bytes(rendered, tmp_path):
    """typst derives the PDF's document ids from the time it compiles unless given one
    (typst-py's ``timestamp``): two clean runs of the pipeline never gave the same PDF. The
    render passes the document's date (midnight UTC), so a second render of the same sources,
    seconds later, is byte-identical."""
    import time

    from analysis.render.source import document_timestamp

    first = rendered[0]["pdf"]
    time.sleep(1.1)  # typst's clock has whole seconds
    again = render_document(first.parent.parent / "report" / "report.qmd", tmp_path,
                            formats=("pdf",), renderer="pandoc")["pdf"]  # fmt: skip
    assert again.read_bytes() == first.read_bytes()
    assert document_timestamp("2 December 2026").isoformat() == "2026-12-02T00:00:00+00:00"
    assert document_timestamp("2026-12-02") == document_timestamp("2 December 2026")
    assert document_timestamp("Winter 2026") is None
