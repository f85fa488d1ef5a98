"""Code co-occurrence on the consensus coding: raw tidy table, square matrix, controlled."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.coding.scope import publish_counts
from analysis.coding.sheet import check_consensus, require_columns


def code_cooccurrence(
    consensus: pd.DataFrame,
    codes: Sequence[str] | None = None,
    *,
    by: Sequence[str] = ("authority",),
) -> pd.DataFrame:
    """Raw code co-occurrence: number of excerpts carrying both codes (tidy, all ordered pairs).

    The co-occurrence matrix of qualitative analysis tools (e.g. ATLAS.ti "code
    co-occurrence table", MAXQDA "code relations browser" with the excerpt as the unit):
    ``C = X'X`` where ``X`` is the excerpt x code 0/1 indicator matrix of the consensus
    coding. The diagonal holds the number of excerpts with the code.

    Returns columns ``by..., code_a, code_b, n_excerpts`` for every ordered pair of ``codes``
    (default: the codes present, sorted), zeros included; raw counts.
    """
    check_consensus(consensus)
    by = list(by)
    require_columns(consensus, by, "consensus table")
    applied = consensus.dropna(subset=["code"])
    codes = sorted(set(applied["code"])) if codes is None else list(codes)
    frames = []
    grouped = consensus.groupby(by, sort=True) if by else [((), consensus)]
    for key, group in grouped:
        key = key if isinstance(key, tuple) else (key,)
        g = group.dropna(subset=["code"])
        g = g[g["code"].isin(codes)]
        if len(g):
            x = pd.crosstab(g["authority"] + "\x1f" + g["excerpt_id"], g["code"])
        else:
            x = pd.DataFrame(columns=codes)
        x = (x.reindex(columns=codes, fill_value=0) > 0).astype("int64")
        c = x.to_numpy().T @ x.to_numpy()
        tidy = pd.DataFrame(
            {
                "code_a": np.repeat(codes, len(codes)),
                "code_b": np.tile(codes, len(codes)),
                "n_excerpts": c.reshape(-1).astype("int64"),
            }
        )
        for col, value in zip(by, key, strict=True):
            tidy.insert(by.index(col), col, value)
        frames.append(tidy)
    if not frames:
        return pd.DataFrame(columns=by + ["code_a", "code_b", "n_excerpts"])
    out = pd.concat(frames, ignore_index=True)
    return out.astype({c: "string" for c in by + ["code_a", "code_b"]})


def cooccurrence_matrix(tidy: pd.DataFrame, value: str = "n_excerpts") -> pd.DataFrame:
    """Square (code_a x code_b) form of a tidy co-occurrence table for one group."""
    extra = [c for c in tidy.columns if c not in ("code_a", "code_b", value)]
    for col in extra:
        if tidy[col].nunique(dropna=False) > 1:
            raise ValueError(f"cooccurrence_matrix: filter the table to one {col} first")
    order = pd.unique(tidy["code_a"])
    wide = tidy.pivot(index="code_a", columns="code_b", values=value)
    return wide.reindex(index=order, columns=order)


def controlled_cooccurrence(tidy: pd.DataFrame, rule) -> pd.DataFrame:
    """Tidy co-occurrence as published under the disclosure scope rule
    (:mod:`analysis.coding.scope`): ``n_excerpts`` (Int64) per code pair across the whole
    group (council or programme) counts text and is published as it is; a table broken down
    by role or session (``by`` holding ``participant_role`` or ``session_id``) is controlled
    cell by cell (the matrix publishes no margins, and the diagonal is not the sum of its row,
    so primary suppression and rounding suffice there).
    """
    out = tidy.copy()
    by = [c for c in tidy.columns if c not in ("code_a", "code_b", "n_excerpts")]
    out["n_excerpts"] = publish_counts(tidy["n_excerpts"], [*by, "code_a"], rule).array
    return out
