"""Ingest of the journey register's Systems sheet: one row per system the register names.

The Register sheet (:func:`analysis.ingest.journeys.ingest_journeys`) says which system serves
each stage of each stream; the Systems sheet says, once per system, who owns it (a role),
where it is hosted, how it exchanges data and what it provides (its capabilities: a
warehouse, a single view, automated reporting...). Together they make the systems inventory,
and a capability is the positive evidence the roadmap needs before it calls an action such as
"single view of the person or family" already in place.

The sheet is optional: a register without it (or a CSV register, which has no sheets) gives
an empty table, and the inventory then shows owner, hosting and integration as not recorded.
When it is there it is checked against the Register: every system the Register names at a
stage that happens (decision use excepted: there the register names who decides, not a
system) has exactly one row, and no row names a system the Register does not. Errors name
file, sheet, row and column, never a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.tables import (
    InputError,
    InputProblem,
    open_workbook,
    read_xlsx_table,
    validate_table,
)
from analysis.ingest.common import pii_gate

#: The sheet's name in the register workbook.
SYSTEMS_SHEET = "Systems"
#: Columns of the validated table (``results/{authority}/ingest/systems.csv``).
SYSTEMS_COLUMNS = (
    "authority",
    "system",
    "owner",
    "hosting",
    "integration",
    "capabilities",
    "notes",
)
#: Stages at which the register names who decides rather than a system.
_NOT_A_SYSTEM_STAGES = ("decision_use",)


def empty_systems() -> pd.DataFrame:
    """The validated Systems table of a register that has no Systems sheet."""
    return pd.DataFrame(columns=list(SYSTEMS_COLUMNS))


def _register_systems(register) -> dict[str, int]:
    """``{system: position of its first Register row}`` for the systems that need a row."""
    data = register.data
    first: dict[str, int] = {}
    for pos, (stage, system) in enumerate(
        zip(data["stage"].astype(str), data["system"].astype(str), strict=True)
    ):
        name = system.strip()
        if stage.strip().lower() in _NOT_A_SYSTEM_STAGES or name.lower() in ("", "none"):
            continue
        first.setdefault(name, pos)
    return first


def _list_column(table, col: str, allowed: list[str], values: pd.Series, problems) -> pd.Series:
    """A ';'-separated column checked against ``allowed`` (any case); canonical, sorted in the
    order of ``allowed``, ';'-joined. ``none`` may not be combined with another value."""
    order = {a: i for i, a in enumerate(allowed)}
    shown = ", ".join(allowed)
    out = []
    for pos, cell in enumerate(values):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip():
            out.append("")
            continue
        items = [x.strip().lower() for x in str(cell).split(";")]
        if any(not x or x not in order for x in items):
            problems.append(
                table.where(
                    pos,
                    col,
                    f"expected one or more of: {shown}, separated by ';'",
                )
            )
            out.append("")
            continue
        if "none" in items and len(set(items)) > 1:
            problems.append(
                table.where(pos, col, "expected 'none' alone, or values other than 'none'")
            )
        out.append(";".join(sorted(set(items), key=order.get)))
    return pd.Series(out, index=values.index, dtype=object)


def ingest_journey_systems(
    path: str | Path,
    schema: dict,
    *,
    authority: str,
    register_sheet: str = "Register",
    sheet: str = SYSTEMS_SHEET,
    display: str | None = None,
    extra_patterns: Sequence = (),
) -> pd.DataFrame:
    """The validated Systems sheet of a journey register (module docstring).

    ``schema`` is the journey-register schema (``workflow/schemas/journeys.schema.yaml``),
    whose ``$defs.systems`` describes a row; ``register_sheet`` the sheet
    :func:`~analysis.ingest.journeys.ingest_journeys` validated (read again here, to locate a
    system that has no row). Returns :data:`SYSTEMS_COLUMNS`, in the sheet's row order, with
    ``hosting`` canonical and ``integration``/``capabilities`` canonical ';'-lists; an empty
    table when the register has no Systems sheet. Raises
    :class:`~analysis.core.tables.InputError` listing every problem.
    """
    path = Path(path)
    name = display or str(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return empty_systems()
    wb = open_workbook(path, display=name)
    if sheet not in wb[0].sheetnames:
        return empty_systems()
    row_schema = schema["$defs"]["systems"]
    table = read_xlsx_table(
        path, sheet, display=name, workbook=wb, columns=row_schema["properties"]
    )
    pii_gate(table, extra_patterns)
    v = validate_table(table, row_schema)
    problems: list[InputProblem] = []
    for col, prop in row_schema["properties"].items():
        if "x-list-enum" in prop and col in v.columns:
            v[col] = _list_column(table, col, prop["x-list-enum"], v[col], problems)
    register = read_xlsx_table(
        path, register_sheet, display=name, workbook=wb, columns=schema["properties"]
    )
    needed = _register_systems(register)
    named = v["system"].astype(str).str.strip()
    for pos in np.flatnonzero(~named.isin(list(needed)).to_numpy()):
        problems.append(
            table.where(
                pos,
                "system",
                f"names no system of the '{register_sheet}' sheet; expected a system's name "
                "exactly as the 'system' column writes it at a stage from capture to analysis",
            )
        )
    have = set(named)
    for system, pos in needed.items():
        if system not in have:
            problems.append(
                register.where(
                    pos,
                    "system",
                    f"names a system with no row in the '{sheet}' sheet; expected one row per "
                    "system (owner, hosting, integration)",
                )
            )
    if problems:
        raise InputError(problems)
    v["system"] = named
    v.insert(0, "authority", authority)
    for c in SYSTEMS_COLUMNS:
        if c not in v.columns:
            v[c] = None
    return v[list(SYSTEMS_COLUMNS)].reset_index(drop=True)
