"""The roadmap: from each council's findings to a phased plan, and the programme's view of it.

The rule table (which action answers which gap or maturity shortfall) is read and checked by
:mod:`analysis.journeys.actions`; why each action is or is not on a council's roadmap is
decided by :mod:`analysis.journeys.triggers` (triggered; a prerequisite with no evidence that
it is in place; in place). This module schedules and consolidates:

* actions are scheduled on a month line: an action starts at the start of its phase hint
  (now 0, next 6, later 18 months) or when the last action it depends on ends, whichever is
  later, and lasts its effort (S 3, M 6, L 12 months by default); a prerequisite that is in
  place counts as finished at month 0, so it delays nothing. Its phase follows from its start
  month (now 0-6, next 6-18, later 18-36). So no action starts before an action it depends on
  has finished, and a dependent is pushed into a later phase when need be. This is the
  critical-path forward pass (earliest start = max of predecessors' earliest finish; Kelley &
  Walker 1959, "Critical-path planning and scheduling").
* the programme roadmap consolidates the councils' roadmaps, and only them: which councils
  need an action (:func:`needed_by`) is counted from the council roadmaps, so the programme
  table agrees with the council tables by construction, and its months run from the first
  council's start to the last council's end. Actions that findings trigger in two or more
  councils are a *common need* (need, not proof that they work), organised by the collect ->
  collate -> mine -> analyse chain.
What pays for each scheduled action is traced by :mod:`analysis.journeys.funding`.
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.actions import (
    ACTION_COLUMNS,
    EFFORT_MONTHS,
    FUNDED_BY_COLUMN,
    LIFECYCLE_ORDER,
    LIFECYCLE_STAGES,
    OPTION_TIERS,
    PHASE_START,
    PHASES,
    RoadmapInputError,
    ensure_parsed,
    parse_roadmap_actions,
    read_roadmap_actions,
    topological_order,
)
from analysis.journeys.triggers import action_status

__all__ = [
    "ACTION_COLUMNS",
    "EFFORT_MONTHS",
    "LIFECYCLE_STAGES",
    "PHASES",
    "ROADMAP_COLUMNS",
    "RoadmapInputError",
    "action_need",
    "authority_roadmap",
    "needed_by",
    "parse_roadmap_actions",
    "phase_of",
    "programme_roadmap",
    "read_roadmap_actions",
    "schedule_actions",
    "triggered_actions",
]

_SCHEDULE_COLUMNS = (
    "lifecycle_stage",
    "owner_role",
    "effort",
    "impact",
    "depends_on",
    "phase_hint",
    "start_month",
    "end_month",
    "phase",
    "beyond_horizon",
    "unlocks_benefits",
)
#: Columns of an authority's roadmap: the original ones, then the trigger trace.
ROADMAP_COLUMNS = (
    "authority",
    "action_id",
    "title",
    "included_as",
    "triggered_by",
    *_SCHEDULE_COLUMNS,
    "trigger_gaps",
    "trigger_maturity",
    "trigger_capability",
    "trigger_trace",
    "prerequisites_in_place",
    "waits_for",
    "prerequisites_deferred",
    "funded_by",
    "cost_lines",
    "funded",
)


def phase_of(start_month: int) -> str:
    """The phase an action starting at ``start_month`` is in (now < 6 <= next < 18 <= later)."""
    return next((p for p, lo, hi in PHASES if lo <= start_month < hi), "later")


def schedule_actions(
    actions: pd.DataFrame,
    action_ids: list[str] | None = None,
    *,
    effort_months: dict[str, int] | None = None,
    in_place: set[str] | None = None,
) -> pd.DataFrame:
    """Schedule actions (default all) with their dependencies on a month line.

    ``start_month`` = max(start of the phase hint, ``end_month`` of every action it depends
    on that is not ``in_place``); ``end_month`` = start + effort months; ``phase`` from the
    start month (:func:`phase_of`); ``beyond_horizon`` when an action would end after month
    36. The dependencies of the requested actions are scheduled too, except those in
    ``in_place`` (treated as finished at month 0, and not scheduled).

    Returns columns ``action_id, title, lifecycle_stage, owner_role, effort, impact,
    depends_on, phase_hint, start_month, end_month, phase, beyond_horizon, unlocks_benefits,
    prerequisites_in_place, waits_for`` (``waits_for``: the dependency whose end sets the
    start, lowest id on a tie; empty when the phase hint does) sorted by start, end,
    lifecycle stage, action id (a valid topological order).
    """
    a = ensure_parsed(actions).set_index("action_id", drop=False)
    months = {**EFFORT_MONTHS, **(effort_months or {})}
    done = set(in_place or ())
    wanted = set(a.index if action_ids is None else action_ids)
    unknown = sorted((wanted | done) - set(a.index))
    if unknown:
        raise RoadmapInputError(f"schedule: unknown action id(s) {unknown}")
    stack = list(wanted)
    while stack:  # close over dependencies that are not in place
        for d in a.at[stack.pop(), "depends"]:
            if d not in wanted and d not in done:
                wanted.add(d)
                stack.append(d)
    graph = {k: [d for d in a.at[k, "depends"] if d in wanted] for k in wanted}
    order = topological_order(graph)
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    waits: dict[str, str] = {}
    for k in order:
        hint = PHASE_START[a.at[k, "phase_hint"] or "now"]
        deps = sorted((end[d], d) for d in graph[k])
        latest = max((e for e, _ in deps), default=0)
        start[k] = max(hint, latest)
        waits[k] = min(d for e, d in deps if e == latest) if latest > hint else ""
        end[k] = start[k] + int(months[a.at[k, "effort"]])
    rows = []
    for k in wanted:
        r = a.loc[k]
        rows.append(
            {
                "action_id": k,
                "title": r["title"],
                "lifecycle_stage": r["lifecycle_stage"],
                "owner_role": r["owner_role"],
                "effort": r["effort"],
                "impact": int(r["impact"]),
                "depends_on": ";".join(r["depends"]),
                "phase_hint": r["phase_hint"],
                "start_month": start[k],
                "end_month": end[k],
                "phase": phase_of(start[k]),
                "beyond_horizon": end[k] > PHASES[-1][2],
                "unlocks_benefits": ";".join(r["benefits"]),
                "prerequisites_in_place": ";".join(d for d in r["depends"] if d not in wanted),
                "waits_for": waits[k],
            }
        )
    out = pd.DataFrame(rows)
    out["_l"] = out["lifecycle_stage"].map(LIFECYCLE_ORDER)
    out = out.sort_values(["start_month", "end_month", "_l", "action_id"], kind="stable")
    return out.drop(columns="_l").reset_index(drop=True)


def triggered_actions(
    actions: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    maturity: pd.DataFrame | None = None,
    authorities: list[str] | None = None,
    *,
    gap_summary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which actions each authority's roadmap schedules, and why.

    The scheduled rows of :func:`analysis.journeys.triggers.action_status` (same arguments):
    columns ``authority, action_id, included_as`` (trigger | dependency), ``triggered_by``
    (';'-separated gap ids and ``theme<level`` conditions that fired; for a dependency, the
    actions that need it).
    """
    st = action_status(actions, gaps, maturity, gap_summary=gap_summary, authorities=authorities)
    out = st.loc[st["scheduled"], ["authority", "action_id", "included_as", "triggered_by"]]
    return out.sort_values(["authority", "action_id"], kind="stable").reset_index(drop=True)


def authority_roadmap(
    actions: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    maturity: pd.DataFrame | None = None,
    *,
    gap_summary: pd.DataFrame | None = None,
    authorities: list[str] | None = None,
    effort_months: dict[str, int] | None = None,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each authority's phased roadmap of corrective actions, with the trigger trace.

    ``status`` is :func:`~analysis.journeys.triggers.action_status` of these arguments
    (computed when not given). Only scheduled actions appear; the others count as in place
    (finished at month 0). Columns :data:`ROADMAP_COLUMNS`: ``authority, action_id, title,
    included_as, triggered_by``, the schedule columns of :func:`schedule_actions`, then
    ``trigger_gaps, trigger_maturity, trigger_trace`` (from the status table),
    ``prerequisites_in_place, waits_for`` and ``prerequisites_deferred`` (prerequisites the
    status defers because the appraisal's way forward does not include them: the action goes
    ahead without them); sorted by authority then schedule order.
    """
    a = ensure_parsed(actions)
    if status is None:
        status = action_status(a, gaps, maturity, gap_summary=gap_summary, authorities=authorities)
    keep = ["action_id", "included_as", "triggered_by", "trigger_gaps", "trigger_maturity"]
    keep += ["trigger_capability"]
    parts = []
    for _auth, st in status.groupby("authority", sort=True):
        ids = list(st.loc[st["scheduled"], "action_id"])
        if not ids:
            continue
        others = set(st.loc[~st["scheduled"], "action_id"])
        deferred = set(st.loc[st["status"] == "deferred", "action_id"])
        sched = schedule_actions(a, ids, effort_months=effort_months, in_place=others)
        split = [str(x).split(";") if x else [] for x in sched["prerequisites_in_place"]]
        sched["prerequisites_in_place"] = [
            ";".join(d for d in x if d not in deferred) for x in split
        ]
        sched["prerequisites_deferred"] = [";".join(d for d in x if d in deferred) for x in split]
        trace = st[keep + ["authority", "trace"]].rename(columns={"trace": "trigger_trace"})
        parts.append(sched.merge(trace, on="action_id", how="left"))
    if not parts:
        return pd.DataFrame(columns=list(ROADMAP_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    fund = a.set_index("action_id")[FUNDED_BY_COLUMN]
    out["funded_by"] = out["action_id"].map(fund)
    out["cost_lines"] = ""  # traced by analysis.journeys.funding.funding
    out["funded"] = out["funded_by"] == "existing_budgets"
    return out[list(ROADMAP_COLUMNS)]


def needed_by(roadmaps: pd.DataFrame) -> pd.DataFrame:
    """Which councils need each action, counted from the councils' roadmaps (stacked).

    The one place "needed by" is computed: the programme roadmap and the action x council
    table both use it, so they agree with the council tables by construction. Columns
    ``action_id, n_authorities, authorities`` (councils whose roadmap schedules it),
    ``n_authorities_triggered, authorities_triggered`` (of those, councils where a finding
    triggered it) and ``n_authorities_dependency`` (scheduled only as a prerequisite),
    one row per action on any roadmap, sorted by id; authorities sorted, ';'-separated.
    """
    rows = []
    for aid, g in roadmaps.groupby("action_id", sort=True):
        every = sorted(set(g["authority"]))
        trig = sorted(set(g.loc[g["included_as"] == "trigger", "authority"]))
        rows.append(
            {
                "action_id": aid,
                "n_authorities": len(every),
                "authorities": ";".join(every),
                "n_authorities_triggered": len(trig),
                "authorities_triggered": ";".join(trig),
                "n_authorities_dependency": len(every) - len(trig),
            }
        )
    cols = [
        "action_id",
        "n_authorities",
        "authorities",
        "n_authorities_triggered",
        "authorities_triggered",
        "n_authorities_dependency",
    ]
    return pd.DataFrame(rows, columns=cols)


_PROGRAMME_COLUMNS = (
    "lifecycle_stage",
    "rank",
    "action_id",
    "title",
    "n_authorities",
    "authorities",
    "common_need",
    "owner_role",
    "effort",
    "impact",
    "depends_on",
    "start_month",
    "end_month",
    "phase",
    "beyond_horizon",
    "unlocks_benefits",
    "n_authorities_triggered",
    "authorities_triggered",
    "n_authorities_dependency",
    "n_authorities_in_place",
)
_IN_PLACE = ("in_place", "assumed_in_place")


def programme_roadmap(
    roadmaps: pd.DataFrame,
    actions: pd.DataFrame,
    *,
    min_authorities: int = 2,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Consolidated programme roadmap from the authorities' roadmaps (stacked).

    One row per action on any council's roadmap. ``n_authorities``/``authorities``: councils
    whose roadmap schedules it (:func:`needed_by`, so a reader can count them in the council
    tables); an action triggered in at least ``min_authorities`` councils is a *common need*
    (``common_need``: needed in that many councils, which is not evidence that it works). ``start_month`` is the earliest start and ``end_month`` the latest end among
    those councils (the window in which councils do it), ``phase`` follows the start,
    ``beyond_horizon`` when any council ends after month 36. ``n_authorities_in_place``
    counts the councils where ``status`` (the stacked
    :func:`~analysis.journeys.triggers.action_status`) says it is (assumed) in place; 0
    without it. Organised by the collect -> collate -> mine -> analyse chain and, within a
    stage, ranked by councils needing it, then impact (higher first), effort (smaller
    first), id.
    """
    a = ensure_parsed(actions).set_index("action_id", drop=False)
    need = needed_by(roadmaps)
    if need.empty:
        return pd.DataFrame(columns=list(_PROGRAMME_COLUMNS))
    months = roadmaps.groupby("action_id").agg(
        start_month=("start_month", "min"), end_month=("end_month", "max")
    )
    out = need.merge(months, left_on="action_id", right_index=True)
    for c in ("title", "lifecycle_stage", "owner_role", "effort", "impact"):
        out[c] = [a.at[k, c] for k in out["action_id"]]
    out["impact"] = out["impact"].astype(int)
    out["depends_on"] = [";".join(a.at[k, "depends"]) for k in out["action_id"]]
    out["unlocks_benefits"] = [";".join(a.at[k, "benefits"]) for k in out["action_id"]]
    out["start_month"] = out["start_month"].astype(int)
    out["end_month"] = out["end_month"].astype(int)
    out["phase"] = out["start_month"].map(phase_of)
    out["beyond_horizon"] = out["end_month"] > PHASES[-1][2]
    out["common_need"] = out["n_authorities_triggered"] >= min_authorities
    placed = (
        status[status["status"].isin(_IN_PLACE)].groupby("action_id")["authority"].nunique()
        if status is not None
        else pd.Series(dtype=int)
    )
    out["n_authorities_in_place"] = [int(placed.get(k, 0)) for k in out["action_id"]]
    out["_l"] = out["lifecycle_stage"].map(LIFECYCLE_ORDER)
    out["_e"] = out["effort"].map({"S": 0, "M": 1, "L": 2})
    out = out.sort_values(
        ["_l", "n_authorities", "impact", "_e", "action_id"],
        ascending=[True, False, False, True, True],
        kind="stable",
    )
    out["rank"] = out.groupby("_l").cumcount() + 1
    return out[list(_PROGRAMME_COLUMNS)].reset_index(drop=True)


def action_need(
    roadmaps: pd.DataFrame,
    actions: pd.DataFrame,
    authorities,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Action x authority: how each council needs each action.

    One row per action of the table (in table order): ``action_id, title, lifecycle_stage``,
    a column per authority holding ``trigger`` or ``dependency`` (on its roadmap), else its
    status from ``status`` (``in_place``, ``assumed_in_place``, ``no_evidence``) or ``""``
    without it; then ``n_authorities_triggered``, ``n_authorities_any`` (on the roadmap
    either way; both counted by :func:`needed_by`) and ``n_authorities_in_place``.
    """
    a = ensure_parsed(actions)
    need = needed_by(roadmaps).set_index("action_id")
    on_map = {(r.authority, r.action_id): r.included_as for r in roadmaps.itertuples()}
    other = {}
    if status is not None:
        other = {(r.authority, r.action_id): r.status for r in status.itertuples()}
    rows = []
    for r in a.itertuples():
        row = {"action_id": r.action_id, "title": r.title, "lifecycle_stage": r.lifecycle_stage}
        for auth in authorities:
            key = (auth, r.action_id)
            row[auth] = str(on_map[key]) if key in on_map else other.get(key, "")
        known = r.action_id in need.index
        row["n_authorities_triggered"] = (
            int(need.at[r.action_id, "n_authorities_triggered"]) if known else 0
        )
        row["n_authorities_any"] = int(need.at[r.action_id, "n_authorities"]) if known else 0
        row["n_authorities_in_place"] = sum(row[auth] in _IN_PLACE for auth in authorities)
        rows.append(row)
    return pd.DataFrame(rows)


def option_plans(
    actions, gaps, levels, summary, authority: str, systems=None, categories=None
) -> dict:
    """``{category: (action status, roadmap)}``: the council's roadmap rebuilt as if each
    option category were the appraisal's way forward (actions of a larger option tier
    deferred). ``categories`` defaults to :data:`~analysis.journeys.actions.OPTION_TIERS`
    without business as usual (which has no roadmap of its own). ``systems`` is the
    register's Systems sheet, as for the published roadmap, so an action counts as in place
    on the same evidence in every rebuild. The one rebuild both the spending-objectives check
    by option and the benefit-timing check use."""
    plans = {}
    for cat in OPTION_TIERS[1:] if categories is None else categories:
        st = action_status(
            actions,
            gaps[["authority", "gap_id", "label", "stream_id"]],
            levels[["authority", "theme", "level"]].astype({"level": "Int64"}),
            gap_summary=summary,
            authorities=[authority],
            way_forward={authority: (cat, cat)},
            systems=systems,
        )
        plans[cat] = (st, authority_roadmap(actions, status=st))
    return plans
