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
from analysis.costs.array_model import is_multiplier
from analysis.costs.reference import read_gdp_deflators
from analysis.costs.targets import GROUP_PREFIX, cost_group, outcome_ids


def _sheet_schema(schema: dict, sheet: str) -> dict:
    return schema["$defs"][schema["x-sheets"][sheet]]


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
    (:mod:`analysis.costs.unit_values`). ``action_ids`` are the ids of the roadmap action
    table: every id a benefit line's ``delivered_by`` names must be one of them (None: only
    their form is checked)."""
    name = display or str(path)
    wb = open_workbook(path, display=name)
    problems: list[InputProblem] = []
    raw: dict[str, RawTable] = {}
    typed: dict[str, pd.DataFrame] = {}
    for sheet in schema["x-sheets"]:
        try:
            raw[sheet] = read_xlsx_table(path, sheet, display=name, workbook=wb)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)

    params = _ingest_parameters(raw["Parameters"], schema, problems)
    n_years = int(params.get("appraisal_years") or 0)
    for sheet in schema["x-sheets"]:
        if sheet == "Parameters":
            continue
        t = raw[sheet]
        sch = _sheet_schema(schema, sheet)
        if sheet == "Costs":
            sch = _with_year_columns(sch, n_years)
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

    _cross_check_costs(raw, typed, params, problems, action_ids)
    if problems:
        raise InputError(problems)
    catalogue = uv.bundled_unit_values()
    if unit_costs is not None:
        catalogue = pd.concat([catalogue, uv.read_unit_cost_database(unit_costs)])
    deflators = read_gdp_deflators() if deflators is None else deflators
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


def _with_year_columns(sch: dict, n_years: int) -> dict:
    sch = {**sch, "properties": dict(sch["properties"])}
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
        one = RawTable(
            pd.DataFrame({"value": [value]}, dtype=object),
            t.file,
            t.sheet,
            [t.file_rows[pos]],
            {"value": t.column_letters.get("value", "B")},
        )
        try:
            params[k] = validate_table(one, {"properties": {"value": prop}, "required": ["value"]})[
                "value"
            ].iloc[0]
        except InputError as err:
            problems += err.problems
    return params


def _check_group_target(t: RawTable, pos, parts, kind, parameter, groups, problems) -> None:
    """A ``costs:<option>:type=<cost type>:amount`` target: a known cost type, an option that
    has lines of that type, ``:amount``, and a multiplier (a replacement amount means nothing
    for several lines at once)."""
    if kind is None:
        problems.append(t.where(pos, "target", "expected a cost group type=capital, "
                                "type=staff or type=revenue"))  # fmt: skip
    elif parts[3] != "amount":
        problems.append(t.where(pos, "target", "expected a cost group target to end in :amount"))
    elif (parts[1], kind) not in groups:
        problems.append(t.where(pos, "target", "expected an option with at least one cost line "
                                "of that type on the Costs sheet"))  # fmt: skip
    elif not is_multiplier(parameter):
        problems.append(t.where(pos, "parameter", "expected a multiplier (a name ending in "
                                "'multiplier') for a cost-group target"))  # fmt: skip


#: How an action id looks (``survey/roadmap_actions.csv``).
_ACTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")


def _check_delivered_by(t: RawTable, benefits: pd.DataFrame, action_ids, problems) -> None:
    """``delivered_by``: ';'-separated ids of the roadmap actions that deliver the benefit line,
    each in the roadmap action table (``action_ids``; only their form is checked when None)."""
    if "delivered_by" not in benefits:
        return
    known = None if action_ids is None else {str(a) for a in action_ids}
    for pos, cell in enumerate(benefits["delivered_by"]):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip():
            continue
        ids = [x.strip() for x in str(cell).split(";")]
        if any(not _ACTION_ID.match(x) for x in ids) or (
            known is not None and any(x not in known for x in ids)
        ):
            problems.append(t.where(pos, "delivered_by", "expected ';'-separated action ids of "
                                    "the roadmap action table, e.g. A07;A08"))  # fmt: skip


def _cross_check_costs(
    raw: dict, typed: dict, params: dict, problems: list, action_ids=None
) -> None:
    options = typed["Options"]
    option_ids = set(options["option_id"])
    n_bau = int(options["category"].eq("bau").sum())
    if n_bau != 1:
        problems.append(
            raw["Options"].where(
                None,
                "category",
                f"has {n_bau} options of category "
                "'bau'; expected exactly one business-as-usual option",
            )
        )
    for sheet in ("Costs", "Benefits"):
        for pos in np.flatnonzero(~typed[sheet]["option_id"].isin(option_ids).to_numpy()):
            problems.append(
                raw[sheet].where(
                    pos, "option_id", "names an option that is not on the Options sheet"
                )
            )
    # uncertainty targets: sheet:option:line-or-outcome:field
    keys = {
        "costs": set(zip(typed["Costs"]["option_id"], typed["Costs"]["line_id"], strict=True)),
        "benefits": set(
            zip(typed["Benefits"]["option_id"], typed["Benefits"]["outcome_id"], strict=True)
        ),
    }
    fields = {
        "costs": {"amount"},
        "benefits": {
            "cohort",
            "engagement_rate",
            "success_rate",
            "deadweight",
            "drop_off",
            "fiscal_value",
            "economic_value",
            "social_value",
            "cashable_share",
            "lag_years",
            "duration_years",
        },
    }
    groups = set(
        zip(typed["Costs"]["option_id"], typed["Costs"]["cost_type"].astype(str), strict=True)
    )
    unc = typed["Uncertainty"]
    for pos, (target, parameter) in enumerate(zip(unc["target"], unc["parameter"], strict=True)):
        parts = str(target).split(":")
        kind = cost_group(parts[2]) if len(parts) == 4 and parts[0] == "costs" else None
        if kind is not None or (len(parts) == 4 and str(parts[2]).startswith(GROUP_PREFIX)):
            _check_group_target(raw["Uncertainty"], pos, parts, kind, parameter, groups, problems)
            continue
        items = outcome_ids(parts[2]) if len(parts) == 4 and parts[0] == "benefits" else None
        ok = (
            len(parts) == 4
            and parts[0] in keys
            and (
                all((parts[1], i) in keys[parts[0]] for i in (items or [parts[2]]))
                or parts[1] == "*"
            )
            and parts[3] in fields[parts[0]]
        )
        if not ok:
            problems.append(
                raw["Uncertainty"].where(
                    pos,
                    "target",
                    "expected sheet:option:id:field, "
                    "e.g. benefits:preferred:O1:success_rate, naming "
                    "a row that exists (benefits:preferred:O1+O1b:success_rate for lines that "
                    "share the input), or costs:option:type=capital:amount (every capital, "
                    "staff or revenue line of an option)",
                )
            )
    _check_delivered_by(raw["Benefits"], typed["Benefits"], action_ids, problems)
    base = params.get("price_base_year")
    if base is not None and normalise_financial_year(base) is None:
        pass  # already reported by the parameter schema
