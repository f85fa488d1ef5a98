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

from analysis.costs.array_model import (
    build_array_model,
    central_value,
    is_multiplier,
    parse_target,
    relevant_inputs,
)
from analysis.costs.inputs import baseline_option_id
from analysis.costs.montecarlo import simulate, summarise
from analysis.costs.sensitivity import one_way_sensitivity, scenarios, switching_values
from analysis.costs.targets import describe_target

#: Columns of :func:`monte_carlo_inputs` (``option_id`` first in the stacked table).
MC_INPUT_COLUMNS = ["parameter", "target", "scope", "distribution", "low", "central", "high",
                    "is_multiplier", "source", "source_description"]  # fmt: skip


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


def monte_carlo_inputs(
    model, uncertainty: pd.DataFrame, costs: pd.DataFrame, benefits: pd.DataFrame,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Every uncertain input that moves the option's NPSV, as the Monte Carlo samples it.

    One row per relevant row of ``uncertainty.csv`` (the option's own, BAU's and the
    parameters'): ``parameter, target, scope`` (what it varies, in words:
    :func:`analysis.costs.targets.describe_target`), ``distribution, low, central, high``
    (``central`` is the input the mode or mean sits on; 1 for a multiplier),
    ``is_multiplier`` (yes/no), ``source`` and its description from the Sources sheet
    (``sources``: ``source_id, description``; empty when not given or not found). Inputs are
    sampled independently: ``uncertainty.csv`` declares no correlations.
    """
    desc = {}
    if sources is not None and len(sources):
        desc = dict(zip(sources["source_id"].astype(str), sources["description"].astype(str),
                        strict=False))  # fmt: skip
    rows = []
    for r in relevant_inputs(model, uncertainty).itertuples(index=False):
        mult = is_multiplier(r.parameter)
        rows.append(
            {
                "parameter": str(r.parameter),
                "target": str(r.target),
                "scope": describe_target(r.target, costs, benefits),
                "distribution": str(r.distribution).strip().lower(),
                "low": float(r.low),
                "central": central_value(model, r.target, mult),
                "high": float(r.high),
                "is_multiplier": "yes" if mult else "no",
                "source": str(r.source),
                "source_description": desc.get(str(r.source), ""),
            }
        )
    return pd.DataFrame(rows, columns=MC_INPUT_COLUMNS)


def _with_scope(df: pd.DataFrame, costs: pd.DataFrame, benefits: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``scope`` (what each target varies, in words) after ``target``."""
    out = df.copy()
    scope = [describe_target(t, costs, benefits) for t in out["target"].astype(str)]
    out.insert(list(out.columns).index("target") + 1, "scope", scope)
    return out


@dataclass
class OptionAnalyses:
    """Full-precision tables of :func:`analyse_options` and what to log about them."""

    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    switching: pd.DataFrame
    mc_summary: pd.DataFrame
    mc_draws: pd.DataFrame  # every simulated option's draws, ``option_id`` first
    mc_inputs: pd.DataFrame  # every simulated option's uncertain inputs (monte_carlo_inputs)
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
    sources: pd.DataFrame | None = None,
) -> OptionAnalyses:
    """Sensitivity, scenarios, switching values and Monte Carlo for every non-BAU option.

    Tables are stacked over options with ``option_id`` as their first column. The Monte
    Carlo summary has ``option_id, uncertain_inputs`` (the rows of ``uncertainty.csv`` that
    can move the option's NPSV: its own, BAU's and the parameters) before the summary columns.
    The tornado and switching tables say what each input varies (``scope``), and
    ``mc_inputs`` lists each simulated option's inputs with their distribution, range and
    source (:func:`monte_carlo_inputs`; ``sources`` is the Sources sheet).
    """
    bau = baseline_option_id(options)
    frames = {k: [] for k in ("tornado", "scenarios", "switching", "mc", "draws", "inputs")}
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
            inputs = monte_carlo_inputs(model, uncertainty, costs, benefits, sources)
            frames["inputs"].append(inputs.assign(option_id=oid))
        notes.append(
            f"option {oid}: {count_inputs(uncertainty, {oid})} uncertain inputs of its own"
        )
    notes.append(f"Monte Carlo: {int(draws)} draws, seed {int(seed)}, every option but '{bau}'")
    tornado = pd.concat(frames["tornado"], ignore_index=True)
    switching = pd.concat(frames["switching"], ignore_index=True)
    return OptionAnalyses(
        tornado=_option_first(_with_scope(tornado, costs, benefits)),
        scenarios=_option_first(pd.concat(frames["scenarios"], ignore_index=True)),
        switching=_option_first(_with_scope(switching, costs, benefits)),
        mc_summary=pd.concat(frames["mc"], ignore_index=True),
        mc_draws=_option_first(pd.concat(frames["draws"], ignore_index=True)),
        mc_inputs=_option_first(pd.concat(frames["inputs"], ignore_index=True)),
        notes=notes,
    )
