"""Rounding, in one place: halves go away from zero, never to even.

Python's ``round`` and ``format`` round halves to even and work on the binary value, so
``f"{3.295:.2f}"`` gives ``3.29``. Published tables and report text round the schoolbook way:
to the nearest multiple, halves away from zero; text is rounded once, from the unrounded value,
on its shortest decimal representation (``3.295`` -> ``3.30``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np


def round_half_away(x, base=1):
    """Round ``x`` to the nearest multiple of ``base``, halves away from zero.

    Exact for ``int``, ``Fraction`` and ``Decimal`` (returns the same kind, an ``int`` when
    ``base`` is 1); floats and array-likes go through numpy (NaN stays NaN, ``-0.0`` becomes
    ``0.0``).
    """
    if isinstance(x, (int, Fraction, Decimal)) and not isinstance(x, bool):
        q = abs(x) / base
        n = (
            math.floor(q + Fraction(1, 2))
            if not isinstance(q, Decimal)
            else int(q.to_integral_value(rounding=ROUND_HALF_UP))
        )
        n = n if x >= 0 else -n
        return n if base == 1 else n * base
    arr = np.asarray(x, dtype=float)
    out = np.sign(arr) * np.floor(np.abs(arr) / base + 0.5) * base + 0.0
    return float(out) if out.ndim == 0 else out


def to_decimals(x: float, digits: int) -> Decimal:
    """``x`` rounded to ``digits`` decimal places, halves away from zero, as a ``Decimal``.

    Rounds the shortest decimal representation of ``x`` (``repr``), so ``3.295`` rounds to
    ``3.30`` although its binary value is a little below 3.295.
    """
    q = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)


def round_decimals(values, digits: int):
    """Each value of a Series (or array) to ``digits`` decimals, halves away from zero
    (:func:`to_decimals`), as floats; missing values stay missing."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype="float64")
    out = s.map(lambda v: v if pd.isna(v) else float(to_decimals(float(v), digits)) + 0.0)
    return out.astype("Float64" if str(s.dtype) == "Float64" else "float64")
