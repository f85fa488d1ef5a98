"""Data journeys, gap register, tool SWOT and scores, and data maturity.

Input is the validated journey register ``journeys.csv`` (see ``docs/data-contracts.md``):
one row per (stream, stage). Everything here is a pure function on DataFrames; the small
``read_*`` helpers are the only functions that touch files.

Sources for the vocabularies used:

* Government Data Quality Framework (Government Data Quality Hub, 2020), six dimensions:
  accuracy, completeness, uniqueness, consistency, timeliness, validity.
  https://www.gov.uk/government/publications/the-government-data-quality-framework
* Data Maturity Assessment for Government (Central Digital and Data Office, 2023): five levels
  (beginning, emerging, learning, developing, mastering) across six themes (uses, data,
  leadership, culture, tools, skills).
  https://www.gov.uk/government/publications/data-maturity-assessment-for-government-framework

Gap rules, the maturity rubric and (in :mod:`analysis.journeys.roadmap`) the roadmap actions are data,
kept in editable CSV tables under ``survey/``; the code only interprets them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.vocabulary import STAGES

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
#: DMA themes and levels (1..5).
MATURITY_THEMES = ("uses", "data", "leadership", "culture", "tools", "skills")
MATURITY_LEVELS = ("beginning", "emerging", "learning", "developing", "mastering")

#: Per-stage fields of the register (everything about a stage besides its name and source).
_STAGE_FIELDS = (
    "channel",
    "system",
    "dq_audit",
    "security_controls",
    "manual_rekeying",
    "sharing_agreement",
    "frequency",
    "volume_per_year",
    "last_reviewed",
)
#: Columns of the journey table a gap-rule condition may test.
CONDITION_COLUMNS = ("stage", "source", *_STAGE_FIELDS)
REGISTER_COLUMNS = ("authority", "stream_id", "stream_name", *CONDITION_COLUMNS)
_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
_STAGE_ORDER = {s: i + 1 for i, s in enumerate(STAGES)}


class JourneyInputError(ValueError):
    """An input table (register, rule table, rubric) does not meet its contract."""


class GapRuleError(JourneyInputError):
    """The gap-rule table is malformed; the message names the rule and column."""


def _round_half_up(x: Fraction) -> int:
    # Python's round() rounds halves to even; scores use the schoolbook rule, on exact fractions.
    return math.floor(x + Fraction(1, 2))


def _as_bool(value, where: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y", "t"):
        return True
    if text in ("false", "no", "0", "n", "f", "", "nan", "<na>"):
        return False
    raise JourneyInputError(f"{where}: expected true/false")


# --------------------------------------------------------------------------------------------
# Journeys
# --------------------------------------------------------------------------------------------


def journey_table(register: pd.DataFrame) -> pd.DataFrame:
    """Tidy journey table: every stream x the seven stages, in stage order.

    A stage missing from the register, or with ``system == "none"``, does not happen
    (``happens`` is False, ``system`` is ``"none"`` and the stage fields are empty).

    Returns columns ``authority, stream_id, stream_name, stage, stage_order, happens, source,
    channel, system, dq_audit, security_controls, manual_rekeying, sharing_agreement,
    frequency, volume_per_year, last_reviewed``, sorted by authority, stream_id, stage_order.
    """
    missing = [c for c in REGISTER_COLUMNS if c not in register.columns]
    if missing:
        raise JourneyInputError(f"journey register: missing column(s) {missing}")
    reg = register.reset_index(drop=True)
    rows = []
    for i, r in reg.iterrows():
        where = f"journey register row {i + 2}"  # +2: header line and 1-based rows
        stage = str(r["stage"]).strip()
        if stage not in _STAGE_ORDER:
            raise JourneyInputError(f"{where}, column 'stage': expected one of {list(STAGES)}")
        system = "" if pd.isna(r["system"]) else str(r["system"]).strip()
        happens = system.lower() not in ("", "none")
        vol = r["volume_per_year"]
        rows.append(
            {
                "authority": str(r["authority"]),
                "stream_id": str(r["stream_id"]),
                "stream_name": str(r["stream_name"]),
                "stage": stage,
                "happens": happens,
                "source": str(r["source"]).strip().lower(),
                "channel": str(r["channel"]).strip().lower() if happens else pd.NA,
                "system": system if happens else "none",
                "dq_audit": str(r["dq_audit"]).strip().lower() if happens else pd.NA,
                "security_controls": str(r["security_controls"]).strip() if happens else pd.NA,
                "manual_rekeying": _as_bool(
                    r["manual_rekeying"], f"{where}, column 'manual_rekeying'"
                )
                if happens
                else pd.NA,
                "sharing_agreement": str(r["sharing_agreement"]).strip().lower()
                if happens
                else pd.NA,
                "frequency": str(r["frequency"]).strip().lower() if happens else pd.NA,
                "volume_per_year": (pd.NA if pd.isna(vol) else int(vol)) if happens else pd.NA,
                "last_reviewed": str(r["last_reviewed"]).strip().lower() if happens else pd.NA,
            }
        )
    given = pd.DataFrame(rows, columns=[c for c in REGISTER_COLUMNS] + ["happens"])
    dup = given.duplicated(["authority", "stream_id", "stage"], keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise JourneyInputError(
            f"journey register row {i + 2}, column 'stage': a stage may appear at most once "
            "per stream"
        )
    streams = (
        given.groupby(["authority", "stream_id"], sort=True)
        .agg(stream_name=("stream_name", "first"), source=("source", "first"))
        .reset_index()
    )
    grid = streams.merge(pd.DataFrame({"stage": list(STAGES)}), how="cross")
    out = grid.merge(
        given.drop(columns=["stream_name", "source"]),
        on=["authority", "stream_id", "stage"],
        how="left",
    )
    out["happens"] = out["happens"].fillna(False).astype(bool)
    out["system"] = out["system"].where(out["happens"], "none")
    out["stage_order"] = out["stage"].map(_STAGE_ORDER).astype(int)
    out["manual_rekeying"] = out["manual_rekeying"].astype("boolean")
    out["volume_per_year"] = out["volume_per_year"].astype("Int64")
    cols = [
        "authority",
        "stream_id",
        "stream_name",
        "stage",
        "stage_order",
        "happens",
        "source",
        *_STAGE_FIELDS,
    ]
    out = out[cols].sort_values(["authority", "stream_id", "stage_order"], kind="stable")
    return out.reset_index(drop=True)


def _ensure_journeys(df: pd.DataFrame) -> pd.DataFrame:
    return df if {"happens", "stage_order"} <= set(df.columns) else journey_table(df)


def stream_summary(journeys: pd.DataFrame) -> pd.DataFrame:
    """One row per stream: source, stages that happen, whether it reaches decision use.

    Columns ``authority, stream_id, stream_name, source, n_stages, stages, reaches_decision,
    volume_per_year`` (the largest volume recorded at any of its stages).
    """
    j = _ensure_journeys(journeys)
    rows = []
    for (auth, sid), g in j.groupby(["authority", "stream_id"], sort=True):
        h = g[g["happens"]]
        vol = h["volume_per_year"].dropna()
        rows.append(
            {
                "authority": auth,
                "stream_id": sid,
                "stream_name": g["stream_name"].iloc[0],
                "source": g["source"].iloc[0],
                "n_stages": len(h),
                "stages": ";".join(h["stage"]),
                "reaches_decision": bool((h["stage"] == "decision_use").any()),
                "volume_per_year": int(vol.max()) if len(vol) else pd.NA,
            }
        )
    out = pd.DataFrame(rows)
    out["volume_per_year"] = out["volume_per_year"].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Gap rules: a small declarative language interpreted here
# --------------------------------------------------------------------------------------------
#
# condition := conjunction ( " or " conjunction )*
# conjunction := clause ( " and " clause )*
# clause := COLUMN OP VALUE | "stage_absent" STAGE | "stage_present" STAGE
# OP := == | != | in | not in | contains | > | >= | < | <=
# VALUE := token | "[" token ( "," token )* "]"
#
# Text comparison is case-insensitive; booleans compare as "true"/"false"; the ordering
# operators compare numbers (volume_per_year). Scope "stage": the condition is tested on each
# stage that happens (restricted to the rule's stage filter) and a clause must hold on that
# same row. Scope "stream": each clause is tested over the stream's (filtered) stages and holds
# when any of them satisfies it; stage_absent/stage_present test the whole stream.

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
class _Clause:
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
    condition: tuple[tuple[_Clause, ...], ...]  # disjunction of conjunctions
    severity: str
    dq_dimension: str
    description: str


def _parse_values(text: str) -> tuple[str, ...]:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return tuple(v.strip().lower() for v in text[1:-1].split(",") if v.strip())
    return (text.lower(),)


def _parse_clause(text: str, gap_id: str) -> _Clause:
    text = text.strip()
    parts = text.split(None, 1)
    if len(parts) < 2:
        raise GapRuleError(f"gap rule {gap_id!r}, column 'condition': incomplete clause")
    column, rest = parts[0], parts[1].strip()
    if column in _STAGE_PREDICATES:
        stage = rest.strip().lower()
        if stage not in _STAGE_ORDER:
            raise GapRuleError(
                f"gap rule {gap_id!r}, column 'condition': {column} names unknown stage "
                f"{stage!r}; expected one of {list(STAGES)}"
            )
        return _Clause(column, column, (stage,))
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
        return _Clause(column, op, values)
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
        bad = [s for s in stages if s not in _STAGE_ORDER]
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


def _clause_mask(rows: pd.DataFrame, cl: _Clause, present: dict) -> pd.Series:
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
    j = _ensure_journeys(journeys)
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
            ordered = sorted(stages, key=_STAGE_ORDER.get)
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
    res["_sev"] = res["severity"].map(_SEVERITY_ORDER)
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
        j = _ensure_journeys(journeys)
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
    summ["_sev"] = summ["severity"].map(_SEVERITY_ORDER)
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


def read_register(path: str | Path) -> pd.DataFrame:
    """Read a validated ``journeys.csv``."""
    return pd.read_csv(
        path,
        dtype={"volume_per_year": "Int64"},
        keep_default_na=False,
        na_values={"volume_per_year": [""]},
    )


def read_swot_evidence(path: str | Path, marker: str = "[c]") -> pd.DataFrame:
    """Read a (published, disclosure-controlled) SWOT evidence table of the coding stage.

    Columns ``authority, swot, code, label, theme, research_question, n_excerpts,
    n_sessions``; a suppressed count (``marker``) or an empty count cell becomes ``<NA>``.
    """
    counts = ("n_excerpts", "n_sessions")
    ev = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    missing = [c for c in ("authority", "swot", "code", "label", *counts) if c not in ev.columns]
    if missing:
        raise JourneyInputError(f"SWOT evidence table: missing column(s) {missing}")
    for c in counts:
        cell = ev[c].str.strip()
        cell = cell.mask(cell.isin(["", marker]))
        try:
            ev[c] = pd.to_numeric(cell).astype("Int64")
        except (TypeError, ValueError):
            raise JourneyInputError(
                f"SWOT evidence table, column {c!r}: expected whole numbers or {marker!r}"
            ) from None
    return ev


# --------------------------------------------------------------------------------------------
# Tool assessment: SWOT and scores per system
# --------------------------------------------------------------------------------------------

_DQ_POINTS = {"yes": Fraction(1), "partial": Fraction(1, 2), "no": Fraction(0)}


def tool_scores(journeys: pd.DataFrame) -> pd.DataFrame:
    """Score every system (tool) of each authority 1-5 on impact, value added and criticality.

    The formula is deliberately simple so a reader can recompute it by hand (exact fractions,
    halves rounded up). For a system S of an authority with N streams, of which D reach
    decision use:

    * ``reach`` = streams whose journey uses S / N;
      **impact** = 1 + round(4 x reach) -- how much of the service's data passes through S.
    * ``position`` = (latest stage S serves - 1) / 6 (capture 0 ... decision_use 1);
      ``quality`` = mean over the stages S serves of the data-quality audit score
      (yes 1, partial 1/2, no 0), a manually re-keyed stage scoring 0;
      **value_added** = 1 + round(2 x position + 2 x quality) -- how far S carries data towards
      use, and how trustworthy what it holds is.
    * ``decision_share`` = streams through S that reach decision use / D;
      **criticality** = 1 + round(4 x decision_share) (1 when D = 0) -- how critical S is to
      the final product, the decision.
    * ``total`` = impact + value_added + criticality; ``rank`` 1 = highest total within the
      authority (ties broken by criticality, then impact, then system name).

    The scoring idea follows the programme's brief (judge each tool by its impact, the value it
    adds and how critical it is to the final product); the weights are ours and equal.

    Returns columns ``authority, system, stages, n_stages, n_streams, n_streams_total, reach,
    position, quality, decision_share, impact, value_added, criticality, total, rank``.
    """
    j = _ensure_journeys(journeys)
    streams = stream_summary(j)
    rows = []
    for auth, ja in j[j["happens"]].groupby("authority", sort=True):
        sa = streams[streams["authority"] == auth]
        n_total = len(sa)
        decision_streams = set(sa.loc[sa["reaches_decision"], "stream_id"])
        for system, g in ja.groupby("system", sort=True):
            used_by = set(g["stream_id"])
            reach = Fraction(len(used_by), n_total)
            position = Fraction(int(g["stage_order"].max()) - 1, 6)
            pts = [
                Fraction(0) if bool(rk) else _DQ_POINTS.get(str(dq), Fraction(0))
                for dq, rk in zip(g["dq_audit"], g["manual_rekeying"].fillna(False))
            ]
            quality = sum(pts, Fraction(0)) / len(pts)
            dshare = (
                Fraction(len(used_by & decision_streams), len(decision_streams))
                if decision_streams
                else Fraction(0)
            )
            impact = 1 + _round_half_up(4 * reach)
            value = 1 + _round_half_up(2 * position + 2 * quality)
            crit = 1 + _round_half_up(4 * dshare)
            stages = sorted(set(g["stage"]), key=_STAGE_ORDER.get)
            rows.append(
                {
                    "authority": auth,
                    "system": system,
                    "stages": ";".join(stages),
                    "n_stages": len(g),
                    "n_streams": len(used_by),
                    "n_streams_total": n_total,
                    "reach": float(reach),
                    "position": float(position),
                    "quality": float(quality),
                    "decision_share": float(dshare),
                    "impact": impact,
                    "value_added": value,
                    "criticality": crit,
                    "total": impact + value + crit,
                }
            )
    cols = [
        "authority",
        "system",
        "stages",
        "n_stages",
        "n_streams",
        "n_streams_total",
        "reach",
        "position",
        "quality",
        "decision_share",
        "impact",
        "value_added",
        "criticality",
        "total",
        "rank",
    ]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols)
    out = out.sort_values(
        ["authority", "total", "criticality", "impact", "system"],
        ascending=[True, False, False, False, True],
        kind="stable",
    )
    out["rank"] = out.groupby("authority").cumcount() + 1
    return out[cols].reset_index(drop=True)


def tool_swot(journeys: pd.DataFrame, swot_evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """SWOT per system from register facts, plus the coded workshop SWOT evidence when given.

    Register facts (each with the number of streams or stages behind it):
    strength -- used by two or more streams; on the journey of streams that reach decision use;
    a data-quality audit at every stage it serves. weakness -- stages with no data-quality
    audit; stages fed by manual re-keying. threat -- stages with no security control (breach
    risk); partner data handled without a sharing agreement. opportunity -- streams through it
    that never reach decision use; streams through it with no aggregation stage.

    ``swot_evidence`` (columns ``authority, swot, code, label, theme, research_question,
    n_excerpts, n_sessions``, as the coding analysis writes it) is attached to the system named
    in an optional ``system`` column, otherwise to the authority as a whole
    (``subject_type == "authority"``). Codes with 0 excerpts are left out (no evidence); a
    suppressed (``<NA>``) excerpt count of disclosure-controlled evidence stays ``<NA>``.

    Returns columns ``authority, subject, subject_type, swot, fact, item, evidence_source,
    count, count_of``, sorted by authority, subject_type, subject, SWOT order, fact.
    """
    j = _ensure_journeys(journeys)
    streams = stream_summary(j).set_index(["authority", "stream_id"])
    rows = []

    def add(auth, system, swot, fact, item, count, count_of, source="register"):
        rows.append(
            {
                "authority": auth,
                "subject": system,
                "subject_type": "system",
                "swot": swot,
                "fact": fact,
                "item": item,
                "evidence_source": source,
                "count": int(count),
                "count_of": count_of,
            }
        )

    for (auth, system), g in j[j["happens"]].groupby(["authority", "system"], sort=True):
        used = sorted(set(g["stream_id"]))
        n_total = int((streams.index.get_level_values(0) == auth).sum())
        info = streams.loc[[(auth, s) for s in used]]
        n_dec = int(info["reaches_decision"].sum())
        n_nodec = len(used) - n_dec
        n_noagg = int((~info["stages"].str.contains("aggregation")).sum())
        no_dq = int((g["dq_audit"] == "no").sum())
        rekey = int(g["manual_rekeying"].fillna(False).astype(bool).sum())
        nosec = int((g["security_controls"].astype(str).str.strip().str.lower() == "none").sum())
        noagree = int(((g["source"] != "council") & (g["sharing_agreement"] == "no")).sum())
        if len(used) >= 2:
            add(
                auth,
                system,
                "strength",
                "shared",
                f"Used by {len(used)} of {n_total} streams",
                len(used),
                "streams",
            )
        if n_dec:
            add(
                auth,
                system,
                "strength",
                "feeds_decisions",
                "On the journey of streams that reach decisions",
                n_dec,
                "streams",
            )
        if (g["dq_audit"] == "yes").all():
            add(
                auth,
                system,
                "strength",
                "audited",
                "Data-quality audit at every stage it serves",
                len(g),
                "stages",
            )
        if no_dq:
            add(
                auth,
                system,
                "weakness",
                "no_dq_audit",
                "No data-quality audit at some stages",
                no_dq,
                "stages",
            )
        if rekey:
            add(
                auth,
                system,
                "weakness",
                "manual_rekeying",
                "Data re-keyed by hand into it",
                rekey,
                "stages",
            )
        if nosec:
            add(
                auth,
                system,
                "threat",
                "no_security",
                "No security control recorded: risk of breach",
                nosec,
                "stages",
            )
        if noagree:
            add(
                auth,
                system,
                "threat",
                "no_sharing_agreement",
                "Partner data handled without a sharing agreement",
                noagree,
                "stages",
            )
        if n_nodec:
            add(
                auth,
                system,
                "opportunity",
                "unused_data",
                "Holds data that never reaches a decision",
                n_nodec,
                "streams",
            )
        if n_noagg:
            add(
                auth,
                system,
                "opportunity",
                "not_aggregated",
                "Streams not yet aggregated: a candidate feed for a shared store",
                n_noagg,
                "streams",
            )
    if swot_evidence is not None and len(swot_evidence):
        need = ["authority", "swot", "code", "label", "n_excerpts"]
        missing = [c for c in need if c not in swot_evidence.columns]
        if missing:
            raise JourneyInputError(f"SWOT evidence table: missing column(s) {missing}")
        has_sys = "system" in swot_evidence.columns
        for i, r in swot_evidence.reset_index(drop=True).iterrows():
            swot = str(r["swot"]).strip().lower()
            if swot not in ("strength", "weakness", "opportunity", "threat"):
                raise JourneyInputError(
                    f"SWOT evidence row {i + 2}, column 'swot': expected strength, weakness, "
                    "opportunity or threat"
                )
            sys_name = str(r["system"]).strip() if has_sys and not pd.isna(r["system"]) else ""
            n_exc = r["n_excerpts"]
            if not pd.isna(n_exc) and int(n_exc) == 0:
                continue  # a code no excerpt carries is no evidence for the SWOT
            rows.append(
                {
                    "authority": str(r["authority"]),
                    "subject": sys_name or "(authority-wide)",
                    "subject_type": "system" if sys_name else "authority",
                    "swot": swot,
                    "fact": str(r["code"]),
                    "item": str(r["label"]),
                    "evidence_source": "coding",
                    # disclosure-controlled evidence has <NA> for a suppressed count
                    "count": pd.NA if pd.isna(n_exc) else int(n_exc),
                    "count_of": "excerpts",
                }
            )
    cols = [
        "authority",
        "subject",
        "subject_type",
        "swot",
        "fact",
        "item",
        "evidence_source",
        "count",
        "count_of",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["count"] = out["count"].astype("Int64")
    order = {"strength": 0, "weakness": 1, "opportunity": 2, "threat": 3}
    out["_o"] = out["swot"].map(order)
    out["_t"] = out["subject_type"].map({"system": 0, "authority": 1})
    out = out.sort_values(
        ["authority", "_t", "subject", "_o", "evidence_source", "fact"], kind="stable"
    )
    return out.drop(columns=["_o", "_t"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Data maturity by rubric
# --------------------------------------------------------------------------------------------

RUBRIC_COLUMNS = (
    "theme",
    "indicator_id",
    "indicator",
    "source",
    "metric",
    "argument",
    "direction",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
)
#: Register metrics the rubric may name; each is a percentage 0-100 (see register_metrics).
REGISTER_METRICS = (
    "pct_stages_dq_audit",
    "pct_stages_secured",
    "pct_stages_no_rekeying",
    "pct_streams_validated",
    "pct_streams_aggregated",
    "pct_streams_analysed",
    "pct_streams_decision_use",
    "pct_streams_reviewed_3y",
    "pct_partner_stages_with_agreement",
    "pct_digital_capture",
)
_SOURCE_METRICS = {
    "register": REGISTER_METRICS,
    "survey": ("pct_agree",),
    "coding": ("pct_strength",),
}


def register_metrics(journeys: pd.DataFrame) -> pd.DataFrame:
    """Percentages (0-100) per authority that the maturity rubric can use.

    Over the stages that happen: ``pct_stages_dq_audit`` (audit yes = 1, partial = 1/2),
    ``pct_stages_secured`` (security control recorded), ``pct_stages_no_rekeying``; over the
    capture stages: ``pct_digital_capture`` (channel system_feed, api or online_form); over the
    stages handling partner data (source not council, agreement not ``not_applicable``):
    ``pct_partner_stages_with_agreement``; over streams: ``pct_streams_validated``,
    ``pct_streams_aggregated``, ``pct_streams_analysed``, ``pct_streams_decision_use`` (the
    stage happens) and ``pct_streams_reviewed_3y`` (every stage of the stream reviewed within
    three years, i.e. gap rule G07 would not fire). A metric with no rows to judge is NaN (no evidence).

    Returns long columns ``authority, metric, value``.
    """
    j = _ensure_journeys(journeys)
    out = []
    for auth, ja in j.groupby("authority", sort=True):
        h = ja[ja["happens"]]
        present = h.groupby("stream_id")["stage"].apply(set)
        streams = sorted(ja["stream_id"].unique())

        def pct(values) -> float:
            values = list(values)
            return float(100 * sum(values, Fraction(0)) / len(values)) if values else np.nan

        def stream_pct(stage, present=present, streams=streams):
            return pct(Fraction(int(stage in present.get(s, set()))) for s in streams)

        cap = h[h["stage"] == "capture"]
        partner = h[(h["source"] != "council") & (h["sharing_agreement"] != "not_applicable")]
        reviewed = h.groupby("stream_id")["last_reviewed"].apply(
            lambda s: s.isin(["within_1_year", "1_to_3_years"]).all()
        )
        vals = {
            "pct_stages_dq_audit": pct(_DQ_POINTS.get(str(v), Fraction(0)) for v in h["dq_audit"]),
            "pct_stages_secured": pct(
                Fraction(int(str(v).strip().lower() != "none")) for v in h["security_controls"]
            ),
            "pct_stages_no_rekeying": pct(
                Fraction(int(not bool(v))) for v in h["manual_rekeying"].fillna(False)
            ),
            "pct_streams_validated": stream_pct("validation"),
            "pct_streams_aggregated": stream_pct("aggregation"),
            "pct_streams_analysed": stream_pct("analysis"),
            "pct_streams_decision_use": stream_pct("decision_use"),
            "pct_streams_reviewed_3y": pct(
                Fraction(int(bool(reviewed.get(s, False)))) for s in streams
            ),
            "pct_partner_stages_with_agreement": pct(
                Fraction(int(v == "yes")) for v in partner["sharing_agreement"]
            ),
            "pct_digital_capture": pct(
                Fraction(int(v in ("system_feed", "api", "online_form"))) for v in cap["channel"]
            ),
        }
        out.extend({"authority": auth, "metric": m, "value": vals[m]} for m in REGISTER_METRICS)
    return pd.DataFrame(out, columns=["authority", "metric", "value"])


def parse_maturity_rubric(rubric: pd.DataFrame) -> pd.DataFrame:
    """Check the maturity rubric; return it typed (thresholds as floats).

    Each row is one indicator: its DMA ``theme``, an evidence ``source`` (register, survey or
    coding), the ``metric`` (and ``argument``: the construct id for survey, an optional codebook
    theme for coding), ``direction`` (higher_better or lower_better) and the thresholds
    ``level_2``..``level_5`` that the value must reach for each level. Thresholds must be
    monotone in the stated direction. Errors name the indicator and column.
    """
    missing = [c for c in RUBRIC_COLUMNS if c not in rubric.columns]
    if missing:
        raise JourneyInputError(f"maturity rubric: missing column(s) {missing}")
    r = rubric.reset_index(drop=True).copy()
    for c in ("theme", "indicator_id", "source", "metric", "argument", "direction"):
        r[c] = r[c].fillna("").astype(str).str.strip()
    seen = set()
    for i, row in r.iterrows():
        ind = row["indicator_id"] or f"row {i + 2}"
        if ind in seen:
            raise JourneyInputError(f"maturity rubric indicator {ind!r}: duplicate indicator_id")
        seen.add(ind)
        if row["theme"] not in MATURITY_THEMES:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'theme': expected one of "
                f"{list(MATURITY_THEMES)}"
            )
        if row["source"] not in _SOURCE_METRICS:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'source': expected register, "
                "survey or coding"
            )
        if row["metric"] not in _SOURCE_METRICS[row["source"]]:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'metric': unknown metric for "
                f"source {row['source']!r}; expected one of {list(_SOURCE_METRICS[row['source']])}"
            )
        if row["source"] == "survey" and not row["argument"]:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'argument': a survey indicator "
                "needs a construct id"
            )
        if row["direction"] not in ("higher_better", "lower_better"):
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'direction': expected "
                "higher_better or lower_better"
            )
        th = []
        for c in ("level_2", "level_3", "level_4", "level_5"):
            try:
                th.append(float(row[c]))
            except (TypeError, ValueError):
                raise JourneyInputError(
                    f"maturity rubric indicator {ind!r}, column {c!r}: expected a number"
                ) from None
        step = np.diff(th)
        if (row["direction"] == "higher_better" and (step < 0).any()) or (
            row["direction"] == "lower_better" and (step > 0).any()
        ):
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, columns level_2..level_5: thresholds "
                "must be monotone in the stated direction"
            )
    for c in ("level_2", "level_3", "level_4", "level_5"):
        r[c] = r[c].astype(float)
    return r


def _level(value: float, thresholds: list[float], direction: str) -> int:
    """1 + the number of level thresholds the value reaches."""
    if direction == "higher_better":
        return 1 + sum(value >= t for t in thresholds)
    return 1 + sum(value <= t for t in thresholds)


def controlled_construct_agreement(agreement: pd.DataFrame, rule) -> pd.DataFrame:
    """The survey stage's construct agreement table, for publication under a disclosure rule.

    ``n`` and ``n_agree`` are controlled one by one with
    :func:`analysis.core.disclosure.control_counts` (suppressed -> ``<NA>``); ``pct_agree`` is
    computed from the ROUNDED counts (NHS England rule) and is ``<NA>`` when either is
    suppressed or ``n`` is 0.
    """
    from analysis.core.disclosure import control_counts

    out = agreement.copy()
    out["n"] = control_counts(out["n"].reset_index(drop=True), rule).set_axis(out.index)
    out["n_agree"] = control_counts(out["n_agree"].reset_index(drop=True), rule).set_axis(out.index)
    n = out["n"].astype("Float64")
    out["pct_agree"] = (100 * out["n_agree"].astype("Float64") / n.mask(n == 0)).astype("Float64")
    return out


def maturity_survey_evidence(agreement: pd.DataFrame, rule) -> pd.DataFrame:
    """The survey evidence :func:`maturity_indicators` takes: ``authority, construct, n,
    pct_agree, pct_basis``.

    ``pct_agree`` is the published percentage (from rounded counts, see
    :func:`controlled_construct_agreement`) so that a published level agrees with the
    published value; only where that is suppressed (1..min_count-1 respondents agree) the
    unrounded percentage is used (``pct_basis`` "unrounded"), since a small agreeing count is
    evidence of low maturity, not of none. ``n`` stays the raw number of respondents, so that
    ``maturity_indicators(min_survey_n=...)`` applies its floor to the real base.
    """
    ctl = controlled_construct_agreement(agreement, rule)
    raw = agreement["pct_agree"].astype(float)
    use_rounded = ctl["pct_agree"].notna().to_numpy()
    out = agreement[["authority", "construct", "n"]].copy()
    out["pct_agree"] = np.where(
        use_rounded, ctl["pct_agree"].to_numpy(dtype=float, na_value=np.nan), raw
    )
    out["pct_basis"] = np.where(use_rounded, "rounded_counts", "unrounded")
    return out.reset_index(drop=True)


def maturity_indicators(
    journeys: pd.DataFrame,
    rubric: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    coding: pd.DataFrame | None = None,
    *,
    min_survey_n: int = 8,
) -> pd.DataFrame:
    """Score each rubric indicator for each authority on the five DMA levels.

    An indicator's level is 1 + the number of thresholds (``level_2``..``level_5``) its value
    reaches (``>=`` for higher_better, ``<=`` for lower_better). Values: register metrics from
    :func:`register_metrics`; survey -- ``pct_agree`` of the construct named in ``argument``
    from ``survey`` (columns ``authority, construct, pct_agree, n``), no evidence when ``n`` is
    below ``min_survey_n`` (the same floor as the NHS disclosure rule: a percentage of fewer
    than 8 people is neither published nor used); coding -- ``pct_strength`` = 100 x strength
    excerpts / (strength + weakness excerpts) in ``coding`` (the SWOT evidence table), within
    the codebook theme named in ``argument`` if any. No evidence gives value NaN and level NA.

    Returns columns ``authority, theme, indicator_id, indicator, source, metric, argument,
    value, level, level_label``.
    """
    j = _ensure_journeys(journeys)
    rub = parse_maturity_rubric(rubric)
    reg = register_metrics(j).set_index(["authority", "metric"])["value"]
    authorities = sorted(j["authority"].unique())
    rows = []
    for auth in authorities:
        for _, r in rub.iterrows():
            value = np.nan
            if r["source"] == "register":
                value = float(reg.get((auth, r["metric"]), np.nan))
            elif r["source"] == "survey" and survey is not None:
                s = survey[(survey["authority"] == auth) & (survey["construct"] == r["argument"])]
                ok = len(s) == 1 and not pd.isna(s["n"].iloc[0])
                if ok and int(s["n"].iloc[0]) >= min_survey_n:
                    value = float(s["pct_agree"].iloc[0])
            elif r["source"] == "coding" and coding is not None:
                c = coding[coding["authority"] == auth]
                if r["argument"]:
                    c = c[c["theme"].astype(str) == r["argument"]]
                sw = c.groupby(c["swot"].astype(str).str.lower())["n_excerpts"].sum()
                strong, weak = int(sw.get("strength", 0)), int(sw.get("weakness", 0))
                if strong + weak:
                    value = float(100 * Fraction(strong, strong + weak))
            th = [r["level_2"], r["level_3"], r["level_4"], r["level_5"]]
            level = pd.NA if np.isnan(value) else _level(value, th, r["direction"])
            rows.append(
                {
                    "authority": auth,
                    "theme": r["theme"],
                    "indicator_id": r["indicator_id"],
                    "indicator": r["indicator"],
                    "source": r["source"],
                    "metric": r["metric"],
                    "argument": r["argument"],
                    "value": value,
                    "level": level,
                    "level_label": pd.NA if level is pd.NA else MATURITY_LEVELS[level - 1],
                }
            )
    out = pd.DataFrame(rows)
    out["level"] = out["level"].astype("Int64")
    return out


def maturity_levels(indicators: pd.DataFrame) -> pd.DataFrame:
    """Level per (authority, theme): the mean of its indicators' levels, rounded down.

    Rounding down is a deliberate, conservative choice: a theme reaches a level only when its
    indicators reach it on average (DMA gives a picture per theme, not one overall score).
    A theme with no evidence has level NA. Every DMA theme appears for every authority.

    Returns columns ``authority, theme, level, level_label, n_indicators, mean_level``.
    """
    rows = []
    for auth in sorted(indicators["authority"].unique()):
        for theme in MATURITY_THEMES:
            d = indicators[(indicators["authority"] == auth) & (indicators["theme"] == theme)]
            lv = d["level"].dropna().astype(int).tolist()
            mean = Fraction(sum(lv), len(lv)) if lv else None
            level = math.floor(mean) if mean is not None else pd.NA
            rows.append(
                {
                    "authority": auth,
                    "theme": theme,
                    "level": level,
                    "level_label": pd.NA if level is pd.NA else MATURITY_LEVELS[level - 1],
                    "n_indicators": len(lv),
                    "mean_level": float(mean) if mean is not None else np.nan,
                }
            )
    out = pd.DataFrame(rows)
    out["level"] = out["level"].astype("Int64")
    return out


def read_maturity_rubric(path: str | Path) -> pd.DataFrame:
    """Read and check the maturity rubric CSV."""
    rub = pd.read_csv(path, dtype=str, keep_default_na=False)
    return parse_maturity_rubric(rub)
