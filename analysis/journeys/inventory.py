"""The data infrastructure as the register records it: a systems inventory and stream flows.

The programme's first step is to document each council's data infrastructure
(``docs/reference/programme.md``, "The method each council follows", step 1). Both tables are
read off the register's existing columns, nothing is inferred:

* :func:`systems_inventory` -- one row per system (tool, :func:`analysis.journeys.tools.
  tool_rows`): the stages and streams it serves, where its data comes from, data-quality
  audit, security controls and manual re-keying at the stages it serves.
* :func:`stream_flows` -- one row per stream: source, channel, frequency and volume a year.

What the register does not record, and a council would add as columns of the journey
register to complete the inventory, is :data:`NOT_IN_REGISTER` (one value per system, so
repeated on each of its rows, or kept in a small systems sheet keyed by system name).
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.register import STAGE_ORDER, ensure_journeys, stream_summary
from analysis.journeys.tools import tool_rows

#: Columns a council would add to the register for a complete systems inventory.
NOT_IN_REGISTER = {
    "system_owner": "the role accountable for the system (not a person's name)",
    "hosting": "on_premises, council_cloud, supplier_hosted or partner_hosted",
    "integrates_with": "systems it exchanges data with, ';'-separated, and how (feed, api, file)",
}
INVENTORY_COLUMNS = (
    "authority",
    "system",
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


def systems_inventory(journeys: pd.DataFrame) -> pd.DataFrame:
    """One row per system of each authority, from the register's columns.

    Columns :data:`INVENTORY_COLUMNS`: ``stages`` (journey order) and ``streams`` it serves;
    ``sources`` of the data it handles; the stages it serves by data-quality audit (yes /
    partial / no); ``security_controls`` as recorded (distinct, sorted, ';'-separated;
    "none" included when a stage has none) and ``n_stages_no_security``; ``n_stages_rekeyed``
    and ``streams_rekeyed`` (manual re-keying into it). Sorted by authority, system.
    """
    rows = []
    for (auth, system), g in tool_rows(journeys).groupby(["authority", "system"], sort=True):
        controls = g["security_controls"].astype(str).str.strip()
        rekeyed = g[g["manual_rekeying"].fillna(False).astype(bool)]
        rows.append(
            {
                "authority": auth,
                "system": system,
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
