"""Unit tests of the business case's financial, management and national sections and of the
decisions it asks for (analysis.report.financial_case, management_case, national_case,
references): every expected value is worked out by hand from the small tables built here."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import load_yaml

from analysis.report import appraisal_wording as aw
from analysis.report import financial_case as fc
from analysis.report import management_case as mc
from analysis.report import references as refs

pytestmark = pytest.mark.unit

EXAMPLE = load_yaml("survey/example/business_case.yaml")


def requirement():
    return pd.DataFrame({
        "authority": ["a"] * 4, "year": [0, 0, 1, 1],
        "financial_year": ["2025-26", "2025-26", "2026-27", "2026-27"],
        "cost_type": ["capital", "revenue", "capital", "revenue"],
        "requirement": [1000.0, 300.0, 0.0, 400.0],
    })  # fmt: skip


def plan():
    rows = [(0, "capital", "secured", 800.0), (0, "capital", "applied_for", 200.0),
            (0, "revenue", "to_identify", 100.0), (0, "revenue", "applied_for", 200.0),
            (1, "revenue", "to_identify", 250.0), (1, "revenue", "applied_for", 100.0),
            (1, "revenue", "gap", 50.0)]  # fmt: skip
    return pd.DataFrame(
        [("a", y, "2025-26" if y == 0 else "2026-27", t, s, a) for y, t, s, a in rows],
        columns=["authority", "year", "financial_year", "cost_type", "status", "amount"],
    )


def status():
    return pd.DataFrame({
        "authority": ["a", "programme"], "option_id": ["pref", None],
        "ask": [1.7e6, 1.7e6], "capital": [1e6, 1e6], "revenue": [7e5, 7e5],
        "secured": [8e5, 8e5], "applied_for": [5e5, 5e5],
        "to_identify": [3.5e5, 3.5e5], "gap": [5e4, 5e4],
    })  # fmt: skip


def test_funding_by_year_reconciles_to_the_requirement():
    """Year 0: 1,000 capital + 300 revenue = 1,300 = 800 secured + 400 applied for + 100 to
    identify; year 1: 400 = 100 + 250 + 50 gap."""
    df = fc.funding_by_year(requirement(), plan()).set_index("year")
    assert df.loc[0, ["capital", "revenue", "total"]].tolist() == [1000.0, 300.0, 1300.0]
    assert df.loc[0, ["secured", "applied_for", "to_identify", "gap"]].tolist() == [
        800.0, 400.0, 100.0, 0.0]  # fmt: skip
    assert df.loc[1, ["total", "applied_for", "to_identify", "gap"]].tolist() == [
        400.0, 100.0, 250.0, 50.0]  # fmt: skip
    funded = df[["secured", "applied_for", "to_identify", "gap"]].sum(axis=1)
    assert (funded == df["total"]).all()


def test_the_ask_sentence_says_how_much_is_secured_and_what_is_unfunded():
    text = fc.ask_sentence(status())
    # 800k / 1.7m = 47%
    assert "The total ask is £1.70m in nominal cash (£1.00m capital, £700k revenue)" in text
    assert "of which £800k (47%) is secured" in text
    assert "£500k applied for and £350k to be identified" in text
    assert "£50k is not funded by any source: a funding gap that needs bridging" in text
    none = status().assign(gap=0.0)
    assert "no part of it is left unfunded" in fc.ask_sentence(none)
    zero = status().assign(ask=0.0)
    assert fc.ask_sentence(zero).startswith("No council's preferred way forward asks")


def _p(recommended="pref", category="preferred"):
    dec = pd.DataFrame({"option_id": ["bau", "pref"], "name": ["Business as usual", "Platform"],
                        "category": ["bau", category],
                        "recommended": ["yes" if recommended == "bau" else "no",
                                        "no" if recommended == "bau" else "yes"]})  # fmt: skip
    tables = {("programme", "costs", "funding_status"): status(), ("a", "costs",
              "options_decision"): dec}  # fmt: skip
    return SimpleNamespace(
        table=lambda scope, stage, name: tables[(scope, stage, name)],
        authority=lambda a: {"id": a, "name": "Alpha Council"},
    )


def test_decisions_sought_come_from_the_published_status_and_decision():
    df = fc.decisions_sought(_p(), ["a"]).set_index("authority")
    assert df.loc["a", "way_forward"] == "Proposed" and df.loc["a", "council"] == "Alpha"
    assert df.loc["a", ["ask", "secured", "gap"]].tolist() == [1.7e6, 8e5, 5e4]
    assert df.loc["programme", "council"] == "All councils"
    assert "outline business case for the preferred way forward of Alpha (Proposed)" in (
        fc.decisions_sentence(_p(), ["a"])
    )
    wait = fc.decisions_sentence(_p(recommended="bau"), ["a"])
    assert "in no council" in wait and "keep business as usual for now in Alpha" in wait


FACTS = {
    "ask": 2e6, "secured": 5e5, "gap": 1e5, "p_negative": 0.091, "draws": 10_000,
    "objectives_not_met": ["SO2"], "items": {"Q24": 52.0}, "item_text": {"Q24": "I expect x"},
    "codes_below": ["Reporting burden"],
}  # fmt: skip


def test_computed_evidence_prints_each_value():
    ev = {"funding": True, "npsv_negative": True, "objectives": True, "survey_items": ["Q24"],
          "coder_agreement": True}  # fmt: skip
    got = mc.computed_evidence(ev, FACTS)
    # 1.5m of 2m = 75% not secured
    assert got[0] == (
        "£1.50m of its £2.00m ask (75%) is not yet secured, and £100k has no funding source"
    )
    assert got[1] == "NPSV is negative in 9.1% of 10,000 Monte Carlo draws"
    assert got[2] == "SO2 is not met on the roadmap's schedule"
    assert got[3] == "52% of survey answers agree that “I expect x”"
    assert got[4].startswith("one code fell below the 0.667 agreement threshold")
    calm = dict(FACTS, secured=2e6, gap=0.0, p_negative=0.0, objectives_not_met=[])
    assert mc.computed_evidence({"funding": True, "npsv_negative": True, "objectives": True},
                                calm, adverse_only=True) == []  # fmt: skip
    assert mc.computed_evidence({"objectives": True}, calm) == [
        "every spending objective is met on the roadmap's schedule"]  # fmt: skip


def test_risk_evidence_follows_the_councils_a_risk_names():
    risks = [{"id": "R6", "evidence": {"funding": True}},
             {"id": "R9", "councils": ["b"], "evidence": {"npsv_negative": True,
                                                         "survey_items": ["Q24"]}},
             {"id": "R1", "evidence": {"gaps": ["G05"]}}]  # fmt: skip
    rows = mc.risk_evidence_rows(risks, {"a": FACTS, "b": dict(FACTS, p_negative=0.2)})
    got = [(r["id"], r["council"]) for r in rows]
    assert got == [("R6", "a"), ("R6", "b"), ("R9", "b"), ("R9", None)]
    assert "20.0%" in rows[2]["evidence"]  # b's own chance, not a's
    assert mc.applies_to(risks[1], "b") and not mc.applies_to(risks[1], "a")


def test_the_evaluation_plan_is_the_councils_with_the_magenta_book():
    text = mc.evaluation(EXAMPLE)
    assert "*Magenta Book*" in text and "*Process evaluation:*" in text
    assert "*Value-for-money evaluation:*" in text and "**Counterfactual:**" in text
    assert f"£{EXAMPLE['management']['evaluation']['budget']['amount'] // 1000:.0f}k" in text


def test_every_source_the_business_case_cites_is_in_the_sources_list():
    for cited in ("HM Treasury (2021), Wellbeing guidance for appraisal", "GDP deflators (HM "
                  "Treasury)", "Magenta Book", "judged against North Tyneside's 103 hours a month",
                  "Department for Transport's value-for-money categories", "Cohen (1988)",
                  "rank-biserial r (Kerby 2014)", "ONS, Census 2021 usual residents",
                  "Defra, Fly-tipping statistics for England, 2022 to 2023"):  # fmt: skip
        assert refs.reference_for(cited) is not None, cited
    assert refs.reference_for("Smith (1999), Unknown Report") is None
    # Cohen's kappa (1960) is not his effect-size book (1988)
    assert "(1960)" in refs.reference_for("Cohen's kappa").text
    assert "(1988)" in refs.reference_for("effect sizes (Cohen 1988)").text
    listed = refs.references_markdown()
    assert "Wellbeing guidance for appraisal" in listed and "Magenta Book" in listed
    assert "Kerby, D. S. (2014)" in listed and "Cohen, J. (1988)" in listed


def test_a_constrained_council_is_told_what_the_evidence_supports():
    """No option is within the 100k limit; "dm" (gap 110k) needs 10k more."""
    cs = {
        "recommendation_reason": "no_option_within_the_constraints",
        "decision_affordability_limit": 100_000.0, "proposed_option_id": "pf",
        "preferred_option_id": "bau",
        "options": {
            "bau": {"category": "bau", "name": "BAU", "npsv": 0.0, "bcr": None,
                    "offers_vfm": False, "affordability_gap": 0.0, "eligibility": "business_as_usual"},
            "dm": {"category": "do_minimum", "name": "Do minimum", "npsv": 50_000.0, "bcr": 1.5,
                   "offers_vfm": True, "affordability_gap": 110_000.0,
                   "eligibility": "exceeds_affordability_limit", "vfm_category": "medium"},
            "pf": {"category": "preferred", "name": "Platform", "npsv": 90_000.0, "bcr": 1.3,
                   "offers_vfm": True, "affordability_gap": 300_000.0,
                   "eligibility": "exceeds_affordability_limit", "vfm_category": "low"},
        },
    }  # fmt: skip
    text = aw.way_forward_sentence(cs)
    assert "No option is both affordable and value for money" in text
    assert "The evidence supports “Do minimum”" in text and "£10k more funding" in text
    assert "would cost more than it returns" not in text
