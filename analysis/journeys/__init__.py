"""The journeys stage: data journeys, gap register, tool scores and SWOT, data maturity, roadmap.

Everything is a pure function on DataFrames; the ``read_*`` functions are the only ones that
touch files. The rule tables (``survey/gap_rules.csv``, ``survey/maturity_rubric.csv``,
``survey/roadmap_actions.csv``) are data: the code only interprets them.

Modules:

* :mod:`~analysis.journeys.register` -- reading the register, the journey table (every stream x
  seven stages), stream summary and the register metrics the maturity rubric uses.
* :mod:`~analysis.journeys.gap_rules` -- the gap-rule language: parse, find gaps, summarise.
* :mod:`~analysis.journeys.tools` -- tool (system) scores and stage scores: impact, value
  added, criticality.
* :mod:`~analysis.journeys.swot` -- SWOT of each tool and stage from register facts, with the
  coding stage's SWOT evidence.
* :mod:`~analysis.journeys.ranking` -- ranked tool and stage tables: scores and SWOT entries
  with their evidence, per council and for the programme.
* :mod:`~analysis.journeys.inventory` -- systems inventory and stream flows (channel,
  frequency, volume) from the register.
* :mod:`~analysis.journeys.maturity` -- the maturity rubric, indicators and levels per DMA
  theme, and the survey evidence for them (construct agreement under disclosure control).
* :mod:`~analysis.journeys.actions` -- the roadmap rule table: reading and checking it.
* :mod:`~analysis.journeys.triggers` -- each action's status for a council (triggered,
  prerequisite, in place) with its trigger trace in ids and words.
* :mod:`~analysis.journeys.roadmap` -- dependency-ordered scheduling, authority and programme
  roadmaps, which council needs which action (one count, :func:`needed_by`).
* :mod:`~analysis.journeys.funding` -- what pays for each roadmap action: existing budgets or
  the preferred way forward's cost lines.
* :mod:`~analysis.journeys.objectives` -- spending objectives checked against the schedule.
* :mod:`~analysis.journeys.assessment` -- the steps chained: one council's assessment, the
  programme's tables.
* :mod:`~analysis.journeys.benefit_timing` -- each appraised benefit line against the
  roadmap actions that deliver it: does the benefit wait for them?
* :mod:`~analysis.journeys.publish` -- published tables and the key figures for the reports.
* :mod:`~analysis.journeys.tables` -- reading the stage's internal tables back, one dtype
  rule per table.
* :mod:`~analysis.journeys.figures` -- gap overview, maturity heat map, roadmap Gantt chart,
  and the set of figures each job draws; with :mod:`~analysis.journeys.journey_map` (the
  swimlane journey map), :mod:`~analysis.journeys.score_chart` (tool scores, ranked) and
  :mod:`~analysis.journeys.labels` (label text). Not re-exported here, since they load
  matplotlib: import ``analysis.journeys.figures``.
"""

from analysis.journeys.actions import NO_EVIDENCE_CHOICES, NO_EVIDENCE_COLUMN
from analysis.journeys.assessment import assess_authority, programme_tables
from analysis.journeys.benefit_timing import (
    BENEFIT_TIMING_COLUMNS,
    benefit_timing,
)
from analysis.journeys.funding import OPTION_LINE_COLUMNS, funding, preferred_option_lines
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
from analysis.journeys.inventory import (
    FLOW_COLUMNS,
    INVENTORY_COLUMNS,
    NOT_RECORDED,
    SUMMARY_COLUMNS,
    SYSTEMS_SHEET_COLUMNS,
    stream_flows,
    systems_inventory,
    systems_summary,
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
from analysis.journeys.objectives import (
    CHECK_COLUMNS,
    OBJECTIVE_COLUMNS,
    ObjectiveInputError,
    check_objectives,
    objectives_table,
    parse_spending_objectives,
    programme_objectives,
    read_spending_objectives,
)
from analysis.journeys.publish import (
    PASS_THROUGH,
    PCT_DECIMALS,
    authority_key_figures,
    key_figures_of,
    most_common_gap,
    programme_key_figures,
    published_indicators,
    published_rankings,
    published_survey_agreement,
    published_tables,
    published_tool_swot,
    round_published,
)
from analysis.journeys.ranking import (
    STAGE_RANKING_COLUMNS,
    TOOL_RANKING_COLUMNS,
    programme_ranking,
    stage_ranking,
    tool_ranking,
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
    ROADMAP_COLUMNS,
    RoadmapInputError,
    action_need,
    authority_roadmap,
    needed_by,
    option_plans,
    parse_roadmap_actions,
    phase_of,
    programme_roadmap,
    read_roadmap_actions,
    schedule_actions,
    triggered_actions,
)
from analysis.journeys.swot import (
    SWOT_COLUMNS,
    SWOT_KINDS,
    read_swot_evidence,
    stage_swot,
    tool_swot,
)
from analysis.journeys.tables import (
    READERS,
    read_action_status,
    read_flows,
    read_gap_summary,
    read_gaps,
    read_indicators,
    read_inventory,
    read_levels,
    read_objectives_check,
    read_roadmap,
    read_stacked,
    read_stage_scores,
    read_streams,
    read_survey_agreement,
    read_tables,
    read_text_table,
    read_tool_scores,
    read_tool_swot,
)
from analysis.journeys.tools import (
    NON_TOOL_STAGES,
    STAGE_SCORE_COLUMNS,
    TOOL_SCORE_COLUMNS,
    stage_scores,
    tool_rows,
    tool_scores,
)
from analysis.journeys.triggers import (
    STATUS_COLUMNS,
    STATUSES,
    action_name,
    action_status,
    way_forward_of,
)

__all__ = [
    # benefit timing
    "BENEFIT_TIMING_COLUMNS",
    "benefit_timing",
    "option_plans",
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
    # tools and stages: scores, SWOT, ranked tables
    "NON_TOOL_STAGES",
    "STAGE_SCORE_COLUMNS",
    "TOOL_SCORE_COLUMNS",
    "stage_scores",
    "tool_rows",
    "tool_scores",
    "SWOT_COLUMNS",
    "SWOT_KINDS",
    "read_swot_evidence",
    "stage_swot",
    "tool_swot",
    "STAGE_RANKING_COLUMNS",
    "TOOL_RANKING_COLUMNS",
    "programme_ranking",
    "stage_ranking",
    "tool_ranking",
    # inventory
    "FLOW_COLUMNS",
    "INVENTORY_COLUMNS",
    "NOT_RECORDED",
    "SUMMARY_COLUMNS",
    "SYSTEMS_SHEET_COLUMNS",
    "stream_flows",
    "systems_inventory",
    "systems_summary",
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
    # roadmap: rule table, action status, schedule, objectives
    "ACTION_COLUMNS",
    "EFFORT_MONTHS",
    "LIFECYCLE_STAGES",
    "NO_EVIDENCE_CHOICES",
    "NO_EVIDENCE_COLUMN",
    "PHASES",
    "ROADMAP_COLUMNS",
    "RoadmapInputError",
    "STATUSES",
    "STATUS_COLUMNS",
    "action_need",
    "action_name",
    "action_status",
    "way_forward_of",
    "authority_roadmap",
    "needed_by",
    "parse_roadmap_actions",
    "phase_of",
    "OPTION_LINE_COLUMNS",
    "funding",
    "preferred_option_lines",
    "programme_roadmap",
    "read_roadmap_actions",
    "schedule_actions",
    "triggered_actions",
    "CHECK_COLUMNS",
    "OBJECTIVE_COLUMNS",
    "ObjectiveInputError",
    "check_objectives",
    "objectives_table",
    "parse_spending_objectives",
    "programme_objectives",
    "read_spending_objectives",
    # assessment
    "assess_authority",
    "programme_tables",
    # publish
    "PASS_THROUGH",
    "PCT_DECIMALS",
    "authority_key_figures",
    "most_common_gap",
    "programme_key_figures",
    "key_figures_of",
    "published_indicators",
    "published_rankings",
    "published_tables",
    "published_survey_agreement",
    "published_tool_swot",
    "round_published",
    # tables
    "READERS",
    "read_action_status",
    "read_flows",
    "read_gap_summary",
    "read_gaps",
    "read_indicators",
    "read_inventory",
    "read_levels",
    "read_objectives_check",
    "read_roadmap",
    "read_stacked",
    "read_stage_scores",
    "read_streams",
    "read_survey_agreement",
    "read_tables",
    "read_text_table",
    "read_tool_scores",
    "read_tool_swot",
]
