"""Which workshop evidence a finding may rest on (review finding 8, issue 12 point 6).

A workshop code is evidence for a finding only when its coders agreed at Krippendorff's
threshold or above (alpha >= 0.667: reading ``reliable`` or ``tentative``, Krippendorff 2004,
p. 241; ``docs/reference/research-methods.md``). A code below it is not relied on, alone or
as the leading evidence: the reports then use other evidence (survey items, the journey
register) or say plainly that the workshops did not establish the point.

Where a council's own agreement rests on too few excerpts to judge (fewer than
:data:`analysis.coding.MIN_APPLIED` excerpts with the code: ``too few to judge``), the code's
pooled reading across every council's coding is used instead, and the text says so: the
codebook and the coders' instructions are the same everywhere, so the pooled reading is the
best measure of how reliably the code is applied.

:func:`choose_codes` makes the choice (unit-tested); :func:`codes_words` and
:func:`unestablished_words` only word it.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding import TOO_FEW, USABLE
from analysis.core import formatting as fmt

#: What a reading means for a finding that rests on it, in words.
READING_WORDS = {
    "tentative": "tentative: coders agreed only moderately",
    "not reliable": "not reliable: coders agreed too little, alpha below 0.667",
    "undefined": "agreement not measurable",
    TOO_FEW: "too few excerpts to judge the coders' agreement",
}


def usable(reading) -> bool:
    """True when a finding may rest on a code with this reading."""
    return str(reading) in USABLE


def effective_reading(own, pooled=None) -> tuple[str, str]:
    """``(reading, basis)``: the code's own reading (basis ``own``), or, when that is
    ``too few to judge`` and a pooled reading is known, the pooled one (basis ``pooled``)."""
    own = str(own)
    if own == TOO_FEW and pooled is not None and not pd.isna(pooled):
        return str(pooled), "pooled"
    return own, "own"


def choose_codes(
    codes: pd.DataFrame,
    *,
    rq: str | None = None,
    swot: str | None = None,
    n: int = 2,
    pooled: dict | None = None,
) -> dict:
    """The evidence a finding may cite from a table of codes (``code, label,
    research_question, swot, n_excerpts, reliability``: a published SWOT evidence or code
    frequency table), restricted to a research question or SWOT quadrant.

    ``codes``: the ``n`` codes with most excerpts whose reading is usable (reliable or
    tentative; a council's ``too few to judge`` replaced by ``pooled[code]``, the programme's
    reading), most excerpts first. ``unestablished``: the codes whose reading is not usable
    among the ``n`` most heard and those heard at least as often as the last code chosen:
    voiced, but not established by the coding. A suppressed count (``<NA>``) is no
    evidence. Each entry: ``code, label, n_excerpts, reliability, basis``.
    """
    df = codes
    if rq is not None:
        df = df[df["research_question"] == rq]
    if swot is not None:
        df = df[df["swot"] == swot]
    df = df[df["n_excerpts"].fillna(0) > 0]
    df = df.sort_values(["n_excerpts", "code"], ascending=[False, True], kind="stable")
    rows = []
    for _, r in df.iterrows():
        reading, basis = effective_reading(r["reliability"], (pooled or {}).get(r["code"]))
        rows.append(
            {
                "code": str(r["code"]),
                "label": str(r["label"]),
                "n_excerpts": int(r["n_excerpts"]),
                "reliability": reading,
                "basis": basis,
            }
        )
    chosen = [r for r in rows if usable(r["reliability"])][:n]
    floor = chosen[-1]["n_excerpts"] if chosen else None
    heard = [
        r for i, r in enumerate(rows) if i < n or (floor is not None and r["n_excerpts"] >= floor)
    ]
    unestablished = [r for r in heard if not usable(r["reliability"])]
    return {"codes": chosen, "unestablished": unestablished}


def lower_label(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("NHS", "A&E")."""
    text = str(text)
    first = text.split(" ", 1)[0]
    keep = first.isupper() and (len(first) > 1 or first == "I")
    return text if keep else text[:1].lower() + text[1:]


def code_note(c: dict) -> str:
    """``(12 excerpts)``, ``(9 excerpts; tentative: ...)``; a reading borrowed from the pooled
    coding says so: ``(4 excerpts; too few here to judge the coders' agreement, reliable
    across all councils)``."""
    n = f"{fmt.number(c['n_excerpts'])} excerpts"
    if c.get("basis") == "pooled":
        return f"({n}; too few here to judge the coders' agreement, {c['reliability']} across all councils)"
    note = READING_WORDS.get(c["reliability"])
    return f"({n}; {note})" if note else f"({n})"


def codes_words(codes: list[dict]) -> str:
    """“data used in decisions” (63 excerpts) and “reporting burden” (27 excerpts;
    tentative: ...)."""
    return fmt.prose_list(f"“{lower_label(c['label'])}” {code_note(c)}" for c in codes)


def unestablished_words(codes: list[dict], what: str = "it", *, also: bool = True) -> str:
    """A sentence saying which voiced codes the coding does not establish, or ``""``
    (``also``: other evidence was cited before it)."""
    if not codes:
        return ""
    names = fmt.prose_list(
        f"“{lower_label(c['label'])}” ({fmt.number(c['n_excerpts'])} excerpts)" for c in codes
    )
    those = "that code" if len(codes) == 1 else "those codes"
    return (
        f"The workshops {'also ' if also else ''}raised {names}, but the coders did not apply "
        f"{those} reliably enough (alpha below 0.667, or too few excerpts to judge) to "
        f"establish {what}."
    )
