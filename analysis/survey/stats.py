"""The survey statistics in one namespace, for callers that want them all.

The functions live in their concept modules (:mod:`~analysis.survey.distributions`,
:mod:`~analysis.survey.reliability`, :mod:`~analysis.survey.comparisons`,
:mod:`~analysis.survey.quality`, :mod:`~analysis.survey.answers`); this module only re-exports
them, so ``from analysis.survey import stats`` keeps working. New code should import from
``analysis.survey`` or from the concept module.
"""

from __future__ import annotations

from analysis.survey.answers import ID_COLUMNS, reverse_items
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
from analysis.survey.quality import MISSING_REASONS, missingness_summary, straightlining
from analysis.survey.reliability import construct_reliability, construct_scores

__all__ = [
    "DIST_COLUMNS",
    "ID_COLUMNS",
    "MISSING_REASONS",
    "chi2_independence_items",
    "construct_reliability",
    "construct_scores",
    "controlled_distributions",
    "item_distributions",
    "kruskal_wallis",
    "missingness_summary",
    "pairwise_mannwhitney",
    "reverse_items",
    "straightlining",
]
