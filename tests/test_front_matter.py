"""Config text on the reports' title pages (issue 14.6): a programme title with a double
quote, or a lead organisation starting with '@', broke the render after everything else was
published. The front matter is now resolved at build time and written by a YAML library,
and the config's free text reaches the variables as literal Markdown.

Rendered for real: the fallback (pandoc and typst) always, Quarto when it is on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from analysis.render import render_project
from analysis.report.project import md_literal, resolve_front_matter

TITLE = 'The "data" journey: #1 review of @council\'s services\n— Région *not bold* _x_ [y](z) <b> & 50%'
LEAD = '@Partners: "Four" councils # one'
COUNCIL = 'St. Hélène\'s "City": Council #2 @here'
SERVICE = 'Fly-tipping: "street" #scene @night'


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_md_literal_escapes_every_ascii_punctuation_character():
    assert md_literal('a "b": #c @d\n e') == 'a \\"b\\"\\: \\#c \\@d e'
    assert md_literal("é – ü") == "é – ü"  # non-ASCII text is left alone


def test_front_matter_is_written_by_a_yaml_library():
    variables = {"prog": {"title": md_literal(TITLE), "lead_organisation": md_literal(LEAD)}}
    text = (REPO / "report" / "index.qmd").read_text(encoding="utf-8")
    out = resolve_front_matter(text, variables)
    front = out.split("---\n")[1]
    meta = yaml.safe_load(front)
    assert meta["title"] == md_literal(TITLE) and meta["author"] == md_literal(LEAD)
    assert "{{<" not in front
    assert out.split("---\n", 2)[2] == text.split("---\n", 2)[2]  # the body is untouched


def _project(root: Path) -> Path:
    """The report project's own settings and front matter, with hostile config text."""
    root.mkdir(parents=True)
    for name in ("_quarto.yml", "quarto-a11y.lua", "pdf-style.typ"):
        shutil.copy(REPO / "report" / name, root / name)
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    config["project"]["render"] = ["index.qmd", "case-study-x.qmd"]
    (root / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    variables = {
        "prog": {"title": md_literal(TITLE), "lead_organisation": md_literal(LEAD)},
        "a": {"x": {"name": md_literal(COUNCIL), "service_area": md_literal(SERVICE)}},
    }
    (root / "_variables.yml").write_text(
        yaml.safe_dump(variables, allow_unicode=True), encoding="utf-8"
    )
    body = (
        "\n## Summary {#sec-summary}\n\nBy {{< var prog.lead_organisation >}} for "
        "{{< var a.x.name >}}: {{< var prog.title >}}.\n"
    )
    for doc, source in (("index", "index.qmd"), ("case-study-x", "_case-study.qmd")):
        text = (REPO / "report" / source).read_text(encoding="utf-8")
        front = text.split("---\n")[1].replace("@@ID@@", "x").replace("@@DATE@@", "2026-12-02")
        qmd = resolve_front_matter(f"---\n{front}---\n{body}", variables)
        (root / f"{doc}.qmd").write_text(qmd, encoding="utf-8")
    return root


def _check_html(path: Path) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    title, lead = _flat(TITLE), _flat(LEAD)
    if path.stem == "index":
        assert _flat(soup.title.get_text()) == title
        assert _flat(soup.find("h1").get_text()) == title
    else:
        assert _flat(soup.find("h1").get_text()) == f"Case study: {_flat(COUNCIL)}"
        assert _flat(SERVICE) in _flat(soup.get_text(" "))
    assert lead in _flat(soup.get_text(" "))
    body = _flat(" ".join(p.get_text() for p in soup.find_all("p")))
    assert f"By {lead} for {_flat(COUNCIL)}: {title}." in body
    assert not soup.select(".citation") and not soup.find("strong") and not soup.find("em")


def _check_pdf(path: Path) -> None:
    from pypdf import PdfReader

    text = _flat(" ".join(p.extract_text() for p in PdfReader(path).pages))
    for part in re.split(r"[*_\[\]<>&\"]", _flat(COUNCIL if "case" in path.stem else TITLE)):
        assert part.strip() in text


@pytest.mark.parametrize("renderer", ["pandoc", "quarto"])
def test_hostile_config_text_renders_exactly(tmp_path, renderer):
    if renderer == "quarto" and shutil.which("quarto") is None:
        if os.environ.get("REQUIRE_QUARTO"):
            pytest.fail("REQUIRE_QUARTO is set but quarto is not on PATH")
        pytest.skip("quarto is not on PATH")
    project = _project(tmp_path / "build")
    done = render_project(project, tmp_path / "out", ["index", "case-study-x"], renderer=renderer)
    for (_doc, fmt), path in done.items():
        (_check_html if fmt == "html" else _check_pdf)(path)


def test_config_text_written_raw_into_generated_markdown_is_escaped():
    """Issue 14.6, the same kind in the body: a sentence, caption or alt text that names a
    council writes its name raw, so '@here' became a citation and failed the PDF render
    (found with the hostile name of test_workflow_hostile). One pass escapes every verbatim
    occurrence; a table cell already escaped is left as it is. Read back by pandoc, the text
    is the name exactly, with no citation and no heading."""
    from types import SimpleNamespace

    from analysis.render.pandoc_ast import pandoc
    from analysis.report.markdown import md_escape
    from analysis.report.project import escape_config_text

    p = SimpleNamespace(
        programme={"title": TITLE.replace("\n", " "), "lead_organisation": LEAD},
        authorities=[{"id": "x", "name": COUNCIL, "service_area": SERVICE}],
    )
    text = (
        f"{COUNCIL} expects £100k.\n\n| Council | Area |\n|---|---|\n"
        f"| {md_escape(COUNCIL)} | {md_escape(SERVICE)} |\n\n{LEAD} leads.\n"
    )
    out = escape_config_text(text, p)
    assert COUNCIL not in out and LEAD not in out and SERVICE not in out
    assert f"| {md_escape(COUNCIL)} | {md_escape(SERVICE)} |" in out  # not escaped twice
    ast = pandoc(["-f", "markdown", "-t", "json"], out)
    assert '"Cite"' not in ast and '"Header"' not in ast
    plain = _flat(pandoc(["-f", "markdown-smart", "-t", "plain", "--wrap=none"], out))
    for v in (COUNCIL, SERVICE, LEAD):
        assert _flat(v) in plain, v
    # text without a special character is left alone
    calm = SimpleNamespace(programme={}, authorities=[{"id": "y", "name": "Milton Keynes"}])
    assert escape_config_text("Milton Keynes leads.", calm) == "Milton Keynes leads."
