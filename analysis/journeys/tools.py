"""Tools (systems) of each authority: scores 1-5 and a SWOT, and the coding stage's evidence.

:func:`tool_scores` judges each system by its impact, the value it adds and how critical it is
to the final product, the decision (the programme's method, ``docs/reference/programme.md``,
"The method each council follows", step 4). :func:`tool_swot` lists register facts per system
and attaches the workshop SWOT evidence that the coding stage publishes
(``results/{authority}/published/coding/swot_evidence.csv``, read with
:func:`read_swot_evidence`).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd

from analysis.core.rounding import round_half_away
from analysis.journeys.register import (
    DQ_AUDIT_POINTS,
    STAGE_ORDER,
    JourneyInputError,
    ensure_journeys,
    stream_summary,
)

SWOT_KINDS = ("strength", "weakness", "opportunity", "threat")


def tool_scores(journeys: pd.DataFrame) -> pd.DataFrame:
    """Score every system (tool) of each authority 1-5 on impact, value added and criticality.

    The formula is deliberately simple so a reader can recompute it by hand (exact fractions,
    halves rounded up with :func:`analysis.core.rounding.round_half_away`, never to even). For
    a system S of an authority with N streams, of which D reach decision use:

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
    j = ensure_journeys(journeys)
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
                Fraction(0) if bool(rk) else DQ_AUDIT_POINTS.get(str(dq), Fraction(0))
                for dq, rk in zip(g["dq_audit"], g["manual_rekeying"].fillna(False))
            ]
            quality = sum(pts, Fraction(0)) / len(pts)
            dshare = (
                Fraction(len(used_by & decision_streams), len(decision_streams))
                if decision_streams
                else Fraction(0)
            )
            impact = 1 + round_half_away(4 * reach)
            value = 1 + round_half_away(2 * position + 2 * quality)
            crit = 1 + round_half_away(4 * dshare)
            stages = sorted(set(g["stage"]), key=STAGE_ORDER.get)
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
    j = ensure_journeys(journeys)
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
    order = {k: i for i, k in enumerate(SWOT_KINDS)}
    out["_o"] = out["swot"].map(order)
    out["_t"] = out["subject_type"].map({"system": 0, "authority": 1})
    out = out.sort_values(
        ["authority", "_t", "subject", "_o", "evidence_source", "fact"], kind="stable"
    )
    return out.drop(columns=["_o", "_t"]).reset_index(drop=True)


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
