"""What the reports quote from the coding: leading codes per research question and the SWOT
evidence per authority (counts and quotes), built on the consensus coding and the quote bank.

``swot_evidence.csv`` (published, from :func:`controlled_swot_evidence`) is read by the
journeys stage: its columns and order are a contract (:data:`SWOT_EVIDENCE_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.coding.frequencies import code_frequencies
from analysis.coding.scope import publish_counts, text_counts
from analysis.coding.sheet import require_columns, swot_rank

#: Columns of :func:`leading_codes`.
LEADING_COLUMNS = (
    "authority",
    "research_question",
    "rank",
    "code",
    "label",
    "theme",
    "n_excerpts",
    "n_sessions",
    "quote",
    "attribution",
)
#: Columns of :func:`swot_evidence` (and of the published ``swot_evidence.csv``).
SWOT_EVIDENCE_COLUMNS = (
    "authority",
    "swot",
    "code",
    "label",
    "theme",
    "research_question",
    "n_excerpts",
    "n_sessions",
)
#: Columns of :func:`swot_quotes`.
SWOT_QUOTE_COLUMNS = ("authority", "swot", "code", "quote_rank", "attribution", "quote")


def leading_codes(
    consensus: pd.DataFrame,
    codebook: Mapping,
    rule,
    *,
    quotes: pd.DataFrame | None = None,
    top_n: int = 3,
    frequencies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Leading codes per authority and research question, with their counts and a quote.

    The counts are excerpts and sessions per code across the authority: counts of text,
    published as they are (:mod:`analysis.coding.scope`). Codes are ranked by their
    *published* excerpt count (then session count, then code id), so the order reveals nothing
    the published counts do not; a code whose count is suppressed (a ``frequencies`` table
    controlled under another scope) or zero is not listed as leading. ``quotes`` (output of
    :func:`analysis.coding.quote_bank`) supplies the first-ranked quote of each code.

    ``frequencies`` (optional): the published per-code table (the columns of
    :func:`analysis.coding.code_frequencies` by ``authority``), used instead of counting here,
    so that one count is published one way everywhere; ``rule`` applies to counts computed
    here.

    Returns ``authority, research_question, rank, code, label, theme, n_excerpts, n_sessions,
    quote, attribution`` (counts Int64).
    """
    if frequencies is None:
        freq = code_frequencies(consensus, codebook, by=["authority"], unit="code")
        for col in ("n_excerpts", "n_sessions"):
            freq[col] = publish_counts(freq[col], ["authority", "code"], rule)
    else:
        require_columns(
            frequencies,
            [
                "authority",
                "code",
                "label",
                "theme",
                "research_question",
                "n_excerpts",
                "n_sessions",
            ],
            "leading_codes frequencies",
        )
        freq = frequencies.copy()
        for col in ("n_excerpts", "n_sessions"):
            freq[col] = text_counts(freq[col]).array
    freq = freq.dropna(subset=["research_question"])
    freq = freq[freq["n_excerpts"].fillna(0) > 0]
    freq = freq.assign(
        _ne=freq["n_excerpts"].astype("float64"), _ns=freq["n_sessions"].fillna(0).astype("float64")
    )
    freq = freq.sort_values(
        ["authority", "research_question", "_ne", "_ns", "code"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    freq["rank"] = freq.groupby(["authority", "research_question"]).cumcount().add(1)
    freq = freq[freq["rank"] <= top_n].astype({"rank": "int64"})
    if quotes is not None and len(quotes):
        first = quotes[quotes["rank"] == 1][["authority", "code", "quote", "attribution"]]
        freq = freq.merge(first, on=["authority", "code"], how="left")
    else:
        freq = freq.assign(
            quote=pd.Series(pd.NA, index=freq.index, dtype="string"),
            attribution=pd.Series(pd.NA, index=freq.index, dtype="string"),
        )
    return freq[list(LEADING_COLUMNS)].reset_index(drop=True)


def swot_evidence(consensus: pd.DataFrame, codebook: Mapping) -> pd.DataFrame:
    """Raw SWOT evidence per authority from the codebook's quadrant mapping.

    For every authority in ``consensus`` and every codebook code with a ``swot`` quadrant:
    the number of excerpts and of sessions whose consensus coding carries the code (zeros kept,
    so an empty quadrant shows as such). Rows ordered by authority, quadrant (strength,
    weakness, opportunity, threat) and codebook order.

    Returns ``authority, swot, code, label, theme, research_question, n_excerpts, n_sessions``
    (raw; publish through :func:`controlled_swot_evidence`). Quotes are a separate long table,
    :func:`swot_quotes`, one row per quote, rather than ``quote_1..quote_N`` columns.
    """
    freq = code_frequencies(consensus, codebook, by=["authority"], unit="code")
    freq = freq.dropna(subset=["swot"])
    freq["_q"] = swot_rank(freq["swot"])
    freq = freq.sort_values(["authority", "_q"], kind="stable")
    return freq[list(SWOT_EVIDENCE_COLUMNS)].reset_index(drop=True)


def controlled_swot_evidence(evidence: pd.DataFrame, rule) -> pd.DataFrame:
    """:func:`swot_evidence` as published under the disclosure scope rule
    (:mod:`analysis.coding.scope`): excerpts and sessions per code across the authority count
    text, so they are published as they are (Int64), never suppressed."""
    out = evidence.copy()
    for col in ("n_excerpts", "n_sessions"):
        out[col] = publish_counts(evidence[col], ["authority", "code"], rule).array
    return out


def swot_quotes(quotes: pd.DataFrame, *, n_quotes: int = 2) -> pd.DataFrame:
    """Up to ``n_quotes`` cleared quotes per authority and SWOT-mapped code (long table).

    ``quotes`` is the output of :func:`analysis.coding.quote_bank`. Returns ``authority, swot,
    code, quote_rank, attribution, quote`` ordered like :func:`swot_evidence`.
    """
    df = quotes.dropna(subset=["swot"])
    df = df[df["rank"] <= n_quotes]
    df = df.assign(_q=swot_rank(df["swot"]))
    df = df.sort_values(["authority", "_q", "code", "rank"], kind="stable")
    df = df.rename(columns={"rank": "quote_rank"})
    return df[list(SWOT_QUOTE_COLUMNS)].reset_index(drop=True)
