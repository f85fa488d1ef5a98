"""Benchmark of report rendering with each renderer (a benchmark, not a test: it measures).

Renders every document of an assembled report project (default: the pipeline's
results/reports/build) to HTML and PDF with the fallback and, when quarto is on PATH, with
Quarto, into scratch folders, and prints the wall time of each.

    .venv/bin/python benchmarks/bench_render.py [results/reports/build]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from analysis.render import quarto_version, render_project


def main(build: Path) -> None:
    docs = sorted(p.stem for p in build.glob("*.qmd") if not p.name.startswith("_"))
    renderers = ["pandoc"] + (["quarto"] if shutil.which("quarto") else [])
    for renderer in renderers:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            done = render_project(build, out, docs, formats=("html", "pdf"), renderer=renderer)
            wall = time.perf_counter() - started
        label = f"quarto {quarto_version()}" if renderer == "quarto" else "fallback (pandoc/typst)"
        print(f"{label}: {len(done)} outputs of {len(docs)} documents in {wall:.1f} s wall")
    if "quarto" not in renderers:
        print("quarto not on PATH: install it with bash ../shared/tools/quarto/install.sh")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/reports/build"))
