"""The roadmap's rule table: corrective actions, what triggers them, what they depend on.

Which action answers which gap or maturity shortfall is data, kept in the editable table
``survey/roadmap_actions.csv`` (one row per action); this module reads and checks it. Each
action names the gaps (``triggered_by_gaps``) and maturity conditions
(``triggered_by_maturity``, ``theme<level``) that call for it, its effort, impact, the actions
it depends on, a phase hint and its place in the collect -> collate -> mine -> analyse chain.

The optional column ``when_no_evidence`` says what to do with a prerequisite whose triggers
cannot be checked for a council (no trigger listed, a gap rule that was not applied, a
maturity theme with no evidence), see :mod:`analysis.journeys.triggers`: ``schedule`` (the
default, also for an empty cell or a table without the column) or ``assume_in_place``.

The optional column ``option_tier`` says which of the appraised options the action is part of:
empty for a no-regret action (needed whichever option is chosen, within existing budgets), or
the least option category that pays for it (``do_minimum``, ``preferred``, ``ambitious``, in
that order of scope). A council's roadmap schedules an action of a tier only when the
appraisal's preferred way forward is an option of that tier or a larger one; otherwise the
action is *deferred* (:mod:`analysis.journeys.triggers`), so the roadmap never builds what the
economic case rejected.

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
#: First month of each phase (the earliest start its phase hint allows).
PHASE_START = {p: s for p, s, _ in PHASES}
#: Position of each lifecycle stage in the collect -> collate -> mine -> analyse chain.
LIFECYCLE_ORDER = {s: i for i, s in enumerate(LIFECYCLE_STAGES)}
#: Optional column: what happens to a prerequisite nothing shows to be in place or needed.
NO_EVIDENCE_COLUMN = "when_no_evidence"
#: Its values; an empty cell (or no column) is the first.
NO_EVIDENCE_CHOICES = ("schedule", "assume_in_place")
#: Optional column: the option the action belongs to (empty = no-regret, any option).
TIER_COLUMN = "option_tier"
#: Option categories in order of scope (``options.csv``); an action of a tier is in every
#: option of that tier or a later one. ``bau`` chosen means no option is funded.
OPTION_TIERS = ("bau", "do_minimum", "preferred", "ambitious")
TIER_RANK = {t: i for i, t in enumerate(OPTION_TIERS)}
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
    ``depends`` (list of action ids), ``benefits`` (list), ``when_no_evidence`` (filled
    with ``schedule`` where empty or when the table has no such column) and ``option_tier``
    (empty when the table has no such column). Raises
    :class:`RoadmapInputError` naming the action and column: unknown effort, impact outside
    1-5, unknown phase hint, lifecycle stage or option tier, a malformed maturity trigger, a dependency on
    an unknown action, an unknown ``when_no_evidence`` value, or a dependency cycle (naming
    the actions in the cycle).
    """
    missing = [c for c in ACTION_COLUMNS if c not in actions.columns]
    if missing:
        raise RoadmapInputError(f"roadmap action table: missing column(s) {missing}")
    a = actions.reset_index(drop=True).copy()
    for c in (NO_EVIDENCE_COLUMN, TIER_COLUMN):
        if c not in a.columns:
            a[c] = ""
    for c in (*ACTION_COLUMNS, NO_EVIDENCE_COLUMN, TIER_COLUMN):
        a[c] = a[c].fillna("").astype(str).str.strip()
    a[NO_EVIDENCE_COLUMN] = a[NO_EVIDENCE_COLUMN].replace("", NO_EVIDENCE_CHOICES[0])
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
        if r["phase_hint"] not in ("", *PHASE_START):
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'phase_hint': expected now, next, later or empty"
            )
        if r["lifecycle_stage"] not in LIFECYCLE_STAGES:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column 'lifecycle_stage': expected one of "
                f"{list(LIFECYCLE_STAGES)}"
            )
        if r[NO_EVIDENCE_COLUMN] not in NO_EVIDENCE_CHOICES:
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column {NO_EVIDENCE_COLUMN!r}: expected one of "
                f"{list(NO_EVIDENCE_CHOICES)} or empty"
            )
        if r[TIER_COLUMN] not in ("", *OPTION_TIERS[1:]):
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column {TIER_COLUMN!r}: expected one of "
                f"{list(OPTION_TIERS[1:])} or empty (a no-regret action)"
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
    topological_order(dict(zip(a["action_id"], a["depends"])))
    return a


def topological_order(graph: dict[str, list[str]]) -> list[str]:
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


def ensure_parsed(actions: pd.DataFrame) -> pd.DataFrame:
    return actions if "depends" in actions.columns else parse_roadmap_actions(actions)


def read_roadmap_actions(path: str | Path) -> pd.DataFrame:
    """Read and check the roadmap action table (``survey/roadmap_actions.csv``)."""
    return parse_roadmap_actions(pd.read_csv(path, dtype=str, keep_default_na=False))
