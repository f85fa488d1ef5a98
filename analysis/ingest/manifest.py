"""The run manifest: path, authority, kind, size and SHA-256 of every input file."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(entries: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
    """``(path, authority, kind)`` triples -> manifest table with bytes and SHA-256."""
    rows = [
        {
            "path": p,
            "authority": a,
            "kind": k,
            "bytes": Path(p).stat().st_size,
            "sha256": file_sha256(p),
        }
        for p, a, k in entries
    ]
    return pd.DataFrame(rows, columns=["path", "authority", "kind", "bytes", "sha256"]).sort_values(
        ["authority", "kind", "path"], kind="stable", ignore_index=True
    )
