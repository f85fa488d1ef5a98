"""The data infrastructure as the register records it: a systems inventory and stream flows.

The programme's first step is to document each council's data infrastructure
(``docs/reference/programme.md``, "The method each council follows", step 1). Both tables are
read off the register, nothing is inferred:

* :func:`systems_inventory` -- one row per system (tool, :func:`analysis.journeys.tools.
  tool_rows`): its owner (a role), hosting, integration and capabilities from the register's
  Systems sheet (ingested by :func:`analysis.ingest.ingest_journey_systems`; "not recorded"
  when the register has none), then the stages and streams it serves, where its data comes
  from, data-quality audit, security controls and manual re-keying at the stages it serves.
* :func:`systems_summary` -- the inventory summarised per council for the programme.
* :func:`stream_flows` -- one row per stream: source, channel, frequency and volume a year.
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.register import STAGE_ORDER, ensure_journeys, stream_summary
from analysis.journeys.tools import tool_rows

#: The Systems sheet's columns the inventory carries, and their value where the register has
#: no Systems sheet.
SYSTEMS_SHEET_COLUMNS = ("owner", "hosting", "integration", "capabilities")
NOT_RECORDED = "not_recorded"
INVENTORY_COLUMNS = (
    "authority",
    "system",
    *SYSTEMS_SHEET_COLUMNS,
    "stages",
    "n_stages",
    "streams",
    "n_streams",
    "sources",
    "dq_audit_yes",
    "dq_audit_partial",
    "dq_audit_no",
    "security_controls",
    "n_stages_no_security",
    "n_stages_rekeyed",
    "streams_rekeyed",
)
FLOW_COLUMNS = (
    "authority",
    "stream_id",
    "stream_name",
    "source",
    "channel",
    "frequency",
    "volume_per_year",
    "n_stages",
    "reaches_decision",
)


def _distinct(values) -> str:
    """Distinct non-empty values in first-seen order, ';'-separated."""
    seen: list[str] = []
    for v in values:
        if not pd.isna(v) and str(v).strip() and str(v) not in seen:
            seen.append(str(v))
    return ";".join(seen)


def systems_inventory(journeys: pd.DataFrame, systems: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per system of each authority, from the register.

    Columns :data:`INVENTORY_COLUMNS`: ``owner, hosting, integration, capabilities`` from the
    Systems sheet (``systems``: the ingested sheet, ``authority, system, ...``; every one
    :data:`NOT_RECORDED` for an authority with no row there, ``capabilities`` empty when the
    sheet lists none); ``stages`` (journey order) and ``streams`` it serves;
    ``sources`` of the data it handles; the stages it serves by data-quality audit (yes /
    partial / no); ``security_controls`` as recorded (distinct, sorted, ';'-separated;
    "none" included when a stage has none) and ``n_stages_no_security``; ``n_stages_rekeyed``
    and ``streams_rekeyed`` (manual re-keying into it). Sorted by authority, system.
    """
    sheet = _sheet_of(systems)
    rows = []
    for (auth, system), g in tool_rows(journeys).groupby(["authority", "system"], sort=True):
        controls = g["security_controls"].astype(str).str.strip()
        rekeyed = g[g["manual_rekeying"].fillna(False).astype(bool)]
        recorded = auth in {a for a, _ in sheet}
        info = sheet.get((auth, system), {})
        rows.append(
            {
                "authority": auth,
                "system": system,
                **{
                    c: (str(info.get(c, "")) if recorded else NOT_RECORDED)
                    for c in SYSTEMS_SHEET_COLUMNS
                },
                "stages": ";".join(sorted(set(g["stage"]), key=STAGE_ORDER.get)),
                "n_stages": len(g),
                "streams": ";".join(sorted(set(g["stream_id"]))),
                "n_streams": int(g["stream_id"].nunique()),
                "sources": ";".join(sorted(set(g["source"]))),
                "dq_audit_yes": int((g["dq_audit"] == "yes").sum()),
                "dq_audit_partial": int((g["dq_audit"] == "partial").sum()),
                "dq_audit_no": int((g["dq_audit"] == "no").sum()),
                "security_controls": ";".join(sorted(set(controls))),
                "n_stages_no_security": int((controls.str.lower() == "none").sum()),
                "n_stages_rekeyed": len(rekeyed),
                "streams_rekeyed": ";".join(sorted(set(rekeyed["stream_id"]))),
            }
        )
    return pd.DataFrame(rows, columns=list(INVENTORY_COLUMNS))


def _sheet_of(systems: pd.DataFrame | None) -> dict:
    """``{(authority, system): {column: value}}`` of the ingested Systems sheet."""
    if systems is None or not len(systems):
        return {}
    s = systems.fillna("")
    return {
        (str(r["authority"]), str(r["system"])): {
            c: str(r.get(c, "")) for c in SYSTEMS_SHEET_COLUMNS
        }
        for r in s.to_dict("records")
    }


#: Capabilities the programme summary reports council by council (the ones the roadmap's
#: in-place evidence rests on).
SUMMARY_CAPABILITIES = ("warehouse", "single_view", "automated_reporting", "dashboards")
SUMMARY_COLUMNS = (
    "authority",
    "n_systems",
    "recorded",
    "n_on_premises",
    "n_cloud",
    "n_supplier_hosted",
    "n_partner_hosted",
    "n_not_it",
    "n_integrated",
    "n_manual_only",
    *(f"has_{c}" for c in SUMMARY_CAPABILITIES),
    "systems_with_capabilities",
)


def systems_summary(inventory: pd.DataFrame, authorities) -> pd.DataFrame:
    """The councils' systems inventories (stacked) summarised, one row per authority in the
    order given: systems by hosting, ``n_integrated`` (exchanges data by file transfer, API
    or shared database), ``n_manual_only`` (by manual export at most, or not at all),
    ``has_<capability>`` for :data:`SUMMARY_CAPABILITIES` and
    ``systems_with_capabilities`` (``capability:system|system;...``). ``recorded`` is False
    for a council whose register has no Systems sheet (its hosting and integration counts
    are then empty)."""
    rows = []
    for auth in authorities:
        inv = inventory[inventory["authority"] == auth]
        recorded = bool(len(inv)) and not (inv["hosting"] == NOT_RECORDED).any()
        row = {"authority": auth, "n_systems": int(len(inv)), "recorded": recorded}
        if not recorded:
            rows.append(row)
            continue
        hosting = inv["hosting"].astype(str)
        for h, col in (("on_premises", "n_on_premises"), ("cloud", "n_cloud"),
                       ("supplier_hosted", "n_supplier_hosted"),
                       ("partner_hosted", "n_partner_hosted"), ("none", "n_not_it")):  # fmt: skip
            row[col] = int((hosting == h).sum())
        ways = inv["integration"].astype(str).str.split(";")
        linked = ways.map(lambda w: bool(set(w) & {"file_transfer", "api", "shared_database"}))
        row["n_integrated"] = int(linked.sum())
        row["n_manual_only"] = int((~linked).sum())
        caps: dict[str, list[str]] = {}
        for system, cell in zip(inv["system"], inv["capabilities"].fillna(""), strict=True):
            for c in str(cell).split(";"):
                if c:
                    caps.setdefault(c, []).append(str(system))
        for c in SUMMARY_CAPABILITIES:
            row[f"has_{c}"] = c in caps
        row["systems_with_capabilities"] = ";".join(
            f"{c}:{'|'.join(caps[c])}" for c in SUMMARY_CAPABILITIES if c in caps
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for c in SUMMARY_COLUMNS[3:10]:
        out[c] = out[c].astype("Int64")
    return out


def stream_flows(journeys: pd.DataFrame) -> pd.DataFrame:
    """Channel, frequency and volume per stream (one row per stream of each authority).

    ``channel`` and ``frequency`` are the values recorded at the stages that happen, distinct
    in journey order (one value when the register repeats it on every stage, as the template
    asks); ``volume_per_year`` the largest recorded (as :func:`~analysis.journeys.register.
    stream_summary`), a count of records, not of people. Columns :data:`FLOW_COLUMNS`.
    """
    j = ensure_journeys(journeys)
    h = j[j["happens"]]
    rows = []
    for s in stream_summary(j).to_dict("records"):  # every stream, in id order
        auth, sid = s["authority"], s["stream_id"]
        g = h[(h["authority"] == auth) & (h["stream_id"] == sid)]
        rows.append(
            {
                "authority": auth,
                "stream_id": sid,
                "stream_name": s["stream_name"],
                "source": s["source"],
                "channel": _distinct(g["channel"]),
                "frequency": _distinct(g["frequency"]),
                "volume_per_year": s["volume_per_year"],
                "n_stages": int(s["n_stages"]),
                "reaches_decision": bool(s["reaches_decision"]),
            }
        )
    out = pd.DataFrame(rows, columns=list(FLOW_COLUMNS))
    out["volume_per_year"] = out["volume_per_year"].astype("Int64")
    return out
