"""How the costs stage rounds what it publishes, and plain YAML scalars for the key figures.

Money is published **to the penny** (halves away from zero, :func:`analysis.core.rounding.
round_half_away`), not to a coarser unit: the reports format money once, from these values,
with :func:`analysis.core.formatting.money` ("£3.29m"), and rounding a value that was already
rounded to £1,000 can give a different last digit than rounding the value itself (£3,294,500
is £3.29m; rounded to £1,000 first it becomes £3,295,000, shown as £3.30m). Ratios,
probabilities, discount factors and model inputs keep the rounding documented in
``docs/outputs/costs.md``. Internal tables keep full precision.

National money is different: it extrapolates four case studies to the UK, so a penny, or
even £10,000, claims a precision the estimate does not have. Published national tables give
it to :data:`NATIONAL_SIG_FIGS` significant figures (:func:`money_sig`); the key figures keep
full precision, so the reports round it once, to the same 2 significant figures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.core.rounding import round_half_away

PENNY = 0.01
RATIO_DIGITS = 2  # BCR and financial ROI
FACTOR_DIGITS = 4  # discount factors
PROB_DIGITS = 3  # Monte Carlo probabilities
SIG_FIGS = 4  # model inputs and switching values
CHANGE_PCT_DIGITS = 1  # switching values' % change
INDEX_DIGITS = 2  # GDP deflator index
NATIONAL_SIG_FIGS = 2  # national money in published tables (and in the reports' text)


def to_penny(x):
    """``x`` rounded to the penny, halves away from zero (NaN stays NaN; no ``-0.0``).

    :func:`round_half_away` multiplies the rounded count of pennies by 0.01, which leaves
    binary noise such as 2884287.0300000003 that a CSV would print; ``np.round(.., 2)`` of a
    value already on the penny grid only snaps it to the float nearest the decimal.
    """
    out = np.round(round_half_away(x, PENNY), 2) + 0.0
    return float(out) if np.ndim(out) == 0 else out


def money_columns(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Copy of ``df`` with the money columns rounded to the penny (as floats)."""
    out = df.copy()
    for c in cols:
        out[c] = to_penny(out[c].astype(float).to_numpy())
    return out


def ratio_columns(df: pd.DataFrame, cols, digits: int = RATIO_DIGITS) -> pd.DataFrame:
    """Copy of ``df`` with ``cols`` rounded to ``digits`` decimal places."""
    out = df.copy()
    for c in cols:
        out[c] = out[c].astype(float).round(digits)
    return out


def year_columns(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Copy of ``df`` with ``cols`` as nullable integers (a year, or empty for never)."""
    out = df.copy()
    for c in cols:
        out[c] = out[c].astype("Int64")
    return out


def signif(x, digits: int = SIG_FIGS):
    """``x`` to ``digits`` significant figures (NaN and 0 unchanged)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where((x == 0) | ~np.isfinite(x), 0, np.floor(np.log10(np.abs(x))))
    scale = 10.0 ** (digits - 1 - mag)
    return np.round(x * scale) / scale


def money_sig(x, digits: int = NATIONAL_SIG_FIGS):
    """``x`` to ``digits`` significant figures, halves away from zero (NaN and 0 unchanged).

    ``94_823_025.97`` -> ``95_000_000.0``; ``-4_935_526.89`` -> ``-4_900_000.0``.
    """
    arr = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where((arr == 0) | ~np.isfinite(arr), 0, np.floor(np.log10(np.abs(arr))))
    exp = mag - digits + 1
    out = np.where(np.isfinite(arr), round_half_away(arr, 10.0**exp), arr)
    # snap to the decimal grid: a multiple of 10**exp with exp < 0 carries binary noise
    out = np.array([round(v, int(max(0, -e))) for v, e in zip(out.ravel(), exp.ravel())])
    out = out.reshape(arr.shape) + 0.0
    return float(out) if out.ndim == 0 else out


def money_sig_columns(df: pd.DataFrame, cols, digits: int = NATIONAL_SIG_FIGS) -> pd.DataFrame:
    """Copy of ``df`` with ``cols`` to ``digits`` significant figures (:func:`money_sig`)."""
    out = df.copy()
    for c in cols:
        out[c] = money_sig(out[c].astype(float).to_numpy(), digits)
    return out


def scalar(v):
    """A plain Python scalar for YAML: None for missing, int for whole-number years, etc."""
    if v is None:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(float(v)) else float(v)
    if v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v


def money_value(v):
    """One money value rounded to the penny (None if missing)."""
    v = scalar(v)
    return None if v is None else to_penny(v)


def ratio_value(v, digits: int = RATIO_DIGITS):
    """One ratio (or probability, with ``digits``) rounded for publication (None if missing)."""
    v = scalar(v)
    return None if v is None else round(float(v), digits)


def year_value(v):
    """A year as an int (None if missing: e.g. an option that never pays back)."""
    v = scalar(v)
    return None if v is None else int(v)


def probability(p):
    """A probability as published: :data:`PROB_DIGITS` decimals (halves away from zero), except
    that a share strictly between 0 and 1 is never published as 0 or 1 (it is clamped to 0.001
    or 0.999): "100%" must mean every draw. None when missing."""
    p = scalar(p)
    if p is None:
        return None
    step = 10.0**-PROB_DIGITS
    out = round(float(round_half_away(float(p), step)), PROB_DIGITS)
    if 0.0 < float(p) < 1.0:
        out = min(max(out, step), 1.0 - step)
    return out


def probability_text(p) -> str:
    """A probability as every report prints it (table, sentence, figure and its alt text): the
    published value (:func:`probability`) as a percentage to one decimal, "99.9%"."""
    from analysis.core.formatting import pct

    v = probability(p)
    return pct(None if v is None else 100.0 * v, 1)
