"""Programme level: the councils' preferred options side by side and the national scale.

The national extrapolation (:mod:`analysis.costs.national`) uses each case study's low /
central / high scenario NPSV of its preferred option (full precision) per resident of the
council, times the population of the nations whose councils deliver that service, times
take-up. The service-volume method of :func:`analysis.costs.national.national_scale` is not
used: the cost workbook carries no local figure measured the way the national service-volume
driver is (see ``docs/outputs/costs.md``). Published money is rounded to the penny
(:mod:`analysis.costs.precision`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.costs import figures
from analysis.costs import national as na
from analysis.costs.inputs import preferred_option_id
from analysis.costs.precision import (
    PROB_DIGITS,
    RATIO_DIGITS,
    money_columns,
    money_value,
    ratio_value,
    scalar,
    year_value,
)
from analysis.costs.reference import read_national_drivers

#: Each council's tables ``costs_programme`` reads (ingested options, internal results).
COUNCIL_INPUTS = ("options", "results", "scenarios", "mc_summary")
#: Readable labels of the national driver keys, for the national range figure.
SERVICE_LABELS = {
    "adult_social_care": "Adult social care",
    "childrens_services": "Children's services",
    "domestic_abuse": "Domestic abuse",
    "fly_tipping": "Fly-tipping",
    "total": "Total",
}
COMPARISON_MONEY = ["pv_costs", "pv_benefits", "npsv", "net_present_budget_impact"]
COMPARISON_MONEY += ["npsv_low", "npsv_central", "npsv_high", "mc_p5", "mc_p50", "mc_p95"]
DRIVER_COLUMNS = ["driver_id", "kind", "nation", "tier", "value", "unit", "year", "confidence"]
DRIVER_COLUMNS += ["source", "note"]


def comparison_row(authority: Mapping, t: Mapping[str, pd.DataFrame]) -> dict:
    """One council's preferred option: results, scenario NPSVs, Monte Carlo (full precision).

    ``authority`` has ``id, name, service_area`` and optionally ``tier, population`` (from
    config); ``t`` the tables of :data:`COUNCIL_INPUTS`.
    """
    pref = preferred_option_id(t["options"])
    res = t["results"]
    r = res[res["option_id"].astype(str) == pref].iloc[0]
    scen = t["scenarios"]
    scen = scen[scen["option_id"].astype(str) == pref].set_index("scenario")
    mcs = t["mc_summary"]
    m = mcs[(mcs["option_id"].astype(str) == pref) & (mcs["metric"] == "npsv")].iloc[0]
    population = authority.get("population")
    return {
        "authority": authority["id"],
        "authority_name": authority["name"],
        "service_area": authority["service_area"],
        "driver_service_area": na.match_service_area(authority["service_area"]),
        "tier": authority.get("tier"),
        "population": np.nan if population is None else float(population),
        "option_id": pref,
        "option_name": str(r["name"]),
        "pv_costs": float(r["pv_costs"]),
        "pv_benefits": float(r["pv_benefits"]),
        "npsv": float(r["npsv"]),
        "bcr": float(r["bcr"]),
        "vfm_category": r["vfm_category"],
        "payback_year": r["payback_year"],
        "net_present_budget_impact": float(r["net_present_budget_impact"]),
        "financial_roi": float(r["financial_roi"]),
        "npsv_low": float(scen.loc["low", "npsv"]),
        "npsv_central": float(scen.loc["central", "npsv"]),
        "npsv_high": float(scen.loc["high", "npsv"]),
        "mc_prob_npsv_positive": float(m["prob_positive"]),
        "mc_p5": float(m["p5"]),
        "mc_p50": float(m["p50"]),
        "mc_p95": float(m["p95"]),
    }


def comparison_table(authorities, tables) -> pd.DataFrame:
    """One row per council (config order): :func:`comparison_row` of each."""
    return pd.DataFrame([comparison_row(a, t) for a, t in zip(authorities, tables, strict=True)])


def national_cases(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as the case table :func:`analysis.costs.national.national_scale` takes
    (population method only: no ``local_volume``)."""
    return pd.DataFrame(
        {
            "authority": comparison["authority"],
            "service_area": comparison["driver_service_area"],
            "npsv_low": comparison["npsv_low"],
            "npsv_central": comparison["npsv_central"],
            "npsv_high": comparison["npsv_high"],
            "local_population": comparison["population"],
        }
    )


def drivers_used(drivers: pd.DataFrame) -> pd.DataFrame:
    """The drivers the population method uses, with their sources: populations, take-up
    assumptions and the councils-by-tier rows."""
    used = drivers[
        drivers["kind"].isin(["population", "assumption"])
        | drivers["driver_id"].str.startswith("councils_")
    ]
    return used[DRIVER_COLUMNS]


def published_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison rounded for publication (money to the penny, ratios 2 dp, P 3 dp)."""
    pub = money_columns(comparison, COMPARISON_MONEY)
    pub["bcr"] = pub["bcr"].round(RATIO_DIGITS)
    pub["financial_roi"] = pub["financial_roi"].round(RATIO_DIGITS)
    pub["mc_prob_npsv_positive"] = pub["mc_prob_npsv_positive"].round(PROB_DIGITS)
    pub["payback_year"] = pub["payback_year"].astype("Int64")
    pub["population"] = pub["population"].astype("Int64")
    return pub


def programme_key_figures(
    comparison: pd.DataFrame,
    national: pd.DataFrame,
    drivers: pd.DataFrame,
    *,
    price_base_year: str,
    vintage: str,
) -> dict:
    """The programme's key figures (``workflow/schemas/key_figures/costs_programme.schema.yaml``).

    ``national`` is :func:`analysis.costs.national.national_range` output.
    """
    comp = comparison
    tot = national[national["service_area"] == "total"].iloc[0]
    tu = na.take_up(drivers)
    return {
        "councils": len(comp),
        "councils_preferred_bcr_at_least_1": int((comp["bcr"] >= 1).sum()),
        "councils_preferred_npsv_positive": int((comp["npsv"] > 0).sum()),
        "councils_preferred_pays_back": int(comp["payback_year"].notna().sum()),
        "preferred_npsv_total": money_value(comp["npsv"].sum()),
        "preferred_pv_costs_total": money_value(comp["pv_costs"].sum()),
        "price_base_year": str(price_base_year),
        "discount_schedule_vintage": str(vintage),
        "national_low": money_value(tot["low"]),
        "national_central": money_value(tot["central"]),
        "national_high": money_value(tot["high"]),
        "national_method": "population",
        "national_take_up_low": tu["low"],
        "national_take_up_central": tu["central"],
        "national_take_up_high": tu["high"],
        "national_by_service_area": {
            str(r.service_area): {
                "low": money_value(r.low),
                "central": money_value(r.central),
                "high": money_value(r.high),
            }
            for r in national.itertuples(index=False)
            if r.service_area != "total"
        },
        "uk_councils": int(na.councils_by_tier(drivers)["councils"].iloc[-1]),
        "by_authority": {
            str(r.authority): {
                "option_id": str(r.option_id),
                "npsv": money_value(r.npsv),
                "bcr": ratio_value(r.bcr),
                "vfm_category": scalar(r.vfm_category),
                "payback_year": year_value(r.payback_year),
                "mc_prob_npsv_positive": ratio_value(r.mc_prob_npsv_positive, PROB_DIGITS),
            }
            for r in comp.itertuples(index=False)
        },
    }


@dataclass
class ProgrammeResults:
    """What :func:`appraise_programme` returns, tables keyed by the rule's output names."""

    comparison: pd.DataFrame  # full precision, for the figures
    national: pd.DataFrame  # national_range, full precision
    internal: dict[str, pd.DataFrame]
    published: dict[str, pd.DataFrame]
    key_figures: dict
    warnings: list[str] = field(default_factory=list)


def appraise_programme(
    authorities,
    tables,
    *,
    price_base_year: str,
    vintage: str,
    drivers: pd.DataFrame | None = None,
) -> ProgrammeResults:
    """Compare the councils' preferred options and scale them to the UK.

    ``authorities`` are the config entries of the councils (``id, name, service_area, tier,
    population``); ``tables`` holds each council's :data:`COUNCIL_INPUTS` in the same order.
    """
    drivers = read_national_drivers() if drivers is None else drivers
    comp = comparison_table(authorities, tables)
    warnings = []
    if comp["population"].isna().any():
        warnings.append(
            "a council has no population in config: it is left out of the national scale"
        )
    scale = na.national_scale(national_cases(comp), drivers)
    rng = na.national_range(scale)
    return ProgrammeResults(
        comparison=comp,
        national=rng,
        internal={"comparison_internal": comp, "scale_internal": scale, "range_internal": rng},
        published={
            "comparison": published_comparison(comp),
            "scale": money_columns(scale, ["npsv_case", "national_npsv"]),
            "range": money_columns(rng, ["low", "central", "high"]),
            "drivers": drivers_used(drivers),
        },
        key_figures=programme_key_figures(
            comp, rng, drivers, price_base_year=price_base_year, vintage=vintage
        ),
        warnings=warnings,
    )


def programme_figures(result: ProgrammeResults, paths: Mapping) -> None:
    """Draw the comparison and national-range figures to ``paths`` (``fig_comparison``,
    ``fig_national``), each a PNG with its alt text."""
    comp = result.comparison
    figures.options_comparison_figure(
        comp.assign(label=comp["authority_name"]), paths["fig_comparison"]
    )
    figures.national_range_figure(result.national, paths["fig_national"], SERVICE_LABELS)
