"""Ingest of survey exports: platform layouts, Likert labels, missing-answer reasons."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.tables import (
    InputError,
    InputProblem,
    RawTable,
    read_table,
    validate_table,
)
from analysis.ingest.common import (
    MISSING_NOT_ANSWERED,
    map_ids_or_labels,
    normalise_label,
    pii_gate,
)


def likert_lookup(questionnaire: dict, scale_id: str) -> dict[str, int]:
    """Normalised label (and synonym) -> code 1..k for one scale."""
    scale = questionnaire["scales"][scale_id]
    lookup = {normalise_label(lbl): i + 1 for i, lbl in enumerate(scale["levels"])}
    for syn, target in (scale.get("synonyms") or {}).items():
        lookup[normalise_label(syn)] = lookup[normalise_label(target)]
    return lookup


def _resolve_survey_columns(table: RawTable, questionnaire: dict, fmt: dict) -> RawTable:
    """Drop the platform's identifier columns, map headers to item ids and base columns."""
    df = table.data
    drop = {normalise_label(c) for c in fmt.get("drop_columns", [])}
    keep = [c for c in df.columns if normalise_label(c) not in drop]
    rename = dict(fmt.get("column_map") or {})
    if fmt.get("headers", "item_id") == "item_text":
        by_text = {normalise_label(it["text"]): it["id"] for it in questionnaire["items"]}
        for c in keep:
            if normalise_label(c) in by_text:
                rename.setdefault(c, by_text[normalise_label(c)])
    return table.select(keep, rename)


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
    items = questionnaire["items"]
    item_ids = [it["id"] for it in items]
    base_cols = list(schema["properties"])
    table = read_table(
        path,
        sheet=fmt.get("sheet", "Responses"),
        header_rows=fmt.get("header_rows", 1),
        display=display,
        columns=base_cols + item_ids,
    )
    table = _resolve_survey_columns(table, questionnaire, fmt)
    pii_gate(table, extra_patterns)

    df = table.data
    if not set(df.columns) & {*base_cols, *item_ids}:
        raise InputError(
            [
                table.where(
                    None,
                    None,
                    "row 1 holds none of the expected column names; is the header row "
                    "missing? expected response_id, respondent_group and the questionnaire's "
                    "item ids (or column_map / headers: item_text in the config)",
                )
            ]
        )
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

    base_table = table.select([c for c in base_cols if c in df.columns])
    base_table.data = base_table.data.copy()
    if "respondent_group" in base_table.data:
        base_table.data["respondent_group"] = map_ids_or_labels(
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
