"""Programme level: the councils' preferred ways forward side by side, and the national scale.

Each council is represented by the option its decision rule prefers
(:mod:`analysis.costs.decision`, read back from its ``options_decision.csv``), not by the
option its workbook labels ``preferred`` (kept as ``proposed_option_id``). A council whose rule
recommends business as usual appears with BAU (NPSV 0, no BCR, no Monte Carlo) and is left
out of the national scale with the reason.

The national scale is the seeded Monte Carlo ratio estimate of :mod:`analysis.costs.national`,
from each included council's Monte Carlo draws of its chosen option. Council money is
published to the penny; national money to :data:`~analysis.costs.precision.NATIONAL_SIG_FIGS`
significant figures (key figures at full precision). Method: ``docs/outputs/costs.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.costs import figures
from analysis.costs import national as na
from analysis.costs.decision import read_decision
from analysis.costs.precision import (
    NATIONAL_SIG_FIGS,
    PROB_DIGITS,
    RATIO_DIGITS,
    money_columns,
    money_sig,
    money_sig_columns,
    money_value,
    ratio_value,
    scalar,
    year_value,
)
from analysis.costs.reference import read_national_drivers

#: Each council's tables ``costs_programme`` reads (ingested options and baseline, internal
#: decision, results, scenarios and Monte Carlo).
COUNCIL_INPUTS = ("options", "baseline", "decision", "results", "scenarios", "mc_summary")
COUNCIL_INPUTS += ("mc_draws",)
#: Readable labels of the national driver keys, for the national range figure.
SERVICE_LABELS = {
    "adult_social_care": "Adult social care",
    "childrens_services": "Children\u2019s services",  # the apostrophe the reports print
    "domestic_abuse": "Domestic abuse",
    "fly_tipping": "Fly-tipping",
    "total": "Total",
}
COMPARISON_MONEY = ["pv_costs", "pv_benefits", "npsv", "net_present_budget_impact"]
COMPARISON_MONEY += ["npsv_low", "npsv_central", "npsv_high", "mc_p5", "mc_p50", "mc_p95"]
NATIONAL_MONEY = ["mean", "low", "central", "high"]
DRIVER_COLUMNS = ["driver_id", "kind", "nation", "tier", "value", "unit", "year", "confidence"]
DRIVER_COLUMNS += ["source", "note", "rationale"]
_ROLES = {"low": "minimum", "central": "mode", "high": "maximum"}
_NAN_RESULTS = dict.fromkeys(
    ["bcr", "financial_roi", "npsv_low", "npsv_central", "npsv_high"]
    + ["mc_prob_npsv_positive", "mc_p5", "mc_p50", "mc_p95"],
    np.nan,
)


def comparison_row(authority: Mapping, t: Mapping[str, pd.DataFrame]) -> dict:
    """One council's preferred way forward: results, scenario NPSVs, Monte Carlo (full precision).

    ``authority`` has ``id, name, service_area`` and optionally ``tier, population`` (from
    config); ``t`` the tables of :data:`COUNCIL_INPUTS`.
    """
    dec = read_decision(t["decision"])
    oid = dec.preferred_option_id
    d = t["decision"].assign(option_id=t["decision"]["option_id"].astype(str))
    d = d.set_index("option_id")
    population = authority.get("population")
    row = {
        "authority": authority["id"],
        "authority_name": authority["name"],
        "service_area": authority["service_area"],
        "driver_service_area": na.match_service_area(authority["service_area"]),
        "tier": authority.get("tier"),
        "population": np.nan if population is None else float(population),
        "proposed_option_id": dec.proposed_option_id,
        "proposal_agrees": "yes" if dec.proposal_agrees else "no",
        "recommendation_reason": dec.reason,
        "option_id": oid,
        "option_name": str(d.loc[oid, "name"]),
        "option_category": str(d.loc[oid, "category"]),
    }
    if dec.recommends_bau:  # BAU against itself: nothing gained, nothing spent
        return (
            row
            | dict.fromkeys(["pv_costs", "pv_benefits", "npsv"], 0.0)
            | _NAN_RESULTS
            | {
                "vfm_category": None,
                "payback_year": np.nan,
                "net_present_budget_impact": 0.0,
            }
        )
    res = t["results"]
    r = res[res["option_id"].astype(str) == oid].iloc[0]
    scen = t["scenarios"]
    scen = scen[scen["option_id"].astype(str) == oid].set_index("scenario")
    mcs = t["mc_summary"]
    m = mcs[(mcs["option_id"].astype(str) == oid) & (mcs["metric"] == "npsv")].iloc[0]
    return row | {
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


def national_cases(comparison: pd.DataFrame, tables, drivers: pd.DataFrame) -> pd.DataFrame:
    """The case table :func:`analysis.costs.national.national_scale` takes: each council's
    chosen option, whether it is scaled (not when BAU is recommended), its population and its
    comparable local volume from the Baseline sheet (:func:`~analysis.costs.national.local_volume`)."""
    rows = []
    for c, t in zip(comparison.itertuples(index=False), tables, strict=True):
        vol, note = na.local_volume(t.get("baseline"), drivers, c.driver_service_area)
        included = c.option_category != "bau"
        rows.append(
            {
                "authority": c.authority,
                "service_area": c.driver_service_area,
                "option_id": c.option_id,
                "included": included,
                "exclusion_reason": None if included else c.recommendation_reason,
                "npsv_central": c.npsv,
                "local_population": c.population,
                "local_volume": np.nan if vol is None else vol,
                "local_volume_note": note,
            }
        )
    return pd.DataFrame(rows)


def npsv_draws(table: pd.DataFrame, option_id: str) -> np.ndarray:
    """One option's Monte Carlo NPSV draws in draw order (``monte_carlo_draws.csv``)."""
    d = table[table["option_id"].astype(str) == str(option_id)].sort_values("draw")
    return d["npsv"].to_numpy(float)


def drivers_used(drivers: pd.DataFrame, volume_areas=()) -> pd.DataFrame:
    """The drivers the national scale uses, with their sources: the councils-by-tier rows,
    populations, take-up assumptions and the service volumes of ``volume_areas``."""
    used = drivers[
        drivers["kind"].isin(["population", "assumption"])
        | drivers["driver_id"].str.startswith("councils_")
        | ((drivers["kind"] == na.VOLUME) & drivers["service_area"].isin(list(volume_areas)))
    ]
    return used.reindex(columns=DRIVER_COLUMNS)


def national_assumptions(drivers: pd.DataFrame, service_areas) -> pd.DataFrame:
    """The take-up assumptions per service area, as the national Monte Carlo draws them.

    One row per (service area, take-up row): ``service_area, assumption, driver_id, role``
    (minimum / mode / maximum of the triangular distribution), ``value, distribution, unit,
    source, rationale``.
    """
    a = drivers[drivers["kind"] == "assumption"].set_index("driver_id")
    rows = []
    for area in sorted(set(service_areas)):
        tu = na.take_up(drivers, area)
        for s in na.SCENARIOS:
            own = f"take_up_{s}_{area}"
            did = own if own in a.index else f"take_up_{s}"
            r = a.loc[did]
            rows.append(
                {
                    "service_area": area,
                    "assumption": "take_up",
                    "driver_id": did,
                    "role": _ROLES[s],
                    "value": tu[s],
                    "distribution": na.TAKE_UP_DISTRIBUTION,
                    "unit": r["unit"],
                    "source": r["source"],
                    "rationale": r.get("rationale"),
                }
            )
    return pd.DataFrame(rows)


def national_basis(scale: pd.DataFrame, drivers: pd.DataFrame, authorities) -> pd.DataFrame:
    """The drivers of each service area scaled, with their values and sources
    (:func:`analysis.costs.national.scale_basis`), rounded to publish: drivers to the unit,
    the carried factor to 6 decimals and the scale factor to 4 significant figures."""
    sources = {a["id"]: a.get("population_source") for a in authorities}
    b = na.scale_basis(scale, drivers, sources)
    for c in ("local_driver", "published_value", "national_driver"):
        b[c] = b[c].astype(float).round(0)
    b["carried_factor"] = b["carried_factor"].astype(float).round(6)
    b["scale_factor"] = [float(f"{v:.4g}") for v in b["scale_factor"].astype(float)]
    return b


def published_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison rounded for publication (money to the penny, ratios 2 dp, P 3 dp)."""
    pub = money_columns(comparison, COMPARISON_MONEY)
    pub["bcr"] = pub["bcr"].astype(float).round(RATIO_DIGITS)
    pub["financial_roi"] = pub["financial_roi"].astype(float).round(RATIO_DIGITS)
    pub["mc_prob_npsv_positive"] = pub["mc_prob_npsv_positive"].astype(float).round(PROB_DIGITS)
    pub["payback_year"] = pub["payback_year"].astype("Int64")
    pub["population"] = pub["population"].astype("Int64")
    return pub


def published_scale(scale: pd.DataFrame, sim: na.NationalSimulation) -> pd.DataFrame:
    """``national_scale`` with each council's own national p5/p50/p95, rounded to publish."""
    out = scale.merge(sim.by_council, on="authority", how="left")
    out = money_sig_columns(out, [f"national_{k}" for k in NATIONAL_MONEY])
    out = money_columns(out, ["npsv_central"])
    out["national_driver"] = out["national_driver"].astype(float).round(0)
    return out


def programme_key_figures(
    comparison: pd.DataFrame,
    scale: pd.DataFrame,
    sim: na.NationalSimulation,
    drivers: pd.DataFrame,
    *,
    price_base_year: str,
    vintage: str,
    min_councils: int | None = None,
) -> dict:
    """The programme's key figures (``workflow/schemas/key_figures/costs_programme.schema.yaml``).

    Council money to the penny; national money at full precision (the reports round it to
    :data:`NATIONAL_SIG_FIGS` significant figures).
    """
    comp = comparison
    rng = sim.range.set_index("service_area")
    tot = rng.loc["total"]
    tu = na.take_up(drivers)
    inc = scale[scale["included"] == "yes"]
    exc = scale[scale["included"] == "no"]
    return {
        "councils": len(comp),
        "councils_preferred_bcr_at_least_1": int((comp["bcr"] >= 1).sum()),
        "councils_preferred_npsv_positive": int((comp["npsv"] > 0).sum()),
        "councils_preferred_pays_back": int(comp["payback_year"].notna().sum()),
        "councils_proposal_agrees": int((comp["proposal_agrees"] == "yes").sum()),
        "councils_recommending_bau": int((comp["option_category"] == "bau").sum()),
        "preferred_npsv_total": money_value(comp["npsv"].sum()),
        "preferred_pv_costs_total": money_value(comp["pv_costs"].sum()),
        "price_base_year": str(price_base_year),
        "discount_schedule_vintage": str(vintage),
        "national_low": float(tot["low"]),
        "national_central": float(tot["central"]),
        "national_high": float(tot["high"]),
        "national_mean": float(tot["mean"]),
        "national_method": na.NATIONAL_METHOD,
        "national_min_councils": None if min_councils is None else int(min_councils),
        "national_seed": int(sim.seed),
        "national_draws": int(sim.draws),
        "national_publication_sig_figs": NATIONAL_SIG_FIGS,
        "national_take_up_distribution": na.TAKE_UP_DISTRIBUTION,
        "national_take_up_low": tu["low"],
        "national_take_up_central": tu["central"],
        "national_take_up_high": tu["high"],
        "national_by_service_area": {
            str(area): {
                "low": float(r["low"]),
                "central": float(r["central"]),
                "high": float(r["high"]),
                "mean": float(r["mean"]),
                "driver": str(r["driver"]),
                "method": str(r["method"]),
                "councils": int(r["councils"]),
            }
            for area, r in rng.iterrows()
            if area != "total"
        },
        "national_driver_basis": {str(r.authority): str(r.driver) for r in inc.itertuples()},
        "national_excluded": {str(r.authority): str(r.exclusion_reason) for r in exc.itertuples()},
        "uk_councils": int(na.councils_by_tier(drivers)["councils"].iloc[-1]),
        "by_authority": {
            str(r.authority): {
                "option_id": str(r.option_id),
                "proposed_option_id": str(r.proposed_option_id),
                "proposal_agrees": r.proposal_agrees == "yes",
                "recommendation_reason": str(r.recommendation_reason),
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
    national: pd.DataFrame  # the national range (p5 / p50 / p95), full precision
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
    seed: int,
    draws: int,
    drivers: pd.DataFrame | None = None,
    min_councils: int | None = None,
) -> ProgrammeResults:
    """Compare the councils' preferred ways forward and scale them to the UK.

    ``authorities`` are the config entries of the councils (``id, name, service_area, tier,
    population`` and optionally ``population_source``); ``tables`` holds each council's :data:`COUNCIL_INPUTS` in the same order;
    ``seed`` and ``draws`` set the national Monte Carlo (``draws`` must be the councils'
    number of Monte Carlo draws); a service with ``min_councils`` included councils or more
    takes its range from their appraisals by resampling them
    (:func:`analysis.costs.national.national_monte_carlo`).
    """
    drivers = read_national_drivers() if drivers is None else drivers
    comp = comparison_table(authorities, tables)
    scale = na.national_scale(national_cases(comp, tables, drivers), drivers)
    inc = scale[scale["included"] == "yes"]
    draws_by = {
        str(r.authority): npsv_draws(tables[i]["mc_draws"], r.option_id)
        for i, r in enumerate(scale.itertuples(index=False))
        if r.included == "yes"
    }
    sim = na.national_monte_carlo(
        scale, draws_by, drivers, seed=seed, draws=draws, min_councils=min_councils
    )
    warnings = [
        f"{r.authority}: left out of the national scale ({r.exclusion_reason})"
        for r in scale[scale["included"] == "no"].itertuples(index=False)
    ]
    areas = sorted(set(comp["driver_service_area"]))
    volume_areas = sorted(set(inc.loc[inc["driver"] == na.VOLUME, "service_area"]))
    return ProgrammeResults(
        comparison=comp,
        national=sim.range,
        internal={
            "comparison_internal": comp,
            "scale_internal": scale.merge(sim.by_council, on="authority", how="left"),
            "range_internal": sim.range,
            "draws_internal": pd.DataFrame(
                {"draw": np.arange(sim.draws), "total": sim.total_draws}
            ),
        },
        published={
            "comparison": published_comparison(comp),
            "scale": published_scale(scale, sim),
            "range": money_sig_columns(sim.range, NATIONAL_MONEY),
            "drivers": drivers_used(drivers, volume_areas),
            "assumptions": national_assumptions(drivers, areas),
            "basis": national_basis(scale, drivers, authorities),
        },
        key_figures=programme_key_figures(
            comp,
            scale,
            sim,
            drivers,
            price_base_year=price_base_year,
            vintage=vintage,
            min_councils=min_councils,
        ),
        warnings=warnings,
    )


def programme_figures(result: ProgrammeResults, paths: Mapping) -> None:
    """Draw the comparison and national-range figures to ``paths`` (``fig_comparison``,
    ``fig_national``), each a PNG with its alt text (national money as published)."""
    comp = result.comparison
    figures.options_comparison_figure(
        comp.assign(label=comp["authority_name"]), paths["fig_comparison"]
    )
    national = result.national.assign(
        **{c: money_sig(result.national[c].to_numpy(float)) for c in NATIONAL_MONEY}
    )
    figures.national_range_figure(national, paths["fig_national"], SERVICE_LABELS)
