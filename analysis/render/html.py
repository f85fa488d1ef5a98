"""Writing the self-contained HTML file (pandoc ``--embed-resources``), with a check for external requests."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from analysis.render.common import ASSETS_DIR, CALLOUT_KINDS, RenderError
from analysis.render.pandoc_ast import classes, iter_nodes, pandoc, replace_in_lists
from analysis.render.source import Source
from analysis.render.transform import Doc, clean_private, shift_headings

# --------------------------------------------------------------------------------------------
# HTML

_EXTERNAL_RESOURCE = re.compile(
    r"<(?:img|script|link|iframe|source|video|audio|embed|object|track)\b[^>]*?"
    r"\b(?:src|href|data|srcset)\s*=\s*[\"']?\s*(?:[a-z]+:)?//"
    r"|url\(\s*[\"']?\s*(?:[a-z]+:)?//|@import",
    re.IGNORECASE,
)


def write_html(doc: Doc, source: Source, target: Path, log) -> Path:
    ast = copy.deepcopy(doc.ast)
    shift_headings(ast, doc.base_level, 2)  # the title is the one h1
    for el in iter_nodes(ast["blocks"]):
        if el["t"] == "Image" and "_path" in el:
            el["c"][2][0] = el["_path"]
        if el["t"] == "Div" and "callout" in classes(el):
            kind = classes(el)[1][len("callout-") :]
            el["c"][0][2] += [["role", "note"], ["aria-label", CALLOUT_KINDS[kind]]]
    replace_in_lists(
        ast["blocks"], "Table", lambda t: [{"t": "Div", "c": [["", ["table-wrap"], []], [t]]}]
    )
    clean_private(ast)
    args = [
        "-f", "json", "-t", "html5", "--standalone", "--embed-resources", "--wrap=none",
        f"--template={ASSETS_DIR / 'template.html'}",
        f"--css={ASSETS_DIR / 'report.css'}",
        f"--resource-path={source.path.parent}",
        "-V", f"lang={source.option('html', 'lang', 'en-GB')}",
    ]  # fmt: skip
    if source.option("html", "toc", False):
        depth = source.option("html", "toc-depth", 3)
        title = source.option("html", "toc-title", "Contents")
        args += ["--toc", f"--toc-depth={depth}", "-V", f"toc-title={title}"]
    html = pandoc(args, json.dumps(ast), log)
    hit = _EXTERNAL_RESOURCE.search(html)
    if hit:
        raise RenderError(
            f"{source.path}: the HTML would load an external resource ({hit.group(0)[:60]}...); "
            "reports must be self-contained"
        )
    target.write_text(html, encoding="utf-8")
    return target
