"""Seeded Monte Carlo simulation of an option's NPSV (HM Treasury Green Book, Annex A5).

The Green Book recommends Monte Carlo analysis where several significant uncertainties have
estimable distributions, reporting the expected value, the spread and the probability that
NPSV > 0, with the generator seeded so a re-run reproduces the numbers. Inputs are sampled
independently (no correlations are declared in ``uncertainty.csv``) from
``numpy.random.default_rng(seed)`` and the whole model is evaluated at once on arrays of shape
(draws, years) by :func:`analysis.costs.array_model.evaluate`; no Python loop runs over draws.

Distributions (``uncertainty.csv`` column ``distribution``):

* ``triangular``: minimum ``low``, mode = the central input, maximum ``high``;
* ``uniform``: between ``low`` and ``high``;
* ``normal``: mean = the central input, standard deviation chosen so that ``low`` and ``high``
  are the 5th and 95th percentiles, sd = (high - low) / (2 x 1.6449).

Draws of a fraction (rates, deadweight, drop-off, mitigation) are clipped to [0, 1] and draws
of a count or a value to >= 0, because the outcome chain has no meaning outside those ranges.
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

_Z95 = 1.6448536269514722  # standard normal 95th percentile (scipy.stats.norm.ppf(0.95))
_FRACTIONS = {
    "engagement_rate",
    "success_rate",
    "deadweight",
    "drop_off",
    "cashable_share",
    "optimism_bias_mitigation",
}


def sample_inputs(
    model: ArrayModel, uncertainty: pd.DataFrame, draws: int, seed: int
) -> dict[str, tuple[np.ndarray, bool]]:
    """Draw every relevant uncertain input: ``{target: (values (draws,), is_multiplier)}``.

    Rows are sampled in table order from one ``default_rng(seed)`` stream, so the same table
    and seed always give the same draws.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for r in relevant_inputs(model, uncertainty).itertuples(index=False):
        mult = is_multiplier(r.parameter)
        centre = central_value(model, r.target, mult)
        lo, hi = float(r.low), float(r.high)
        dist = str(r.distribution).strip().lower()
        if lo > hi:
            raise ValueError("uncertainty.csv: low must not exceed high")
        if dist == "triangular":
            if not lo <= centre <= hi:
                raise ValueError(
                    "uncertainty.csv: a triangular range must contain the central input"
                )
            x = rng.triangular(lo, centre, hi, draws) if hi > lo else np.full(draws, lo)
        elif dist == "uniform":
            x = rng.uniform(lo, hi, draws)
        elif dist == "normal":
            x = rng.normal(centre, (hi - lo) / (2.0 * _Z95), draws)
        else:
            raise ValueError("uncertainty.csv: distribution must be triangular, uniform or normal")
        fld = parse_target(r.target)[3]
        if not mult and fld in _FRACTIONS:
            x = np.clip(x, 0.0, 1.0)
        else:
            x = np.maximum(x, 0.0)
        out[str(r.target)] = (x, mult)
    return out


def simulate(
    model: ArrayModel, uncertainty: pd.DataFrame, draws: int = 10_000, seed: int = 20260401
) -> pd.DataFrame:
    """One row per draw: ``draw, pv_costs, pv_benefits, npsv, bcr`` (incremental to BAU)."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    res = evaluate(model, sample_inputs(model, uncertainty, draws, seed), draws=draws)
    pvc, pvb = res["pv_costs"], res["pv_benefits"]
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pvc > 0, pvb / pvc, np.nan)
    return pd.DataFrame(
        {
            "draw": np.arange(draws),
            "pv_costs": pvc,
            "pv_benefits": pvb,
            "npsv": res["npsv"],
            "bcr": bcr,
        }
    )


def summarise(simulation: pd.DataFrame) -> pd.DataFrame:
    """Mean, P5, P50, P95 of each metric; ``prob_positive`` = P(NPSV > 0) on the npsv row.

    Columns ``metric, draws, mean, p5, p50, p95, prob_positive`` (percentiles with NumPy's
    default linear interpolation; BCR summarised over draws where it is defined).
    """
    rows = []
    for metric in ("pv_costs", "pv_benefits", "npsv", "bcr"):
        x = simulation[metric].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        p5, p50, p95 = np.percentile(x, [5, 50, 95]) if x.size else (np.nan,) * 3
        rows.append(
            {
                "metric": metric,
                "draws": int(x.size),
                "mean": float(x.mean()) if x.size else np.nan,
                "p5": float(p5),
                "p50": float(p50),
                "p95": float(p95),
                "prob_positive": float((x > 0).mean()) if metric == "npsv" else np.nan,
            }
        )
    return pd.DataFrame(rows)
