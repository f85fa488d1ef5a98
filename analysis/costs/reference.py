"""The packaged parameter tables of the cost model (``analysis/data/*.csv``), read in one place.

Every parameter the appraisal uses is data with its own ``source`` and ``vintage`` columns
(``analysis/data/README.md`` says where each comes from and which are not yet verified). The
functions here only read those tables; the rules that use them live in the concept modules
(:mod:`~analysis.costs.discounting`, :mod:`~analysis.costs.prices`,
:mod:`~analysis.costs.optimism_bias`, :mod:`~analysis.costs.national`).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd


def read_packaged(name: str, **read_csv_kwargs) -> pd.DataFrame:
    """One packaged table ``analysis/data/<name>``, read with ``pandas.read_csv``.

    Read through :mod:`importlib.resources` so it works from an installed wheel as well as
    from the source tree.
    """
    path = resources.files("analysis").joinpath("data", name)
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **read_csv_kwargs)


def read_discount_schedules() -> pd.DataFrame:
    """Discount schedules (``schedule, vintage, year_from, year_to, rate, source``)."""
    return read_packaged("discount_schedules.csv")


def read_gdp_deflators() -> pd.DataFrame:
    """HM Treasury GDP deflator index by financial year (see ``analysis/data/README.md``)."""
    return read_packaged("gdp_deflators.csv")


def read_optimism_bias() -> pd.DataFrame:
    """HM Treasury optimism-bias bounds (``category, measure, upper, lower, ...``)."""
    return read_packaged("optimism_bias.csv")


def read_confidence_grades() -> pd.DataFrame:
    """Confidence grade 1..5 -> benefit reduction and cost uplift (fractions)."""
    return read_packaged("confidence_grades.csv")


def read_national_drivers() -> pd.DataFrame:
    """Drivers of the UK extrapolation (councils by tier, populations, volumes, take-up)."""
    return read_packaged("national_drivers.csv", dtype={"year": str, "vintage": str})


def read_service_area_aliases() -> pd.DataFrame:
    """Service-area label patterns -> national driver key (``service_area, pattern, ...``)."""
    return read_packaged("service_area_aliases.csv", dtype=str)
