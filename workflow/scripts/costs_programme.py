"""Programme level: compare the councils' preferred options and scale the opportunity to the UK.

Thin adapter over :mod:`analysis.costs.national` (``match_service_area``, ``national_scale``,
``national_range``, ``councils_by_tier``) and :mod:`analysis.costs.figures`. The national
extrapolation uses each case study's low / central / high scenario NPSV of its preferred option
(full precision, from internal/) per resident of the council, times the population of the
nations whose councils deliver that service, times take-up. The service-volume method of
:func:`analysis.costs.national.national_scale` is not used: the cost workbook carries no local figure
measured the way the national service-volume driver is (see docs/outputs/costs.md).
"""

import logging

import numpy as np
import pandas as pd

from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_csv, run_script, write_csv, write_yaml
from analysis.costs import figures as cost_figures
from analysis.costs import national as na
from analysis.costs.publish import (
    PROB_DIGITS,
    RATIO_DIGITS,
    money,
    money_value,
    preferred_option_id,
    ratio_value,
    read_ingested,
    scalar,
    year_value,
)

log = logging.getLogger("pipeline")

SERVICE_LABELS = {
    "adult_social_care": "Adult social care",
    "childrens_services": "Children's services",
    "domestic_abuse": "Domestic abuse",
    "fly_tipping": "Fly-tipping",
    "total": "Total",
}


def comparison_table(smk) -> pd.DataFrame:
    """One row per council: its preferred option's results (full precision)."""
    rows = []
    for i, a in enumerate(smk.params.authorities):
        options = read_ingested(smk.input.options[i])
        pref = preferred_option_id(options)
        res = read_csv(smk.input.results[i])
        r = res[res["option_id"].astype(str) == pref].iloc[0]
        scen = read_csv(smk.input.scenarios[i])
        scen = scen[scen["option_id"].astype(str) == pref].set_index("scenario")
        mcs = read_csv(smk.input.mc_summary[i])
        m = mcs[(mcs["option_id"].astype(str) == pref) & (mcs["metric"] == "npsv")].iloc[0]
        population = a.get("population")
        rows.append(
            {
                "authority": a["id"],
                "authority_name": a["name"],
                "service_area": a["service_area"],
                "driver_service_area": na.match_service_area(a["service_area"]),
                "tier": a.get("tier"),
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
        )
    return pd.DataFrame(rows)


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    comp = comparison_table(smk)
    drivers = na.read_national_drivers()
    cases = pd.DataFrame(
        {
            "authority": comp["authority"],
            "service_area": comp["driver_service_area"],
            "npsv_low": comp["npsv_low"],
            "npsv_central": comp["npsv_central"],
            "npsv_high": comp["npsv_high"],
            "local_population": comp["population"],
        }
    )
    if cases["local_population"].isna().any():
        log.warning("a council has no population in config: it is left out of the national scale")
    scale = na.national_scale(cases, drivers)
    rng = na.national_range(scale)
    write_csv(comp, smk.output.comparison_internal)
    write_csv(scale, smk.output.scale_internal)
    write_csv(rng, smk.output.range_internal)

    money_cols = ["pv_costs", "pv_benefits", "npsv", "net_present_budget_impact"]
    money_cols += ["npsv_low", "npsv_central", "npsv_high", "mc_p5", "mc_p50", "mc_p95"]
    pub = money(comp, money_cols)
    pub["bcr"] = pub["bcr"].round(RATIO_DIGITS)
    pub["financial_roi"] = pub["financial_roi"].round(RATIO_DIGITS)
    pub["mc_prob_npsv_positive"] = pub["mc_prob_npsv_positive"].round(PROB_DIGITS)
    pub["payback_year"] = pub["payback_year"].astype("Int64")
    pub["population"] = pub["population"].astype("Int64")
    write_published_csv(pub, smk.output.comparison, [], rule)
    # national figures are rounded to the penny like every published money value
    write_published_csv(money(scale, ["npsv_case", "national_npsv"]), smk.output.scale, [], rule)
    write_published_csv(money(rng, ["low", "central", "high"]), smk.output.range, [], rule)
    used = drivers[
        drivers["kind"].isin(["population", "assumption"])
        | drivers["driver_id"].str.startswith("councils_")
    ]
    cols = ["driver_id", "kind", "nation", "tier", "value", "unit", "year", "confidence"]
    write_published_csv(used[cols + ["source", "note"]], smk.output.drivers, [], rule)

    fig = comp.assign(label=comp["authority_name"])
    cost_figures.options_comparison_figure(fig, smk.output.fig_comparison)
    cost_figures.national_range_figure(rng, smk.output.fig_national, SERVICE_LABELS)

    tot = rng[rng["service_area"] == "total"].iloc[0]
    tu = na.take_up(drivers)
    write_yaml(
        {
            "councils": len(comp),
            "councils_preferred_bcr_at_least_1": int((comp["bcr"] >= 1).sum()),
            "councils_preferred_npsv_positive": int((comp["npsv"] > 0).sum()),
            "councils_preferred_pays_back": int(comp["payback_year"].notna().sum()),
            "preferred_npsv_total": money_value(comp["npsv"].sum()),
            "preferred_pv_costs_total": money_value(comp["pv_costs"].sum()),
            "price_base_year": str(smk.params.price_base_year),
            "discount_schedule_vintage": str(smk.params.vintage),
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
                for r in rng.itertuples(index=False)
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
        },
        smk.output.key_figures,
    )
    log.info("programme: %d councils compared; national range written", len(comp))


run_script(snakemake, main)
