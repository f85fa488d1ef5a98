"""Ingest: turn each council input into validated, normalised, PII-checked tidy tables.

One function per input kind. Each takes the path and plain values (the instrument dicts, the
row schema loaded from ``workflow/schemas/``) and returns DataFrames in the shapes given in
``docs/data-contracts.md``; each raises :class:`analysis.core.InputError` listing every
problem it found, located by file, sheet, row and column, without repeating any value.
Nothing here writes a file.
"""

from analysis.core.periods import financial_year_or_none as normalise_financial_year
from analysis.ingest.business_case import ingest_business_case
from analysis.ingest.coding import ingest_coding
from analysis.ingest.common import normalise_label, pii_gate
from analysis.ingest.config import config_problems
from analysis.ingest.costs import ingest_costs
from analysis.ingest.cross_checks import realisation_problems
from analysis.ingest.journey_systems import SYSTEMS_COLUMNS, ingest_journey_systems
from analysis.ingest.journeys import ingest_journeys
from analysis.ingest.manifest import code_version, file_sha256, manifest
from analysis.ingest.survey import ingest_survey, likert_lookup

__all__ = [
    "code_version",
    "config_problems",
    "file_sha256",
    "ingest_business_case",
    "ingest_coding",
    "SYSTEMS_COLUMNS",
    "ingest_costs",
    "ingest_journey_systems",
    "ingest_journeys",
    "ingest_survey",
    "likert_lookup",
    "manifest",
    "normalise_financial_year",
    "normalise_label",
    "pii_gate",
    "realisation_problems",
]
