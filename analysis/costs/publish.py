"""Glue shared by the costs scripts: reading the ingested tables, publication rounding, YAML-safe
scalars. No appraisal arithmetic lives here: every number comes from :mod:`analysis.costs.appraisal`,
:mod:`analysis.costs.montecarlo` and :mod:`analysis.costs.national` (Snakemake puts this folder on
``sys.path`` for local scripts). What is published, and how it is rounded, is documented in
``docs/outputs/costs.md``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.io import read_csv

#: Money in published tables and key figures is rounded to the nearest £1,000 (the
#: model's inputs are estimates; full precision stays in internal/ and in the workbook).
MONEY_BASE = 1000
RATIO_DIGITS = 2  # BCR and financial ROI
FACTOR_DIGITS = 4  # discount factors
PROB_DIGITS = 3  # Monte Carlo probabilities
SIG_FIGS = 4  # model inputs and switching values


def read_ingested(path: str | Path) -> pd.DataFrame:
    """An ingested costs table without the ``authority`` column ingest puts first."""
    df = read_csv(path)
    return df.drop(columns=["authority"], errors="ignore")


def baseline_option_id(options: pd.DataFrame) -> str:
    """The option whose category is ``bau`` (exactly one is required)."""
    ids = options.loc[options["category"].astype(str) == "bau", "option_id"].astype(str)
    if len(ids) != 1:
        raise ValueError("options.csv: exactly one option must have category 'bau'")
    return ids.iloc[0]


def preferred_option_id(options: pd.DataFrame) -> str:
    """The option whose category is ``preferred`` (exactly one is required)."""
    ids = options.loc[options["category"].astype(str) == "preferred", "option_id"].astype(str)
    if len(ids) != 1:
        raise ValueError("options.csv: exactly one option must have category 'preferred'")
    return ids.iloc[0]


def round_half_up(x, base: float) -> np.ndarray:
    """Round to the nearest multiple of ``base``, halves away from zero (NaN stays NaN)."""
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.floor(np.abs(x) / base + 0.5) * base


def money(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Copy of ``df`` with the money columns rounded to the nearest £1,000 (as floats)."""
    out = df.copy()
    for c in cols:
        out[c] = round_half_up(out[c].astype(float), MONEY_BASE) + 0.0  # no "-0.0"
    return out


def signif(x, digits: int = SIG_FIGS):
    """``x`` to ``digits`` significant figures (NaN and 0 unchanged)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where((x == 0) | ~np.isfinite(x), 0, np.floor(np.log10(np.abs(x))))
    scale = 10.0 ** (digits - 1 - mag)
    return np.round(x * scale) / scale


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
    """One money value rounded to the nearest £1,000 (None if missing)."""
    v = scalar(v)
    return None if v is None else float(round_half_up(v, MONEY_BASE)) + 0.0


def ratio_value(v, digits: int = RATIO_DIGITS):
    v = scalar(v)
    return None if v is None else round(float(v), digits)


def year_value(v):
    v = scalar(v)
    return None if v is None else int(v)
