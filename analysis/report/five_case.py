"""The business case's policy content, from the council's business-case input, as Markdown.

Everything here is what the council stated (``results/programme/ingest/business_case.yaml``,
checked at ingest): spending objectives, critical success factors, scope, constraints and
dependencies, the options framework's long list, the main benefits, the commercial route
and timetable and governance. The code only lays it out and derives what follows from it by
rule (a risk's score and rating); it never adds a choice of its own.
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


#: How a CSF with ``assessed_by`` is measured, as the CSF table says it.
MEASURE_WORDS = {
    "spending_objectives": "Every spending objective met on the roadmap rebuilt for the option",
    "value_for_money": "The value-for-money test of the decision rule (NPSV positive, BCR at "
    "least the stated minimum)",
    "affordability": "The option's affordability gap within the council's affordability limit",
}


def critical_success_factors(case: dict) -> str:
    df = pd.DataFrame(case["critical_success_factors"])
    if "assessed_by" not in df:
        df["assessed_by"] = None
    df["measure"] = [
        MEASURE_WORDS.get(m, "Judged by the board") if isinstance(m, str) else "Judged by the board"
        for m in df["assessed_by"]
    ]
    return markdown_table(
        df,
        [
            ("id", "Id", "l"),
            ("factor", "Critical success factor", "l"),
            ("measure", "How it is measured", "l"),
        ],  # fmt: skip
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


def governance(case: dict) -> str:
    return bullets(case["management"]["governance"])


def five_case_markdown(case: dict, action_titles: dict[str, str]) -> dict[str, str]:
    """Generated fragments of the business case, keyed by file name under ``_generated/`` (the
    council's statements; the sections with computed numbers are built by
    :mod:`analysis.report.financial_case`, :mod:`analysis.report.management_case` and
    :mod:`analysis.report.national_case`)."""
    return {
        "business_needs.md": bullets(case["business_needs"]),
        "spending_objectives.md": spending_objectives(case, action_titles),
        "csf_table.md": critical_success_factors(case),
        "scope.md": scope_and_constraints(case),
        "long_list_table.md": long_list(case),
        "benefits.md": benefits(case),
        "unmonetised.md": bullets(case["unmonetised_impacts"]),
        "commercial.md": commercial(case),
        "governance.md": governance(case),
    }
