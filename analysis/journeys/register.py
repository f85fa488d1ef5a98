"""The journey register: reading it, the tidy journey table, streams and register metrics.

Input is the validated journey register ``journeys.csv`` (see ``docs/data-contracts.md``):
one row per (stream, stage) that the council recorded. :func:`journey_table` turns it into
every stream x the seven stages of :data:`analysis.core.vocabulary.STAGES`, which is what the
gap rules, tool scores and maturity indicators work on.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.text import parse_bool
from analysis.core.vocabulary import STAGES

#: Per-stage fields of the register (everything about a stage besides its name and source).
STAGE_FIELDS = (
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
CONDITION_COLUMNS = ("stage", "source", *STAGE_FIELDS)
REGISTER_COLUMNS = ("authority", "stream_id", "stream_name", *CONDITION_COLUMNS)
#: Journey order of each stage, 1 (capture) .. 7 (decision_use).
STAGE_ORDER = {s: i + 1 for i, s in enumerate(STAGES)}
#: Points a stage earns for its data-quality audit (the tool scores and maturity use the same).
DQ_AUDIT_POINTS = {"yes": Fraction(1), "partial": Fraction(1, 2), "no": Fraction(0)}
#: Register metrics the maturity rubric may name; each is a percentage 0-100.
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
#: Capture channels that count as digital (no re-keying from paper, phone or email).
DIGITAL_CHANNELS = ("system_feed", "api", "online_form")


class JourneyInputError(ValueError):
    """An input table (register, rule table, rubric) does not meet its contract."""


def _manual_rekeying(value, where: str) -> bool:
    flag = parse_bool(value)
    if flag is not None:
        return flag
    # an empty cell records no re-keying (ingest requires the column, so only hand-made
    # registers reach this)
    if pd.isna(value) or str(value).strip() == "":
        return False
    raise JourneyInputError(f"{where}: expected true/false")


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
        if stage not in STAGE_ORDER:
            raise JourneyInputError(f"{where}, column 'stage': expected one of {list(STAGES)}")
        system = "" if pd.isna(r["system"]) else str(r["system"]).strip()
        happens = system.lower() not in ("", "none")

        def word(col, r=r, happens=happens):
            return str(r[col]).strip().lower() if happens else pd.NA

        vol = r["volume_per_year"]
        rows.append(
            {
                "authority": str(r["authority"]),
                "stream_id": str(r["stream_id"]),
                "stream_name": str(r["stream_name"]),
                "stage": stage,
                "happens": happens,
                "source": str(r["source"]).strip().lower(),
                "channel": word("channel"),
                "system": system if happens else "none",
                "dq_audit": word("dq_audit"),
                # free text (not lower-cased): the control as the council describes it
                "security_controls": str(r["security_controls"]).strip() if happens else pd.NA,
                "manual_rekeying": _manual_rekeying(
                    r["manual_rekeying"], f"{where}, column 'manual_rekeying'"
                )
                if happens
                else pd.NA,
                "sharing_agreement": word("sharing_agreement"),
                "frequency": word("frequency"),
                "volume_per_year": (pd.NA if pd.isna(vol) else int(vol)) if happens else pd.NA,
                "last_reviewed": word("last_reviewed"),
            }
        )
    given = pd.DataFrame(rows, columns=[*REGISTER_COLUMNS, "happens"])
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
    out["stage_order"] = out["stage"].map(STAGE_ORDER).astype(int)
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
        *STAGE_FIELDS,
    ]
    out = out[cols].sort_values(["authority", "stream_id", "stage_order"], kind="stable")
    return out.reset_index(drop=True)


def ensure_journeys(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` if it is already a :func:`journey_table`, else the journey table of the register."""
    return df if {"happens", "stage_order"} <= set(df.columns) else journey_table(df)


def stream_summary(journeys: pd.DataFrame) -> pd.DataFrame:
    """One row per stream: source, stages that happen, whether it reaches decision use.

    Columns ``authority, stream_id, stream_name, source, n_stages, stages, reaches_decision,
    volume_per_year`` (the largest volume recorded at any of its stages).
    """
    j = ensure_journeys(journeys)
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


def _pct(values) -> float:
    """100 x the mean of exact 0..1 scores; NaN (no evidence) when there is nothing to judge."""
    values = list(values)
    return float(100 * sum(values, Fraction(0)) / len(values)) if values else np.nan


def register_metrics(journeys: pd.DataFrame) -> pd.DataFrame:
    """Percentages (0-100) per authority that the maturity rubric can use.

    Over the stages that happen: ``pct_stages_dq_audit`` (audit yes = 1, partial = 1/2),
    ``pct_stages_secured`` (security control recorded), ``pct_stages_no_rekeying``; over the
    capture stages: ``pct_digital_capture`` (channel system_feed, api or online_form); over the
    stages handling partner data (source not council, agreement not ``not_applicable``):
    ``pct_partner_stages_with_agreement``; over streams: ``pct_streams_validated``,
    ``pct_streams_aggregated``, ``pct_streams_analysed``, ``pct_streams_decision_use`` (the
    stage happens) and ``pct_streams_reviewed_3y`` (every stage of the stream reviewed within
    three years, i.e. gap rule G07 would not fire). A metric with no rows to judge is NaN (no
    evidence).

    Returns long columns ``authority, metric, value``.
    """
    j = ensure_journeys(journeys)
    out = []
    for auth, ja in j.groupby("authority", sort=True):
        h = ja[ja["happens"]]
        present = h.groupby("stream_id")["stage"].apply(set)
        streams = sorted(ja["stream_id"].unique())

        def stream_pct(stage, present=present, streams=streams):
            return _pct(Fraction(int(stage in present.get(s, set()))) for s in streams)

        cap = h[h["stage"] == "capture"]
        partner = h[(h["source"] != "council") & (h["sharing_agreement"] != "not_applicable")]
        reviewed = h.groupby("stream_id")["last_reviewed"].apply(
            lambda s: s.isin(["within_1_year", "1_to_3_years"]).all()
        )
        vals = {
            "pct_stages_dq_audit": _pct(
                DQ_AUDIT_POINTS.get(str(v), Fraction(0)) for v in h["dq_audit"]
            ),
            "pct_stages_secured": _pct(
                Fraction(int(str(v).strip().lower() != "none")) for v in h["security_controls"]
            ),
            "pct_stages_no_rekeying": _pct(
                Fraction(int(not bool(v))) for v in h["manual_rekeying"].fillna(False)
            ),
            "pct_streams_validated": stream_pct("validation"),
            "pct_streams_aggregated": stream_pct("aggregation"),
            "pct_streams_analysed": stream_pct("analysis"),
            "pct_streams_decision_use": stream_pct("decision_use"),
            "pct_streams_reviewed_3y": _pct(
                Fraction(int(bool(reviewed.get(s, False)))) for s in streams
            ),
            "pct_partner_stages_with_agreement": _pct(
                Fraction(int(v == "yes")) for v in partner["sharing_agreement"]
            ),
            "pct_digital_capture": _pct(
                Fraction(int(v in DIGITAL_CHANNELS)) for v in cap["channel"]
            ),
        }
        out.extend({"authority": auth, "metric": m, "value": vals[m]} for m in REGISTER_METRICS)
    return pd.DataFrame(out, columns=["authority", "metric", "value"])


def read_register(path: str | Path) -> pd.DataFrame:
    """Read a validated ``journeys.csv`` (text as written; an empty volume is missing)."""
    return pd.read_csv(
        path,
        dtype={"volume_per_year": "Int64"},
        keep_default_na=False,
        na_values={"volume_per_year": [""]},
    )
