"""Optimism bias on costs and the confidence grades of costs and benefits: the one home of the rule.

HM Treasury (2003) *Supplementary Green Book Guidance: Optimism Bias*: the uplift of a project
category is its upper bound reduced by the share of the risk mitigated,
``upper x (1 - mitigation)`` (:func:`hmt_uplift`). It applies to the cost lines the category
defines a bound for (capital expenditure, or operating expenditure for outsourcing). Every cost
line also carries the uplift of its confidence grade (GMCA / New Economy cost-benefit guidance
for local partnerships, 2014); where both apply the larger is used, so the same optimism is not
corrected twice (:func:`applied_uplift`). See ``docs/reference/appraisal.md``, "Optimism bias".

The tabular appraisal, the array model and the Excel workbook all take the rule from here: the
workbook writes :data:`APPLIED_UPLIFT_FORMULA`, which a test checks against
:func:`applied_uplift`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.costs.reference import read_optimism_bias

#: The applied uplift as an Excel formula, filled in with the cells holding the HMT uplift and
#: the confidence-grade uplift (``APPLIED_UPLIFT_FORMULA.format(hmt_uplift="I2",
#: grade_uplift="J2")``). Must compute the same as :func:`applied_uplift`.
APPLIED_UPLIFT_FORMULA = "=MAX({hmt_uplift},{grade_uplift})"

#: The rule in words, for the workbook's Read me sheet.
APPLIED_UPLIFT_TEXT = (
    "Optimism bias on costs: applied uplift = MAX(HMT upper bound x (1 - mitigation), "
    "confidence-grade uplift)."
)


def hmt_uplift(upper, mitigation):
    """HM Treasury uplift: ``upper x (1 - mitigation)`` (scalars or arrays, broadcast)."""
    return upper * (1.0 - mitigation)


def applied_uplift(hmt, grade):
    """Uplift applied to a cost line: the larger of the HMT and the confidence-grade uplift."""
    return np.maximum(hmt, grade)


def hmt_upper_bound(
    category: str, measure: str = "capital_expenditure", table: pd.DataFrame | None = None
) -> float:
    """Upper bound of ``category`` for ``measure`` (0 when the category defines none)."""
    t = read_optimism_bias() if table is None else table
    rows = t[t["category"] == category]
    if rows.empty:
        raise ValueError(f"optimism bias category {category!r} not in the table")
    rows = rows[rows["measure"] == measure]
    if rows.empty:
        return 0.0
    return float(rows["upper"].iloc[0])


def optimism_bias_uplift(
    category: str,
    mitigation: float,
    measure: str = "capital_expenditure",
    table: pd.DataFrame | None = None,
) -> float:
    """HM Treasury optimism-bias uplift of ``category``: upper bound x (1 - share mitigated).

    Returns 0 when the category has no bound for ``measure``.
    """
    if not 0.0 <= float(mitigation) <= 1.0:
        raise ValueError("optimism_bias_mitigation must be between 0 and 1")
    return float(hmt_uplift(hmt_upper_bound(category, measure, table), float(mitigation)))


def grade_values(grades: pd.DataFrame, column: str, values) -> np.ndarray:
    """``column`` of the confidence-grades table for each grade in ``values``.

    ``column`` is ``cost_uplift`` or ``benefit_reduction``; an unknown grade is an error.
    """
    table = dict(zip(grades["grade"].astype(int), grades[column].astype(float), strict=True))
    out = []
    for v in values:
        g = int(v)
        if g not in table:
            raise ValueError(f"confidence_grade must be one of {sorted(table)}")
        out.append(table[g])
    return np.asarray(out, dtype=float)


#: Where a cost line's applied uplift comes from (:func:`uplift_basis`).
UPLIFT_BASES = ("hm_treasury", "confidence_grade", "none")


def uplift_basis(hmt, grade) -> np.ndarray:
    """Which rule sets each line's applied uplift (:func:`applied_uplift` = the larger):
    ``hm_treasury`` when the HM Treasury uplift is positive and at least the confidence-grade
    uplift, ``confidence_grade`` when the grade's is larger, ``none`` when both are 0."""
    h = np.asarray(hmt, dtype=float)
    g = np.asarray(grade, dtype=float)
    return np.where(
        (h > 0) & (h >= g), "hm_treasury", np.where(g > 0, "confidence_grade", "none")
    ).astype(object)
