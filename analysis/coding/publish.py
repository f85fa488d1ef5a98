"""Publishing the coding analysis: raw tables, their disclosure-controlled versions and key
figures, for one authority or for the programme (all authorities pooled).

:func:`analyse` computes everything and writes nothing; :mod:`analysis.coding.job` reads the
inputs, calls it, writes the files and draws the figures. Statistics come from the concept
modules of :mod:`analysis.coding`; control from :mod:`analysis.core.disclosure`. Every
published file and column is documented in ``docs/outputs/coding.md``.

One count, one published value: the excerpts per code are published in several tables
(frequencies, leading codes, SWOT evidence, the co-occurrence diagonal). They all take the
``total`` column of the code x participant-role table, which is controlled *with secondary
suppression* (its row total is published next to the role cells), so no table publishes a
per-code count that another table suppressed to protect a role cell.
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
from analysis.coding.frequencies import code_frequencies, control_count_columns, role_crosstab
from analysis.coding.key_figures import coding_key_figures
from analysis.coding.quotes import QUOTE_PUBLIC_COLUMNS, quote_bank, screen_quotes
from analysis.coding.sheet import code_labels, codebook_table
from analysis.core.disclosure import DisclosureRule, control_counts, control_crosstab

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


def controlled_agreement(agreement: pd.DataFrame, labels, rule) -> tuple[pd.DataFrame, list]:
    """Agreement statistics as published (:func:`analysis.coding.round_statistic`); the
    columns counting excerpts or codings controlled; the number of coders (a count of
    people) left out. Returns the table and its count columns."""
    pub = agreement.drop(columns=["n_coders"])
    pub.insert(pub.columns.get_loc("code") + 1, "label", pub["code"].map(labels).astype("string"))
    pub = control_count_columns(pub, rule, ("n_excerpts", "n_present"))
    for col in ("percent_agreement", "kappa", "alpha"):
        pub[col] = pub[col].map(round_statistic).astype("float64")
    return pub, ["n_excerpts", "n_present"]


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
    if scope == PROGRAMME:
        by_authority = intercoder_agreement(coding, codes, by=["authority"])
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
    code_role = control_crosstab(code_role_raw, rule, margins=True)
    rq_role_raw = role_crosstab(freq_rq_role, "research_question", rqs)
    rq_role = control_crosstab(rq_role_raw, rule, margins=True)
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

    # ---- controlled (published) -------------------------------------------------------------
    code_total = code_role["total"].drop(index="total")  # per-code excerpts, one value everywhere
    freq_pub = freq_code.copy()
    freq_pub["n_excerpts"] = freq_pub["code"].map(code_total).astype("Int64")
    freq_pub["n_sessions"] = control_counts(freq_pub["n_sessions"], rule)
    published["frequencies"] = (freq_pub, ["n_excerpts", "n_sessions"])

    published["code_by_role"] = (
        wide_to_csv_frame(code_role, "code", labels),
        list(code_role.columns),
    )
    published["rq_by_role"] = (
        wide_to_csv_frame(rq_role, "research_question"),
        list(rq_role.columns),
    )

    cooc_pub = controlled_cooccurrence(cooc, rule)
    diagonal = cooc_pub["code_a"] == cooc_pub["code_b"]
    cooc_pub.loc[diagonal, "n_excerpts"] = cooc_pub.loc[diagonal, "code_a"].map(code_total)
    published["cooccurrence"] = (cooc_pub, ["n_excerpts"])
    published["agreement"] = controlled_agreement(agreement, labels, rule)

    per_code = quotes[quotes["rank"] <= quotes_per_code]
    published["quote_bank"] = (per_code[list(QUOTE_PUBLIC_COLUMNS)], [])

    leading = leading_codes(
        consensus,
        codebook,
        rule,
        quotes=quotes,
        top_n=leading_top_n,
        frequencies=freq_pub,
    )
    published["leading_codes"] = (leading, ["n_excerpts", "n_sessions"])

    swot = controlled_swot_evidence(swot_raw, rule)
    swot["n_excerpts"] = swot["code"].map(code_total).astype("Int64")
    published["swot_evidence"] = (swot, ["n_excerpts", "n_sessions"])
    published["swot_quotes"] = (swot_quote_table(per_code, n_quotes=swot_quotes), [])
    if by_authority is not None:
        published["agreement_by_authority"] = controlled_agreement(by_authority, labels, rule)

    key = coding_key_figures(
        scope=scope,
        rule=rule,
        consensus=consensus,
        screen=screen,
        agreement=agreement,
        leading=leading,
        labels=labels,
        research_questions=rqs,
        by_authority=by_authority,
    )
    return CodingResult(internal, published, key)
