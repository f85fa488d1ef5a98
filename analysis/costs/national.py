"""Scale of the opportunity across UK local government, from the four case studies.

A ratio estimate (Cochran 1977, *Sampling Techniques*, ch. 6): each case study's NPSV per unit
of a declared driver is multiplied by the driver's national total and by the share of councils
expected to take the approach up. Two drivers are used side by side, so the range shows how
much the answer depends on the choice:

* ``volume``: NPSV per unit of the service-volume driver of the case's service area (for
  example fly-tipping incidents a year), with the national volume. A volume published for
  England (or England and Wales) is carried to the nations whose councils deliver the service
  in proportion to population (an assumption: the same volume per resident there);
* ``population``: NPSV per resident of the case authority, times the population of the nations
  whose councils deliver that service.

The scenarios combine the case's low / central / high NPSV with low / central / high take-up
(``national_drivers.csv``, kind ``assumption``). The result is a range, never a point: the
summary's low is the smallest and its high the largest value over both methods.

All drivers (councils by tier, population, service volumes, take-up) are declared with their
source, year and confidence in ``analysis/data/national_drivers.csv``, read by
:func:`analysis.costs.reference.read_national_drivers`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.costs.reference import read_service_area_aliases

SCENARIOS = ("low", "central", "high")
_NATIONS = ("england", "wales", "scotland", "northern_ireland")


def match_service_area(label: str, aliases: pd.DataFrame | None = None) -> str:
    """The national-driver key (e.g. ``fly_tipping``) of a free-text service-area label.

    A label that is already a key is returned as it is. Otherwise every alias pattern (a
    case-insensitive regular expression) is searched in the label; exactly one key must
    match, else ``ValueError`` (no match, or matches for different keys).
    """
    a = read_service_area_aliases() if aliases is None else aliases
    keys = set(a["service_area"].astype(str))
    text = str(label).strip()
    if text in keys:
        return text
    hits = sorted(
        {
            str(k)
            for k, pat in zip(a["service_area"], a["pattern"], strict=True)
            if re.search(str(pat), text, flags=re.IGNORECASE)
        }
    )
    if len(hits) != 1:
        what = "no" if not hits else "more than one"
        raise ValueError(
            f"service area label matches {what} national driver key; add a row to "
            "analysis/data/service_area_aliases.csv or use one of: " + ", ".join(sorted(keys))
        )
    return hits[0]


def councils_by_tier(drivers: pd.DataFrame) -> pd.DataFrame:
    """Councils by nation and tier with the service areas they deliver.

    Columns ``nation, tier, councils, service_areas, source``; a final ``uk`` / ``all`` row
    holds the total.
    """
    c = drivers[drivers["kind"] == "councils"]
    out = pd.DataFrame(
        {
            "nation": c["nation"].astype(str),
            "tier": c["tier"].astype(str),
            "councils": c["value"].astype(float).astype(int),
            "service_areas": c["service_areas"].fillna("").astype(str),
            "source": c["source"].astype(str),
        }
    ).reset_index(drop=True)
    total = pd.DataFrame(
        [
            {
                "nation": "uk",
                "tier": "all",
                "councils": int(out["councils"].sum()),
                "service_areas": "",
                "source": "sum of the rows above",
            }
        ]
    )
    return pd.concat([out, total], ignore_index=True)


def delivering_nations(drivers: pd.DataFrame, service_area: str) -> list[str]:
    """Nations in which at least one council tier delivers ``service_area``."""
    c = drivers[drivers["kind"] == "councils"]
    has = c["service_areas"].fillna("").astype(str).str.split(";").map(lambda s: service_area in s)
    return [n for n in _NATIONS if n in set(c.loc[has, "nation"].astype(str))]


def _population(drivers: pd.DataFrame, nations) -> float:
    p = drivers[drivers["kind"] == "population"]
    vals = dict(zip(p["nation"].astype(str), p["value"].astype(float), strict=True))
    missing = [n for n in nations if n not in vals]
    if missing:
        raise ValueError("national_drivers.csv: a population row is missing for a nation")
    return float(sum(vals[n] for n in nations))


def _geography_nations(geography: str) -> list[str]:
    if geography == "england_and_wales":
        return ["england", "wales"]
    if geography == "uk":
        return list(_NATIONS)
    return [geography]


def take_up(drivers: pd.DataFrame) -> dict[str, float]:
    """``{'low': .., 'central': .., 'high': ..}`` from the ``take_up_*`` assumption rows."""
    a = drivers[drivers["kind"] == "assumption"].set_index("driver_id")["value"].astype(float)
    return {s: float(a[f"take_up_{s}"]) for s in SCENARIOS}


def national_scale(cases: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """Extrapolate each case study to the UK.

    ``cases``: one row per case with ``authority, service_area, npsv_low, npsv_central,
    npsv_high, local_volume, local_population`` (local_volume = the authority's own yearly
    value of the service-volume driver; either local column may be missing, which skips that
    method).

    Returns one row per (case, method, scenario): ``authority, service_area, method, scenario,
    npsv_case, local_driver, national_driver, take_up, national_npsv, nations``.
    """
    tu = take_up(drivers)
    vol = drivers[drivers["kind"] == "service_volume"].set_index("service_area")
    rows = []
    for case in cases.itertuples(index=False):
        area = str(case.service_area)
        nations = delivering_nations(drivers, area)
        if not nations:
            raise ValueError(f"national_drivers.csv: no council tier delivers {area!r}")
        pop = _population(drivers, nations)
        national = {}
        if area in vol.index and pd.notna(getattr(case, "local_volume", np.nan)):
            v = vol.loc[area]
            geo_pop = _population(drivers, _geography_nations(str(v["nation"])))
            national["volume"] = (float(case.local_volume), float(v["value"]) * pop / geo_pop)
        if pd.notna(getattr(case, "local_population", np.nan)):
            national["population"] = (float(case.local_population), pop)
        for method, (local, nat) in national.items():
            if local <= 0:
                raise ValueError("cases: local driver values must be positive")
            for s in SCENARIOS:
                npsv = float(getattr(case, f"npsv_{s}"))
                rows.append(
                    {
                        "authority": str(case.authority),
                        "service_area": area,
                        "method": method,
                        "scenario": s,
                        "npsv_case": npsv,
                        "local_driver": local,
                        "national_driver": nat,
                        "take_up": tu[s],
                        "national_npsv": npsv / local * nat * tu[s],
                        "nations": ";".join(nations),
                    }
                )
    cols = [
        "authority",
        "service_area",
        "method",
        "scenario",
        "npsv_case",
        "local_driver",
        "national_driver",
        "take_up",
        "national_npsv",
        "nations",
    ]
    return pd.DataFrame(rows, columns=cols)


def national_range(scale: pd.DataFrame) -> pd.DataFrame:
    """Low / central / high national NPSV per service area and in total.

    Central = the volume method's central value (the population method's where no volume
    driver exists); low = the smallest and high = the largest value over methods and
    scenarios. The total adds the service areas' lows, centrals and highs. Columns
    ``service_area, low, central, high, methods``.
    """
    rows = []
    for area, g in scale.groupby("service_area", sort=True):
        cen = g[(g["scenario"] == "central")]
        by = cen.set_index("method")["national_npsv"]
        central = float(by["volume"]) if "volume" in by.index else float(by.iloc[0])
        rows.append(
            {
                "service_area": area,
                "low": float(g["national_npsv"].min()),
                "central": central,
                "high": float(g["national_npsv"].max()),
                "methods": ";".join(sorted(g["method"].unique())),
            }
        )
    out = pd.DataFrame(rows, columns=["service_area", "low", "central", "high", "methods"])
    total = {
        "service_area": "total",
        "low": float(out["low"].sum()),
        "central": float(out["central"].sum()),
        "high": float(out["high"].sum()),
        "methods": "sum of service areas",
    }
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
