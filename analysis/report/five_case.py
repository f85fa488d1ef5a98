"""The business case's policy content, from the council's business-case input, as Markdown.

Everything here is what the council stated (``results/programme/ingest/business_case.yaml``,
checked at ingest): spending objectives, critical success factors, scope, constraints and
dependencies, the options framework's long list, benefits realisation, the commercial route
and timetable, funding, governance, the risk register and the evaluation plan. The code only
lays it out and derives what follows from it by rule (a risk's score and rating, each funding
source's share of the ask); it never adds a choice of its own.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table, md_escape

#: Risk rating by score = likelihood x impact (1-25), the usual 5 x 5 matrix bands.
RISK_BANDS = ((15, "high"), (8, "medium"), (1, "low"))
STATUS_WORDS = {
    "carried_forward": "carried forward",
    "possible": "possible",
    "discounted": "discounted",
    "secured": "secured",
    "applied_for": "applied for",
    "to_identify": "to be identified",
}
ROUTE_WORDS = {
    "in_house": "in house",
    "shared_service": "a shared service",
    "framework_call_off": "a call-off from a public-sector framework",
    "open_procurement": "an open procurement",
    "mixed": "a mix of in-house delivery and bought-in services",
}
STAGE_WORDS = {
    "strategic_outline_case": "strategic outline case",
    "outline_business_case": "outline business case",
    "full_business_case": "full business case",
}


def bullets(items) -> str:
    return "\n".join(f"- {md_escape(i)}" for i in items) + "\n"


def risk_rating(likelihood: int, impact: int) -> tuple[int, str]:
    """``(score, rating)`` of a risk: score = likelihood x impact; rating high from 15, medium
    from 8, else low."""
    score = int(likelihood) * int(impact)
    return score, next(word for low, word in RISK_BANDS if score >= low)


def spending_objectives(case: dict, action_titles: dict[str, str]) -> str:
    """The objectives as the council states them, each with the roadmap actions (by title) that
    deliver it; ``action_titles`` maps action ids to titles."""
    lines = []
    for so in case["spending_objectives"]:
        actions = [action_titles.get(a, a).lower() for a in so["delivered_by"]]
        lines.append(
            f"- **{so['id']}.** {md_escape(so['objective'])} *Measure:* "
            f"{md_escape(so['measure'])}. Due by month {so['by_month']}; delivered by the "
            f"roadmap's {md_escape(fmt.prose_list(actions))}."
        )
    return "\n".join(lines) + "\n"


def critical_success_factors(case: dict) -> str:
    df = pd.DataFrame(case["critical_success_factors"])
    return markdown_table(
        df,
        [("id", "Id", "l"), ("factor", "Critical success factor", "l")],
        caption="Critical success factors against which the options are judged",
        label="csf",
    )


def scope_and_constraints(case: dict) -> str:
    return (
        "**In scope:**\n\n"
        + bullets(case["scope"]["in"])
        + "\n**Out of scope:**\n\n"
        + bullets(case["scope"]["out"])
        + "\n**Constraints:**\n\n"
        + bullets(case["constraints"])
        + "\n**Dependencies:**\n\n"
        + bullets(case["dependencies"])
    )


def long_list(case: dict) -> str:
    df = pd.DataFrame(case["long_list"])
    df["dimension"] = df["dimension"].str.capitalize()
    df["status"] = df["status"].map(STATUS_WORDS)
    return markdown_table(
        df,
        [
            ("dimension", "Dimension", "l"),
            ("choice", "Choice", "l"),
            ("status", "Status", "l"),
            ("reason", "Reason", "l"),
        ],
        caption="The long list: the options framework and what became of each choice",
        label="long-list",
    )


def benefits(case: dict) -> str:
    b = case["benefits"]
    return (
        "**Main benefits:**\n\n"
        + bullets(b["main"])
        + "\n**Disbenefits:**\n\n"
        + bullets(b["disbenefits"])
    )


def benefits_realisation(case: dict) -> str:
    df = pd.DataFrame(case["benefits"]["realisation"])
    df["by"] = df["by_month"].map(lambda m: f"month {m}")
    return markdown_table(
        df,
        [
            ("benefit", "Benefit", "l"),
            ("owner_role", "Owner", "l"),
            ("measure", "Measure", "l"),
            ("baseline", "Baseline", "l"),
            ("target", "Target", "l"),
            ("by", "By", "l"),
        ],
        caption="Benefits realisation: owner, measure, baseline and target of each benefit",
        label="realisation",
    )


def commercial(case: dict) -> str:
    c = case["commercial"]
    timetable = pd.DataFrame(c["timetable"])
    timetable["by"] = timetable["by_month"].map(lambda m: f"month {m}")
    return (
        f"The sourcing route is {ROUTE_WORDS[c['route']]}. {md_escape(c['rationale'])}\n\n"
        "**Risk allocation:**\n\n"
        + bullets(c["risk_allocation"])
        + "\n"
        + markdown_table(
            timetable,
            [("milestone", "Milestone", "l"), ("by", "By", "l")],
            caption="Commercial timetable",
            label="timetable",
        )
    )


def funding(case: dict, ask: float) -> str:
    """The total ask (``ask``: nominal costs before contingency) with contingency, and the
    share each funding source is expected to meet."""
    f = case["financial"]
    total = ask * (1 + f["contingency_share"])
    df = pd.DataFrame(f["funding_sources"])
    df["status"] = df["status"].map(STATUS_WORDS)
    df["amount"] = df["share"] * total
    rest = 1 - df["share"].sum()
    if rest > 1e-9:
        df = pd.concat(
            [
                df,
                pd.DataFrame(
                    [{"source": "Not yet identified", "status": "gap", "share": rest}]
                ).assign(amount=rest * total),
            ],
            ignore_index=True,
        )
    table = markdown_table(
        df,
        [
            ("source", "Funding source", "l"),
            ("status", "Status", "l"),
            ("share", "Share of the ask", "r"),
            ("amount", "Amount (£, nominal)", "r"),
        ],
        caption="Funding sources for the total ask",
        label="funding",
        formatters={"share": lambda v: fmt.pct(100 * v), "amount": fmt.money},
    )
    return (
        f"The total ask is {fmt.money(total)} in nominal cash: the capital and revenue "
        f"requirement of the preferred ways forward ({fmt.money(ask)}) plus a contingency of "
        f"{fmt.pct(100 * f['contingency_share'])}, held separately from the optimism bias of the "
        "economic case.\n\n" + table
    )


def governance(case: dict) -> str:
    return bullets(case["management"]["governance"])


def risk_register(case: dict) -> str:
    rows = []
    for r in case["management"]["risks"]:
        score, rating = risk_rating(r["likelihood"], r["impact"])
        rows.append({**r, "score": score, "rating": rating})
    df = pd.DataFrame(rows).sort_values(["score", "id"], ascending=[False, True], kind="stable")
    return markdown_table(
        df,
        [
            ("id", "Id", "l"),
            ("risk", "Risk", "l"),
            ("likelihood", "Likelihood (1–5)", "r"),
            ("impact", "Impact (1–5)", "r"),
            ("score", "Score", "r"),
            ("rating", "Rating", "l"),
            ("owner_role", "Owner", "l"),
            ("mitigation", "Mitigation", "l"),
        ],
        caption="Risk register, highest score first (score = likelihood × impact; high from 15, "
        "medium from 8)",
        label="risks",
    )


def evaluation(case: dict) -> str:
    e = case["management"]["evaluation"]
    return (
        "**Evaluation questions:**\n\n"
        + bullets(e["questions"])
        + "\n**Methods:**\n\n"
        + bullets(e["methods"])
        + f"\nThe board reviews the evidence at months {fmt.prose_list(map(str, e['review_months']))}.\n"
    )


def five_case_markdown(case: dict, ask: float, action_titles: dict[str, str]) -> dict[str, str]:
    """Generated fragments of the business case, keyed by file name under ``_generated/``."""
    return {
        "business_needs.md": bullets(case["business_needs"]),
        "spending_objectives.md": spending_objectives(case, action_titles),
        "csf_table.md": critical_success_factors(case),
        "scope.md": scope_and_constraints(case),
        "long_list_table.md": long_list(case),
        "benefits.md": benefits(case),
        "realisation_table.md": benefits_realisation(case),
        "unmonetised.md": bullets(case["unmonetised_impacts"]),
        "commercial.md": commercial(case),
        "funding.md": funding(case, ask),
        "governance.md": governance(case),
        "risks_table.md": risk_register(case),
        "evaluation.md": evaluation(case),
    }
