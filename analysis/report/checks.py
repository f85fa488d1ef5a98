"""Checks made again before anything is written into the report project."""

from __future__ import annotations

from analysis.core.disclosure import check_controlled
from analysis.report.inputs import Published


def check_counts(p: Published) -> None:
    """Re-check every count column the reports print against the disclosure rule."""
    count_cols = {
        ("survey", "construct_summary"): ["n_answers", "n_positive"],
        # the coding tables' counts are counts of text, published as they are
        # (analysis.coding.scope): nothing to re-check there
    }
    for (scope, stage, name), df in p.tables.items():
        cols = [c for c in count_cols.get((stage, name), []) if c in df.columns]
        if cols:
            check_controlled(df, cols, p.rule, where=f"{scope}/{stage}/{name}.csv")
