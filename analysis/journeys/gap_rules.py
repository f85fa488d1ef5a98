"""Gap rules: a small declarative language over the journey table, interpreted here.

Which gaps exist is data, kept in the editable table ``survey/gap_rules.csv``; this module
checks and applies it. Each gap names a data-quality dimension of the Government Data Quality
Framework (Government Data Quality Hub, 2020): accuracy, completeness, uniqueness,
consistency, timeliness, validity (``none`` for a gap that is not about quality).
https://www.gov.uk/government/publications/the-government-data-quality-framework

The grammar of a rule's ``condition``::

    condition := conjunction ( " or " conjunction )*
    conjunction := clause ( " and " clause )*
    clause := COLUMN OP VALUE | "stage_absent" STAGE | "stage_present" STAGE
    OP := == | != | in | not in | contains | > | >= | < | <=
    VALUE := token | "[" token ( "," token )* "]"

Text comparison is case-insensitive; booleans compare as "true"/"false"; the ordering
operators compare numbers (volume_per_year). Scope "stage": the condition is tested on each
stage that happens (restricted to the rule's stage filter) and a clause must hold on that
same row. Scope "stream": each clause is tested over the stream's (filtered) stages and holds
when any of them satisfies it; stage_absent/stage_present test the whole stream.

A hand-written interpreter rather than ``DataFrame.query``/``eval``: the rule tables are
edited by councils, and evaluating them as Python expressions would run whatever they hold;
this language can only compare columns, and its errors name the rule and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.vocabulary import STAGES
from analysis.journeys.register import (
    CONDITION_COLUMNS,
    STAGE_ORDER,
    JourneyInputError,
    ensure_journeys,
)

#: Government Data Quality Framework dimensions; ``none`` marks a gap that is not about quality.
DQ_DIMENSIONS = (
    "accuracy",
    "completeness",
    "uniqueness",
    "consistency",
    "timeliness",
    "validity",
    "none",
)
SEVERITIES = ("high", "medium", "low")
#: Sort key of each severity, high first.
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


class GapRuleError(JourneyInputError):
    """The gap-rule table is malformed; the message names the rule and column."""


GAP_RULE_COLUMNS = (
    "gap_id",
    "label",
    "scope",
    "stages",
    "condition",
    "severity",
    "dq_dimension",
    "description",
)
_OPERATORS = ("not in", "contains", ">=", "<=", "==", "!=", "in", ">", "<")
_STAGE_PREDICATES = ("stage_absent", "stage_present")


@dataclass(frozen=True)
class Clause:
    """One comparison of a condition: ``column op values``, or a stage predicate."""

    column: str  # a CONDITION_COLUMNS entry or a _STAGE_PREDICATES entry
    op: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class GapRule:
    """One parsed row of the gap-rule table."""

    gap_id: str
    label: str
    scope: str
    stages: tuple[str, ...]
    condition: tuple[tuple[Clause, ...], ...]  # disjunction of conjunctions
    severity: str
    dq_dimension: str
    description: str


def _parse_values(text: str) -> tuple[str, ...]:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return tuple(v.strip().lower() for v in text[1:-1].split(",") if v.strip())
    return (text.lower(),)


def _parse_clause(text: str, gap_id: str) -> Clause:
    text = text.strip()
    parts = text.split(None, 1)
    if len(parts) < 2:
        raise GapRuleError(f"gap rule {gap_id!r}, column 'condition': incomplete clause")
    column, rest = parts[0], parts[1].strip()
    if column in _STAGE_PREDICATES:
        stage = rest.strip().lower()
        if stage not in STAGE_ORDER:
            raise GapRuleError(
                f"gap rule {gap_id!r}, column 'condition': {column} names unknown stage "
                f"{stage!r}; expected one of {list(STAGES)}"
            )
        return Clause(column, column, (stage,))
    if column not in CONDITION_COLUMNS:
        raise GapRuleError(
            f"gap rule {gap_id!r}, column 'condition': unknown column {column!r}; expected one "
            f"of {list(CONDITION_COLUMNS) + list(_STAGE_PREDICATES)}"
        )
    for op in _OPERATORS:
        if not rest.startswith(op):
            continue
        after = rest[len(op) :]
        if op[-1].isalpha() and after and not (after[0].isspace() or after[0] == "["):
            continue  # e.g. a word that merely begins with "in"
        value = after.strip()
        if not value:
            raise GapRuleError(
                f"gap rule {gap_id!r}, column 'condition': operator {op!r} on column "
                f"{column!r} has no value"
            )
        values = _parse_values(value)
        if op in (">", ">=", "<", "<="):
            try:
                [float(v) for v in values]
            except ValueError:
                raise GapRuleError(
                    f"gap rule {gap_id!r}, column 'condition': operator {op!r} on column "
                    f"{column!r} needs a number"
                ) from None
        return Clause(column, op, values)
    bad = rest.split()[0]
    raise GapRuleError(
        f"gap rule {gap_id!r}, column 'condition': unknown operator {bad!r} on column "
        f"{column!r}; expected one of {list(_OPERATORS)}"
    )


def parse_gap_rules(rules: pd.DataFrame) -> list[GapRule]:
    """Check and parse the gap-rule table (see ``survey/gap_rules.csv``).

    Raises :class:`GapRuleError` naming the rule (``gap_id``) and the column at fault.
    """
    missing = [c for c in GAP_RULE_COLUMNS if c not in rules.columns]
    if missing:
        raise GapRuleError(f"gap rule table: missing column(s) {missing}")
    parsed: list[GapRule] = []
    seen: set[str] = set()
    for i, r in rules.reset_index(drop=True).iterrows():
        cell = {c: ("" if pd.isna(r[c]) else str(r[c]).strip()) for c in GAP_RULE_COLUMNS}
        gid = cell["gap_id"]
        if not gid:
            raise GapRuleError(f"gap rule table row {i + 2}, column 'gap_id': empty")
        if gid in seen:
            raise GapRuleError(f"gap rule {gid!r}, column 'gap_id': duplicate id")
        seen.add(gid)
        scope = cell["scope"].lower()
        if scope not in ("stage", "stream"):
            raise GapRuleError(f"gap rule {gid!r}, column 'scope': expected 'stage' or 'stream'")
        stages = tuple(s.strip().lower() for s in cell["stages"].split(";") if s.strip())
        bad = [s for s in stages if s not in STAGE_ORDER]
        if bad:
            raise GapRuleError(
                f"gap rule {gid!r}, column 'stages': unknown stage(s) {bad}; expected a "
                f"';'-separated list of {list(STAGES)} or empty for all"
            )
        severity = cell["severity"].lower()
        if severity not in SEVERITIES:
            raise GapRuleError(f"gap rule {gid!r}, column 'severity': expected {SEVERITIES}")
        dim = cell["dq_dimension"].lower()
        if dim not in DQ_DIMENSIONS:
            raise GapRuleError(
                f"gap rule {gid!r}, column 'dq_dimension': expected one of {DQ_DIMENSIONS}"
            )
        if not cell["condition"]:
            raise GapRuleError(f"gap rule {gid!r}, column 'condition': empty")
        condition = tuple(
            tuple(_parse_clause(c, gid) for c in re.split(r"\s+and\s+", conj.strip()))
            for conj in re.split(r"\s+or\s+", cell["condition"])
        )
        parsed.append(
            GapRule(
                gap_id=gid,
                label=cell["label"],
                scope=scope,
                stages=stages or STAGES,
                condition=condition,
                severity=severity,
                dq_dimension=dim,
                description=cell["description"],
            )
        )
    return parsed


def _eval_frame(journeys: pd.DataFrame) -> pd.DataFrame:
    """Happening stages with every condition column as lower-case text (numbers kept)."""
    h = journeys[journeys["happens"]].copy()
    for c in CONDITION_COLUMNS:
        if c == "volume_per_year":
            h["_num_" + c] = pd.to_numeric(h[c], errors="coerce").astype(float)
        if c == "manual_rekeying":
            h["_txt_" + c] = (
                h[c].map(lambda v: "" if pd.isna(v) else ("true" if v else "false")).astype(str)
            )
        else:
            h["_txt_" + c] = h[c].astype(str).str.strip().str.lower()
    return h


def _clause_mask(rows: pd.DataFrame, cl: Clause, present: dict) -> pd.Series:
    """Row-wise truth of one clause; ``present`` maps (authority, stream_id) -> set of stages."""
    if cl.op in _STAGE_PREDICATES:
        keys = list(zip(rows["authority"], rows["stream_id"]))
        has = [cl.values[0] in present[k] for k in keys]
        val = [not x for x in has] if cl.op == "stage_absent" else has
        return pd.Series(val, index=rows.index, dtype=bool)
    txt = rows["_txt_" + cl.column]
    if cl.op == "==":
        return txt == cl.values[0]
    if cl.op == "!=":
        return txt != cl.values[0]
    if cl.op == "in":
        return txt.isin(cl.values)
    if cl.op == "not in":
        return ~txt.isin(cl.values)
    if cl.op == "contains":
        return txt.str.contains(cl.values[0], regex=False)
    num = (
        rows["_num_" + cl.column]
        if "_num_" + cl.column in rows
        else pd.to_numeric(txt, errors="coerce")
    )
    x = float(cl.values[0])
    res = {">": num > x, ">=": num >= x, "<": num < x, "<=": num <= x}[cl.op]
    return res.fillna(False).astype(bool)


def find_gaps(journeys: pd.DataFrame, rules: pd.DataFrame | list[GapRule]) -> pd.DataFrame:
    """Apply the declarative gap rules to the journeys: one row per (gap, stream).

    ``journeys`` is the register or the output of :func:`journey_table`; ``rules`` the gap-rule
    table (``survey/gap_rules.csv``) or its parsed form. Returns columns ``authority, gap_id,
    label, severity, dq_dimension, scope, stream_id, stream_name, stages, n_stages`` where
    ``stages`` lists (';'-separated, journey order) the stages where the gap shows: the stages
    whose rows satisfied the condition and any stage a ``stage_absent`` clause named. Sorted by
    authority, severity (high first), gap_id, stream_id.
    """
    j = ensure_journeys(journeys)
    parsed = rules if isinstance(rules, list) else parse_gap_rules(rules)
    ev = _eval_frame(j)
    present: dict = {
        k: set(g["stage"]) for k, g in ev.groupby(["authority", "stream_id"], sort=True)
    }
    names = j.groupby(["authority", "stream_id"], sort=True)["stream_name"].first().to_dict()
    for k in names:
        present.setdefault(k, set())
    out = []
    for rule in parsed:
        rows = ev[ev["stage"].isin(rule.stages)]
        hits: dict[tuple, set] = {}
        if rule.scope == "stage":
            for conj in rule.condition:
                mask = pd.Series(True, index=rows.index)
                for cl in conj:
                    mask &= _clause_mask(rows, cl, present)
                absent = {cl.values[0] for cl in conj if cl.op == "stage_absent"}
                for _, r in rows[mask].iterrows():
                    hits.setdefault((r["authority"], r["stream_id"]), set()).update(
                        {r["stage"]} | absent
                    )
        else:
            for key in names:
                srows = rows[(rows["authority"] == key[0]) & (rows["stream_id"] == key[1])]
                for conj in rule.condition:
                    touched: set = set()
                    ok = True
                    for cl in conj:
                        if cl.op in _STAGE_PREDICATES:
                            has = cl.values[0] in present[key]
                            holds = (not has) if cl.op == "stage_absent" else has
                            if holds and cl.op == "stage_absent":
                                touched.add(cl.values[0])
                        else:
                            m = _clause_mask(srows, cl, present)
                            holds = bool(m.any())
                            touched.update(srows.loc[m, "stage"])
                        if not holds:
                            ok = False
                            break
                    if ok:
                        hits.setdefault(key, set()).update(touched)
        for key, stages in hits.items():
            ordered = sorted(stages, key=STAGE_ORDER.get)
            out.append(
                {
                    "authority": key[0],
                    "gap_id": rule.gap_id,
                    "label": rule.label,
                    "severity": rule.severity,
                    "dq_dimension": rule.dq_dimension,
                    "scope": rule.scope,
                    "stream_id": key[1],
                    "stream_name": names[key],
                    "stages": ";".join(ordered),
                    "n_stages": len(ordered),
                }
            )
    cols = [
        "authority",
        "gap_id",
        "label",
        "severity",
        "dq_dimension",
        "scope",
        "stream_id",
        "stream_name",
        "stages",
        "n_stages",
    ]
    res = pd.DataFrame(out, columns=cols)
    if res.empty:
        return res.astype({"n_stages": int})
    res["_sev"] = res["severity"].map(SEVERITY_ORDER)
    res = res.sort_values(["authority", "_sev", "gap_id", "stream_id"], kind="stable")
    return res.drop(columns="_sev").reset_index(drop=True)


def gap_summary(
    gaps: pd.DataFrame,
    journeys: pd.DataFrame | None = None,
    rules: pd.DataFrame | list[GapRule] | None = None,
) -> pd.DataFrame:
    """Summary of the gap register: one row per (authority, gap).

    Columns ``authority, gap_id, label, severity, dq_dimension, n_streams, n_streams_total,
    pct_streams, streams``. With ``journeys`` and ``rules`` every rule appears for every
    authority (``n_streams`` 0 when it did not fire), and ``pct_streams`` is the share of the
    authority's streams touched; otherwise only fired gaps appear and the total is missing.
    Counts are of data streams, not of people.
    """
    rows = []
    g = gaps.groupby(["authority", "gap_id"], sort=True)
    for (auth, gid), d in g:
        rows.append(
            {
                "authority": auth,
                "gap_id": gid,
                "label": d["label"].iloc[0],
                "severity": d["severity"].iloc[0],
                "dq_dimension": d["dq_dimension"].iloc[0],
                "n_streams": int(d["stream_id"].nunique()),
                "streams": ";".join(sorted(d["stream_id"].unique())),
            }
        )
    cols = ["authority", "gap_id", "label", "severity", "dq_dimension", "n_streams", "streams"]
    summ = pd.DataFrame(rows, columns=cols)
    if journeys is not None and rules is not None:
        j = ensure_journeys(journeys)
        parsed = rules if isinstance(rules, list) else parse_gap_rules(rules)
        totals = j.groupby("authority", sort=True)["stream_id"].nunique()
        full = pd.DataFrame(
            [
                {
                    "authority": a,
                    "gap_id": r.gap_id,
                    "label": r.label,
                    "severity": r.severity,
                    "dq_dimension": r.dq_dimension,
                }
                for a in totals.index
                for r in parsed
            ]
        )
        summ = full.merge(
            summ[["authority", "gap_id", "n_streams", "streams"]],
            on=["authority", "gap_id"],
            how="left",
        )
        summ["n_streams"] = summ["n_streams"].fillna(0).astype(int)
        summ["streams"] = summ["streams"].fillna("")
        summ["n_streams_total"] = summ["authority"].map(totals).astype(int)
        summ["pct_streams"] = 100.0 * summ["n_streams"] / summ["n_streams_total"]
    else:
        summ["n_streams_total"] = pd.Series(pd.NA, index=summ.index, dtype="Int64")
        summ["pct_streams"] = np.nan
    summ["_sev"] = summ["severity"].map(SEVERITY_ORDER)
    summ = summ.sort_values(["authority", "_sev", "gap_id"], kind="stable").drop(columns="_sev")
    cols = [
        "authority",
        "gap_id",
        "label",
        "severity",
        "dq_dimension",
        "n_streams",
        "n_streams_total",
        "pct_streams",
        "streams",
    ]
    return summ[cols].reset_index(drop=True)


def read_gap_rules(path: str | Path) -> pd.DataFrame:
    """Read the gap-rule table as text (no NA guessing) and check it parses."""
    rules = pd.read_csv(path, dtype=str, keep_default_na=False)
    parse_gap_rules(rules)
    return rules
