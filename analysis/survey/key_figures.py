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
from analysis.survey.questionnaire import likert_constructs, likert_ids, respondent_group_labels

__all__ = [
    "SIG_LEVEL",
    "authority_key_figures",
    "count",
    "extreme_items",
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


def _responses(pub: dict[str, pd.DataFrame]) -> pd.Series:
    """Controlled responses per group, the total under ``"all"``."""
    return pub["responses"].set_index("group")["n_responses"]


def authority_key_figures(
    authority: str, pub: dict[str, pd.DataFrame], q: dict, rule: DisclosureRule
) -> dict:
    """Key figures of one authority from its published tables (respondent groups compared).

    ``pub`` is :func:`analysis.survey.publish.authority_tables`' published half; group
    differences are worded with the questionnaire's respondent-group labels.
    """
    labels = respondent_group_labels(q)
    resp = _responses(pub)
    summary = pub["construct_summary"]
    constructs = {}
    for c, members in likert_constructs(q):
        pooled = summary[(summary["construct"] == c["id"]) & (summary["group"] == "all")].iloc[0]
        constructs[c["id"]] = {
            "label": c.get("label", c["id"]),
            **reliability_figures(pub["reliability"], c["id"]),
            "pct_positive": num(pooled["pct_positive"], 1),
            **extreme_items(pub["distributions"], [it["id"] for it in members]),
            **_comparison(pub, c["id"], "group", lambda g: labels.get(g, g)),
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
    }


def programme_key_figures(
    pub: dict[str, pd.DataFrame], q: dict, rule: DisclosureRule, names: dict[str, str]
) -> dict:
    """Key figures of the programme from its published tables (authorities compared).

    ``names`` maps authority id to name, in the order the figures list authorities;
    authorities with no published responses row are left out. ``significant_differences``
    gathers every construct's ``authority_differences`` prefixed with the construct label.
    """
    resp = _responses(pub)
    summary = pub["construct_summary"]
    authorities = [a for a in names if a in resp.index]
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
        }
    return {
        "disclosure_rule": rule.name,
        "n_responses": count(resp.get("all")),
        "n_by_authority": {a: count(resp.get(a)) for a in authorities},
        "constructs": constructs,
        "significant_differences": differences,
        **extreme_items(pub["distributions"], likert_ids(q)),
    }
