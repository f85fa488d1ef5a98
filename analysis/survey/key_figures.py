"""Survey key figures: the numbers and short strings the reports quote, from PUBLISHED tables.

Every value is read from a disclosure-controlled table of :mod:`analysis.survey.publish`, never
from the raw statistics, so a figure suppressed in a table is ``None`` here too. Two scopes:
:func:`authority_key_figures` (respondent groups compared within one council) and
:func:`programme_key_figures` (councils compared). Their shapes are fixed by
``workflow/schemas/key_figures/survey_authority.schema.yaml`` and
``survey_programme.schema.yaml`` and described in ``docs/outputs/survey.md``.

Plain numbers: percentages to 1 decimal place, alpha and effect sizes to 3, p-values to 4.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.core.disclosure import DisclosureRule
from analysis.core.rounding import to_decimals
from analysis.survey.questionnaire import (
    items,
    likert_constructs,
    likert_ids,
    respondent_group_labels,
)

__all__ = [
    "SIG_LEVEL",
    "authority_key_figures",
    "categorical_item_figures",
    "count",
    "extreme_items",
    "group_comparison_figures",
    "num",
    "programme_key_figures",
    "reliability_figures",
    "significant_pairs",
]

SIG_LEVEL = 0.05  # Holm-corrected p below this counts as a difference in the key figures


def num(x, digits: int) -> float | None:
    """A plain float rounded to ``digits`` places for the narrative, or None when missing or
    suppressed.

    The project's rounding rule (:func:`analysis.core.rounding.to_decimals`: halves away from
    zero on the decimal value), so 56.25 % is 56.3, as the reports would print it.
    """
    if x is None or pd.isna(x):
        return None
    return float(to_decimals(float(x), digits)) + 0.0  # no "-0.0"


def count(x) -> int | None:
    """A controlled count as a plain int, or None when suppressed."""
    return None if x is None or pd.isna(x) else int(x)


def _item_agree(pub_dist: pd.DataFrame, item_ids: list[str]) -> pd.Series:
    """Published % agree (group "all") of the given items, NaN where suppressed."""
    rows = pub_dist[(pub_dist["group"] == "all") & pub_dist["item_id"].isin(item_ids)]
    s = rows.drop_duplicates("item_id").set_index("item_id")["pct_agree"]
    return s.reindex(item_ids).astype("Float64")


def extreme_items(pub_dist: pd.DataFrame, item_ids: list[str]) -> dict:
    """Items with the highest / lowest published % agree (ties: questionnaire order)."""
    s = _item_agree(pub_dist, item_ids)
    shown = s.dropna()
    out = {
        "item_highest_agree": None,
        "item_highest_pct_agree": None,
        "item_lowest_agree": None,
        "item_lowest_pct_agree": None,
        "items_agree_suppressed": [i for i in item_ids if pd.isna(s[i])],
    }
    if len(shown):
        hi, lo = shown.idxmax(), shown.idxmin()
        out.update(
            item_highest_agree=str(hi),
            item_highest_pct_agree=num(shown[hi], 1),
            item_lowest_agree=str(lo),
            item_lowest_pct_agree=num(shown[lo], 1),
        )
    return out


def significant_pairs(
    pub_pw: pd.DataFrame, variable: str, label_of: Callable[[str], str]
) -> list[str]:
    """'<A> higher than <B>' for each pair with Holm p < SIG_LEVEL (published rows only; a
    suppressed p is empty and never counts)."""
    rows = pub_pw[(pub_pw["variable"] == variable) & (pub_pw["p_corr"] < SIG_LEVEL)]
    out = []
    for r in rows.itertuples():
        hi, lo = (r.A, r.B) if r.rbc > 0 else (r.B, r.A)
        out.append(f"{label_of(hi)} higher than {label_of(lo)}")
    return out


def reliability_figures(pub_rel: pd.DataFrame, construct: str, group: str = "all") -> dict:
    """Alpha, its CI and n of one construct and group, pairwise (``alpha*``) and listwise
    (``alpha_listwise*``)."""
    rel = pub_rel[(pub_rel["construct"] == construct) & (pub_rel["group"] == group)]
    out = {}
    for policy, prefix in (("pairwise", "alpha"), ("listwise", "alpha_listwise")):
        r = rel[rel["missing"] == policy].iloc[0]
        out[prefix] = num(r["alpha"], 3)
        out[f"{prefix}_ci_low"] = num(r["ci_low"], 3)
        out[f"{prefix}_ci_high"] = num(r["ci_high"], 3)
        out[f"{prefix}_n"] = count(r["n"])
    return out


def _comparison(pub: dict[str, pd.DataFrame], construct: str, prefix: str, label_of) -> dict:
    """Kruskal-Wallis p and epsilon squared of a construct score, and its significant pairs,
    under ``<prefix>_kruskal_p``, ``<prefix>_epsilon_sq``, ``<prefix>_differences``."""
    kw = pub["kruskal"].set_index("variable")
    return {
        f"{prefix}_kruskal_p": num(kw.loc[construct, "p_unc"], 4),
        f"{prefix}_epsilon_sq": num(kw.loc[construct, "epsilon_sq"], 3),
        f"{prefix}_differences": significant_pairs(pub["pairwise"], construct, label_of),
    }


def _largest_difference(pairs: pd.DataFrame, label_of) -> dict | None:
    """The significant pair (Holm p < SIG_LEVEL) with the largest |rank-biserial r| (ties:
    table order), worded; None when no pair differs."""
    sig = pairs[pairs["significant"].fillna(False).astype(bool)]
    if not len(sig):
        return None
    r = sig.loc[sig["effect_size"].abs().idxmax()]
    higher = str(r["higher"])
    lower = str(r["B"] if r["A"] == higher else r["A"])
    size = num(abs(r["effect_size"]), 3)
    return {
        "higher": higher,
        "higher_label": label_of(higher),
        "lower": lower,
        "lower_label": label_of(lower),
        "rank_biserial": size,
        "reading": str(r["effect_reading"]),
        "p_corr": num(r["p_corr"], 4),
        "text": f"{label_of(higher)} higher than {label_of(lower)} "
        f"(rank-biserial r = {size:.3f}, {r['effect_reading']})",
    }


def group_comparison_figures(
    pub: dict[str, pd.DataFrame], construct: str, labels: dict, asked: list[str] | None = None
) -> dict:
    """Respondent groups compared on one construct score, from the published
    ``group_comparisons`` and ``construct_by_group`` tables (:mod:`analysis.survey.groups`):
    the groups compared (those passing disclosure), not compared (every other group asked) and
    not asked (groups outside the construct's ``asked``, routed past it), the Kruskal-Wallis p and epsilon squared with its reading, the
    number of significant pairs, the largest significant difference, and the share
    favourable per group (controlled; None when suppressed, absent or not asked)."""
    cmp = pub["group_comparisons"]
    rows = cmp[cmp["variable"] == construct]
    kw = rows[rows["test"] == "kruskal_wallis"]
    pairs = rows[rows["test"] == "mann_whitney"]
    compared = str(kw["groups"].iloc[0]).split(";") if len(kw) else []
    summary = pub["construct_by_group"]
    fav = summary[summary["construct"] == construct].set_index("group")["pct_positive"]
    label_of = lambda g: labels.get(g, g)  # noqa: E731
    not_asked = [g for g in labels if asked and g not in asked]
    return {
        "group_by": "respondent_group",
        "groups_compared": compared,
        "groups_not_compared": [g for g in labels if g not in compared and g not in not_asked],
        "groups_not_asked": not_asked,
        "kruskal_p": num(kw["p_unc"].iloc[0], 4) if len(kw) else None,
        "epsilon_sq": num(kw["effect_size"].iloc[0], 3) if len(kw) else None,
        "epsilon_sq_reading": str(kw["effect_reading"].iloc[0]) if len(kw) else None,
        "n_significant_pairs": int(pairs["significant"].fillna(False).astype(bool).sum()),
        "largest_difference": _largest_difference(pairs, label_of),
        "pct_favourable_by_group": {g: num(fav.get(g), 1) for g in labels},
    }


def categorical_item_figures(pub: dict[str, pd.DataFrame], q: dict) -> dict:
    """Per categorical item (how often data is reviewed, how it arrives): its research
    question, the controlled option shares of all respondents, the most chosen option, and
    the chi-square test across respondent groups (those passing disclosure) with Cramer's V
    and its reading, from the published ``option_shares`` and ``group_comparisons``."""
    shares = pub["option_shares"]
    cmp = pub["group_comparisons"]
    out = {}
    for it in items(q, "categorical"):
        rows = shares[(shares["item_id"] == it["id"]) & (shares["group"] == "all")]
        pct = rows.set_index("option")["pct"]
        shown = pct.dropna()
        top = shown.idxmax() if len(shown) else None
        chi = cmp[(cmp["variable"] == it["id"]) & (cmp["test"] == "chi_square")]
        c = chi.iloc[0] if len(chi) else None
        out[it["id"]] = {
            "text": str(it.get("text", "")),
            "research_question": it.get("research_question"),
            "n": count(rows["n"].iloc[0]) if len(rows) else None,
            "option_pct": {str(o["id"]): num(pct.get(str(o["id"])), 1) for o in it["options"]},
            "top_option": None if top is None else str(top),
            "top_option_label": None
            if top is None
            else str(rows.set_index("option").loc[top, "option_label"]),
            "top_option_pct": None if top is None else num(shown[top], 1),
            "groups_compared": [] if c is None else str(c["groups"]).split(";"),
            "chi2_p": None if c is None else num(c["p_unc"], 4),
            "cramer_v": None if c is None else num(c["effect_size"], 3),
            "cramer_v_reading": None if c is None else str(c["effect_reading"]),
            "differs_by_group": None if c is None else bool(c["significant"]),
        }
    return out


def _responses(pub: dict[str, pd.DataFrame]) -> pd.Series:
    """Controlled responses per group, the total under ``"all"``."""
    return pub["responses"].set_index("group")["n_responses"]


def authority_key_figures(
    authority: str, pub: dict[str, pd.DataFrame], q: dict, rule: DisclosureRule
) -> dict:
    """Key figures of one authority from its published tables (respondent groups compared).

    ``pub`` is :func:`analysis.survey.publish.authority_tables`' published half; group
    differences are worded with the questionnaire's respondent-group labels. Each construct
    also has its ``research_question`` and ``group_comparison``
    (:func:`group_comparison_figures`); ``categorical_items`` summarises Q21, Q22...
    (:func:`categorical_item_figures`).
    """
    labels = respondent_group_labels(q)
    resp = _responses(pub)
    summary = pub["construct_summary"]
    constructs = {}
    for c, members in likert_constructs(q):
        pooled = summary[(summary["construct"] == c["id"]) & (summary["group"] == "all")].iloc[0]
        constructs[c["id"]] = {
            "label": c.get("label", c["id"]),
            "research_question": c.get("research_question"),
            **reliability_figures(pub["reliability"], c["id"]),
            "pct_positive": num(pooled["pct_positive"], 1),
            **extreme_items(pub["distributions"], [it["id"] for it in members]),
            **_comparison(pub, c["id"], "group", lambda g: labels.get(g, g)),
            "group_comparison": group_comparison_figures(pub, c["id"], labels, c.get("asked_of")),
        }
    sl = pub["straightlining"].set_index("group").loc["all"]
    return {
        "authority": authority,
        "disclosure_rule": rule.name,
        "n_responses": count(resp.get("all")),
        "n_by_group": {str(g): count(v) for g, v in resp.items() if g != "all"},
        "constructs": constructs,
        **extreme_items(pub["distributions"], likert_ids(q)),
        "pct_straightlined": num(sl["pct_straightlined"], 1),
        "max_pct_missing": num(pub["missingness"]["pct_missing"].max(), 1),
        "groups_compared": sorted(str(g) for g in resp.index if g != "all"),
        "categorical_items": categorical_item_figures(pub, q),
    }


def programme_key_figures(
    pub: dict[str, pd.DataFrame], q: dict, rule: DisclosureRule, names: dict[str, str]
) -> dict:
    """Key figures of the programme from its published tables (authorities compared).

    ``names`` maps authority id to name, in the order the figures list authorities;
    authorities with no published responses row are left out. ``significant_differences``
    gathers every construct's ``authority_differences`` prefixed with the construct label.
    Each construct also compares the respondent groups pooled over the authorities
    (``group_comparison``), and ``categorical_items`` summarises the categorical items.
    """
    resp = _responses(pub)
    summary = pub["construct_summary"]
    authorities = [a for a in names if a in resp.index]
    groups = respondent_group_labels(q)
    constructs, differences = {}, []
    for c, members in likert_constructs(q):
        label = c.get("label", c["id"])
        s = summary[summary["construct"] == c["id"]].set_index("group")["pct_positive"]
        compared = _comparison(pub, c["id"], "authority", lambda a: names.get(a, a))
        differences += [f"{label}: {p}" for p in compared["authority_differences"]]
        constructs[c["id"]] = {
            "label": label,
            **reliability_figures(pub["reliability"], c["id"]),
            "pct_positive": num(s.get("all"), 1),
            "pct_positive_by_authority": {a: num(s.get(a), 1) for a in authorities},
            "alpha_by_authority": {
                a: reliability_figures(pub["reliability"], c["id"], a)["alpha"] for a in authorities
            },
            **extreme_items(pub["distributions"], [it["id"] for it in members]),
            **compared,
            "research_question": c.get("research_question"),
            "group_comparison": group_comparison_figures(pub, c["id"], groups, c.get("asked_of")),
        }
    return {
        "disclosure_rule": rule.name,
        "n_responses": count(resp.get("all")),
        "n_by_authority": {a: count(resp.get(a)) for a in authorities},
        "constructs": constructs,
        "significant_differences": differences,
        **extreme_items(pub["distributions"], likert_ids(q)),
        "categorical_items": categorical_item_figures(pub, q),
    }
