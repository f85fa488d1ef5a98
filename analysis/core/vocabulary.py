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
