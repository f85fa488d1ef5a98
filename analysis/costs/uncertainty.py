"""Every option's uncertainty analyses in one call: tornado, scenarios, switching values, Monte Carlo.

Every option other than business as usual gets the deterministic analyses
(:mod:`analysis.costs.sensitivity`) and the Monte Carlo (:mod:`analysis.costs.montecarlo`):
any of them can be the preferred way forward (:mod:`analysis.costs.decision`, applied to the
appraisal results), and the programme's national Monte Carlo needs the draws of whichever is
chosen (:func:`runs_monte_carlo`; vectorised, so this is cheap). Every option's draws are kept,
with its ``option_id``. An option with no uncertain input that can move its NPSV (none of its
own, BAU's or the parameters') gets draws that all equal its central NPSV; the summary's
``uncertain_inputs`` column says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.costs.array_model import build_array_model, parse_target
from analysis.costs.inputs import baseline_option_id
from analysis.costs.montecarlo import simulate, summarise
from analysis.costs.sensitivity import one_way_sensitivity, scenarios, switching_values


def count_inputs(uncertainty: pd.DataFrame, option_ids) -> int:
    """Rows of ``uncertainty.csv`` whose target names one of ``option_ids``.

    ``None`` among ``option_ids`` counts the programme parameters (``parameters:...``
    targets, such as optimism-bias mitigation), which name no option.
    """
    parsed = [parse_target(t) for t in uncertainty["target"].astype(str)]
    return sum(1 for _table, opt, _item, _field in parsed if opt in option_ids)


def runs_monte_carlo(option_id: str, baseline_option_id: str) -> bool:
    """The Monte Carlo rule: every option that the decision rule can choose, i.e. all but BAU."""
    return str(option_id) != str(baseline_option_id)


def _option_first(df: pd.DataFrame) -> pd.DataFrame:
    return df[["option_id", *[c for c in df.columns if c != "option_id"]]]


@dataclass
class OptionAnalyses:
    """Full-precision tables of :func:`analyse_options` and what to log about them."""

    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    switching: pd.DataFrame
    mc_summary: pd.DataFrame
    mc_draws: pd.DataFrame  # every simulated option's draws, ``option_id`` first
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
    bau = baseline_option_id(options)
    frames = {k: [] for k in ("tornado", "scenarios", "switching", "mc", "draws")}
    notes = []
    for oid in options["option_id"].astype(str):
        if oid == bau:
            continue
        model = build_array_model(parameters, options, costs, benefits, oid, vintage=vintage)
        frames["tornado"].append(one_way_sensitivity(model, uncertainty).assign(option_id=oid))
        frames["scenarios"].append(scenarios(model, uncertainty).assign(option_id=oid))
        frames["switching"].append(switching_values(model, uncertainty).assign(option_id=oid))
        if runs_monte_carlo(oid, bau):
            sim = simulate(model, uncertainty, draws=int(draws), seed=int(seed))
            summary = summarise(sim)
            summary.insert(0, "uncertain_inputs", count_inputs(uncertainty, {oid, bau, None}))
            summary.insert(0, "option_id", oid)
            frames["mc"].append(summary)
            frames["draws"].append(sim.assign(option_id=oid))
        notes.append(
            f"option {oid}: {count_inputs(uncertainty, {oid})} uncertain inputs of its own"
        )
    notes.append(f"Monte Carlo: {int(draws)} draws, seed {int(seed)}, every option but '{bau}'")
    return OptionAnalyses(
        tornado=_option_first(pd.concat(frames["tornado"], ignore_index=True)),
        scenarios=_option_first(pd.concat(frames["scenarios"], ignore_index=True)),
        switching=_option_first(pd.concat(frames["switching"], ignore_index=True)),
        mc_summary=pd.concat(frames["mc"], ignore_index=True),
        mc_draws=_option_first(pd.concat(frames["draws"], ignore_index=True)),
        notes=notes,
    )
