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
    (root / "parts" / "method.md").write_text(
        "We used {{< var survey.n >}} responses.\n\n{{< include detail.md >}}\n", encoding="utf-8"
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
