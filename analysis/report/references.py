"""The sources the reports rely on, listed at the end of every document.

The same works the repository's ``docs/reference/`` pages summarise; one list, so each report's
"Sources" section names what its methods and parameters come from. Each entry carries the
short forms a table cites it by (:attr:`Reference.cited_as`), so a test can check that every
source a table names is in the list (:func:`reference_for`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    text: str  # as the Sources list prints it (Markdown)
    cited_as: tuple[str, ...]  # how tables cite it: case-insensitive regular expressions


REFERENCES = (
    Reference(
        "HM Treasury (2022, reissued 2026). *The Green Book: appraisal and evaluation in central "
        "government*. Discounting, real terms, optimism bias, the Five Case Model.",
        (r"Green Book(?! guidance)",),
    ),
    Reference(
        "HM Treasury (2003). *Supplementary Green Book guidance: optimism bias*.",
        (r"optimism bias", r"HM Treasury \(2003\)"),
    ),
    Reference(
        "HM Treasury (2021). *Wellbeing guidance for appraisal: supplementary Green Book "
        "guidance* (the WELLBY, £13,000 in 2019 prices).",
        (r"Wellbeing guidance", r"WELLBY", r"HM Treasury \(2021\)"),
    ),
    Reference(
        "HM Treasury (2026). *GDP deflators at market prices, and money GDP: March 2026 "
        "(Spring Statement and Quarterly National Accounts)*; outturn from ONS series L8GG, "
        "forecasts from the Office for Budget Responsibility.",
        (r"GDP deflator",),
    ),
    Reference(
        "HM Treasury (2020). *The Magenta Book: central government guidance on evaluation*.",
        (r"Magenta Book",),
    ),
    Reference(
        "HM Treasury, New Economy and Public Service Transformation Network (2014). *Supporting "
        "public service transformation: cost benefit analysis guidance for local partnerships*.",
        (r"guidance for local partnerships", r"New Economy"),
    ),
    Reference(
        "HM Treasury (2018). *Guide to developing the project business case* (the Five Case Model).",
        (r"Five Case Model", r"project business case"),
    ),
    Reference(
        "Department for Transport (2015). *Value for Money Framework* (value-for-money "
        "categories, borrowed from transport appraisal).",
        (r"Department for Transport", r"DfT", r"value-for-money categor"),
    ),
    Reference(
        "The joint proposal of the four councils that founded the programme: the programme's "
        "reference figures as the "
        "proposal states them: North Tyneside Council's reported results (103 staff hours a "
        "month saved by automating recurring and statutory reports), the adult social care "
        "assessment and review costs of 2017/18 and the cost of clearing fly-tips across a "
        "county in 2016/17 (summarised, with their sources, in the toolkit's documentation).",
        (r"North Tyneside", r"programme reference"),
    ),
    Reference(
        "Office for National Statistics (2022). *Census 2021: usual resident population* (the "
        "councils' populations).",
        (r"Census 2021",),
    ),
    Reference(
        "Office for National Statistics (2024). *Population estimates for the UK, England, "
        "Wales, Scotland and Northern Ireland: mid-2022*, with National Records of Scotland and "
        "NISRA mid-2022 estimates.",
        (r"Population estimates", r"mid-2022 population"),
    ),
    Reference(
        "Ministry of Housing, Communities and Local Government. *Local government structure "
        "and elections* (councils by tier, from 1 April 2023); Local Government (Wales) Act "
        "1994; Local Government etc. (Scotland) Act 1994; Local Government Act (Northern "
        "Ireland) 2014.",
        (r"Local government structure", r"Local Government .*Act"),
    ),
    Reference(
        "NHS England (2023). *Adult Social Care Activity and Finance Report, England 2022-23*.",
        (r"Adult Social Care Activity and Finance",),
    ),
    Reference(
        "Department for Education (2023). *Characteristics of children in need*, reporting "
        "year 2023.",
        (r"children in need",),
    ),
    Reference(
        "Office for National Statistics (2023). *Domestic abuse in England and Wales overview: "
        "November 2023*.",
        (r"Domestic abuse in England and Wales",),
    ),
    Reference(
        "Department for Environment, Food and Rural Affairs (2024). *Fly-tipping statistics for "
        "England, 2022 to 2023*.",
        (r"Fly-tipping statistics",),
    ),
    Reference(
        "Greater Manchester Combined Authority Research. *Unit Cost Database* (CC BY 4.0).",
        (r"Unit Cost Database", r"GMCA"),
    ),
    Reference(
        "Government Data Quality Hub (2020). *The Government Data Quality Framework*.",
        (r"Data Quality Framework",),
    ),  # fmt: skip
    Reference(
        "Central Digital and Data Office (2023). *Data Maturity Assessment for Government*.",
        (r"Data Maturity Assessment",),
    ),  # fmt: skip
    Reference(
        "Local Government Association (2023). *Data maturity model for local government*.",
        (r"Local Government Association",),
    ),  # fmt: skip
    Reference(
        "NHS England. *Statistical disclosure control* guidance for published statistics (counts "
        "of 1 to 7 suppressed, others rounded to the nearest 5).",
        (r"disclosure control",),
    ),
    Reference(
        "Krippendorff, K. (2019). *Content Analysis: An Introduction to Its Methodology*, 4th ed. "
        "(inter-coder agreement: alpha 0.800 reliable, 0.667 tentative).",
        (r"Krippendorff",),
    ),
    Reference(
        "Feldt, L. S., Woodruff, D. J. and Salih, F. A. (1987). Statistical inference for "
        "coefficient alpha. *Applied Psychological Measurement* 11(1).",
        (r"Feldt",),
    ),
    Reference(
        "Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian "
        "Journal of Statistics* 6(2).",
        (r"Holm",),
    ),
    Reference(
        "Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and "
        "Psychological Measurement* 20(1) (Cohen's kappa).",
        (r"Cohen.s kappa", r"Cohen \(1960\)"),
    ),
    Reference(
        "Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed. "
        "(readings of effect sizes: small, medium, large).",
        (r"Cohen(?!.s kappa)", r"effect size"),
    ),
    Reference(
        "Kerby, D. S. (2014). The simple difference formula: an approach to teaching "
        "nonparametric correlation. *Comprehensive Psychology* 3 (the rank-biserial "
        "correlation).",
        (r"Kerby", r"rank-biserial"),
    ),
    Reference(
        "UK Government Analysis Function (2023). *Data visualisation: colours in charts*.",
        (r"Analysis Function",),
    ),  # fmt: skip
)


def reference_for(citation: str) -> Reference | None:
    """The entry of :data:`REFERENCES` a cited source matches (by its ``cited_as`` forms), or
    ``None`` when the Sources list does not hold it."""
    for ref in REFERENCES:
        if any(re.search(pat, citation, flags=re.IGNORECASE) for pat in ref.cited_as):
            return ref
    return None


def references_for(citation: str) -> list[Reference]:
    """Every entry of :data:`REFERENCES` a cited source matches (by its ``cited_as`` forms)."""
    return [
        ref for ref in REFERENCES
        if any(re.search(pat, citation, flags=re.IGNORECASE) for pat in ref.cited_as)
    ]  # fmt: skip


def references_markdown() -> str:
    """The Sources section's list (one numbered entry per work)."""
    return "\n".join(f"{i}. {r.text}" for i, r in enumerate(REFERENCES, start=1)) + "\n"
