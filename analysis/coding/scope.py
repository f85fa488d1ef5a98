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
* **And where a count, though council-wide, rests on a small group.** The coding sheet records
  each session's attendance (``session_participants``; an interview is one person). A count of
  text whose excerpts all come from sessions that together had 1 to ``rule.min_count - 1``
  participants (1-7 under the NHS rule) tells what those few people said, however it is
  labelled: a code heard only in one interview, or only in a residents' group of five. Such a
  count is suppressed (the marker), cell by cell (:func:`narrowed`, :func:`suppress_narrowed`).
  The basis is the **sum of the attendance of the distinct sessions** behind the count
  (:func:`participants_behind`): the number of people who could have said it. It counts
  attendances, so a person at two sessions counts twice; the sheet has no person id to do
  better, and a council whose workshops reuse the same people should record sessions that
  way (the docs say so).

:func:`count_kind` classes a breakdown, :func:`publish_counts` applies the rule to a column
of counts, :func:`control_role_table` controls a code (or research question) x role table
whose per-code totals are text and so are published exactly elsewhere, and
:func:`session_attendance`, :func:`participants_behind`, :func:`pair_participants` and
:func:`suppress_narrowed` apply the small-group test to counts of text.
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

#: The excerpts-table column holding the attendance of each excerpt's session.
ATTENDANCE = "session_participants"

__all__ = [
    "ATTENDANCE",
    "GROUP",
    "GROUP_DIMENSIONS",
    "TEXT",
    "control_role_table",
    "count_kind",
    "narrowed",
    "pair_participants",
    "participants_behind",
    "publish_counts",
    "session_attendance",
    "suppress_narrowed",
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


def _session_key(df: pd.DataFrame) -> pd.Series:
    return df["authority"].astype(str) + "\x1f" + df["session_id"].astype(str)


def session_attendance(excerpts: pd.DataFrame) -> pd.Series:
    """People who took part in each session, from the excerpts table's :data:`ATTENDANCE`
    column, indexed by an internal session key (authority and session id).

    Raises ``ValueError`` naming the column (never a value) when it is missing, not a whole
    number of at least 1, or differs between two excerpts of one session (ingest refuses such
    a sheet already; this guards tables built elsewhere)."""
    missing = [c for c in ("authority", "session_id", ATTENDANCE) if c not in excerpts.columns]
    if missing:
        raise ValueError(f"excerpts table: missing column(s) {', '.join(missing)}")
    n = pd.to_numeric(excerpts[ATTENDANCE], errors="coerce")
    if n.isna().any() or (n < 1).any() or (n != n.round()).any():
        raise ValueError(f"excerpts table, column {ATTENDANCE}: expected whole numbers >= 1")
    keyed = pd.Series(n.astype("int64").to_numpy(), index=_session_key(excerpts).to_numpy())
    if keyed.groupby(level=0).nunique().gt(1).any():
        raise ValueError(f"excerpts table, column {ATTENDANCE}: expected one value per session")
    return keyed.groupby(level=0).first()


def participants_behind(
    table: pd.DataFrame,
    attendance: pd.Series,
    *,
    by: Sequence[str] = ("authority",),
    unit: str = "code",
) -> pd.DataFrame:
    """Per ``by`` group and ``unit`` value: the attendance summed over the distinct sessions
    of the rows of ``table`` (``authority, session_id`` and the ``by`` and ``unit`` columns;
    e.g. the consensus coding, one row per excerpt and code). Returns ``by..., unit,
    n_participants``; a unit without rows has no row (zero people behind a zero count)."""
    df = table.dropna(subset=[unit])
    keys = [*by, unit]
    sessions = df.assign(_s=_session_key(df))[[*keys, "_s"]].drop_duplicates()
    unknown = set(sessions["_s"]) - set(attendance.index)
    if unknown:
        raise ValueError("a session of the coding has no attendance in the excerpts table")
    sessions["n_participants"] = sessions["_s"].map(attendance).astype("int64")
    out = sessions.groupby(keys, sort=False, dropna=False)["n_participants"].sum()
    return out.reset_index()


def pair_participants(consensus: pd.DataFrame, attendance: pd.Series) -> pd.DataFrame:
    """Per authority and ordered pair of codes carried by one excerpt: the attendance summed
    over the distinct sessions of the excerpts carrying both (``authority, code_a, code_b,
    n_participants``; the diagonal is the code's own basis)."""
    applied = consensus.dropna(subset=["code"])[["authority", "session_id", "excerpt_id", "code"]]
    pairs = applied.merge(
        applied, on=["authority", "session_id", "excerpt_id"], suffixes=("_a", "_b")
    )
    pairs = pairs.assign(_pair=pairs["code_a"] + "\x1f" + pairs["code_b"])
    out = participants_behind(pairs, attendance, unit="_pair")
    split = out["_pair"].str.split("\x1f", n=1, expand=True)
    return pd.DataFrame(
        {
            "authority": out["authority"],
            "code_a": split[0],
            "code_b": split[1],
            "n_participants": out["n_participants"],
        }
    )


def narrowed(n_participants, rule) -> pd.Series:
    """True where a count rests on a group the rule would suppress: 1 to ``rule.min_count -
    1`` participants behind it (zero people: no count to protect)."""
    n = pd.Series(n_participants).astype("Float64").fillna(0)
    return ((n >= 1) & (n < rule.min_count)).astype(bool)


def suppress_narrowed(counts, n_participants, rule) -> pd.Series:
    """Counts of text as published (:func:`text_counts`), with ``<NA>`` (the marker) where
    :func:`narrowed`: the count's excerpts all come from sessions totalling 1 to
    ``rule.min_count - 1`` participants. ``n_participants`` aligns with ``counts``."""
    s = text_counts(counts)
    small = narrowed(pd.Series(n_participants).to_numpy(), rule).to_numpy()
    return s.mask(small)


def control_role_table(
    raw: pd.DataFrame, rule, total: str = "total", narrow_units=()
) -> pd.DataFrame:
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

    ``narrow_units``: units whose excerpts all come from a small group of participants
    (:func:`narrowed`): their total is suppressed too, with every role cell of theirs, every
    role total and the grand total (which would give a lone hidden total back by
    subtraction).
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
    narrow = [u for u in narrow_units if u in ctab.index and u != total]
    if narrow:
        roles = [c for c in ctab.columns if c != total]
        ctab.loc[narrow, roles] = pd.NA
        ctab.loc[narrow, total] = pd.NA
        ctab.loc[total, :] = pd.NA
    return ctab
