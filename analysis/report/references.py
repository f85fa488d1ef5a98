"""The sources the reports rely on, listed at the end of every document.

The same works the repository's ``docs/reference/`` pages summarise; one list, so each report's
"Sources" section names what its methods and parameters come from.
"""

from __future__ import annotations

REFERENCES = (
    "HM Treasury (2022, reissued 2026). *The Green Book: appraisal and evaluation in central "
    "government*. Discounting, real terms, optimism bias, the Five Case Model.",
    "HM Treasury (2003). *Supplementary Green Book guidance: optimism bias*.",
    "HM Treasury, New Economy and Public Service Transformation Network (2014). *Supporting "
    "public service transformation: cost benefit analysis guidance for local partnerships*.",
    "HM Treasury (2018). *Guide to developing the project business case* (the Five Case Model).",
    "Department for Transport (2015). *Value for Money Framework* (value-for-money categories).",
    "Government Data Quality Hub (2020). *The Government Data Quality Framework*.",
    "Central Digital and Data Office (2023). *Data Maturity Assessment for Government*.",
    "Local Government Association (2023). *Data maturity model for local government*.",
    "NHS England. *Statistical disclosure control* guidance for published statistics (counts "
    "of 1 to 7 suppressed, others rounded to the nearest 5).",
    "Krippendorff, K. (2019). *Content Analysis: An Introduction to Its Methodology*, 4th ed. "
    "(inter-coder agreement: alpha 0.800 reliable, 0.667 tentative).",
    "Feldt, L. S., Woodruff, D. J. and Salih, F. A. (1987). Statistical inference for "
    "coefficient alpha. *Applied Psychological Measurement* 11(1).",
    "Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian "
    "Journal of Statistics* 6(2).",
    "UK Government Analysis Function (2023). *Data visualisation: colours in charts*.",
)


def references_markdown() -> str:
    """The Sources section's list (one numbered entry per work)."""
    return "\n".join(f"{i}. {ref}" for i, ref in enumerate(REFERENCES, start=1)) + "\n"
