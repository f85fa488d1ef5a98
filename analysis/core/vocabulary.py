"""Vocabularies that more than one stage relies on, kept in one place.

The journey-register schema (``workflow/schemas/journeys.schema.yaml``) lists the same stages
as its enum; a test checks the two agree.
"""

#: The seven stages of a data journey, in order (the programme's method: capture, validation,
#: processing, storage, aggregation, analysis and use in decisions).
STAGES = (
    "capture",
    "validation",
    "processing",
    "storage",
    "aggregation",
    "analysis",
    "decision_use",
)


#: Where a stream's data comes from (the journey register's ``source``), in words; every value
#: of the register schema's enum has an entry (a test checks), so no raw id reaches a report.
SOURCE_WORDS = {
    "police": "Police",
    "public": "The public",
    "housing": "Housing",
    "nhs": "NHS",
    "council": "The council",
    "education": "Education",
    "voluntary_sector": "Voluntary sector",
    "partner_other": "Other partner",
    "schools": "Schools",
    "dwp": "DWP",
}
