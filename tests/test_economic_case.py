"""The economic case's small decision rules, by hand: incremental BCRs, the council's cash
payback, probabilities and BCRs as printed, year 0 against the edition date, which uplift a
cost line carries, and why an input has no switching value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis import costs
from analysis.core.periods import financial_year_end
from analysis.report.appraisal_sources import (
    receiver_words,
    value_at_source,
    year_zero_closed,
    year_zero_sentence,
)
from analysis.report.economic_case import bcr_text, uplift_rows
from analysis.report.economic_risk import no_switch_words, pct_change
from analysis.report.variables import optimism_bias_sentence

RESULTS = pd.DataFrame(
    {
        "option_id": ["dm", "pref", "amb"],
        "pv_costs": [100.0, 1000.0, 1600.0],
        "pv_benefits": [150.0, 1500.0, 2000.0],
    }
)


def decision(vfm):
    return pd.DataFrame({"option_id": ["bau", "dm", "pref", "amb"], "offers_vfm": vfm})


def test_incremental_bcr_against_the_next_cheaper_option_offering_value_for_money():
    """(2000 - 1500) / (1600 - 1000) = 0.833: the step from pref to amb returns less than
    it costs although amb's own BCR is 1.25; pref over dm: 1350 / 900 = 1.5; dm over BAU is
    its own BCR, 1.5."""
    out = costs.incremental_bcrs(RESULTS, decision(["no", "yes", "yes", "yes"]), "bau")
    out = out.set_index("option_id")
    assert out["incremental_comparator"].to_dict() == {"dm": "bau", "pref": "dm", "amb": "pref"}
    assert out.loc["amb", "incremental_bcr"] == pytest.approx(500 / 600)
    assert out.loc["pref", "incremental_bcr"] == pytest.approx(1350 / 900)
    assert out.loc["dm", "incremental_bcr"] == pytest.approx(1.5)


def test_an_option_not_offering_value_for_money_is_skipped_as_comparator():
    out = costs.incremental_bcrs(RESULTS, decision(["no", "yes", "no", "yes"]), "bau")
    out = out.set_index("option_id")
    assert out.loc["amb", "incremental_comparator"] == "dm"
    assert out.loc["amb", "incremental_bcr"] == pytest.approx(1850 / 1500)


def test_cash_payback_counts_the_councils_rows_in_nominal_cash():
    """Council net cash -100, 30, 40, 50: cumulative -100, -70, -30, 20, so year 3; a
    partner's saving (the police's +500 in year 0) does not count; never when the running
    total stays below 0."""
    aff = pd.DataFrame(
        {
            "option_id": ["pref"] * 8 + ["amb"] * 4,
            "agency": ["council"] * 4 + ["police"] * 4 + ["council"] * 4,
            "year": [0, 1, 2, 3] * 3,
            "net": [-100, 30, 40, 50, 500, 0, 0, 0, -100, 10, 10, 10],
        }
    )
    out = costs.cash_payback_years(aff).set_index("option_id")["cash_payback_year"]
    assert out["pref"] == 3
    assert pd.isna(out["amb"])


def test_with_incremental_adds_the_columns_and_keeps_the_rows():
    aff = pd.DataFrame(
        {"option_id": ["dm", "pref", "amb"], "agency": "council", "year": 0, "net": [1, -1, -1]}
    )
    out = costs.with_incremental(RESULTS, decision(["no", "yes", "yes", "yes"]), aff, "bau")
    assert out["option_id"].tolist() == ["dm", "pref", "amb"]
    assert set(costs.INCREMENTAL_COLUMNS) <= set(out.columns)
    assert out["cash_payback_year"].tolist()[0] == 0 and pd.isna(out["cash_payback_year"][1])


@pytest.mark.parametrize(
    ("p", "published", "text"),
    [
        (0.9994, 0.999, "99.9%"),
        (0.99996, 0.999, "99.9%"),  # not every draw positive: never "100.0%"
        (1.0, 1.0, "100.0%"),
        (0.00004, 0.001, "0.1%"),
        (0.0, 0.0, "0.0%"),
        (0.9085, 0.909, "90.9%"),  # halves away from zero
    ],
)
def test_a_probability_is_published_and_printed_one_way(p, published, text):
    assert costs.probability(p) == published
    assert costs.probability_text(p) == text
    assert costs.probability_text(published) == text  # the table reads the published value


@pytest.mark.parametrize(
    ("pvb", "pvc", "shown"),
    [
        (1.4996, 1.0, "1.4996"),  # low band: "1.50" (and "1.500") would show the medium edge
        (1.496, 1.0, "1.496"),
        (1.5, 1.0, "1.50"),  # on the edge: medium, two decimals say so
        (1.5004, 1.0, "1.50"),  # above the edge: medium
        (1.2345, 1.0, "1.23"),
        (0.9996, 1.0, "0.9996"),  # poor, not "1.00"
        (3_329_990.0, 2_220_000.0, "1.499995"),  # the review's Lambeth case, low
        (5.0, 0.0, "–"),
    ],
)
def test_bcr_text_shows_more_decimals_only_below_a_band_edge(pvb, pvc, shown):
    assert bcr_text(pvb, pvc) == shown


def test_the_printed_bcr_and_its_band_agree():
    grid = np.round(np.linspace(0.95, 4.05, 3101), 6)  # without the grid's binary noise
    for pvb in [*grid, 1.49996, 1.999999, 3.9999995, 0.99999]:
        band = costs.value_for_money_category(pvb / 1.0)
        shown = float(bcr_text(pvb, 1.0))
        # reading the printed ratio against the DfT edges gives the band the model decided
        assert costs.value_for_money_category(shown) == band, pvb


def test_every_quoted_bcr_of_an_option_reads_its_band_from_its_present_values():
    """The 64-council review: a council's preferred way forward, BCR 1.997 ("medium"), was
    printed 2.00 in the league table and the CSF table (the key figures' two-decimal ``bcr``),
    and 1.997 in the options table. Every place that quotes one option's BCR now goes through
    ``bcr_text`` of its present values."""
    from analysis.report.csf import _cell
    from analysis.report.economic_case import option_bcr_text

    option = {"bcr": 2.0, "pv_benefits": 5_690_000.0, "pv_costs": 2_849_000.0}  # 1.99719...
    assert option_bcr_text(option) == "1.997"
    assert costs.value_for_money_category(5_690_000.0 / 2_849_000.0) == "medium"
    assert _cell("met", "2", "value_for_money", option_bcr_text(option)) == "Yes (BCR 1.997)"
    assert _cell("met", "1.23", "value_for_money") == "Yes (BCR 1.23)"  # no PVs: the ratio
    # the second review: the appraisal sentences and the case study's options table still
    # printed "BCR 2.00 ... medium value for money"
    from analysis.report.appraisal_wording import option_phrase
    from analysis.report.case_study import options_table
    from analysis.report.inputs import Published

    assert option_phrase({**option, "name": "Ambitious", "npsv": 2_841_000.0}).endswith(
        "BCR 1.997)"
    )
    p = Published({}, [{"id": "a", "name": "A Council"}], {}, {}, rule=None)
    results = pd.DataFrame([{"option_id": "x", "category": "preferred", "name": "Ambitious",
                             "pv_costs": 2_849_000.0, "pv_benefits": 5_690_000.0,
                             "npsv": 2_841_000.0, "bcr": 2.0, "vfm_category": "medium",
                             "payback_year": 2}])  # fmt: skip
    decision = pd.DataFrame([{"option_id": "x", "category": "preferred", "name": "Ambitious",
                              "offers_vfm": "yes", "within_limit": "yes", "recommended": "yes",
                              "reason": "highest_npsv", "proposed": "no"}])  # fmt: skip
    p.tables[("a", "costs", "options_results")] = results
    p.tables[("a", "costs", "options_decision")] = decision
    row = next(x for x in options_table(p, "a").splitlines() if "£2.85m" in x)
    assert "| 1.997 |" in row and "2.00" not in row


def test_year_zero_closed_against_the_edition_date():
    assert financial_year_end("2025-26") == dt.date(2026, 3, 31)
    assert year_zero_closed("2025-26", "2026-12-02")  # the reviewed edition
    assert not year_zero_closed("2026-27", "2026-12-02")
    assert not year_zero_closed("2026-27", "2027-03-31")  # the last day is still open
    assert year_zero_closed("2026-27", "2027-04-01")


def test_year_zero_sentence_says_which_councils_budget_in_a_closed_year():
    ok = year_zero_sentence({"Leicester": "2026-27"}, "2026-12-02")
    assert "ends on 31 March 2027" in ok and "closed" in ok and "nothing is budgeted" in ok
    bad = year_zero_sentence({"Leicester": "2025-26", "Lambeth": "2026-27"}, "2026-12-02")
    assert "Leicester (year 0 2025-26 ended on 31 March 2026)" in bad
    assert "Lambeth" not in bad and "re-based" in bad


def test_uplift_basis_names_the_larger_rule():
    out = costs.uplift_basis([1.2, 0.0, 0.05, 0.0], [0.1, 0.05, 0.1, 0.0])
    assert out.tolist() == ["hm_treasury", "confidence_grade", "confidence_grade", "none"]


def test_uplift_rows_by_cost_type_with_their_source():
    lines = pd.DataFrame(
        {
            "option_id": ["bau", "p", "p", "p", "p"],
            "line_id": ["L0", "L1", "L2", "L3", "L4"],
            "cost_type": ["revenue", "capital", "staff", "revenue", "revenue"],
            "confidence_grade": [1, 3, 2, 3, 3],
            "ob_uplift": [0.0, 1.2, 0.05, 0.1, 0.1],
            "uplift_basis": ["none", "hm_treasury", "confidence_grade", "confidence_grade",
                             "confidence_grade"],
        }
    )  # fmt: skip
    kf = {"baseline_option_id": "bau", "optimism_bias_category": "equipment_development",
          "optimism_bias_mitigation": 0.4}  # fmt: skip
    rows = uplift_rows(lines, kf)
    by = {r["cost_type"]: r for r in rows}
    assert set(by) == {"capital", "staff", "revenue"}  # BAU's line left out
    assert by["capital"]["uplift"] == 1.2 and "200%" in by["capital"]["why"]
    assert "40%" in by["capital"]["why"] and "equipment/development" in by["capital"]["why"]
    assert by["revenue"]["lines"] == 2 and "grade 3" in by["revenue"]["why"]
    assert "only for outsourcing" in by["staff"]["why"]


def test_optimism_bias_sentence_says_staff_and_revenue_carry_grades_only():
    kf = {"optimism_bias_category": "equipment_development", "optimism_bias_uplift": 1.2,
          "optimism_bias_uplift_operating": 0.0, "optimism_bias_mitigation": 0.4}  # fmt: skip
    text = optimism_bias_sentence(kf)
    assert "120% uplift" in text and "200% upper bound" in text and "40%" in text
    assert "staff and other revenue costs carry only the uplift" in text
    out = optimism_bias_sentence(kf | {"optimism_bias_uplift": 0.0,
                                       "optimism_bias_uplift_operating": 0.246,
                                       "optimism_bias_category": "outsourcing"})  # fmt: skip
    assert "25% outsourcing uplift" in out


def test_no_switch_words_say_npsv_keeps_its_sign_over_the_range():
    row = {"npsv_central": 5.0, "admissible_low": 0.0, "admissible_high": np.nan}
    assert no_switch_words(row) == "NPSV stays positive for every value of 0 or more"
    row = {"npsv_central": -5.0, "admissible_low": 0.0, "admissible_high": 1.0}
    assert no_switch_words(row) == "NPSV stays zero or negative for every value from 0 to 1"


def test_who_receives_a_value_and_its_price_year_as_the_source_gives_it():
    assert receiver_words("fiscal", "police") == "police"
    assert receiver_words("fiscal", "council_corporate") == "the council"
    assert receiver_words("social", "society") == "society: wellbeing"
    wellby = {"unit_value_id": "gb:wellby", "units": 0.05, "unit_value": 13000.0,
              "unit_price_year": "2019-20", "value": 619.0, "price_year": "2017-18"}  # fmt: skip
    assert value_at_source(wellby) == "£650 (2019-20)"  # not the line's £619 (2017-18)
    own = wellby | {"unit_value_id": "", "value": 41.67, "price_year": "2016-17"}
    assert value_at_source(own) == "£42 (2016-17)"


def test_a_change_that_rounds_to_zero_has_no_sign():
    assert pct_change(-0.04) == "0.0%"
    assert pct_change(-0.3) == "\u2212\u20600.3%"
    assert pct_change(None) == "–"
