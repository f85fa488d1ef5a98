"""Code frequencies on the consensus coding: per code, theme, research question or SWOT
quadrant, by authority, participant role or session; and the code x role table.

Counts returned without a ``rule`` are **raw** (internal only). Every count that is published
goes through :mod:`analysis.core.disclosure`: :func:`control_count_columns` (primary
suppression and rounding) or :func:`code_by_role` / :func:`role_crosstab` with
``disclosure.control_crosstab`` (margins, secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.coding.sheet import (
    CODEBOOK_COLUMNS,
    check_consensus,
    codebook_table,
    require_columns,
)

#: What :func:`code_frequencies` can count: a code, or a codebook column grouping codes.
UNITS = ("code", "theme", "research_question", "swot")


def code_frequencies(
    consensus: pd.DataFrame,
    codebook: Mapping | None = None,
    *,
    by: Sequence[str] = ("authority",),
    unit: str = "code",
) -> pd.DataFrame:
    """Raw counts of excerpts and sessions per code (or theme / research question / SWOT).

    Standard code-frequency output of qualitative analysis tools (QualCoder, NVivo, MAXQDA:
    "code frequency by case attribute"), counted on the consensus coding.

    Parameters
    ----------
    consensus : output of :func:`analysis.coding.consensus_coding`.
    codebook : parsed codebook; needed for ``unit`` other than ``"code"``. When given, every
        codebook unit appears for every group present (zeros included) in codebook order.
    by : grouping columns of ``consensus`` (``authority``, ``participant_role``,
        ``session_id``); ``()`` pools everything.
    unit : ``code``, ``theme``, ``research_question`` or ``swot``. For a unit other than
        ``code`` an excerpt counts once when it carries at least one code of that unit.

    Returns
    -------
    DataFrame with ``by`` columns, the unit column (for ``code`` also ``label, theme,
    research_question, swot``), ``n_excerpts`` (distinct excerpts) and ``n_sessions``
    (distinct sessions). Raw, unrounded counts: pass through :func:`control_count_columns`
    before publishing.
    """
    check_consensus(consensus)
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}")
    by = list(by)
    require_columns(consensus, by, "consensus table")
    book = codebook_table(codebook) if codebook is not None else None
    if unit != "code" and book is None:
        raise ValueError(f"unit={unit!r} needs the codebook")

    df = consensus.copy()
    df["_excerpt"] = df["authority"] + "\x1f" + df["excerpt_id"]
    df["_session"] = df["authority"] + "\x1f" + df["session_id"]
    groups = df[by].drop_duplicates().sort_values(by) if by else None
    applied = df.dropna(subset=["code"])
    if unit != "code":
        mapping = book.set_index("code")[unit]
        unknown = sorted(set(applied["code"]) - set(mapping.index))
        if unknown:
            raise ValueError(f"codes not in the codebook: {', '.join(unknown)}")
        applied = applied.assign(**{unit: applied["code"].map(mapping)}).dropna(subset=[unit])

    keys = by + [unit]
    counts = (
        applied.groupby(keys, dropna=False)
        .agg(n_excerpts=("_excerpt", "nunique"), n_sessions=("_session", "nunique"))
        .reset_index()
    )
    if book is not None:
        units = book[unit].dropna().drop_duplicates().tolist()
        extra = sorted(set(counts[unit]) - set(units))  # codes outside the codebook
        units = units + extra
        order = {u: i for i, u in enumerate(units)}
        grid = pd.DataFrame({unit: pd.array(units, dtype="string")})
        if by:
            grid = groups.merge(grid, how="cross")
        counts = grid.merge(counts, on=keys, how="left")
        counts[["n_excerpts", "n_sessions"]] = counts[["n_excerpts", "n_sessions"]].fillna(0)
        counts["_order"] = counts[unit].map(order)
        counts = counts.sort_values(by + ["_order"], kind="stable").drop(columns="_order")
    else:
        counts = counts.sort_values(keys, kind="stable")
    counts = counts.astype({"n_excerpts": "int64", "n_sessions": "int64"})
    if unit == "code":
        info = book if book is not None else pd.DataFrame(columns=list(CODEBOOK_COLUMNS))
        counts = counts.merge(info.astype("string"), on="code", how="left")
        counts = counts[by + list(CODEBOOK_COLUMNS) + ["n_excerpts", "n_sessions"]]
    return counts.reset_index(drop=True)


def control_count_columns(
    table: pd.DataFrame, rule, count_cols: Sequence[str] = ("n_excerpts", "n_sessions")
) -> pd.DataFrame:
    """Copy of ``table`` with each count column passed through ``disclosure.control_counts``.

    Primary suppression and rounding only: use it for tables whose counts are not published
    next to a total they add up to (codes overlap: one excerpt may carry several codes). For a
    table with published margins use :func:`code_by_role` with a rule (secondary suppression).
    Suppressed cells become <NA> (Int64).
    """
    from analysis.core.disclosure import control_counts

    out = table.copy()
    for col in count_cols:
        out[col] = control_counts(out[col].astype("int64"), rule).astype("Int64")
    return out


def role_crosstab(
    freq_long: pd.DataFrame, unit: str = "code", order: Sequence[str] | None = None
) -> pd.DataFrame:
    """Raw ``unit`` x participant-role table of excerpt counts from a long frequency table.

    ``freq_long``: :func:`code_frequencies` by ``participant_role`` (one group otherwise).
    Rows follow ``order`` (default: the table's order; rows outside ``order`` are dropped, a
    unit in ``order`` with no row is zero), columns are the roles sorted.
    """
    order = pd.unique(freq_long[unit]) if order is None else list(order)
    wide = freq_long.pivot(index=unit, columns="participant_role", values="n_excerpts")
    wide = wide.reindex(index=order).fillna(0).astype("int64")
    wide = wide.reindex(columns=sorted(wide.columns))
    wide.index.name = unit
    wide.columns.name = "participant_role"
    return wide


def code_by_role(
    consensus: pd.DataFrame,
    codebook: Mapping | None = None,
    *,
    authority: str | None = None,
    rule=None,
) -> pd.DataFrame:
    """Code x participant-role table of excerpt counts, raw or disclosure-controlled.

    Rows are codes (codebook order when given), columns participant roles (sorted). With a
    ``rule`` the table goes through ``disclosure.control_crosstab`` (totals from unrounded
    values, secondary suppression), which adds a ``total`` row and column. Each excerpt has one
    role, so a row total is the number of excerpts with the code; the column totals count code
    applications (an excerpt with two codes counts twice).
    """
    check_consensus(consensus)
    df = consensus if authority is None else consensus[consensus["authority"] == authority]
    if authority is None and df["authority"].nunique() > 1:
        raise ValueError("code_by_role: pass authority= when the table holds several")
    wide = role_crosstab(code_frequencies(df, codebook, by=["participant_role"], unit="code"))
    if rule is None:
        return wide
    from analysis.core.disclosure import control_crosstab

    return control_crosstab(wide, rule, margins=True)
