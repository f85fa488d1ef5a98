"""Green Book discounting: the social time preference rate schedule and discount factors.

Year 0 is the first year of the proposal and the price base year; it is **not** discounted.
The factor for year t is the factor for year t-1 divided by (1 + that year's rate), so the
declining long-term rate steps down and does not restart (HM Treasury, *The Green Book* 2022,
Annex A6; ``docs/reference/appraisal.md``, "Discounting"). Spreadsheet ``NPV()`` functions
discount the first flow as well; the workbook therefore writes the factors out explicitly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.costs.reference import read_discount_schedules


def _schedule_rows(schedule: str, schedules: pd.DataFrame | None) -> pd.DataFrame:
    sched = read_discount_schedules() if schedules is None else schedules
    sched = sched[sched["schedule"] == schedule]
    if sched.empty:
        raise ValueError(f"discount schedule {schedule!r} not found")
    return sched


def resolve_vintage(
    schedule: str = "standard", vintage: str | None = None, schedules: pd.DataFrame | None = None
) -> str:
    """The vintage of ``schedule`` that is used: ``vintage`` if given, else the latest."""
    sched = _schedule_rows(schedule, schedules)
    if vintage is None:
        return str(max(sched["vintage"].astype(str)))
    if str(vintage) not in set(sched["vintage"].astype(str)):
        raise ValueError(f"discount schedule {schedule!r} has no vintage {vintage!r}")
    return str(vintage)


def discount_rates(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> np.ndarray:
    """Rate that applies in each year 0..n_years-1 of ``schedule`` (latest vintage by default).

    Rows are bands ``year_from..year_to`` (an empty ``year_to`` is open-ended).
    """
    sched = _schedule_rows(schedule, schedules)
    vintage = resolve_vintage(schedule, vintage, sched)
    sched = sched[sched["vintage"].astype(str) == vintage]
    years = np.arange(n_years)
    rates = np.full(n_years, np.nan)
    for row in sched.itertuples(index=False):
        hi = np.inf if pd.isna(row.year_to) or row.year_to == "" else float(row.year_to)
        rates[(years >= float(row.year_from)) & (years <= hi)] = float(row.rate)
    if np.isnan(rates).any():
        raise ValueError(f"discount schedule {schedule!r} does not cover every year")
    return rates


def discount_factors(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> np.ndarray:
    """Green Book discount factors for years 0..n_years-1.

    factor_0 = 1; factor_t = factor_{t-1} / (1 + r_t) with r_t the rate of the band holding t
    (HM Treasury, *The Green Book* 2022, Annex A6). Year 30 is 1.035**-30; year 31 divides that
    by 1.03: the lower rate continues from where the higher one stopped.
    """
    rates = discount_rates(n_years, schedule, vintage, schedules)
    growth = 1.0 + rates
    growth[0] = 1.0  # year 0 is not discounted
    return 1.0 / np.cumprod(growth)


def discount_factor_table(
    n_years: int,
    schedule: str = "standard",
    vintage: str | None = None,
    schedules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tidy ``year, rate, discount_factor`` table (rate shown as 0 in year 0)."""
    rates = discount_rates(n_years, schedule, vintage, schedules)
    rates[0] = 0.0
    return pd.DataFrame(
        {
            "year": np.arange(n_years),
            "rate": rates,
            "discount_factor": discount_factors(n_years, schedule, vintage, schedules),
        }
    )


def present_value(flows, factors) -> np.ndarray:
    """Sum of ``flows * factors`` over the last axis (flows may be (draws, years))."""
    return np.asarray(flows, dtype=float) @ np.asarray(factors, dtype=float)
