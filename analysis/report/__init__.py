"""The report layer: turns published outputs into the Quarto project the renderers render.

The ``.qmd`` files in ``report/`` hold prose only; this package writes everything they quote.

Modules:

- ``inputs``: the one list of files the reports read (:func:`report_inputs`, declared by the
  report rule) and :func:`load_published`, which reads only those, key figures through their
  schemas;
- ``checks``: disclosure checks made again on every count the reports print;
- ``wording``: short names, option labels, value-for-money words;
- ``markdown``: escaped text, pipe tables, figure blocks;
- ``variables``: ``_variables.yml``, every number and result-dependent sentence, formatted once;
- ``business_case``, ``user_research``, ``roadmap``, ``case_study``: each document's generated
  tables and sections;
- ``project``: assembling the project (:func:`assemble_report`).
"""

from analysis.report.checks import check_counts
from analysis.report.inputs import (
    Published,
    case_study_inputs,
    compares_with_peers,
    load_published,
    report_inputs,
    uses_example_inputs,
)
from analysis.report.project import (
    assemble_report,
    build_markdown,
    write_case_study_project,
    write_programme_project,
)
from analysis.report.variables import authority_variables, build_variables

__all__ = [
    "Published",
    "assemble_report",
    "authority_variables",
    "build_markdown",
    "build_variables",
    "case_study_inputs",
    "compares_with_peers",
    "check_counts",
    "load_published",
    "report_inputs",
    "uses_example_inputs",
    "write_case_study_project",
    "write_programme_project",
]
