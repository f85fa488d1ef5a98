"""Quotes: which excerpts may be quoted, and the quote bank per code (role labels only)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.coding.sheet import (
    EXCERPT_COLUMNS,
    EXCERPT_KEY,
    bool_column,
    check_consensus,
    codebook_table,
    require_columns,
    role_labels,
)

#: Columns of :func:`quote_bank` that may be published (no excerpt, session or coder id).
QUOTE_PUBLIC_COLUMNS = ("authority", "code", "label", "rank", "attribution", "quote")
#: Columns of :func:`quote_bank`.
QUOTE_BANK_COLUMNS = (
    "authority",
    "code",
    "label",
    "research_question",
    "swot",
    "rank",
    "excerpt_id",
    "participant_role",
    "attribution",
    "quote",
)


def screen_quotes(excerpts: pd.DataFrame, *, extra_patterns: Sequence = ()) -> pd.DataFrame:
    """Which excerpts may be quoted: cleared for publication *and* passing the PII gate again.

    The privacy gate of ``docs/reference/privacy-and-disclosure.md`` (direct identifiers in
    text) is re-applied to the text with ``analysis.core.pii.find_identifiers_in_text`` (and
    the council's ``extra_patterns``) in its stricter form (``strict=True``): a quote is
    published verbatim and leaving one out costs little, so text only *shaped* like an
    identifier (a ten-digit number in 3-3-4 whatever its check digit, a National Insurance-
    shaped code with any prefix, an @ handle, a year next to "born") is not quoted either.

    Returns ``authority, excerpt_id, quotable, reason`` (reason: ``not cleared for
    publication``, ``empty text`` or ``identifier found: <kinds>``; never the text itself).
    """
    from analysis.core.pii import find_identifiers_in_text

    require_columns(excerpts, EXCERPT_COLUMNS, "excerpts table")
    cleared = bool_column(
        excerpts["cleared_for_publication"], "excerpts column cleared_for_publication"
    )
    rows = []
    for ok, (_, row) in zip(cleared, excerpts.iterrows(), strict=True):
        text = row["text"]
        if not ok:
            reason = "not cleared for publication"
        elif pd.isna(text) or not str(text).strip():
            reason = "empty text"
        else:
            kinds = find_identifiers_in_text(str(text), extra_patterns, strict=True)
            reason = "identifier found: " + ", ".join(sorted(set(kinds))) if kinds else ""
        rows.append((row["authority"], row["excerpt_id"], not reason, reason or None))
    out = pd.DataFrame(rows, columns=["authority", "excerpt_id", "quotable", "reason"])
    out = out.astype({"authority": "string", "excerpt_id": "string", "reason": "string"})
    out["quotable"] = out["quotable"].astype(bool)
    return out.sort_values(list(EXCERPT_KEY), kind="stable").reset_index(drop=True)


def _stable_rank_key(seed: str, *parts: str) -> str:
    return hashlib.sha256("\x1f".join((seed, *parts)).encode("utf-8")).hexdigest()


def quote_bank(
    excerpts: pd.DataFrame,
    consensus: pd.DataFrame,
    codebook: Mapping,
    *,
    extra_patterns: Sequence = (),
    max_per_code: int | None = None,
    seed: str = "quote-bank",
) -> pd.DataFrame:
    """Quotable excerpts per authority and code, attributed by participant-role label only.

    Only excerpts with ``cleared_for_publication`` True that pass the PII gate again
    (:func:`screen_quotes`) and carry the code in the consensus coding are listed. Order within
    (authority, code) is deterministic and unrelated to input order: the SHA-256 of ``seed``,
    authority, code and excerpt id (a seeded pseudo-random draw, so the first quotes are not
    always from the first session); ``max_per_code`` keeps the first N.

    Returns ``authority, code, label, research_question, swot, rank, excerpt_id,
    participant_role, attribution, quote``. ``excerpt_id`` is for tracing back internally; the
    publishable subset is :data:`QUOTE_PUBLIC_COLUMNS` (no excerpt, session or coder id, never
    a name). Text that goes to a CSV/XLSX must still be neutralised against formula injection
    by the writer.
    """
    check_consensus(consensus)
    key = list(EXCERPT_KEY)
    screen = screen_quotes(excerpts, extra_patterns=extra_patterns)
    ok = screen[screen["quotable"]][key]
    text = excerpts[key + ["text"]].astype({"authority": "string", "excerpt_id": "string"})
    applied = consensus.dropna(subset=["code"])[key + ["participant_role", "code"]]
    df = applied.merge(ok, on=key).merge(text, on=key, how="left")
    book = codebook_table(codebook)
    df = df.merge(book[["code", "label", "research_question", "swot"]], on="code", how="left")
    labels = role_labels(codebook)
    df["attribution"] = df["participant_role"].map(lambda r: labels.get(r, r)).astype("string")
    df["_key"] = [
        _stable_rank_key(seed, a, c, e)
        for a, c, e in zip(df["authority"], df["code"], df["excerpt_id"], strict=True)
    ]
    df = df.sort_values(["authority", "code", "_key"], kind="stable")
    df["rank"] = df.groupby(["authority", "code"]).cumcount().add(1).astype("int64")
    if max_per_code is not None:
        df = df[df["rank"] <= max_per_code]
    df = df.rename(columns={"text": "quote"})
    df["quote"] = df["quote"].astype("string").str.strip()
    return df[list(QUOTE_BANK_COLUMNS)].reset_index(drop=True)
