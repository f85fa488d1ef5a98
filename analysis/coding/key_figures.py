"""Key figures of the coding stage: the numbers and code names the reports quote.

:func:`coding_key_figures` assembles the ``key_figures.yaml`` of one authority or of the
programme from tables :func:`analysis.coding.publish.analyse` has already computed. The counts
(excerpts, sessions, quotable and double-coded excerpts, all across the scope) are counts of
text and are published as they are (:mod:`analysis.coding.scope`); statistics are rounded as in the published agreement table
(:func:`analysis.coding.agreement.round_statistic`). The shape is fixed by
``workflow/schemas/key_figures/coding_authority.schema.yaml`` and
``coding_programme.schema.yaml`` (the programme adds the ``codes_below_threshold_*``
comparisons across authorities). Keys are never renamed: the report layer reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.coding.agreement import round_statistic
from analysis.coding.reliability import reliability_of
from analysis.coding.scope import text_counts
from analysis.coding.sheet import SWOT_ORDER


def controlled_int(n, rule) -> int | None:
    """One count through ``disclosure.control_counts``: an int, or None when suppressed."""
    from analysis.core.disclosure import control_counts

    value = control_counts(pd.Series([int(n)]), rule).iloc[0]
    return None if pd.isna(value) else int(value)


def text_count(n) -> int:
    """A count of text for the key figures: the whole number as it is
    (:mod:`analysis.coding.scope`)."""
    return int(text_counts([n]).iloc[0])


def flagged_codes_by(
    agreement: pd.DataFrame, book: pd.DataFrame, column: str, keys: Sequence[str]
) -> dict[str, list[str]]:
    """Labels of the codes whose alpha is below :data:`~analysis.coding.ALPHA_TENTATIVE`
    ("not reliable"), grouped by the codebook ``column`` (``research_question`` or ``swot``):
    every key in ``keys`` present (an empty list when none is flagged), then any other key a
    flagged code has; codes in codebook order."""
    rows = agreement[agreement["scope"] == "code"].set_index("code")
    out: dict[str, list[str]] = {k: [] for k in keys}
    for code, label, key in zip(book["code"], book["label"], book[column], strict=True):
        if pd.isna(key) or code not in rows.index:
            continue
        if reliability_of(rows.loc[code, "alpha"]) == "not reliable":
            out.setdefault(str(key), []).append(str(label))
    return out


def _text_or_none(value) -> str | None:
    return None if pd.isna(value) else str(value)


def _labels_where(rows: pd.DataFrame, mask: pd.Series, labels: Mapping[str, str]) -> list[str]:
    return [labels.get(c, c) for c in rows.loc[mask, "code"]]


def agreement_figures(agreement: pd.DataFrame, labels: Mapping[str, str]) -> dict:
    """Key figures of one group's agreement table (its code rows and its overall row).

    ``agreement``: :func:`analysis.coding.intercoder_agreement` of one group (raw, unrounded;
    statistics are rounded here as they are in the published table). Codes are listed by
    label, in table order; ``codes_below_threshold_ids`` lists the ids of the same codes.
    """
    codes = agreement[agreement["scope"] == "code"]
    overall = agreement[agreement["scope"] == "overall"].iloc[0]
    band = codes["alpha_band"]
    below = band.eq("not reliable").fillna(False)
    return {
        "alpha_overall": round_statistic(overall["alpha"]),
        "alpha_overall_band": _text_or_none(overall["alpha_band"]),
        "kappa_overall": round_statistic(overall["kappa"]),
        "kappa_overall_band": _text_or_none(overall["kappa_band"]),
        "percent_agreement_overall": round_statistic(overall["percent_agreement"]),
        "codes_below_threshold": _labels_where(codes, below, labels),
        "codes_below_threshold_ids": codes.loc[below, "code"].tolist(),
        "codes_tentative": _labels_where(codes, band.eq("tentative").fillna(False), labels),
        "codes_reliable": _labels_where(codes, band.eq("reliable").fillna(False), labels),
        "codes_alpha_undefined": _labels_where(codes, codes["alpha"].isna(), labels),
    }


def threshold_comparison(
    by_authority: pd.DataFrame, labels: Mapping[str, str], codes: Sequence[str]
) -> dict:
    """Programme key figures comparing authorities: the codes below the alpha threshold in
    each authority (labels, table order), and in any / every authority (codebook order)."""
    flagged = {
        a: agreement_figures(g, labels)["codes_below_threshold"]
        for a, g in by_authority.groupby("authority", sort=True)
    }
    sets = [set(v) for v in flagged.values()]
    in_any = set().union(*sets) if sets else set()
    in_every = set.intersection(*sets) if sets else set()
    return {
        "codes_below_threshold_by_authority": flagged,
        "codes_below_threshold_in_any_authority": [labels[c] for c in codes if labels[c] in in_any],
        "codes_below_threshold_in_every_authority": [
            labels[c] for c in codes if labels[c] in in_every
        ],
    }


def coding_key_figures(
    *,
    scope: str,
    rule,
    consensus: pd.DataFrame,
    screen: pd.DataFrame,
    agreement: pd.DataFrame,
    leading: pd.DataFrame,
    labels: Mapping[str, str],
    research_questions: Sequence[str],
    book: pd.DataFrame,
    by_authority: pd.DataFrame | None = None,
) -> dict:
    """The key figures of one authority (``scope`` its id) or of the programme.

    Inputs are the raw consensus coding, quote screen and agreement table of the scope, the
    published leading codes (with their ``reliability``) and the codebook table ``book``.
    ``by_authority`` (programme only): the raw agreement table by authority, which adds
    :func:`threshold_comparison`.

    Counts (excerpts, sessions, quotable excerpts, double-coded excerpts) are counts of text,
    published as they are (:func:`text_count`); the double-coded excerpts are the units of a
    per-code agreement row (every code row of a group has the same units, so their maximum is
    that number). The codes flagged "not reliable" are also listed per research question and
    per SWOT quadrant (:func:`flagged_codes_by`), with the reading of each research
    question's leading code.
    """
    top = leading[leading["rank"] == 1].set_index("research_question")
    code_rows = agreement[agreement["scope"] == "code"]
    key = {
        "scope": scope,
        "disclosure_rule": rule.name,
        "n_excerpts": text_count(consensus["excerpt_id"].nunique()),
        "n_sessions": text_count(consensus["session_id"].nunique()),
        "n_excerpts_quotable": text_count(int(screen["quotable"].sum())),
        "n_excerpts_double_coded": text_count(
            code_rows["n_excerpts"].max() if len(code_rows) else 0
        ),
        "top_code_by_research_question": {
            rq: (str(top.loc[rq, "label"]) if rq in top.index else None)
            for rq in research_questions
        },
        "top_code_id_by_research_question": {
            rq: (str(top.loc[rq, "code"]) if rq in top.index else None) for rq in research_questions
        },
        "top_code_reliability_by_research_question": {
            rq: (str(top.loc[rq, "reliability"]) if rq in top.index else None)
            for rq in research_questions
        },
        **agreement_figures(agreement, labels),
        "codes_below_threshold_by_research_question": flagged_codes_by(
            agreement, book, "research_question", research_questions
        ),
        "codes_below_threshold_by_swot": flagged_codes_by(agreement, book, "swot", SWOT_ORDER),
    }
    if by_authority is not None:
        key.update(threshold_comparison(by_authority, labels, list(labels)))
    return key
