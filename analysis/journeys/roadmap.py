"""Corrective actions and the roadmap: from gaps and maturity to a phased plan.

Which action answers which gap or maturity shortfall is data, kept in the editable table
``survey/roadmap_actions.csv``; this module only interprets it:

* an action is *triggered* for an authority when any gap it lists fired there or any DMA theme
  it lists is below the stated level (``theme<level``; a theme with no evidence does not
  trigger); the actions it depends on are pulled in too (``included_as == "dependency"``);
* actions are scheduled on a month line: an action starts at the start of its phase hint
  (now 0, next 6, later 18 months) or when the last action it depends on ends, whichever is
  later, and lasts its effort (S 3, M 6, L 12 months by default); its phase follows from its
  start month (now 0-6, next 6-18, later 18-36). So no action starts before an action it
  depends on has finished, and a dependent is pushed into a later phase when need be. This is
  the critical-path forward pass (earliest start = max of predecessors' earliest finish;
  Kelley & Walker 1959, "Critical-path planning and scheduling").
* the programme roadmap consolidates the authorities' roadmaps: actions several councils need
  are proven practice, organised by the collect -> collate -> mine -> analyse chain.

Dependency order uses the standard library's :mod:`graphlib` (topological sort with cycle
detection); a cycle is an input error naming the actions in it.
"""

from __future__ import annotations

import graphlib
import re
from pathlib import Path

import pandas as pd

from analysis.journeys.maturity import MATURITY_THEMES

ACTION_COLUMNS = (
    "action_id",
    "title",
    "triggered_by_gaps",
    "triggered_by_maturity",
    "owner_role",
    "effort",
    "impact",
    "depends_on",
    "phase_hint",
    "lifecycle_stage",
    "unlocks_benefits",
    "description",
)
LIFECYCLE_STAGES = ("collect", "collate", "mine", "analyse")
#: (phase, first month, month after the last) -- the programme's horizons.
PHASES = (("now", 0, 6), ("next", 6, 18), ("later", 18, 36))
EFFORT_MONTHS = {"S": 3, "M": 6, "L": 12}
_PHASE_START = {p: s for p, s, _ in PHASES}
_LIFECYCLE_ORDER = {s: i for i, s in enumerate(LIFECYCLE_STAGES)}
_MATURITY_TRIGGER = re.compile(r"^([a-z_]+)\s*<\s*([1-5])$")


class RoadmapInputError(ValueError):
    """The roadmap action table is malformed; the message names the action and column."""


def _split(cell) -> list[str]:
    if cell is None or pd.isna(cell):
        return []
    return [x.strip() for x in str(cell).split(";") if x.strip()]


def parse_roadmap_actions(actions: pd.DataFrame) -> pd.DataFrame:
    """Check the action table and return it with list columns parsed.

    Adds ``gap_triggers`` (list of gap ids), ``maturity_triggers`` (list of (theme, level)),
    ``depends`` (list of action ids) and ``benefits`` (list). Raises
    :class:`RoadmapInputError` naming the action and column: unknown effort, impact outside
    1-5, unknown phase hint or lifecycle stage, a malformed maturity trigger, a dependency on
    an unknown action, or a dependency cycle (naming the actions in the cycle).
    """
    missing = [c for c in ACTION_COLUMNS if c not in actions.columns]
    if missing:
        raise RoadmapInputError(f"roadmap action table: missing column(s) {missing}")
    a = actions.reset_index(drop=True).copy()
    for c in ACTION_COLUMNS:
        a[c] = a[c].fillna("").astype(str).str.strip()
    ids = list(a["action_id"])
    seen: set[str] = set()
    gap_t, mat_t, deps, bens, impacts = [], [], [], [], []
    for i, r in a.iterrows():
        aid = r["action_id"]
        if not aid:
            raise RoadmapInputError(f"roadmap action table row {i + 2}, column 'action_id': empty")
        if aid in seen:
            raise RoadmapInputError(f"roadmap action {aid!r}, column 'action_id': duplicate id")
        seen.add(aid)
        if r["effort"] not in EFFORT_MONTHS:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'effort': expected one of {list(EFFORT_MONTHS)}"
            )
        try:
            impact = int(r["impact"])
        except ValueError:
            impact = 0
        if not 1 <= impact <= 5:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'impact': expected an integer 1-5"
            )
        impacts.append(impact)
        if r["phase_hint"] not in ("", *_PHASE_START):
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'phase_hint': expected now, next, later or empty"
            )
        if r["lifecycle_stage"] not in LIFECYCLE_STAGES:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'lifecycle_stage': expected one of "
                f"{list(LIFECYCLE_STAGES)}"
            )
        mt = []
        for t in _split(r["triggered_by_maturity"]):
            m = _MATURITY_TRIGGER.match(t)
            if not m or m.group(1) not in MATURITY_THEMES:
                raise RoadmapInputError(
                    f"roadmap action {aid!r}, column 'triggered_by_maturity': expected "
                    f"'<theme><<level>' with theme one of {list(MATURITY_THEMES)} and level 2-5"
                )
            mt.append((m.group(1), int(m.group(2))))
        d = _split(r["depends_on"])
        unknown = [x for x in d if x not in ids]
        if unknown:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'depends_on': unknown action id(s) {unknown}"
            )
        gap_t.append(_split(r["triggered_by_gaps"]))
        mat_t.append(mt)
        deps.append(d)
        bens.append(_split(r["unlocks_benefits"]))
    a["impact"] = impacts
    a["gap_triggers"] = gap_t
    a["maturity_triggers"] = mat_t
    a["depends"] = deps
    a["benefits"] = bens
    _topological_order(dict(zip(a["action_id"], a["depends"])))
    return a


def _topological_order(graph: dict[str, list[str]]) -> list[str]:
    ts = graphlib.TopologicalSorter()
    for node in sorted(graph):
        ts.add(node, *sorted(graph[node]))
    try:
        return list(ts.static_order())
    except graphlib.CycleError as err:
        cycle = err.args[1]  # [a, b, ..., a]
        raise RoadmapInputError(
            "roadmap action table, column 'depends_on': dependency cycle among actions "
            + " -> ".join(cycle)
        ) from None


def _ensure_parsed(actions: pd.DataFrame) -> pd.DataFrame:
    return actions if "depends" in actions.columns else parse_roadmap_actions(actions)


def schedule_actions(
    actions: pd.DataFrame,
    action_ids: list[str] | None = None,
    *,
    effort_months: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Schedule actions (default all) with their dependencies on a month line.

    ``start_month`` = max(start of the phase hint, ``end_month`` of every action it depends
    on); ``end_month`` = start + effort months; ``phase`` from the start month (now < 6 <=
    next < 18 <= later); ``beyond_horizon`` when an action would end after month 36. The
    dependencies of the requested actions are scheduled too.

    Returns columns ``action_id, title, lifecycle_stage, owner_role, effort, impact,
    depends_on, phase_hint, start_month, end_month, phase, beyond_horizon, unlocks_benefits``
    sorted by start, end, lifecycle stage, action id (a valid topological order).
    """
    a = _ensure_parsed(actions).set_index("action_id", drop=False)
    months = {**EFFORT_MONTHS, **(effort_months or {})}
    wanted = set(a.index if action_ids is None else action_ids)
    unknown = sorted(wanted - set(a.index))
    if unknown:
        raise RoadmapInputError(f"schedule: unknown action id(s) {unknown}")
    stack = list(wanted)
    while stack:  # close over dependencies
        for d in a.at[stack.pop(), "depends"]:
            if d not in wanted:
                wanted.add(d)
                stack.append(d)
    order = _topological_order({k: a.at[k, "depends"] for k in wanted})
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    for k in order:
        hint = a.at[k, "phase_hint"] or "now"
        s = max([_PHASE_START[hint]] + [end[d] for d in a.at[k, "depends"]])
        start[k] = s
        end[k] = s + int(months[a.at[k, "effort"]])
    rows = []
    for k in wanted:
        s = start[k]
        phase = next((p for p, lo, hi in PHASES if lo <= s < hi), "later")
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
                "start_month": s,
                "end_month": end[k],
                "phase": phase,
                "beyond_horizon": end[k] > PHASES[-1][2],
                "unlocks_benefits": ";".join(r["benefits"]),
            }
        )
    out = pd.DataFrame(rows)
    out["_l"] = out["lifecycle_stage"].map(_LIFECYCLE_ORDER)
    out = out.sort_values(["start_month", "end_month", "_l", "action_id"], kind="stable")
    return out.drop(columns="_l").reset_index(drop=True)


def triggered_actions(
    actions: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    maturity: pd.DataFrame | None = None,
    authorities: list[str] | None = None,
) -> pd.DataFrame:
    """Which actions each authority needs, and why.

    ``gaps`` is the gap register (:func:`analysis.journeys.gap_rules.find_gaps`: ``authority, gap_id``
    ...); ``maturity`` the theme levels (:func:`analysis.journeys.maturity.maturity_levels`:
    ``authority, theme, level``). Returns columns ``authority, action_id, included_as``
    (trigger | dependency), ``triggered_by`` (';'-separated gap ids and ``theme<level``
    conditions that fired; for a dependency, the actions that need it).
    """
    a = _ensure_parsed(actions).set_index("action_id", drop=False)
    gaps = gaps if gaps is not None else pd.DataFrame(columns=["authority", "gap_id"])
    maturity = (
        maturity if maturity is not None else pd.DataFrame(columns=["authority", "theme", "level"])
    )
    auths = authorities or sorted(set(gaps["authority"]) | set(maturity["authority"]))
    rows = []
    for auth in auths:
        fired = set(gaps.loc[gaps["authority"] == auth, "gap_id"])
        lv = maturity[maturity["authority"] == auth].set_index("theme")["level"]
        why: dict[str, list[str]] = {}
        for k in a.index:
            reasons = [g for g in a.at[k, "gap_triggers"] if g in fired]
            for theme, level in a.at[k, "maturity_triggers"]:
                have = lv.get(theme, pd.NA)
                if not pd.isna(have) and int(have) < level:
                    reasons.append(f"{theme}<{level}")
            if reasons:
                why[k] = reasons
        needed_by: dict[str, set[str]] = {}
        stack = list(why)
        while stack:
            k = stack.pop()
            for d in a.at[k, "depends"]:
                if d not in why:
                    if d not in needed_by:
                        stack.append(d)
                    needed_by.setdefault(d, set()).add(k)
        for k in sorted(why):
            rows.append((auth, k, "trigger", ";".join(why[k])))
        for k in sorted(needed_by):
            rows.append((auth, k, "dependency", ";".join(sorted(needed_by[k]))))
    out = pd.DataFrame(rows, columns=["authority", "action_id", "included_as", "triggered_by"])
    return out.sort_values(["authority", "action_id"], kind="stable").reset_index(drop=True)


def authority_roadmap(
    actions: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    maturity: pd.DataFrame | None = None,
    *,
    authorities: list[str] | None = None,
    effort_months: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Each authority's phased roadmap of corrective actions.

    Columns: ``authority, action_id, title, included_as, triggered_by`` followed by the
    schedule columns of :func:`schedule_actions`; sorted by authority then schedule order.
    """
    a = _ensure_parsed(actions)
    trig = triggered_actions(a, gaps, maturity, authorities)
    parts = []
    for auth, t in trig.groupby("authority", sort=True):
        sched = schedule_actions(a, list(t["action_id"]), effort_months=effort_months)
        sched = sched.merge(t, on="action_id", how="left")
        parts.append(sched)
    cols = ["authority", "action_id", "title", "included_as", "triggered_by"]
    sched_cols = [
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
    ]
    if not parts:
        return pd.DataFrame(columns=cols + sched_cols)
    return pd.concat(parts, ignore_index=True)[cols + sched_cols]


def programme_roadmap(
    roadmaps: pd.DataFrame,
    actions: pd.DataFrame,
    *,
    min_authorities: int = 2,
    effort_months: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Consolidated programme roadmap from the authorities' roadmaps.

    An action triggered in at least ``min_authorities`` councils is *proven practice*
    (``proven_practice``). Actions are organised by the collect -> collate -> mine -> analyse
    chain and, within a stage, ranked by number of councils that need it (triggered, not only
    as a dependency), then impact (higher first), then effort (smaller first), then id. The
    union is scheduled with :func:`schedule_actions`.

    Columns ``lifecycle_stage, rank, action_id, title, n_authorities, authorities,
    proven_practice, owner_role, effort, impact, depends_on, start_month, end_month, phase,
    beyond_horizon, unlocks_benefits``.
    """
    a = _ensure_parsed(actions)
    trig = roadmaps[roadmaps["included_as"] == "trigger"]
    need = (
        trig.groupby("action_id", sort=True)["authority"]
        .agg(lambda s: sorted(set(s)))
        .rename("auth_list")
    )
    ids = sorted(set(roadmaps["action_id"]))
    if not ids:
        return pd.DataFrame(
            columns=[
                "lifecycle_stage",
                "rank",
                "action_id",
                "title",
                "n_authorities",
                "authorities",
                "proven_practice",
            ]
        )
    sched = schedule_actions(a, ids, effort_months=effort_months)
    sched["n_authorities"] = [len(need.get(k, [])) for k in sched["action_id"]]
    sched["authorities"] = [";".join(need.get(k, [])) for k in sched["action_id"]]
    sched["proven_practice"] = sched["n_authorities"] >= min_authorities
    sched["_l"] = sched["lifecycle_stage"].map(_LIFECYCLE_ORDER)
    sched["_e"] = sched["effort"].map({"S": 0, "M": 1, "L": 2})
    sched = sched.sort_values(
        ["_l", "n_authorities", "impact", "_e", "action_id"],
        ascending=[True, False, False, True, True],
        kind="stable",
    )
    sched["rank"] = sched.groupby("_l").cumcount() + 1
    cols = [
        "lifecycle_stage",
        "rank",
        "action_id",
        "title",
        "n_authorities",
        "authorities",
        "proven_practice",
        "owner_role",
        "effort",
        "impact",
        "depends_on",
        "start_month",
        "end_month",
        "phase",
        "beyond_horizon",
        "unlocks_benefits",
    ]
    return sched[cols].reset_index(drop=True)


def action_need(roadmaps: pd.DataFrame, actions: pd.DataFrame, authorities) -> pd.DataFrame:
    """Action x authority: how each council needs each action.

    One row per action of the table (in table order): ``action_id, title, lifecycle_stage``,
    a column per authority holding ``trigger``, ``dependency`` or ``""`` (not needed), then
    ``n_authorities_triggered`` and ``n_authorities_any`` (needed either way). ``roadmaps`` is
    the authorities' roadmaps stacked (:func:`authority_roadmap`).
    """
    a = _ensure_parsed(actions)
    rows = []
    for r in a.itertuples():
        row = {"action_id": r.action_id, "title": r.title, "lifecycle_stage": r.lifecycle_stage}
        for auth in authorities:
            hit = roadmaps[(roadmaps["authority"] == auth) & (roadmaps["action_id"] == r.action_id)]
            row[auth] = str(hit["included_as"].iloc[0]) if len(hit) else ""
        row["n_authorities_triggered"] = sum(row[auth] == "trigger" for auth in authorities)
        row["n_authorities_any"] = sum(bool(row[auth]) for auth in authorities)
        rows.append(row)
    return pd.DataFrame(rows)


def read_roadmap_actions(path: str | Path) -> pd.DataFrame:
    """Read and check the roadmap action table (``survey/roadmap_actions.csv``)."""
    return parse_roadmap_actions(pd.read_csv(path, dtype=str, keep_default_na=False))
