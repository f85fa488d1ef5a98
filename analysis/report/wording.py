"""Small wording rules shared by every document: short names, option labels, value-for-money words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from analysis.report.inputs import Published


PLACEHOLDER = "@@ID@@"  # the authority id in _case-study.qmd
DATE_PLACEHOLDER = "@@DATE@@"  # the edition date in every .qmd front matter
#: Words for each value-for-money category, keyed by the ids the appraisal returns
#: (``analysis.costs`` ``VFM_BANDS``: very_poor ... very_high); a test checks they match.
VFM_WORDS = {
    "very_poor": "very poor value for money",
    "poor": "poor value for money",
    "low": "low value for money",
    "medium": "medium value for money",
    "high": "high value for money",
    "very_high": "very high value for money",
}
SYNTHETIC_NOTICE = (
    "The inputs behind this edition are the bundled synthetic example data made by the "
    "project's seeded generator; the figures illustrate the method and describe no real "
    "council's service."
)


# ------------------------------------------------------------------------------ helpers


def lower_first(text: str) -> str:
    """Sentence-case a label for use mid-sentence ("No security control" -> "no security ...")."""
    text = str(text)
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def short(name: str) -> str:
    for suffix in (" City Council", " London Borough Council", " Borough Council", " Council"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def construct_label(p: Published, cid: str) -> str:
    return next((c["label"] for c in p.questionnaire["constructs"] if c["id"] == cid), cid)


def group_label(p: Published, gid: str) -> str:
    return next((g["label"] for g in p.questionnaire["respondent_groups"] if g["id"] == gid), gid)


def rq_text(p: Published, rq: str) -> str:
    return next(r["text"] for r in p.questionnaire["research_questions"] if r["id"] == rq)


def pays_back_text(year, n_years) -> str:
    """The social payback (every monetised benefit, discounted; not the council's cash)."""
    if year is None or pd.isna(year):
        return (
            f"does not pay back within the {n_years}-year appraisal period, even in social terms "
            "(every monetised benefit, discounted)"
        )
    return f"pays back in year {int(year)} in social terms (every monetised benefit, discounted)"


OPTION_SHORT = {
    "bau": "Business as usual",
    "do_minimum": "Do minimum",
    "preferred": "Proposed",
    "ambitious": "More ambitious",
}


def option_label(category: str, name: str) -> str:
    """Short option label for tables: the category, with the name's description after a colon."""
    return OPTION_SHORT.get(str(category), str(name))


def vfm(cat) -> str:
    """The value-for-money words of a category id; a missing category (no BCR: costs not
    positive) has its own words, an unknown id is an error."""
    if cat is None or (isinstance(cat, float) and pd.isna(cat)):
        return "no value-for-money category (costs are not positive)"
    return VFM_WORDS[str(cat)]


#: Council tiers (config ``tier``) as words.
TIER_WORDS = {
    "unitary": "Unitary authority",
    "london_borough": "London borough",
    "metropolitan_district": "Metropolitan district",
    "county": "County council",
    "district": "District council",
}


def tier_words(tier) -> str:
    return TIER_WORDS.get(str(tier), "") if tier else ""


#: How the decision rule treated an option (``options_decision.csv``), in words.
ELIGIBILITY_WORDS = {
    "eligible": "offers value for money",
    "business_as_usual": "the counterfactual",
    "npsv_not_positive": "no value for money (NPSV not positive)",
    "bcr_below_minimum": "no value for money (BCR below the minimum)",
    "exceeds_affordability_limit": "over the affordability limit",
}


def decision_words(row) -> str:
    """One option's standing in the appraisal: the preferred way forward, or why not."""
    if str(row["recommended"]) in ("yes", "True", "true"):
        words = "preferred way forward"
    else:
        words = ELIGIBILITY_WORDS[str(row["eligibility"])]
    if str(row["proposed"]) in ("yes", "True", "true"):
        words += "; proposed by the council"
    return words


def vfm_band_words(cat) -> str:
    """A value-for-money band id as words for a table cell (very_high -> very high)."""
    return (
        "–"
        if cat is None or (isinstance(cat, float) and pd.isna(cat))
        else str(cat).replace("_", " ")
    )


def with_decision(results: pd.DataFrame, decision: pd.DataFrame) -> pd.DataFrame:
    """``options_results`` with each option's decision in words (column ``decision``)."""
    d = decision.set_index("option_id")
    out = results.copy()
    out["decision"] = [decision_words(d.loc[o]) for o in out["option_id"]]
    out["vfm"] = out["vfm_category"].map(vfm_band_words)
    return out


# ------------------------------------------------------------------------------ journey words

#: How a stream's data arrives (register ``channel``), as a phrase after "arrives".
CHANNEL_WORDS = {
    "system_feed": "directly from a case system",
    "api": "through an interface between systems (API)",
    "online_form": "by online form",
    "email": "by email",
    "phone": "by phone",
    "paper": "on paper",
    "spreadsheet": "in spreadsheets",
    "in_person": "in person",
}
#: How often a stream's data arrives (register ``frequency``).
FREQUENCY_WORDS = {
    "real_time": "in real time",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "annually": "once a year",
    "ad_hoc": "as and when it happens",
}
#: Where a stream's data comes from (register ``source``), as a noun phrase.
SOURCE_PHRASES = {
    "police": "the police",
    "public": "members of the public",
    "housing": "housing services",
    "nhs": "the NHS",
    "council": "the council's own services",
    "education": "schools and education services",
    "voluntary_sector": "the voluntary sector",
    "dwp": "the Department for Work and Pensions",
    "partner_other": "other partners",
}
#: The stages of a data journey (register ``stage``) in words.
JOURNEY_STAGE_WORDS = {
    "capture": "capture",
    "validation": "validation",
    "processing": "processing",
    "storage": "storage",
    "aggregation": "aggregation",
    "analysis": "analysis",
    "decision_use": "decision use",
}


def words_for(mapping: dict, value) -> str:
    """``value`` in words from ``mapping``; an unknown id falls back to its words with spaces
    (never a raw snake_case id)."""
    return mapping.get(str(value), str(value).replace("_", " "))


def vintage_words(vintage) -> str:
    """A discount-schedule vintage id in words: ``green_book_2022`` -> "2022 edition"."""
    m = re.fullmatch(r"green_book_(\d{4})", str(vintage))
    return f"{m.group(1)} edition" if m else str(vintage).replace("_", " ")
