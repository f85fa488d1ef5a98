"""One option against business as usual compiled to arrays, evaluated for many input draws at once.

The sensitivity analyses (:mod:`analysis.costs.sensitivity`) and the Monte Carlo
(:mod:`analysis.costs.montecarlo`) change one or many inputs and need the NPSV again, often
10,000 times. :func:`build_array_model` does the table work once (real terms, grades, the
outcome chain's inputs, discount factors); :func:`evaluate` then computes PV costs, PV benefits
and NPSV on arrays of shape (draws, years), with the same rules as the tabular appraisal
(:mod:`analysis.costs.results`; a test checks the two agree).

Uncertain inputs are named by a *target* (:mod:`analysis.costs.targets`):
``benefits:<option>:<outcome>:<field>``, ``costs:<option>:<line>:amount``,
``costs:<option>:type=<capital|staff|revenue>:amount`` (every line of that type),
``benefits:<option>:<outcome>+<outcome>:<field>`` (one input shared by several outcome lines)
or ``parameters:optimism_bias_mitigation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.costs.benefits import (
    BENEFIT_FIELDS,
    outcome_profile,
    prepare_benefits,
    successful_outcomes,
)
from analysis.costs.discounting import discount_factors
from analysis.costs.inputs import as_parameters, baseline_option_id, check_option_ids
from analysis.costs.optimism_bias import applied_uplift, hmt_uplift, hmt_upper_bound
from analysis.costs.reference import read_optimism_bias
from analysis.costs.results import prepare_costs
from analysis.costs.targets import cost_group, outcome_ids, parse_target


@dataclass
class ArrayModel:
    """An option and BAU compiled to arrays; ``evaluate`` runs it for many input draws."""

    option_id: str
    baseline_option_id: str
    factors: np.ndarray  # (years,)
    line_keys: list  # (option_id, line_id)
    line_types: list  # cost_type of each line (capital, staff, revenue)
    line_sign: np.ndarray  # +1 option, -1 BAU
    line_amounts: np.ndarray  # (lines, years) real base-year £ before optimism bias
    line_hmt_upper: np.ndarray  # HMT upper bound that applies to the line (0 if none)
    line_grade_uplift: np.ndarray
    mitigation: float
    outcome_keys: list  # (option_id, outcome_id)
    outcome_sign: np.ndarray
    outcome_fields: dict  # field -> (outcomes,) central values (values in their price year)
    outcome_scale: np.ndarray  # uprate x (1 - benefit reduction)

    @property
    def n_years(self) -> int:
        return self.factors.size


def build_array_model(
    parameters: pd.DataFrame | dict,
    options: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    option_id: str,
    *,
    deflators: pd.DataFrame | None = None,
    optimism_bias: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
    discount_schedules: pd.DataFrame | None = None,
    vintage: str | None = None,
) -> ArrayModel:
    """Compile ``option_id`` and the BAU option to arrays for :func:`evaluate`."""
    params = as_parameters(parameters)
    n = int(params["appraisal_years"])
    factors = discount_factors(
        n, str(params.get("discount_schedule", "standard")), vintage, discount_schedules
    )
    bau = baseline_option_id(options)
    check_option_ids(options, costs, benefits)
    if str(option_id) not in set(options["option_id"].astype(str)):
        raise ValueError("option_id is not in options.csv")
    ob = read_optimism_bias() if optimism_bias is None else optimism_bias
    wanted = [str(option_id), bau] if str(option_id) != bau else [bau]
    pc = prepare_costs(costs, params, deflators, ob, confidence_grades)
    pc = pc[pc["option_id"].astype(str).isin(wanted)]
    keys = list(dict.fromkeys(zip(pc["option_id"].astype(str), pc["line_id"].astype(str))))
    amounts = np.zeros((len(keys), n))
    pos = {k: i for i, k in enumerate(keys)}
    rows = [pos[(str(o), str(li))] for o, li in zip(pc["option_id"], pc["line_id"])]
    np.add.at(amounts, (np.asarray(rows, dtype=int), pc["year"].to_numpy(int)), pc["amount_real"])
    first = pc.drop_duplicates(["option_id", "line_id"])
    line_type = {
        (str(o), str(li)): str(t)
        for o, li, t in zip(first["option_id"], first["line_id"], first["cost_type"])
    }
    line_grade = {
        (str(o), str(li)): float(g)
        for o, li, g in zip(first["option_id"], first["line_id"], first["grade_uplift"])
    }
    category = params["optimism_bias_category"]
    cap_upper = hmt_upper_bound(category, "capital_expenditure", ob)
    op_upper = hmt_upper_bound(category, "operating_expenditure", ob)
    hmt_upper = np.array([cap_upper if line_type[k] == "capital" else op_upper for k in keys])
    grade_up = np.array([line_grade[k] for k in keys])
    sign_c = np.array([1.0 if k[0] == str(option_id) else -1.0 for k in keys])
    if str(option_id) == bau:
        sign_c = np.zeros(len(keys))

    pb = prepare_benefits(benefits, params, deflators, confidence_grades)
    pb = pb[pb["option_id"].astype(str).isin(wanted)]
    okeys = list(zip(pb["option_id"].astype(str), pb["outcome_id"].astype(str)))
    sign_b = np.array([1.0 if k[0] == str(option_id) else -1.0 for k in okeys])
    if str(option_id) == bau:
        sign_b = np.zeros(len(okeys))
    fields_ = {f: pb[f].astype(float).to_numpy() for f in BENEFIT_FIELDS}
    scale = (pb["uprate_factor"] * (1.0 - pb["benefit_reduction"])).to_numpy()
    return ArrayModel(
        str(option_id),
        bau,
        factors,
        keys,
        [line_type[k] for k in keys],
        sign_c,
        amounts,
        hmt_upper,
        grade_up,
        float(params["optimism_bias_mitigation"]),
        okeys,
        sign_b,
        fields_,
        scale,
    )


def evaluate(model: ArrayModel, overrides: dict | None = None, draws: int = 1) -> dict:
    """Incremental PV costs, PV benefits and NPSV of the option for each draw.

    ``overrides`` maps a target (see :func:`parse_target`) to ``(values, is_multiplier)``;
    ``values`` is a scalar or an array of shape (draws,). A multiplier scales the central input
    (a cost-group target: every line of its type in its option; a line hit by its own and its
    group's multiplier gets their product); otherwise the value replaces it (for a cost
    ``amount``: real base-year £ in every year in which the line has a cost). Returns arrays of shape (draws,) under ``pv_costs,
    pv_benefits, npsv`` and (draws, years) under ``costs, benefits`` (incremental flows).
    Everything is vectorised over draws; loops run only over the few outcomes and cost lines.
    """
    overrides = overrides or {}
    n = model.n_years
    line_mult = {}
    line_repl = {}
    out_over: dict[tuple, dict] = {}
    mitigation = model.mitigation  # a scalar unless it is itself uncertain
    for target, (values, is_mult) in overrides.items():
        table, opt, item, fld = parse_target(target)
        vals = np.broadcast_to(np.asarray(values, dtype=float), (draws,))
        if table == "parameters":
            mitigation = mitigation * vals if is_mult else vals
            continue
        key = (opt, item)
        if table == "costs":
            for i in _line_indices(model, opt, item):
                if is_mult:  # a line's own multiplier and its group's compose
                    line_mult[i] = line_mult[i] * vals if i in line_mult else vals
                elif cost_group(item) is not None:
                    raise ValueError("uncertainty.csv: a cost-group target takes a multiplier")
                else:
                    line_repl[i] = vals
        else:  # one outcome line, or several that share the input ("O1+O1b")
            for outcome in outcome_ids(item):
                if (opt, outcome) not in model.outcome_keys:
                    raise ValueError("uncertainty.csv: a benefits target names no outcome")
                out_over.setdefault((opt, outcome), {})[fld] = (vals, is_mult)

    # Inputs that do not vary between draws add to a (years,) vector once; only the varying
    # parts are built as (draws, years) arrays (an outer product, or the outcome profile when
    # lag, duration or drop-off vary).
    fixed_costs = np.zeros(n)
    var_costs = np.zeros((draws, n))
    for i in range(len(model.line_keys)):
        sign = model.line_sign[i]
        if sign == 0:
            continue
        base = model.line_amounts[i]
        uplift = applied_uplift(
            hmt_uplift(model.line_hmt_upper[i], mitigation), model.line_grade_uplift[i]
        )
        if i in line_repl:
            base = np.where(base != 0, 1.0, 0.0)
            scale = line_repl[i] * (1.0 + uplift)
        else:
            scale = 1.0 + uplift
        if i in line_mult:
            scale = scale * line_mult[i]
        if np.ndim(scale) == 0:
            fixed_costs += sign * scale * base
        else:
            var_costs += np.multiply.outer(sign * np.asarray(scale, dtype=float), base)

    fixed_benefits = np.zeros(n)
    var_benefits = np.zeros((draws, n))
    for k, key in enumerate(model.outcome_keys):
        sign = model.outcome_sign[k]
        if sign == 0:
            continue
        f = {name: model.outcome_fields[name][k] for name in BENEFIT_FIELDS}
        for name, (vals, is_mult) in out_over.get(key, {}).items():
            f[name] = f[name] * vals if is_mult else vals
        succ = successful_outcomes(
            f["cohort"], f["engagement_rate"], f["success_rate"], f["deadweight"]
        )
        unit = (f["fiscal_value"] + f["economic_value"] + f["social_value"]) * model.outcome_scale[
            k
        ]
        prof = outcome_profile(f["lag_years"], f["duration_years"], f["drop_off"], n)
        level = sign * succ * unit
        if prof.ndim == 2:
            var_benefits += np.broadcast_to(level, (draws,))[:, None] * prof
        elif np.ndim(level) == 1:
            var_benefits += np.multiply.outer(level, prof)
        else:
            fixed_benefits += level * prof

    pvc = var_costs @ model.factors + fixed_costs @ model.factors
    pvb = var_benefits @ model.factors + fixed_benefits @ model.factors
    var_costs += fixed_costs
    var_benefits += fixed_benefits
    return {
        "pv_costs": pvc,
        "pv_benefits": pvb,
        "npsv": pvb - pvc,
        "costs": var_costs,
        "benefits": var_benefits,
    }


def _line_indices(model: ArrayModel, opt: str, item: str) -> list[int]:
    """Indices of the cost lines a costs target scales: its one line, or every line of its
    cost type in its option (:func:`analysis.costs.targets.cost_group`)."""
    kind = cost_group(item)
    if kind is None:
        if (opt, item) not in model.line_keys:
            raise ValueError("uncertainty.csv: a costs target names no cost line")
        return [model.line_keys.index((opt, item))]
    hits = [i for i, k in enumerate(model.line_keys) if k[0] == opt and model.line_types[i] == kind]
    if not hits:
        raise ValueError("uncertainty.csv: a cost-group target names no cost line of its type")
    return hits


def central_value(model: ArrayModel, target: str, is_multiplier: bool) -> float:
    """The central (input) value of a target; 1 for a multiplier."""
    if is_multiplier:
        return 1.0
    table, opt, item, fld = parse_target(target)
    if table == "parameters":
        return model.mitigation
    if table == "costs" and cost_group(item) is not None:
        raise ValueError("uncertainty.csv: a cost-group target takes a multiplier")
    if table == "costs":
        row = model.line_amounts[model.line_keys.index((opt, item))]
        nz = row[row != 0]
        if nz.size and not np.allclose(nz, nz[0]):
            raise ValueError("a costs amount target without _multiplier needs a flat amount")
        return float(nz[0]) if nz.size else 0.0
    values = {
        float(model.outcome_fields[fld][model.outcome_keys.index((opt, o))])
        for o in outcome_ids(item)
    }
    if len(values) != 1:
        raise ValueError(
            "uncertainty.csv: the outcomes of a shared benefits target need the same central "
            "value (or use a multiplier)"
        )
    return values.pop()


def is_multiplier(parameter: str) -> bool:
    """True when the parameter's name ends in the word "multiplier".

    The data contract names multipliers ``*_multiplier``; the cost workbooks people fill in
    label them in words ("Capital cost multiplier"), so spaces, hyphens and underscores all
    count as word breaks and case is ignored.
    """
    words = re.split(r"[\s_\-]+", str(parameter).strip().lower())
    return words[-1] == "multiplier"


def relevant_inputs(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``uncertainty.csv`` that can move this model's NPSV.

    Targets of the model's option or of business as usual, and ``parameters:`` targets;
    inputs of the other options are dropped.
    """
    keep = []
    for t in uncertainty["target"].astype(str):
        table, opt, _item, _f = parse_target(t)
        keep.append(table == "parameters" or opt in (model.option_id, model.baseline_option_id))
    return uncertainty[np.asarray(keep, dtype=bool)].reset_index(drop=True)
