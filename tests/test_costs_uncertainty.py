"""Tests of analysis.costs.uncertainty: the per-option loop and the Monte Carlo option rule."""

from __future__ import annotations

import pandas as pd
import pytest
from test_appraisal import make_inputs

from analysis import costs

UNC = pd.DataFrame(
    {
        "parameter": ["success_rate", "build_multiplier", "mitigation", "ambitious cohort"],
        "target": [
            "benefits:pref:O1:success_rate",
            "costs:bau:L1:amount",
            "parameters:optimism_bias_mitigation",
            "benefits:amb:O1:cohort",
        ],
        "low": [0.2, 0.8, 0.5, 800.0],
        "high": [0.6, 1.5, 1.0, 1200.0],
        "distribution": ["uniform", "triangular", "uniform", "uniform"],
        "source": ["t"] * 4,
    }
)


def four_options():
    """make_inputs plus a do-minimum with no inputs of its own and an ambitious option with one."""
    params, options, c, b = make_inputs()
    options = pd.concat(
        [
            options,
            pd.DataFrame(
                {
                    "option_id": ["dm", "amb"],
                    "name": ["Do minimum", "Ambitious"],
                    "category": ["do_minimum", "ambitious"],
                    "sourcing": ["in_house", "in_house"],
                    "description": ["", ""],
                }
            ),
        ],
        ignore_index=True,
    )
    extra = c[c["option_id"] == "pref"]
    c = pd.concat([c, extra.assign(option_id="dm"), extra.assign(option_id="amb")])
    b = pd.concat([b, b.assign(option_id="amb")], ignore_index=True)
    return params, options, c, b


def test_count_inputs_by_hand():
    assert costs.count_inputs(UNC, {"pref"}) == 1
    assert costs.count_inputs(UNC, {"dm"}) == 0
    # its own, business as usual's and the parameters': what can move the option's NPSV
    assert costs.count_inputs(UNC, {"amb", "bau", None}) == 3


@pytest.mark.parametrize(("option", "runs"), [("pref", True), ("amb", True), ("dm", True)])
def test_monte_carlo_rule(option, runs):
    """Every option the decision rule can choose, i.e. all but BAU (issue 12: dm, with no
    uncertain input of its own, used to be skipped although the rule may choose it)."""
    assert costs.runs_monte_carlo(option, "bau") is runs
    assert costs.runs_monte_carlo("bau", "bau") is False


def test_analyse_options_runs_every_option_but_bau():
    params, options, c, b = four_options()
    out = costs.analyse_options(params, options, c, b, UNC, draws=200, seed=5)
    assert list(out.scenarios["option_id"].unique()) == ["pref", "dm", "amb"]
    assert out.scenarios.columns[0] == "option_id"
    mcs = out.mc_summary
    assert list(mcs.columns[:2]) == ["option_id", "uncertain_inputs"]
    assert list(mcs["option_id"].unique()) == ["pref", "dm", "amb"]  # every option but BAU
    # dm has no input of its own, but BAU's and the parameters' move its NPSV too
    assert mcs.groupby("option_id")["uncertain_inputs"].first().to_dict() == {
        "amb": 3,
        "dm": 2,
        "pref": 3,
    }
    assert set(out.mc_draws["option_id"]) == {"pref", "dm", "amb"} and len(out.mc_draws) == 600
    assert "option dm: 0 uncertain inputs of its own" in out.notes
    # the same model and seed as a direct simulation of the preferred option
    m = costs.build_array_model(params, options, c, b, "pref")
    direct = costs.simulate(m, UNC, draws=200, seed=5)
    pref = out.mc_draws[out.mc_draws["option_id"] == "pref"].reset_index(drop=True)
    pd.testing.assert_series_equal(pref["npsv"], direct["npsv"])
    tor = out.tornado[out.tornado["option_id"] == "dm"]
    # dm's NPSV moves with BAU's and the parameters' inputs, never with pref's or amb's
    assert set(tor["target"]) == {"costs:bau:L1:amount", "parameters:optimism_bias_mitigation"}
