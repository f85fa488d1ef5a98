"""End-to-end tests of the costs stage (workflow/rules/costs.smk) on the example programme.

Published numbers are checked against computations made here, not copied from the pipeline:

* a hand computation of every option's PV costs, PV benefits, NPSV and BCR from the ingested
  tables, written out with numpy (HM Treasury, *The Green Book* 2022, Annex A6: 3.5% a year
  for years 0-30, year 0 undiscounted; optimism bias = HMT upper bound x (1 - mitigation),
  HM Treasury 2003 supplementary guidance, equipment/development capital upper bound 200%;
  GMCA outcome chain cohort x engagement x success x (1 - deadweight));
* a fresh :func:`analysis.costs.appraise` on the same CSVs (the brief's acceptance check);
* the workbook's own formulas, recalculated by LibreOffice;
* switching values, checked by re-running the tabular appraisal with the input set to its
  switching value (NPSV must be 0);
* the decision rule, re-applied here to the published options (highest NPSV among the
  options with NPSV > 0 and BCR >= 1, else business as usual);
* the national range: its drivers by hand from ONS mid-2022 populations (ONS, "Population
  estimates for the UK, England, Wales, Scotland and Northern Ireland: mid-2022") and Defra's
  fly-tipping volume, its percentiles from the summed draws.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import copy_completed_run, snakemake, snakemake_jobs

from analysis.core.contracts import check_key_figures
from analysis.costs import appraise, read_confidence_grades, read_gdp_deflators, to_penny

AUTHORITIES = ["leicester", "lambeth", "milton_keynes", "canterbury"]
TABLES = ("parameters", "options", "costs", "benefits", "uncertainty")
PUBLISHED_TABLES = [
    "options_results",
    "cash_flows",
    "who_pays",
    "discount_factors",
    "sensitivity_tornado",
    "scenarios",
    "switching_values",
    "monte_carlo_summary",
    "monte_carlo_inputs",
    "cost_lines",
    "options_decision",
    "affordability",
]
MONEY = {
    "options_results": ["pv_costs", "pv_benefits", "npsv", "net_present_budget_impact"],
    "cash_flows": ["incremental_costs", "incremental_benefits", "net_benefit"],
    "who_pays": ["pv_costs", "pv_benefits", "net"],
    "scenarios": ["pv_costs", "pv_benefits", "npsv"],
    "sensitivity_tornado": ["npsv_low", "npsv_central", "npsv_high", "swing"],
    "monte_carlo_summary": ["p5", "p50", "p95"],
    "nominal_cash": ["capital", "revenue_and_staff", "total_costs", "fiscal_benefits"],
    "cost_lines": ["amount"],
    "options_decision": ["pv_costs", "npsv", "nominal_costs_total", "affordability_gap"],
    "affordability": ["capital", "revenue_and_staff", "costs", "cashable_benefits", "net"],
}
PENNY = 0.005 + 1e-6  # half a penny, and room for the binary representation of the value
# ONS mid-2022 population estimates (see module docstring)
POPULATION = {
    "england": 57_106_398,
    "wales": 3_131_640,
    "scotland": 5_447_700,
    "northern_ireland": 1_910_543,
}
# Social care and children's services in Northern Ireland are run by Health and Social Care
# Trusts, not councils; every UK council tier that collects waste clears fly-tips.
NATIONS = {
    "domestic_abuse": ("england", "wales", "scotland"),
    "childrens_services": ("england", "wales", "scotland"),
    "adult_social_care": ("england", "wales", "scotland"),
    "fly_tipping": ("england", "wales", "scotland", "northern_ireland"),
}


def ingested(work: Path, authority: str) -> dict[str, pd.DataFrame]:
    d = work / "results" / authority / "ingest" / "costs"
    return {t: pd.read_csv(d / f"{t}.csv").drop(columns="authority") for t in TABLES}


def published(work: Path, authority: str) -> Path:
    return work / "results" / authority / "published" / "costs"


def internal(work: Path, authority: str) -> Path:
    return work / "results" / authority / "internal" / "costs"


def hand_appraisal(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """PV costs and benefits of every option incremental to BAU, written out by hand."""
    p = dict(zip(t["parameters"]["key"], t["parameters"]["value"], strict=True))
    n = int(p["appraisal_years"])
    assert n <= 31 and p["discount_schedule"] == "standard"  # one STPR band: 3.5%
    factors = 1.035 ** -np.arange(n)
    # the example's costs are in real base-year prices; benefit values quoted in an older
    # price year are uprated by the ratio of the GDP deflator index (Green Book, real terms)
    assert (t["costs"]["prices"] == "real").all()
    assert (t["costs"]["price_year"] == p["price_base_year"]).all()
    deflator = read_gdp_deflators().set_index("financial_year")["index"]
    uprate = deflator[p["price_base_year"]] / deflator[t["benefits"]["price_year"]].to_numpy()
    assert p["optimism_bias_category"] == "equipment_development"
    hmt_capital = 2.00 * (1 - float(p["optimism_bias_mitigation"]))  # HMT 2003: 200% upper
    grades = read_confidence_grades().set_index("grade")  # project assumption (data table)

    costs = t["costs"]
    uplift = np.where(
        costs["cost_type"] == "capital",
        np.maximum(hmt_capital, grades.loc[costs["confidence_grade"], "cost_uplift"].to_numpy()),
        grades.loc[costs["confidence_grade"], "cost_uplift"].to_numpy(),
    )
    pv_cost = costs["amount"] * (1 + uplift) * factors[costs["year"].to_numpy()]
    pvc = pv_cost.groupby(costs["option_id"]).sum()

    pvb = {}
    for r, up in zip(t["benefits"].itertuples(index=False), uprate, strict=True):
        succ = r.cohort * r.engagement_rate * r.success_rate * (1 - r.deadweight)
        unit = (r.fiscal_value + r.economic_value + r.social_value) * up
        unit *= 1 - grades.loc[r.confidence_grade, "benefit_reduction"]
        dur = n if pd.isna(r.duration_years) else int(r.duration_years)
        flow = [
            (1 - r.drop_off) ** (y - r.lag_years) if r.lag_years <= y < r.lag_years + dur else 0.0
            for y in range(n)
        ]
        pvb[r.option_id] = pvb.get(r.option_id, 0.0) + succ * unit * float(np.dot(flow, factors))

    options = t["options"]
    bau = options.loc[options["category"] == "bau", "option_id"].iloc[0]
    rows = []
    for oid in options["option_id"]:
        if oid == bau:
            continue
        c = pvc.get(oid, 0.0) - pvc.get(bau, 0.0)
        b = pvb.get(oid, 0.0) - pvb.get(bau, 0.0)
        rows.append({"option_id": oid, "pv_costs": c, "pv_benefits": b, "npsv": b - c})
    out = pd.DataFrame(rows).set_index("option_id")
    out["bcr"] = out["pv_benefits"] / out["pv_costs"]
    return out


def recalculate(files: list[Path], outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed, so the workbook formulas cannot be "
            "recalculated: apt-get install -y --no-install-recommends libreoffice-calc"
        )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(outdir / 'lo_profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir / "out"),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return outdir / "out"


# ------------------------------------------------------------------ checks on the full run
def test_published_npsv_and_bcr_match_independent_recomputation(pipeline_run):
    work = pipeline_run["dir"]
    for a in AUTHORITIES:
        t = ingested(work, a)
        hand = hand_appraisal(t)
        fresh = appraise(
            t["parameters"], t["options"], t["costs"], t["benefits"], vintage="green_book_2022"
        ).results.set_index("option_id")
        pub = pd.read_csv(published(work, a) / "options_results.csv").set_index("option_id")
        full = pd.read_csv(internal(work, a) / "results.csv").set_index("option_id")
        assert list(pub.index) == list(hand.index) == list(fresh.index)
        for oid in hand.index:
            for col in ("pv_costs", "pv_benefits", "npsv"):
                # the engine agrees with the hand computation to rounding error ...
                assert full.loc[oid, col] == pytest.approx(hand.loc[oid, col], rel=1e-9)
                assert fresh.loc[oid, col] == pytest.approx(hand.loc[oid, col], rel=1e-9)
                # ... and the published value is it rounded to the penny, agreeing with the
                # independent hand computation to the penny
                assert pub.loc[oid, col] == to_penny(full.loc[oid, col])
                assert abs(pub.loc[oid, col] - hand.loc[oid, col]) <= PENNY
            assert pub.loc[oid, "bcr"] == round(hand.loc[oid, "bcr"], 2)
            assert pub.loc[oid, "bcr"] == round(fresh.loc[oid, "bcr"], 2)


def test_workbook_formulas_recalculated_by_libreoffice_give_the_published_results(
    pipeline_run, tmp_path
):
    from openpyxl import load_workbook

    work = pipeline_run["dir"]
    books = [published(work, a) / f"{a}_cost_model.xlsx" for a in AUTHORITIES]
    for b in books:  # the published copy holds live formulas, not values
        tot = load_workbook(b)["Totals"]
        assert str(tot["E2"].value).startswith("=") and str(tot["F2"].value).startswith("=")
    out = recalculate(books, tmp_path)
    for a in AUTHORITIES:
        wb = load_workbook(out / f"{a}_cost_model.xlsx", data_only=True)
        got = {r[0]: r for r in wb["Totals"].iter_rows(min_row=2, values_only=True) if r[0]}
        pub = pd.read_csv(published(work, a) / "options_results.csv").set_index("option_id")
        full = pd.read_csv(internal(work, a) / "results.csv").set_index("option_id")
        assert set(got) == set(pub.index)
        for oid, row in got.items():
            npsv, bcr = row[4], row[5]
            assert npsv == pytest.approx(full.loc[oid, "npsv"], abs=0.01)
            assert abs(npsv - pub.loc[oid, "npsv"]) <= PENNY
            assert round(bcr, 2) == pub.loc[oid, "bcr"]


def _set_input(t: dict, target: str, value: float, multiplier: bool) -> dict:
    """Copy of the tables with one uncertain input set (tabular path, not the array model)."""
    table, opt, item, fld = target.split(":")
    t = {k: v.copy() for k, v in t.items()}
    if table == "costs":
        rows = (t["costs"]["option_id"] == opt) & (t["costs"]["line_id"] == item)
        if item.startswith("type="):  # a cost group: every line of that type in the option
            rows = (t["costs"]["option_id"] == opt) & (t["costs"]["cost_type"] == item[5:])
        assert multiplier
        t["costs"].loc[rows, "amount"] = t["costs"].loc[rows, "amount"] * value
    else:
        rows = (t["benefits"]["option_id"] == opt) & (
            t["benefits"]["outcome_id"].isin(item.split("+"))  # lines sharing the input
        )
        old = t["benefits"].loc[rows, fld].astype(float)
        t["benefits"][fld] = t["benefits"][fld].astype(float)
        t["benefits"].loc[rows, fld] = old * value if multiplier else value
    return t


def test_switching_values_bring_npsv_to_zero(pipeline_run):
    work = pipeline_run["dir"]
    checked = 0
    for a in AUTHORITIES:
        t = ingested(work, a)
        sw = pd.read_csv(internal(work, a) / "switching_values.csv")
        for r in sw.itertuples(index=False):
            if r.method == "none":
                assert np.isnan(r.switching_value)
                continue
            is_mult = r.parameter.lower().endswith("multiplier")
            t2 = _set_input(t, r.target, r.switching_value, is_mult)
            res = appraise(t2["parameters"], t2["options"], t2["costs"], t2["benefits"])
            npsv = res.results.set_index("option_id").loc[r.option_id, "npsv"]
            assert abs(npsv) < 1e-3, (a, r.target)
            field = r.target.split(":")[3]
            if field in ("success_rate", "deadweight", "engagement_rate"):
                assert 0 <= r.switching_value <= 1  # an admissible value of a fraction
            checked += 1
    assert checked >= 8


def test_cost_group_switching_values_by_hand(pipeline_run):
    """Review finding 1: a multiplier m on every capital (staff, other revenue) line of an
    option moves NPSV by (m - 1) x PV of those lines after optimism bias, so its switching
    value is 1 + NPSV / PV. PV is recomputed here from the ingested cost lines by year, HM
    Treasury's optimism bias (2003: equipment/development capital 200% x (1 - mitigation),
    or the confidence-grade uplift if larger) and the published discount factors; NPSV is the
    published one. Every group of every option is checked, so no multiplier covers one line."""
    work = pipeline_run["dir"]
    grades = read_confidence_grades().set_index("grade")["cost_uplift"]
    checked = set()
    for a in AUTHORITIES:
        t = ingested(work, a)
        p = dict(zip(t["parameters"]["key"], t["parameters"]["value"], strict=True))
        hmt = 2.0 * (1 - float(p["optimism_bias_mitigation"]))
        factors = pd.read_csv(published(work, a) / "discount_factors.csv")["discount_factor"]
        npsv = pd.read_csv(published(work, a) / "options_results.csv").set_index("option_id")
        sw = pd.read_csv(published(work, a) / "switching_values.csv")
        groups = sw[sw["target"].str.contains(":type=")]
        assert len(groups) >= 3 * 2  # capital, staff and revenue of the two larger options
        for r in groups.itertuples(index=False):
            _, opt, item, _ = r.target.split(":")
            kind = item.removeprefix("type=")
            c = t["costs"][(t["costs"]["option_id"] == opt) & (t["costs"]["cost_type"] == kind)]
            n = c["line_id"].nunique()  # the scope the table prints names every line
            assert f"all {n} " in r.scope if n > 1 else "one" in r.scope, (a, r.target)
            up = np.maximum(hmt if kind == "capital" else 0.0,
                            grades.loc[c["confidence_grade"]].to_numpy())  # fmt: skip
            pv = float((c["amount"] * (1 + up) * factors.to_numpy()[c["year"]]).sum())
            expected = 1 + npsv.loc[opt, "npsv"] / pv
            if expected < 0:  # no multiplier of 0 or more brings NPSV to zero
                assert r.method == "none" and np.isnan(r.switching_value), (a, r.target)
                continue
            # published to 4 significant figures; the discount factors to 4 dp
            assert r.switching_value == pytest.approx(expected, rel=2e-3), (a, r.target)
            checked.add(kind)
    assert checked == {"capital", "staff", "revenue"}


def test_partners_pay_their_share_in_the_economic_case_not_the_councils_budget(pipeline_run):
    """Review finding 15: where police and NHS benefits are counted, their costs of the shared
    lines are too (who_pays), while the financial case's council rows leave them out."""
    work = pipeline_run["dir"]
    for a in ("leicester", "milton_keynes"):
        who = pd.read_csv(published(work, a) / "who_pays.csv")
        pref = who[who["option_id"] == "preferred"].set_index("agency")
        partners = [g for g in ("police", "nhs") if g in pref.index]
        assert partners and all(pref.loc[g, "pv_costs"] > 0 for g in partners)
        aff = pd.read_csv(published(work, a) / "affordability.csv")
        aff = aff[aff["option_id"] == "preferred"]
        by = aff.groupby("agency")["costs"].sum()
        council = sum(v for k, v in by.items() if k.startswith("council_"))
        assert by["council"] == pytest.approx(council, abs=0.05)
        assert by["all"] == pytest.approx(council + sum(by[g] for g in partners), abs=0.05)
        assert by["council"] < by["all"]


def test_benefits_wait_for_the_roadmap_actions_that_deliver_them(pipeline_run):
    """Review finding 3, recomputed from the published roadmap of the preferred way forward
    (its end months; an action in place counts as done at month 0) and the ingested benefit
    lines: every line of the preferred option starts no earlier than the year its actions are
    done (month 12 x lag >= their last end month), and the published check agrees."""
    work = pipeline_run["dir"]
    for a in AUTHORITIES:
        kf = yaml.safe_load((published(work, a) / "key_figures.yaml").read_text())
        pref = kf["preferred_option_id"]
        jp = work / "results" / a / "published" / "journeys"
        roadmap = pd.read_csv(jp / "roadmap.csv").set_index("action_id")["end_month"]
        status = pd.read_csv(jp / "action_status.csv").set_index("action_id")["status"]
        ben = ingested(work, a)["benefits"]
        ben = ben[ben["option_id"] == pref]
        check = pd.read_csv(jp / "benefit_timing.csv")
        check = check[check["option_id"] == pref].set_index("outcome_id")
        assert len(ben) and set(check.index) == set(ben["outcome_id"])
        for r in ben.itertuples(index=False):
            ends = [
                int(roadmap[x]) if x in roadmap.index else
                0 if status[x] in ("in_place", "assumed_in_place") else 10**6
                for x in str(r.delivered_by).split(";")
            ]  # fmt: skip
            assert max(ends) <= 12 * int(r.lag_years), (a, r.outcome_id)
            assert check.loc[r.outcome_id, "result"] == "consistent"


def test_monte_carlo_key_figures_match_the_draws(pipeline_run, example_config):
    work = pipeline_run["dir"]
    for a in AUTHORITIES:
        kf = yaml.safe_load((published(work, a) / "key_figures.yaml").read_text())
        every = pd.read_csv(internal(work, a) / "monte_carlo_draws.csv")
        # every option the decision rule can choose has its draws (issue 12)
        pub = pd.read_csv(published(work, a) / "options_results.csv")
        assert set(every["option_id"]) == set(pub["option_id"])
        draws = every[every["option_id"] == kf["preferred_option_id"]]
        assert len(draws) == example_config["appraisal"]["monte_carlo_draws"]
        assert kf["mc_draws"] == len(draws)
        assert kf["mc_seed"] == example_config["appraisal"]["seed"]
        x = draws["npsv"].to_numpy()
        share = float((x > 0).mean())
        # 3 dp, halves away from zero (the exact share count/n, e.g. 7955/10000 -> 0.796,
        # where Python's round of the float 0.7955 gives 0.795), but never 0 or 1 unless every
        # draw is (analysis.costs.precision.probability)
        exact = Decimal(int((x > 0).sum())) / Decimal(len(x))
        rounded = float(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
        assert kf["mc_prob_npsv_positive"] == (
            share if share in (0.0, 1.0) else min(max(rounded, 0.001), 0.999)
        )
        for key, q in (("mc_p5", 5), ("mc_p50", 50), ("mc_p95", 95)):
            assert abs(kf[key] - np.percentile(x, q)) <= PENNY
        assert kf["mc_p5"] <= kf["mc_p50"] <= kf["mc_p95"]


def example_config_limit(work: Path, authority: str):
    """The council's affordability limit as the example business-case input states it."""
    case = yaml.safe_load((work / "survey/example/business_case.yaml").read_text("utf-8"))
    return case["decision_rule"]["affordability_limits"].get(authority)


def test_key_figures_are_complete_and_consistent(pipeline_run, example_config):
    work = pipeline_run["dir"]
    option_keys = {
        "npsv",
        "bcr",
        "vfm_category",
        "pv_costs",
        "pv_benefits",
        "payback_year",
        "financial_roi",
    }
    for a in AUTHORITIES:
        kf = yaml.safe_load((published(work, a) / "key_figures.yaml").read_text())
        pub = pd.read_csv(published(work, a) / "options_results.csv").set_index("option_id")
        assert set(kf["options"]) == set(pub.index)
        for oid, o in kf["options"].items():
            assert option_keys <= set(o)
            assert o["npsv"] == pub.loc[oid, "npsv"]
            pb = pub.loc[oid, "payback_year"]
            assert o["payback_year"] == (None if pd.isna(pb) else int(pb))
        pref = kf["preferred_option_id"]
        # the decision rule, applied here to the published results: value for money, and
        # (CSF3) the affordability gap within the council's stated limit, the gap recomputed
        # from the published affordability table as the council's largest cumulative shortfall
        vfm = pub[(pub["npsv"] > 0) & (pub["bcr"] >= 1)]
        aff = pd.read_csv(published(work, a) / "affordability.csv")
        council = aff[aff["agency"] == "council"].sort_values("year")
        gap = council.groupby("option_id")["net"].apply(
            lambda net: max(0.0, -np.cumsum(net.to_numpy()).min())
        )
        limit = example_config_limit(work, a)
        ok = vfm[[limit is None or gap[o] <= limit + 0.01 for o in vfm.index]]
        assert pref == (ok["npsv"].idxmax() if len(ok) else kf["baseline_option_id"])
        assert kf["decision_affordability_limit"] == limit
        assert kf["options_offering_vfm"] == list(vfm.index)
        ing = ingested(work, a)["options"]
        assert (
            kf["proposed_option_id"] == ing.loc[ing["category"] == "preferred", "option_id"].iloc[0]
        )
        assert kf["proposal_agrees"] is (pref == kf["proposed_option_id"])
        dec = pd.read_csv(published(work, a) / "options_decision.csv").set_index("option_id")
        assert dec.index[dec["recommended"] == "yes"].tolist() == [pref]
        assert kf["options"][pref]["name"] == kf["preferred_option_name"]
        assert kf["pays_back"] is (kf["options"][pref]["payback_year"] is not None)
        assert kf["discount_schedule_vintage"] == "green_book_2026"  # the default edition
        assert kf["price_base_year"] == example_config["programme"]["price_base_year"]
        # equipment/development: 200% upper bound x (1 - 0.4 mitigated) in the example
        assert kf["optimism_bias_uplift"] == pytest.approx(2.0 * (1 - 0.4))
        tor = pd.read_csv(internal(work, a) / "sensitivity_tornado.csv")
        tor = tor[tor["option_id"] == pref]
        # the example's uncertainty tables vary the proposed options only: an option the
        # rule prefers instead has no tornado, and the key figures say so
        top = tor.loc[tor["swing"].idxmax(), "target"] if len(tor) else None
        assert kf["most_sensitive_input"] == top
        assert (kf["mc_uncertain_inputs"] == 0) is tor.empty
        assert "most_sensitive_switching_value" in kf


def test_key_figures_match_their_schemas(pipeline_run):
    """What the workflow wrote passes the key-figures contract the reports read it with."""
    work = pipeline_run["dir"]
    schemas = work / "workflow" / "schemas" / "key_figures"
    kf_authority = yaml.safe_load((schemas / "costs_authority.schema.yaml").read_text())
    for a in AUTHORITIES:
        path = published(work, a) / "key_figures.yaml"
        check_key_figures(yaml.safe_load(path.read_text()), kf_authority, str(path))
    path = work / "results/programme/published/costs/key_figures.yaml"
    kf_programme = yaml.safe_load((schemas / "costs_programme.schema.yaml").read_text())
    check_key_figures(yaml.safe_load(path.read_text()), kf_programme, str(path))


def test_cost_lines_are_the_ingested_amounts_summed_over_years(pipeline_run):
    """cost_lines.csv = the ingested costs.csv grouped by option and line, summed over years
    (amounts as entered, not discounted), so the reports need not read the ingest table; with
    who pays and the uplift each line carries (review finding 13), checked here against HM
    Treasury's capital bound (200% x (1 - mitigation)) and the confidence-grade table."""
    work = pipeline_run["dir"]
    keys = ["option_id", "line_id", "description", "cost_type", "sourcing", "agency"]
    uplift = ["confidence_grade", "hmt_uplift", "grade_uplift", "ob_uplift", "uplift_basis"]
    grades = read_confidence_grades().set_index("grade")["cost_uplift"]
    for a in AUTHORITIES:
        ing = pd.read_csv(work / "results" / a / "ingest" / "costs" / "costs.csv")
        expected = ing.groupby(keys, sort=False)["amount"].sum().reset_index()
        got = pd.read_csv(published(work, a) / "cost_lines.csv")
        assert list(got.columns) == [*keys, *uplift, "amount"]
        pd.testing.assert_frame_equal(got[keys], expected[keys])
        assert np.all(np.abs(got["amount"] - expected["amount"]) <= PENNY), a
        assert set(got["option_id"]) == set(ing["option_id"])
        hmt = np.where(got["cost_type"] == "capital", 2.0 * (1 - 0.4), 0.0)
        grade = grades.loc[got["confidence_grade"]].to_numpy()
        np.testing.assert_allclose(got["ob_uplift"], np.maximum(hmt, grade), atol=1e-4)
        # staff and other revenue carry their grade's uplift only (equipment/development)
        assert (got.loc[got["cost_type"] != "capital", "uplift_basis"] != "hm_treasury").all()


def test_published_tables_hold_money_to_the_penny_and_no_counts(pipeline_run):
    work = pipeline_run["dir"]
    for a in AUTHORITIES:
        d = published(work, a)
        for name in [*PUBLISHED_TABLES, "nominal_cash"]:
            df = pd.read_csv(d / f"{name}.csv")
            # the cost model publishes no counts of people (cohorts stay in the workbook)
            assert not {"cohort", "count", "n", "respondents"} & set(df.columns)
            for col in MONEY.get(name, []):
                v = df[col].dropna().to_numpy(float)
                # whole pennies, written without binary noise (at most two decimals)
                np.testing.assert_allclose(v * 100, np.round(v * 100), atol=1e-6)
                assert all(len(repr(float(x)).split(".")[1]) <= 2 for x in v), (a, name, col)
        for fig in ("cumulative_cash_flow", "tornado", "monte_carlo"):
            assert (d / f"{fig}.png").stat().st_size > 10_000
            assert (d / f"{fig}.alt.txt").read_text().strip()


def test_programme_comparison_and_national_range_by_hand(pipeline_run, example_config):
    work = pipeline_run["dir"]
    pdir = work / "results" / "programme" / "published" / "costs"
    idir = work / "results" / "programme" / "internal" / "costs"
    kf = yaml.safe_load((pdir / "key_figures.yaml").read_text())
    comp = pd.read_csv(pdir / "comparison.csv").set_index("authority")
    assert list(comp.index) == AUTHORITIES
    keys = {
        "Domestic and sexual violence": "domestic_abuse",
        "Children's services (early help, social care, youth offending)": "childrens_services",
        "Adult social care: referrals": "adult_social_care",
        "Environmental services: fly-tipping": "fly_tipping",
    }
    scale = pd.read_csv(idir / "national_scale.csv").set_index("authority")
    expected_mean = 0.0
    bcr_ok = 0
    for auth in example_config["authorities"]:
        a = auth["id"]
        akf = yaml.safe_load((published(work, a) / "key_figures.yaml").read_text())
        oid = akf["preferred_option_id"]  # the decision rule's option, not the workbook's
        assert comp.loc[a, "option_id"] == oid and comp.loc[a, "npsv"] == akf["preferred_npsv"]
        full = pd.read_csv(internal(work, a) / "results.csv").set_index("option_id")
        bcr_ok += int(full.loc[oid, "bcr"] >= 1)
        area = keys[auth["service_area"]]
        assert comp.loc[a, "driver_service_area"] == area
        nations = NATIONS[area]
        if a == "canterbury":
            # the Baseline counts 2,400 fly-tip clearances; Defra's 1.08m incidents (England)
            # carried to the UK by population
            assert (
                scale.loc[a, "driver"] == "service_volume" and scale.loc[a, "local_driver"] == 2400
            )
            uk = sum(POPULATION.values())
            national = 1_080_000 * uk / POPULATION["england"]
        else:
            assert scale.loc[a, "driver"] == "population"
            assert scale.loc[a, "local_driver"] == auth["population"]
            national = sum(POPULATION[n] for n in nations)
        assert scale.loc[a, "national_driver"] == pytest.approx(national, rel=1e-12)
        draws = pd.read_csv(internal(work, a) / "monte_carlo_draws.csv")
        mean_npsv = draws.loc[draws["option_id"] == oid, "npsv"].mean()
        # E[take-up] of triangular(0.25, 0.5, 0.75) is 0.5; take-up and NPSV independent
        expected_mean += mean_npsv / scale.loc[a, "local_driver"] * national * 0.5
    assert kf["councils"] == 4
    assert kf["councils_preferred_bcr_at_least_1"] == bcr_ok == 4
    assert kf["national_excluded"] == {}
    total = pd.read_csv(idir / "national_draws.csv")["total"].to_numpy()
    assert len(total) == kf["national_draws"] == example_config["appraisal"]["monte_carlo_draws"]
    assert kf["national_seed"] == example_config["appraisal"]["seed"]
    assert kf["national_mean"] == pytest.approx(expected_mean, rel=0.01)
    for key, q in (("national_low", 5), ("national_central", 50), ("national_high", 95)):
        assert kf[key] == pytest.approx(np.percentile(total, q), rel=1e-12)
    by = kf["national_by_service_area"]
    assert kf["national_low"] > sum(v["low"] for v in by.values())  # not a sum of extremes
    assert kf["national_high"] < sum(v["high"] for v in by.values())
    rng = pd.read_csv(pdir / "national_range.csv").set_index("service_area")
    assert rng.loc["total", "central"] == float(f"{kf['national_central']:.2g}")  # 2 sig. fig.
    for f in ("comparison.png", "national_range.png"):
        assert (pdir / f).stat().st_size > 10_000
        assert (pdir / f.replace(".png", ".alt.txt")).read_text().strip()


# ------------------------------------------------------------------ incremental re-run
def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_changing_one_cost_cell_reruns_only_that_council(pipeline_run, tmp_path):
    """Edit one cost cell in Canterbury's workbook of a copy of the finished run: only its
    cost jobs and the programme's re-run; the other councils' cost outputs stay
    byte-identical."""
    from openpyxl import load_workbook

    work = copy_completed_run(pipeline_run, tmp_path / "p")
    targets = ["results/programme/published/costs/key_figures.yaml"]
    for a in AUTHORITIES:
        targets += [
            f"results/{a}/published/costs/key_figures.yaml",
            f"results/{a}/published/costs/{a}_cost_model.xlsx",
        ]
    assert "Nothing to be done" in snakemake(work, "-n", *targets, check=True).stdout
    before = {
        a: _digest(work / "results" / a / "published" / "costs")
        | {f"internal/{k}": v for k, v in _digest(internal(work, a)).items()}
        for a in AUTHORITIES
    }
    npsv_before = pd.read_csv(internal(work, "canterbury") / "results.csv")

    xlsx = work / "survey/example/canterbury/costs.xlsx"
    wb = load_workbook(xlsx)
    ws = wb["Costs"]
    header = [c.value for c in ws[1]]
    year0 = header.index("Year 0") + 1
    row = next(
        r[0].row for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("preferred", "L1")
    )
    ws.cell(row=row, column=year0).value = float(ws.cell(row=row, column=year0).value) + 100_000
    wb.save(xlsx)

    run = snakemake(work, "--cores", "2", *targets, check=True)
    # the real run is the evidence: a dry run cannot see past the input-validation checkpoint
    ran = snakemake_jobs(run)
    assert ran and {auth for _r, auth in ran} <= {"canterbury", None}, run.stderr
    rules = {r for r, _a in ran}
    assert {"ingest_costs", "costs_authority"} <= rules
    assert "costs_programme" in rules
    assert all(r == "ingest_costs" or r.startswith("costs_") or r == "manifest" for r in rules)
    for a in ("leicester", "lambeth", "milton_keynes"):
        after = _digest(work / "results" / a / "published" / "costs") | {
            f"internal/{k}": v for k, v in _digest(internal(work, a)).items()
        }
        assert after == before[a], a
    npsv_after = pd.read_csv(internal(work, "canterbury") / "results.csv")
    pref = npsv_before["category"] == "preferred"
    change = npsv_after.loc[pref, "npsv"].iloc[0] - npsv_before.loc[pref, "npsv"].iloc[0]
    # +£100,000 of year-0 capital, uplifted by max(200% x (1 - 0.4), grade) = 120%, undiscounted
    assert change == pytest.approx(-100_000 * 2.2, rel=1e-9)
    assert _digest(work / "results/canterbury/published/costs") != before["canterbury"]


def test_a_council_with_no_option_offering_value_for_money_gets_business_as_usual(
    pipeline_run, tmp_path
):
    """Make Canterbury's do-minimum (its only option offering value for money) cost £1m more
    in year 0: then no option offers value for money, and every consumer follows the rule:
    BAU is recommended with the reason, nothing is budgeted, the figures say so, and the
    council is left out of the national scale."""
    from openpyxl import load_workbook

    work = copy_completed_run(pipeline_run, tmp_path / "p")
    xlsx = work / "survey/example/canterbury/costs.xlsx"
    wb = load_workbook(xlsx)
    ws = wb["Costs"]
    year0 = [c.value for c in ws[1]].index("Year 0") + 1
    row = next(
        r[0].row
        for r in ws.iter_rows(min_row=2)
        if (r[0].value, r[1].value) == ("do_minimum", "L1")
    )
    ws.cell(row=row, column=year0).value = float(ws.cell(row=row, column=year0).value) + 1e6
    wb.save(xlsx)
    targets = [
        "results/programme/published/costs/key_figures.yaml",
        "results/canterbury/published/costs/key_figures.yaml",
    ]
    run = snakemake(work, "--cores", "2", *targets, check=True)
    assert {auth for _r, auth in snakemake_jobs(run)} <= {"canterbury", None}, run.stderr
    d = published(work, "canterbury")
    kf = yaml.safe_load((d / "key_figures.yaml").read_text())
    pub = pd.read_csv(d / "options_results.csv")
    assert (pub["npsv"] < 0).all()  # the premise: no option adds value over BAU
    assert kf["preferred_option_id"] == kf["baseline_option_id"] == "bau"
    assert kf["recommendation_reason"] == "no_option_offers_value_for_money"
    assert kf["options_offering_vfm"] == [] and kf["proposal_agrees"] is False
    assert kf["nominal_costs_total"] == 0.0 and kf["affordability_gap"] == 0.0
    assert kf["mc_p50"] is None and kf["preferred_bcr"] is None
    dec = pd.read_csv(d / "options_decision.csv").set_index("option_id")
    assert dec.index[dec["recommended"] == "yes"].tolist() == ["bau"]
    for fig in ("cumulative_cash_flow", "tornado", "monte_carlo"):
        assert "recommends business as usual" in (d / f"{fig}.alt.txt").read_text()
    prog = yaml.safe_load((work / "results/programme/published/costs/key_figures.yaml").read_text())
    assert prog["national_excluded"] == {"canterbury": "no_option_offers_value_for_money"}
    assert "fly_tipping" not in prog["national_by_service_area"]
    assert prog["by_authority"]["canterbury"]["option_id"] == "bau"
    assert prog["councils_recommending_bau"] == 1
    scale = pd.read_csv(work / "results/programme/published/costs/national_scale.csv")
    assert scale.set_index("authority").loc["canterbury", "included"] == "no"


def test_service_area_labels_map_to_one_driver_key():
    """The example's free-text labels, a bare key, and labels that match none or two keys."""
    from analysis.costs.national import match_service_area

    assert match_service_area("Domestic and sexual violence") == "domestic_abuse"
    assert match_service_area("Adult social care: referrals") == "adult_social_care"
    assert match_service_area("Children's services (early help)") == "childrens_services"
    assert match_service_area("Environmental services: fly-tipping") == "fly_tipping"
    assert match_service_area("fly_tipping") == "fly_tipping"
    with pytest.raises(ValueError, match="no national driver"):
        match_service_area("Highways maintenance")
    with pytest.raises(ValueError, match="more than one"):
        match_service_area("Adult social care and fly-tipping")
