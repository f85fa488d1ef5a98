"""Render the Quarto report sources to one self-contained HTML file and one PDF per document.

``report/`` is a genuine Quarto project. Where ``quarto`` is on PATH it renders the sources
(``quarto render``). Where it is not (our machines: ``quarto-cli`` on PyPI downloads its binary
from GitHub at build time), this module renders the *same* sources itself with the two engines
Quarto drives anyway, both installed from PyPI as wheels:

* pandoc (``pypandoc-binary``) parses the markdown to pandoc's JSON AST and writes HTML
  (``--standalone --embed-resources``: one file, images as ``data:`` URIs, no external request);
* pandoc writes typst markup from the same AST and the ``typst`` package compiles it to PDF.

Between parsing and writing, Python resolves the small subset of Quarto syntax the reports use,
documented with examples in ``docs/quarto-subset.md``: ``{{< var >}}``, ``{{< meta >}}``,
``{{< include >}}`` and ``{{< pagebreak >}}`` shortcodes (substituted before parsing, escaped for
their context), callouts, numbered figures and tables, ``@fig-``/``@tbl-``/``@sec-``
cross-references, ``number-sections``, ``toc`` and ``{.unnumbered}`` headings. Anything the
fallback cannot resolve is an error naming the file (and line where there is one); nothing is
silently left in the output.

Why our own transformation instead of a library: no maintained pip-installable package
implements Quarto's cross-reference and callout semantics outside Quarto itself (Quarto's Lua
filters need Quarto's runtime), and the subset is small. We work on pandoc's AST (JSON), never
on the markdown text, except for includes (which Quarto also expands as text) and shortcodes,
which we substitute as text escaped for their context so that pandoc parses what Quarto's
AST-level resolution gives (``analysis.render.shortcodes``).

Semantics follow the Quarto documentation: https://quarto.org/docs/authoring/variables.html
(var, meta), https://quarto.org/docs/authoring/includes.html, https://quarto.org/docs/authoring/
callouts.html, https://quarto.org/docs/authoring/cross-references.html. Pandoc's AST: the
pandoc-types 1.23 definitions (https://hackage.haskell.org/package/pandoc-types).

Modules: ``document`` (choose the renderer, render a document or the project), ``quarto`` (the
genuine Quarto path, whole project per format), ``check`` (the one check of rendered output), ``source`` (front matter, variables, shortcodes, includes), ``pandoc_ast`` (pandoc calls
and AST helpers), ``transform`` (callouts, numbering, cross-references), ``html`` and ``pdf``
(the two writers), ``common`` (constants and :class:`RenderError`).
"""

from analysis.render.check import check_rendered, html_problems, pdf_problems
from analysis.render.common import FORMATS, RENDERERS, RenderError
from analysis.render.document import choose_renderer, render_document, render_project
from analysis.render.quarto import quarto_version, render_project_with_quarto
from analysis.render.source import find_project_dir, read_source

__all__ = [
    "FORMATS",
    "RENDERERS",
    "RenderError",
    "check_rendered",
    "choose_renderer",
    "find_project_dir",
    "html_problems",
    "pdf_problems",
    "quarto_version",
    "read_source",
    "render_document",
    "render_project",
    "render_project_with_quarto",
]
