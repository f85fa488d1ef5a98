"""Rendering one document: choosing the renderer (Quarto when on PATH, else the fallback) and dispatching."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.render.common import FORMATS, RENDERERS, RenderError
from analysis.render.html import write_html
from analysis.render.pandoc_ast import parse
from analysis.render.pdf import write_pdf
from analysis.render.quarto import render_project_with_quarto
from analysis.render.source import find_project_dir, read_source
from analysis.render.transform import transform_common

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
        done = render_project_with_quarto(
            project, out_dir, [qmd_path.stem], formats, log, whole_project=False
        )
        return {fmt: path for (_doc, fmt), path in done.items()}

    why = "forced in config" if renderer == "pandoc" else "quarto not on PATH"
    source = read_source(qmd_path, project)
    ast = parse(source)
    doc = transform_common(ast, source)
    outputs: dict[str, Path] = {}
    if "html" in formats:
        outputs["html"] = write_html(doc, source, out_dir / f"{qmd_path.stem}.html", log)
        log(f"rendered {qmd_path.name} -> {outputs['html'].name} with pandoc fallback ({why})")
    if "pdf" in formats:
        outputs["pdf"] = write_pdf(doc, source, out_dir / f"{qmd_path.stem}.pdf", log)
        log(f"rendered {qmd_path.name} -> {outputs['pdf'].name} with pandoc+typst fallback ({why})")
    return outputs


def render_project(
    build: str | Path,
    out_dir: str | Path,
    docs: Iterable[str],
    *,
    formats: Iterable[str] = FORMATS,
    renderer: str = "auto",
    log: Callable[[str], object] | None = None,
) -> dict[tuple[str, str], Path]:
    """Render the documents ``docs`` of the project folder ``build`` to ``out_dir``.

    Quarto renders the whole project in one call per format when ``docs`` are all its
    documents, else each of ``docs`` on its own; the fallback renders document by document. Either way every output is checked (:mod:`analysis.render.check`) in a scratch
    folder before it is copied to ``out_dir``, so a broken render publishes nothing. Returns
    ``{(doc, format): path}``.
    """
    import tempfile

    from analysis.render.check import check_rendered

    log = log or (lambda _msg: None)
    docs, formats = list(docs), tuple(dict.fromkeys(formats))
    if choose_renderer(renderer) == "quarto":
        # the whole project in one call per format when every document is asked for, else
        # document by document (a render job per document renders only its own)
        every = sorted(f.stem for f in Path(build).glob("*.qmd") if not f.name.startswith("_"))
        return render_project_with_quarto(
            build, out_dir, docs, formats, log, whole_project=sorted(docs) == every
        )
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="fallback-render-") as scratch:
        rendered = {}
        for doc in docs:
            for fmt, path in render_document(
                Path(build) / f"{doc}.qmd",
                scratch,
                formats=formats,
                renderer=renderer,  # "pandoc" or "auto" without quarto: the log says which
                project_dir=build,
                log=log,
            ).items():
                rendered[(doc, fmt)] = path
        check_rendered(rendered.values())
        out_dir.mkdir(parents=True, exist_ok=True)
        return {k: Path(shutil.copy2(p, out_dir / p.name)) for k, p in rendered.items()}
