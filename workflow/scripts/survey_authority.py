"""Survey analysis of one authority: raw tables to internal/, controlled tables and key
figures to published/ (thin adapter over analysis.survey.stats and analysis.core.disclosure)."""

import logging

from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script, write_csv, write_yaml
from analysis.survey import stats as ss
from analysis.survey.agreement import construct_agreement
from analysis.survey.publish import (
    construct_items,
    controlled_missingness,
    count,
    draw_likert_figures,
    extreme_items,
    likert_ids,
    num,
    published_tables,
    raw_statistics,
    reliability_figures,
    significant_pairs,
    write_internal,
    write_published,
)

log = logging.getLogger("pipeline")
BETWEEN = "respondent_group"


def key_figures(authority, pub, q, rule) -> dict:
    labels = {g["id"]: g.get("label", g["id"]) for g in q.get("respondent_groups", [])}
    resp = pub["responses"].set_index("group")["n_responses"]
    summary = pub["construct_summary"]
    kw = pub["kruskal"].set_index("variable")
    constructs = {}
    for c, members in construct_items(q):
        pooled = summary[(summary["construct"] == c["id"]) & (summary["group"] == "all")].iloc[0]
        constructs[c["id"]] = {
            "label": c.get("label", c["id"]),
            **reliability_figures(pub["reliability"], c["id"]),
            "pct_positive": num(pooled["pct_positive"], 1),
            **extreme_items(pub["distributions"], [it["id"] for it in members]),
            "group_kruskal_p": num(kw.loc[c["id"], "p_unc"], 4),
            "group_epsilon_sq": num(kw.loc[c["id"], "epsilon_sq"], 3),
            "group_differences": significant_pairs(
                pub["pairwise"], c["id"], lambda g: labels.get(g, g)
            ),
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


def main(smk):
    q = read_yaml(smk.input.questionnaire)
    rule = rule_from_config(smk.params.disclosure)
    survey = read_csv(smk.input.survey)
    missing = read_csv(smk.input.missing)

    raw = raw_statistics(survey, q, BETWEEN)
    raw["missingness"] = ss.missingness_summary(survey, q, missing)
    write_internal(raw, smk.output)
    write_csv(construct_agreement(survey, q), smk.output.construct_agreement)

    pub = published_tables(survey, raw, q, BETWEEN, rule)
    pub["missingness"] = controlled_missingness(raw["missingness"], q, rule)
    miss_counts = [c for c in pub["missingness"].columns if c.startswith("n_")]
    write_published(pub, smk.output, rule, counts={"missingness": miss_counts})
    write_yaml(key_figures(smk.wildcards.authority, pub, q, rule), smk.output.key_figures)
    draw_likert_figures(
        smk.output.distributions,
        q,
        rule,
        smk.params.constructs,
        smk.output.figures,
        BETWEEN,
        smk.params.group_order,
    )
    log.info("%s: %d responses analysed", smk.wildcards.authority, len(survey))


run_script(snakemake, main)
