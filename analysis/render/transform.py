"""The format-independent transformation: callouts, section numbers, figure and table numbers, cross-references."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.render.common import CALLOUT_KINDS, NBSP, REF_KINDS, RenderError
from analysis.render.pandoc_ast import (
    attr_pop,
    classes,
    iter_nodes,
    prefix_caption,
    replace_in_lists,
    stringify,
    text_inlines,
)
from analysis.render.source import Source

# --------------------------------------------------------------------------------------------
# the format-independent transformation


@dataclass
class Doc:
    ast: dict
    base_level: int
    refs: dict  # id -> (kind word, number)
    images: list  # Image elements (their src is resolved per format)


def transform_common(ast: dict, source: Source) -> Doc:
    """Callouts, numbering of sections/figures/tables, alt text, cross-references."""
    _mark_callouts(ast, source)
    refs: dict[str, tuple[str, str]] = {}
    base = _number_sections(ast, source, refs)
    images = _check_figures_and_images(ast, source, refs)
    _number_tables(ast, source, refs)
    _resolve_refs(ast, source, refs)
    return Doc(ast, base, refs, images)


def _mark_callouts(ast: dict, source: Source) -> None:
    """``::: {.callout-KIND}`` -> Div.callout whose first block is a Div.callout-title."""
    for el in list(iter_nodes(ast["blocks"])):
        if el["t"] != "Div":
            continue
        kinds = [c[len("callout-") :] for c in classes(el) if c.startswith("callout-")]
        if not kinds:
            continue
        kind = kinds[0]
        if kind not in CALLOUT_KINDS:
            raise RenderError(
                f"{source.locate('callout-' + kind)}: unknown callout kind 'callout-{kind}' "
                f"(use one of: {', '.join('callout-' + k for k in CALLOUT_KINDS)})"
            )
        attr, blocks = el["c"]
        title = attr_pop(attr, "title")
        if title is not None:
            title_inlines = text_inlines(title)
        elif blocks and blocks[0]["t"] == "Header":
            title_inlines = blocks.pop(0)["c"][2]
        else:
            title_inlines = text_inlines(CALLOUT_KINDS[kind])
        attr[1] = ["callout", f"callout-{kind}"]
        attr[2] = [kv for kv in attr[2] if kv[0] not in ("collapse", "icon", "appearance")]
        title_block = {"t": "Div", "c": [["", ["callout-title"], []], [plain(title_inlines)]]}
        blocks.insert(0, title_block)


def plain(inlines):
    return {"t": "Plain", "c": inlines}


def _number_sections(ast: dict, source: Source, refs: dict) -> int:
    """Check heading order; number sections when ``number-sections``; return the top level."""
    headers = [el for el in iter_nodes(ast["blocks"]) if el["t"] == "Header"]
    if not headers:
        return 2
    base = min(h["c"][0] for h in headers)
    number = bool(source.meta.get("number-sections", False))
    depth = int(source.meta.get("number-depth", 6))
    counters = [0] * 7
    previous = base - 1
    for h in headers:
        level, attr, inlines = h["c"]
        ident = attr[0]
        if level > previous + 1:
            raise RenderError(
                f"{source.locate(stringify(inlines))}: heading '{stringify(inlines)}' skips "
                f"a level (level {level} after level {previous}); headings must not skip levels"
            )
        previous = level
        rel = level - base
        numbered = number and "unnumbered" not in attr[1] and rel < depth
        if numbered:
            counters[rel] += 1
            counters[rel + 1 :] = [0] * (len(counters) - rel - 1)
            label = ".".join(str(c) for c in counters[: rel + 1])
            span = {"t": "Span", "c": [["", ["header-section-number"], []], [_str(label)]]}
            inlines[:0] = [span, {"t": "Space"}]
        if ident.startswith("sec-"):
            _register(refs, ident, ("Section", label if numbered else None), source)
    return base


def _str(text):
    return {"t": "Str", "c": text}


def _register(refs, ident, value, source):
    if ident in refs:
        raise RenderError(f"{source.locate('#' + ident)}: duplicate identifier '#{ident}'")
    refs[ident] = value


def _check_figures_and_images(ast: dict, source: Source, refs: dict) -> list[dict]:
    """Number ``#fig-`` figures, set every image's alt text, check every image file exists."""
    in_figure = set()
    n = 0
    for el in iter_nodes(ast["blocks"]):
        if el["t"] != "Figure":
            continue
        attr, caption, body = el["c"]
        images = [x for x in iter_nodes(body) if x["t"] == "Image"]
        for img in images:
            in_figure.add(id(img))
            alt = attr_pop(img["c"][0], "fig-alt")
            if not alt or not alt.strip():
                src = img["c"][2][0]
                raise RenderError(
                    f"{source.locate(src)}: figure '{attr[0] or src}' has no fig-alt "
                    '(write ![Caption](file.png){#fig-id fig-alt="What the chart shows"})'
                )
            img["c"][1] = text_inlines(alt.strip())
        if attr[0].startswith("fig-"):
            n += 1
            _register(refs, attr[0], ("Figure", str(n)), source)
            prefix_caption(caption, f"Figure{NBSP}{n}")
    images = [el for el in iter_nodes(ast["blocks"]) if el["t"] == "Image"]
    for img in images:
        src = img["c"][2][0]
        if id(img) not in in_figure:
            alt = attr_pop(img["c"][0], "fig-alt")
            if alt and alt.strip():
                img["c"][1] = text_inlines(alt.strip())
            elif not stringify(img["c"][1]).strip():
                raise RenderError(f"{source.locate(src)}: image '{src}' has no alt text")
        if re.match(r"^(?:[a-z]+:)?//", src, re.IGNORECASE):
            raise RenderError(
                f"{source.locate(src)}: image '{src}' is remote; reports embed local files only"
            )
        if src.startswith("data:"):
            continue
        path = (source.path.parent / src).resolve()
        if not path.is_file():
            raise RenderError(f"{source.locate(src)}: image file '{src}' not found ({path})")
        img["_path"] = str(path)
    return images


def _number_tables(ast: dict, source: Source, refs: dict) -> None:
    n = 0
    for el in iter_nodes(ast["blocks"]):
        if el["t"] != "Table":
            continue
        attr, caption, _colspecs, head = el["c"][:4]
        for row in head[1]:
            for cell in row[1]:
                cell[0][2] = [kv for kv in cell[0][2] if kv[0] != "scope"] + [["scope", "col"]]
        if attr[0].startswith("tbl-"):
            n += 1
            _register(refs, attr[0], ("Table", str(n)), source)
            prefix_caption(caption, f"Table{NBSP}{n}")


def _resolve_refs(ast: dict, source: Source, refs: dict) -> None:
    """``@fig-x`` -> link "Figure 1"; ``[-@fig-x]`` -> "1"; anything unresolved is an error."""

    def replace(cite):
        citations = cite["c"][0]
        out = []
        for i, c in enumerate(citations):
            ident = c["citationId"]
            where = source.locate("@" + ident)
            if ident.split("-", 1)[0] not in REF_KINDS or "-" not in ident:
                raise RenderError(
                    f"{where}: '@{ident}' is not a cross-reference (only @fig-, @tbl- and @sec- "
                    "are supported; write \\@ for a literal @)"
                )
            if ident not in refs:
                raise RenderError(f"{where}: unresolved cross-reference '@{ident}'")
            word, number = refs[ident]
            if number is None:
                raise RenderError(
                    f"{where}: '@{ident}' refers to an unnumbered section (set number-sections: "
                    "true and do not mark the heading .unnumbered)"
                )
            text = number if c["citationMode"]["t"] == "SuppressAuthor" else f"{word}{NBSP}{number}"
            if i:
                out += [_str(","), {"t": "Space"}]
            if c["citationPrefix"]:
                out += [*c["citationPrefix"], {"t": "Space"}]
            out.append(
                {"t": "Link", "c": [["", ["quarto-xref"], []], [_str(text)], ["#" + ident, ""]]}
            )
            out += c["citationSuffix"]
        return out

    replace_in_lists(ast["blocks"], "Cite", replace)
    replace_in_lists(ast["meta"], "Cite", replace)  # a title may hold one (from a var, too)


def shift_headings(ast: dict, base: int, top: int) -> None:
    for el in iter_nodes(ast["blocks"]):
        if el["t"] == "Header":
            el["c"][0] = el["c"][0] - base + top


def clean_private(node) -> None:
    for el in iter_nodes(node):
        el.pop("_path", None)
