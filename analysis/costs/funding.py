"""The funding plan: who pays for each council's capital and revenue requirement, year by year.

The financial case of the Five Case Model matches the requirement (nominal cash, by council,
year and capital or revenue: :func:`analysis.costs.financial.requirement_bridge`) with the
funding sources the council states in its business-case input (``financial.funding_sources``:
for each source its ``kind``, what it may fund, its ``status`` and the amount each council
expects from it). Nothing here is a choice of the code beyond the order money is drawn in:

* **What a source may fund.** ``funds`` is ``capital``, ``revenue`` or
  ``capital_and_revenue``; a capital programme (or borrowing) funds capital only, checked at
  ingest. Revenue includes staff.
* **Cashable savings are what the appraisal finds, no more.** A source of kind
  ``cashable_savings`` is the council's own cashable benefits of its preferred way forward
  (nominal, the council's own budgets: the same figures as the affordability gap). By the end
  of each year the plan has drawn at most the savings found up to that year (savings not
  used in a year are held for later years, not spent twice): :func:`savings_problems` checks
  it. Whatever the council expected from savings beyond that stays unfunded: a **funding
  gap** that needs bridging (reserves or borrowing) or more funding.
* **Order.** Year by year from year 0. In each year sources that fund one kind of spend
  (capital only or revenue only) are drawn first, so money that can fund either is not used
  where restricted money would do; then the sources that fund both, capital first. Within a
  group, sources are drawn in the order the council lists them (its priority). A source's
  amount is spent once over the period.
* **Status.** Each pound drawn keeps its source's status (secured, applied for, to be
  identified); what is not drawn from any source is the gap. The status totals add up to the
  requirement (:func:`funding_status`), so the report can say how much of the ask is secured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: What a funding source may pay for, by ``funds``.
FUNDS = {
    "capital": ("capital",),
    "revenue": ("revenue",),
    "capital_and_revenue": ("capital", "revenue"),
}
#: Kinds of funding source that may fund capital only (checked at ingest).
CAPITAL_ONLY_KINDS = ("capital_programme", "borrowing")
CASHABLE_SAVINGS = "cashable_savings"
STATUSES = ("secured", "applied_for", "to_identify")
GAP = "gap"
PLAN_COLUMNS = ["authority", "year", "financial_year", "cost_type", "source_id", "source", "kind"]
PLAN_COLUMNS += ["status", "amount"]
STATUS_COLUMNS = ["authority", "option_id", "ask", "capital", "revenue", *STATUSES, GAP]
STATUS_COLUMNS += ["secured_share"]
SOURCE_COLUMNS = ["authority", "source_id", "source", "kind", "funds", "status", "stated", "used"]
SOURCE_COLUMNS += ["unused", "savings_found", "beyond_savings"]


def _need(requirement: pd.DataFrame) -> dict[tuple[int, str], float]:
    """Positive requirement by (year, cost type): a year in which an option saves more than
    it costs needs no funding, and its saving is not a source."""
    out: dict[tuple[int, str], float] = {}
    for r in requirement.itertuples(index=False):
        key = (int(r.year), str(r.cost_type))
        out[key] = out.get(key, 0.0) + float(r.requirement)
    return {k: max(v, 0.0) for k, v in out.items()}


def _ordered(sources: Sequence[Mapping]) -> list[Mapping]:
    restricted = [s for s in sources if len(FUNDS[s["funds"]]) == 1]
    return restricted + [s for s in sources if len(FUNDS[s["funds"]]) > 1]


def funding_plan(
    authority: str,
    requirement: pd.DataFrame,
    cashable: Mapping[int, float],
    sources: Sequence[Mapping],
) -> pd.DataFrame:
    """Draw each council's stated funding against its requirement, year by year (module
    docstring). ``requirement`` is :func:`~analysis.costs.financial.requirement_bridge` of the
    preferred way forward (empty for business as usual); ``cashable`` the council's own
    cashable benefits by year (nominal); ``sources`` the business case's funding sources.

    Returns :data:`PLAN_COLUMNS`: one row per (year, cost type, source drawn), then a row with
    ``source_id`` = ``gap`` for any need left unfunded. Amounts are nominal cash, full
    precision; the rows add up to the positive requirement of every year and cost type.
    """
    need = _need(requirement)
    years = sorted({y for y, _ in need})
    fys = dict(zip(requirement["year"].astype(int), requirement["financial_year"], strict=False))
    left = {s["id"]: float((s.get("amounts") or {}).get(authority) or 0.0) for s in sources}
    savings_balance, rows = 0.0, []
    for y in years:
        savings_balance += max(float(cashable.get(y, 0.0)), 0.0)
        for s in _ordered(sources):
            for t in FUNDS[s["funds"]]:
                avail = left[s["id"]]
                if s["kind"] == CASHABLE_SAVINGS:
                    avail = min(avail, savings_balance)
                use = min(avail, need.get((y, t), 0.0))
                if use <= 0:
                    continue
                need[(y, t)] -= use
                left[s["id"]] -= use
                if s["kind"] == CASHABLE_SAVINGS:
                    savings_balance -= use
                rows.append((authority, y, fys[y], t, s["id"], s["source"], s["kind"],
                             s["status"], use))  # fmt: skip
        for t in ("capital", "revenue"):
            if need.get((y, t), 0.0) > 1e-9:
                rows.append((authority, y, fys[y], t, GAP, "Not funded", GAP, GAP, need[(y, t)]))
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def savings_problems(plan: pd.DataFrame, cashable: Mapping[int, float]) -> list[str]:
    """Years in which the plan has drawn more from cashable savings, in total so far, than the
    appraisal finds in the council's own budgets up to that year (should be none)."""
    used = plan[plan["kind"] == CASHABLE_SAVINGS].groupby("year")["amount"].sum()
    years = sorted(set(used.index.astype(int)) | {int(y) for y in cashable})
    drawn = np.cumsum([float(used.get(y, 0.0)) for y in years])
    found = np.cumsum([max(float(cashable.get(y, 0.0)), 0.0) for y in years])
    return [
        f"year {y}: cashable savings drawn {d:.2f} exceed the savings found {f:.2f}"
        for y, d, f in zip(years, drawn, found, strict=True)
        if d > f + 0.005
    ]


def funding_status(authority: str, option_id: str, requirement, plan) -> dict:
    """One council's ask (the positive requirement, capital and revenue) and how much of it
    each status meets (:data:`STATUS_COLUMNS`; ``secured_share`` is secured / ask, None when
    nothing is asked)."""
    need = _need(requirement)
    ask = float(sum(need.values()))
    by = plan.groupby("status")["amount"].sum() if len(plan) else pd.Series(dtype=float)
    row = {"authority": authority, "option_id": option_id, "ask": ask}
    row["capital"] = float(sum(v for (_, t), v in need.items() if t == "capital"))
    row["revenue"] = float(sum(v for (_, t), v in need.items() if t == "revenue"))
    for s in (*STATUSES, GAP):
        row[s] = float(by.get(s, 0.0))
    row["secured_share"] = row["secured"] / ask if ask > 0 else None
    return row


def source_summary(authority: str, plan, sources, cashable: Mapping[int, float]) -> list[dict]:
    """Each funding source for one council: ``stated`` (what the council expects from it),
    ``used`` (drawn by the plan), ``unused``; for cashable savings also ``savings_found`` (the
    appraisal's cashable savings over the period) and ``beyond_savings`` (what the council
    expected from savings beyond those it finds: part of the funding gap)."""
    used = plan.groupby("source_id")["amount"].sum() if len(plan) else pd.Series(dtype=float)
    found = float(sum(max(float(v), 0.0) for v in cashable.values()))
    rows = []
    for s in sources:
        stated = float((s.get("amounts") or {}).get(authority) or 0.0)
        u = float(used.get(s["id"], 0.0))
        savings = s["kind"] == CASHABLE_SAVINGS
        rows.append(
            {
                "authority": authority,
                "source_id": s["id"],
                "source": s["source"],
                "kind": s["kind"],
                "funds": s["funds"],
                "status": s["status"],
                "stated": stated,
                "used": u,
                "unused": stated - u,
                "savings_found": found if savings else None,
                "beyond_savings": max(stated - found, 0.0) if savings else None,
            }
        )
    return rows
