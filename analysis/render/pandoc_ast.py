"""Calling pandoc and working with its JSON AST (pandoc-types 1.23: ``{"t": tag, "c": contents}``)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

from analysis.render.common import RenderError
from analysis.render.source import Source, format_date

# --------------------------------------------------------------------------------------------
# pandoc


def pandoc(args: list[str], text: str, log=None) -> str:
    import pypandoc

    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), *args],
        input=text,
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if proc.returncode != 0:
        raise RenderError(f"pandoc failed ({' '.join(args[:4])} ...):\n{proc.stderr.strip()}")
    for line in proc.stderr.splitlines():
        if "Could not fetch" in line:
            raise RenderError(f"pandoc: {line.strip()}")
        if log and line.strip():
            log(f"pandoc: {line.strip()}")
    return proc.stdout


def parse(source: Source) -> dict:
    """Markdown -> pandoc JSON AST, with the title block metadata in front."""
    import yaml

    where = str(source.path)
    head = {
        key: source.meta[key]
        for key in ("title", "subtitle", "author", "abstract")
        if source.meta.get(key) is not None
    }
    date = format_date(source.meta.get("date"), where)
    if date:
        head["date"] = date
    if "title" not in head:
        raise RenderError(f"{where}: no title in the front matter or _quarto.yml")
    front = "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=True) + "---\n\n"
    return json.loads(pandoc(["-f", "markdown", "-t", "json"], front + source.body))


# --------------------------------------------------------------------------------------------
# AST helpers (pandoc-types 1.23 JSON: {"t": tag, "c": contents})


def iter_nodes(node) -> Iterator[dict]:
    """Every AST element below ``node``, depth first, in document order.

    With a stack, not recursive generators: each ``yield from`` level re-yields every element
    below it, which made this a fifth of a case study's render time (issue 15). An element's
    children are read when the walk resumes after yielding it, so a caller may change them."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if "t" in cur:
                yield cur
            stack.extend(reversed(list(cur.values())))
        elif isinstance(cur, list):
            stack.extend(reversed(cur))


def replace_in_lists(node, tag: str, fn) -> None:
    """Replace each element ``tag`` found in any list below ``node`` by the list ``fn(el)``."""
    if isinstance(node, dict):
        for value in node.values():
            replace_in_lists(value, tag, fn)
    elif isinstance(node, list):
        i = 0
        while i < len(node):
            item = node[i]
            if isinstance(item, dict) and item.get("t") == tag:
                new = fn(item)
                node[i : i + 1] = new
                i += len(new)
            else:
                replace_in_lists(item, tag, fn)
                i += 1


def text_inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def stringify(node) -> str:
    parts = []
    for el in iter_nodes(node):
        if el["t"] == "Str":
            parts.append(el["c"])
        elif el["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)


def classes(el: dict) -> list[str]:
    return el["c"][0][1]


def attr_pop(attr: list, key: str):
    for i, (k, v) in enumerate(attr[2]):
        if k == key:
            del attr[2][i]
            return v
    return None


def prefix_caption(caption: list, label: str) -> None:
    """Put ``Figure 1: `` (etc.) in front of a Figure or Table caption."""
    blocks = caption[1]
    lead = text_inlines(label)
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        blocks[0]["c"][:0] = [*lead[:-1], {"t": "Str", "c": lead[-1]["c"] + ":"}, {"t": "Space"}]
    else:
        blocks.insert(0, {"t": "Plain", "c": lead})
