"""The final report's outcomes: the user-research findings and each council's way forward.

The answers are the user-research report's own (:func:`analysis.report.rq_answers.rq_answers`),
each linked to its section there; the way forward is the appraisal's decision as the case
studies word it (:mod:`analysis.report.appraisal_wording`), so the three documents agree.
"""

from __future__ import annotations

from analysis.report.appraisal_wording import way_forward_sentence
from analysis.report.markdown import md_escape
from analysis.report.rq_answers import rq_answers
from analysis.report.wording import short


def rq_outcome_lines(questions: list[dict], answers: dict[str, str]) -> list[str]:
    """One list item per research question, in questionnaire order: the question, its short
    answer and a link to its section of the user-research report (``#sec-rq<n>``)."""
    return [
        f"- **RQ{i}. {md_escape(q['text'])}** {md_escape(answers[q['id']])} "
        f"([More in the user-research report](user-research.html#sec-rq{i}).)"
        for i, q in enumerate(questions, start=1)
    ]


def rq_outcomes(p) -> str:
    return "\n".join(rq_outcome_lines(p.questionnaire["research_questions"], rq_answers(p))) + "\n"


def way_forward_outcomes(p, ids=None) -> str:
    """Each council's recommended way forward as the appraisal now stands, linked to its case
    study: every council, or those of ``ids`` (a summarised programme's league)."""
    lines = [
        f"- **[{md_escape(short(a['name']))}](case-study-{a['id']}.html).** "
        + md_escape(way_forward_sentence(p.kf[(a["id"], "costs")]))
        for a in p.authorities
        if ids is None or a["id"] in ids
    ]
    return "\n".join(lines) + "\n"
