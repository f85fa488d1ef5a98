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
from analysis.core.rounding import round_half_away

#: Money in published tables and key figures is rounded to the penny, halves away from zero.
#: The reports format it once (analysis.core.formatting.money); rounding to £1,000 here first
#: made them round twice (£3,294,500 -> £3,295,000 -> "£3.30m" instead of "£3.29m").
PENNY = 0.01
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


def to_penny(x):
    """``x`` rounded to the penny, halves away from zero (NaN stays NaN; no ``-0.0``).

    :func:`round_half_away` multiplies the rounded count of pennies by 0.01, which leaves
    binary noise such as 2884287.0300000003 that a CSV would print; ``np.round(.., 2)`` of a
    value already on the penny grid only snaps it to the float nearest the decimal.
    """
    out = np.round(round_half_away(x, PENNY), 2) + 0.0
    return float(out) if np.ndim(out) == 0 else out


def money(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Copy of ``df`` with the money columns rounded to the penny (as floats)."""
    out = df.copy()
    for c in cols:
        out[c] = to_penny(out[c].astype(float).to_numpy())
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
    """One money value rounded to the penny (None if missing)."""
    v = scalar(v)
    return None if v is None else to_penny(v)


def ratio_value(v, digits: int = RATIO_DIGITS):
    v = scalar(v)
    return None if v is None else round(float(v), digits)


def year_value(v):
    v = scalar(v)
    return None if v is None else int(v)


COST_LINE_KEYS = ["option_id", "line_id", "description", "cost_type", "sourcing"]


def cost_lines_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Each option's cost lines with their amounts as entered, summed over the years.

    ``costs`` is the ingested ``costs.csv`` (one row per line and year). Amounts are in the
    prices the council entered them (not deflated, no optimism bias, not discounted), money
    to the penny. Columns ``option_id, line_id, description, cost_type, sourcing, amount``,
    lines in input order. ``dropna=False`` keeps a line whose key cell is empty instead of
    dropping it (the data contract requires them all today).
    """
    g = costs.groupby(COST_LINE_KEYS, sort=False, dropna=False)["amount"].sum()
    return money(g.reset_index(), ["amount"])
