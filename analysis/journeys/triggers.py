"""Why each action is (or is not) on a council's roadmap: triggers, evidence, prerequisites.

For one council every action of the rule table (:mod:`analysis.journeys.actions`) gets one
status, with its reasons in ids and in words:

* ``trigger`` -- a gap it lists was found on at least one of the council's streams, or a
  maturity theme it lists is below the stated level. Scheduled.
* ``in_place`` -- not triggered, and every one of its triggers was checked for this council
  and did not fire: the journey map shows no gap it addresses (the gap rule ran over all the
  council's streams), its maturity does not call for it (the theme has a level, at or
  above the threshold) and, where the rule table says the action needs a capability
  (``needs_capability``), a system of the council provides it (the register's Systems
  sheet). Absence of a gap alone is not positive evidence of a warehouse, a single view or
  automated reporting, so for those actions the capability is the evidence; where the Systems
  sheet records no system with it, that finding triggers the action, and where the register
  has no Systems sheet it cannot be checked (no evidence either way). Not scheduled; a
  triggered action that depends on it does not wait for it. The evidence is kept, e.g. 'the
  gap "no aggregation or warehouse" on none of 8 streams; tools maturity level 3, not below 3;
  a shared data warehouse provided by Partnership data warehouse (Systems sheet)' (gaps by
  name: the reports show no gap ids).
* not triggered and *no evidence either way* -- the action lists no trigger, a gap rule it
  names was not applied, or a maturity theme it names has no evidence. The rule table's
  ``when_no_evidence`` column decides: ``schedule`` (the default) makes it a ``dependency``
  when a scheduled action depends on it (it is scheduled before them, and its trace says that
  nothing shows it in place), or ``no_evidence`` when nothing needs it (not scheduled: no
  finding calls for it); ``assume_in_place`` makes it ``assumed_in_place`` (treated as in
  place, and listed as an assumption, not as evidence).

* ``deferred`` -- triggered, or needed as a prerequisite, but part of an option the council's
  appraisal did not choose: the rule table's ``option_tier`` is larger than the category of the
  preferred way forward (``way_forward``; e.g. the warehouse of the "preferred" platform when
  the appraisal chose "do minimum"). Not scheduled; what depends on it does not wait for it
  (it proceeds on the council's existing systems), and it is not counted as in place. Without
  ``way_forward`` nothing is deferred.

So no action is scheduled without a finding: its own trigger, or a triggered action that
needs it while nothing shows it is in place. Trigger evidence comes from the gap summary
(:func:`analysis.journeys.gap_rules.gap_summary` with the journeys and rules, so that every
rule has a row, 0 streams when it did not fire); given only the gap register, a gap that did
not fire is "not checked", which is how the stage behaved before evidence was weighed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from analysis.core.formatting import prose_list
from analysis.core.vocabulary import CAPABILITY_WORDS
from analysis.journeys.actions import NO_EVIDENCE_COLUMN, TIER_COLUMN, TIER_RANK, ensure_parsed

#: Statuses of an action for one council; the first two are scheduled.
STATUSES = ("trigger", "dependency", "in_place", "assumed_in_place", "no_evidence", "deferred")
SCHEDULED = ("trigger", "dependency")
STATUS_COLUMNS = (
    "authority",
    "action_id",
    "title",
    "status",
    "scheduled",
    "included_as",
    "triggered_by",
    "needed_by",
    "trigger_gaps",
    "trigger_maturity",
    "trigger_capability",
    "evidence",
    "trace",
)


def _gap_evidence(gaps, gap_summary, auth):
    """``{gap_id: (label, n_streams, n_total)}`` for the authority: every rule applied (from
    the summary, counts may be None) and every gap found (from the register)."""
    out: dict[str, tuple] = {}
    if gaps is not None and len(gaps):
        g = gaps[gaps["authority"] == auth]
        for gid, d in g.groupby("gap_id", sort=True):
            label = str(d["label"].iloc[0]) if "label" in d.columns else ""
            n = int(d["stream_id"].nunique()) if "stream_id" in d.columns else None
            out[str(gid)] = (label, n, None)
    if gap_summary is not None and len(gap_summary):
        s = gap_summary[gap_summary["authority"] == auth]
        for r in s.itertuples(index=False):
            tot = getattr(r, "n_streams_total", pd.NA)
            tot = None if pd.isna(tot) else int(tot)
            out[str(r.gap_id)] = (str(r.label), int(r.n_streams), tot)
    return out


def action_name(action_id: str, title: str) -> str:
    """An action as a board reader reads it: its title, the id in brackets
    (``Shared data warehouse for the service area (A07)``)."""
    return f"{title} ({action_id})" if title else action_id


def _capabilities(systems, auth) -> dict[str, list[str]] | None:
    """``{capability: [systems providing it]}`` for the authority from the register's Systems
    sheet (``authority, system, capabilities``); None when it has no row for the authority
    (no Systems sheet: nothing can be checked)."""
    if systems is None or not len(systems):
        return None
    s = systems[systems["authority"] == auth]
    if s.empty:
        return None
    out: dict[str, list[str]] = {}
    for system, cell in zip(s["system"], s["capabilities"].fillna(""), strict=True):
        for c in str(cell).split(";"):
            if c.strip():
                out.setdefault(c.strip(), []).append(str(system))
    return out


def _lower_first(text: str) -> str:
    """``No data-quality audit`` -> ``no data-quality audit`` (an acronym such as ``CRM``
    keeps its case)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _streams(n, tot) -> str:
    if n is None:
        return "found"
    return f"on {n} of {tot} streams" if tot is not None else f"on {n} streams"


class Judgement(NamedTuple):
    """An action's triggers checked for one council."""

    fired: list[str]  # fired gap ids and theme<level conditions
    gap_ids: list[str]  # fired gaps with counts, "G04:6/8"
    maturity_ids: list[str]  # fired conditions with the level, "tools:2<3"
    capability_ids: list[str]  # capabilities no system provides, "no_single_view"
    fired_words: list[str]
    evidence_ids: list[str]  # checked triggers that did not fire, or could not be checked
    evidence_words: list[str]
    complete: bool  # every trigger checked: not firing is evidence the action is in place


def _judge(action, gap_ev, levels, caps=None) -> Judgement:
    """The action's triggers checked for one council (:class:`Judgement`); ``caps`` from
    :func:`_capabilities` (None: no Systems sheet)."""
    fired, gap_ids, mat_ids, cap_ids, fired_words = [], [], [], [], []
    ev_ids, ev_words = [], []
    needs = list(action.get("capabilities", []) or [])
    complete = bool(action["gap_triggers"] or action["maturity_triggers"] or needs)
    for g in action["gap_triggers"]:
        label, n, tot = gap_ev.get(g, ("", None, None))
        # the gap's name in words (the report shows no gap ids; the id stays in gap_ids)
        name = _lower_first(label) if label else f"gap {g}"
        ref = f"the gap \u201c{name}\u201d" if label else name
        if g in gap_ev and (n is None or n > 0):
            fired.append(g)
            gap_ids.append(g if n is None else f"{g}:{n}" + (f"/{tot}" if tot is not None else ""))
            fired_words.append(f"{name} {_streams(n, tot)}")
        elif g in gap_ev and tot is not None:
            ev_ids.append(f"{g}:0/{tot}")
            ev_words.append(f"{ref} on none of {tot} streams")
        else:
            complete = False
            ev_ids.append(f"{g}:not_checked")
            ev_words.append(f"{ref} not checked (no such gap rule was applied)")
    for theme, level in action["maturity_triggers"]:
        have = levels.get(theme, pd.NA)
        if pd.isna(have):
            complete = False
            ev_ids.append(f"{theme}:no_evidence")
            ev_words.append(f"{theme} maturity: no evidence")
        elif int(have) < level:
            fired.append(f"{theme}<{level}")
            mat_ids.append(f"{theme}:{int(have)}<{level}")
            fired_words.append(f"{theme} maturity level {int(have)}, below {level}")
        else:
            ev_ids.append(f"{theme}:{int(have)}>={level}")
            ev_words.append(f"{theme} maturity level {int(have)}, not below {level}")
    for cap in needs:
        words = CAPABILITY_WORDS.get(cap, cap.replace("_", " "))
        if caps is None:
            complete = False
            ev_ids.append(f"{cap}:not_recorded")
            ev_words.append(f"{words}: not recorded (the register has no Systems sheet)")
        elif caps.get(cap):
            ev_ids.append(f"{cap}:recorded")
            ev_words.append(f"{words} provided by {prose_list(caps[cap])} (Systems sheet)")
        else:
            fired.append(f"no_{cap}")
            cap_ids.append(f"no_{cap}")
            fired_words.append(f"no system provides {words} (Systems sheet)")
    if not action["gap_triggers"] and not action["maturity_triggers"] and not needs:
        ev_words.append("no gap or maturity condition names this action")
    return Judgement(fired, gap_ids, mat_ids, cap_ids, fired_words, ev_ids, ev_words, complete)


def action_status(
    actions: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    maturity: pd.DataFrame | None = None,
    *,
    gap_summary: pd.DataFrame | None = None,
    authorities: list[str] | None = None,
    way_forward: Mapping[str, tuple[str, str]] | None = None,
    systems: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every action's status for each authority, with its trigger trace (module docstring).

    ``way_forward`` maps an authority to the category and name of its appraisal's preferred
    way forward (``options_decision.csv``: the recommended option, ``bau`` when none); an
    action whose ``option_tier`` is beyond it is ``deferred`` (none deferred without it).

    ``gaps`` is the gap register (``authority, gap_id`` and optionally ``label, stream_id``),
    ``gap_summary`` the summary with every rule applied (``authority, gap_id, label,
    n_streams, n_streams_total``), ``maturity`` the theme levels (``authority, theme,
    level``). Returns :data:`STATUS_COLUMNS`, one row per authority and action in table
    order: ``included_as`` trigger / dependency / empty; ``triggered_by`` the fired gap ids
    and ``theme<level`` conditions (for a dependency: the scheduled actions that need it);
    ``needed_by`` the scheduled actions that depend on it directly; ``trigger_gaps``
    ``G04:6/8`` (gap: streams of this council with it / its streams); ``trigger_maturity``
    ``tools:2<3`` (theme: level < threshold); ``trigger_capability`` ``no_single_view`` (a
    capability the action needs that no system of the council provides); ``evidence`` the
    checked triggers that did not fire (``G03:0/8``, ``tools:3>=3``, ``warehouse:recorded``,
    ``skills:no_evidence``, ``G11:not_checked``, ``single_view:not_recorded``); ``trace`` all
    of it in words.

    ``systems`` is the register's Systems sheet as ingested (``authority, system,
    capabilities``); an authority with no row in it (or no ``systems``) has no capability
    recorded, so an action that needs one cannot be shown in place.
    """
    a = ensure_parsed(actions).set_index("action_id", drop=False)
    frames = [f for f in (gaps, gap_summary, maturity) if f is not None]
    auths = authorities or sorted(set().union(*(set(f["authority"]) for f in frames)))
    if maturity is None:
        maturity = pd.DataFrame(columns=["authority", "theme", "level"])
    rows = []
    for auth in auths:
        gap_ev = _gap_evidence(gaps, gap_summary, auth)
        lv = maturity[maturity["authority"] == auth].set_index("theme")["level"]
        caps = _capabilities(systems, auth)
        judged = {k: _judge(a.loc[k], gap_ev, lv, caps) for k in a.index}
        chosen = (way_forward or {}).get(auth)
        beyond = _beyond(a, chosen)
        status = {k: ("deferred" if k in beyond else "trigger") for k in a.index if judged[k].fired}
        needed_by: dict[str, set[str]] = {}
        stack = sorted(k for k, v in status.items() if v == "trigger")
        while stack:  # close over prerequisites that nothing shows to be in place
            k = stack.pop()
            for d in a.at[k, "depends"]:
                needed_by.setdefault(d, set()).add(k)
                if d in status or judged[d].complete:
                    continue
                if d in beyond:
                    status[d] = "deferred"
                elif a.at[d, NO_EVIDENCE_COLUMN] == "schedule":
                    status[d] = "dependency"
                    stack.append(d)
        for k in a.index:
            fired, gids, mids, cids, fwords, ev_ids, ev_words, complete = judged[k]
            st = status.get(k)
            if st is None:
                no_ev = a.at[k, NO_EVIDENCE_COLUMN]
                st = (
                    "in_place"
                    if complete
                    else ("no_evidence", "assumed_in_place")[no_ev == "assume_in_place"]
                )
            need = sorted(needed_by.get(k, set()))
            rows.append(
                {
                    "authority": auth,
                    "action_id": k,
                    "title": a.at[k, "title"],
                    "status": st,
                    "scheduled": st in SCHEDULED,
                    "included_as": st if st in SCHEDULED else "",
                    "triggered_by": ";".join(fired if st == "trigger" else need)
                    if st in SCHEDULED
                    else "",
                    "needed_by": ";".join(need),
                    "trigger_gaps": ";".join(gids),
                    "trigger_maturity": ";".join(mids),
                    "trigger_capability": ";".join(cids),
                    "evidence": ";".join(ev_ids),
                    "trace": _trace(st, fwords, ev_words, need, a, a.at[k, TIER_COLUMN], chosen),
                }
            )
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


def way_forward_of(decision: pd.DataFrame) -> tuple[str, str]:
    """``(category, name)`` of the recommended option in an ``options_decision.csv`` table
    (:mod:`analysis.costs.decision`); ``("bau", "business as usual")`` when none is."""
    rec = decision[decision["recommended"].astype(str).str.lower() == "yes"]
    if rec.empty or str(rec["category"].iloc[0]) == "bau":
        return ("bau", "business as usual")
    return (str(rec["category"].iloc[0]), str(rec["name"].iloc[0]))


def _beyond(a, chosen) -> set[str]:
    """Actions whose option tier is beyond the chosen option's category (none without one)."""
    if chosen is None:
        return set()
    rank = TIER_RANK.get(chosen[0], max(TIER_RANK.values()))
    return {k for k in a.index if a.at[k, TIER_COLUMN] and TIER_RANK[a.at[k, TIER_COLUMN]] > rank}


#: An option tier in words, for the deferral trace.
_TIER_WORDS = {
    "do_minimum": "the do-minimum option",
    "preferred": "the council's proposed option",
    "ambitious": "the more ambitious option",
}


def _trace(status, fired_words, ev_words, need, a, tier="", chosen=None) -> str:
    """The status and its reasons as one sentence a board reader can check."""
    needs = prose_list(action_name(k, a.at[k, "title"]) for k in need)
    waits = f" {needs} {'does' if len(need) == 1 else 'do'} not wait for it." if need else ""
    if status == "deferred":
        why = (
            f"the findings call for it ({'; '.join(fired_words)})"
            if fired_words
            else f"{needs} {'needs' if len(need) == 1 else 'need'} it"
        )
        return (
            f"Deferred: {why}, but it is part of {_TIER_WORDS.get(tier, tier)}, and the "
            f"appraisal's preferred way forward is {chosen[1]}, which does not include it." + waits
        )
    if status == "trigger":
        return "Triggered: " + "; ".join(fired_words) + "."
    if status == "dependency":
        return (
            f"Prerequisite of {needs}, and nothing shows it is in place ("
            + "; ".join(ev_words)
            + "); the rule table says to schedule it when there is no evidence."
        )
    if status == "in_place":
        return "In place: " + "; ".join(ev_words) + "." + waits
    if status == "assumed_in_place":
        return (
            "Assumed in place, with no evidence either way ("
            + "; ".join(ev_words)
            + "); the rule table says to assume it."
            + waits
        )
    return "Not scheduled: no finding calls for it (" + "; ".join(ev_words) + ")."
