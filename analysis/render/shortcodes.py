"""Resolving shortcodes and includes in the fallback renderer, with Quarto 1.7's semantics."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from analysis.render.common import RenderError


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


# --------------------------------------------------------------------------------------------
# reading the sources: front matter, _quarto.yml, _variables.yml, shortcodes, includes
#
# Quarto 1.7 works in two steps, and so do we:
#
# 1. Includes, as text, before anything else (``standaloneInclude`` in quarto.js). Only a line
#    holding nothing but ``{{< include PATH >}}`` is expanded; the whole line is replaced by the
#    file's text followed by a blank line. PATH is relative to the document being rendered,
#    also inside an included file (Quarto's ``resolvePath`` uses the rendered document's folder);
#    a leading ``/`` means the project folder.
# 2. Every other shortcode. Quarto marks them before pandoc parses the markdown and resolves
#    them on the AST: a ``var``/``meta`` value is parsed as markdown inlines on its own, so it
#    can never split a table cell, start a list or break a line; in code (spans, blocks, raw
#    blocks) the value's plain text is used. Inside an attribute block (``{#fig-x fig-alt="..."}``)
#    the marking breaks pandoc's attribute syntax and the figure silently falls apart, so a
#    shortcode there is an error. We substitute text, escaped for the context it lands in, so
#    that pandoc parses the same thing.

_SHORTCODE = re.compile(r"\{\{(\{)?<\s*(.*?)\s*>\}\}(\})?")
#: Quarto's test for an include it expands (``isBlockShortcode``): the shortcode alone on its
#: line, written ``{{< `` + name (``{{<include x>}}`` or ``{{<  include x >}}`` are not expanded).
_INCLUDE_LINE = re.compile(r"^\s*\{\{< (?!/\*)(\S.*?)(?<!\*/) >\}\}\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
#: What may stand before a value that still starts a block: indentation, list and quote markers.
_LINE_START = re.compile(r"^[ \t]*(?:(?:[-+*]|\d+[.)])[ \t]+|>[ \t]*)*$")
#: Markdown that starts a block when it begins a line: the value gets a backslash there, as
#: Quarto reads it as inlines only (``- item``, ``# x``, ``1. x`` stay text).
_BLOCK_MARKER = re.compile(
    r"(?P<punct>[#>|]|[-+*:~](?=\s|$)|`{3}|~{3}|\[(?=[^\]]*\]:)"
    r"|\((?=(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|@[\w-]*)\)(?:\s|$)))"
    r"|(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)(?P<delim>[.)])(?=\s|$)"
)
#: The inside of a pandoc attribute block: ``#id``, ``.class``, ``key=value``, ``=format``, ``-``.
_ATTRIBUTES = re.compile(
    r"""\s*(?:(?:[#.][^\s{}"'=]+|=[^\s{}"']+|-"""
    r"""|[^\s{}"'=]+=(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s{}"']*))\s*)+"""
)


@dataclass(frozen=True)
class Line:
    """One line of the document with includes expanded, and where it comes from."""

    text: str
    path: Path
    number: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


@dataclass
class Resolver:
    variables: dict
    meta: dict
    project_dir: Path
    document_dir: Path
    files: list
    variables_path: Path
    _plain: dict = field(default_factory=dict)

    # ---------------------------------------------------------------------- step 1: includes

    def include(self, text: str, path: Path, first_line: int, *, stack) -> list[Line]:
        """The lines of ``text`` with every include expanded (Quarto's ``standaloneInclude``)."""
        out: list[Line] = []
        for number, line in enumerate(text.split("\n"), start=first_line):
            arg = self._include_argument(Line(line, path, number))
            if arg is None:
                out.append(Line(line, path, number))
                continue
            where = f"{path}:{number}"
            target = (
                self.project_dir / arg.lstrip("/")
                if arg.startswith("/")
                else self.document_dir / arg
            ).resolve()
            if not target.is_file():
                raise RenderError(
                    f"{where}: included file '{arg}' not found (looked for {target}; an include "
                    "path is relative to the document being rendered, /path to the project folder)"
                )
            if target in stack:
                raise RenderError(f"{where}: include of '{arg}' is circular")
            included = read_text(target)
            self.files.append((target, included))
            if included.endswith("\n"):
                included = included[:-1]
            out += self.include(included, target, 1, stack=(*stack, target))
            out.append(Line("", path, number))  # Quarto ends every include with a blank line
        return out

    def _include_argument(self, line: Line) -> str | None:
        """The path of an include standing alone on ``line``; an error for any other include."""
        alone = _INCLUDE_LINE.match(line.text)
        if alone:
            parts = _split_arguments(alone.group(1), line.where)
            if parts and parts[0] == "include":
                if len(parts) != 2:
                    raise RenderError(f"{line.where}: write an include as {{{{< include PATH >}}}}")
                return parts[1]
        for m in _SHORTCODE.finditer(line.text):
            if m.group(1) and m.group(3):
                continue  # {{{< include x >}}} is the literal text {{< include x >}}
            parts = _split_arguments(m.group(2), line.where)
            if parts and parts[0] == "include":
                if line.text.strip() == m.group(0):
                    raise RenderError(
                        f"{line.where}: write the include as '{{{{< include PATH >}}}}' (one space "
                        f"after '{{{{<'); Quarto does not expand '{m.group(0)}'"
                    )
                raise RenderError(
                    f"{line.where}: include '{m.group(0)}' does not stand alone on its line; "
                    "Quarto expands an include only when it stands alone on its line (nothing "
                    "before or after it), and leaves any other as literal text"
                )
        return None

    # ------------------------------------------------------------- step 2: other shortcodes

    def expand_lines(self, lines: list[Line]) -> list[str]:
        """Resolve ``var``/``meta``/``pagebreak`` on every line, each value escaped for its place."""
        out = []
        fence = None  # the opening fence of the code block we are in
        table = _pipe_table_lines(lines)
        for i, line in enumerate(lines):
            m = _FENCE.match(line.text)
            if fence is None:
                out.append(self.expand_line(line, table=i in table))
                if m and not (m.group(1)[0] == "`" and "`" in line.text[m.end() :]):
                    fence = m.group(1)
                continue
            out.append(self.expand_line(line, code=True))
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not line.text[m.end() :].strip()
            ):
                fence = None
        return out

    def expand_line(self, line: Line, *, allowed=None, code=False, table=False) -> str:
        text = line.text
        matches = list(_SHORTCODE.finditer(text))
        covered = [(m.start(), m.end()) for m in matches]
        for stray in re.finditer(r"\{\{<", text):
            if not any(a <= stray.start() < b for a, b in covered):
                raise RenderError(
                    f"{line.where}: malformed shortcode (a shortcode is written on one line as "
                    "{{< name argument >}})"
                )
        if not matches:
            return text
        cores = {}  # each shortcode without a lone brace beside it ({{< x >}}} = {{< x >}} + })
        for m in matches:
            a = m.start() + (1 if m.group(1) and not m.group(3) else 0)
            b = m.end() - (1 if m.group(3) and not m.group(1) else 0)
            cores[m.start()] = (a, b)
        masked = list(text)  # shortcodes blanked out
        for a, b in cores.values():
            masked[a:b] = "x" * (b - a)
        masked = "".join(masked)
        spans = [] if code else _code_spans(masked)
        out, pos = [], 0
        for m in matches:
            out.append(text[pos : m.start()])
            pos = m.end()
            if m.group(1) and m.group(3):  # Quarto's escape: {{{< x >}}} -> literal {{< x >}}
                out.append("{{< " + m.group(2) + " >}}")
                continue
            in_code = code or any(a <= m.start() < b for a, b in spans)
            if not in_code and allowed is None and _in_attribute_block(masked, *cores[m.start()]):
                raise RenderError(
                    f"{line.where}: shortcode '{m.group(0)}' inside an attribute block; Quarto "
                    "1.7 expands shortcodes before pandoc parses attributes, so this silently "
                    "breaks the element in real Quarto. Write the attribute value literally "
                    '(escape \\ and " inside a double-quoted value)'
                )
            value, block = self._one(m.group(2), line.where, allowed)
            if block:  # pagebreak: raw blocks of its own
                out.append(value)
                continue
            if in_code:
                value = self._plain_text(value)
            else:
                at_start = _LINE_START.match(text[: m.start()]) is not None and not m.group(1)
                value = _markdown_value(value, line_start=at_start, table_row=table)
            out.append(("{" if m.group(1) else "") + value + ("}" if m.group(3) else ""))
        out.append(text[pos:])
        return "".join(out)

    def expand_strings(self, node, line: Line):
        """``var`` resolved in every string of the parsed front matter (line by line)."""
        if isinstance(node, dict):
            return {k: self.expand_strings(v, line) for k, v in node.items()}
        if isinstance(node, list):
            return [self.expand_strings(v, line) for v in node]
        if isinstance(node, str) and "{{" in node:
            return "\n".join(
                self.expand_line(Line(t, line.path, line.number), allowed=("var",))
                for t in node.split("\n")
            )
        return node

    def _one(self, inner, where, allowed):
        parts = _split_arguments(inner, where)
        if not parts:
            raise RenderError(f"{where}: empty shortcode")
        name, args = parts[0], parts[1:]
        if allowed is not None and name not in allowed:
            raise RenderError(f"{where}: shortcode '{name}' is not supported in front matter")
        if name == "pagebreak" and not args:
            return (
                '\n\n```{=html}\n<div class="page-break"></div>\n```\n\n'
                "```{=typst}\n#pagebreak()\n```\n\n"
            ), True
        if name not in ("var", "meta") or len(args) != 1:
            raise RenderError(
                f"{where}: unsupported shortcode '{inner}' (the fallback renderer supports "
                "var KEY, meta KEY, include PATH and pagebreak; see docs/quarto-subset.md)"
            )
        arg = args[0]
        if name == "var":
            value = _lookup(self.variables, arg)
            if value is _MISSING:
                raise RenderError(
                    f"{where}: unknown variable '{arg}' (not in {self.variables_path})"
                )
            return _scalar_text(value, f"{where}: variable '{arg}'"), False
        value = _lookup(self.meta, arg)
        if value is _MISSING:
            raise RenderError(
                f"{where}: unknown metadata key '{arg}' (not in the front matter or _quarto.yml)"
            )
        return _scalar_text(value, f"{where}: metadata key '{arg}'"), False

    def _plain_text(self, value: str) -> str:
        """A value in code, as Quarto puts it there: the plain text of its markdown."""
        value = _markdown_value(value, line_start=True, table_row=False)
        if value not in self._plain:
            import json

            from analysis.render.pandoc_ast import pandoc

            ast = json.loads(pandoc(["-f", "markdown", "-t", "json"], value))
            self._plain[value] = _plain(ast["blocks"])
        return self._plain[value]


def _split_arguments(inner: str, where: str) -> list[str]:
    try:
        return shlex.split(inner)
    except ValueError:
        raise RenderError(f"{where}: cannot parse shortcode arguments") from None


def _markdown_value(text: str, *, line_start: bool, table_row: bool) -> str:
    """A value as markdown that pandoc reads as the inlines Quarto makes of it on their own.

    On one line (line breaks become spaces), without surrounding space; ``|`` escaped in a pipe
    table row (outside code spans) so it cannot split the cell; a trailing backslash doubled so
    it cannot escape what follows; a block marker at the start of a line escaped.
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
    if table_row:
        text = _escape_pipes(text)
    if (len(text) - len(text.rstrip("\\"))) % 2:
        text += "\\"
    if line_start:
        m = _BLOCK_MARKER.match(text)
        if m and m.group("punct"):
            text = "\\" + text
        elif m:
            text = text[: m.start("delim")] + "\\" + text[m.start("delim") :]
    return text


def _escape_pipes(text: str) -> str:
    out, spans = [], _code_spans(text)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == "|" and not any(a <= i < b for a, b in spans):
            out.append("\\")
        out.append(ch)
        i += 1
    return "".join(out)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the inline code spans of one line (backtick runs of equal length)."""
    runs = [m for m in re.finditer(r"`+", text) if not (m.start() and text[m.start() - 1] == "\\")]
    spans, i = [], 0
    while i < len(runs):
        opening = runs[i]
        closing = next(
            (j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(opening.group())),
            None,
        )
        if closing is None:
            i += 1
            continue
        spans.append((opening.start(), runs[closing].end()))
        i = closing + 1
    return spans


def _pipe_table_lines(lines: list[Line]) -> set[int]:
    """Indexes of the lines of pipe tables: runs of non-blank lines holding a separator line."""
    rows: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, Line("", Path(), 0)]):
        if line.text.strip():
            run.append(i)
            continue
        if any(
            "|" in lines[j].text and "-" in lines[j].text and _TABLE_SEPARATOR.match(lines[j].text)
            for j in run
        ):
            rows.update(run)
        run = []
    return rows


def _in_attribute_block(masked: str, start: int, end: int) -> bool:
    """Whether ``masked[start:end]`` (a shortcode) sits inside a ``{...}`` attribute block."""
    opened: list[int] = []
    for i, ch in enumerate(masked[:start]):
        if ch == "{" and not (i and masked[i - 1] == "\\"):
            opened.append(i)
        elif ch == "}" and opened and not (i and masked[i - 1] == "\\"):
            opened.pop()
    if not opened:
        return False
    depth, close = 0, None
    for i in range(end, len(masked)):
        if masked[i] == "{" and masked[i - 1] != "\\":
            depth += 1
        elif masked[i] == "}" and masked[i - 1] != "\\":
            if depth == 0:
                close = i
                break
            depth -= 1
    if close is None:
        return False
    brace = opened[-1]
    inside = masked[brace + 1 : close]
    after_element = brace > 0 and masked[brace - 1] in ")]`"
    return after_element or _ATTRIBUTES.fullmatch(inside) is not None


def _plain(node) -> str:
    """Plain text of pandoc JSON inlines/blocks, as ``pandoc.utils.stringify`` gives it."""
    if isinstance(node, list):
        return "".join(_plain(x) for x in node)
    if not isinstance(node, dict):
        return ""
    tag, c = node.get("t"), node.get("c")
    if tag == "Str":
        return c
    if tag in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if tag in ("Code", "Math"):
        return c[1]
    if tag in ("RawInline", "RawBlock", "Note"):
        return ""
    if tag == "Quoted":
        marks = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
        return marks[0] + _plain(c[1]) + marks[1]
    if tag == "Cite":
        return _plain(c[1])
    return _plain(c)  # containers; attributes and targets are strings, which give nothing


_MISSING = object()


def _lookup(mapping: dict, dotted: str):
    node = mapping
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _scalar_text(value, what: str) -> str:
    """Text for a YAML scalar, as Quarto prints it (booleans lower case, numbers as parsed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    kind = "empty" if value is None else type(value).__name__
    raise RenderError(f"{what} is {kind}, not a single value")
