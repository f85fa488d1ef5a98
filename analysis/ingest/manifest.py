"""The run manifest: path, authority, kind, size and SHA-256 of every input file, and the
version of the code that read them."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

MANIFEST_COLUMNS = [
    "path",
    "authority",
    "kind",
    "bytes",
    "sha256",
    "vintage",
    "package_version",
    "git_commit",
]


def table_vintage(path: str | Path) -> str:
    """The vintages a reference table holds (its ``vintage`` column, distinct, sorted, joined by
    ``;``); empty for a file that is not a CSV with that column."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return ""
    try:
        col = pd.read_csv(path, usecols=["vintage"], dtype=str, keep_default_na=False)["vintage"]
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
        return ""
    return ";".join(sorted(set(col) - {""}))


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def code_version(repo_dir: str | Path = ".") -> dict[str, str]:
    """The package version and, in a git checkout, the commit (``+dirty`` when tracked files
    differ from it); ``"none"`` outside a checkout (for example a copy without ``.git``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("council-data-roadmap")
    except PackageNotFoundError:
        package = "not installed"
    commit = "none"
    try:
        run = lambda *a: subprocess.run(  # noqa: E731
            ["git", *a], cwd=repo_dir, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        if run("rev-parse", "--show-toplevel") and Path(repo_dir, ".git").exists():
            commit = run("rev-parse", "HEAD")
            if run("status", "--porcelain", "--untracked-files=no"):
                commit += "+dirty"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"package_version": package, "git_commit": commit}


def manifest(entries: Sequence[tuple[str, str, str]], version: dict | None = None) -> pd.DataFrame:
    """``(path, authority, kind)`` triples -> manifest table with bytes, SHA-256, the vintage of
    each packaged reference table (kind ``reference_<name>``: :func:`table_vintage`; e.g. the
    GDP deflator release used) and the code version (``version`` from :func:`code_version`,
    repeated on every row)."""
    version = version or {"package_version": "", "git_commit": ""}
    rows = [
        {
            "path": p,
            "authority": a,
            "kind": k,
            "bytes": Path(p).stat().st_size,
            "sha256": file_sha256(p),
            "vintage": table_vintage(p) if k.startswith("reference_") else "",
            "package_version": version["package_version"],
            "git_commit": version["git_commit"],
        }
        for p, a, k in entries
    ]
    return pd.DataFrame(rows, columns=MANIFEST_COLUMNS).sort_values(
        ["authority", "kind", "path"], kind="stable", ignore_index=True
    )
