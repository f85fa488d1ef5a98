"""One-way sensitivity, scenarios, switching values and a seeded Monte Carlo for each option.

Thin adapter over :mod:`analysis.costs.appraisal` (``build_array_model``, ``one_way_sensitivity``,
``scenarios``, ``switching_values``) and :mod:`analysis.costs.montecarlo`. Every option other than
business as usual gets the deterministic analyses; the Monte Carlo runs for the preferred option
always and for any other option with at least one uncertain input of its own (vectorised, so
this is cheap). The preferred option's draws are kept for the distribution figure.
"""

import logging

import pandas as pd

from analysis.core.io import run_script, write_csv
from analysis.costs import appraisal as ap
from analysis.costs import montecarlo as mc
from analysis.costs.publish import baseline_option_id, preferred_option_id, read_ingested

log = logging.getLogger("pipeline")


def _count_inputs(uncertainty, option_ids) -> int:
    """Rows of ``uncertainty.csv`` whose target names one of ``option_ids`` (or, when
    ``None`` is among them, a programme parameter such as optimism-bias mitigation)."""
    parsed = [ap.parse_target(t) for t in uncertainty["target"].astype(str)]
    return sum(1 for table, opt, _i, _f in parsed if opt in option_ids)


def main(smk):
    names = ("parameters", "options", "costs", "benefits", "uncertainty")
    t = {k: read_ingested(smk.input[k]) for k in names}
    unc = t["uncertainty"]
    preferred = preferred_option_id(t["options"])
    bau = baseline_option_id(t["options"])
    frames = {k: [] for k in ("tornado", "scenarios", "switching", "mc")}
    draws_out = None
    for oid in t["options"]["option_id"].astype(str):
        if oid == bau:
            continue
        model = ap.build_array_model(
            t["parameters"],
            t["options"],
            t["costs"],
            t["benefits"],
            oid,
            vintage=smk.params.vintage,
        )
        frames["tornado"].append(ap.one_way_sensitivity(model, unc).assign(option_id=oid))
        frames["scenarios"].append(ap.scenarios(model, unc).assign(option_id=oid))
        frames["switching"].append(ap.switching_values(model, unc).assign(option_id=oid))
        n_own = _count_inputs(unc, {oid})
        if oid == preferred or n_own > 0:
            sim = mc.simulate(model, unc, draws=int(smk.params.draws), seed=int(smk.params.seed))
            summary = mc.summarise(sim)
            summary.insert(0, "uncertain_inputs", _count_inputs(unc, {oid, bau, None}))
            summary.insert(0, "option_id", oid)
            frames["mc"].append(summary)
            if oid == preferred:
                draws_out = sim.assign(option_id=oid)
        log.info("option %s: %d uncertain inputs of its own", oid, n_own)

    def first(df):
        return df[["option_id", *[c for c in df.columns if c != "option_id"]]]

    write_csv(first(pd.concat(frames["tornado"], ignore_index=True)), smk.output.tornado)
    write_csv(first(pd.concat(frames["scenarios"], ignore_index=True)), smk.output.scenarios)
    write_csv(first(pd.concat(frames["switching"], ignore_index=True)), smk.output.switching)
    write_csv(pd.concat(frames["mc"], ignore_index=True), smk.output.mc_summary)
    write_csv(first(draws_out), smk.output.mc_draws)
    log.info(
        "Monte Carlo: %d draws, seed %d, preferred option '%s'",
        int(smk.params.draws),
        int(smk.params.seed),
        preferred,
    )


run_script(snakemake, main)
