"""Statistical disclosure control: the gate every published count passes through.

Two configurable rules (``docs/reference/privacy-and-disclosure.md``):

* **NHS England rule** (``"nhs"``): counts 1-7 are suppressed, every other count is rounded to
  the nearest 5 (0 stays 0); totals are computed from the *unrounded* values and then
  controlled; percentages are computed from the *rounded* values; a mean or median based on
  1-7 values is suppressed. Source: NHS England, "Statistical disclosure control" guidance
  for published statistics (the "suppress 1-7, round to nearest 5" rule used by NHS Digital's
  publications).
* **ONS 10-5 rule** (``"ons_10_5"``): counts below 10 are suppressed, the rest rounded to the
  nearest 5.

Rounding convention: to the nearest multiple of ``rounding_base``, halves rounded **up**
(``base * floor(x / base + 1/2)``), so with base 10 both 15 -> 20 and 25 -> 30 (no banker's
rounding). With base 5 no integer count is ever exactly half-way.

Secondary suppression (``control_crosstab``): a published total lets a single suppressed cell
of its row or column be recovered by subtraction. The heuristic below is deterministic:

1. primary suppression of every cell (totals included) whose unrounded value is in
   ``1 .. min_count - 1``;
2. for every line (row or column of the table *with* its margins) that holds exactly one
   suppressed value, suppress the smallest remaining non-zero interior cell of that line
   (ties: first in row-major order); if the line has no such cell, suppress its total;
3. repeat 2 until nothing changes (a fixed point: every line holds 0 or >= 2 suppressed
   values);
4. audit: a suppressed cell can still be determined exactly by *combining* several lines
   when it is a "bridge" of the pattern (``_identifiable``, linear algebra on the margin
   equations). For such a cell one more cell is suppressed that closes a cycle through it
   (smallest non-zero candidate), and the loop restarts.

This is the classic line-by-line heuristic described in Hundepool et al., *Statistical Disclosure
Control* (Wiley, 2012), chapters on tabular data (secondary cell suppression), with an algebraic audit
instead of an optimisation model (tau-Argus' modular/optimal methods are not available as a
Python library). Zeros are not chosen as secondary cells (a suppressed zero adds no
protection when zeros are structurally known) unless step 4 has no non-zero candidate.
Unsuppressed zeros are published as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.rounding import round_half_away
from analysis.core.text import safe_text

__all__ = [
    "DisclosureError",
    "DisclosureRule",
    "check_controlled",
    "control_counts",
    "control_crosstab",
    "percentages",
    "rule_from_config",
    "suppress_small_base",
    "write_published_csv",
]


class DisclosureError(ValueError):
    """A table about to be published breaks the disclosure rule."""


@dataclass(frozen=True)
class DisclosureRule:
    """A disclosure-control rule.

    ``min_count`` is the smallest non-zero count that may be published; counts
    ``1 .. min_count - 1`` are suppressed. Published counts are rounded to the nearest
    multiple of ``rounding_base`` (halves up; 0 stays 0). ``marker`` is what a suppressed
    cell shows in a published table.
    """

    name: str
    min_count: int
    rounding_base: int
    marker: str = "[c]"


_RULES = {
    "nhs": {"min_count": 8, "rounding_base": 5},
    "ons_10_5": {"min_count": 10, "rounding_base": 5},
}


def rule_from_config(cfg: dict | None) -> DisclosureRule:
    """Build the rule from ``config["disclosure"]`` (``None`` -> NHS England rule).

    ``cfg`` is e.g. ``{"rule": "nhs"}`` or ``{"rule": "ons_10_5", "marker": "*"}``.
    """
    cfg = dict(cfg or {})
    name = cfg.get("rule", "nhs")
    if name not in _RULES:
        raise ValueError(f"disclosure rule must be one of {sorted(_RULES)}, got {name!r}")
    marker = cfg.get("marker", "[c]")
    if not isinstance(marker, str) or not marker:
        raise ValueError("disclosure marker must be a non-empty string")
    return DisclosureRule(name=name, marker=marker, **_RULES[name])


# --------------------------------------------------------------------------- helpers


def _as_count_array(values, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (float array with NaN for missing, missing mask); check non-negative integers."""
    try:
        arr = pd.array(np.asarray(values, dtype=object).ravel(), dtype="Float64")
    except (TypeError, ValueError):  # never echo the offending value
        raise ValueError(f"{what}: counts must be non-negative integers") from None
    missing = np.asarray(arr.isna())
    x = arr.to_numpy(dtype=float, na_value=np.nan)
    ok = x[~missing]
    if (ok < 0).any() or (ok != np.floor(ok)).any():
        raise ValueError(f"{what}: counts must be non-negative integers")
    return x, missing


def _round_to_base(x: np.ndarray, base: int) -> np.ndarray:
    """Round to the nearest multiple of ``base``, halves up (0 stays 0; counts are >= 0)."""
    return round_half_away(x, base)


def _primary_mask(x: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    return (x >= 1) & (x < rule.min_count)


def _controlled_values(x: np.ndarray, suppressed: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    """Rounded values as float with NaN where suppressed or missing."""
    out = _round_to_base(x, rule.rounding_base)
    out[suppressed] = np.nan
    return out


def _to_int64(x: np.ndarray) -> pd.arrays.IntegerArray:
    mask = np.isnan(x)
    return pd.arrays.IntegerArray(np.where(mask, 0, x).astype("int64"), mask)


# --------------------------------------------------------------------------- 1-D


def control_counts(counts, rule: DisclosureRule) -> pd.Series:
    """Primary suppression and rounding of a 1-D set of non-negative integer counts.

    Returns an ``Int64`` Series (index preserved when ``counts`` is a Series) where suppressed
    (and missing) cells are ``<NA>`` and all others are rounded to the nearest
    ``rule.rounding_base`` (halves up; 0 stays 0). No secondary suppression: use
    :func:`control_crosstab` when a total of these counts is published.
    """
    index = counts.index if isinstance(counts, pd.Series) else None
    name = counts.name if isinstance(counts, pd.Series) else None
    x, missing = _as_count_array(counts, "control_counts")
    out = _controlled_values(x, _primary_mask(x, rule) | missing, rule)
    return pd.Series(_to_int64(out), index=index, name=name)


# --------------------------------------------------------------------------- 2-D


def _line_members(n_rows: int, n_cols: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Lines of an augmented (n_rows+1) x (n_cols+1) table: (interior cells, total cell)."""
    lines = []
    for i in range(n_rows + 1):  # rows, the totals row included
        lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    for j in range(n_cols + 1):  # columns, the totals column included
        lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return lines


def _constraint_matrix(n_rows: int, n_cols: int) -> np.ndarray:
    """Margin equations of the augmented table: sum(interior) - total = 0, one row per line."""
    lines = _line_members(n_rows, n_cols)
    a = np.zeros((len(lines), (n_rows + 1) * (n_cols + 1)))
    for k, (cells, total) in enumerate(lines):
        for i, j in cells:
            a[k, i * (n_cols + 1) + j] = 1.0
        a[k, total[0] * (n_cols + 1) + total[1]] = -1.0
    return a


def _identifiable(mask: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Suppressed cells whose value is fixed by the published margins (flattened bool mask).

    With the published cells known, the suppressed values ``s`` satisfy ``A_S s = b``; cell i
    is determined exactly iff every vector of the null space of ``A_S`` is zero at i.
    Bounds (non-negativity) are ignored, so this is the algebraic (not the interval) audit.
    """
    from scipy.linalg import null_space

    flat = mask.ravel()
    idx = np.flatnonzero(flat)
    out = np.zeros(flat.size, dtype=bool)
    if idx.size == 0:
        return out
    ns = null_space(a[:, idx])
    if ns.size == 0:
        out[idx] = True
    else:
        out[idx] = np.abs(ns).max(axis=1) < 1e-9
    return out


def _components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of the bipartite graph (row nodes, column nodes, suppressed edges)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    r, c = mask.shape
    ii, jj = np.nonzero(mask)
    g = coo_matrix((np.ones(ii.size), (ii, r + jj)), shape=(r + c, r + c))
    _, labels = connected_components(g, directed=False)
    return labels[:r], labels[r:]


def _secondary_suppression(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Grow ``mask`` (augmented table incl. margins) until no suppressed cell is recoverable."""
    n_rows, n_cols = x.shape[0] - 1, x.shape[1] - 1
    lines = _line_members(n_rows, n_cols)
    a = _constraint_matrix(n_rows, n_cols)
    mask = mask.copy()
    for _ in range(mask.size + 1):  # each pass adds >= 1 cell or stops
        changed = False
        for cells, total in lines:
            members = [*cells, total]
            if sum(mask[p] for p in members) != 1:
                continue
            cands = [p for p in cells if not mask[p] and x[p] > 0]
            if not cands and not mask[total] and x[total] > 0:
                cands = [total]
            if cands:
                best = min(cands, key=lambda p: (x[p], p))
                mask[best] = True
                changed = True
        if changed:
            continue
        ident = _identifiable(mask, a).reshape(mask.shape)
        if not ident.any():
            return mask
        # close a cycle through the first identifiable ("bridge") cell (i0, j0): remove it,
        # then any cell joining a row node of j0's side to a column node of i0's side will do
        i0, j0 = (int(v) for v in np.argwhere(ident)[0])
        rest = mask.copy()
        rest[i0, j0] = False
        row_lab, col_lab = _components(rest)
        rows_b = row_lab == col_lab[j0]
        cols_a = col_lab == row_lab[i0]
        cand = rows_b[:, None] & cols_a[None, :] & ~mask & (x > 0)
        if not cand.any():  # nothing non-zero closes the cycle: fall back to zeros
            cand = rows_b[:, None] & cols_a[None, :] & ~mask
        if not cand.any():
            raise DisclosureError("secondary suppression could not protect a cell")
        pos = np.argwhere(cand)
        best = min(map(tuple, pos), key=lambda p: (x[p], p))
        mask[best] = True
    raise DisclosureError("secondary suppression did not converge")  # pragma: no cover


def control_crosstab(
    table: pd.DataFrame,
    rule: DisclosureRule,
    *,
    margins: bool = True,
    row_total: str = "total",
    col_total: str = "total",
) -> pd.DataFrame:
    """Disclosure-control a 2-D table of raw counts.

    With ``margins=True`` a totals column (``col_total``) and totals row (``row_total``) are
    appended, computed from the UNROUNDED counts, then every cell (totals included) gets
    primary suppression, secondary suppression (module docstring) and rounding. With
    ``margins=False`` no totals are published, so only primary suppression and rounding apply.
    Returns an ``Int64`` DataFrame, ``<NA>`` = suppressed.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError("control_crosstab expects a DataFrame of counts")
    x, missing = _as_count_array(table.to_numpy(dtype=object), "control_crosstab")
    if missing.any():
        raise ValueError("control_crosstab: the table of counts has missing cells")
    x = x.reshape(table.shape)
    index, columns = table.index, table.columns
    if margins:
        x = np.vstack([np.column_stack([x, x.sum(axis=1)]), np.append(x.sum(axis=0), x.sum())])
        index = index.append(pd.Index([row_total]))
        columns = columns.append(pd.Index([col_total]))
        mask = _secondary_suppression(x, _primary_mask(x, rule))
    else:
        mask = _primary_mask(x, rule)
    out = _controlled_values(x, mask, rule)
    return pd.DataFrame(
        {c: _to_int64(out[:, k]) for k, c in enumerate(columns)}, index=index
    ).set_axis(columns, axis=1)


# --------------------------------------------------------------------------- derived values


def _pct(part: pd.Series, base) -> pd.Series:
    p = part.astype("Float64")
    b = pd.Series(base, index=part.index).astype("Float64")
    b = b.mask(b == 0)
    return (p * 100 / b).astype("Float64")


def percentages(controlled, total=None):
    """Percentages from ROUNDED (controlled) counts; ``<NA>`` where a part or base is suppressed.

    * Series: ``total`` is the controlled base (scalar); ``None`` -> the sum of the parts
      (``<NA>`` for every part if any part is suppressed, since that sum is not published).
    * DataFrame: row percentages. ``total`` names the base column; ``None`` -> the column
      ``"total"`` if present (it is then left out of the result), else the row sums of the
      parts (``<NA>`` when a part of the row is suppressed).

    Percentages of rounded counts need not add up to 100. Returns ``Float64``.
    """
    if isinstance(controlled, pd.Series):
        c = controlled.astype("Float64")
        if total is None:
            total = pd.NA if c.isna().any() else c.sum()
        return _pct(c, total)
    if not isinstance(controlled, pd.DataFrame):
        raise TypeError("percentages expects a Series or a DataFrame of controlled counts")
    df = controlled.astype("Float64")
    if total is None and "total" in df.columns:
        total = "total"
    if total is None:
        base = df.sum(axis=1, skipna=False)
        parts = df
    else:
        base = df[total]
        parts = df.drop(columns=[total])
    return pd.DataFrame({c: _pct(parts[c], base) for c in parts.columns}, index=df.index)


def suppress_small_base(value: float, n: int, rule: DisclosureRule) -> float:
    """``value`` (a mean, median …) or NaN when it rests on fewer than ``rule.min_count`` values.

    A statistic based on 1..min_count-1 observations is suppressed; with n = 0 there is no
    statistic, so NaN too.
    """
    if n is None or (isinstance(n, float) and math.isnan(n)) or n < rule.min_count:
        return float("nan")
    return float(value)


# --------------------------------------------------------------------------- publishing


def check_controlled(df: pd.DataFrame, count_cols: list[str], rule: DisclosureRule, *, where=""):
    """Raise :class:`DisclosureError` if a count column holds a value the rule forbids.

    Forbidden: 1..min_count-1, a value that is not a multiple of ``rule.rounding_base``,
    a negative or non-integer value. ``<NA>`` (suppressed) is allowed. The message names
    the table (``where``) and column, never a value.
    """
    label = where or "table"
    for col in count_cols:
        if col not in df.columns:
            raise DisclosureError(f"{label}: count column {col!r} is missing")
        s = df[col]
        if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
            raise DisclosureError(f"{label}: count column {col!r} is not numeric")
        v = s.astype("Float64").dropna().to_numpy(dtype=float)
        bad = (
            (v < 0)
            | (v != np.floor(v))
            | ((v >= 1) & (v < rule.min_count))
            | (np.mod(v, rule.rounding_base) != 0)
        )
        if bad.any():
            raise DisclosureError(
                f"{label}: column {col!r} has {int(bad.sum())} count(s) that are not "
                f"disclosure-controlled (rule {rule.name}: 0 or >= {rule.min_count}, "
                f"multiples of {rule.rounding_base})"
            )


def write_published_csv(
    df: pd.DataFrame, path, count_cols: list[str], rule: DisclosureRule, *, text_count_cols=()
):
    """Check ``df`` with :func:`check_controlled`, then write it as a published CSV.

    Suppressed counts (``<NA>``) are written as ``rule.marker``; other missing cells are
    empty. ``text_count_cols``: columns of counts published as they are (counts of text, not
    of people, so not checked against the rounding rule) whose ``<NA>`` is a suppression too
    (the coding stage's small-group rule), also written as the marker. Text cells that start
    like a spreadsheet formula are prefixed with ``'``. UTF-8, ``\\n`` line ends, no index
    column.
    """
    path = Path(path)
    check_controlled(df, count_cols, rule, where=path.name)
    out = df.copy()
    for col in out.columns:
        if col in count_cols or col in text_count_cols:
            s = out[col].astype("Int64")
            out[col] = s.astype("string").fillna(rule.marker).astype(object)
        elif pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(safe_text, na_action="ignore")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
