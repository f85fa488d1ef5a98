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

The optional column ``needs_capability`` names what a system must provide (the register's
Systems sheet ``capabilities``: ``warehouse``, ``single_view``, ``automated_reporting``...) before
the action can count as in place: absence of a gap is not evidence that a council has, say, a
single view of a person, so where no system of the council provides the capability the action
is triggered by that finding (:mod:`analysis.journeys.triggers`).

The optional column ``funded_by`` says what pays for the action: ``existing_budgets`` (a
no-regret action, delivered with the staff and budgets the council already has; the only value
allowed, and the default, when ``option_tier`` is empty), or the kinds of cost line of the chosen
option that pay for it (``capital``, ``revenue``, ``staff``, ';'-separated; the default for an
action with an option tier is all three). The roadmap traces each scheduled action to those
lines of the council's preferred way forward (:func:`analysis.journeys.roadmap.funding`).

Dependency order uses the standard library's :mod:`graphlib` (topological sort with cycle
detection); a cycle is an input error naming the actions in it.
"""

from __future__ import annotations

import graphlib
import re
from pathlib import Path

import pandas as pd

from analysis.core.vocabulary import CAPABILITY_WORDS, COST_TYPES
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
#: Optional column: the capabilities (Systems sheet) that show the action in place.
CAPABILITY_COLUMN = "needs_capability"
#: Optional column: what pays for the action.
FUNDED_BY_COLUMN = "funded_by"
#: ``funded_by`` of a no-regret action.
EXISTING_BUDGETS = "existing_budgets"
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
    ``depends`` (list of action ids), ``benefits`` (list), ``capabilities`` (list, from
    ``needs_capability``), ``when_no_evidence`` (filled with ``schedule`` where empty or when
    the table has no such column), ``option_tier`` (empty when the table has no such column)
    and ``funded_by`` (defaults filled in, module docstring). Raises
    :class:`RoadmapInputError` naming the action and column: unknown effort, impact outside
    1-5, unknown phase hint, lifecycle stage or option tier, a malformed maturity trigger, a
    dependency on an unknown action, an unknown ``when_no_evidence`` value or capability, a
    ``funded_by`` that does not fit the option tier, or a dependency cycle (naming the actions
    in the cycle).
    """
    missing = [c for c in ACTION_COLUMNS if c not in actions.columns]
    if missing:
        raise RoadmapInputError(f"roadmap action table: missing column(s) {missing}")
    a = actions.reset_index(drop=True).copy()
    optional = (NO_EVIDENCE_COLUMN, TIER_COLUMN, CAPABILITY_COLUMN, FUNDED_BY_COLUMN)
    for c in optional:
        if c not in a.columns:
            a[c] = ""
    for c in (*ACTION_COLUMNS, *optional):
        a[c] = a[c].fillna("").astype(str).str.strip()
    a[NO_EVIDENCE_COLUMN] = a[NO_EVIDENCE_COLUMN].replace("", NO_EVIDENCE_CHOICES[0])
    ids = list(a["action_id"])
    seen: set[str] = set()
    gap_t, mat_t, deps, bens, impacts, caps, funded = [], [], [], [], [], [], []
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
        cap = _split(r[CAPABILITY_COLUMN])
        if any(c not in CAPABILITY_WORDS for c in cap):
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column {CAPABILITY_COLUMN!r}: expected one or more of "
                f"{list(CAPABILITY_WORDS)} separated by ';', or empty"
            )
        caps.append(cap)
        funded.append(_funded_by(aid, r))
        gap_t.append(_split(r["triggered_by_gaps"]))
        mat_t.append(mt)
        deps.append(d)
        bens.append(_split(r["unlocks_benefits"]))
    a["impact"] = impacts
    a["gap_triggers"] = gap_t
    a["maturity_triggers"] = mat_t
    a["depends"] = deps
    a["benefits"] = bens
    a["capabilities"] = caps
    a[FUNDED_BY_COLUMN] = funded
    topological_order(dict(zip(a["action_id"], a["depends"])))
    return a


def _funded_by(aid: str, r) -> str:
    """The checked ``funded_by`` of one action (module docstring), defaults filled in."""
    tier, cell = r[TIER_COLUMN], r[FUNDED_BY_COLUMN]
    if not tier:
        if cell not in ("", EXISTING_BUDGETS):
            raise RoadmapInputError(
                f"roadmap action {aid!r}, column {FUNDED_BY_COLUMN!r}: an action with no "
                f"option tier is no-regret, delivered within existing budgets; expected "
                f"{EXISTING_BUDGETS!r} or empty"
            )
        return EXISTING_BUDGETS
    types = _split(cell) or list(COST_TYPES)
    if any(t not in COST_TYPES for t in types):
        raise RoadmapInputError(
            f"roadmap action {aid!r}, column {FUNDED_BY_COLUMN!r}: an action of an option tier "
            f"is paid for by the chosen option's cost lines; expected one or more of "
            f"{list(COST_TYPES)} separated by ';', or empty (all three)"
        )
    return ";".join(t for t in COST_TYPES if t in types)


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
