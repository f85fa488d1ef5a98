"""Benefits: the local-partnerships outcome chain, outcome profiles over time, benefit flows.

Successful outcomes = cohort x engagement x success x (1 - deadweight); nothing in the first
``lag_years`` years; then the value persists with a factor (1 - drop_off) for each later year,
for at most ``duration_years`` years. One cohort is followed through time (it is not
re-recruited every year). Values per successful outcome per year are split into fiscal (by
agency), economic and social value; each is reduced by the benefit reduction of the outcome's
confidence grade (HM Treasury / New Economy, *Cost benefit analysis guidance for local
partnerships*, 2014; ``docs/reference/appraisal.md``, "The local-partnerships cost-benefit
method").

:func:`successful_outcomes` and :func:`outcome_profile` work elementwise on arrays, so the
deterministic appraisal and the Monte Carlo (:mod:`analysis.costs.array_model`) share them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import normalise_financial_year
from analysis.costs.optimism_bias import grade_values
from analysis.costs.prices import deflator_index
from analysis.costs.reference import read_confidence_grades, read_gdp_deflators

VALUE_TYPES = ("fiscal", "economic", "social")
#: Inputs of one outcome row that the outcome chain uses (and that may be uncertain).
BENEFIT_FIELDS = (
    "cohort",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "lag_years",
    "duration_years",
    "drop_off",
    "fiscal_value",
    "economic_value",
    "social_value",
    "cashable_share",
)
_FRACTION_COLUMNS = ("engagement_rate", "success_rate", "deadweight", "drop_off", "cashable_share")


def successful_outcomes(cohort, engagement_rate, success_rate, deadweight):
    """cohort x engagement x success x (1 - deadweight) (GMCA outcome chain)."""
    return (
        np.asarray(cohort, dtype=float)
        * np.asarray(engagement_rate, dtype=float)
        * np.asarray(success_rate, dtype=float)
        * (1.0 - np.asarray(deadweight, dtype=float))
    )


def outcome_profile(lag_years, duration_years, drop_off, n_years: int) -> np.ndarray:
    """Share of the outcome's yearly value realised in each year 0..n_years-1.

    0 before ``lag_years``; 1 in year ``lag``; (1 - drop_off)**k in year lag + k; 0 from year
    lag + duration on. Inputs broadcast: arrays of shape (...) give (..., n_years). A missing
    (NaN) duration means "to the end of the appraisal period".
    """
    t = np.arange(n_years, dtype=float)
    lag = np.rint(np.asarray(lag_years, dtype=float))[..., None]
    dur = np.asarray(duration_years, dtype=float)
    dur = np.rint(np.where(np.isnan(dur), np.inf, dur))[..., None]
    keep = 1.0 - np.asarray(drop_off, dtype=float)[..., None]
    k = t - lag
    active = (k >= 0) & (k < dur)
    return np.where(active, keep ** np.maximum(k, 0.0), 0.0)


def prepare_benefits(
    benefits: pd.DataFrame,
    parameters: dict,
    deflators: pd.DataFrame | None = None,
    confidence_grades: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Outcome rows with ``successful_outcomes, uprate_factor, benefit_reduction`` added.

    ``uprate_factor`` takes values from the row's price year to base-year prices.
    """
    deflators = read_gdp_deflators() if deflators is None else deflators
    grades = read_confidence_grades() if confidence_grades is None else confidence_grades
    base = normalise_financial_year(parameters["price_base_year"])
    out = benefits.copy()
    for col in _FRACTION_COLUMNS:
        v = out[col].astype(float)
        if ((v < 0) | (v > 1)).any():
            raise ValueError(f"benefits.csv: column {col} must be a fraction between 0 and 1")
    idx = deflator_index(deflators, base)
    pys = [normalise_financial_year(p) for p in out["price_year"]]
    if set(pys) - set(idx.index):
        raise ValueError("benefits.csv: price_year outside the GDP deflator series")
    out["successful_outcomes"] = successful_outcomes(
        out["cohort"], out["engagement_rate"], out["success_rate"], out["deadweight"]
    )
    out["uprate_factor"] = 100.0 / idx.loc[pys].to_numpy()
    out["benefit_reduction"] = grade_values(grades, "benefit_reduction", out["confidence_grade"])
    return out


def benefit_flows(prepared_benefits: pd.DataFrame, n_years: int) -> pd.DataFrame:
    """Long benefit flows: ``option_id, outcome_id, year, value_type, agency, amount,
    cashable_amount, outcomes`` in real base-year prices after the confidence-grade reduction.

    Economic value is attributed to agency ``economy`` and social value to ``society``;
    ``cashable_amount`` is the cashable share of fiscal value (0 for the other types);
    ``outcomes`` is the number of successful outcomes the year's value is counted on (the
    same on each value type's row), so a benefits-realisation target can be the very number
    the appraisal counts.
    """
    b = prepared_benefits
    prof = outcome_profile(
        b["lag_years"].astype(float), b["duration_years"].astype(float), b["drop_off"], n_years
    )
    volume = b["successful_outcomes"].to_numpy()[:, None] * prof
    scale = (b["uprate_factor"] * (1.0 - b["benefit_reduction"])).to_numpy()[:, None]
    frames = []
    for vt in VALUE_TYPES:
        amount = volume * b[f"{vt}_value"].astype(float).to_numpy()[:, None] * scale
        if vt == "fiscal":
            agency = b["fiscal_agency"].astype(str).to_numpy()
            cash = amount * b["cashable_share"].astype(float).to_numpy()[:, None]
        else:
            agency = np.full(len(b), "economy" if vt == "economic" else "society", dtype=object)
            cash = np.zeros_like(amount)
        frames.append(
            pd.DataFrame(
                {
                    "option_id": np.repeat(b["option_id"].astype(str).to_numpy(), n_years),
                    "outcome_id": np.repeat(b["outcome_id"].astype(str).to_numpy(), n_years),
                    "year": np.tile(np.arange(n_years), len(b)),
                    "value_type": vt,
                    "agency": np.repeat(agency, n_years),
                    "amount": amount.ravel(),
                    "cashable_amount": cash.ravel(),
                    "outcomes": volume.ravel(),
                }
            )
        )
    cols = ["option_id", "outcome_id", "year", "value_type", "agency", "amount", "cashable_amount"]
    cols += ["outcomes"]
    if len(b) == 0:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype=float
                    if ("amount" in c or c == "outcomes")
                    else int
                    if c == "year"
                    else str
                )
                for c in cols
            }
        )
    out = pd.concat(frames, ignore_index=True)
    order = {v: i for i, v in enumerate(VALUE_TYPES)}
    out["_vt"] = out["value_type"].map(order)
    out = out.sort_values(["option_id", "outcome_id", "_vt", "year"], kind="stable")
    return out.drop(columns="_vt").reset_index(drop=True)[cols]
