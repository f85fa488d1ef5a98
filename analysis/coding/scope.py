"""Disclosure scope of the coding tables: which counts are counts of text, which of people.

The one home of the rule every published coding count follows
(``docs/reference/privacy-and-disclosure.md``, "Gate 2"; ``docs/outputs/coding.md``,
"Disclosure"):

* **Counts of people stay controlled.** The coding sheet names people only by role, so the
  only count of people it holds is the number of coders, which is never published.
* **Counts of text are published as they are.** Excerpts, code applications (codings) and the
  sessions a code was heard in count text and its occasions, not people: a council-wide,
  programme-wide or code-wide count of excerpts is published unrounded and unsuppressed, so a
  code heard in 3 excerpts shows as 3.
* **Except where a breakdown narrows to a group of participants.** A count broken down by
  ``participant_role`` or by ``session_id`` describes what one group of participants said.
  The sheet has no participant id, so the size of such a group cannot be measured: the
  participants of one role in one session may be a single person, and the same person may
  speak in several sessions, so even a role counted across every session has no lower bound
  above one person. Every such cell (a session x role cell, a role column of the code x role
  table, a role's total of code applications) is therefore treated as a group that may be
  small enough for the rule to suppress, and is controlled like a count of people
  (``analysis.core.disclosure``: suppression, rounding, secondary suppression where totals are
  published).

:func:`count_kind` classes a breakdown, :func:`publish_counts` applies the rule to a column
of counts, and :func:`control_role_table` controls a code (or research question) x role table
whose per-code totals are text and so are published exactly elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: A count of text (excerpts, code applications, sessions): published as it is.
TEXT = "text"
#: A count narrowed to a group of participants (a role, a session): controlled like people.
GROUP = "group"
#: Breakdowns that narrow a count to a group of participants.
GROUP_DIMENSIONS = ("participant_role", "session_id")

__all__ = [
    "GROUP",
    "GROUP_DIMENSIONS",
    "TEXT",
    "control_role_table",
    "count_kind",
    "publish_counts",
    "text_counts",
]


def count_kind(breakdown: Sequence[str]) -> str:
    """:data:`GROUP` when ``breakdown`` (the columns a count is broken down by) includes a
    participant role or a session, else :data:`TEXT`."""
    return GROUP if set(breakdown) & set(GROUP_DIMENSIONS) else TEXT


def text_counts(values) -> pd.Series:
    """Counts of text as published: unchanged, as ``Int64`` (refusing negative or fractional
    values, which are no counts)."""
    s = pd.Series(values).astype("Float64")
    bad = s.notna() & ((s < 0) | (s != s.round()))
    if bad.any():
        raise ValueError("text counts must be non-negative whole numbers")
    return s.astype("Int64")


def publish_counts(values, breakdown: Sequence[str], rule) -> pd.Series:
    """A column of counts broken down by ``breakdown``, as the rule publishes it: text counts
    as they are; counts narrowed to a group of participants through
    ``disclosure.control_counts`` (1..min_count-1 suppressed, others rounded)."""
    from analysis.core.disclosure import control_counts

    s = text_counts(values)
    if count_kind(breakdown) == TEXT:
        return s
    return control_counts(s.astype("int64"), rule).set_axis(s.index)


def control_role_table(raw: pd.DataFrame, rule, total: str = "total") -> pd.DataFrame:
    """A unit (code, research question) x participant-role table of excerpt counts for
    publication, with a ``total`` column and row.

    The role cells and the row of role totals (code applications per role) are group counts:
    they are controlled with ``disclosure.control_crosstab`` (primary and secondary
    suppression, rounding). The ``total`` column (excerpts per unit, one role per excerpt) and
    the grand total are text: published exactly, as every other table publishes them.

    Why this is safe: ``control_crosstab`` audits its pattern as if every published value were
    known exactly, so where it left every unit total and the grand total unsuppressed,
    replacing their rounded values by the exact ones reveals nothing it did not already
    protect against. Where it had to suppress a unit total (a unit heard in 1..min_count-1
    excerpts, or a total taken as a secondary cell), that pattern relied on the total being
    hidden; then every role cell of such a unit and every role total are suppressed (zeros
    included), so no column margin is published and each unit row, whose cells are either all
    published or at least two suppressed, can be solved only from its own exact total.
    """
    from analysis.core.disclosure import control_crosstab

    ctab = control_crosstab(raw, rule, margins=True, row_total=total, col_total=total)
    exact_rows = raw.sum(axis=1).astype("int64")
    grand = int(exact_rows.sum())
    unit_totals = ctab[total].drop(index=total)
    weak = unit_totals.isna() | pd.isna(ctab.loc[total, total])
    if weak.any():
        roles = [c for c in ctab.columns if c != total]
        rows = list(unit_totals.index[unit_totals.isna()])
        if len(roles) > 1:
            ctab.loc[rows, roles] = pd.NA
        ctab.loc[total, roles] = pd.NA
    ctab[total] = pd.array([*exact_rows.tolist(), grand], dtype="Int64")
    return ctab
