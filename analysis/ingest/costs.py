"""Ingest of cost workbooks: one validated table per sheet, cross-checked against each other."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.periods import financial_year_or_none as normalise_financial_year
from analysis.core.tables import (
    InputError,
    InputProblem,
    RawTable,
    open_workbook,
    read_xlsx_table,
    validate_table,
)
from analysis.costs import unit_values as uv
from analysis.costs.reference import read_gdp_deflators
from analysis.ingest import costs_checks as checks


def _sheet_schema(schema: dict, sheet: str) -> dict:
    return schema["$defs"][schema["x-sheets"][sheet]]


#: The appraisal-year columns the Costs sheet may have ("Year 0" ... up to the schema's maximum
#: appraisal period): expected names, so a message may print them.
YEAR_COLUMN = re.compile(r"^Year (\d{1,3})$")


def _year_columns(schema: dict) -> list[str]:
    return [f"Year {i}" for i in range(int(schema["x-parameters"]["appraisal_years"]["maximum"]))]


def ingest_costs(
    path: str | Path,
    schema: dict,
    *,
    authority: str,
    display: str | None = None,
    unit_costs: str | Path | None = None,
    deflators: pd.DataFrame | None = None,
    action_ids=None,
) -> dict[str, pd.DataFrame]:
    """Validated cost-model tables from a cost workbook (see docs/data-contracts.md).

    Benefit values that name a unit value (``*_value_ref``) are filled in from the bundled
    Green Book values and, when ``unit_costs`` names one, a GMCA Unit Cost Database workbook,
    uprated to the line's price year with ``deflators`` (default: the packaged series);
    ``benefit_values`` records the provenance of every monetised value
    (:mod:`analysis.costs.unit_values`). Everything the appraisal needs of the workbook is
    checked here (:mod:`analysis.ingest.costs_checks`). ``action_ids`` are the ids of the
    roadmap action table: every id a benefit line's ``delivered_by`` names must be one of them
    (None: only their form is checked)."""
    name = display or str(path)
    wb = open_workbook(path, display=name)
    problems: list[InputProblem] = []
    raw: dict[str, RawTable] = {}
    typed: dict[str, pd.DataFrame] = {}
    sheets = list(schema["x-sheets"])
    for sheet in sheets:
        columns = list(_sheet_schema(schema, sheet)["properties"])
        if sheet == "Costs":
            columns += _year_columns(schema)
        try:
            raw[sheet] = read_xlsx_table(
                path, sheet, display=name, workbook=wb, columns=columns, sheets=sheets
            )
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)

    params = _ingest_parameters(raw["Parameters"], schema, problems)
    n_years = int(params.get("appraisal_years") or 0)
    for sheet in sheets:
        if sheet == "Parameters":
            continue
        t = raw[sheet]
        sch = _sheet_schema(schema, sheet)
        if sheet == "Costs":
            if not n_years:  # the Parameters problem is reported; check the rest
                typed[sheet] = None
                continue
            sch = _with_year_columns(sch, n_years)
            t = _drop_years_beyond(t, n_years, problems)
        for col in ("price_year",):
            if col in t.data:
                fy = t.data[col].map(lambda x: normalise_financial_year(x) or x)
                t.data[col] = fy
        try:
            typed[sheet] = validate_table(t, sch)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)

    deflators = read_gdp_deflators() if deflators is None else deflators
    vintage = str(deflators["vintage"].iloc[0]) if "vintage" in deflators else "packaged"
    checks.check_options(raw, typed, problems)
    checks.check_uncertainty_targets(raw, typed, problems)
    checks.check_price_years(raw, typed, params, deflators, vintage, problems)
    checks.check_delivered_by(raw["Benefits"], typed["Benefits"], action_ids, problems)
    if problems:
        raise InputError(problems)
    catalogue = uv.bundled_unit_values()
    if unit_costs is not None:
        catalogue = pd.concat([catalogue, uv.read_unit_cost_database(unit_costs)])
    typed["Benefits"], provenance = uv.resolve_benefit_values(
        raw["Benefits"], typed["Benefits"], catalogue, deflators, authority=authority
    )

    year_cols = [f"Year {i}" for i in range(n_years)]
    costs = typed["Costs"]
    id_cols = [c for c in costs.columns if c not in year_cols]
    long = costs.melt(id_vars=id_cols, value_vars=year_cols, var_name="year", value_name="amount")
    long["year"] = long["year"].str.removeprefix("Year ").astype(int)
    long["amount"] = long["amount"].fillna(0.0)
    line_order = {
        k: i for i, k in enumerate(zip(costs["option_id"], costs["line_id"], strict=True))
    }
    long["_o"] = [line_order[k] for k in zip(long["option_id"], long["line_id"], strict=True)]
    long = long.sort_values(["_o", "year"], kind="stable").drop(columns="_o")

    checks.check_uncertainty_centres(
        raw, params, typed["Options"], long, typed["Benefits"], typed["Uncertainty"], deflators,
        problems,
    )  # fmt: skip
    if problems:
        raise InputError(problems)
    out = {
        "parameters": pd.DataFrame(
            {"key": list(params), "value": [str(v) for v in params.values()]}
        ),
        "baseline": typed["Baseline"],
        "options": typed["Options"],
        "costs": long.reset_index(drop=True),
        "benefits": typed["Benefits"],
        "uncertainty": typed["Uncertainty"],
        "sources": typed["Sources"],
    }
    for df in out.values():
        df.insert(0, "authority", authority)
    out["benefit_values"] = provenance
    return out


def _drop_years_beyond(t: RawTable, n_years: int, problems: list) -> RawTable:
    """The Costs sheet without its year columns beyond the appraisal period; each that holds a
    value is reported, as its costs would otherwise drop out of the appraisal unnoticed."""
    beyond = [
        c for c in t.data.columns if (m := YEAR_COLUMN.match(c)) and int(m.group(1)) >= n_years
    ]
    for c in beyond:
        if not t.data[c].astype(str).str.strip().ne("").any():
            continue  # an empty column of a longer template holds no cost
        problems.append(
            t.where(
                None,
                c,
                f"is beyond the appraisal period: appraisal_years on the Parameters sheet is "
                f"{n_years}, so expected columns Year 0 to Year {n_years - 1}; lengthen the "
                "period or move these costs into it",
            )
        )
    return t.select([c for c in t.data.columns if c not in beyond]) if beyond else t


def _with_year_columns(sch: dict, n_years: int) -> dict:
    sch = {**sch, "properties": dict(sch["properties"]), "additionalProperties": False}
    for i in range(n_years):
        sch["properties"][f"Year {i}"] = {
            "type": ["number", "null"],
            "minimum": 0,
            "x-minimum-hint": "expected a cost of £0 or more (record savings as benefits)",
        }
    sch["required"] = list(sch.get("required", [])) + [f"Year {i}" for i in range(n_years)]
    return sch


def _ingest_parameters(t: RawTable, schema: dict, problems: list) -> dict:
    spec: dict = schema["x-parameters"]
    df = t.data
    if not {"key", "value"} <= set(df.columns):
        problems.append(t.where(None, None, "needs columns 'key' and 'value'"))
        return {}
    allowed = _sheet_schema(schema, "Parameters")["properties"]
    for c in df.columns:
        if c not in allowed:
            problems.append(
                t.where(None, c, f"is not an expected column; expected only: {', '.join(allowed)}")
            )
    params: dict = {}
    keys = df["key"].astype(str).str.strip()
    for pos, k in enumerate(keys):
        if k not in spec:
            problems.append(
                t.where(pos, "key", f"is not a known parameter; expected one of: {', '.join(spec)}")
            )
    for k, prop in spec.items():
        hits = np.flatnonzero(keys.eq(k).to_numpy())
        if len(hits) == 0:
            if "default" in prop:
                params[k] = prop["default"]
            else:
                problems.append(t.where(None, None, f"has no row for the required parameter '{k}'"))
            continue
        if len(hits) > 1:
            problems.append(t.where(hits[1], "key", f"repeats the parameter '{k}'"))
        pos = hits[0]
        value = df["value"].iloc[pos]
        if k == "price_base_year":
            value = normalise_financial_year(value) or value
        one = t.select(["value"])
        one.data = pd.DataFrame({"value": [value]}, dtype=object)
        one.file_rows = [t.file_rows[pos]]
        try:
            params[k] = validate_table(one, {"properties": {"value": prop}, "required": ["value"]})[
                "value"
            ].iloc[0]
        except InputError as err:
            problems += err.problems
    return params
