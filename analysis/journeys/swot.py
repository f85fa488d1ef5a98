"""SWOT of each tool and each stage: register facts, plus the coding stage's workshop evidence.

:func:`tool_swot` lists register facts per system (tools only, see
:func:`analysis.journeys.tools.tool_rows`) and attaches the workshop SWOT evidence that the
coding stage publishes (``results/{authority}/published/coding/swot_evidence.csv``, read with
:func:`read_swot_evidence`); :func:`stage_swot` lists the same facts per journey stage, plus
the streams on which the stage does not happen. Every fact carries the number of streams or
stages behind it, so a reader can check it in the journey table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.vocabulary import STAGES
from analysis.journeys.register import JourneyInputError, ensure_journeys, stream_summary
from analysis.journeys.tools import tool_rows

SWOT_KINDS = ("strength", "weakness", "opportunity", "threat")
SWOT_COLUMNS = (
    "authority",
    "subject",
    "subject_type",
    "swot",
    "fact",
    "item",
    "evidence_source",
    "count",
    "count_of",
)


def _facts(auth, subject, subject_type, g, streams, n_total) -> list[dict]:
    """Register facts about the rows ``g`` (one system or one stage of one authority).

    strength -- used by (happens on) two or more streams; on the journey of streams that reach
    decision use; a data-quality audit at every stage it serves. weakness -- stages with no
    data-quality audit; stages fed by manual re-keying. threat -- stages with no security
    control (breach risk); partner data handled without a sharing agreement. opportunity --
    streams through it that never reach decision use; streams through it with no aggregation
    stage.
    """
    used = sorted(set(g["stream_id"]))
    if not used:
        return []
    info = streams.loc[[(auth, s) for s in used]]
    n_dec = int(info["reaches_decision"].sum())
    nosec = g["security_controls"].astype(str).str.strip().str.lower() == "none"
    counts = {
        "shared": len(used) if len(used) >= 2 else 0,
        "feeds_decisions": n_dec,
        "audited": len(g) if (g["dq_audit"] == "yes").all() else 0,
        "no_dq_audit": int((g["dq_audit"] == "no").sum()),
        "manual_rekeying": int(g["manual_rekeying"].fillna(False).astype(bool).sum()),
        "no_security": int(nosec.sum()),
        "no_sharing_agreement": int(
            ((g["source"] != "council") & (g["sharing_agreement"] == "no")).sum()
        ),
        "unused_data": len(used) - n_dec,
        "not_aggregated": int((~info["stages"].str.contains("aggregation")).sum()),
    }
    verb = "Used by" if subject_type == "system" else "Happens on"
    facts = (
        ("strength", "shared", f"{verb} {len(used)} of {n_total} streams", "streams"),
        (
            "strength",
            "feeds_decisions",
            "On the journey of streams that reach decisions",
            "streams",
        ),
        ("strength", "audited", "Data-quality audit at every stage it serves", "stages"),
        ("weakness", "no_dq_audit", "No data-quality audit at some stages", "stages"),
        ("weakness", "manual_rekeying", "Data re-keyed by hand into it", "stages"),
        ("threat", "no_security", "No security control recorded: risk of breach", "stages"),
        (
            "threat",
            "no_sharing_agreement",
            "Partner data handled without a sharing agreement",
            "stages",
        ),
        ("opportunity", "unused_data", "Holds data that never reaches a decision", "streams"),
        (
            "opportunity",
            "not_aggregated",
            "Streams not yet aggregated: a candidate feed for a shared store",
            "streams",
        ),
    )
    return [
        _row(auth, subject, subject_type, swot, fact, item, counts[fact], unit)
        for swot, fact, item, unit in facts
        if counts[fact]
    ]


def _row(auth, subject, subject_type, swot, fact, item, count, count_of, source="register"):
    return {
        "authority": auth,
        "subject": subject,
        "subject_type": subject_type,
        "swot": swot,
        "fact": fact,
        "item": item,
        "evidence_source": source,
        "count": count,
        "count_of": count_of,
    }


def _sorted(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(SWOT_COLUMNS))
    out["count"] = out["count"].astype("Int64")
    out["_o"] = out["swot"].map({k: i for i, k in enumerate(SWOT_KINDS)})
    out["_t"] = out["subject_type"].map({"system": 0, "stage": 0, "authority": 1})
    out["_s"] = out["subject"].map({s: f"{i:02d}" for i, s in enumerate(STAGES)})
    out["_s"] = out["_s"].where(out["subject_type"] == "stage", out["subject"])
    out = out.sort_values(["authority", "_t", "_s", "_o", "evidence_source", "fact"], kind="stable")
    return out.drop(columns=["_o", "_t", "_s"]).reset_index(drop=True)


def tool_swot(journeys: pd.DataFrame, swot_evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """SWOT per system (tool) from register facts, plus the coded workshop SWOT evidence.

    Register facts as :func:`_facts` lists them, over the stages each tool serves (decision
    use is not a tool: its facts are in :func:`stage_swot`). ``swot_evidence`` (columns
    ``authority, swot, code, label, theme, research_question, n_excerpts, n_sessions``, as the
    coding analysis writes it) is attached to the system named in an optional ``system``
    column, otherwise to the authority as a whole (``subject_type == "authority"``). Codes
    with 0 excerpts are left out (no evidence); a suppressed (``<NA>``) excerpt count of
    disclosure-controlled evidence stays ``<NA>``.

    Returns :data:`SWOT_COLUMNS`: ``authority, subject, subject_type, swot, fact, item,
    evidence_source, count, count_of``, sorted by authority, subject_type, subject, SWOT
    order, fact.
    """
    j = ensure_journeys(journeys)
    streams = stream_summary(j).set_index(["authority", "stream_id"])
    totals = streams.groupby(level=0).size()
    rows = []
    for (auth, system), g in tool_rows(j).groupby(["authority", "system"], sort=True):
        rows += _facts(auth, system, "system", g, streams, int(totals[auth]))
    rows += _coded_evidence(swot_evidence)
    return _sorted(rows)


def stage_swot(journeys: pd.DataFrame) -> pd.DataFrame:
    """SWOT per journey stage from register facts (:func:`_facts` over the stage's rows), plus
    the weakness ``absent``: the streams on which the stage does not happen.

    Returns :data:`SWOT_COLUMNS` with ``subject_type == "stage"`` and ``subject`` the stage,
    in journey order within each authority.
    """
    j = ensure_journeys(journeys)
    streams = stream_summary(j).set_index(["authority", "stream_id"])
    rows = []
    for auth, ja in j.groupby("authority", sort=True):
        n_total = int(ja["stream_id"].nunique())
        for stage in STAGES:
            g = ja[ja["happens"] & (ja["stage"] == stage)]
            rows += _facts(auth, stage, "stage", g, streams, n_total)
            absent = n_total - int(g["stream_id"].nunique())
            if absent:
                item = f"Does not happen on {absent} of {n_total} streams"
                rows.append(
                    _row(auth, stage, "stage", "weakness", "absent", item, absent, "streams")
                )
    return _sorted(rows)


def _coded_evidence(swot_evidence: pd.DataFrame | None) -> list[dict]:
    if swot_evidence is None or not len(swot_evidence):
        return []
    need = ["authority", "swot", "code", "label", "n_excerpts"]
    missing = [c for c in need if c not in swot_evidence.columns]
    if missing:
        raise JourneyInputError(f"SWOT evidence table: missing column(s) {missing}")
    has_sys = "system" in swot_evidence.columns
    rows = []
    for i, r in swot_evidence.reset_index(drop=True).iterrows():
        swot = str(r["swot"]).strip().lower()
        if swot not in SWOT_KINDS:
            raise JourneyInputError(
                f"SWOT evidence row {i + 2}, column 'swot': expected strength, weakness, "
                "opportunity or threat"
            )
        sys_name = str(r["system"]).strip() if has_sys and not pd.isna(r["system"]) else ""
        n_exc = r["n_excerpts"]
        if not pd.isna(n_exc) and int(n_exc) == 0:
            continue  # a code no excerpt carries is no evidence for the SWOT
        rows.append(
            _row(
                str(r["authority"]),
                sys_name or "(authority-wide)",
                "system" if sys_name else "authority",
                swot,
                str(r["code"]),
                str(r["label"]),
                # disclosure-controlled evidence has <NA> for a suppressed count
                pd.NA if pd.isna(n_exc) else int(n_exc),
                "excerpts",
                source="coding",
            )
        )
    return rows


def read_swot_evidence(path: str | Path, marker: str = "[c]") -> pd.DataFrame:
    """Read a (published, disclosure-controlled) SWOT evidence table of the coding stage.

    Columns ``authority, swot, code, label, theme, research_question, n_excerpts,
    n_sessions``; a suppressed count (``marker``) or an empty count cell becomes ``<NA>``.
    """
    counts = ("n_excerpts", "n_sessions")
    ev = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
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
