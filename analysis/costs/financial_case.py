"""The programme's financial and management-case tables: requirement, funding, realisation.

For each council's preferred way forward (the decision rule's, read back from its
``options_decision.csv``), from the council's own appraisal and the council-filled business
case input:

* the capital and revenue requirement by year, bridged from real cost to nominal cash
  (:func:`analysis.costs.financial.requirement_bridge`, with the council's contingency only
  where the optimism-bias uplift does not cover it);
* the funding plan by year and source, with the status of each pound and the gap
  (:mod:`analysis.costs.funding`), checked so that no more is drawn from cashable savings than
  the appraisal finds (:func:`analysis.costs.funding.savings_problems`: a breach is an error);
* the benefits-realisation rows (:mod:`analysis.costs.realisation`).

Published money is rounded to the penny; nothing is counted about people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.costs import funding as fu
from analysis.costs.decision import contingency_share, read_decision
from analysis.costs.financial import BRIDGE_STEPS, COUNCIL_TOTAL, requirement_bridge
from analysis.costs.inputs import parameters_dict
from analysis.costs.precision import INDEX_DIGITS, money_columns
from analysis.costs.realisation import REALISATION_COLUMNS, benefits_realisation
from analysis.costs.reference import read_gdp_deflators

#: Each council's tables the financial case reads (ingested and internal costs tables).
FINANCIAL_INPUTS = ("parameters", "options", "benefits", "decision", "cost_lines")
FINANCIAL_INPUTS += ("affordability", "benefit_flows")
REQUIREMENT_COLUMNS = ["authority", "option_id", "year", "financial_year", "deflator_index"]
REQUIREMENT_COLUMNS += ["deflator_basis", "cost_type", *BRIDGE_STEPS, "requirement"]


@dataclass
class FinancialCase:
    """What :func:`financial_case` returns: full-precision tables keyed by output name."""

    tables: dict[str, pd.DataFrame]


def council_cashable(affordability: pd.DataFrame, option_id: str) -> dict[int, float]:
    """The council's own cashable benefits of ``option_id`` by year, nominal (the ``council``
    rows of the affordability table: the same figures as the affordability gap)."""
    a = affordability[
        (affordability["option_id"].astype(str) == str(option_id))
        & (affordability["agency"].astype(str) == COUNCIL_TOTAL)
    ]
    return {int(y): float(v) for y, v in zip(a["year"], a["cashable_benefits"], strict=True)}


def council_financial_case(authority: str, t: Mapping[str, pd.DataFrame], case: Mapping, deflators):
    """One council's requirement, funding plan, status, sources and realisation rows."""
    dec = read_decision(t["decision"])
    oid = dec.preferred_option_id
    base = str(parameters_dict(t["parameters"])["price_base_year"])
    sources = case["financial"]["funding_sources"]
    if dec.recommends_bau:
        req = requirement_bridge(t["cost_lines"], t["options"], oid, base, deflators).iloc[0:0]
        cash, realised = {}, pd.DataFrame(columns=REALISATION_COLUMNS)
    else:
        req = requirement_bridge(
            t["cost_lines"], t["options"], oid, base, deflators, contingency_share(case)
        )
        cash = council_cashable(t["affordability"], oid)
        realised = benefits_realisation(
            authority, oid, t["benefits"], t["benefit_flows"],
            case["benefits"]["realisation"], base,
        )  # fmt: skip
    plan = fu.funding_plan(authority, req, cash, sources)
    problems = fu.savings_problems(plan, cash)
    if problems:  # the plan's own rule; a breach is a bug, never published
        raise AssertionError(f"{authority}: " + "; ".join(problems))
    req = req.assign(authority=authority, option_id=oid)
    return {
        "requirement": req.reindex(columns=REQUIREMENT_COLUMNS),
        "funding_plan": plan,
        "funding_status": pd.DataFrame([fu.funding_status(authority, oid, req, plan)]),
        "funding_sources": pd.DataFrame(fu.source_summary(authority, plan, sources, cash)),
        "realisation": realised,
    }


def financial_case(
    authorities: Sequence[Mapping],
    tables: Sequence[Mapping[str, pd.DataFrame]],
    business_case: Mapping,
    deflators: pd.DataFrame | None = None,
) -> FinancialCase:
    """Every council's financial-case tables, stacked in config order, plus a programme row of
    the funding status (``authority`` = ``programme``)."""
    deflators = read_gdp_deflators() if deflators is None else deflators
    parts = [
        council_financial_case(a["id"], t, business_case, deflators)
        for a, t in zip(authorities, tables, strict=True)
    ]
    out = {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in parts[0]}
    status = out["funding_status"]
    money = ["ask", "capital", "revenue", *fu.STATUSES, fu.GAP]
    total = {"authority": "programme", "option_id": None, **status[money].sum().to_dict()}
    total["secured_share"] = total["secured"] / total["ask"] if total["ask"] > 0 else None
    out["funding_status"] = pd.concat([status, pd.DataFrame([total])], ignore_index=True)
    out["funding_status"] = out["funding_status"].reindex(columns=fu.STATUS_COLUMNS)
    return FinancialCase(out)


def published_financial_case(fc: FinancialCase) -> dict[str, pd.DataFrame]:
    """The tables rounded for publication: money to the penny, index and shares as stated."""
    t = fc.tables
    req = money_columns(t["requirement"], [*BRIDGE_STEPS, "requirement"])
    req["deflator_index"] = req["deflator_index"].astype(float).round(INDEX_DIGITS)
    status = money_columns(t["funding_status"], ["ask", "capital", "revenue", *fu.STATUSES, fu.GAP])
    status["secured_share"] = status["secured_share"].astype(float).round(4)
    return {
        "financial_requirement": req,
        "funding_plan": money_columns(t["funding_plan"], ["amount"]),
        "funding_status": status,
        "funding_sources": money_columns(
            t["funding_sources"], ["stated", "used", "unused", "savings_found", "beyond_savings"]
        ),
        "benefits_realisation": t["realisation"].assign(
            baseline=t["realisation"]["baseline"].astype(float).round(2),
            target=t["realisation"]["target"].astype(float).round(2),
        ),
    }
