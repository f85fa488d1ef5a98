"""Results by respondent group, in the form a report can quote: every item's summary, the
categorical items' option shares, and group comparisons with effect sizes and their reading.

* :func:`item_summary` -- one row per item (Q01..Q22) and group (and ``all``), from the
  published (controlled) distributions: counts controlled, percentages from rounded counts, a
  group below the rule's threshold shown as suppressed, never dropped.
* :func:`option_shares` -- the categorical items (how often data is reviewed, how it arrives)
  as controlled option shares per group.
* :func:`group_comparisons` -- Kruskal-Wallis with epsilon squared per construct score and
  Likert item, pairwise Mann-Whitney (Holm-corrected) with the rank-biserial correlation, and
  the chi-square test with Cramer's V for categorical items, each among the groups that pass
  disclosure (at least ``rule.min_count`` answers), with a plain reading of the effect size.

Reading of effect sizes (:func:`effect_reading`): Cohen (1988), *Statistical Power Analysis
for the Behavioral Sciences*, 2nd ed., Erlbaum. A correlation (the rank-biserial r) is small
from 0.1, medium from 0.3, large from 0.5 (ch. 3); a share of variance (epsilon squared, read
as Cohen's eta squared) small from 0.01, medium from 0.06, large from 0.14 (ch. 8); Cramer's V
is Cohen's w divided by sqrt(min(r, c) - 1), so its thresholds are w's 0.1, 0.3 and 0.5
divided by that root (ch. 7). Below "small" the effect is "negligible".

Why comparisons use only the groups that pass disclosure: a test or effect size resting on a
group of 1..min_count-1 people is a statistic derived from a count the rule suppresses
(``docs/reference/privacy-and-disclosure.md``), and with Holm's step-down a published p-value
can equal a multiple of a hidden one; leaving such groups out of the family publishes nothing
about them.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.survey.comparisons import (
    chi2_independence_items,
    kruskal_wallis,
    pairwise_mannwhitney,
)
from analysis.survey.questionnaire import items, likert_constructs

__all__ = [
    "COMPARISON_COLUMNS",
    "EFFECT_THRESHOLDS",
    "ITEM_SUMMARY_COLUMNS",
    "controlled_comparisons",
    "effect_reading",
    "eligible_groups",
    "group_comparisons",
    "item_summary",
    "option_shares",
]

#: small / medium / large thresholds (Cohen 1988; see the module docstring)
EFFECT_THRESHOLDS = {
    "rank_biserial": (0.1, 0.3, 0.5),
    "epsilon_sq": (0.01, 0.06, 0.14),
    "cramer_v": (0.1, 0.3, 0.5),  # Cohen's w; divided by sqrt(min(r, c) - 1) for V
}
SIG_LEVEL = 0.05  # the same level as the key figures (analysis.survey.key_figures)

ITEM_SUMMARY_COLUMNS = [
    "group_by",
    "group",
    "item_id",
    "item_type",
    "construct",
    "research_question",
    "reverse",
    "status",
    "n",
    "n_missing",
    "pct_missing",
    "median",
    "pct_agree",
    "pct_neutral",
    "pct_disagree",
    "pct_favourable",
    "top_level",
    "top_level_label",
    "top_level_pct",
]
COMPARISON_COLUMNS = [
    "variable",
    "variable_type",
    "research_question",
    "test",
    "group_by",
    "groups",
    "A",
    "B",
    "n",
    "n_A",
    "n_B",
    "statistic",
    "df",
    "p_unc",
    "p_corr",
    "effect_size_name",
    "effect_size",
    "effect_reading",
    "higher",
    "significant",
]


def effect_reading(value, kind: str, df_star: int = 1) -> str | None:
    """ "negligible", "small", "medium" or "large" for an effect size of ``kind``
    (``rank_biserial``, ``epsilon_sq``, ``cramer_v``), by its absolute value; Cramer's V with
    ``df_star = min(rows, columns) - 1``. None for a missing value."""
    if value is None or pd.isna(value):
        return None
    small, medium, large = EFFECT_THRESHOLDS[kind]
    scale = math.sqrt(df_star) if kind == "cramer_v" else 1.0
    v = abs(float(value)) * scale  # V * sqrt(df*) = w
    if v >= large:
        return "large"
    if v >= medium:
        return "medium"
    if v >= small:
        return "small"
    return "negligible"


def _item_meta(q: dict) -> dict[str, dict]:
    construct_rq = {c["id"]: c.get("research_question") for c in q.get("constructs", [])}
    out = {}
    for it in items(q):
        rq = it.get("research_question") or construct_rq.get(it.get("construct"))
        out[it["id"]] = {
            "construct": it.get("construct"),
            "research_question": rq,
            "reverse": bool(it.get("reverse", False)),
        }
    return out


def _pct_sum(parts: pd.Series):
    return pd.NA if parts.isna().any() or not len(parts) else float(parts.sum())


def item_summary(pub_dist: pd.DataFrame, q: dict, groups=()) -> pd.DataFrame:
    """One row per (group, item) of a PUBLISHED distributions table
    (:func:`analysis.survey.controlled_distributions` of one grouping, with its ``all`` rows).

    ``status``: ``published``; ``partly suppressed`` (some level counts suppressed, so the
    percentages they enter are empty); ``suppressed`` (the group's answers are below the
    rule's threshold); ``no responses`` (a group in ``groups`` with no response, shown with
    n = 0 rather than dropped). ``pct_favourable`` is ``pct_agree``, or ``pct_disagree`` for a
    reverse-keyed item (higher is always the favourable direction). ``top_level`` is the level
    (Likert code or option id) with the largest published count (first in scale order on
    ties; empty when every count is suppressed), with its label and percentage.
    """
    meta = _item_meta(q)
    rows = []
    for (group_by, grp, item_id), blk in pub_dist.groupby(
        ["group_by", "group", "item_id"], sort=False
    ):
        first = blk.iloc[0]
        counts = blk["count"].astype("Float64")
        n = first["n"]
        shown = counts.dropna()
        top = shown.idxmax() if len(shown) and shown.max() > 0 else None
        likert = first["item_type"] == "likert"
        status = (
            "suppressed"
            if pd.isna(n)
            else "partly suppressed"
            if counts.isna().any()
            else "published"
        )
        neutral = blk.loc[blk["polarity"] == "neutral", "percent"] if likert else None
        m = meta[item_id]
        rows.append(
            {
                "group_by": group_by,
                "group": grp,
                "item_id": item_id,
                "item_type": first["item_type"],
                **m,
                "status": status,
                "n": n,
                "n_missing": first["n_missing"],
                "pct_missing": first["pct_missing"],
                "median": first["median"],
                "pct_agree": first["pct_agree"],
                "pct_neutral": _pct_sum(neutral) if likert else pd.NA,
                "pct_disagree": first["pct_disagree"],
                "pct_favourable": first["pct_disagree"] if m["reverse"] else first["pct_agree"],
                "top_level": None if top is None else blk.loc[top, "level"],
                "top_level_label": None if top is None else blk.loc[top, "level_label"],
                "top_level_pct": None if top is None else blk.loc[top, "percent"],
            }
        )
    out = pd.DataFrame(rows, columns=ITEM_SUMMARY_COLUMNS)
    if len(out):
        group_by = out["group_by"].iloc[0]
        absent = [g for g in groups if g not in set(out["group"])]
        blank = [
            {
                "group_by": group_by,
                "group": g,
                "item_id": it["id"],
                "item_type": it["type"],
                **meta[it["id"]],
                "status": "no responses",
                "n": 0,
                "n_missing": 0,
            }
            for g in absent
            for it in items(q)
            if it.get("type") in ("likert", "categorical")
        ]
        out = pd.concat([out, pd.DataFrame(blank, columns=ITEM_SUMMARY_COLUMNS)])
        order = {g: i for i, g in enumerate([*groups, *sorted(set(out["group"]) - set(groups))])}
        order["all"] = len(order) + 1
        item_order = {it["id"]: i for i, it in enumerate(items(q))}
        out = out.sort_values(
            ["group", "item_id"],
            key=lambda s: s.map(order if s.name == "group" else item_order),
            kind="stable",
        )
    for col in ("n", "n_missing"):
        out[col] = out[col].astype("Int64")
    for col in ("pct_missing", "median", "pct_agree", "pct_neutral", "pct_disagree"):
        out[col] = out[col].astype("Float64")
    out["pct_favourable"] = out["pct_favourable"].astype("Float64")
    out["top_level_pct"] = out["top_level_pct"].astype("Float64")
    return out.reset_index(drop=True)


def option_shares(pub_dist: pd.DataFrame, q: dict) -> pd.DataFrame:
    """The categorical items of a PUBLISHED distributions table as option shares per group:
    ``group_by, group, item_id, research_question, option, option_label, count, n, pct``
    (count and n controlled; pct from the rounded counts, empty when suppressed)."""
    meta = _item_meta(q)
    cat = pub_dist[pub_dist["item_type"] == "categorical"]
    out = pd.DataFrame(
        {
            "group_by": cat["group_by"],
            "group": cat["group"],
            "item_id": cat["item_id"],
            "research_question": cat["item_id"].map(lambda i: meta[i]["research_question"]),
            "option": cat["level"],
            "option_label": cat["level_label"],
            "count": cat["count"],
            "n": cat["n"],
            "pct": cat["percent"],
        }
    )
    return out.reset_index(drop=True)


def eligible_groups(values: pd.Series, groups: pd.Series, min_count: int) -> list[str]:
    """Groups with at least ``min_count`` answered (non-missing) values, sorted."""
    n = values.notna().groupby(groups.astype("string")).sum()
    return sorted(str(g) for g, k in n.items() if k >= min_count)


def _masked(data: pd.DataFrame, var: str, between: str, keep: list[str]) -> pd.DataFrame:
    grp = data[between].astype("string")
    return pd.DataFrame({var: data[var], between: grp.where(grp.isin(keep))})


def group_comparisons(
    survey: pd.DataFrame, scores: pd.DataFrame, q: dict, between: str, rule
) -> pd.DataFrame:
    """RAW comparisons among the groups of ``between`` that pass disclosure, per variable.

    Variables: every construct score (``scores``, favourable direction) and Likert item (as
    answered) with Kruskal-Wallis (one row, ``groups`` joined by ";") and every pair with
    Mann-Whitney U (Holm within the variable's pairs); every categorical item with the
    chi-square test. Effect sizes: epsilon squared, rank-biserial r (> 0: A higher), Cramer's
    V, each with :func:`effect_reading`; ``higher`` names the higher group of a pair;
    ``significant``: Holm p (pairs) or p (omnibus) below 0.05. Fewer than two groups passing:
    no row. Columns :data:`COMPARISON_COLUMNS` plus ``U_val``; counts unrounded.
    """
    constructs = {c["id"]: c.get("research_question") for c, _ in likert_constructs(q)}
    meta = _item_meta(q)
    data = pd.concat([scores[list(constructs)], survey[[between]]], axis=1)
    variables = [(c, "construct", constructs[c], data) for c in constructs]
    variables += [(it["id"], "item", meta[it["id"]]["research_question"], survey)
                  for it in items(q, "likert")]  # fmt: skip
    rows = []
    for var, kind, rq, frame in variables:
        keep = eligible_groups(frame[var], frame[between], rule.min_count)
        if len(keep) < 2:
            continue
        sub = _masked(frame, var, between, keep)
        head = {"variable": var, "variable_type": kind, "research_question": rq}
        kw = kruskal_wallis(sub, [var], between).iloc[0]
        rows.append(
            {
                **head,
                "test": "kruskal_wallis",
                "groups": ";".join(keep),
                "n": kw["n"],
                "statistic": kw["H"],
                "df": kw["df"],
                "p_unc": kw["p_unc"],
                "effect_size_name": "epsilon_sq",
                "effect_size": kw["epsilon_sq"],
                "effect_reading": effect_reading(kw["epsilon_sq"], "epsilon_sq"),
                "significant": bool(kw["p_unc"] < SIG_LEVEL),
            }
        )
        for r in pairwise_mannwhitney(sub, [var], between).itertuples():
            rows.append(
                {
                    **head,
                    "test": "mann_whitney",
                    "groups": f"{r.A};{r.B}",
                    "A": r.A,
                    "B": r.B,
                    "n": r.n_A + r.n_B,
                    "n_A": r.n_A,
                    "n_B": r.n_B,
                    "U_val": r.U_val,
                    "p_unc": r.p_unc,
                    "p_corr": r.p_corr,
                    "effect_size_name": "rank_biserial",
                    "effect_size": r.rbc,
                    "effect_reading": effect_reading(r.rbc, "rank_biserial"),
                    "higher": r.A if r.rbc > 0 else r.B if r.rbc < 0 else None,
                    "significant": bool(r.p_corr < SIG_LEVEL),
                }
            )
    for it in items(q, "categorical"):
        answered = survey[it["id"]].where(survey[it["id"]].notna())
        keep = eligible_groups(answered, survey[between], rule.min_count)
        if len(keep) < 2:
            continue
        sub = survey.assign(**{between: _masked(survey, it["id"], between, keep)[between]})
        chi = chi2_independence_items(sub, q, between, items=[it["id"]]).iloc[0]
        df_star = int(min(chi["n_groups"], chi["n_levels"])) - 1
        rows.append(
            {
                "variable": it["id"],
                "variable_type": "categorical",
                "research_question": meta[it["id"]]["research_question"],
                "test": "chi_square",
                "groups": ";".join(keep),
                "n": chi["n"],
                "statistic": chi["chi2"],
                "df": chi["dof"],
                "p_unc": chi["p_unc"],
                "effect_size_name": "cramer_v",
                "effect_size": chi["cramer_v"],
                "effect_reading": effect_reading(chi["cramer_v"], "cramer_v", max(df_star, 1)),
                "significant": bool(chi["p_unc"] < SIG_LEVEL),
            }
        )
    out = pd.DataFrame(rows, columns=[*COMPARISON_COLUMNS, "U_val"])
    out["group_by"] = between
    for col in ("n", "n_A", "n_B", "df"):
        out[col] = out[col].astype("Int64")
    out["significant"] = out["significant"].astype("boolean")
    return out


def controlled_comparisons(raw: pd.DataFrame, rule) -> pd.DataFrame:
    """:func:`group_comparisons` for publication: the counts ``n``, ``n_A``, ``n_B`` through
    ``disclosure.control_counts`` (every group compared has >= ``rule.min_count`` answers, so
    none is suppressed); U left out (it is a function of the group sizes)."""
    from analysis.core.disclosure import control_counts

    out = raw.drop(columns=["U_val"]).copy()
    for col in ("n", "n_A", "n_B"):
        out[col] = control_counts(raw[col], rule).array
    return out[COMPARISON_COLUMNS]
