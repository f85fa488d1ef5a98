"""Every option's uncertainty analyses in one call: tornado, scenarios, switching values, Monte Carlo.

Every option other than business as usual gets the deterministic analyses
(:mod:`analysis.costs.sensitivity`). The Monte Carlo (:mod:`analysis.costs.montecarlo`) runs
for the preferred option always and for any other option with at least one uncertain input of
its own (:func:`runs_monte_carlo`; vectorised, so this is cheap). The preferred option's draws
are kept for the distribution figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.costs.array_model import build_array_model, parse_target
from analysis.costs.inputs import baseline_option_id, preferred_option_id
from analysis.costs.montecarlo import simulate, summarise
from analysis.costs.sensitivity import one_way_sensitivity, scenarios, switching_values


def count_inputs(uncertainty: pd.DataFrame, option_ids) -> int:
    """Rows of ``uncertainty.csv`` whose target names one of ``option_ids``.

    ``None`` among ``option_ids`` counts the programme parameters (``parameters:...``
    targets, such as optimism-bias mitigation), which name no option.
    """
    parsed = [parse_target(t) for t in uncertainty["target"].astype(str)]
    return sum(1 for _table, opt, _item, _field in parsed if opt in option_ids)


def runs_monte_carlo(option_id: str, preferred: str, uncertainty: pd.DataFrame) -> bool:
    """The Monte Carlo rule: the preferred option, and any option with inputs of its own."""
    return option_id == preferred or count_inputs(uncertainty, {option_id}) > 0


def _option_first(df: pd.DataFrame) -> pd.DataFrame:
    return df[["option_id", *[c for c in df.columns if c != "option_id"]]]


@dataclass
class OptionAnalyses:
    """Full-precision tables of :func:`analyse_options` and what to log about them."""

    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    switching: pd.DataFrame
    mc_summary: pd.DataFrame
    mc_draws: pd.DataFrame  # the preferred option's draws
    notes: list[str] = field(default_factory=list)


def analyse_options(
    parameters: pd.DataFrame | dict,
    options: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    uncertainty: pd.DataFrame,
    *,
    vintage: str | None = None,
    draws: int = 10_000,
    seed: int = 20260401,
) -> OptionAnalyses:
    """Sensitivity, scenarios, switching values and Monte Carlo for every non-BAU option.

    Tables are stacked over options with ``option_id`` as their first column. The Monte
    Carlo summary has ``option_id, uncertain_inputs`` (the rows of ``uncertainty.csv`` that
    can move the option's NPSV: its own, BAU's and the parameters) before the summary columns.
    """
    preferred = preferred_option_id(options)
    bau = baseline_option_id(options)
    frames = {k: [] for k in ("tornado", "scenarios", "switching", "mc")}
    draws_out = None
    notes = []
    for oid in options["option_id"].astype(str):
        if oid == bau:
            continue
        model = build_array_model(parameters, options, costs, benefits, oid, vintage=vintage)
        frames["tornado"].append(one_way_sensitivity(model, uncertainty).assign(option_id=oid))
        frames["scenarios"].append(scenarios(model, uncertainty).assign(option_id=oid))
        frames["switching"].append(switching_values(model, uncertainty).assign(option_id=oid))
        if runs_monte_carlo(oid, preferred, uncertainty):
            sim = simulate(model, uncertainty, draws=int(draws), seed=int(seed))
            summary = summarise(sim)
            summary.insert(0, "uncertain_inputs", count_inputs(uncertainty, {oid, bau, None}))
            summary.insert(0, "option_id", oid)
            frames["mc"].append(summary)
            if oid == preferred:
                draws_out = sim.assign(option_id=oid)
        notes.append(
            f"option {oid}: {count_inputs(uncertainty, {oid})} uncertain inputs of its own"
        )
    notes.append(
        f"Monte Carlo: {int(draws)} draws, seed {int(seed)}, preferred option '{preferred}'"
    )
    return OptionAnalyses(
        tornado=_option_first(pd.concat(frames["tornado"], ignore_index=True)),
        scenarios=_option_first(pd.concat(frames["scenarios"], ignore_index=True)),
        switching=_option_first(pd.concat(frames["switching"], ignore_index=True)),
        mc_summary=pd.concat(frames["mc"], ignore_index=True),
        mc_draws=_option_first(draws_out),
        notes=notes,
    )
