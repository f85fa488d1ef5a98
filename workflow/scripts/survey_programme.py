"""Programme-level survey comparison: the same statistics as per authority, with the
authority as the grouping (thin adapter over analysis.survey.stats and analysis.core.disclosure)."""

import logging

import pandas as pd

from analysis.core.disclosure import rule_from_config
from analysis.core.io import read_csv, read_yaml, run_script, write_yaml
from analysis.survey.publish import (
    construct_items,
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
BETWEEN = "authority"


def key_figures(pub, q, rule, names: dict) -> dict:
    resp = pub["responses"].set_index("group")["n_responses"]
    summary = pub["construct_summary"]
    kw = pub["kruskal"].set_index("variable")
    authorities = [a for a in names if a in resp.index]
    constructs, differences = {}, []
    for c, members in construct_items(q):
        label = c.get("label", c["id"])
        s = summary[summary["construct"] == c["id"]].set_index("group")["pct_positive"]
        pairs = significant_pairs(pub["pairwise"], c["id"], lambda a: names.get(a, a))
        differences += [f"{label}: {p}" for p in pairs]
        constructs[c["id"]] = {
            "label": label,
            **reliability_figures(pub["reliability"], c["id"]),
            "pct_positive": num(s.get("all"), 1),
            "pct_positive_by_authority": {a: num(s.get(a), 1) for a in authorities},
            "alpha_by_authority": {
                a: reliability_figures(pub["reliability"], c["id"], a)["alpha"] for a in authorities
            },
            **extreme_items(pub["distributions"], [it["id"] for it in members]),
            "authority_kruskal_p": num(kw.loc[c["id"], "p_unc"], 4),
            "authority_epsilon_sq": num(kw.loc[c["id"], "epsilon_sq"], 3),
            "authority_differences": pairs,
        }
    return {
        "disclosure_rule": rule.name,
        "n_responses": count(resp.get("all")),
        "n_by_authority": {a: count(resp.get(a)) for a in authorities},
        "constructs": constructs,
        "significant_differences": differences,
        **extreme_items(pub["distributions"], likert_ids(q)),
    }


def main(smk):
    q = read_yaml(smk.input.questionnaire)
    rule = rule_from_config(smk.params.disclosure)
    names = dict(smk.params.names)
    survey = pd.concat([read_csv(p) for p in smk.input.surveys], ignore_index=True)

    raw = raw_statistics(survey, q, BETWEEN)
    write_internal(raw, smk.output)
    pub = published_tables(survey, raw, q, BETWEEN, rule)
    write_published(pub, smk.output, rule)
    write_yaml(key_figures(pub, q, rule, names), smk.output.key_figures)
    draw_likert_figures(
        smk.output.distributions,
        q,
        rule,
        smk.params.constructs,
        smk.output.figures,
        BETWEEN,
        smk.params.group_order,
    )
    log.info("programme: %d responses from %d authorities", len(survey), len(smk.input.surveys))


run_script(snakemake, main)
