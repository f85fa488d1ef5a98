"""The journeys stage: data journeys, gap register, tool scores and SWOT, data maturity, roadmap.

Everything is a pure function on DataFrames; the ``read_*`` functions are the only ones that
touch files. The rule tables (``survey/gap_rules.csv``, ``survey/maturity_rubric.csv``,
``survey/roadmap_actions.csv``) are data: the code only interprets them.

Modules:

* :mod:`~analysis.journeys.register` -- reading the register, the journey table (every stream x
  seven stages), stream summary and the register metrics the maturity rubric uses.
* :mod:`~analysis.journeys.gap_rules` -- the gap-rule language: parse, find gaps, summarise.
* :mod:`~analysis.journeys.tools` -- tool scores (impact, value added, criticality) and tool
  SWOT, with the coding stage's SWOT evidence.
* :mod:`~analysis.journeys.maturity` -- the maturity rubric, indicators and levels per DMA
  theme, and the survey evidence for them (construct agreement under disclosure control).
* :mod:`~analysis.journeys.roadmap` -- corrective actions: triggering, dependency-ordered
  scheduling, authority and programme roadmaps, which council needs which action.
* :mod:`~analysis.journeys.assessment` -- the steps chained: one council's assessment, the
  programme's tables.
* :mod:`~analysis.journeys.publish` -- published tables and the key figures for the reports.
* :mod:`~analysis.journeys.tables` -- reading the stage's internal tables back, one dtype
  rule per table.
* :mod:`~analysis.journeys.figures` -- gap overview, maturity heat map, roadmap Gantt chart,
  and the set of figures each job draws; with :mod:`~analysis.journeys.journey_map` (the
  swimlane journey map) and :mod:`~analysis.journeys.labels` (label text). Not re-exported
  here, since they load matplotlib: import ``analysis.journeys.figures``.
"""

from analysis.journeys.assessment import assess_authority, programme_tables
from analysis.journeys.gap_rules import (
    DQ_DIMENSIONS,
    GAP_RULE_COLUMNS,
    SEVERITIES,
    SEVERITY_ORDER,
    Clause,
    GapRule,
    GapRuleError,
    find_gaps,
    gap_summary,
    parse_gap_rules,
    read_gap_rules,
)
from analysis.journeys.maturity import (
    MATURITY_LEVELS,
    MATURITY_THEMES,
    RUBRIC_COLUMNS,
    controlled_construct_agreement,
    level_label,
    maturity_indicators,
    maturity_levels,
    maturity_survey_evidence,
    parse_maturity_rubric,
    read_maturity_rubric,
    value_basis,
)
from analysis.journeys.publish import (
    PASS_THROUGH,
    PCT_DECIMALS,
    authority_key_figures,
    most_common_gap,
    programme_key_figures,
    published_indicators,
    published_survey_agreement,
    published_tool_swot,
    round_published,
)
from analysis.journeys.register import (
    CONDITION_COLUMNS,
    DIGITAL_CHANNELS,
    DQ_AUDIT_POINTS,
    REGISTER_COLUMNS,
    REGISTER_METRICS,
    STAGE_FIELDS,
    STAGE_ORDER,
    JourneyInputError,
    ensure_journeys,
    journey_table,
    read_register,
    register_metrics,
    stream_summary,
)
from analysis.journeys.roadmap import (
    ACTION_COLUMNS,
    EFFORT_MONTHS,
    LIFECYCLE_STAGES,
    PHASES,
    RoadmapInputError,
    action_need,
    authority_roadmap,
    parse_roadmap_actions,
    programme_roadmap,
    read_roadmap_actions,
    schedule_actions,
    triggered_actions,
)
from analysis.journeys.tables import (
    read_gap_summary,
    read_gaps,
    read_indicators,
    read_levels,
    read_roadmap,
    read_stacked,
    read_streams,
    read_survey_agreement,
    read_text_table,
    read_tool_scores,
    read_tool_swot,
)
from analysis.journeys.tools import SWOT_KINDS, read_swot_evidence, tool_scores, tool_swot

__all__ = [
    # register
    "CONDITION_COLUMNS",
    "DIGITAL_CHANNELS",
    "DQ_AUDIT_POINTS",
    "REGISTER_COLUMNS",
    "REGISTER_METRICS",
    "STAGE_FIELDS",
    "STAGE_ORDER",
    "JourneyInputError",
    "ensure_journeys",
    "journey_table",
    "read_register",
    "register_metrics",
    "stream_summary",
    # gap rules
    "DQ_DIMENSIONS",
    "GAP_RULE_COLUMNS",
    "SEVERITIES",
    "SEVERITY_ORDER",
    "Clause",
    "GapRule",
    "GapRuleError",
    "find_gaps",
    "gap_summary",
    "parse_gap_rules",
    "read_gap_rules",
    # tools
    "SWOT_KINDS",
    "read_swot_evidence",
    "tool_scores",
    "tool_swot",
    # maturity
    "MATURITY_LEVELS",
    "MATURITY_THEMES",
    "RUBRIC_COLUMNS",
    "controlled_construct_agreement",
    "level_label",
    "maturity_indicators",
    "maturity_levels",
    "maturity_survey_evidence",
    "parse_maturity_rubric",
    "read_maturity_rubric",
    "value_basis",
    # roadmap
    "ACTION_COLUMNS",
    "EFFORT_MONTHS",
    "LIFECYCLE_STAGES",
    "PHASES",
    "RoadmapInputError",
    "action_need",
    "authority_roadmap",
    "parse_roadmap_actions",
    "programme_roadmap",
    "read_roadmap_actions",
    "schedule_actions",
    "triggered_actions",
    # assessment
    "assess_authority",
    "programme_tables",
    # publish
    "PASS_THROUGH",
    "PCT_DECIMALS",
    "authority_key_figures",
    "most_common_gap",
    "programme_key_figures",
    "published_indicators",
    "published_survey_agreement",
    "published_tool_swot",
    "round_published",
    # tables
    "read_gap_summary",
    "read_gaps",
    "read_indicators",
    "read_levels",
    "read_roadmap",
    "read_stacked",
    "read_streams",
    "read_survey_agreement",
    "read_text_table",
    "read_tool_scores",
    "read_tool_swot",
]
