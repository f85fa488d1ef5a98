"""Benchmark (not a test): vectorised Monte Carlo against a plain per-draw Python loop.

Run: ``.venv/bin/python benchmarks/bench_montecarlo.py``

One synthetic authority, 10 appraisal years, 4 outcomes, 6 cost lines, 8 uncertain inputs.
The vectorised run (``analysis.costs.montecarlo.simulate``, sampling included) does 100,000 draws.
The loop evaluates the same model draw by draw in plain Python on the same sampled inputs; it
is timed on fewer draws and scaled up linearly. The loop is first checked to give the same
NPSV as the vectorised code, so the two time the same model. Targets: vectorised <= 1 s and
>= 50 times faster than the loop.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis import costs as ap
from analysis.costs import montecarlo as mc

N_YEARS = 10
DRAWS = 100_000
LOOP_DRAWS = 2_000
SEED = 20260401


def synthetic_authority():
    params = {
        "price_base_year": "2025-26",
        "appraisal_years": N_YEARS,
        "optimism_bias_category": "equipment_development",
        "optimism_bias_mitigation": 0.8,
        "discount_schedule": "standard",
    }
    options = pd.DataFrame(
        {
            "option_id": ["bau", "pref"],
            "name": ["BAU", "Preferred"],
            "category": ["bau", "preferred"],
        }
    )
    rows = []
    for y in range(N_YEARS):
        rows.append(("bau", "L1", "staff", 1, y, 120_000.0))
        rows.append(("bau", "L2", "revenue", 2, y, 30_000.0))
        rows.append(("pref", "L1", "staff", 1, y, 110_000.0))
        rows.append(("pref", "L3", "revenue", 3, y, 45_000.0))
        rows.append(("pref", "L4", "staff", 2, y, 25_000.0 if y < 3 else 10_000.0))
    rows.append(("pref", "L5", "capital", 3, 0, 250_000.0))
    rows.append(("pref", "L6", "capital", 4, 1, 80_000.0))
    costs = pd.DataFrame(
        rows, columns=["option_id", "line_id", "cost_type", "confidence_grade", "year", "amount"]
    ).assign(agency="council", price_year="2025-26", prices="real")
    benefits = pd.DataFrame(
        {
            "option_id": ["pref"] * 4,
            "outcome_id": ["O1", "O2", "O3", "O4"],
            "cohort": [1200.0, 400.0, 3000.0, 150.0],
            "engagement_rate": [0.6, 0.8, 0.4, 0.9],
            "success_rate": [0.35, 0.3, 0.2, 0.5],
            "deadweight": [0.2, 0.3, 0.25, 0.1],
            "lag_years": [1, 1, 2, 0],
            "duration_years": [5, 4, 6, 8],
            "drop_off": [0.1, 0.2, 0.15, 0.05],
            "fiscal_value": [400.0, 1500.0, 120.0, 2500.0],
            "fiscal_agency": ["council", "nhs", "police", "council"],
            "economic_value": [150.0, 300.0, 40.0, 500.0],
            "social_value": [300.0, 800.0, 60.0, 900.0],
            "cashable_share": [0.3, 0.2, 0.1, 0.5],
            "confidence_grade": [2, 3, 3, 4],
            "price_year": ["2025-26"] * 4,
        }
    )
    uncertainty = pd.DataFrame(
        {
            "parameter": [
                "success_rate",
                "success_rate",
                "engagement_rate",
                "drop_off",
                "fiscal_value_multiplier",
                "capital_multiplier",
                "revenue_multiplier",
                "deadweight",
            ],
            "target": [
                "benefits:pref:O1:success_rate",
                "benefits:pref:O2:success_rate",
                "benefits:pref:O3:engagement_rate",
                "benefits:pref:O1:drop_off",
                "benefits:pref:O4:fiscal_value",
                "costs:pref:L5:amount",
                "costs:pref:L3:amount",
                "benefits:pref:O2:deadweight",
            ],
            "low": [0.2, 0.2, 0.3, 0.0, 0.7, 0.9, 0.8, 0.1],
            "high": [0.5, 0.4, 0.5, 0.3, 1.3, 1.6, 1.3, 0.5],
            "distribution": [
                "triangular",
                "uniform",
                "normal",
                "triangular",
                "uniform",
                "triangular",
                "normal",
                "uniform",
            ],
        }
    )
    return params, options, costs, benefits, uncertainty


def loop_npsv(model: ap.ArrayModel, inputs: dict, draws: int) -> list[float]:
    """The same model as ``analysis.costs.evaluate``, one draw at a time in plain Python."""
    # plain Python floats and lists throughout, so the loop is not slowed by NumPy scalars
    factors = [float(f) for f in model.factors]
    amounts = model.line_amounts.tolist()
    hmt, grade = model.line_hmt_upper.tolist(), model.line_grade_uplift.tolist()
    n = len(factors)
    out = []
    for d in range(draws):
        mitigation = model.mitigation
        total = 0.0
        for i, key in enumerate(model.line_keys):
            sign = float(model.line_sign[i])
            target = f"costs:{key[0]}:{key[1]}:amount"
            mult = float(inputs[target][0][d]) if target in inputs else 1.0
            uplift = max(hmt[i] * (1 - mitigation), grade[i])
            for t in range(n):
                total -= sign * amounts[i][t] * mult * (1 + uplift) * factors[t]
        for k, key in enumerate(model.outcome_keys):
            sign = float(model.outcome_sign[k])
            f = {name: float(model.outcome_fields[name][k]) for name in ap.BENEFIT_FIELDS}
            for name in ap.BENEFIT_FIELDS:
                target = f"benefits:{key[0]}:{key[1]}:{name}"
                if target in inputs:
                    vals, is_mult = inputs[target]
                    v = float(vals[d])
                    f[name] = f[name] * v if is_mult else v
            succ = f["cohort"] * f["engagement_rate"] * f["success_rate"] * (1 - f["deadweight"])
            unit = (f["fiscal_value"] + f["economic_value"] + f["social_value"]) * float(
                model.outcome_scale[k]
            )
            lag, dur = round(f["lag_years"]), round(f["duration_years"])
            for t in range(n):
                if lag <= t < lag + dur:
                    total += sign * succ * unit * (1 - f["drop_off"]) ** (t - lag) * factors[t]
        out.append(total)
    return out


def main() -> None:
    params, options, costs, benefits, uncertainty = synthetic_authority()
    model = ap.build_array_model(params, options, costs, benefits, "pref")

    mc.simulate(model, uncertainty, draws=1_000, seed=SEED)  # warm-up
    t0 = time.perf_counter()
    sim = mc.simulate(model, uncertainty, draws=DRAWS, seed=SEED)
    t_vec = time.perf_counter() - t0

    inputs = mc.sample_inputs(model, uncertainty, DRAWS, SEED)
    check = loop_npsv(model, inputs, 200)
    np.testing.assert_allclose(check, sim["npsv"].to_numpy()[:200], rtol=1e-9)
    t0 = time.perf_counter()
    loop_npsv(model, inputs, LOOP_DRAWS)
    t_loop = (time.perf_counter() - t0) * DRAWS / LOOP_DRAWS

    summary = mc.summarise(sim).set_index("metric")
    print(f"vectorised: {DRAWS:,} draws x {N_YEARS} years in {t_vec:.3f} s")
    print(f"plain loop: {LOOP_DRAWS:,} draws timed, scaled to {DRAWS:,} draws: {t_loop:.1f} s")
    print(f"speed-up: {t_loop / t_vec:.0f}x (targets: vectorised <= 1 s, >= 50x)")
    print(
        f"NPSV mean £{summary.loc['npsv', 'mean']:,.0f}, P5 £{summary.loc['npsv', 'p5']:,.0f}, "
        f"P95 £{summary.loc['npsv', 'p95']:,.0f}, P(NPSV > 0) = "
        f"{summary.loc['npsv', 'prob_positive']:.3f}"
    )


if __name__ == "__main__":
    main()
