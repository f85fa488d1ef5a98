"""Publishing survey results: raw statistics, their disclosure-controlled versions and figures.

Used by the workflow's ``survey_authority.py`` and ``survey_programme.py`` (kept here, not in
the scripts, so the workflow stays a thin adapter and this is testable): per authority the
groups compared are respondent groups (:func:`authority_tables`), at programme level the
authorities (:func:`programme_tables`). The key figures quoted from these tables are made in
:mod:`analysis.survey.key_figures`.

The statistics come from the concept modules of :mod:`analysis.survey`; all control from
:mod:`analysis.core.disclosure`. What is published and how it is controlled is documented in
``docs/outputs/survey.md``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.core.disclosure import (
    DisclosureRule,
    control_counts,
    control_crosstab,
    suppress_small_base,
    write_published_csv,
)
from analysis.core.io import write_csv
from analysis.survey.collapsed import COLLAPSED_COUNTS, collapsed_distributions
from analysis.survey.comparisons import (
    chi2_independence_items,
    kruskal_wallis,
    pairwise_mannwhitney,
)
from analysis.survey.distributions import controlled_distributions, item_distributions
from analysis.survey.groups import (
    controlled_comparisons,
    group_comparisons,
    item_summary,
    option_shares,
)
from analysis.survey.quality import MISSING_REASONS, missingness_summary, straightlining
from analysis.survey.questionnaire import (
    likert_construct_ids,
    likert_constructs,
    likert_ids,
    respondent_group_labels,
)
from analysis.survey.reliability import construct_reliability, construct_scores

__all__ = [
    "AUTHORITY_GROUPING",
    "PROGRAMME_GROUPING",
    "authority_tables",
    "construct_summary",
    "controlled_missingness",
    "draw_likert_figures",
    "group_tables",
    "missing_reasons",
    "programme_tables",
    "published_counts",
    "published_tables",
    "raw_statistics",
    "read_published_collapsed",
    "read_published_distributions",
    "write_internal",
    "write_published",
]

#: the grouping compared within one authority, and across the programme
AUTHORITY_GROUPING = "respondent_group"
PROGRAMME_GROUPING = "authority"


# --------------------------------------------------------------------------- questionnaire


def missing_reasons(q: dict) -> list[str]:
    """Every reason a missing answer can have: the analysis' own, then the questionnaire's."""
    extra = sorted(set(q.get("missing_labels", {}).values()) - set(MISSING_REASONS))
    return [*MISSING_REASONS, *extra]


# --------------------------------------------------------------------------- raw statistics


def raw_statistics(survey: pd.DataFrame, q: dict, between: str) -> dict[str, pd.DataFrame]:
    """Every raw (unrounded) survey table for one comparison grouping ``between``."""
    constructs = likert_construct_ids(q)
    items = likert_ids(q)
    dist = pd.concat(
        [item_distributions(survey, q), item_distributions(survey, q, by=between)],
        ignore_index=True,
    )
    scores = construct_scores(survey, q)
    rel = pd.concat(
        [
            construct_reliability(survey, q, missing=m, by=b)
            for m in ("pairwise", "listwise")
            for b in (None, between)
        ],
        ignore_index=True,
    )
    data = pd.concat([scores, survey[items]], axis=1)
    kinds = {**dict.fromkeys(constructs, "construct"), **dict.fromkeys(items, "item")}
    variables = [*constructs, *items]
    kw = kruskal_wallis(data, variables, between)
    kw.insert(1, "variable_type", kw["variable"].map(kinds))
    pw = pairwise_mannwhitney(data, variables, between)
    pw.insert(1, "variable_type", pw["variable"].map(kinds))
    chi = chi2_independence_items(survey, q, between)
    sl = pd.concat(
        [straightlining(survey, q), straightlining(survey, q, by=between)],
        ignore_index=True,
    )
    return {
        "distributions": dist,
        "construct_scores": scores,
        "reliability": rel,
        "kruskal": kw,
        "pairwise": pw,
        "chi2": chi,
        "straightlining": sl,
    }


def write_internal(tables: dict[str, pd.DataFrame], outputs) -> None:
    """Write each raw table to the output ``raw_<name>``."""
    for name, df in tables.items():
        write_csv(df, getattr(outputs, f"raw_{name}"))


# --------------------------------------------------------------------------- controlled tables


def _blank_small(df: pd.DataFrame, mask, cols: list[str]) -> pd.DataFrame:
    df = df.copy()
    for c in cols:
        df[c] = df[c].astype("Float64").mask(np.asarray(mask, dtype=bool))
    return df


def responses_table(survey: pd.DataFrame, between: str, rule: DisclosureRule) -> pd.DataFrame:
    """Responses per group of ``between`` with the total as group ``all`` (controlled)."""
    raw = survey.groupby(between, sort=True).size().rename("n_responses").to_frame()
    raw.index = raw.index.astype(str)
    ctab = control_crosstab(raw.astype("int64"), rule, row_total="all", col_total="_total")
    out = ctab[["n_responses"]].rename_axis("group").reset_index()
    out.insert(0, "group_by", between)
    return out


def controlled_reliability(rel: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Alpha and CI with ``n`` controlled; alpha and CI suppressed when n < rule.min_count."""
    out = rel.drop(columns=["n_items"]).copy()
    out["n"] = control_counts(rel["n"], rule).to_numpy()
    for col in ("alpha", "ci_low", "ci_high"):
        out[col] = [
            suppress_small_base(v, n, rule) for v, n in zip(rel[col], rel["n"], strict=True)
        ]
    return out[["construct", "missing", "group_by", "group", "n", "alpha", "ci_low", "ci_high"]]


def controlled_kruskal(kw: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Kruskal-Wallis with ``n`` controlled (``n_groups`` left out: df = groups - 1)."""
    out = kw.drop(columns=["n_groups"]).copy()
    out["n"] = control_counts(kw["n"], rule).to_numpy()
    return _blank_small(out, kw["n"] < rule.min_count, ["H", "p_unc", "epsilon_sq"])


def controlled_pairwise(pw: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Pairwise Mann-Whitney without U; a pair with a group under ``min_count`` answers has
    its p-values and effect sizes suppressed (they would describe a handful of people)."""
    out = pw.drop(columns=["U_val"]).copy()
    out["n_A"] = control_counts(pw["n_A"], rule).to_numpy()
    out["n_B"] = control_counts(pw["n_B"], rule).to_numpy()
    small = (pw["n_A"] < rule.min_count) | (pw["n_B"] < rule.min_count)
    return _blank_small(out, small, ["p_unc", "p_corr", "rbc", "cles"])


def controlled_chi2(chi: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Chi-square with ``n`` controlled. ``min_expected`` (a function of the smallest margins)
    and the table's shape are left out; ``pct_expected_lt5`` and ``small_expected`` stay."""
    out = chi.drop(columns=["n_groups", "n_levels", "min_expected"]).copy()
    out["n"] = control_counts(chi["n"], rule).to_numpy()
    return _blank_small(
        out, chi["n"] < rule.min_count, ["chi2", "p_unc", "cramer_v", "pct_expected_lt5"]
    )


def _pct(part, base):
    if pd.isna(part) or pd.isna(base) or base == 0:
        return math.nan
    return 100 * float(part) / float(base)


def controlled_straightlining(sl: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Straight-lining per group with the total as ``all``: a group x (straight-lined, not)
    table with totals, controlled as one crosstab (secondary suppression included)."""
    grouped = sl[sl["group_by"] != "overall"]
    group_by = grouped["group_by"].iloc[0]
    raw = pd.DataFrame(
        {
            "n_straightlined": grouped["n_straightlined"].to_numpy(),
            "n_not": (grouped["n_eligible"] - grouped["n_straightlined"]).to_numpy(),
        },
        index=grouped["group"].astype(str),
    ).astype("int64")
    ctab = control_crosstab(raw, rule, row_total="all", col_total="n_eligible")
    out = ctab[["n_eligible", "n_straightlined"]].rename_axis("group").reset_index()
    out.insert(0, "group_by", group_by)
    out["pct_straightlined"] = [
        _pct(s, e) for s, e in zip(out["n_straightlined"], out["n_eligible"], strict=True)
    ]
    return out


def controlled_missingness(miss: pd.DataFrame, q: dict, rule: DisclosureRule) -> pd.DataFrame:
    """Per item: answered and missing-by-reason counts as one item x outcome crosstab whose row
    total is ``n_responses`` (controlled together, secondary suppression included; the
    column totals are used for the suppression pattern but not published)."""
    reasons = [f"n_{r}" for r in missing_reasons(q)]
    fixed = {"item_id", "n_responses", "n_answered", "n_missing", "pct_missing"}
    fixed.add("n_missing_unexplained")
    reasons += sorted(set(miss.columns) - fixed - set(reasons))  # any other reason in the data
    cols = ["n_answered", *reasons, "n_missing_unexplained"]
    raw = miss.set_index("item_id").reindex(columns=cols).fillna(0).astype("int64")
    ctab = control_crosstab(raw, rule, row_total="\x00total", col_total="n_responses")
    ctab = ctab.drop(index="\x00total")
    out = ctab[["n_responses", *cols]].rename_axis("item_id").reset_index()
    out["pct_missing"] = [
        _pct(t - a, t) if not (pd.isna(t) or pd.isna(a)) else math.nan
        for t, a in zip(out["n_responses"], out["n_answered"], strict=True)
    ]
    return out


def construct_summary(dist: pd.DataFrame, q: dict, between: str, rule: DisclosureRule):
    """Pooled answers per construct: % positive over all of its items' answers.

    "Positive" is the scale's positive codes for a normal item and its negative codes for a
    reverse-keyed one (so a higher share is always the favourable direction). Per construct a
    group x (positive, other) table of ANSWER counts (not people) with totals is controlled
    as one crosstab; the percentage is computed from the rounded counts. By respondent group,
    a construct asked only of some groups (``asked_of``) has rows for those groups only.
    """
    grouped = dist[dist["group_by"] == between]
    rows = []
    for c, members in likert_constructs(q):
        parts = []
        for it in members:
            blk = grouped[grouped["item_id"] == it["id"]]
            fav = "negative" if it.get("reverse") else "positive"
            pos = blk[blk["polarity"] == fav].groupby("group", sort=False)["count"].sum()
            tot = blk.groupby("group", sort=False)["count"].sum()
            parts.append(pd.DataFrame({"pos": pos, "tot": tot}))
        summed = sum(p.fillna(0) for p in parts).astype("int64")
        raw = pd.DataFrame(
            {"n_positive": summed["pos"], "n_other": summed["tot"] - summed["pos"]}
        ).astype("int64")
        raw.index = raw.index.astype(str)
        if between == "respondent_group" and c.get("asked_of"):
            # A routed construct's other groups were never asked: no row rather than "0 answers".
            raw = raw[raw.index.isin(c["asked_of"])]
        ctab = control_crosstab(raw, rule, row_total="all", col_total="n_answers")
        blk = ctab[["n_answers", "n_positive"]].rename_axis("group").reset_index()
        blk.insert(0, "construct", c["id"])
        blk.insert(1, "group_by", between)
        rows.append(blk)
    out = pd.concat(rows, ignore_index=True)
    out["pct_positive"] = [
        _pct(p, n) for p, n in zip(out["n_positive"], out["n_answers"], strict=True)
    ]
    return out


PUBLISHED_COUNTS = {
    "distributions": ["count", "n", "n_missing"],
    "responses": ["n_responses"],
    "reliability": ["n"],
    "kruskal": ["n"],
    "pairwise": ["n_A", "n_B"],
    "chi2": ["n"],
    "straightlining": ["n_eligible", "n_straightlined"],
    "construct_summary": ["n_answers", "n_positive"],
    "item_summary": ["n", "n_missing"],
    "option_shares": ["count", "n"],
    "group_comparisons": ["n", "n_A", "n_B"],
    "construct_by_group": ["n_answers", "n_positive"],
    "likert_collapsed": COLLAPSED_COUNTS,
}


def published_tables(
    survey: pd.DataFrame, raw: dict[str, pd.DataFrame], q: dict, between: str, rule
) -> dict[str, pd.DataFrame]:
    dist = raw["distributions"]
    return {
        "distributions": controlled_distributions(dist[dist["group_by"] == between], rule),
        "responses": responses_table(survey, between, rule),
        "reliability": controlled_reliability(raw["reliability"], rule),
        "kruskal": controlled_kruskal(raw["kruskal"], rule),
        "pairwise": controlled_pairwise(raw["pairwise"], rule),
        "chi2": controlled_chi2(raw["chi2"], rule),
        "straightlining": controlled_straightlining(raw["straightlining"], rule),
        "construct_summary": construct_summary(dist, q, between, rule),
        # the charts' table: unfavourable / neutral / favourable, controlled after collapsing
        "likert_collapsed": collapsed_distributions(dist[dist["group_by"] == between], q, rule),
    }


def group_tables(
    survey: pd.DataFrame, q: dict, rule: DisclosureRule
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(raw, published) results by respondent group (within one authority, or pooled over the
    programme's), as :mod:`analysis.survey.groups` makes them: ``item_summary`` and
    ``option_shares`` from the controlled distributions by group, ``group_comparisons``
    (only groups passing disclosure), and ``construct_by_group`` (:func:`construct_summary`
    by respondent group; the authority's ``construct_summary`` has the same values)."""
    by = AUTHORITY_GROUPING
    dist = item_distributions(survey, q, by=by)
    pub_dist = controlled_distributions(dist, rule)
    raw_cmp = group_comparisons(survey, construct_scores(survey, q), q, by, rule)
    published = {
        "item_summary": item_summary(pub_dist, q, list(respondent_group_labels(q))),
        "option_shares": option_shares(pub_dist, q),
        "group_comparisons": controlled_comparisons(raw_cmp, rule),
        "construct_by_group": construct_summary(dist, q, by, rule),
    }
    return {"group_comparisons": raw_cmp}, published


def authority_tables(
    survey: pd.DataFrame, missing: pd.DataFrame, q: dict, rule: DisclosureRule
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(raw, published) tables of one authority: respondent groups compared, the
    missingness by reason (``missing`` is the ingested ``survey_missing.csv``) and the
    results by respondent group (:func:`group_tables`)."""
    raw = raw_statistics(survey, q, AUTHORITY_GROUPING)
    raw["missingness"] = missingness_summary(survey, q, missing)
    pub = published_tables(survey, raw, q, AUTHORITY_GROUPING, rule)
    pub["missingness"] = controlled_missingness(raw["missingness"], q, rule)
    raw_groups, pub_groups = group_tables(survey, q, rule)
    return {**raw, **raw_groups}, {**pub, **pub_groups}


def programme_tables(
    survey: pd.DataFrame, q: dict, rule: DisclosureRule
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(raw, published) tables of the programme: every authority's responses, authorities
    compared, plus the results by respondent group pooled over the authorities
    (:func:`group_tables`)."""
    raw = raw_statistics(survey, q, PROGRAMME_GROUPING)
    pub = published_tables(survey, raw, q, PROGRAMME_GROUPING, rule)
    raw_groups, pub_groups = group_tables(survey, q, rule)  # respondent groups, pooled
    return {**raw, **raw_groups}, {**pub, **pub_groups}


def published_counts(name: str, df: pd.DataFrame) -> list[str]:
    """The count columns of a published table (checked by the disclosure writer).

    The missingness table has one count column per missing reason, which depends on the
    questionnaire and the data: every ``n_*`` column of it is a count.
    """
    if name == "missingness":
        return [c for c in df.columns if c.startswith("n_")]
    return PUBLISHED_COUNTS[name]


def write_published(tables: dict[str, pd.DataFrame], outputs, rule: DisclosureRule) -> None:
    """Write each published table to the output of the same name, checking its counts."""
    for name, df in tables.items():
        write_published_csv(df, getattr(outputs, name), published_counts(name, df), rule)


# --------------------------------------------------------------------------- figures


def read_published_distributions(path, rule: DisclosureRule) -> pd.DataFrame:
    """Read a published distributions table back: the marker becomes <NA> in count columns."""
    from analysis.core.io import read_csv

    df = read_csv(path, dtype={"group": str, "level": str, "item_id": str})
    for col in ("count", "n", "n_missing"):
        df[col] = pd.to_numeric(df[col].astype(str).replace({rule.marker: None})).astype("Int64")
    return df


def read_published_collapsed(path, rule: DisclosureRule) -> pd.DataFrame:
    """Read a published ``likert_collapsed`` table back (the marker -> <NA>)."""
    from analysis.core.io import read_csv

    df = read_csv(path, dtype={"group": str, "item_id": str})
    for col in COLLAPSED_COUNTS:
        df[col] = pd.to_numeric(df[col].astype(str).replace({rule.marker: None})).astype("Int64")
    for col in ("pct_unfavourable", "pct_neutral", "pct_favourable", "pct_suppressed"):
        df[col] = pd.to_numeric(df[col]).astype("Float64")
    return df


def draw_likert_figures(
    collapsed_path, q: dict, rule: DisclosureRule, constructs, paths, group_by: str, group_order
) -> None:
    """One diverging Likert figure per construct from the PUBLISHED collapsed table
    (:func:`analysis.survey.collapsed_distributions`)."""
    from analysis.survey.figures import plot_likert_construct

    tab = read_published_collapsed(collapsed_path, rule)
    present = set(tab["group"])
    groups = [g for g in group_order if g in present]
    groups += sorted(present - set(groups) - {"all"}) + ["all"]
    for construct, path in zip(constructs, paths, strict=True):
        plot_likert_construct(tab, q, construct, rule, path, group_by=group_by, groups=groups)
