"""The reliability of each code, carried by every published table that names a code.

A code's ``reliability`` is the Krippendorff reading of its inter-coder alpha (nominal,
:func:`analysis.coding.alpha_band`: ``reliable`` >= 0.800, ``tentative`` >= 0.667, ``not
reliable`` below; ``docs/reference/research-methods.md``, "Workshop and interview coding"), or
``undefined`` when the code has no defined alpha (never applied, no variation, one coder).

Which agreement applies where (``docs/outputs/coding.md``, "Reliability of codes"):

* a council's tables carry the council's own per-code agreement: its counts rest on the
  consensus of its own coders;
* the programme's pooled tables (frequencies, leading codes, SWOT evidence, co-occurrence,
  code x role) carry the pooled agreement of every council's codings;
* a quote is one council's excerpt, coded by that council's coders, so a quote carries the
  reading of the code in the council it comes from, in the programme's quote tables too;
* a co-occurrence cell carries the weaker reading of its two codes (a pair is only as well
  coded as its less reliable code), in the order ``not reliable`` < ``undefined`` <
  ``tentative`` < ``reliable``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.coding.agreement import alpha_band

#: The readings, from the strongest; ``undefined``: no defined alpha.
RELIABILITY_LEVELS = ("reliable", "tentative", "undefined", "not reliable")
UNDEFINED = "undefined"

__all__ = [
    "RELIABILITY_LEVELS",
    "UNDEFINED",
    "code_reliability",
    "reliability_of",
    "weaker",
    "with_reliability",
]


def reliability_of(alpha) -> str:
    """The reading of one alpha: its Krippendorff band, or ``undefined`` for NaN/None."""
    return alpha_band(alpha) or UNDEFINED


def weaker(a: str, b: str) -> str:
    """The weaker of two readings (order of :data:`RELIABILITY_LEVELS`, strongest first)."""
    rank = {r: i for i, r in enumerate(RELIABILITY_LEVELS)}
    return a if rank[a] >= rank[b] else b


def code_reliability(agreement: pd.DataFrame, by: Sequence[str] = ()) -> pd.Series:
    """Reading of each code from an :func:`analysis.coding.intercoder_agreement` table (its
    ``scope = code`` rows), indexed by ``(*by, code)`` (just ``code`` when ``by`` is empty)."""
    rows = agreement[agreement["scope"] == "code"]
    keys = [*by, "code"]
    values = [reliability_of(a) for a in rows["alpha"]]
    index = pd.MultiIndex.from_frame(rows[keys]) if by else pd.Index(rows["code"], name="code")
    return pd.Series(values, index=index, name="reliability", dtype="string")


def with_reliability(
    table: pd.DataFrame,
    reliability: pd.Series,
    *,
    code: str = "code",
    by: Sequence[str] = (),
    name: str = "reliability",
) -> pd.DataFrame:
    """``table`` with a ``name`` column: the reading of its ``code`` column (looked up with the
    ``by`` columns first when ``reliability`` is indexed by them). A code with no agreement row
    (not in the codebook, or a ``total`` row) is ``<NA>``."""
    keys = [*by, code]
    lookup = dict(zip(reliability.index, reliability, strict=True))
    if by:
        values = [lookup.get(tuple(r)) for r in table[keys].itertuples(index=False)]
    else:
        values = [lookup.get(c) for c in table[code]]
    out = table.copy()
    out[name] = pd.array(values, dtype="string")
    return out
