"""The genuine Quarto path: ``quarto render`` per format."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from analysis.render.common import RenderError


def render_with_quarto(qmd, out_dir, formats, log) -> dict[str, Path]:
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
