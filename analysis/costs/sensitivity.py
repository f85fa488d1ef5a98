"""Sensitivity of an option's NPSV: one-way (tornado), low/central/high scenarios, switching values.

The Green Book asks for sensitivity analysis of the key inputs and for switching values, the
value of an input at which the option stops being worth doing (NPSV = 0)
(``docs/reference/appraisal.md``, "Results and value for money"). The ranges come from the
council's ``uncertainty.csv``; every analysis runs on the array model
(:mod:`analysis.costs.array_model`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.costs.array_model import (
    ArrayModel,
    central_value,
    evaluate,
    is_multiplier,
    parse_target,
    relevant_inputs,
)
from analysis.costs.results import value_for_money_category

#: Inputs on which NPSV depends linearly (one at a time): switching values solved analytically.
LINEAR_FIELDS = frozenset(
    {
        "cohort",
        "engagement_rate",
        "success_rate",
        "deadweight",
        "fiscal_value",
        "economic_value",
        "social_value",
        "amount",
    }
)


def one_way_sensitivity(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Tornado data: NPSV with each input at its low and its high value, the rest central.

    Columns ``parameter, target, low, central, high, npsv_low, npsv_central, npsv_high,
    swing`` sorted by swing (largest first; ties by target). Only targets of the model's option
    and BAU (and ``parameters:``) are used.
    """
    unc = relevant_inputs(model, uncertainty)
    central = float(evaluate(model)["npsv"][0])
    rows = []
    for r in unc.itertuples(index=False):
        mult = is_multiplier(r.parameter)
        vals = np.array([float(r.low), float(r.high)])
        npsv = evaluate(model, {r.target: (vals, mult)}, draws=2)["npsv"]
        rows.append(
            {
                "parameter": str(r.parameter),
                "target": str(r.target),
                "low": float(r.low),
                "central": central_value(model, r.target, mult),
                "high": float(r.high),
                "npsv_low": float(npsv[0]),
                "npsv_central": central,
                "npsv_high": float(npsv[1]),
                "swing": float(abs(npsv[1] - npsv[0])),
            }
        )
    cols = ["parameter", "target", "low", "central", "high"]
    cols += ["npsv_low", "npsv_central", "npsv_high", "swing"]
    out = pd.DataFrame(rows, columns=cols)
    out["_neg"] = -out["swing"]
    return (
        out.sort_values(["_neg", "target"], kind="stable")
        .drop(columns="_neg")
        .reset_index(drop=True)
    )


def scenarios(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Low / central / high scenarios.

    The low scenario puts every input at whichever bound (low or high) gives the lower NPSV in
    the one-way analysis, the high scenario at the other; so "low" is the pessimistic case even
    for cost inputs, where the pessimistic bound is the high one. Columns ``scenario, pv_costs,
    pv_benefits, npsv, bcr, vfm_category``.
    """
    tor = one_way_sensitivity(model, uncertainty)
    rows = []
    for name in ("low", "central", "high"):
        over = {}
        if name != "central":
            for r in tor.itertuples(index=False):
                worse_is_low = r.npsv_low <= r.npsv_high
                pick_low = worse_is_low if name == "low" else not worse_is_low
                over[r.target] = (r.low if pick_low else r.high, is_multiplier(r.parameter))
        res = evaluate(model, over)
        pvc, pvb = float(res["pv_costs"][0]), float(res["pv_benefits"][0])
        bcr = pvb / pvc if pvc > 0 else np.nan
        rows.append(
            {
                "scenario": name,
                "pv_costs": pvc,
                "pv_benefits": pvb,
                "npsv": pvb - pvc,
                "bcr": bcr,
                "vfm_category": value_for_money_category(bcr),
            }
        )
    return pd.DataFrame(rows)


#: Columns of :func:`switching_values`.
SWITCHING_COLUMNS = ["parameter", "target", "central", "switching_value", "change_pct", "method",
                     "npsv_central", "admissible_low", "admissible_high"]  # fmt: skip

_DOMAINS = {
    "engagement_rate": (0.0, 1.0),
    "success_rate": (0.0, 1.0),
    "deadweight": (0.0, 1.0),
    "drop_off": (0.0, 1.0),
    "cashable_share": (0.0, 1.0),
    "optimism_bias_mitigation": (0.0, 1.0),
    "lag_years": (0.0, 50.0),
    "duration_years": (0.0, 50.0),
}


def switching_values(model: ArrayModel, uncertainty: pd.DataFrame) -> pd.DataFrame:
    """Value of each input at which the option's NPSV is 0 (the others held central).

    Inputs on which NPSV is linear (``LINEAR_FIELDS`` and multipliers) are solved exactly from
    two evaluations: NPSV(x) = a + b x gives x* = -a / b. Others are found with
    ``scipy.optimize.brentq`` on the input's admissible range. Where NPSV does not reach 0
    for any admissible value (fractions in [0, 1], counts, values, amounts and multipliers
    >= 0) the switching value is missing and ``method`` says ``none``. Integer inputs (lag,
    duration) are treated as continuous. Columns :data:`SWITCHING_COLUMNS`: ``parameter,
    target, central, switching_value, change_pct, method``, the option's central NPSV and the
    admissible range searched (``admissible_low``, ``admissible_high``; inf when unbounded), so
    a missing switching value can be explained ("NPSV stays positive for every value of 0 or
    more").
    """
    from scipy.optimize import brentq

    unc = relevant_inputs(model, uncertainty)
    central_npsv = float(evaluate(model)["npsv"][0])
    rows = []
    for r in unc.drop_duplicates("target").itertuples(index=False):
        mult = is_multiplier(r.parameter)
        fld = parse_target(r.target)[3]
        centre = central_value(model, r.target, mult)

        def f(x, _t=r.target, _m=mult):
            return float(evaluate(model, {_t: (x, _m)})["npsv"][0])

        if mult or fld in LINEAR_FIELDS:
            x0, x1 = centre, centre + (1.0 if centre == 0 else abs(centre))
            y0, y1 = f(x0), f(x1)
            slope = (y1 - y0) / (x1 - x0)
            sv = x0 - y0 / slope if slope != 0 else np.nan
            method = "analytic" if slope != 0 else "none"
            # a root the input can never take (a success rate of 1.6, a negative cohort or
            # multiplier) is no switching value: report it missing, as the brentq branch does
            lo, hi = (0.0, np.inf) if mult else _DOMAINS.get(fld, (0.0, np.inf))
            if np.isfinite(sv) and not lo <= sv <= hi:
                sv, method = np.nan, "none"
        else:
            lo, hi = _DOMAINS.get(fld, (0.0, 1.0))
            if f(lo) * f(hi) > 0:
                sv, method = np.nan, "none"
            else:
                sv, method = brentq(f, lo, hi, xtol=1e-10), "brentq"
        rows.append(
            {
                "parameter": str(r.parameter),
                "target": str(r.target),
                "central": centre,
                "switching_value": float(sv),
                "change_pct": float((sv - centre) / centre * 100.0) if centre else np.nan,
                "method": method,
                "npsv_central": central_npsv,
                "admissible_low": float(lo),
                "admissible_high": float(hi),
            }
        )
    return pd.DataFrame(rows, columns=SWITCHING_COLUMNS)
