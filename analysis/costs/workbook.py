"""Auditable Excel workbook of one authority's appraisal, with live formulas.

A finance officer must be able to trace every number back to an input cell, so the workbook
holds the inputs as values and everything derived from them as Excel formulas:

* ``Parameters`` and ``Read me``: the appraisal's settings and conventions;
* ``Discount factors``: year, rate, factor (year 0 = 1; factor_t = factor_{t-1} / (1 + r_t));
* ``Cost inputs``: one row per cost line with the amounts as entered (wide by year), the HMT and
  confidence-grade uplifts and the applied uplift ``=MAX(hmt, grade)``;
* ``Cost real factors``: the GDP-deflator factor taking each amount to base-year prices;
* ``Costs adjusted``: ``= amount x real factor x (1 + uplift)``;
* ``Benefit inputs``: the outcome chain inputs, ``successful_outcomes`` and the value per
  outcome as formulas, then the flow of each year as a formula of lag, duration and drop-off;
* ``Cash flows``: per option and year, costs and benefits (``SUMIF`` over the sheets above),
  the increments over BAU, net, discounted and cumulative;
* ``Totals``: PV costs, PV benefits, NPSV and BCR of each option as ``SUMPRODUCT`` formulas,
  and (given the decision) a marker on the option the decision rule prefers
  (:mod:`analysis.costs.decision`). The marker is a value the pipeline wrote, not a formula:
  it does not move if a reader edits the inputs.

Discounting is written out explicitly rather than with Excel's ``NPV()``, which discounts the
first flow (Green Book year 0 is not discounted).

Text that comes from inputs is written as a plain string with Excel's quote prefix when it
starts with ``= + - @``, a tab or a carriage return, so it can never run as a formula (OWASP,
"CSV Injection"; the test is :func:`analysis.core.text.starts_like_formula`, shared with the
CSV writers). The file is byte-for-byte reproducible: it is saved with
:func:`analysis.core.xlsx.save_deterministic` (fixed document dates and zip entry times). The
applied optimism-bias uplift is :data:`analysis.costs.optimism_bias.APPLIED_UPLIFT_FORMULA`,
the formula the Python model computes (:func:`analysis.costs.optimism_bias.applied_uplift`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.text import starts_like_formula
from analysis.core.xlsx import save_deterministic
from analysis.costs.optimism_bias import APPLIED_UPLIFT_FORMULA, APPLIED_UPLIFT_TEXT

_MAX_ROW = 5000  # bounded ranges in SUMIF keep formulas readable and fast


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def write_cell(ws, row: int, col: int, value):
    """Write ``value``; strings that could be read as a formula are stored as plain text.

    Such a string keeps its characters exactly, is marked as a string (``data_type 's'``) and
    gets the quote prefix, which is how Excel itself stores text typed after an apostrophe.
    """
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return cell
    if isinstance(value, (np.integer,)):
        value = int(value)
    elif isinstance(value, (np.floating,)):
        value = float(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if starts_like_formula(value):
            cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def _formula(ws, row: int, col: int, text: str):
    cell = ws.cell(row=row, column=col)
    cell.value = text
    return cell


def _header(ws, names):
    from openpyxl.styles import Font

    for j, name in enumerate(names, start=1):
        write_cell(ws, 1, j, name).font = Font(bold=True)


#: Text of the Totals marker on the option the decision rule prefers.
DECISION_MARKER = "preferred by the decision rule"


def _decision_text(decision) -> str:
    if decision.recommends_bau:
        return (
            f"Decision rule: business as usual '{decision.preferred_option_id}' is recommended "
            f"({decision.reason.replace('_', ' ')})."
        )
    return (
        f"Decision rule: the preferred way forward is '{decision.preferred_option_id}' "
        f"({decision.reason.replace('_', ' ')}); the workbook proposed "
        f"'{decision.proposed_option_id}'. Computed by the pipeline, not by a formula here."
    )


def build_workbook(appraisal, options: pd.DataFrame, decision=None):
    """Return an ``openpyxl.Workbook`` for an :class:`analysis.costs.results.Appraisal`.

    ``decision`` (an :class:`analysis.costs.decision.Decision`, optional) adds the Totals
    column ``decision`` and a line in Read me.
    """
    from openpyxl import Workbook

    params = appraisal.parameters
    n = int(params["appraisal_years"])
    bau = appraisal.baseline_option_id
    wb = Workbook()
    readme = wb.active
    readme.title = "Read me"
    lines = [
        f"Cost-benefit appraisal: {params.get('authority_name', '')}",
        (
            f"Money in real {params['price_base_year']} prices (GDP deflator); year 0 = "
            f"{params['price_base_year']}, not discounted."
        ),
        "Discount factor for year t = factor for year t-1 / (1 + rate of year t).",
        f"Results are incremental to the business-as-usual option '{bau}'.",
        APPLIED_UPLIFT_TEXT,
        (
            "Benefits: successful outcomes = cohort x engagement x success x (1 - deadweight); "
            "nothing before the lag; (1 - drop-off) for each later year; at most duration years."
        ),
        "Blue sheets hold inputs; every other number is a formula of them.",
    ]
    if decision is not None:
        lines.append(_decision_text(decision))
    for i, text in enumerate(lines, start=1):
        write_cell(readme, i, 1, text)

    ws = wb.create_sheet("Parameters")
    _header(ws, ["key", "value"])
    for i, (k, v) in enumerate(params.items(), start=2):
        write_cell(ws, i, 1, str(k))
        write_cell(ws, i, 2, v if isinstance(v, (int, float)) else str(v))

    # Discount factors --------------------------------------------------------------------
    ws = wb.create_sheet("Discount factors")
    _header(ws, ["year", "rate", "discount_factor"])
    dft = appraisal.discount_factors
    for i, r in enumerate(dft.itertuples(index=False)):
        row = i + 2
        write_cell(ws, row, 1, int(r.year))
        write_cell(ws, row, 2, float(r.rate))
        if i == 0:
            write_cell(ws, row, 3, 1)
        else:
            _formula(ws, row, 3, f"=C{row - 1}/(1+B{row})")

    # Costs -------------------------------------------------------------------------------
    pc = appraisal.costs.copy()
    keys = [
        "option_id",
        "line_id",
        "description",
        "cost_type",
        "agency",
        "confidence_grade",
        "price_year",
        "prices",
        "hmt_uplift",
        "grade_uplift",
    ]
    pc[keys] = pc[keys].astype(str).where(~pc[keys].isna(), "")
    pc["hmt_uplift"] = appraisal.costs["hmt_uplift"].astype(float)
    pc["grade_uplift"] = appraisal.costs["grade_uplift"].astype(float)
    groups = list(pc.groupby(keys, sort=False, dropna=False))
    ci = wb.create_sheet("Cost inputs")
    cr = wb.create_sheet("Cost real factors")
    ca = wb.create_sheet("Costs adjusted")
    first_year_col = len(keys) + 2  # after the keys and the applied-uplift column
    hmt_col, grade_col = _col(keys.index("hmt_uplift") + 1), _col(keys.index("grade_uplift") + 1)
    ob_col = _col(len(keys) + 1)
    names = [*keys, "ob_uplift"] + list(range(n))
    for sheet in (ci, cr, ca):
        _header(sheet, names)
    for g, (key, rows) in enumerate(groups):
        row = g + 2
        amount = np.zeros(n)
        factor = np.zeros(n)
        np.add.at(amount, rows["year"].to_numpy(int), rows["amount"].astype(float).to_numpy())
        factor[rows["year"].to_numpy(int)] = rows["real_factor"].to_numpy(float)
        if (factor == 0).any():  # years without a row: factor of the base year convention
            factor[factor == 0] = 1.0
        for sheet in (ci, cr, ca):
            for j, v in enumerate(key, start=1):
                if j >= len(keys) - 1:
                    write_cell(sheet, row, j, float(v))
                else:
                    write_cell(sheet, row, j, v)
        uplift = APPLIED_UPLIFT_FORMULA.format(
            hmt_uplift=f"{hmt_col}{row}", grade_uplift=f"{grade_col}{row}"
        )
        _formula(ci, row, len(keys) + 1, uplift)
        for t in range(n):
            c = first_year_col + t
            L = _col(c)
            write_cell(ci, row, c, float(amount[t]))
            write_cell(cr, row, c, float(factor[t]))
            _formula(
                ca,
                row,
                c,
                f"='Cost inputs'!{L}{row}*'Cost real factors'!{L}{row}*(1+'Cost inputs'!${ob_col}{row})",
            )

    # Benefits ----------------------------------------------------------------------------
    pb = appraisal.benefits
    bi = wb.create_sheet("Benefit inputs")
    bcols = [
        "option_id",
        "outcome_id",
        "outcome",
        "cohort",
        "engagement_rate",
        "success_rate",
        "deadweight",
        "lag_years",
        "duration_years",
        "drop_off",
        "fiscal_value",
        "fiscal_agency",
        "economic_value",
        "social_value",
        "cashable_share",
        "confidence_grade",
        "price_year",
        "uprate_factor",
        "benefit_reduction",
        "successful_outcomes",
        "value_per_outcome",
    ]
    _header(bi, bcols + list(range(n)))
    b_first = len(bcols) + 1
    for i, r in enumerate(pb.to_dict("records")):
        row = i + 2
        for j, name in enumerate(bcols[:19], start=1):
            v = r.get(name)
            if name in ("lag_years",):
                v = round(float(v))
            elif name == "duration_years":
                v = n if pd.isna(v) else round(float(v))
            elif name in ("option_id", "outcome_id", "outcome", "fiscal_agency", "price_year"):
                v = "" if pd.isna(v) else str(v)
            else:
                v = float(v)
            write_cell(bi, row, j, v)
        _formula(bi, row, 20, f"=D{row}*E{row}*F{row}*(1-G{row})")
        _formula(bi, row, 21, f"=(K{row}+M{row}+N{row})*R{row}*(1-S{row})")
        for t in range(n):
            c = b_first + t
            L = _col(c)
            _formula(
                bi,
                row,
                c,
                f"=$T{row}*$U{row}*IF(AND({L}$1>=$H{row},{L}$1<$H{row}+$I{row}),"
                f"(1-$J{row})^({L}$1-$H{row}),0)",
            )

    # Cash flows --------------------------------------------------------------------------
    cf = wb.create_sheet("Cash flows")
    _header(
        cf,
        [
            "option_id",
            "year",
            "discount_factor",
            "costs",
            "benefits",
            "incremental_costs",
            "incremental_benefits",
            "net_benefit",
            "discounted_net_benefit",
            "cumulative_discounted_net_benefit",
        ],
    )
    opt_ids = options["option_id"].astype(str).tolist()
    first_row = {o: 2 + k * n for k, o in enumerate(opt_ids)}
    rng_a = f"$A$2:$A${_MAX_ROW}"
    for o in opt_ids:
        for t in range(n):
            row = first_row[o] + t
            bau_row = first_row[bau] + t
            cl = _col(first_year_col + t)
            bl = _col(b_first + t)
            write_cell(cf, row, 1, o)
            write_cell(cf, row, 2, t)
            _formula(cf, row, 3, f"='Discount factors'!C{t + 2}")
            _formula(
                cf,
                row,
                4,
                f"=SUMIF('Costs adjusted'!{rng_a},A{row},'Costs adjusted'!${cl}$2:${cl}${_MAX_ROW})",
            )
            _formula(
                cf,
                row,
                5,
                f"=SUMIF('Benefit inputs'!{rng_a},A{row},'Benefit inputs'!${bl}$2:${bl}${_MAX_ROW})",
            )
            _formula(cf, row, 6, f"=D{row}-D{bau_row}")
            _formula(cf, row, 7, f"=E{row}-E{bau_row}")
            _formula(cf, row, 8, f"=G{row}-F{row}")
            _formula(cf, row, 9, f"=H{row}*C{row}")
            _formula(cf, row, 10, f"=I{row}" if t == 0 else f"=J{row - 1}+I{row}")

    # Totals ------------------------------------------------------------------------------
    tot = wb.create_sheet("Totals")
    head = ["option_id", "name", "pv_costs", "pv_benefits", "npsv", "bcr"]
    _header(tot, head if decision is None else [*head, "decision"])
    names_by_id = dict(zip(opt_ids, options["name"].astype(str), strict=True))
    row = 2
    for o in opt_ids:
        if o == bau:
            continue
        a, z = first_row[o], first_row[o] + n - 1
        write_cell(tot, row, 1, o)
        write_cell(tot, row, 2, names_by_id[o])
        _formula(tot, row, 3, f"=SUMPRODUCT('Cash flows'!F{a}:F{z},'Cash flows'!C{a}:C{z})")
        _formula(tot, row, 4, f"=SUMPRODUCT('Cash flows'!G{a}:G{z},'Cash flows'!C{a}:C{z})")
        _formula(tot, row, 5, f"=D{row}-C{row}")
        _formula(tot, row, 6, f'=IF(C{row}>0,D{row}/C{row},"n/a")')
        if decision is not None and o == decision.preferred_option_id:
            write_cell(tot, row, 7, DECISION_MARKER)
        row += 1

    _style_inputs(wb)
    wb.properties.creator = "council-data-roadmap"
    return wb


def _style_inputs(wb):
    from openpyxl.styles import PatternFill

    blue = PatternFill("solid", fgColor="DDEBF7")
    for name in ("Parameters", "Cost inputs", "Cost real factors", "Benefit inputs"):
        wb[name].sheet_properties.tabColor = "2073BC"
    for name in ("Discount factors",):
        for row in wb[name].iter_rows(min_row=2, min_col=1, max_col=2):
            for c in row:
                c.fill = blue
    for ws in wb.worksheets:
        ws.freeze_panes = "A2" if ws.title != "Read me" else None


def write_workbook(appraisal, options: pd.DataFrame, path: str | Path, decision=None) -> Path:
    """Write the workbook to ``path`` (deterministic bytes) and return the path."""
    return save_deterministic(build_workbook(appraisal, options, decision), path)
