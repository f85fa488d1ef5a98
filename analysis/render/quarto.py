"""The genuine Quarto path: the whole project in one ``quarto render`` call per format.

- Quarto renders a copy of the project in a scratch folder outside ``results/``, so its
  ``.quarto/`` cache, the ``.gitignore`` it writes and the figure copies it makes never land
  beside the pipeline's declared outputs; only the rendered documents are copied out.
- Quarto's warnings are errors: it exits 0 with a mid-line include left as text, a broken
  figure attribute block or an unknown variable, so any ``WARN``/``ERROR`` line it prints fails
  the render before anything is copied out. Every document is then checked by
  :mod:`analysis.render.check`, the checker the fallback renderer's output passes too.
- PDF: Quarto writes the typst markup and runs ``typst compile`` through ``QUARTO_TYPST``,
  which points to a small shim over the project's own ``typst`` package (newer than the typst
  Quarto 1.7 bundles), so the PDF is tagged (headings, figures with their alt text) and has
  its language, as the fallback's PDF does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.render.check import check_rendered
from analysis.render.common import RenderError
from analysis.render.pdf import font_paths

#: Lines of Quarto's output that fail a render (Quarto prints "WARN"/"WARNING"/"ERROR").
_QUARTO_COMPLAINT = re.compile(r"^\s*(?:\x1b\[[0-9;]*m)*\s*(WARN(?:ING)?|ERROR)\b", re.M)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

_TYPST_SHIM = '''#!{python}
"""`typst` for Quarto: `typst --version` and `typst compile ...` over the typst package."""
import argparse, os, sys

if {data_home!r}:  # typst packages Quarto's typst templates import (its own copy, offline)
    os.environ.setdefault("XDG_DATA_HOME", {data_home!r})
import typst


def main(argv):
    if argv[:1] in (["--version"], ["-V"]):
        print("typst {version} (typst-py)")
        return 0
    if argv[:1] not in (["compile"], ["c"]):
        print("typst shim: only `compile` and `--version` are implemented", file=sys.stderr)
        return 2
    c = argparse.ArgumentParser(prog="typst compile")
    c.add_argument("input")
    c.add_argument("output", nargs="?")
    c.add_argument("--root")
    c.add_argument("--font-path", action="append", default=[])
    c.add_argument("--input", dest="sys_inputs", action="append", default=[])
    c.add_argument("--ignore-system-fonts", action="store_true")
    c.add_argument("--format", "-f")
    c.add_argument("--ppi", type=float)
    c.add_argument("--pdf-standard", action="append", default=[])
    a = c.parse_intermixed_args(argv[1:])
    kw = {{}}
    if a.root:
        kw["root"] = a.root
    # the report's font (DejaVu Sans, shipped with matplotlib) beside Quarto's own fonts
    kw["font_paths"] = a.font_path + {fonts!r}
    if a.sys_inputs:
        kw["sys_inputs"] = dict(x.split("=", 1) for x in a.sys_inputs)
    if a.ignore_system_fonts:
        kw["ignore_system_fonts"] = True
    if a.format:
        kw["format"] = a.format
    if a.ppi:
        kw["ppi"] = a.ppi
    if a.pdf_standard:
        kw["pdf_standards"] = a.pdf_standard
    if os.environ.get("SOURCE_DATE_EPOCH"):  # the edition date, not the time of the render
        kw["timestamp"] = int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        typst.compile(a.input, output=a.output or a.input.rsplit(".", 1)[0] + ".pdf", **kw)
    except Exception as e:  # noqa: BLE001 - report typst's own message to Quarto
        print(f"error: {{e}}", file=sys.stderr)
        return 1
    return 0


sys.exit(main(sys.argv[1:]))
'''


def quarto_executable() -> str:
    exe = shutil.which("quarto")
    if exe is None:
        raise RenderError("quarto is not on PATH")
    return exe


def quarto_version() -> str:
    """The version Quarto reports (``1.7.34``)."""
    proc = subprocess.run(
        [quarto_executable(), "--version"], capture_output=True, text=True, check=False
    )
    return proc.stdout.strip() or "unknown"


def _typst_shim(folder: Path, quarto: str) -> Path:
    """A ``typst`` executable for ``QUARTO_TYPST`` over the project's typst package. Typst
    packages that Quarto's templates import are read from a ``typst-data`` folder beside the
    Quarto installation when there is one (an offline install keeps them there)."""
    from importlib.metadata import version

    data = Path(quarto).resolve().parents[1] / "typst-data"
    shim = folder / "typst"
    shim.write_text(
        _TYPST_SHIM.format(
            python=sys.executable,
            version=version("typst"),
            data_home=str(data) if data.is_dir() else "",
            fonts=font_paths(),
        ),
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return shim


def render_project_with_quarto(
    build: str | Path,
    out_dir: str | Path,
    docs: Iterable[str],
    formats: Iterable[str],
    log: Callable[[str], object] | None = None,
    *,
    whole_project: bool = True,
) -> dict[tuple[str, str], Path]:
    """Render the documents ``docs`` of the Quarto project ``build`` with ``quarto render``
    (the whole project in one call per format; with ``whole_project=False`` each document on
    its own), check each output, and copy ``<doc>.html``/``<doc>.pdf`` to ``out_dir``.

    Returns ``{(doc, format): path}``. Raises :class:`RenderError` on a Quarto warning or
    error, a missing output, or anything :func:`analysis.render.check.check_rendered` refuses;
    nothing is copied to ``out_dir`` then.
    """
    log = log or (lambda _msg: None)
    build, out_dir = Path(build).resolve(), Path(out_dir).resolve()
    docs, formats = list(docs), list(dict.fromkeys(formats))
    exe, version = quarto_executable(), quarto_version()
    with tempfile.TemporaryDirectory(prefix="quarto-render-") as scratch:
        scratch = Path(scratch)
        project = scratch / "project"
        shutil.copytree(build, project)
        env = {**os.environ, "QUARTO_TYPST": str(_typst_shim(scratch, exe))}
        stamp = _edition_timestamp(project, docs)
        if stamp is not None:  # the PDF's creation time: the same bytes on every render
            env["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
        rendered: dict[tuple[str, str], Path] = {}
        for fmt in formats:
            to = "html" if fmt == "html" else "typst"
            targets = [project] if whole_project else [project / f"{d}.qmd" for d in docs]
            said, failed = "", False
            for target in targets:
                cmd = [exe, "render", str(target), "--to", to]
                proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
                said += _ANSI.sub("", proc.stdout + "\n" + proc.stderr)
                failed |= proc.returncode != 0
            complaints = [
                line.strip() for line in said.splitlines() if _QUARTO_COMPLAINT.match(line)
            ]
            if failed or complaints:
                detail = "\n".join(complaints) or said.strip()[-2000:]
                raise RenderError(
                    f"quarto render --to {to} of {build.name} failed (Quarto warnings are "
                    f"errors here; nothing is published):\n{detail}"
                )
            for doc in docs:
                target = project / f"{doc}.{fmt}"
                if not target.is_file():
                    raise RenderError(f"quarto render --to {to} did not write {doc}.{fmt}")
                rendered[(doc, fmt)] = target
        check_rendered(rendered.values())
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs = {}
        for (doc, fmt), path in rendered.items():
            outputs[(doc, fmt)] = Path(shutil.copy2(path, out_dir / path.name))
    log(
        f"rendered {len(docs)} documents to {', '.join(formats)} with quarto {version} ({exe}); "
        f"PDF compiled by typst {_typst_version()} through QUARTO_TYPST"
    )
    return outputs


def _edition_timestamp(project: Path, docs: list[str]):
    """The date of the first document's front matter, as :func:`document_timestamp` reads it."""
    import yaml

    from analysis.render.source import _split_front_matter, document_timestamp

    for doc in docs:
        path = project / f"{doc}.qmd"
        if path.is_file():
            front, _, _ = _split_front_matter(path.read_text(encoding="utf-8"))
            meta = yaml.safe_load(front) if front.strip() else {}
            return document_timestamp((meta or {}).get("date"))
    return None


def _typst_version() -> str:
    from importlib.metadata import version

    return version("typst")
