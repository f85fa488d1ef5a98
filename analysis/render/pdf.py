"""Writing the PDF: pandoc to typst markup, compiled with the ``typst`` package."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import warnings
from pathlib import Path

from analysis.render.common import ASSETS_DIR, WIDE_TABLE_COLUMNS, RenderError
from analysis.render.pandoc_ast import (
    classes,
    iter_nodes,
    pandoc,
    replace_in_lists,
    stringify,
)
from analysis.render.source import Source, document_timestamp
from analysis.render.transform import Doc, clean_private, plain, shift_headings

# --------------------------------------------------------------------------------------------
# PDF via typst


def _typst_string(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def write_pdf(doc: Doc, source: Source, target: Path, log) -> Path:
    import typst

    ast = copy.deepcopy(doc.ast)
    shift_headings(ast, doc.base_level, 1)
    paths = [el["_path"] for el in iter_nodes(ast["blocks"]) if "_path" in el]
    root = Path(
        os.path.commonpath([str(source.project_dir), *(str(Path(p).parent) for p in paths)])
    )
    # pandoc's typst writer drops alt text: each image gets a placeholder path that is replaced
    # by the real one plus ``alt:`` in the markup, so the tagged PDF's /Figure carries /Alt.
    images = {}
    for el in iter_nodes(ast["blocks"]):
        if el["t"] == "Image" and "_path" in el:
            placeholder = f"fallback-image-{len(images)}.png"
            real = "/" + Path(el["_path"]).relative_to(root).as_posix()
            images[placeholder] = (
                f"{_typst_string(real)}, alt: {_typst_string(stringify(el['c'][1]))}"
            )
            el["c"][2][0] = placeholder

    def callout(div):
        kind = classes(div)[1][len("callout-") :]
        title_div, *body = div["c"][1]
        title = title_div["c"][1][0]["c"]
        opening = plain(
            [_raw_inline(f"#callout(kind: {_typst_string(kind)}, title: ["), *title]
            + [_raw_inline("])[")]
        )
        return [opening, *body, _raw_block("]")]

    def table(tbl):
        out = [tbl]
        if len(tbl["c"][2]) >= WIDE_TABLE_COLUMNS:
            out = [_raw_block("#[\n#show table: set text(size: 7.5pt)"), *out, _raw_block("]")]
        if sum(len(body[3]) for body in tbl["c"][4]) <= SHORT_TABLE_ROWS:
            out = [_raw_block("#block(breakable: false)["), *out, _raw_block("]")]
        return out

    _replace_callouts(ast["blocks"], callout)
    replace_in_lists(ast["blocks"], "Table", table)
    _keep_lead_ins(ast["blocks"])
    clean_private(ast)
    lang = str(source.option("typst", "lang", "en-GB"))
    language, _, region = lang.partition("-")
    args = [
        "-f", "json", "-t", "typst", "--standalone", "--wrap=none",
        f"--template={ASSETS_DIR / 'template.typ'}",
        "-V", f"lang={language}",
    ]  # fmt: skip
    if region:  # the PDF's /Lang is lang-REGION, as <html lang> is
        args += ["-V", f"region={region}"]
    if source.option("typst", "toc", False):
        args += [
            "-V", "toc=true",
            "-V", f"toc-depth={int(source.option('typst', 'toc-depth', 3))}",
            "-V", f"toc-title={source.option('typst', 'toc-title', 'Contents')}",
        ]  # fmt: skip
    markup = pandoc(args, json.dumps(ast), log)
    for placeholder, arguments in images.items():
        if markup.count(f'image("{placeholder}"') != 1:
            raise RenderError(f"{source.path}: could not give an image its alt text in the PDF")
        markup = markup.replace(f'image("{placeholder}"', f"image({arguments}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pdf = typst.compile(
                markup.encode("utf-8"),
                root=str(root),
                font_paths=font_paths(),
                ignore_system_fonts=True,
                timestamp=document_timestamp(source.meta.get("date")),
            )
        except typst.TypstError as exc:
            raise RenderError(
                f"{source.path}: typst could not compile the PDF: {exc.message}\n{exc.diagnostic}"
            ) from None
    for w in caught:
        log(f"typst: {w.message}")
    target.write_bytes(pdf)
    return target


#: A table of at most this many body rows is never split across pages: it moves whole to the
#: next page rather than leave a row or two under its caption (``report/quarto-a11y.lua`` does
#: the same for Quarto).
SHORT_TABLE_ROWS = 6


def _introduces(block) -> bool:
    """An unnumbered heading, or a paragraph that ends with a colon ("Disbenefits:"): text
    that introduces the block after it."""
    if block.get("t") == "Header":
        return "unnumbered" in block["c"][1][1]
    if block.get("t") in ("Para", "Plain"):
        return stringify(block["c"]).rstrip().endswith(":")
    return False


def _keep_lead_ins(node) -> None:
    """Put every lead-in (:func:`_introduces`) that has a block after it in a sticky typst
    block, so a page never ends with it; the Quarto path does the same in
    ``report/quarto-a11y.lua``."""
    if isinstance(node, dict):
        for value in node.values():
            _keep_lead_ins(value)
        return
    if not isinstance(node, list):
        return
    for item in node:
        _keep_lead_ins(item)
    i = 0
    while i < len(node) - 1:
        if isinstance(node[i], dict) and _introduces(node[i]):
            node[i : i + 1] = [_raw_block("#block(sticky: true)["), node[i], _raw_block("]")]
            i += 3
        else:
            i += 1


def _raw_inline(text):
    return {"t": "RawInline", "c": ["typst", text]}


def _raw_block(text):
    return {"t": "RawBlock", "c": ["typst", text]}


def _replace_callouts(node, fn) -> None:
    """Replace Div.callout blocks (innermost first, so nested callouts work)."""
    if isinstance(node, dict):
        for value in node.values():
            _replace_callouts(value, fn)
    elif isinstance(node, list):
        i = 0
        while i < len(node):
            item = node[i]
            _replace_callouts(item, fn)
            if isinstance(item, dict) and item.get("t") == "Div" and "callout" in classes(item):
                new = fn(item)
                node[i : i + 1] = new
                i += len(new)
            else:
                i += 1


def font_paths() -> list[str]:
    """DejaVu Sans as shipped with matplotlib: the same font on every machine, offline.

    System fonts are ignored so that the PDF does not change with the machine it is built on.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.submodule_search_locations:
        folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
        if folder.is_dir():
            return [str(folder)]
    return []
