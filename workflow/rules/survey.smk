# Stage: survey. Per authority: Likert distributions by respondent group, construct scores
# and reliability, group comparisons, missingness and straight-lining; programme level: the
# same across authorities. Raw tables -> internal/survey/, controlled -> published/survey/.
# Outputs are documented in docs/outputs/survey.md; the key figures' shapes are fixed by
# workflow/schemas/key_figures/survey_{authority,programme}.schema.yaml.

import yaml

from analysis.survey.questionnaire import likert_construct_ids

with open(config["instruments"]["questionnaire"], encoding="utf-8") as _fh:
    _Q = yaml.safe_load(_fh)

# constructs that have Likert items: one figure each
SURVEY_CONSTRUCTS = likert_construct_ids(_Q)

# tables written by both levels: raw under internal/, controlled under published/
SURVEY_RAW = [
    "distributions",
    "construct_scores",
    "reliability",
    "kruskal",
    "pairwise",
    "chi2",
    "straightlining",
    "group_comparisons",
]
SURVEY_PUB = [
    "distributions",
    "responses",
    "reliability",
    "kruskal",
    "pairwise",
    "chi2",
    "straightlining",
    "construct_summary",
    # results by respondent group (issue 12): every item, option shares, comparisons
    "item_summary",
    "option_shares",
    "group_comparisons",
    "construct_by_group",
    # unfavourable / neutral / favourable per Likert item, controlled after collapsing: the
    # table the Likert charts draw (review finding 9)
    "likert_collapsed",
]
SURVEY_REPORTED = {
    "distributions": "distributions.rst",
    "reliability": "reliability.rst",
    "kruskal": "kruskal.rst",
}

SURVEY_A_INT = "results/{authority}/internal/survey"
SURVEY_A_PUB = "results/{authority}/published/survey"
SURVEY_P_INT = "results/programme/internal/survey"
SURVEY_P_PUB = "results/programme/published/survey"


rule survey_authority:
    input:
        gate=inputs_validated,
        survey="results/{authority}/ingest/survey.csv",
        missing="results/{authority}/ingest/survey_missing.csv",
        questionnaire=config["instruments"]["questionnaire"],
        kf_schema="workflow/schemas/key_figures/survey_authority.schema.yaml",
    output:
        **{f"raw_{t}": f"{SURVEY_A_INT}/{t}.csv" for t in [*SURVEY_RAW, "missingness"]},
        **{
            t: (
                report(
                    f"{SURVEY_A_PUB}/{t}.csv",
                    caption=f"../report/survey/{SURVEY_REPORTED[t]}",
                    category="Survey",
                    subcategory="{authority}",
                )
                if t in SURVEY_REPORTED
                else f"{SURVEY_A_PUB}/{t}.csv"
            )
            for t in [*SURVEY_PUB, "missingness"]
        },
        construct_agreement=f"{SURVEY_A_INT}/construct_agreement.csv",
        key_figures=f"{SURVEY_A_PUB}/key_figures.yaml",
    log:
        "logs/{authority}/survey_authority.log",
    conda:
        CONDA_ENV
    params:
        disclosure=config["disclosure"],
    script:
        "../scripts/survey_authority.py"


rule survey_programme:
    input:
        gate=inputs_validated,
        surveys=expand("results/{authority}/ingest/survey.csv", authority=AUTHORITIES),
        questionnaire=config["instruments"]["questionnaire"],
        kf_schema="workflow/schemas/key_figures/survey_programme.schema.yaml",
    output:
        **{f"raw_{t}": f"{SURVEY_P_INT}/{t}.csv" for t in SURVEY_RAW},
        **{
            t: (
                report(
                    f"{SURVEY_P_PUB}/{t}.csv",
                    caption=f"../report/survey/{SURVEY_REPORTED[t]}",
                    category="Survey",
                    subcategory="Programme",
                )
                if t in SURVEY_REPORTED
                else f"{SURVEY_P_PUB}/{t}.csv"
            )
            for t in SURVEY_PUB
        },
        key_figures=f"{SURVEY_P_PUB}/key_figures.yaml",
        figures=[
            report(
                f"{SURVEY_P_PUB}/likert_{c}.png",
                caption="../report/survey/likert_by_authority.rst",
                category="Survey",
                subcategory="Programme",
                labels={"figure": f"Likert: {c}", "by": "authority"},
            )
            for c in SURVEY_CONSTRUCTS
        ],
        alt=[f"{SURVEY_P_PUB}/likert_{c}.alt.txt" for c in SURVEY_CONSTRUCTS],
    log:
        "logs/programme/survey_programme.log",
    conda:
        CONDA_ENV
    params:
        disclosure=config["disclosure"],
        constructs=SURVEY_CONSTRUCTS,
        group_order=AUTHORITIES,
        names={a: AUTH[a]["name"] for a in AUTHORITIES},
    script:
        "../scripts/survey_programme.py"


SURVEY_TARGETS = (
    expand(f"{SURVEY_A_PUB}/key_figures.yaml", authority=AUTHORITIES)
    + [f"{SURVEY_P_PUB}/key_figures.yaml"]
    + expand(f"{SURVEY_P_PUB}/likert_{{construct}}.png", construct=SURVEY_CONSTRUCTS)
)
