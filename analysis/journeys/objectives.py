"""Spending objectives checked against the roadmap: can the schedule meet them, and if not, why.

The objectives are data (for now the programme's three, in ``survey/spending_objectives.csv``;
the business case states them, ``report/business-case.qmd``, "Spending objectives"): an id,
the objective's text, the actions that deliver it, the month by which they must be complete,
and whether every council must have them. :func:`check_objectives` judges one council's
schedule against each objective, :func:`programme_objectives` adds the programme's verdict.

For one council an action that delivers an objective is

* *delivered by month m* when its roadmap schedules it to end at month m;
* *in place* (delivered at month 0) when its status is ``in_place`` or ``assumed_in_place``
  (:mod:`analysis.journeys.triggers`: no finding calls for it);
* *missing* when it is neither scheduled nor in place (status ``no_evidence``, or
  ``deferred`` when the appraisal's preferred way forward does not include it: the reason
  says so, since the objective then needs the investment the appraisal did not support).

With ``all_authorities`` yes the objective is **met** when every one of its actions is in
place or ends by the month, and **not met** otherwise (a missing action fails it). With
``all_authorities`` no it only binds the councils whose roadmap schedules one of its
actions: those must finish them by the month; in the others it is **not applicable**. The
reason says which action is late, when it ends, and what it waits for (the prerequisite
whose end sets its start, or its phase hint), or which is missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.formatting import names_or_count
from analysis.core.text import parse_bool
from analysis.journeys.actions import ensure_parsed
from analysis.journeys.triggers import action_name

OBJECTIVE_COLUMNS = ("objective_id", "objective", "action_ids", "by_month", "all_authorities")
RESULTS = ("met", "not_met", "not_applicable")
CHECK_COLUMNS = (
    "authority",
    "objective_id",
    "objective",
    "by_month",
    "all_authorities",
    "action_ids",
    "result",
    "met",
    "latest_end_month",
    "actions_late",
    "actions_missing",
    "actions_in_place",
    "reason",
    "actions_deferred",
)
#: The ``authority`` of the programme's verdict rows.
PROGRAMME = "programme"
#: Statuses that count as delivered at month 0, and how a reason names them.
_IN_PLACE = {"in_place": "in place", "assumed_in_place": "assumed to be in place"}


class ObjectiveInputError(ValueError):
    """The spending objectives table is malformed; the message names the objective and column."""


def parse_spending_objectives(table: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Check the objectives table against the action table; return it typed.

    ``action_ids`` becomes a list, ``by_month`` an int (1-120), ``all_authorities`` a bool.
    Raises :class:`ObjectiveInputError` naming the objective and column: missing column,
    empty or duplicate id, no action or an action not in the rule table, a month that is not
    a whole number 1-120, a yes/no that is neither.
    """
    missing = [c for c in OBJECTIVE_COLUMNS if c not in table.columns]
    if missing:
        raise ObjectiveInputError(f"spending objectives: missing column(s) {missing}")
    known = set(ensure_parsed(actions)["action_id"])
    rows, seen = [], set()
    for i, r in table.reset_index(drop=True).iterrows():
        oid = str(r["objective_id"]).strip()
        where = f"spending objective {oid!r}" if oid else f"spending objectives row {i + 2}"
        if not oid or oid in seen:
            raise ObjectiveInputError(f"{where}, column 'objective_id': empty or duplicate id")
        seen.add(oid)
        ids = [x.strip() for x in str(r["action_ids"]).split(";") if x.strip()]
        unknown = [x for x in ids if x not in known]
        if not ids or unknown:
            raise ObjectiveInputError(
                f"{where}, column 'action_ids': expected ';'-separated ids of the roadmap "
                f"action table (unknown: {unknown})"
            )
        month = str(r["by_month"]).strip()
        if not month.isdigit() or not 1 <= int(month) <= 120:
            raise ObjectiveInputError(f"{where}, column 'by_month': expected a whole month 1-120")
        every = parse_bool(r["all_authorities"])
        if every is None:
            raise ObjectiveInputError(f"{where}, column 'all_authorities': expected yes or no")
        text = str(r["objective"]).strip()
        rows.append((oid, text, ids, int(month), every))
    return pd.DataFrame(rows, columns=list(OBJECTIVE_COLUMNS))


def objectives_table(business_case: dict) -> pd.DataFrame:
    """The spending objectives of the council's business-case input as the objectives table
    (``objective_id, objective, action_ids, by_month, all_authorities``)."""
    return pd.DataFrame(
        [
            {
                "objective_id": so["id"],
                "objective": " ".join(str(so["objective"]).split()),
                "action_ids": ";".join(so["delivered_by"]),
                "by_month": str(so["by_month"]),
                "all_authorities": "yes" if so["every_council"] else "no",
            }
            for so in business_case["spending_objectives"]
        ],
        columns=list(OBJECTIVE_COLUMNS),
    )


def read_spending_objectives(path: str | Path, actions: pd.DataFrame) -> pd.DataFrame:
    """Read and check the spending objectives (:func:`parse_spending_objectives`): from the
    business-case input (``.yaml``, its ``spending_objectives``, the programme's one home for
    them) or from a table in the same columns (``.csv``)."""
    path = Path(path)
    if path.suffix in (".yaml", ".yml"):
        import yaml

        table = objectives_table(yaml.safe_load(path.read_text(encoding="utf-8")))
    else:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return parse_spending_objectives(table, actions)


def _late_reason(r, by_month: int, titles: dict[str, str]) -> str:
    why = (
        f"it starts at month {r.start_month}, when "
        f"{action_name(r.waits_for, titles[r.waits_for])} is done"
        if r.waits_for
        else f"it starts at month {r.start_month}, the start of its phase"
    )
    return (
        f"{action_name(r.action_id, r.title)} done only at month {r.end_month}, after month "
        f"{by_month} ({why})"
    )


def check_objectives(
    objectives: pd.DataFrame, status: pd.DataFrame, roadmap: pd.DataFrame
) -> pd.DataFrame:
    """Each objective x each authority of ``status``: does the schedule meet it, and why not.

    ``objectives`` from :func:`parse_spending_objectives`; ``status`` the authorities'
    :func:`~analysis.journeys.triggers.action_status` (every action, stacked); ``roadmap``
    their roadmaps (:func:`~analysis.journeys.roadmap.authority_roadmap`, stacked). Returns
    :data:`CHECK_COLUMNS`: ``result`` met / not_met / not_applicable (module docstring),
    ``met`` True only for met, ``latest_end_month`` the last end month of its scheduled
    actions (0 when all are in place; empty when one is missing), the late, missing and
    in-place action ids, ``reason`` in words, and ``actions_deferred`` (the missing ones the
    appraisal's way forward does not include). Sorted by objective (table order), then
    authority.
    """
    titles = dict(zip(status["action_id"], status["title"], strict=False))
    rows = []
    for o in objectives.itertuples(index=False):
        for auth in sorted(set(status["authority"])):
            st = status[status["authority"] == auth].set_index("action_id")["status"]
            plan = roadmap[roadmap["authority"] == auth].set_index("action_id", drop=False)
            sched = [k for k in o.action_ids if k in plan.index]
            placed = [k for k in o.action_ids if k not in plan.index and st.get(k) in _IN_PLACE]
            missing = [k for k in o.action_ids if k not in plan.index and k not in placed]
            late = [k for k in sched if int(plan.at[k, "end_month"]) > o.by_month]
            if not o.all_authorities:
                missing = []
            parts = [_late_reason(plan.loc[k], o.by_month, titles) for k in late]
            parts += [
                f"{action_name(k, titles[k])} deferred, because the appraisal's preferred way "
                "forward does not include it"
                if st.get(k) == "deferred"
                else f"{action_name(k, titles[k])} not on the roadmap, and nothing shows it in "
                "place"
                for k in missing
            ]
            if not o.all_authorities and not sched:
                result = "not_applicable"
                reason = "Not applicable: no action of this objective is on the roadmap."
            elif late or missing:
                result, reason = "not_met", "Not met: " + "; ".join(parts) + "."
            else:
                done = [
                    f"{action_name(k, titles[k])} done by month {int(plan.at[k, 'end_month'])}"
                    for k in sched
                ]
                done += [f"{action_name(k, titles[k])} already {_IN_PLACE[st[k]]}" for k in placed]
                result, reason = "met", f"Met by month {o.by_month}: " + "; ".join(done) + "."
            ends = [int(plan.at[k, "end_month"]) for k in sched]
            rows.append(
                {
                    "authority": auth,
                    "objective_id": o.objective_id,
                    "objective": o.objective,
                    "by_month": o.by_month,
                    "all_authorities": o.all_authorities,
                    "action_ids": ";".join(o.action_ids),
                    "result": result,
                    "met": result == "met",
                    "latest_end_month": pd.NA if missing else max(ends, default=0),
                    "actions_late": ";".join(late),
                    "actions_missing": ";".join(missing),
                    "actions_in_place": ";".join(placed),
                    "reason": reason,
                    "actions_deferred": ";".join(k for k in missing if st.get(k) == "deferred"),
                }
            )
    out = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    out["latest_end_month"] = out["latest_end_month"].astype("Int64")
    return out


def programme_objectives(
    checks: pd.DataFrame, authorities: list[str], names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The councils' checks (stacked) with the programme's verdict after each objective's rows.

    The programme row (``authority`` = ``programme``) is met when the objective is met in
    every council it applies to (not applicable in all of them: not applicable);
    ``latest_end_month`` is the latest among the councils (empty when one is missing), the
    late / missing / in-place columns list ``authority:action`` pairs, and the reason names
    the councils where it is not met (by ``names``, id to council name, when given).
    """
    out = []
    for oid, g in checks.groupby("objective_id", sort=False):
        order = {a: i for i, a in enumerate(authorities)}
        g = g[g["authority"].isin(order)].sort_values("authority", key=lambda s: s.map(order))
        out.append(g)
        applies = g[g["result"] != "not_applicable"]
        failed = list(applies.loc[applies["result"] != "met", "authority"])
        n_met = int((applies["result"] == "met").sum())
        if applies.empty:
            result, reason = "not_applicable", "Not applicable in any council."
        elif failed:
            result = "not_met"
            reason = (
                f"Not met: met in {n_met} of {len(applies)} councils; not met in "
                + names_or_count((names or {}).get(a, a) for a in failed)
                + "."
            )
        else:
            result, reason = "met", f"Met in every council it applies to ({len(applies)})."
        ends = g["latest_end_month"]
        first = g.iloc[0]

        out.append(
            pd.DataFrame(
                [
                    {
                        "authority": PROGRAMME,
                        "objective_id": oid,
                        "objective": first["objective"],
                        "by_month": first["by_month"],
                        "all_authorities": first["all_authorities"],
                        "action_ids": first["action_ids"],
                        "result": result,
                        "met": result == "met",
                        "latest_end_month": pd.NA if ends.isna().any() else int(ends.max()),
                        "actions_late": _pairs(g, "actions_late"),
                        "actions_missing": _pairs(g, "actions_missing"),
                        "actions_in_place": _pairs(g, "actions_in_place"),
                        "reason": reason,
                        "actions_deferred": _pairs(g, "actions_deferred"),
                    }
                ]
            )
        )
    res = pd.concat(out, ignore_index=True)[list(CHECK_COLUMNS)]
    res["latest_end_month"] = res["latest_end_month"].astype("Int64")
    return res


def _pairs(g: pd.DataFrame, col: str) -> str:
    """``authority:action`` for every action listed in ``col`` of the councils' rows."""
    return ";".join(
        f"{auth}:{x}"
        for auth, cell in zip(g["authority"], g[col], strict=True)
        for x in str(cell).split(";")
        if x
    )
