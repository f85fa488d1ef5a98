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
``{{< include >}}`` and ``{{< pagebreak >}}`` shortcodes (text substitution before parsing, as
Quarto itself does), callouts, numbered figures and tables, ``@fig-``/``@tbl-``/``@sec-``
cross-references, ``number-sections``, ``toc`` and ``{.unnumbered}`` headings. Anything the
fallback cannot resolve is an error naming the file (and line where there is one); nothing is
silently left in the output.

Why our own transformation instead of a library: no maintained pip-installable package
implements Quarto's cross-reference and callout semantics outside Quarto itself (Quarto's Lua
filters need Quarto's runtime), and the subset is small. We work on pandoc's AST (JSON), never
on the markdown text, except for shortcodes, which Quarto also resolves as text.

Semantics follow the Quarto documentation: https://quarto.org/docs/authoring/variables.html
(var, meta), https://quarto.org/docs/authoring/includes.html, https://quarto.org/docs/authoring/
callouts.html, https://quarto.org/docs/authoring/cross-references.html. Pandoc's AST: the
pandoc-types 1.23 definitions (https://hackage.haskell.org/package/pandoc-types).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ASSETS_DIR = Path(__file__).with_name("assets")
FORMATS = ("html", "pdf")
RENDERERS = ("auto", "quarto", "pandoc")
#: Callout kinds Quarto defines, with the default title Quarto shows (English).
CALLOUT_KINDS = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
}
#: Cross-reference prefixes and the word Quarto puts before the number (English).
REF_KINDS = {"fig": "Figure", "tbl": "Table", "sec": "Section"}
#: Tables with at least this many columns get a smaller font in the PDF.
WIDE_TABLE_COLUMNS = 6
_NBSP = "\u00a0"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
#: Quarto's magic date values: they depend on the clock, so they would break byte-identical
#: re-runs; the fallback refuses them.
_CLOCK_DATES = {"today", "now", "last-modified"}


class RenderError(ValueError):
    """A report source cannot be rendered; the message names the file (and line)."""


# --------------------------------------------------------------------------------------------
# renderer choice


def choose_renderer(setting: str = "auto") -> str:
    """Return ``"quarto"`` or ``"pandoc"`` for a config setting ``auto``/``quarto``/``pandoc``.

    ``auto`` picks Quarto when ``quarto`` is on PATH, else the pandoc + typst fallback.
    Forcing ``quarto`` when it is not on PATH is an error (never a silent fallback).
    """
    if setting not in RENDERERS:
        raise RenderError(f"renderer must be one of {', '.join(RENDERERS)}; got {setting!r}")
    on_path = shutil.which("quarto") is not None
    if setting == "quarto" and not on_path:
        raise RenderError(
            "renderer 'quarto' was requested but quarto is not on PATH; install "
            "Quarto (pip install quarto-cli where GitHub is reachable, or from conda-forge) "
            "or set the renderer to 'auto' or 'pandoc'"
        )
    if setting == "pandoc":
        return "pandoc"
    return "quarto" if on_path else "pandoc"


def find_project_dir(qmd_path: str | Path) -> Path:
    """The nearest folder at or above the document holding ``_quarto.yml`` (else its folder)."""
    qmd_path = Path(qmd_path).resolve()
    for folder in qmd_path.parents:
        if (folder / "_quarto.yml").is_file():
            return folder
    return qmd_path.parent


def render_document(
    qmd_path: str | Path,
    out_dir: str | Path,
    *,
    formats: Iterable[str] = FORMATS,
    renderer: str = "auto",
    project_dir: str | Path | None = None,
    log: Callable[[str], object] | None = None,
) -> dict[str, Path]:
    """Render one ``.qmd`` to ``out_dir/<stem>.html`` and/or ``out_dir/<stem>.pdf``.

    ``renderer`` is ``auto`` (Quarto if on PATH, else the fallback), ``quarto`` or ``pandoc``;
    ``log`` receives one line per output saying which renderer produced it. Returns
    ``{format: path}``. Raises :class:`RenderError` for anything that cannot be resolved.
    """
    log = log or (lambda _msg: None)
    qmd_path = Path(qmd_path).resolve()
    out_dir = Path(out_dir).resolve()
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise RenderError(f"formats must be a non-empty subset of {FORMATS}; got {formats}")
    if not qmd_path.is_file():
        raise RenderError(f"{qmd_path}: document not found")
    project = Path(project_dir).resolve() if project_dir else find_project_dir(qmd_path)
    engine = choose_renderer(renderer)
    out_dir.mkdir(parents=True, exist_ok=True)
    if engine == "quarto":
        return _render_with_quarto(qmd_path, out_dir, formats, log)

    why = "forced in config" if renderer == "pandoc" else "quarto not on PATH"
    source = read_source(qmd_path, project)
    ast = _parse(source)
    doc = _transform_common(ast, source)
    outputs: dict[str, Path] = {}
    if "html" in formats:
        outputs["html"] = _write_html(doc, source, out_dir / f"{qmd_path.stem}.html", log)
        log(f"rendered {qmd_path.name} -> {outputs['html'].name} with pandoc fallback ({why})")
    if "pdf" in formats:
        outputs["pdf"] = _write_pdf(doc, source, out_dir / f"{qmd_path.stem}.pdf", log)
        log(f"rendered {qmd_path.name} -> {outputs['pdf'].name} with pandoc+typst fallback ({why})")
    return outputs


def _render_with_quarto(qmd, out_dir, formats, log) -> dict[str, Path]:
    """Run ``quarto render`` once per format (HTML self-contained; PDF through typst)."""
    exe = shutil.which("quarto")
    outputs = {}
    for fmt in formats:
        to, suffix = ("html", "html") if fmt == "html" else ("typst", "pdf")
        cmd = [exe, "render", str(qmd), "--to", to, "--output-dir", str(out_dir)]
        if fmt == "html":
            cmd += ["-M", "embed-resources:true"]
        proc = subprocess.run(cmd, check=False, cwd=qmd.parent, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RenderError(f"{qmd}: quarto render --to {to} failed:\n{proc.stderr.strip()}")
        target = out_dir / f"{qmd.stem}.{suffix}"
        if not target.is_file():
            raise RenderError(f"{qmd}: quarto render --to {to} did not write {target}")
        outputs[fmt] = target
        log(f"rendered {qmd.name} -> {target.name} with quarto ({exe})")
    return outputs


# --------------------------------------------------------------------------------------------
# reading the sources: front matter, _quarto.yml, _variables.yml, shortcodes, includes

_SHORTCODE = re.compile(r"\{\{(\{)?<\s*(.*?)\s*>\}\}(\})?")


@dataclass
class Source:
    """A document read and pre-processed: metadata merged, shortcodes and includes resolved."""

    path: Path
    project_dir: Path
    meta: dict
    body: str
    files: list[tuple[Path, str]] = field(default_factory=list)

    def locate(self, needle: str) -> str:
        """``file:line`` of the first source line containing ``needle`` (else the document)."""
        for path, text in self.files:
            for number, line in enumerate(text.split("\n"), start=1):
                if needle in line:
                    return f"{path}:{number}"
        return str(self.path)

    def option(self, fmt: str, key: str, default=None):
        """A format option as Quarto resolves it: ``format: <fmt>: key`` over top-level ``key``."""
        value = self.meta.get(key, default)
        formats = self.meta.get("format")
        if isinstance(formats, dict) and isinstance(formats.get(fmt), dict):
            value = formats[fmt].get(key, value)
        return value


def read_source(qmd_path: str | Path, project_dir: str | Path | None = None) -> Source:
    """Read a ``.qmd``: merge ``_quarto.yml`` and front matter, resolve shortcodes and includes.

    ``{{< var k >}}`` reads ``_variables.yml`` in the project folder, ``{{< meta k >}}`` the
    merged metadata (front matter over ``_quarto.yml``), ``{{< include p >}}`` inserts a file
    (path relative to the including file; a leading ``/`` means the project folder), recursively.
    """
    import yaml

    qmd_path = Path(qmd_path).resolve()
    project = Path(project_dir).resolve() if project_dir else find_project_dir(qmd_path)
    quarto_meta = _load_yaml(project / "_quarto.yml")
    quarto_meta.pop("project", None)
    variables = _load_yaml(project / "_variables.yml")
    text = _read_text(qmd_path)
    files = [(qmd_path, text)]
    front, body, body_offset = _split_front_matter(text)
    resolver = _Resolver(variables, {}, project, files, project / "_variables.yml")
    front = resolver.expand(front, qmd_path, 2, allowed=("var",), stack=(qmd_path,))
    try:
        front_meta = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{qmd_path}: front matter is not valid YAML ({exc})") from None
    if not isinstance(front_meta, dict):
        raise RenderError(f"{qmd_path}: front matter must be a YAML mapping")
    meta = _deep_merge(quarto_meta, front_meta)
    resolver.meta = meta
    body = resolver.expand(body, qmd_path, body_offset + 1, stack=(qmd_path,))
    return Source(qmd_path, project, meta, body, files)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _load_yaml(path: Path) -> dict:
    import yaml

    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        raise RenderError(f"{path}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RenderError(f"{path}: must be a YAML mapping at the top level")
    return data


def _deep_merge(base: dict, over: dict) -> dict:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """``(yaml_text, body, number of lines before the body)``; no front matter -> ``""``."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    return "", text, 0


@dataclass
class _Resolver:
    variables: dict
    meta: dict
    project_dir: Path
    files: list
    variables_path: Path

    def expand(self, text, path, first_line, *, allowed=None, stack=()):
        out, pos, spans = [], 0, []
        for m in _SHORTCODE.finditer(text):
            where = f"{path}:{first_line + text.count(chr(10), 0, m.start())}"
            out.append(text[pos : m.start()])
            pos = m.end()
            spans.append((m.start(), m.end()))
            if m.group(1) and m.group(3):  # Quarto's escape: {{{< x >}}} -> literal {{< x >}}
                out.append("{{< " + m.group(2) + " >}}")
                continue
            out.append("{" if m.group(1) else "")
            out.append(self._one(m.group(2), where, path, allowed, stack))
            out.append("}" if m.group(3) else "")
        out.append(text[pos:])
        for stray in re.finditer(r"\{\{<", text):
            if not any(a <= stray.start() < b for a, b in spans):
                line = first_line + text.count("\n", 0, stray.start())
                raise RenderError(
                    f"{path}:{line}: malformed shortcode (a shortcode is written on one line as "
                    "{{< name argument >}})"
                )
        return "".join(out)

    def _one(self, inner, where, path, allowed, stack):
        try:
            parts = shlex.split(inner)
        except ValueError:
            raise RenderError(f"{where}: cannot parse shortcode arguments") from None
        if not parts:
            raise RenderError(f"{where}: empty shortcode")
        name, args = parts[0], parts[1:]
        if allowed is not None and name not in allowed:
            raise RenderError(f"{where}: shortcode '{name}' is not supported in front matter")
        if name == "pagebreak" and not args:
            return (
                '\n\n```{=html}\n<div class="page-break"></div>\n```\n\n'
                "```{=typst}\n#pagebreak()\n```\n\n"
            )
        if name not in ("var", "meta", "include") or len(args) != 1:
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
            return _scalar_text(value, f"{where}: variable '{arg}'")
        if name == "meta":
            value = _lookup(self.meta, arg)
            if value is _MISSING:
                raise RenderError(
                    f"{where}: unknown metadata key '{arg}' (not in the front matter or _quarto.yml)"
                )
            return _scalar_text(value, f"{where}: metadata key '{arg}'")
        target = (
            self.project_dir / arg.lstrip("/") if arg.startswith("/") else path.parent / arg
        ).resolve()
        if not target.is_file():
            raise RenderError(f"{where}: included file '{arg}' not found (looked for {target})")
        if target in stack:
            raise RenderError(f"{where}: include of '{arg}' is circular")
        text = _read_text(target)
        self.files.append((target, text))
        return self.expand(text, target, 1, stack=(*stack, target)).rstrip("\n")


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


def _format_date(value, where: str) -> str | None:
    """``2025-03-31`` -> ``31 March 2025`` (GOV.UK style); other text is kept as written."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in _CLOCK_DATES:
        raise RenderError(
            f"{where}: date '{value}' depends on the clock; give a fixed date (for example "
            "from _variables.yml) so that re-runs are identical"
        )
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return str(value)


# --------------------------------------------------------------------------------------------
# pandoc


def _pandoc(args: list[str], text: str, log=None) -> str:
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


def _parse(source: Source) -> dict:
    """Markdown -> pandoc JSON AST, with the title block metadata in front."""
    import yaml

    where = str(source.path)
    head = {
        key: source.meta[key]
        for key in ("title", "subtitle", "author", "abstract")
        if source.meta.get(key) is not None
    }
    date = _format_date(source.meta.get("date"), where)
    if date:
        head["date"] = date
    if "title" not in head:
        raise RenderError(f"{where}: no title in the front matter or _quarto.yml")
    front = "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=True) + "---\n\n"
    return json.loads(_pandoc(["-f", "markdown", "-t", "json"], front + source.body))


# --------------------------------------------------------------------------------------------
# AST helpers (pandoc-types 1.23 JSON: {"t": tag, "c": contents})


def _iter_nodes(node) -> Iterator[dict]:
    """Every AST element below ``node``, depth first, in document order."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _iter_nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _iter_nodes(item)


def _replace_in_lists(node, tag: str, fn) -> None:
    """Replace each element ``tag`` found in any list below ``node`` by the list ``fn(el)``."""
    if isinstance(node, dict):
        for value in node.values():
            _replace_in_lists(value, tag, fn)
    elif isinstance(node, list):
        i = 0
        while i < len(node):
            item = node[i]
            if isinstance(item, dict) and item.get("t") == tag:
                new = fn(item)
                node[i : i + 1] = new
                i += len(new)
            else:
                _replace_in_lists(item, tag, fn)
                i += 1


def _text_inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _stringify(node) -> str:
    parts = []
    for el in _iter_nodes(node):
        if el["t"] == "Str":
            parts.append(el["c"])
        elif el["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)


def _classes(el: dict) -> list[str]:
    return el["c"][0][1]


def _attr_pop(attr: list, key: str):
    for i, (k, v) in enumerate(attr[2]):
        if k == key:
            del attr[2][i]
            return v
    return None


def _prefix_caption(caption: list, label: str) -> None:
    """Put ``Figure 1: `` (etc.) in front of a Figure or Table caption."""
    blocks = caption[1]
    lead = _text_inlines(label)
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        blocks[0]["c"][:0] = [*lead[:-1], {"t": "Str", "c": lead[-1]["c"] + ":"}, {"t": "Space"}]
    else:
        blocks.insert(0, {"t": "Plain", "c": lead})


# --------------------------------------------------------------------------------------------
# the format-independent transformation


@dataclass
class _Doc:
    ast: dict
    base_level: int
    refs: dict  # id -> (kind word, number)
    images: list  # Image elements (their src is resolved per format)


def _transform_common(ast: dict, source: Source) -> _Doc:
    """Callouts, numbering of sections/figures/tables, alt text, cross-references."""
    _mark_callouts(ast, source)
    refs: dict[str, tuple[str, str]] = {}
    base = _number_sections(ast, source, refs)
    images = _check_figures_and_images(ast, source, refs)
    _number_tables(ast, source, refs)
    _resolve_refs(ast, source, refs)
    return _Doc(ast, base, refs, images)


def _mark_callouts(ast: dict, source: Source) -> None:
    """``::: {.callout-KIND}`` -> Div.callout whose first block is a Div.callout-title."""
    for el in list(_iter_nodes(ast["blocks"])):
        if el["t"] != "Div":
            continue
        kinds = [c[len("callout-") :] for c in _classes(el) if c.startswith("callout-")]
        if not kinds:
            continue
        kind = kinds[0]
        if kind not in CALLOUT_KINDS:
            raise RenderError(
                f"{source.locate('callout-' + kind)}: unknown callout kind 'callout-{kind}' "
                f"(use one of: {', '.join('callout-' + k for k in CALLOUT_KINDS)})"
            )
        attr, blocks = el["c"]
        title = _attr_pop(attr, "title")
        if title is not None:
            title_inlines = _text_inlines(title)
        elif blocks and blocks[0]["t"] == "Header":
            title_inlines = blocks.pop(0)["c"][2]
        else:
            title_inlines = _text_inlines(CALLOUT_KINDS[kind])
        attr[1] = ["callout", f"callout-{kind}"]
        attr[2] = [kv for kv in attr[2] if kv[0] not in ("collapse", "icon", "appearance")]
        title_block = {"t": "Div", "c": [["", ["callout-title"], []], [_plain(title_inlines)]]}
        blocks.insert(0, title_block)


def _plain(inlines):
    return {"t": "Plain", "c": inlines}


def _number_sections(ast: dict, source: Source, refs: dict) -> int:
    """Check heading order; number sections when ``number-sections``; return the top level."""
    headers = [el for el in _iter_nodes(ast["blocks"]) if el["t"] == "Header"]
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
                f"{source.locate(_stringify(inlines))}: heading '{_stringify(inlines)}' skips "
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
    for el in _iter_nodes(ast["blocks"]):
        if el["t"] != "Figure":
            continue
        attr, caption, body = el["c"]
        images = [x for x in _iter_nodes(body) if x["t"] == "Image"]
        for img in images:
            in_figure.add(id(img))
            alt = _attr_pop(img["c"][0], "fig-alt")
            if not alt or not alt.strip():
                src = img["c"][2][0]
                raise RenderError(
                    f"{source.locate(src)}: figure '{attr[0] or src}' has no fig-alt "
                    '(write ![Caption](file.png){#fig-id fig-alt="What the chart shows"})'
                )
            img["c"][1] = _text_inlines(alt.strip())
        if attr[0].startswith("fig-"):
            n += 1
            _register(refs, attr[0], ("Figure", str(n)), source)
            _prefix_caption(caption, f"Figure{_NBSP}{n}")
    images = [el for el in _iter_nodes(ast["blocks"]) if el["t"] == "Image"]
    for img in images:
        src = img["c"][2][0]
        if id(img) not in in_figure:
            alt = _attr_pop(img["c"][0], "fig-alt")
            if alt and alt.strip():
                img["c"][1] = _text_inlines(alt.strip())
            elif not _stringify(img["c"][1]).strip():
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
    for el in _iter_nodes(ast["blocks"]):
        if el["t"] != "Table":
            continue
        attr, caption, _colspecs, head = el["c"][:4]
        for row in head[1]:
            for cell in row[1]:
                cell[0][2] = [kv for kv in cell[0][2] if kv[0] != "scope"] + [["scope", "col"]]
        if attr[0].startswith("tbl-"):
            n += 1
            _register(refs, attr[0], ("Table", str(n)), source)
            _prefix_caption(caption, f"Table{_NBSP}{n}")


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
            text = (
                number if c["citationMode"]["t"] == "SuppressAuthor" else f"{word}{_NBSP}{number}"
            )
            if i:
                out += [_str(","), {"t": "Space"}]
            if c["citationPrefix"]:
                out += [*c["citationPrefix"], {"t": "Space"}]
            out.append(
                {"t": "Link", "c": [["", ["quarto-xref"], []], [_str(text)], ["#" + ident, ""]]}
            )
            out += c["citationSuffix"]
        return out

    _replace_in_lists(ast["blocks"], "Cite", replace)


def _shift_headings(ast: dict, base: int, top: int) -> None:
    for el in _iter_nodes(ast["blocks"]):
        if el["t"] == "Header":
            el["c"][0] = el["c"][0] - base + top


def _clean_private(node) -> None:
    for el in _iter_nodes(node):
        el.pop("_path", None)


# --------------------------------------------------------------------------------------------
# HTML

_EXTERNAL_RESOURCE = re.compile(
    r"<(?:img|script|link|iframe|source|video|audio|embed|object|track)\b[^>]*?"
    r"\b(?:src|href|data|srcset)\s*=\s*[\"']?\s*(?:[a-z]+:)?//"
    r"|url\(\s*[\"']?\s*(?:[a-z]+:)?//|@import",
    re.IGNORECASE,
)


def _write_html(doc: _Doc, source: Source, target: Path, log) -> Path:
    ast = copy.deepcopy(doc.ast)
    _shift_headings(ast, doc.base_level, 2)  # the title is the one h1
    for el in _iter_nodes(ast["blocks"]):
        if el["t"] == "Image" and "_path" in el:
            el["c"][2][0] = el["_path"]
        if el["t"] == "Div" and "callout" in _classes(el):
            kind = _classes(el)[1][len("callout-") :]
            el["c"][0][2] += [["role", "note"], ["aria-label", CALLOUT_KINDS[kind]]]
    _replace_in_lists(
        ast["blocks"], "Table", lambda t: [{"t": "Div", "c": [["", ["table-wrap"], []], [t]]}]
    )
    _clean_private(ast)
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
    html = _pandoc(args, json.dumps(ast), log)
    hit = _EXTERNAL_RESOURCE.search(html)
    if hit:
        raise RenderError(
            f"{source.path}: the HTML would load an external resource ({hit.group(0)[:60]}...); "
            "reports must be self-contained"
        )
    target.write_text(html, encoding="utf-8")
    return target


# --------------------------------------------------------------------------------------------
# PDF via typst


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_pdf(doc: _Doc, source: Source, target: Path, log) -> Path:
    import typst

    ast = copy.deepcopy(doc.ast)
    _shift_headings(ast, doc.base_level, 1)
    paths = [el["_path"] for el in _iter_nodes(ast["blocks"]) if "_path" in el]
    root = Path(
        os.path.commonpath([str(source.project_dir), *(str(Path(p).parent) for p in paths)])
    )
    for el in _iter_nodes(ast["blocks"]):
        if el["t"] == "Image" and "_path" in el:
            el["c"][2][0] = "/" + Path(el["_path"]).relative_to(root).as_posix()

    def callout(div):
        kind = _classes(div)[1][len("callout-") :]
        title_div, *body = div["c"][1]
        title = title_div["c"][1][0]["c"]
        opening = _plain(
            [_raw_inline(f"#callout(kind: {_typst_string(kind)}, title: ["), *title]
            + [_raw_inline("])[")]
        )
        return [opening, *body, _raw_block("]")]

    def table(tbl):
        if len(tbl["c"][2]) < WIDE_TABLE_COLUMNS:
            return [tbl]
        return [_raw_block("#[\n#show table: set text(size: 7.5pt)"), tbl, _raw_block("]")]

    _replace_callouts(ast["blocks"], callout)
    _replace_in_lists(ast["blocks"], "Table", table)
    _clean_private(ast)
    lang = str(source.option("typst", "lang", "en-GB"))
    language, _, region = lang.partition("-")
    args = [
        "-f", "json", "-t", "typst", "--standalone", "--wrap=none",
        f"--template={ASSETS_DIR / 'template.typ'}",
        "-V", f"lang={language}", "-V", f"region={region or 'GB'}",
    ]  # fmt: skip
    if source.option("typst", "toc", False):
        args += [
            "-V", "toc=true",
            "-V", f"toc-depth={int(source.option('typst', 'toc-depth', 3))}",
            "-V", f"toc-title={source.option('typst', 'toc-title', 'Contents')}",
        ]  # fmt: skip
    markup = _pandoc(args, json.dumps(ast), log)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pdf = typst.compile(
                markup.encode("utf-8"),
                root=str(root),
                font_paths=_font_paths(),
                ignore_system_fonts=True,
            )
        except typst.TypstError as exc:
            raise RenderError(
                f"{source.path}: typst could not compile the PDF: {exc.message}\n{exc.diagnostic}"
            ) from None
    for w in caught:
        log(f"typst: {w.message}")
    target.write_bytes(pdf)
    return target


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
            if isinstance(item, dict) and item.get("t") == "Div" and "callout" in _classes(item):
                new = fn(item)
                node[i : i + 1] = new
                i += len(new)
            else:
                i += 1


def _font_paths() -> list[str]:
    """DejaVu Sans as shipped with matplotlib: the same font on every machine, offline.

    System fonts are ignored so that the PDF does not change with the machine it is built on.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.submodule_search_locations:
        folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
        if folder.is_dir():
            return [str(folder)]
    return []
