"""Tests of the rules the costs stage keeps in one place: the option rules, optimism bias, the
packaged tables (analysis.costs.inputs, analysis.costs.optimism_bias, analysis.costs.reference)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest

from analysis import costs

OPTIONS = pd.DataFrame(
    {
        "option_id": ["status_quo", "small", "main", "big"],
        "category": ["bau", "do_minimum", "preferred", "ambitious"],
    }
)


# --- the business-as-usual and preferred options ------------------------------------------------
def test_baseline_and_preferred_are_found_by_category_not_by_id():
    assert costs.baseline_option_id(OPTIONS) == "status_quo"
    assert costs.preferred_option_id(OPTIONS) == "main"


@pytest.mark.parametrize("category", ["bau", "preferred"])
def test_exactly_one_option_of_each_rule_category(category):
    find = costs.baseline_option_id if category == "bau" else costs.preferred_option_id
    none = OPTIONS[OPTIONS["category"] != category]
    with pytest.raises(ValueError, match=f"exactly one option must have category '{category}'"):
        find(none)
    two = pd.concat([OPTIONS, OPTIONS[OPTIONS["category"] == category].assign(option_id="x")])
    with pytest.raises(ValueError, match=f"exactly one option must have category '{category}'"):
        find(two)


def test_every_part_of_the_stage_uses_the_one_baseline_rule():
    """The appraisal, the array model and the uncertainty analyses all pick BAU by category."""
    from test_appraisal import make_inputs

    params, options, costs_, benefits = make_inputs()
    options = options.assign(option_id=["status_quo", "pref"])
    costs_ = costs_.replace({"option_id": {"bau": "status_quo"}})
    a = costs.appraise(params, options, costs_, benefits)
    assert a.baseline_option_id == "status_quo"
    m = costs.build_array_model(params, options, costs_, benefits, "pref")
    assert m.baseline_option_id == "status_quo"
    assert set(a.results["option_id"]) == {"pref"}


def test_parameters_are_typed_and_the_price_base_year_normalised():
    table = pd.DataFrame(
        {
            "key": ["price_base_year", "appraisal_years", "optimism_bias_mitigation", "x"],
            "value": ["2025/26", "10.0", "0.4", "kept"],
        }
    )
    p = costs.parameters_dict(table)
    assert p == {
        "price_base_year": "2025-26",
        "appraisal_years": 10,
        "optimism_bias_mitigation": 0.4,
        "x": "kept",
    }
    given = {"price_base_year": "2025/2026", "appraisal_years": 3}
    out = costs.as_parameters(given)
    assert out["price_base_year"] == "2025-26" and given["price_base_year"] == "2025/2026"


def test_option_ids_of_costs_and_benefits_must_be_options():
    good = pd.DataFrame({"option_id": ["main"]})
    costs.check_option_ids(OPTIONS, good, good)
    with pytest.raises(ValueError, match="benefits.csv: column option_id"):
        costs.check_option_ids(OPTIONS, good, pd.DataFrame({"option_id": ["nope"]}))


def test_read_tables_drops_the_authority_column_ingest_adds(tmp_path):
    (tmp_path / "a.csv").write_text("authority,option_id\nx,bau\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("metric,value\nnpsv,1.5\n", encoding="utf-8")
    t = costs.read_tables({"a": tmp_path / "a.csv", "b": tmp_path / "b.csv"}, ("a", "b"))
    assert list(t["a"].columns) == ["option_id"]
    assert t["b"].to_dict("records") == [{"metric": "npsv", "value": 1.5}]


# --- optimism bias ----------------------------------------------------------------------------
def test_hmt_upper_bounds_from_the_packaged_table():
    """HM Treasury (2003), Table 1 (docs/reference/appraisal.md): equipment/development capital
    upper bound 200%, outsourcing 41% on operating cost and no capital bound."""
    assert costs.hmt_upper_bound("equipment_development") == 2.0
    assert costs.hmt_upper_bound("outsourcing", "operating_expenditure") == 0.41
    assert costs.hmt_upper_bound("outsourcing", "capital_expenditure") == 0.0
    with pytest.raises(ValueError, match="not in the table"):
        costs.hmt_upper_bound("spaceships")


def test_uplift_formula_by_hand():
    # 200% x (1 - 0.4) = 120%; the larger of that and a 25% grade uplift is 120%
    assert costs.hmt_uplift(2.0, 0.4) == pytest.approx(1.2)
    assert costs.applied_uplift(1.2, 0.25) == 1.2
    assert costs.applied_uplift(costs.hmt_uplift(2.0, 0.95), 0.25) == 0.25
    np.testing.assert_allclose(
        costs.applied_uplift(costs.hmt_uplift(0.41, np.array([0.0, 1.0])), 0.05), [0.41, 0.05]
    )


def _excel_to_python(formula: str) -> str:
    """Just enough of Excel's formula language for the uplift template: MAX and arithmetic."""
    assert formula.startswith("=")
    body = formula[1:].replace("MAX(", "max(").replace("^", "**")
    assert re.fullmatch(r"[max()0-9.,+\-*/ ]+", body), body  # nothing else may be evaluated
    return body


def test_excel_uplift_formula_agrees_with_the_python_rule():
    """The workbook's template, filled with numbers and evaluated, equals applied_uplift."""
    for hmt, grade in itertools.product([0.0, 0.05, 0.2, 1.2, 2.0], [0.0, 0.05, 0.25]):
        text = costs.APPLIED_UPLIFT_FORMULA.format(hmt_uplift=repr(hmt), grade_uplift=repr(grade))
        assert eval(_excel_to_python(text)) == costs.applied_uplift(hmt, grade), text


def test_workbook_writes_the_uplift_template_and_its_rule_text(tmp_path):
    from openpyxl import load_workbook
    from test_workbook import make_appraisal

    a, options = make_appraisal()
    wb = load_workbook(costs.write_workbook(a, options, tmp_path / "w.xlsx"))
    ci = wb["Cost inputs"]
    header = [c.value for c in ci[1]]
    assert header[8:11] == ["hmt_uplift", "grade_uplift", "ob_uplift"]  # columns I, J, K
    for row in range(2, ci.max_row + 1):
        expected = costs.APPLIED_UPLIFT_FORMULA.format(hmt_uplift=f"I{row}", grade_uplift=f"J{row}")
        assert ci.cell(row=row, column=11).value == expected
    assert costs.APPLIED_UPLIFT_TEXT in [c.value for c in wb["Read me"]["A"]]


def test_tabular_and_array_paths_apply_the_same_uplift():
    """prepare_costs' ob_uplift is applied_uplift(hmt, grade) line by line."""
    from test_appraisal import make_inputs

    params, _o, c, _b = make_inputs(mitigation=0.9)
    c.loc[c["line_id"] == "L2", "confidence_grade"] = 5  # grade 25% > 200% x 10% = 20%
    pc = costs.prepare_costs(c, params)
    np.testing.assert_array_equal(
        pc["ob_uplift"], costs.applied_uplift(pc["hmt_uplift"], pc["grade_uplift"])
    )
    assert pc.loc[pc["line_id"] == "L2", "ob_uplift"].iloc[0] == 0.25


def test_unknown_confidence_grade_is_refused():
    grades = costs.read_confidence_grades()
    np.testing.assert_allclose(costs.grade_values(grades, "cost_uplift", [1, 5]), [0.0, 0.25])
    with pytest.raises(ValueError, match="confidence_grade must be one of"):
        costs.grade_values(grades, "cost_uplift", [6])


# --- packaged tables ----------------------------------------------------------------------------
def test_packaged_tables_are_read_with_their_types():
    d = costs.read_national_drivers()
    assert d["year"].map(type).eq(str).all()  # "2022", not 2022.0
    aliases = costs.read_service_area_aliases()
    assert all(pd.api.types.is_string_dtype(t) for t in aliases.dtypes)
    assert list(costs.read_packaged("discount_schedules.csv").columns)[:3] == [
        "schedule",
        "vintage",
        "year_from",
    ]
