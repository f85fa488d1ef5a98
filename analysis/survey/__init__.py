"""The survey stage: Likert distributions, construct reliability, group comparisons, data
quality, their disclosure-controlled publication, key figures and figures.

Modules, one concept each:

* :mod:`~analysis.survey.questionnaire` -- items by type, their scales, constructs with Likert items
* :mod:`~analysis.survey.answers` -- reading the wide survey table: codes, options, groups
* :mod:`~analysis.survey.distributions` -- item distributions, medians, % agree; controlled
* :mod:`~analysis.survey.reliability` -- construct scores, Cronbach's alpha with Feldt CI
* :mod:`~analysis.survey.comparisons` -- Kruskal-Wallis, pairwise Mann-Whitney, chi-square
* :mod:`~analysis.survey.quality` -- missingness by reason, straight-lining
* :mod:`~analysis.survey.groups` -- by respondent group: item summaries, option shares,
  comparisons with effect sizes and their reading (Cohen 1988)
* :mod:`~analysis.survey.agreement` -- % agreeing per construct (read by the journeys stage)
* :mod:`~analysis.survey.publish` -- raw and controlled tables per authority and programme
* :mod:`~analysis.survey.key_figures` -- the key figures quoted by the reports
* :mod:`~analysis.survey.figures` -- diverging stacked Likert bar charts with alt text

Heavy libraries (pingouin, scipy, matplotlib) are imported inside the functions that use them,
so importing this package stays cheap.
"""

from analysis.survey.agreement import construct_agreement
from analysis.survey.answers import (
    ID_COLUMNS,
    group_codes,
    item_column,
    likert_codes,
    likert_matrix,
    option_index,
    reverse_items,
)
from analysis.survey.collapsed import (
    COLLAPSED_COLUMNS,
    COLLAPSED_COUNTS,
    collapsed_distributions,
)
from analysis.survey.comparisons import (
    chi2_independence_items,
    kruskal_wallis,
    pairwise_mannwhitney,
)
from analysis.survey.distributions import (
    DIST_COLUMNS,
    controlled_distributions,
    item_distributions,
)
from analysis.survey.figures import draw_likert_construct, drawn_shares, plot_likert_construct
from analysis.survey.groups import (
    COMPARISON_COLUMNS,
    EFFECT_THRESHOLDS,
    ITEM_SUMMARY_COLUMNS,
    controlled_comparisons,
    effect_reading,
    eligible_groups,
    group_comparisons,
    item_summary,
    option_shares,
)
from analysis.survey.key_figures import (
    SIG_LEVEL,
    authority_key_figures,
    categorical_item_figures,
    group_comparison_figures,
    programme_key_figures,
)
from analysis.survey.publish import (
    AUTHORITY_GROUPING,
    PROGRAMME_GROUPING,
    authority_tables,
    draw_likert_figures,
    group_tables,
    programme_tables,
    published_tables,
    raw_statistics,
    read_published_distributions,
    write_internal,
    write_published,
)
from analysis.survey.quality import MISSING_REASONS, missingness_summary, straightlining
from analysis.survey.questionnaire import (
    item_scale,
    items,
    likert_construct_ids,
    likert_constructs,
    likert_ids,
    respondent_group_labels,
)
from analysis.survey.reliability import construct_reliability, construct_scores

__all__ = [
    "AUTHORITY_GROUPING",
    "COMPARISON_COLUMNS",
    "DIST_COLUMNS",
    "EFFECT_THRESHOLDS",
    "ID_COLUMNS",
    "ITEM_SUMMARY_COLUMNS",
    "MISSING_REASONS",
    "PROGRAMME_GROUPING",
    "SIG_LEVEL",
    "authority_key_figures",
    "authority_tables",
    "categorical_item_figures",
    "chi2_independence_items",
    "construct_agreement",
    "construct_reliability",
    "construct_scores",
    "controlled_comparisons",
    "controlled_distributions",
    "COLLAPSED_COLUMNS",
    "COLLAPSED_COUNTS",
    "collapsed_distributions",
    "draw_likert_construct",
    "drawn_shares",
    "draw_likert_figures",
    "effect_reading",
    "eligible_groups",
    "group_codes",
    "group_comparison_figures",
    "group_comparisons",
    "group_tables",
    "item_column",
    "item_distributions",
    "item_scale",
    "item_summary",
    "items",
    "kruskal_wallis",
    "likert_codes",
    "likert_construct_ids",
    "likert_constructs",
    "likert_ids",
    "likert_matrix",
    "missingness_summary",
    "option_index",
    "option_shares",
    "pairwise_mannwhitney",
    "plot_likert_construct",
    "programme_key_figures",
    "programme_tables",
    "published_tables",
    "raw_statistics",
    "read_published_distributions",
    "respondent_group_labels",
    "reverse_items",
    "straightlining",
    "write_internal",
    "write_published",
]
