"""The coding sheet and the codebook as the other coding modules read them.

Pure functions on the validated ``coding.csv`` / ``excerpts.csv`` tables described in
``docs/data-contracts.md`` and on the codebook (the parsed ``survey/codebook.yaml`` dict).

Conventions used by every coding module
---------------------------------------
* An excerpt is identified by ``(authority, excerpt_id)`` (ids are unique within an authority);
  a session by ``(authority, session_id)``.
* In ``coding`` an empty ``code`` means "this coder reviewed the excerpt and applied no code";
  a coder with no row for an excerpt did not code it (a *missing* coding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.core.text import parse_bool

CODING_COLUMNS = (
    "authority",
    "session_id",
    "excerpt_id",
    "participant_role",
    "coder",
    "is_adjudication",
    "code",
)
EXCERPT_COLUMNS = (
    "authority",
    "session_id",
    "excerpt_id",
    "participant_role",
    "cleared_for_publication",
    "text",
)
#: Columns that identify an excerpt (excerpt ids are unique within an authority only).
EXCERPT_KEY = ("authority", "excerpt_id")
#: The codebook's SWOT quadrants, in the order tables and reports show them.
SWOT_ORDER = ("strength", "weakness", "opportunity", "threat")
#: Columns of :func:`codebook_table`.
CODEBOOK_COLUMNS = ("code", "label", "theme", "research_question", "swot")


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the missing columns (never a value) of table ``what``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def check_consensus(consensus: pd.DataFrame) -> None:
    """Refuse a table that lacks the columns of :func:`analysis.coding.consensus_coding`."""
    require_columns(
        consensus,
        ["authority", "session_id", "excerpt_id", "participant_role", "code"],
        "consensus table",
    )


def bool_column(series: pd.Series, what: str) -> pd.Series:
    """Boolean column from bools or yes/no words (``analysis.core.text.parse_bool``).

    A missing value or a word that is neither yes nor no raises ``ValueError`` naming the
    column (``what``), never the value, which may be personal data.
    """
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool)
    parsed = series.map(parse_bool, na_action=None)
    if parsed.isna().any():
        raise ValueError(f"{what}: expected true/false values")
    return parsed.astype(bool)


def normalise_coding(coding: pd.DataFrame) -> pd.DataFrame:
    """Return ``coding`` with ``code`` stripped (empty -> <NA>) and ``is_adjudication`` as bool.

    Raises ``ValueError`` naming the missing column when the table does not follow the
    ``coding.csv`` contract. Rows are sorted by excerpt, coder and code.
    """
    require_columns(coding, CODING_COLUMNS, "coding table")
    df = coding.loc[:, list(CODING_COLUMNS)].copy()
    for col in ("authority", "session_id", "excerpt_id", "participant_role", "coder", "code"):
        df[col] = df[col].astype("string").str.strip()
    df["code"] = df["code"].mask(df["code"] == "")
    df["is_adjudication"] = bool_column(
        df["is_adjudication"], "coding table column is_adjudication"
    )
    return df.sort_values(
        ["authority", "excerpt_id", "is_adjudication", "coder", "code"], na_position="first"
    ).reset_index(drop=True)


def codebook_table(codebook: Mapping) -> pd.DataFrame:
    """Codes of the codebook as a table: code, label, theme, research_question, swot.

    Rows keep the codebook's order (the order reports show codes in).
    """
    rows = []
    for entry in codebook.get("codes", []) or []:
        rows.append(
            {
                "code": str(entry["id"]),
                "label": entry.get("label"),
                "theme": entry.get("theme"),
                "research_question": entry.get("research_question"),
                "swot": entry.get("swot"),
            }
        )
    out = pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))
    if out["code"].duplicated().any():
        raise ValueError("codebook: code ids must be unique")
    bad = out["swot"].notna() & ~out["swot"].isin(SWOT_ORDER)
    if bad.any():
        raise ValueError(f"codebook: swot must be one of {', '.join(SWOT_ORDER)}")
    return out.astype("string")


def code_labels(codebook: Mapping) -> dict[str, str]:
    """Map code id -> label, in codebook order."""
    book = codebook_table(codebook)
    return dict(zip(book["code"], book["label"], strict=True))


def role_labels(codebook: Mapping) -> dict[str, str]:
    """Map participant-role id -> label from the codebook (id itself when no label)."""
    return {
        str(r["id"]): str(r.get("label") or r["id"])
        for r in (codebook.get("participant_roles", []) or [])
    }


def swot_rank(swot: pd.Series) -> pd.Series:
    """Position of each quadrant in :data:`SWOT_ORDER` (for sorting)."""
    return swot.map({q: i for i, q in enumerate(SWOT_ORDER)})
