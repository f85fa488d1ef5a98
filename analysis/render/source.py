"""Reading report sources: front matter, ``_quarto.yml``, ``_variables.yml``, shortcodes and includes."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from analysis.render.common import CLOCK_DATES, MONTHS, RenderError


def find_project_dir(qmd_path: str | Path) -> Path:
    """The nearest folder at or above the document holding ``_quarto.yml`` (else its folder)."""
    qmd_path = Path(qmd_path).resolve()
    for folder in qmd_path.parents:
        if (folder / "_quarto.yml").is_file():
            return folder
    return qmd_path.parent


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


def format_date(value, where: str) -> str | None:
    """``2025-03-31`` -> ``31 March 2025`` (GOV.UK style); other text is kept as written."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in CLOCK_DATES:
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
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value)
