"""Reading report sources: front matter, ``_quarto.yml``, ``_variables.yml``, then shortcodes and includes (:mod:`analysis.render.shortcodes`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from analysis.render.common import CLOCK_DATES, MONTHS, RenderError
from analysis.render.shortcodes import Line, Resolver, read_text


def find_project_dir(qmd_path: str | Path) -> Path:
    """The nearest folder at or above the document holding ``_quarto.yml`` (else its folder)."""
    qmd_path = Path(qmd_path).resolve()
    for folder in qmd_path.parents:
        if (folder / "_quarto.yml").is_file():
            return folder
    return qmd_path.parent


def document_timestamp(value) -> dt.datetime | None:
    """The document's date (front matter ``date``: ``2 December 2026``, ``2026-12-02`` or a
    date) as midnight UTC: the creation time written into its PDF, so that two renders of the
    same sources give the same bytes (typst would write the time of the render). None when
    the document has no date that reads as one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            try:
                value = dt.datetime.strptime(text, "%d %B %Y").date()
            except ValueError:
                return None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


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
    """Read a ``.qmd``: merge ``_quarto.yml`` and front matter, resolve includes and shortcodes.

    ``{{< include p >}}`` (alone on its line) inserts a file, recursively; ``p`` is relative to
    the document being rendered, a leading ``/`` means the project folder. ``{{< var k >}}``
    reads ``_variables.yml`` in the project folder, ``{{< meta k >}}`` the merged metadata
    (front matter over ``_quarto.yml``). In the front matter only ``var`` is allowed; it is
    resolved in the parsed YAML strings, so a value cannot break the YAML.
    """
    import yaml

    qmd_path = Path(qmd_path).resolve()
    project = Path(project_dir).resolve() if project_dir else find_project_dir(qmd_path)
    quarto_meta = _load_yaml(project / "_quarto.yml")
    quarto_meta.pop("project", None)
    variables = _load_yaml(project / "_variables.yml")
    text = read_text(qmd_path)
    files = [(qmd_path, text)]
    front, body, body_offset = _split_front_matter(text)
    resolver = Resolver(variables, {}, project, qmd_path.parent, files, project / "_variables.yml")
    front_lines = [Line(t, qmd_path, n) for n, t in enumerate(front.split("\n"), start=2)]
    for line in front_lines:  # every shortcode checked, with its line, before the YAML is read
        resolver.expand_line(line, allowed=("var",))
    try:
        front_meta = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        hint = (
            '; write a shortcode inside a quoted string, title: "{{< var x >}}", as Quarto requires'
            if "{{<" in front
            else ""
        )
        raise RenderError(f"{qmd_path}: front matter is not valid YAML ({exc}){hint}") from None
    if not isinstance(front_meta, dict):
        raise RenderError(f"{qmd_path}: front matter must be a YAML mapping")
    front_meta = resolver.expand_strings(front_meta, Line("", qmd_path, 2))
    meta = _deep_merge(quarto_meta, front_meta)
    resolver.meta = meta
    lines = resolver.include(body, qmd_path, body_offset + 1, stack=(qmd_path,))
    body = "\n".join(resolver.expand_lines(lines))
    return Source(qmd_path, project, meta, body, files)


def _load_yaml(path: Path) -> dict:
    import yaml

    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(read_text(path))
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
