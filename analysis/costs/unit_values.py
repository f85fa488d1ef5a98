"""Unit values with provenance: a benefit line may name a published unit value instead of
typing a number.

Two catalogues, each row carrying its value, price year and source:

* ``gb:<id>``: the bundled table of Green Book supplementary values
  (``analysis/data/unit_values.csv``, e.g. ``gb:wellby``);
* ``gmca:<cost code>``: the GMCA Unit Cost Database workbook a council downloads and names in
  its config (``inputs.unit_costs``), read in its published layout by
  :func:`read_unit_cost_database`.

:func:`resolve_benefit_values` replaces each referenced value on the Benefits sheet by the unit
value times the number of units per successful outcome, uprated with the GDP deflator from
the unit value's price year to the benefit line's price year (so the appraisal then treats it
exactly as a value typed at that price year), and returns the provenance of every monetised
value for the business case's sources table. Every problem is a located input error: an
unknown id, a value given twice, a price year the deflator series does not cover.

The GMCA reader is written here: the database is published only as a workbook, and no
maintained library reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core.periods import financial_year_or_none
from analysis.core.tables import InputError, InputProblem, RawTable
from analysis.costs.precision import to_penny
from analysis.costs.prices import real_terms_factor
from analysis.costs.reference import read_gdp_deflators, read_packaged

#: The value columns of the Benefits sheet that may name a unit value instead.
VALUE_KINDS = ("fiscal", "economic", "social")
BUNDLED_PREFIX, GMCA_PREFIX = "gb", "gmca"
#: The GMCA workbook's theme sheets (v3.0, 2026) and its column positions: A category, B
#: detail, C cost code, D description, E unit, F agency, G agency detail, H the value, I its
#: price year ("2010/11"), J the value uprated by the workbook's own formula (not read: this
#: pipeline uprates with the deflator series it records). The first two rows are headings.
GMCA_HEADER_ROWS = 2
GMCA_COLUMNS = {"code": 2, "description": 3, "unit": 4, "agency": 5, "value": 7, "price_year": 8}
_CODE = re.compile(r"^[A-Z]{1,4}\d+(?:\.\d+)*$")
CATALOGUE_COLUMNS = [
    "unit_value_id",
    "name",
    "value",
    "unit",
    "price_year",
    "kind",
    "source",
    "verified",
]
PROVENANCE_COLUMNS = [
    "authority",
    "option_id",
    "outcome_id",
    "outcome",
    "value_kind",
    "agency",
    "value",
    "price_year",
    "unit_value_id",
    "unit_value",
    "units",
    "unit_price_year",
    "source",
    "verified",
]


def bundled_unit_values() -> pd.DataFrame:
    """The bundled Green Book supplementary values as a catalogue (ids ``gb:<id>``)."""
    t = read_packaged("unit_values.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "unit_value_id": BUNDLED_PREFIX + ":" + t["unit_value_id"],
            "name": t["name"],
            "value": t["value"].astype(float),
            "unit": t["unit"],
            "price_year": t["price_year"],
            "kind": t["kind"],
            "source": t["source"] + ": " + t["table"],
            "verified": t["verified"].eq("true"),
        },
        columns=CATALOGUE_COLUMNS,
    )


def read_unit_cost_database(path: str | Path, *, display: str | None = None) -> pd.DataFrame:
    """The unit costs of a GMCA Unit Cost Database workbook as a catalogue (ids
    ``gmca:<cost code>``), from every sheet whose column C holds cost codes.

    A row counts when its column C holds a cost code (``CR2.0``); it must then have a value of
    £0 or more in column H and a financial year in column I, or it is a located error. A code
    that appears twice is an error. Values are read as saved (the workbook's formulas are not
    evaluated here).
    """
    from openpyxl import load_workbook

    name = display or str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # any reader failure is the same input error
        raise InputError([InputProblem(name, "is not a readable xlsx workbook")]) from None
    rows, problems, seen = [], [], {}
    for si, ws in enumerate(wb.worksheets, 1):
        for r, cells in enumerate(ws.iter_rows(values_only=True), 1):
            if r <= GMCA_HEADER_ROWS:
                continue
            cells = list(cells) + [None] * 10
            code = cells[GMCA_COLUMNS["code"]]
            code = str(code).strip() if code is not None else ""
            if not _CODE.match(code):
                continue
            # positions only: a sheet name or a cell of a downloaded workbook is never echoed
            where = {"sheet_number": si, "row": r}
            value = cells[GMCA_COLUMNS["value"]]
            py = financial_year_or_none(cells[GMCA_COLUMNS["price_year"]])
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                problems.append(
                    InputProblem(
                        name,
                        "expected a unit cost of £0 or more",
                        **where,
                        column="value",
                        column_letter="H",
                    )  # fmt: skip
                )
                continue
            if py is None:
                problems.append(
                    InputProblem(
                        name,
                        "expected a price year such as 2010/11",
                        **where,
                        column="price year",
                        column_letter="I",
                    )  # fmt: skip
                )
                continue
            if code in seen:
                problems.append(
                    InputProblem(
                        name,
                        f"repeats a cost code first given at {seen[code]}",
                        **where,
                        column="cost code",
                        column_letter="C",
                    )  # fmt: skip
                )
                continue
            seen[code] = f"sheet {si}, row {r}"
            rows.append(
                {
                    "unit_value_id": f"{GMCA_PREFIX}:{code}",
                    "name": str(cells[GMCA_COLUMNS["description"]] or code).strip(),
                    "value": float(value),
                    "unit": str(cells[GMCA_COLUMNS["unit"]] or "").strip(),
                    "price_year": py,
                    "kind": "",
                    "source": f"GMCA Unit Cost Database ({Path(name).name}), cost code {code}",
                    "verified": True,
                }
            )
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([InputProblem(name, "has no row with a cost code in column C")])
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def resolve_benefit_values(
    raw: RawTable,
    benefits: pd.DataFrame,
    catalogue: pd.DataFrame,
    deflators: pd.DataFrame,
    *,
    authority: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Benefits table with every referenced value filled in, and the provenance of every
    monetised value (:data:`PROVENANCE_COLUMNS`, one row per line and value kind with a value
    above zero).

    For each kind, a line gives either ``<kind>_value`` or ``<kind>_value_ref`` (and then
    optionally ``<kind>_value_units``, the units per successful outcome, default 1). A
    referenced value is ``unit value x units x deflator(line price year) / deflator(unit
    price year)``. ``raw`` locates problems (the sheet as read).
    """
    b = benefits.copy()
    cat = catalogue.set_index("unit_value_id")
    problems, prov = [], []
    for pos in range(len(b)):
        line = b.iloc[pos]
        for kind in VALUE_KINDS:
            vcol, rcol, ucol = f"{kind}_value", f"{kind}_value_ref", f"{kind}_value_units"
            value = line.get(vcol)
            ref = line.get(rcol) if rcol in b else None
            units = line.get(ucol) if ucol in b else None
            has_value, has_ref = pd.notna(value), isinstance(ref, str) and bool(ref)
            if has_value and has_ref:
                problems.append(raw.where(pos, rcol, f"expected either {vcol} or a unit-value "
                                          "reference, not both"))  # fmt: skip
                continue
            if not has_ref:
                if pd.notna(units):
                    problems.append(raw.where(pos, ucol, f"expected units only with {rcol}"))
                if not has_value:
                    problems.append(raw.where(pos, vcol, "expected a value (£ per successful "
                                              f"outcome) or a unit-value id in {rcol}"))  # fmt: skip
                    continue
                if float(value) > 0:
                    prov.append(_typed(line, authority, kind))
                continue
            if ref not in cat.index:
                problems.append(raw.where(pos, rcol, _unknown(ref)))
                continue
            unit = cat.loc[ref]
            n = 1.0 if pd.isna(units) else float(units)
            try:
                factor = real_terms_factor(str(unit["price_year"]), str(line["price_year"]),
                                           deflators)  # fmt: skip
            except ValueError:
                problems.append(raw.where(pos, rcol, "expected a unit value whose price year "
                                          "the GDP deflator series covers"))  # fmt: skip
                continue
            resolved = float(unit["value"]) * n * factor
            b.iloc[pos, b.columns.get_loc(vcol)] = resolved
            prov.append(
                {
                    **_key(line, authority, kind),
                    "value": resolved,
                    "price_year": str(line["price_year"]),
                    "unit_value_id": ref,
                    "unit_value": float(unit["value"]),
                    "units": n,
                    "unit_price_year": str(unit["price_year"]),
                    "source": str(unit["source"]),
                    "verified": bool(unit["verified"]),
                }
            )
    if problems:
        raise InputError(problems)
    for kind in VALUE_KINDS:
        b[f"{kind}_value"] = b[f"{kind}_value"].astype(float)
    b = b.drop(columns=[c for c in b.columns
                        if c.endswith(("_value_ref", "_value_units", "_value_source"))])  # fmt: skip
    return b, pd.DataFrame(prov, columns=PROVENANCE_COLUMNS)


def typed_provenance(benefits: pd.DataFrame, authority: str) -> pd.DataFrame:
    """The provenance table of a Benefits table whose values are all typed (no reference):
    what :func:`resolve_benefit_values` returns for such a table."""
    rows = [
        _typed(line, authority, kind)
        for _, line in benefits.iterrows()
        for kind in VALUE_KINDS
        if float(line[f"{kind}_value"]) > 0
    ]
    return pd.DataFrame(rows, columns=PROVENANCE_COLUMNS)


def _unknown(ref: str) -> str:
    prefix = ref.split(":", 1)[0]
    if prefix == GMCA_PREFIX:
        return (
            "expected a cost code of the GMCA Unit Cost Database named in the config "
            "(inputs.unit_costs)"
        )
    return "expected a unit-value id of the bundled table (analysis/data/unit_values.csv)"


#: Who receives each kind of value (fiscal value: the line's ``fiscal_agency``).
KIND_AGENCY = {"economic": "economy", "social": "society"}


def _key(line, authority: str, kind: str) -> dict:
    return {
        "authority": authority,
        "option_id": str(line["option_id"]),
        "outcome_id": str(line["outcome_id"]),
        "outcome": str(line["outcome"]),
        "value_kind": kind,
        "agency": str(line["fiscal_agency"]) if kind == "fiscal" else KIND_AGENCY[kind],
    }


def _source(line, kind: str) -> str:
    """The source of a council's own value: ``<kind>_value_source`` when the line gives one
    (economic and social values), else the line's ``source``."""
    own = line.get(f"{kind}_value_source")
    return str(own) if isinstance(own, str) and own.strip() else str(line["source"])


def _typed(line, authority: str, kind: str) -> dict:
    value = float(line[f"{kind}_value"])
    return {
        **_key(line, authority, kind),
        "value": value,
        "price_year": str(line["price_year"]),
        "unit_value_id": "",
        "unit_value": value,
        "units": 1.0,
        "unit_price_year": str(line["price_year"]),
        "source": _source(line, kind),
        "verified": False,
    }


BENEFIT_SOURCE_COLUMNS = [
    "option_id",
    "outcome_id",
    "outcome",
    "value_kind",
    "agency",
    "unit_value_id",
    "unit_value",
    "units",
    "unit_price_year",
    "value",
    "price_year",
    "value_price_base",
    "price_base_year",
    "source",
    "verified",
]


def benefit_sources_table(
    values: pd.DataFrame, price_base_year: str, deflators: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Where each monetised benefit value comes from (the ingest's ``benefit_values``): the
    unit value and its price year as published, or the council's own value; the value per
    successful outcome at the line's price year and uprated to the price base, to the penny.
    ``unit_value_id`` is empty for a value the council typed (a local assumption unless its
    source says otherwise)."""
    d = read_gdp_deflators() if deflators is None else deflators
    v = values.copy()
    v["unit_value_id"] = v["unit_value_id"].astype(object).where(v["unit_value_id"].notna(), "")
    v["value_price_base"] = [
        x * real_terms_factor(str(py), price_base_year, d)
        for x, py in zip(v["value"], v["price_year"], strict=True)
    ]
    v["price_base_year"] = price_base_year
    for col in ("unit_value", "value", "value_price_base"):
        v[col] = [to_penny(x) for x in v[col]]
    v["verified"] = v["verified"].map(lambda b: "yes" if str(b).lower() == "true" else "no")
    return v[BENEFIT_SOURCE_COLUMNS].reset_index(drop=True)
