"""Scale of the opportunity across UK local government, from the case studies.

A ratio estimate (Cochran 1977, *Sampling Techniques*, ch. 6), made into a seeded Monte Carlo
so that the range is a distribution, not a stack of extremes:

* **What is scaled.** Each council's preferred way forward by the decision rule
  (:mod:`analysis.costs.decision`), never the option its workbook labels ``preferred``. A
  council whose rule recommends business as usual (no option offers value for money)
  contributes nothing and is listed as excluded with the reason.
* **Driver.** A service is scaled per unit of its national **service volume** (for example
  fly-tipping incidents a year) when every included council of that service has a comparable
  local volume in its workbook's Baseline sheet (:func:`local_volume`); otherwise per
  **resident** of the councils (their config ``population``). The table says which driver
  each row used and why. A volume published for England (or England and Wales) is carried to
  the nations whose councils deliver the service in proportion to population (an assumption:
  the same volume per resident there).
* **Draws.** For draw d, service s: ``national_s,d = (sum of the councils' NPSV draws) /
  (sum of their local drivers) x national driver_s x take-up_s,d``. Take-up is drawn per
  service from a triangular distribution (minimum, mode, maximum = the low, central and high
  take-up assumptions in ``national_drivers.csv``), independently between services. Each
  council's NPSV draws are its own Monte Carlo draws of the chosen option, put in a seeded
  random order first: the councils' simulations share one seed, so without it draw d of every
  council would come from the same random numbers; the reorder treats the councils'
  uncertainties as independent (no correlation between councils is declared).
* **From the councils' own appraisals.** Where the programme has at least ``min_councils``
  included councils of a service (``appraisal.national_min_councils`` in the config), the
  councils are a sample of those that deliver it, and the range carries the uncertainty of
  which councils were studied too: in draw d the ratio is taken over a bootstrap resample of
  the service's councils (m councils drawn with replacement, Efron and Tibshirani 1993, *An
  Introduction to the Bootstrap*, ch. 6; the ratio estimator's sampling variance, Cochran
  1977, 6.3). Below that number, with one or a few councils, resampling says nothing, so the
  range is the extrapolation above (their ratio, taken as known). The ``method`` column says
  which each service used.
* **Summary.** p5, p50 and p95 (and the mean) of each service's draws and of the total, the
  total being the percentiles of the **summed draws**, never a sum of the services' extremes.

Random numbers come from one ``numpy.random.default_rng(seed)`` stream, used in a fixed
order: the take-up draws of each service in sorted order, then one permutation per included
council in the order of the cases table, then the resamples of each service that is
bootstrapped, in sorted order. The same inputs and seed give the same numbers.

All drivers (councils by tier, population, service volumes, take-up) are declared with their
source, year and confidence in ``analysis/data/national_drivers.csv``, read by
:func:`analysis.costs.reference.read_national_drivers`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.costs.reference import read_service_area_aliases

SCENARIOS = ("low", "central", "high")
NATIONAL_METHOD = "monte_carlo_ratio_estimate"
TAKE_UP_DISTRIBUTION = "triangular"
VOLUME, POPULATION = "service_volume", "population"
#: How a service's national range was made (the ``method`` column of the range).
EXTRAPOLATION, BOOTSTRAP = "extrapolation", "councils_bootstrap"
_NATIONS = ("england", "wales", "scotland", "northern_ireland")
SCALE_COLUMNS = [
    "authority",
    "service_area",
    "option_id",
    "included",
    "exclusion_reason",
    "driver",
    "driver_note",
    "local_driver",
    "national_driver",
    "nations",
    "npsv_central",
]


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


def take_up(drivers: pd.DataFrame, service_area: str | None = None) -> dict[str, float]:
    """``{'low': .., 'central': .., 'high': ..}`` take-up shares of ``service_area``.

    From the ``assumption`` rows ``take_up_low``, ``take_up_central``, ``take_up_high``; a row
    whose ``service_area`` names the service overrides the row that names none.
    """
    a = drivers[drivers["kind"] == "assumption"]
    area = a.get("service_area", pd.Series("", index=a.index)).fillna("").astype(str)
    out = {}
    for s in SCENARIOS:
        mine = a["driver_id"].astype(str).str.startswith(f"take_up_{s}")
        own = a[mine & (area == str(service_area))] if service_area else a.iloc[0:0]
        pick = own if len(own) else a[mine & (area == "")]
        if len(pick) != 1:
            raise ValueError(f"national_drivers.csv: exactly one take_up_{s} row must apply")
        out[s] = float(pick["value"].iloc[0])
    if not 0 <= out["low"] <= out["central"] <= out["high"] <= 1:
        raise ValueError("national_drivers.csv: take-up must rise from low to high within [0, 1]")
    return out


def national_volume(drivers: pd.DataFrame, service_area: str) -> float | None:
    """The service's national volume carried to the nations that deliver it (None if none)."""
    vol = drivers[(drivers["kind"] == VOLUME) & (drivers["service_area"] == service_area)]
    if len(vol) == 0:
        return None
    v = vol.iloc[0]
    nations = delivering_nations(drivers, service_area)
    geo = _population(drivers, _geography_nations(str(v["nation"])))
    return float(v["value"]) * _population(drivers, nations) / geo


def local_volume(
    baseline: pd.DataFrame | None, drivers: pd.DataFrame, service_area: str
) -> tuple[float | None, str]:
    """A council's local volume comparable with the national service volume, and why (not).

    Comparable = a Baseline row whose ``activity`` matches the driver's ``local_activity``
    pattern (a case-insensitive regular expression, in ``national_drivers.csv``: it names the
    measure the national statistic counts) and whose ``volume`` counts more than one (a
    volume of 1 records a lump sum, such as a county-wide spend). Exactly one row must be
    comparable; none or several give ``(None, reason)`` and the population driver is used.
    """
    vol = drivers[(drivers["kind"] == VOLUME) & (drivers["service_area"] == service_area)]
    pattern = vol["local_activity"].iloc[0] if len(vol) and "local_activity" in vol else None
    if pattern is None or pd.isna(pattern) or not str(pattern).strip():
        return None, "no national service-volume driver for this service"
    if baseline is None or len(baseline) == 0:
        return None, "the workbook's Baseline sheet has no rows"
    act = baseline["activity"].astype(str)
    hit = act.str.contains(str(pattern), case=False, regex=True) & (
        baseline["volume"].astype(float) > 1
    )
    if hit.sum() != 1:
        n = int(hit.sum())
        sheet = "the Baseline sheet"
        rows = f"no row of {sheet} counts" if n == 0 else f"{n} rows of {sheet} count"
        return None, f"{rows} what the national volume counts"
    row = baseline[hit].iloc[0]
    return float(row["volume"]), f"Baseline: {row['activity']}"


def national_scale(cases: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """Which councils are scaled, by which driver, and the local and national driver values.

    ``cases``: one row per council with ``authority, service_area`` (a driver key),
    ``option_id`` (the decision rule's), ``included`` (bool), ``exclusion_reason``,
    ``npsv_central``, ``local_population`` and ``local_volume`` / ``local_volume_note``
    (:func:`local_volume`). Returns :data:`SCALE_COLUMNS`, one row per council in case order
    (``included`` yes/no; excluded rows have no driver).
    """
    c = cases.reset_index(drop=True).copy()
    c["included"] = c["included"].astype(bool)
    no_pop = c["included"] & c["local_population"].isna()
    c.loc[no_pop, "exclusion_reason"] = "no_population_in_config"
    c.loc[no_pop, "included"] = False
    rows = []
    for r in c.itertuples(index=False):
        area = str(r.service_area)
        nations = delivering_nations(drivers, area)
        if not nations:
            raise ValueError(f"national_drivers.csv: no council tier delivers {area!r}")
        row = {k: getattr(r, k) for k in ("authority", "option_id", "npsv_central")}
        row |= {"service_area": area, "nations": ";".join(nations)}
        row |= {"included": "yes" if r.included else "no", "exclusion_reason": r.exclusion_reason}
        if r.included:
            same = c[c["included"] & (c["service_area"] == area)]
            nat_vol = national_volume(drivers, area)
            if nat_vol is not None and same["local_volume"].notna().all():
                row |= {"driver": VOLUME, "driver_note": str(r.local_volume_note)}
                row |= {"local_driver": float(r.local_volume), "national_driver": nat_vol}
            else:
                note = str(r.local_volume_note)
                if pd.notna(r.local_volume):
                    note = "another council of this service has no comparable local volume"
                row |= {"driver": POPULATION, "driver_note": note}
                row["local_driver"] = float(r.local_population)
                row["national_driver"] = _population(drivers, nations)
            if row["local_driver"] <= 0:
                raise ValueError("cases: local driver values must be positive")
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=SCALE_COLUMNS)
    out["exclusion_reason"] = out["exclusion_reason"].where(out["included"] == "no", None)
    return out


@dataclass
class NationalSimulation:
    """What :func:`national_monte_carlo` returns (full precision)."""

    by_council: pd.DataFrame  # authority, national_mean, national_low, _central, _high
    range: pd.DataFrame  # service_area, driver, councils, draws, mean, low, central, high
    total_draws: np.ndarray
    draws: int
    seed: int


def _summary(x: np.ndarray) -> dict:
    p5, p50, p95 = np.percentile(x, [5, 50, 95]) if x.size else (0.0, 0.0, 0.0)
    mean = float(x.mean()) if x.size else 0.0
    return {"mean": mean, "low": float(p5), "central": float(p50), "high": float(p95)}


def national_monte_carlo(
    scale: pd.DataFrame,
    npsv_draws: Mapping[str, np.ndarray],
    drivers: pd.DataFrame,
    *,
    seed: int,
    draws: int,
    min_councils: int | None = None,
) -> NationalSimulation:
    """The seeded national Monte Carlo (module docstring) over :func:`national_scale` rows.

    ``npsv_draws`` maps each included council to its ``draws`` NPSV draws of the chosen
    option. ``range`` holds one row per service area with an included council (sorted) and a
    ``total`` row; ``low, central, high`` are the 5th, 50th and 95th percentiles; ``method``
    is :data:`BOOTSTRAP` for a service with at least ``min_councils`` included councils (never
    when ``min_councils`` is None), else :data:`EXTRAPOLATION`.
    """
    inc = scale[scale["included"] == "yes"].reset_index(drop=True)
    rng = np.random.default_rng(int(seed))
    areas = sorted(set(inc["service_area"]))
    tu_draws = {}
    for area in areas:
        t = take_up(drivers, area)
        if t["high"] > t["low"]:
            tu_draws[area] = rng.triangular(t["low"], t["central"], t["high"], int(draws))
        else:
            tu_draws[area] = np.full(int(draws), t["low"])
    ordered = {}
    for a in inc["authority"].astype(str):
        x = np.asarray(npsv_draws[a], dtype=float)
        if x.size != int(draws):
            raise ValueError(f"council {a}: {x.size} Monte Carlo draws, expected {int(draws)}")
        ordered[a] = x[rng.permutation(int(draws))]
    rows, by_council, total = [], [], np.zeros(int(draws))
    for area in areas:
        g = inc[inc["service_area"] == area]
        nat = float(g["national_driver"].iloc[0])
        boot = min_councils is not None and len(g) >= int(min_councils)
        if boot:
            per_unit = bootstrap_ratio(
                np.vstack([ordered[a] for a in g["authority"]]),
                g["local_driver"].to_numpy(dtype=float),
                rng,
            )
        else:
            per_unit = sum(ordered[a] for a in g["authority"]) / g["local_driver"].sum()
        x = per_unit * nat * tu_draws[area]
        total += x
        drv = ";".join(sorted(set(g["driver"])))
        method = BOOTSTRAP if boot else EXTRAPOLATION
        rows.append(
            {"service_area": area, "driver": drv, "councils": len(g), "method": method,
             **_summary(x)}
        )  # fmt: skip
        for r in g.itertuples(index=False):
            own = ordered[r.authority] / r.local_driver * nat * tu_draws[area]
            s = {f"national_{k}": v for k, v in _summary(own).items()}
            by_council.append({"authority": r.authority, **s})
    drv = ";".join(sorted(set(inc["driver"]))) if len(inc) else "none"
    methods = ";".join(sorted({r["method"] for r in rows})) or EXTRAPOLATION
    rows.append(
        {"service_area": "total", "driver": drv, "councils": len(inc), "method": methods,
         **_summary(total)}
    )  # fmt: skip
    out = pd.DataFrame(rows).assign(draws=int(draws))
    cols = ["service_area", "driver", "councils", "method", "draws"]
    cols += ["mean", "low", "central", "high"]
    names = ["authority", "national_mean", "national_low", "national_central", "national_high"]
    return NationalSimulation(
        pd.DataFrame(by_council, columns=names), out[cols], total, int(draws), int(seed)
    )


def bootstrap_ratio(npsv: np.ndarray, local: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw by draw, the ratio (sum of NPSV / sum of local drivers) over a resample of the
    councils with replacement: ``npsv`` is councils x draws, ``local`` one driver per council.
    The resample of draw d is ``rng.integers(0, m, (draws, m))[d]``, one call per service.
    Written here, not taken from ``scipy.stats.bootstrap``: that resamples one statistic many
    times over fixed data, whereas here each Monte Carlo draw gets one resample of councils
    paired with that draw's own NPSV values."""
    m, n = npsv.shape
    pick = rng.integers(0, m, size=(n, m))
    num = np.take_along_axis(npsv.T, pick, axis=1).sum(axis=1)
    return num / local[pick].sum(axis=1)


BASIS_COLUMNS = [
    "service_area",
    "driver",
    "councils",
    "local_driver",
    "local_unit",
    "local_source",
    "published_value",
    "published_geography",
    "national_unit",
    "national_year",
    "national_source",
    "nations",
    "carried_factor",
    "national_driver",
    "councils_delivering",
    "scale_factor",
]
_NATION_WORDS = {"england": "England", "wales": "Wales", "scotland": "Scotland",
                 "northern_ireland": "Northern Ireland", "england_and_wales": "England and Wales",
                 "uk": "the UK"}  # fmt: skip


def nation_words(key: str) -> str:
    """``england_and_wales`` -> "England and Wales"; a ``;``-list -> "England, Wales and ..."."""
    parts = [_NATION_WORDS.get(k, k) for k in str(key).split(";") if k]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def councils_delivering(drivers: pd.DataFrame, service_area: str) -> int:
    """Councils whose tier delivers ``service_area``, in every nation (the ``councils`` rows)."""
    c = drivers[drivers["kind"] == "councils"]
    has = c["service_areas"].fillna("").astype(str).str.split(";").map(lambda s: service_area in s)
    return int(c.loc[has, "value"].astype(float).sum())


def scale_basis(
    scale: pd.DataFrame, drivers: pd.DataFrame, population_sources: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Every driver of the national scale, per service area scaled, with value, unit, year and
    source, so a reader can reproduce the scale factor (:data:`BASIS_COLUMNS`).

    ``local_driver`` is the included councils' population (their config ``population``;
    ``population_sources`` names where each figure comes from) or comparable local volume
    (their Baseline rows); ``published_value`` the national statistic as published for
    ``published_geography``; ``carried_factor`` the population of the nations whose councils
    deliver the service over the population of that geography (1 when they are the same):
    ``national_driver = published_value x carried_factor``; ``scale_factor =
    national_driver / local_driver``, the multiplier of the councils' NPSV before take-up.
    """
    inc = scale[scale["included"] == "yes"]
    pops = drivers[drivers["kind"] == "population"]
    rows = []
    for area in sorted(set(inc["service_area"])):
        g = inc[inc["service_area"] == area]
        driver = str(g["driver"].iloc[0])
        nations = delivering_nations(drivers, area)
        local = float(g["local_driver"].astype(float).sum())
        row = {"service_area": area, "driver": driver, "councils": ";".join(g["authority"])}
        row |= {"local_driver": local, "nations": ";".join(nations)}
        if driver == VOLUME:
            v = drivers[(drivers["kind"] == VOLUME) & (drivers["service_area"] == area)].iloc[0]
            geo = str(v["nation"])
            published = float(v["value"])
            unit, year, source = str(v["unit"]), str(v["year"]), str(v["source"])
            factor = _population(drivers, nations) / _population(drivers, _geography_nations(geo))
            local_unit = unit
            # each distinct row once: councils filling in the same template often name the
            # same row, and a programme of many would repeat it for every council
            notes = list(dict.fromkeys(str(n).removeprefix("Baseline: ") for n in g["driver_note"]))
            rows_used = "; ".join(notes) if len(notes) <= 3 else f"{len(notes)} different rows"
            local_source = f"cost workbook, Baseline sheet: {rows_used}"
        else:
            mine = pops[pops["nation"].isin(nations)]
            published, geo, factor = _population(drivers, nations), ";".join(nations), 1.0
            unit = "residents"
            year = ";".join(sorted(set(mine["year"].astype(str))))
            source = "; ".join(dict.fromkeys(mine["source"].astype(str)))
            local_unit = "residents"
            srcs = [str((population_sources or {}).get(a) or "") for a in g["authority"]]
            known = [s for s in dict.fromkeys(srcs) if s]
            local_source = (
                f"{'; '.join(known)}, as the council's configuration states"
                if known
                else "the council's configuration"
            )
        row |= {"local_unit": local_unit, "local_source": local_source}
        row |= {"published_value": published, "published_geography": geo, "national_unit": unit}
        row |= {"national_year": year, "national_source": source, "carried_factor": factor}
        row["national_driver"] = published * factor
        row["councils_delivering"] = councils_delivering(drivers, area)
        row["scale_factor"] = row["national_driver"] / local
        rows.append(row)
    return pd.DataFrame(rows, columns=BASIS_COLUMNS)
