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


#: The journey register's Systems sheet (``$defs.systems`` of the register schema), in words;
#: every value of the schema's lists has an entry (a test checks). Where a system is hosted:
HOSTING_WORDS = {
    "on_premises": "On the council's premises",
    "cloud": "The council's cloud",
    "supplier_hosted": "Hosted by the supplier",
    "partner_hosted": "Hosted by a partner",
    "none": "Not an IT system",
}
#: How a system exchanges data with others.
INTEGRATION_WORDS = {
    "none": "none",
    "manual_export": "manual export",
    "file_transfer": "file transfer",
    "api": "API",
    "shared_database": "shared database",
}
#: What a system provides (its capabilities), as a noun phrase.
CAPABILITY_WORDS = {
    "case_management": "case management",
    "record_storage": "record storage",
    "online_capture": "online capture",
    "data_exchange": "data exchange with partners",
    "warehouse": "a shared data warehouse",
    "single_view": "a single view of the person or family",
    "automated_reporting": "automated recurring and statutory reports",
    "dashboards": "dashboards",
    "spatial_mapping": "spatial mapping",
    "predictive_analytics": "predictive analytics",
}
#: The kinds of cost line in a cost workbook (``costs.schema.yaml``, Costs sheet ``type``).
COST_TYPES = ("capital", "revenue", "staff")
