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
  coded as its less reliable code), in the order ``not reliable`` < ``too few to judge`` <
  ``undefined`` < ``tentative`` < ``reliable``.

**Too few to judge.** A reading is given only when at least :data:`MIN_APPLIED` of the
double-coded excerpts had the code applied by at least one coder; below that the code reads
``too few to judge`` (its alpha is still published). Why 10: with a code present on n of
about 150 double-coded excerpts, one coder's decision on one excerpt moves alpha by about
0.2 at n = 4 and 0.1 at n = 8 (e.g. 0.851 to 0.760: from reliable to tentative), as much as
the width of the tentative band (0.133); from n = 10 a single decision moves it by about 0.06
or less, so a band rests on more than one or two decisions (``tests/test_coding_scope.py``
recomputes these swings). A council's handful of excerpts of a code thus gives no reading of
its own; the programme's pooled reading, on every council's excerpts, is the one to use
(``analysis.report.evidence``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.coding.agreement import alpha_band

#: The readings, from the strongest; ``undefined``: no defined alpha; ``too few to judge``:
#: alpha rests on fewer than :data:`MIN_APPLIED` excerpts with the code.
RELIABILITY_LEVELS = ("reliable", "tentative", "undefined", "too few to judge", "not reliable")
UNDEFINED = "undefined"
TOO_FEW = "too few to judge"
#: Excerpts (double-coded, the code applied by at least one coder) a reading needs.
MIN_APPLIED = 10
#: Readings at or above Krippendorff's 0.667: evidence a finding may rest on.
USABLE = ("reliable", "tentative")

__all__ = [
    "MIN_APPLIED",
    "RELIABILITY_LEVELS",
    "TOO_FEW",
    "UNDEFINED",
    "USABLE",
    "code_reliability",
    "reliability_of",
    "reliability_reading",
    "weaker",
    "with_reliability",
]


def reliability_of(alpha) -> str:
    """The reading of one alpha: its Krippendorff band, or ``undefined`` for NaN/None."""
    return alpha_band(alpha) or UNDEFINED


def reliability_reading(alpha, n_applied=None) -> str:
    """The reading a table shows: :func:`reliability_of` the alpha, or :data:`TOO_FEW` when
    fewer than :data:`MIN_APPLIED` excerpts carry the code (``n_applied`` None: not known,
    the alpha's band)."""
    if n_applied is not None and not pd.isna(n_applied) and int(n_applied) < MIN_APPLIED:
        if alpha is not None and not pd.isna(alpha):
            return TOO_FEW
    return reliability_of(alpha)


def weaker(a: str, b: str) -> str:
    """The weaker of two readings (order of :data:`RELIABILITY_LEVELS`, strongest first)."""
    rank = {r: i for i, r in enumerate(RELIABILITY_LEVELS)}
    return a if rank[a] >= rank[b] else b


def code_reliability(agreement: pd.DataFrame, by: Sequence[str] = ()) -> pd.Series:
    """Reading of each code from an :func:`analysis.coding.intercoder_agreement` table (its
    ``scope = code`` rows; :func:`reliability_reading`, so a code on fewer than
    :data:`MIN_APPLIED` excerpts is ``too few to judge``), indexed by ``(*by, code)`` (just
    ``code`` when ``by`` is empty)."""
    rows = agreement[agreement["scope"] == "code"]
    keys = [*by, "code"]
    applied = rows["n_applied"] if "n_applied" in rows.columns else [None] * len(rows)
    values = [reliability_reading(a, n) for a, n in zip(rows["alpha"], applied, strict=True)]
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
