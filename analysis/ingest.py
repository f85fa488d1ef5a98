"""Ingest: turn each council input into validated, normalised, PII-checked tidy tables.

One function per input kind. Each takes the path and plain values (the instrument dicts, the
row schema loaded from ``workflow/schemas/``) and returns DataFrames in the shapes given in
``docs/data-contracts.md``; each raises :class:`analysis.validate.InputError` listing every
problem it found, located by file, sheet, row and column, without repeating any value.
Nothing here writes a file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import appraisal, pii
from analysis.journeys import STAGES
from analysis.validate import (
    InputError,
    InputProblem,
    RawTable,
    open_workbook,
    read_table,
    read_xlsx_table,
    validate_table,
)

MISSING_NOT_ANSWERED = "not_answered"
_PREFIX = re.compile(r"^\s*\(?\d{1,2}\s*[.):\-–]?\s+(?=\D)")


# ---------------------------------------------------------------------------- shared helpers


def normalise_label(raw: str) -> str:
    """Lower-case, strip a numeric prefix ("5. Strongly agree"), unify apostrophes and spaces."""
    s = str(raw).replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    s = _PREFIX.sub("", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def normalise_financial_year(value: str) -> str | None:
    """``2017/18``, ``2017-18`` or ``2017-2018`` -> ``2017-18``; None when not a financial year."""
    try:
        return appraisal.normalise_financial_year(value)
    except ValueError:
        return None


def pii_gate(table: RawTable, extra_patterns: Sequence = (), columns=None) -> None:
    """Gate 1: refuse the whole file if any header or text cell holds a direct identifier.

    The error names the row, column and kind of identifier, never the value.
    """
    problems = [
        table.where(
            None,
            f.column,
            f"the header names an identifier ({f.kind}); "
            "drop the column in config (drop_columns) or remove it from the file",
        )
        for f in pii.scan_headers(table.data.columns)
    ]
    for f in pii.scan_table(table.data, columns, extra_patterns):
        problems.append(
            table.where(
                f.row,
                f.column,
                f"holds what looks like a {f.kind}; inputs must be anonymised before ingest",
            )
        )
    if problems:
        raise InputError(problems)


def _map_ids_or_labels(s: pd.Series, entries: list[dict]) -> pd.Series:
    """Map values given either as ids or labels (any case) to ids; unknown values unchanged."""
    lookup = {}
    for e in entries:
        lookup[normalise_label(e["id"])] = e["id"]
        lookup[normalise_label(e.get("label", e["id"]))] = e["id"]
    norm = s.astype(str).map(normalise_label)
    return norm.map(lookup).where(lambda x: x.notna(), s)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(entries: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
    """``(path, authority, kind)`` triples -> manifest table with bytes and SHA-256."""
    rows = [
        {
            "path": p,
            "authority": a,
            "kind": k,
            "bytes": Path(p).stat().st_size,
            "sha256": file_sha256(p),
        }
        for p, a, k in entries
    ]
    return pd.DataFrame(rows, columns=["path", "authority", "kind", "bytes", "sha256"]).sort_values(
        ["authority", "kind", "path"], kind="stable", ignore_index=True
    )


# ---------------------------------------------------------------------------- survey


def likert_lookup(questionnaire: dict, scale_id: str) -> dict[str, int]:
    """Normalised label (and synonym) -> code 1..k for one scale."""
    scale = questionnaire["scales"][scale_id]
    lookup = {normalise_label(lbl): i + 1 for i, lbl in enumerate(scale["levels"])}
    for syn, target in (scale.get("synonyms") or {}).items():
        lookup[normalise_label(syn)] = lookup[normalise_label(target)]
    return lookup


def _resolve_survey_columns(table: RawTable, questionnaire: dict, fmt: dict) -> None:
    df = table.data
    drop = {normalise_label(c) for c in fmt.get("drop_columns", [])}
    keep = [c for c in df.columns if normalise_label(c) not in drop]
    rename = dict(fmt.get("column_map") or {})
    if fmt.get("headers", "item_id") == "item_text":
        by_text = {normalise_label(it["text"]): it["id"] for it in questionnaire["items"]}
        for c in keep:
            if normalise_label(c) in by_text:
                rename.setdefault(c, by_text[normalise_label(c)])
    table.data = df[keep].rename(columns=rename)


def ingest_survey(
    path: str | Path,
    questionnaire: dict,
    schema: dict,
    *,
    authority: str,
    fmt: dict | None = None,
    extra_patterns: Sequence = (),
    display: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated wide survey table and the long table of missing answers with their reasons.

    ``fmt`` describes the export: ``sheet`` (xlsx), ``header_rows`` (rows above the data; the
    first holds the column names), ``drop_columns`` (identifier columns of a platform export,
    dropped before the PII gate), ``column_map`` (header -> item id or base column) and
    ``headers`` (``item_id`` or ``item_text`` when the export uses the question text).
    Likert answers may be labels, synonyms, labels with numeric prefixes or bare codes 1..k;
    "Don't know"-type answers and blanks become missing with a reason, never a midpoint.
    """
    fmt = fmt or {}
    table = read_table(
        path,
        sheet=fmt.get("sheet", "Responses"),
        header_rows=fmt.get("header_rows", 1),
        display=display,
    )
    _resolve_survey_columns(table, questionnaire, fmt)
    pii_gate(table, extra_patterns)

    items = questionnaire["items"]
    item_ids = [it["id"] for it in items]
    base_cols = list(schema["properties"])
    df = table.data
    problems = [
        table.where(
            None,
            c,
            "is not a questionnaire item or a known column; map it with "
            "column_map or drop it with drop_columns",
        )
        for c in df.columns
        if c not in base_cols and c not in item_ids
    ]
    problems += [
        table.where(None, i, "is missing: every questionnaire item needs a column")
        for i in item_ids
        if i not in df.columns
    ]
    if problems:
        raise InputError(problems)

    base_table = RawTable(
        df[[c for c in base_cols if c in df.columns]].copy(),
        table.file,
        table.sheet,
        table.file_rows,
        table.column_letters,
    )
    if "respondent_group" in base_table.data:
        base_table.data["respondent_group"] = _map_ids_or_labels(
            base_table.data["respondent_group"], questionnaire["respondent_groups"]
        )
    groups = [g["id"] for g in questionnaire["respondent_groups"]]
    base_problems: list[InputProblem] = []
    try:
        base = validate_table(base_table, schema, enums={"respondent_group": groups})
    except InputError as err:
        base_problems = err.problems
        base = None

    missing_reasons = {
        normalise_label(k): v for k, v in (questionnaire.get("missing_labels") or {}).items()
    }
    out = {}
    missing_rows = []
    positions = np.arange(len(df))
    for it in items:
        raw = df[it["id"]].astype(str)
        norm = raw.map(normalise_label)
        reason = norm.map(missing_reasons)
        reason = reason.where(norm.ne(""), MISSING_NOT_ANSWERED)
        answered = reason.isna()
        if it["type"] == "likert":
            k = len(questionnaire["scales"][it["scale"]]["levels"])
            lookup = likert_lookup(questionnaire, it["scale"])
            codes = norm.map(lookup)
            bare = norm.str.fullmatch(r"\d+")
            as_int = pd.to_numeric(norm.where(bare), errors="coerce")
            in_range = as_int.between(1, k)
            codes = codes.where(codes.notna(), as_int.where(in_range))
            for pos in positions[(answered & bare & ~in_range).to_numpy()]:
                problems.append(
                    table.where(
                        pos,
                        it["id"],
                        f"is out of range; expected a code 1 to {k} "
                        f"or a label of the '{it['scale']}' scale",
                    )
                )
            bad = answered & codes.isna() & ~bare
            labels = "; ".join(questionnaire["scales"][it["scale"]]["levels"])
            for pos in positions[bad.to_numpy()]:
                problems.append(
                    table.where(
                        pos,
                        it["id"],
                        f"is not a label of the '{it['scale']}' scale; "
                        f"expected one of: {labels}; or Don't know / Prefer not to say",
                    )
                )
            out[it["id"]] = codes.where(answered).astype("Float64").round().astype("Int64")
        elif it["type"] == "categorical":
            lookup = {}
            for o in it["options"]:
                lookup[normalise_label(o["id"])] = o["id"]
                lookup[normalise_label(o["label"])] = o["id"]
            ids = norm.map(lookup)
            bad = answered & ids.isna()
            allowed = "; ".join(o["label"] for o in it["options"])
            for pos in positions[bad.to_numpy()]:
                problems.append(
                    table.where(
                        pos,
                        it["id"],
                        f"is not an option of this question; expected one of: {allowed}",
                    )
                )
            out[it["id"]] = ids.where(answered).astype(object)
        else:
            raise ValueError(f"questionnaire item {it['id']}: unknown type {it['type']!r}")
        for pos in positions[(~answered).to_numpy()]:
            missing_rows.append((pos, it["id"], reason.iloc[pos]))
    problems = base_problems + problems
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputError(problems)

    survey = pd.DataFrame(
        {
            "authority": authority,
            "response_id": base["response_id"].astype(str).array,
            "respondent_group": base["respondent_group"].astype(str).array,
            "wave": base["wave"].astype("Int64").array,
        }
    )
    for it in items:
        survey[it["id"]] = out[it["id"]].array
    missing = pd.DataFrame(missing_rows, columns=["pos", "item_id", "reason"])
    missing["response_id"] = survey["response_id"].to_numpy()[missing["pos"].to_numpy(dtype=int)]
    missing = missing[["response_id", "item_id", "reason"]]
    return survey, missing


# ---------------------------------------------------------------------------- coding


def ingest_coding(
    path: str | Path,
    codebook: dict,
    schema: dict,
    *,
    authority: str,
    sheet: str = "Coding",
    extra_patterns: Sequence = (),
    display: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated coding table (one row per excerpt x coder x code) and excerpts table."""
    table = read_table(path, sheet=sheet, display=display)
    pii_gate(table, extra_patterns)
    df = table.data
    if "participant_role" in df:
        df["participant_role"] = _map_ids_or_labels(
            df["participant_role"], codebook["participant_roles"]
        )
    if "code" in df:
        df["code"] = _map_ids_or_labels(df["code"], codebook["codes"])
    v = validate_table(
        table,
        schema,
        enums={
            "participant_role": [r["id"] for r in codebook["participant_roles"]],
            "code": [c["id"] for c in codebook["codes"]],
        },
    )
    problems = []
    excerpt_cols = ["session_id", "participant_role", "cleared_for_publication", "text"]
    first = v.groupby("excerpt_id", sort=False)[excerpt_cols].transform("first")
    for col in excerpt_cols:
        differs = v[col].astype(str).ne(first[col].astype(str))
        for pos in np.flatnonzero(differs.to_numpy()):
            problems.append(
                table.where(
                    pos,
                    col,
                    "differs from an earlier row of the same "
                    "excerpt_id; expected one value per excerpt",
                )
            )
    # one "no code" row and coded rows for the same excerpt and coder contradict each other
    key = v[["excerpt_id", "coder"]].astype(str).agg("\x1f".join, axis=1)
    has_empty = v["code"].isna()
    mixed = key.isin(set(key[has_empty])) & key.isin(set(key[~has_empty])) & has_empty
    for pos in np.flatnonzero(mixed.to_numpy()):
        problems.append(
            table.where(
                pos,
                "code",
                "is empty but the same coder applied codes to "
                "this excerpt in other rows; remove the empty row",
            )
        )
    if problems:
        raise InputError(problems)
    coding = pd.DataFrame(
        {
            "authority": authority,
            "session_id": v["session_id"],
            "excerpt_id": v["excerpt_id"],
            "participant_role": v["participant_role"],
            "coder": v["coder"],
            "is_adjudication": v["adjudication"].astype(bool),
            "code": v["code"],
        }
    )
    excerpts = v.drop_duplicates("excerpt_id")[
        ["session_id", "excerpt_id", "participant_role", "cleared_for_publication", "text"]
    ].assign(authority=authority)
    excerpts["cleared_for_publication"] = excerpts["cleared_for_publication"].astype(bool)
    excerpts = excerpts[
        [
            "authority",
            "session_id",
            "excerpt_id",
            "participant_role",
            "cleared_for_publication",
            "text",
        ]
    ]
    return coding.reset_index(drop=True), excerpts.reset_index(drop=True)


# ---------------------------------------------------------------------------- journeys


def ingest_journeys(
    path: str | Path,
    schema: dict,
    *,
    authority: str,
    sheet: str = "Register",
    display: str | None = None,
) -> pd.DataFrame:
    """Validated data-journey register: one row per stream and stage."""
    table = read_table(path, sheet=sheet, display=display)
    v = validate_table(table, schema)
    problems = []
    for col in ("stream_name", "source"):
        first = v.groupby("stream_id", sort=False)[col].transform("first")
        for pos in np.flatnonzero(v[col].ne(first).to_numpy()):
            problems.append(
                table.where(
                    pos,
                    col,
                    "differs from an earlier row of the same "
                    "stream_id; expected one value per stream",
                )
            )
    if problems:
        raise InputError(problems)
    v.insert(0, "authority", authority)
    order = {s: i for i, s in enumerate(STAGES)}
    v["_stage_order"] = v["stage"].map(order)
    first_row = v.reset_index().groupby("stream_id")["index"].transform("min")
    v["_stream_order"] = first_row.to_numpy()
    v = v.sort_values(["_stream_order", "_stage_order"], kind="stable")
    return v.drop(columns=["_stage_order", "_stream_order"]).reset_index(drop=True)


# ---------------------------------------------------------------------------- costs


def _sheet_schema(schema: dict, sheet: str) -> dict:
    return schema["$defs"][schema["x-sheets"][sheet]]


def ingest_costs(
    path: str | Path, schema: dict, *, authority: str, display: str | None = None
) -> dict[str, pd.DataFrame]:
    """Validated cost-model tables from a cost workbook (see docs/data-contracts.md)."""
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

    _cross_check_costs(raw, typed, params, problems)
    if problems:
        raise InputError(problems)

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


def _cross_check_costs(raw: dict, typed: dict, params: dict, problems: list) -> None:
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
    for pos, target in enumerate(typed["Uncertainty"]["target"]):
        parts = str(target).split(":")
        ok = (
            len(parts) == 4
            and parts[0] in keys
            and ((parts[1], parts[2]) in keys[parts[0]] or parts[1] == "*")
            and parts[3] in fields[parts[0]]
        )
        if not ok:
            problems.append(
                raw["Uncertainty"].where(
                    pos,
                    "target",
                    "expected sheet:option:id:field, "
                    "e.g. benefits:preferred:O1:success_rate, naming "
                    "a row that exists",
                )
            )
    base = params.get("price_base_year")
    if base is not None and normalise_financial_year(base) is None:
        pass  # already reported by the parameter schema
