"""Publishing the coding analysis: raw tables, their disclosure-controlled versions and key
figures, for one authority or for the programme (all authorities pooled).

:func:`analyse` computes everything and writes nothing; :mod:`analysis.coding.job` reads the
inputs, calls it, writes the files and draws the figures. Statistics come from the concept
modules of :mod:`analysis.coding`; control from :mod:`analysis.core.disclosure`. Every
published file and column is documented in ``docs/outputs/coding.md``.

What is controlled follows one rule (:mod:`analysis.coding.scope`): counts of text
(excerpts, code applications, sessions) council-wide, programme-wide, per code or per code
pair are published as they are; counts narrowed to a participant role are controlled; and a
count whose excerpts all come from sessions totalling 1 to ``rule.min_count - 1``
participants is suppressed wherever it appears (:func:`narrowed_units`). So the excerpts per
code take one value everywhere (frequencies, leading codes, SWOT evidence, the co-occurrence
diagonal, the ``total`` column of the code x role table), and the role cells of the code x
role table are controlled knowing that those totals are public
(:func:`analysis.coding.scope.control_role_table`).

Every table that names a code carries its ``reliability`` (:mod:`analysis.coding.reliability`:
the scope's own agreement; a quote, the agreement of the council it comes from).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.coding.agreement import intercoder_agreement, round_statistic
from analysis.coding.consensus import consensus_coding
from analysis.coding.cooccurrence import code_cooccurrence, controlled_cooccurrence
from analysis.coding.evidence import (
    controlled_swot_evidence,
    leading_codes,
    swot_evidence,
)
from analysis.coding.evidence import swot_quotes as swot_quote_table
from analysis.coding.frequencies import code_frequencies, role_crosstab
from analysis.coding.key_figures import coding_key_figures
from analysis.coding.quotes import QUOTE_PUBLIC_COLUMNS, quote_bank, screen_quotes
from analysis.coding.reliability import code_reliability, weaker, with_reliability
from analysis.coding.scope import (
    control_role_table,
    narrowed,
    pair_participants,
    participants_behind,
    publish_counts,
    session_attendance,
    suppress_narrowed,
)
from analysis.coding.sheet import code_labels, codebook_table, normalise_coding
from analysis.core.disclosure import DisclosureRule

#: The scope (and pooled ``authority`` value) of the programme-level analysis.
PROGRAMME = "programme"


@dataclass
class CodingResult:
    """Raw tables, controlled tables with their count columns, and key figures."""

    internal: dict = field(default_factory=dict)
    published: dict = field(default_factory=dict)
    key_figures: dict = field(default_factory=dict)


def pool(df: pd.DataFrame) -> pd.DataFrame:
    """One 'programme' group: ids prefixed with their authority so they stay unique."""
    out = df.copy()
    for col in ("excerpt_id", "session_id"):
        out[col] = out["authority"] + ":" + out[col]
    out["authority"] = PROGRAMME
    return out


def attribute_pooled_quotes(quotes: pd.DataFrame, authority_names: Mapping[str, str]):
    """Pooled quotes say which council they come from: ``<role label>, <council name>``
    (the council id when it has no name). The authority is the prefix :func:`pool` gave the
    excerpt id."""
    out = quotes.copy()
    source = out["excerpt_id"].str.split(":", n=1).str[0]
    names = dict(authority_names)
    out["attribution"] = out["attribution"] + ", " + source.map(names).fillna(source)
    return out


def wide_to_csv_frame(wide: pd.DataFrame, unit: str, labels=None) -> pd.DataFrame:
    """A ``unit`` x role table as a CSV frame: the unit as a column, then its label if given."""
    out = wide.copy()
    out.index.name = unit
    out.columns.name = None
    out = out.reset_index()
    if labels is not None:
        out.insert(1, "label", out[unit].map(labels).astype("string"))
    return out


def narrowed_units(basis: pd.DataFrame, rule, unit: str = "code") -> set:
    """The ``(authority, unit)`` pairs of a :func:`analysis.coding.scope.participants_behind`
    table whose count rests on 1 to ``rule.min_count - 1`` participants."""
    small = basis[narrowed(basis["n_participants"].to_numpy(), rule).to_numpy()]
    return set(zip(small["authority"], small[unit], strict=True))


def _suppress_units(table: pd.DataFrame, cols, small: set, unit: str = "code") -> pd.DataFrame:
    """``table`` with its count columns ``cols`` suppressed (``<NA>``) on the rows whose
    ``(authority, unit)`` is in ``small``."""
    out = table.copy()
    hit = pd.Series(
        [(a, u) in small for a, u in zip(out["authority"], out[unit], strict=True)],
        index=out.index,
    )
    for col in cols:
        out[col] = pd.Series(out[col], index=out.index).astype("Int64").mask(hit).array
    return out


def applied_basis(coding: pd.DataFrame, attendance: pd.Series, by=("authority",)):
    """People behind each code's independent codings (any coder applying it): the basis of
    the agreement table's per-code counts."""
    independent = normalise_coding(coding)
    independent = independent[~independent["is_adjudication"]]
    return participants_behind(independent, attendance, by=by, unit="code")


def controlled_agreement(
    agreement: pd.DataFrame, labels, rule, small: set = frozenset()
) -> tuple[pd.DataFrame, list]:
    """Agreement statistics as published (:func:`analysis.coding.round_statistic`) with each
    row's ``reliability``; the columns counting double-coded excerpts and codings are counts of
    text, published as they are (:mod:`analysis.coding.scope`), except a code's ``n_present``
    when its codings all come from a small group of participants (``small``: ``(authority,
    code)`` pairs, :func:`narrowed_units`); the number of coders (a count of people) left out.
    Returns the table and its controlled count columns (none)."""
    from analysis.coding.reliability import reliability_reading

    pub = agreement.drop(columns=["n_coders"])
    pub.insert(pub.columns.get_loc("code") + 1, "label", pub["code"].map(labels).astype("string"))
    by = [c for c in ("authority",) if c in pub.columns]
    counts = [c for c in ("n_excerpts", "n_present", "n_applied") if c in pub.columns]
    for col in counts:
        pub[col] = publish_counts(pub[col], by, rule).array
    pub = _suppress_units(pub, [c for c in counts if c != "n_excerpts"], set(small))
    applied = agreement["n_applied"] if "n_applied" in agreement else [None] * len(pub)
    pub["reliability"] = pd.array(
        [reliability_reading(a, n) for a, n in zip(pub["alpha"], applied, strict=True)],
        dtype="string",
    )
    for col in ("percent_agreement", "kappa", "alpha"):
        pub[col] = pub[col].map(round_statistic).astype("float64")
    return pub, []


def quote_reliability(
    quotes: pd.DataFrame, reliability: pd.Series, by_authority: pd.DataFrame | None
) -> pd.DataFrame:
    """Quotes with the ``reliability`` of their code where the quote was coded: the scope's
    own reading for a council; for the programme (``by_authority`` given, excerpt ids
    prefixed by :func:`pool`) the reading in the council each quote comes from."""
    if by_authority is None:
        return with_reliability(quotes, reliability)
    source = quotes["excerpt_id"].str.split(":", n=1).str[0]
    per_council = code_reliability(by_authority, by=["authority"])
    out = with_reliability(quotes.assign(_source=source), per_council, by=["_source"])
    return out.drop(columns="_source")


def _with_level(by_role: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """Long frequency table: the per-role rows, then the authority rows (role <NA>)."""
    return pd.concat(
        [
            by_role.assign(level="participant_role"),
            whole.assign(participant_role=pd.NA, level="authority"),
        ]
    )


def analyse(
    coding: pd.DataFrame,
    excerpts: pd.DataFrame,
    codebook: dict,
    rule: DisclosureRule,
    scope: str,
    *,
    extra_patterns=(),
    quotes_per_code: int = 5,
    leading_top_n: int = 3,
    swot_quotes: int = 2,
    authority_names: dict | None = None,
) -> CodingResult:
    """All coding tables of one authority (``scope`` = its id) or of the programme (pooled).

    Returns the raw tables (internal), the controlled tables with their count columns
    (published) and the key figures. Nothing is written here.
    """
    book = codebook_table(codebook)
    codes = book["code"].tolist()
    labels = code_labels(codebook)
    rqs = book["research_question"].dropna().drop_duplicates().tolist()
    extra = list(extra_patterns)
    internal: dict[str, pd.DataFrame] = {}
    published: dict[str, tuple[pd.DataFrame, list[str]]] = {}
    by_authority = None
    council_small: set = set()
    if scope == PROGRAMME:
        by_authority = intercoder_agreement(coding, codes, by=["authority"])
        # each council's codings against its own sessions, for its row of the comparison
        council_small = narrowed_units(applied_basis(coding, session_attendance(excerpts)), rule)
        coding, excerpts = pool(coding), pool(excerpts)
    elif set(coding["authority"]) - {scope} or set(excerpts["authority"]) - {scope}:
        raise ValueError(f"coding tables of {scope}: rows of another authority found")

    # ---- raw (internal) ---------------------------------------------------------------------
    consensus = consensus_coding(coding)
    by_role = ["authority", "participant_role"]
    freq_code = code_frequencies(consensus, codebook, by=["authority"])
    freq_code_role = code_frequencies(consensus, codebook, by=by_role)
    freq_rq = code_frequencies(consensus, codebook, by=["authority"], unit="research_question")
    freq_rq_role = code_frequencies(consensus, codebook, by=by_role, unit="research_question")
    code_role_raw = role_crosstab(freq_code_role, "code", codes)
    rq_role_raw = role_crosstab(freq_rq_role, "research_question", rqs)
    cooc = code_cooccurrence(consensus, codes)
    agreement = intercoder_agreement(coding, codes)
    screen = screen_quotes(excerpts, extra_patterns=extra)
    quotes = quote_bank(excerpts, consensus, codebook, extra_patterns=extra)
    if scope == PROGRAMME:
        quotes = attribute_pooled_quotes(quotes, authority_names or {})
    swot_raw = swot_evidence(consensus, codebook)

    internal["consensus"] = consensus
    internal["frequencies_raw"] = _with_level(freq_code_role, freq_code)
    internal["rq_frequencies_raw"] = _with_level(freq_rq_role, freq_rq)
    internal["code_by_role_raw"] = wide_to_csv_frame(code_role_raw, "code", labels)
    internal["rq_by_role_raw"] = wide_to_csv_frame(rq_role_raw, "research_question")
    internal["cooccurrence_raw"] = cooc
    internal["agreement_raw"] = agreement
    internal["quote_screen"] = screen
    internal["quote_bank_raw"] = quotes
    internal["swot_raw"] = swot_raw

    # ---- published: text counts as they are, role cells controlled, and every count whose
    # excerpts all come from a small group of participants suppressed (analysis.coding.scope)
    rel = code_reliability(agreement)  # the scope's own agreement (pooled for the programme)
    attendance = session_attendance(excerpts)
    basis = participants_behind(consensus, attendance, unit="code")
    small = narrowed_units(basis, rule)
    rq_of = book.set_index("code")["research_question"]
    rq_basis = participants_behind(
        consensus.assign(research_question=consensus["code"].map(rq_of)),
        attendance,
        unit="research_question",
    )
    small_rq = narrowed_units(rq_basis, rule, unit="research_question")
    internal["session_basis"] = (
        basis.merge(
            freq_code[["authority", "code", "n_excerpts"]], on=["authority", "code"], how="right"
        )
        .fillna({"n_participants": 0})
        .astype({"n_participants": "int64"})
    )
    text = ["authority"]  # breakdown of the per-code tables: council (or programme) wide
    freq_pub = freq_code.copy()
    for col in ("n_excerpts", "n_sessions"):
        freq_pub[col] = publish_counts(freq_pub[col], [*text, "code"], rule)
    freq_pub = _suppress_units(freq_pub, ["n_excerpts", "n_sessions"], small)
    published["frequencies"] = (with_reliability(freq_pub, rel), [])

    code_role = control_role_table(
        code_role_raw, rule, narrow_units=[c for a, c in small if a == scope]
    )
    roles = [c for c in code_role.columns if c != "total"]
    code_role_pub = with_reliability(wide_to_csv_frame(code_role, "code", labels), rel)
    published["code_by_role"] = (code_role_pub, roles)
    rq_role = control_role_table(
        rq_role_raw, rule, narrow_units=[q for a, q in small_rq if a == scope]
    )
    published["rq_by_role"] = (
        wide_to_csv_frame(rq_role, "research_question"),
        [c for c in rq_role.columns if c != "total"],
    )

    cooc_pub = controlled_cooccurrence(cooc, rule)
    pairs = pair_participants(consensus, attendance)
    cooc_pub = cooc_pub.merge(pairs, on=["authority", "code_a", "code_b"], how="left")
    cooc_pub["n_excerpts"] = suppress_narrowed(
        cooc_pub["n_excerpts"], cooc_pub["n_participants"].fillna(0), rule
    ).array
    cooc_pub = cooc_pub.drop(columns="n_participants")
    cooc_pub = with_reliability(cooc_pub, rel, code="code_a", name="reliability_a")
    cooc_pub = with_reliability(cooc_pub, rel, code="code_b", name="reliability_b")
    cooc_pub["reliability"] = pd.array(
        [
            weaker(a, b)
            for a, b in zip(cooc_pub["reliability_a"], cooc_pub["reliability_b"], strict=True)
        ],
        dtype="string",
    )
    published["cooccurrence"] = (cooc_pub, [])
    applied_small = narrowed_units(applied_basis(coding, attendance), rule)
    published["agreement"] = controlled_agreement(agreement, labels, rule, applied_small)

    per_code = quote_reliability(quotes[quotes["rank"] <= quotes_per_code], rel, by_authority)
    published["quote_bank"] = (per_code[[*QUOTE_PUBLIC_COLUMNS, "reliability"]], [])

    leading = leading_codes(
        consensus,
        codebook,
        rule,
        quotes=quotes,
        top_n=leading_top_n,
        frequencies=freq_pub,
    )
    leading = with_reliability(leading, rel)
    published["leading_codes"] = (leading, [])

    swot = controlled_swot_evidence(swot_raw, rule)
    swot = with_reliability(_suppress_units(swot, ["n_excerpts", "n_sessions"], small), rel)
    published["swot_evidence"] = (swot, [])
    sq = swot_quote_table(per_code, n_quotes=swot_quotes)
    sq_rel = per_code.set_index(["authority", "code", "rank"])["reliability"]
    sq["reliability"] = pd.array(
        [
            sq_rel.get((a, c, r))
            for a, c, r in zip(sq["authority"], sq["code"], sq["quote_rank"], strict=True)
        ],
        dtype="string",
    )
    published["swot_quotes"] = (sq, [])
    if by_authority is not None:
        published["agreement_by_authority"] = controlled_agreement(
            by_authority, labels, rule, council_small
        )

    key = coding_key_figures(
        scope=scope,
        rule=rule,
        consensus=consensus,
        screen=screen,
        agreement=agreement,
        leading=leading,
        labels=labels,
        research_questions=rqs,
        book=book,
        by_authority=by_authority,
    )
    return CodingResult(internal, published, key)
