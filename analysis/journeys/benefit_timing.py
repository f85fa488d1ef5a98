"""Do the appraised benefits wait for the roadmap actions that create them?

Each benefit line of a council's cost workbook names the roadmap actions that deliver it
(column ``delivered_by`` of the Benefits sheet, ids of ``survey/roadmap_actions.csv``) and
the year its benefit starts (``lag_years``: nothing in years 0 to lag - 1, the first benefit
in year ``lag``). The roadmap schedules every action on a month line that starts with the
appraisal's year 0 (month 0 = the start of year 0), so year ``y`` runs from month ``12 y``
to month ``12 (y + 1)``.

A benefit line is **consistent** with the roadmap when every action that delivers it is done
when its first year of benefit starts: the action ends by month ``12 x lag`` on the roadmap
of the line's option, or is in place (status ``in_place`` or ``assumed_in_place``: it counts
as done at month 0). It is **inconsistent** when an action ends later (the benefit is
counted before what creates it exists; ``earliest_lag_years`` is the first year it could
start, ``ceil(end month / 12)``) or is not on that roadmap at all (deferred, or nothing
shows it is needed or in place). A line that names no action is **not linked**: the check
cannot be made, and the table says so.

Each option is checked against the roadmap rebuilt for it (the council's findings, with the
actions of a larger option tier deferred: :func:`~analysis.journeys.roadmap.option_plans`),
the same rebuild the spending-objectives check uses for each option
(:func:`~analysis.journeys.assessment.objectives_by_option`);
:func:`~analysis.journeys.assessment.assess_authority` runs it with the council's Systems
sheet. Business as usual has no roadmap of its own and no benefit lines.
"""

from __future__ import annotations

import math

import pandas as pd

#: Columns of :func:`benefit_timing`.
BENEFIT_TIMING_COLUMNS = (
    "authority",
    "option_id",
    "option_category",
    "outcome_id",
    "outcome",
    "delivered_by",
    "lag_years",
    "first_benefit_month",
    "ready_month",
    "earliest_lag_years",
    "actions_late",
    "actions_missing",
    "result",
    "reason",
)
#: What :func:`benefit_timing` can conclude of a benefit line.
RESULTS = ("consistent", "inconsistent", "not_linked")
_IN_PLACE = ("in_place", "assumed_in_place")


def _ids(cell) -> list[str]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [x.strip() for x in str(cell).split(";") if x.strip()]


def _titles(status: pd.DataFrame) -> dict[str, str]:
    return dict(zip(status["action_id"].astype(str), status["title"].astype(str), strict=False))


def check_line(ids: list[str], lag: int, status: pd.DataFrame, roadmap: pd.DataFrame) -> dict:
    """The check of one benefit line: its delivering actions ``ids``, its ``lag`` in years,
    the option's action ``status`` and ``roadmap``. Returns ``first_benefit_month,
    ready_month`` (the last end month of its actions, 0 when all are in place, None when one
    is missing), ``earliest_lag_years``, ``actions_late``, ``actions_missing``, ``result``
    and ``reason`` (module docstring)."""
    first = 12 * int(lag)
    out = {"first_benefit_month": first, "ready_month": None, "earliest_lag_years": None,
           "actions_late": "", "actions_missing": ""}  # fmt: skip
    if not ids:
        return out | {"result": "not_linked", "reason": "No roadmap action is named as "
                      "delivering this benefit, so its timing cannot be checked."}  # fmt: skip
    st = status.set_index(status["action_id"].astype(str))["status"]
    plan = roadmap.set_index(roadmap["action_id"].astype(str))
    titles = _titles(status)
    ends, missing = {}, []
    for k in ids:
        if k in plan.index:
            ends[k] = int(plan.at[k, "end_month"])
        elif st.get(k) in _IN_PLACE:
            ends[k] = 0
        else:
            missing.append(k)
    late = [k for k, m in ends.items() if m > first]
    out["actions_late"] = ";".join(late)
    out["actions_missing"] = ";".join(missing)
    if missing:
        words = [
            f"{titles.get(k, k)} is "
            + ("deferred (not part of this option)" if st.get(k) == "deferred" else
               "not on the roadmap and not shown to be in place")
            for k in missing
        ]  # fmt: skip
        return out | {"result": "inconsistent", "reason": "Benefit counted from year "
                      f"{lag}, but " + "; ".join(words) + "."}  # fmt: skip
    ready = max(ends.values())
    out["ready_month"] = ready
    out["earliest_lag_years"] = math.ceil(ready / 12)
    if late:
        words = [f"{titles.get(k, k)} ends at month {ends[k]}" for k in late]
        return out | {"result": "inconsistent", "reason": f"Benefit counted from year {lag} "
                      f"(month {first}), but " + "; ".join(words) + ": it cannot start before "
                      f"year {out['earliest_lag_years']}."}  # fmt: skip
    return out | {"result": "consistent", "reason": f"Benefit from year {lag} (month {first}); "
                  f"its actions are done by month {ready}."}  # fmt: skip


def benefit_timing(
    benefits: pd.DataFrame, options: pd.DataFrame, plans: dict, authority: str
) -> pd.DataFrame:
    """Every benefit line of the council's options checked against its option's roadmap.

    ``benefits`` is the ingested ``benefits.csv`` (``option_id, outcome_id, outcome,
    lag_years`` and ``delivered_by``; a table without that column links no line),
    ``options`` the ingested ``options.csv`` (each option's ``category``), ``plans`` the
    rebuilt roadmaps (:func:`~analysis.journeys.roadmap.option_plans`). Columns :data:`BENEFIT_TIMING_COLUMNS`, lines in
    input order; a line of an option whose category has no plan (BAU) is ``not_linked``.
    """
    cats = dict(zip(options["option_id"].astype(str), options["category"].astype(str),
                    strict=False))  # fmt: skip
    rows = []
    for r in benefits.to_dict("records"):
        oid = str(r["option_id"])
        cat = cats.get(oid, "")
        ids = _ids(r.get("delivered_by"))
        if cat in plans:
            res = check_line(ids, int(r["lag_years"]), *plans[cat])
        else:
            res = check_line([], int(r["lag_years"]), None, None)
        rows.append(
            {
                "authority": authority,
                "option_id": oid,
                "option_category": cat,
                "outcome_id": str(r["outcome_id"]),
                "outcome": str(r["outcome"]),
                "delivered_by": ";".join(ids),
                "lag_years": int(r["lag_years"]),
                **res,
            }
        )
    out = pd.DataFrame(rows, columns=list(BENEFIT_TIMING_COLUMNS))
    for col in ("ready_month", "earliest_lag_years"):
        out[col] = out[col].astype("Int64")
    return out
