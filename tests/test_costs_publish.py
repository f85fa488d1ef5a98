"""Tests of publishing one council's cost results (analysis.costs.publish, analysis.costs.precision).

The tables come from the real appraisal of a small synthetic council (``make_inputs`` of
test_appraisal.py), written to CSV and read back as the workflow does. Expected values are
worked out here: penny rounding by hand, HMT uplifts from the 2003 guidance, sums by hand.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_appraisal import make_inputs, uncertainty_table

from analysis import costs
from analysis.core import formatting as fmt
from analysis.core.io import write_csv
from analysis.costs.unit_values import typed_provenance

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {
    "authority": "testshire",
    "programme_price_base_year": "2025-26",
    "vintage": "green_book_2022",
    "draws": 500,
    "seed": 3,
}
PUBLISHED = {
    "options_results",
    "cash_flows",
    "who_pays",
    "discount_factors",
    "sensitivity_tornado",
    "scenarios",
    "switching_values",
    "monte_carlo_summary",
    "monte_carlo_inputs",
    "nominal_cash",
    "cost_lines",
    "benefit_sources",
    "options_decision",
    "affordability",
}


def synthetic_tables(tmp_path: Path) -> dict[str, pd.DataFrame]:
    """The inputs of costs_authority's publishing step for one synthetic council, through CSV like the workflow."""
    params, options, c, benefits = make_inputs()
    a = costs.appraise(params, options, c, benefits)
    u = costs.analyse_options(params, options, c, benefits, uncertainty_table(), draws=500, seed=3)
    affordability, decision = costs.decide_appraisal(a, options)
    frames = {
        "results": a.results,
        "cash_flows": a.cash_flows,
        "who_pays": a.who_pays,
        "discount_factors": a.discount_factors,
        "prepared_costs": a.costs,
        "benefit_flows": a.benefit_flows,
        "tornado": u.tornado,
        "scenarios": u.scenarios,
        "switching": u.switching,
        "mc_summary": u.mc_summary,
        "mc_draws": u.mc_draws,
        "mc_inputs": u.mc_inputs,
        "decision": decision.table,
        "affordability": affordability,
        "parameters": pd.DataFrame({"key": list(params), "value": list(params.values())}),
        "options": options,
        "costs": c.assign(authority="testshire"),
        "benefit_values": typed_provenance(benefits, "testshire"),
    }
    paths = {k: write_csv(df, tmp_path / f"{k}.csv") for k, df in frames.items()}
    return costs.read_tables(paths, costs.AUTHORITY_INPUTS)


@pytest.fixture
def tables(tmp_path):
    return synthetic_tables(tmp_path)


# --- rounding to the penny ----------------------------------------------------------------------
def test_to_penny_rounds_halves_away_from_zero():
    # 0.125 and 0.375 are exact binary fractions, so they are true halves of a penny
    assert costs.to_penny(0.125) == 0.13
    assert costs.to_penny(-0.125) == -0.13
    assert costs.to_penny(0.375) == 0.38
    assert costs.to_penny(3_295_068.604) == 3_295_068.6
    assert math.copysign(1.0, costs.to_penny(-0.004)) == 1.0  # no "-0.0" in a table
    assert math.isnan(costs.to_penny(float("nan")))
    np.testing.assert_array_equal(costs.to_penny(np.array([1.234, -5.678])), [1.23, -5.68])


def test_pennies_are_written_without_binary_noise():
    """Multiplying back by 0.01 gives 2884287.0300000003; a CSV must show 2884287.03."""
    x = np.random.default_rng(1).uniform(-5e6, 5e6, 20_000)
    for v in costs.to_penny(x):
        assert len(repr(float(v)).split(".")[1]) <= 2, repr(v)
    assert repr(costs.to_penny(2_884_287.0300000003)) == "2884287.03"


def test_money_is_published_to_the_penny_so_reports_round_once(tables):
    """The double-rounding bug: £3,294,500 rounded to £1,000 first became £3,295,000 and was
    reported as £3.30m; rounded once it is £3.29m. Milton Keynes' "More ambitious" PV costs of
    £3,295,068.60 are published as that, not £3,295,000."""
    for value, published, text in (
        (3_294_500.0, 3_294_500.0, "£3.29m"),
        (3_295_068.604, 3_295_068.6, "£3.30m"),
        (-9_450.0, -9_450.0, "\u2212\u2060£9.5k"),  # £1,000 first would give −£9.0k
    ):
        t = dict(tables, results=tables["results"].assign(pv_costs=value))
        res = costs.published_tables(t)["options_results"]
        assert res["pv_costs"].iloc[0] == published
        assert fmt.money(res["pv_costs"].iloc[0]) == text
        kf = costs.authority_key_figures(t, **SETTINGS)
        assert kf["options"]["pref"]["pv_costs"] == published


def test_every_published_money_column_is_the_internal_value_to_the_penny(tables):
    pub = costs.publish_authority(tables, **SETTINGS).tables
    pairs = [
        ("options_results", "results", costs.publish.RESULT_MONEY),
        ("cash_flows", "cash_flows", costs.publish.CASH_MONEY),
        ("who_pays", "who_pays", ["pv_costs", "pv_benefits", "net"]),
        ("scenarios", "scenarios", ["pv_costs", "pv_benefits", "npsv"]),
        ("sensitivity_tornado", "tornado", ["npsv_low", "npsv_central", "npsv_high", "swing"]),
    ]
    for name, internal, cols in pairs:
        for col in cols:
            full = tables[internal][col].to_numpy(float)
            got = pub[name][col].to_numpy(float)
            # a value that does not apply (the lower-rate test of a short horizon) stays empty
            assert (np.isnan(got) == np.isnan(full)).all(), (name, col)
            got, full = got[~np.isnan(full)], full[~np.isnan(full)]
            assert np.all(np.abs(got - full) <= 0.005 + 1e-9), (name, col)
            np.testing.assert_allclose(got * 100, np.round(got * 100), atol=1e-6)
    mcs = pub["monte_carlo_summary"].set_index("metric")
    full = tables["mc_summary"].set_index("metric")
    assert abs(mcs.loc["npsv", "p50"] - full.loc["npsv", "p50"]) <= 0.005
    assert mcs.loc["bcr", "p50"] == round(full.loc["bcr", "p50"], 2)  # a ratio: 2 dp
    # ratios, probabilities and discount factors keep their rounding
    assert pub["options_results"]["bcr"].iloc[0] == round(tables["results"]["bcr"].iloc[0], 2)
    assert pub["discount_factors"]["discount_factor"].iloc[1] == round(1 / 1.035, 4)


# --- the published tables -----------------------------------------------------------------------
def test_publish_authority_writes_every_output_of_the_rule(tables):
    pub = costs.publish_authority(tables, **SETTINGS)
    assert set(pub.tables) == PUBLISHED
    rule = (REPO / "workflow/rules/costs.smk").read_text(encoding="utf-8")
    block = rule[rule.index("rule costs_authority:") : rule.index("rule costs_programme:")]
    outputs = set(re.findall(r"^\s{8}(\w+)=", block.split("output:")[1].split("log:")[0], re.M))
    assert PUBLISHED | {"key_figures"} <= outputs
    assert pub.warnings == []
    other = costs.publish_authority(tables, **dict(SETTINGS, programme_price_base_year="2024-25"))
    assert "price_base_year differs" in other.warnings[0]


def test_cost_lines_sum_the_amounts_as_entered(example_config, tmp_path):
    """One row per option and line, in input order, amounts summed over years by hand; text is
    neutralised against formula injection on the publish path."""
    from analysis.core.disclosure import rule_from_config, write_published_csv

    rows = [
        ("pref", "L1", "=SUM(A1)", "capital", "external", 0, 100.10),
        ("pref", "L1", "=SUM(A1)", "capital", "external", 1, 200.20),
        ("bau", "L0", "Run as now", "staff", "in_house", 0, 0.0),
        ("pref", "L2", "Analysts", "staff", "in_house", 0, 0.1),
        ("pref", "L2", "Analysts", "staff", "in_house", 1, 0.2),
    ]
    cols = ["option_id", "line_id", "description", "cost_type", "sourcing", "year", "amount"]
    c = pd.DataFrame(rows, columns=cols).assign(agency="council", prices="real")
    out = costs.cost_lines_table(c)
    # who pays is kept (review finding 15: the partners' lines are the partners')
    assert list(out.columns) == [*costs.publish.COST_LINE_KEYS, "agency", "amount"]
    assert out[["option_id", "line_id"]].values.tolist() == [
        ["pref", "L1"],
        ["bau", "L0"],
        ["pref", "L2"],
    ]
    # 100.10 + 200.20 = 300.30; 0.1 + 0.2 is 0.30000000000000004 in binary, published 0.3
    assert out["amount"].tolist() == [300.3, 0.0, 0.3]
    path = tmp_path / "cost_lines.csv"
    write_published_csv(out, path, [], rule_from_config(example_config["disclosure"]))
    assert "'=SUM(A1)" in path.read_text(encoding="utf-8")


def test_published_cost_lines_come_from_the_ingested_costs(tables):
    out = costs.publish_authority(tables, **SETTINGS).tables["cost_lines"].set_index("line_id")
    pref = out[out["option_id"] == "pref"]
    # make_inputs: L1 £1,000 a year for 6 years, L2 a £10,000 build in year 0 (no uplift)
    assert pref.loc["L1", "amount"] == 6_000.0 and pref.loc["L2", "amount"] == 10_000.0
    # the uplift each line carries: HM Treasury 2003, equipment/development capital 200%
    # x (1 - 0.9 mitigated) = 20% on the build; the grade-1 running cost carries none
    assert pref.loc["L2", "ob_uplift"] == pytest.approx(0.2)
    assert pref.loc["L2", "uplift_basis"] == "hm_treasury"
    assert pref.loc["L1", "ob_uplift"] == 0.0 and pref.loc["L1", "uplift_basis"] == "none"


def test_nominal_table_rounds_money_and_the_index():
    deflators = pd.DataFrame(
        {"financial_year": ["2025-26", "2026-27"], "index": [100.0, 102.123456]}
    )
    lines = pd.DataFrame(
        {"option_id": ["p"], "cost_type": ["capital"], "year": [1], "amount_adjusted": [333.333]}
    )
    flows = pd.DataFrame(columns=["option_id", "year", "value_type", "amount", "cashable_amount"])
    out = costs.nominal_table(lines, flows.astype({"year": int}), "2025-26", deflators)
    row = out.set_index("year").loc[1]
    assert row["deflator_index"] == 102.12
    assert row["capital"] == 340.41  # 333.333 x 1.02123456 = 340.4107...
    assert row["total_costs"] == 340.41


# --- key figures ----------------------------------------------------------------------------------
def test_key_figures_by_hand(tables):
    kf = costs.authority_key_figures(tables, **SETTINGS)
    assert kf["authority"] == "testshire" and kf["authority_name"] == "Test"
    assert kf["baseline_option_id"] == "bau" and kf["preferred_option_id"] == "pref"
    assert kf["best_npsv_option_id"] == "pref"
    # HMT 2003 equipment/development: 200% x (1 - 0.9 mitigated) = 20%; no operating bound
    assert kf["optimism_bias_uplift"] == 0.2 and kf["optimism_bias_uplift_operating"] == 0.0
    assert kf["mc_draws"] == 500 and kf["mc_seed"] == 3
    res = tables["results"].iloc[0]
    assert kf["preferred_npsv"] == costs.to_penny(res["npsv"])
    assert kf["pays_back"] is (kf["preferred_payback_year"] is not None)
    tor = tables["tornado"]
    assert kf["most_sensitive_input"] == tor.loc[tor["swing"].idxmax(), "target"]
    assert kf["scenario_low_npsv"] < kf["scenario_central_npsv"] < kf["scenario_high_npsv"]


def test_tornado_labels_name_the_input_and_only_a_shared_name_its_line():
    tor = pd.DataFrame(
        {"parameter": ["Success rate", "Build"], "target": ["benefits:p:O1:x", "costs:p:L2:amount"]}
    )
    # no line id ("O1") where the input's name alone is unambiguous (issue 12, point 9)
    assert costs.publish.tornado_labels(tor).tolist() == ["Success rate", "Build"]
    tor = pd.DataFrame(
        {"parameter": ["Multiplier", "Multiplier"], "target": ["costs:p:L1:a", "benefits:p:O2:b"]}
    )
    assert costs.publish.tornado_labels(tor).tolist() == [
        "Multiplier (cost line L1)",
        "Multiplier (benefit O2)",
    ]


def test_authority_figures_quote_money_in_the_report_format(tables, tmp_path):
    paths = {k: tmp_path / f"{k}.png" for k in ("fig_cash_flow", "fig_tornado", "fig_monte_carlo")}
    costs.authority_figures(tables, paths)
    cf = tables["cash_flows"]
    cum = cf.loc[cf["option_id"] == "pref", "cumulative_discounted_net_benefit"]
    alt = (tmp_path / "fig_cash_flow.alt.txt").read_text(encoding="utf-8")
    assert (
        f"starts at {fmt.money(cum.iloc[0])}" in alt and fmt.MINUS + "£" in alt
    )  # U+2212 and a joiner, as in text
    assert f"ends at {fmt.money(cum.iloc[-1])}" in alt
    for p in paths.values():
        assert p.stat().st_size > 10_000
