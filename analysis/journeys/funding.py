"""What pays for each action on a council's roadmap: existing budgets, or the cost lines of its
preferred way forward.

The rule table (``survey/roadmap_actions.csv``, :mod:`analysis.journeys.actions`) says, for
each action, its option tier and ``funded_by``: a no-regret action (no tier) is delivered within
existing budgets, which its owner confirms; an action of a tier is paid for by the cost lines of
the option the appraisal chose, of the kinds ``funded_by`` names (capital, revenue, staff).

The cost workbook does not say which action a line pays for, and its lines belong to options,
not to actions. So the trace works by tier: a line of the chosen option belongs to the *smallest*
option tier whose option has the same line (same description and kind), e.g. the ambitious
option's warehouse line also appears in the proposed option, so it is a "preferred" line, while
its model-development line appears only in the ambitious option. An action is traced to the
chosen option's lines of its kinds in the smallest line tier at or above the action's own tier
(the warehouse, a "preferred" action, to the proposed option's lines; the prediction pilot, an
"ambitious" action, to the ambitious-only lines; automated feeds, a "do minimum" action, to the
do-minimum lines when the chosen option has them, else to the next tier's). Where the chosen
option has no line of the action's kinds, the action is *unfunded*: the roadmap schedules what
the cost workbook does not pay for, and the reports say so.

This is a trace by kind of cost and option tier, not an allocation of money to actions: a line
may serve several actions (two analysts build the warehouse and the single view).
"""

from __future__ import annotations

import pandas as pd

from analysis.journeys.actions import (
    EXISTING_BUDGETS,
    OPTION_TIERS,
    TIER_COLUMN,
    TIER_RANK,
    ensure_parsed,
)

#: Columns of :func:`preferred_option_lines`.
OPTION_LINE_COLUMNS = ("line_id", "description", "cost_type", "tier")


def preferred_option_lines(decision: pd.DataFrame, cost_lines: pd.DataFrame) -> pd.DataFrame:
    """The cost lines of the option ``decision`` (``options_decision.csv``) recommends, one row
    per line in workbook order, with the tier each belongs to (module docstring); empty when
    it recommends business as usual.

    ``cost_lines`` is the costs stage's table of every option's lines (``option_id, line_id,
    description, cost_type``; one row per line, or per line and year). Returns
    :data:`OPTION_LINE_COLUMNS`.
    """
    rec = decision[decision["recommended"].astype(str).str.lower() == "yes"]
    if rec.empty or str(rec["category"].iloc[0]) == "bau":
        return pd.DataFrame(columns=list(OPTION_LINE_COLUMNS))
    category = dict(zip(decision["option_id"].astype(str), decision["category"].astype(str)))
    lines = cost_lines.drop_duplicates(["option_id", "line_id"]).copy()
    lines["_rank"] = (
        lines["option_id"]
        .astype(str)
        .map(lambda o: TIER_RANK.get(category.get(o, ""), len(OPTION_TIERS)))
    )
    key = ["description", "cost_type"]
    smallest = lines[lines["_rank"] > 0].groupby(key)["_rank"].min()  # bau lines are not a tier
    mine = lines[lines["option_id"].astype(str) == str(rec["option_id"].iloc[0])].copy()
    mine["tier"] = [
        OPTION_TIERS[int(smallest.get((d, t), TIER_RANK[str(rec["category"].iloc[0])]))]
        for d, t in zip(mine["description"], mine["cost_type"], strict=True)
    ]
    return mine[list(OPTION_LINE_COLUMNS)].reset_index(drop=True)


def _lines_for(tier: str, kinds: list[str], lines: pd.DataFrame) -> list[str]:
    """Ids of the lines of ``kinds`` in the smallest line tier at or above ``tier`` (any tier
    when none is at or above it)."""
    mine = lines[lines["cost_type"].astype(str).isin(kinds)]
    if mine.empty:
        return []
    ranks = mine["tier"].map(TIER_RANK)
    above = ranks[ranks >= TIER_RANK.get(tier, 0)]
    if len(above):
        mine = mine[ranks == above.min()]
    return [str(x) for x in mine["line_id"]]


def funding(
    roadmap: pd.DataFrame, actions: pd.DataFrame, option_lines: pd.DataFrame | None
) -> pd.DataFrame:
    """The roadmap (:func:`analysis.journeys.roadmap.authority_roadmap`) with each action
    traced to what pays for it.

    ``option_lines`` from :func:`preferred_option_lines` (None or empty: no option chosen).
    Sets ``cost_lines`` (';'-separated line ids of the chosen option, empty for an action
    within existing budgets) and ``funded`` (within existing budgets, or at least one line
    traced). ``funded_by`` is the rule table's, as the roadmap carries it.
    """
    out = roadmap.copy()
    a = ensure_parsed(actions).set_index("action_id")
    lines = option_lines if option_lines is not None else pd.DataFrame(columns=["cost_type"])
    cells, ok = [], []
    for aid, kinds in zip(out["action_id"], out["funded_by"].astype(str), strict=True):
        if kinds == EXISTING_BUDGETS:
            cells.append("")
            ok.append(True)
            continue
        ids = _lines_for(str(a.at[aid, TIER_COLUMN]), kinds.split(";"), lines)
        cells.append(";".join(ids))
        ok.append(bool(ids))
    out["cost_lines"] = cells
    out["funded"] = ok
    return out
