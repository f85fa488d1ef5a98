# Stage: journeys. Journey maps, gap register, tool scores and SWOT, data maturity and the
# roadmap, per authority and for the programme. The rule tables (gap rules, maturity rubric,
# roadmap actions) are inputs: editing one re-runs what depends on it, with no code change.
# Outputs are documented in docs/outputs/journeys.md.

JOURNEYS_TABLES = {
    k: config["instruments"][k]
    for k in ("gap_rules", "maturity_rubric", "roadmap_actions")
}
J_INT = "results/{authority}/internal/journeys"
J_PUB = "results/{authority}/published/journeys"
JP_INT = "results/programme/internal/journeys"
JP_PUB = "results/programme/published/journeys"
# the programme's spending objectives, checked against each roadmap: from the council's
# business-case input as validated at ingest (their one home)
# the contracts of the key figures the reports read
J_KF_SCHEMA = "workflow/schemas/key_figures/journeys_authority.schema.yaml"
JP_KF_SCHEMA = "workflow/schemas/key_figures/journeys_programme.schema.yaml"
# published per-authority tables (all written by journeys_publish)
J_PUB_TABLES = [
    "journeys",
    "streams",
    "gaps",
    "gap_summary",
    "tool_scores",
    "tool_swot",
    "survey_agreement",
    "maturity_indicators",
    "maturity_levels",
    "roadmap",
    "stage_scores",
    "stage_swot",
    "systems_inventory",
    "stream_flows",
    "action_status",
    "objectives_check",
    "option_objectives",
    "tool_ranking",
    "stage_ranking",
    "benefit_timing",
]
J_FIGURES = ["journey_map", "roadmap_gantt", "tool_scores"]  # a case study's
JP_PUB_TABLES = [
    "systems_inventory",
    "systems_summary",
    "gap_summary",
    "maturity_levels",
    "authority_roadmaps",
    "roadmap",
    "action_need",
    "action_status",
    "objectives_check",
    "tool_ranking",
    "stage_ranking",
]
JP_FIGURES = ["gap_overview", "maturity", "roadmap_gantt", "tool_scores"]
# internal tables added by the evidence-weighed roadmap and the tool and stage SWOT: written by
# journeys_assess, read by journeys_publish (and some by the programme)
J_NEW_TABLES = [
    "stage_scores",
    "stage_swot",
    "systems_inventory",
    "stream_flows",
    "action_status",
    "objectives_check",
    "option_objectives",
    "benefit_timing",
]
# the councils' internal tables the programme job stacks (input names = reader names)
JP_STACKED = [
    "systems_inventory",
    "streams",
    "gap_summary",
    "levels",
    "roadmap",
    "action_status",
    "objectives_check",
    "tool_scores",
    "tool_swot",
    "stage_scores",
    "stage_swot",
]
_J_INT_FILE = {"levels": "maturity_levels"}  # input name -> file stem where they differ


rule journeys_assess:
    input:
        gate=inputs_validated,
        register="results/{authority}/ingest/journeys.csv",
        gap_rules=JOURNEYS_TABLES["gap_rules"],
        survey_agreement="results/{authority}/internal/survey/construct_agreement.csv",
        swot_evidence="results/{authority}/published/coding/swot_evidence.csv",
        rubric=JOURNEYS_TABLES["maturity_rubric"],
        actions=JOURNEYS_TABLES["roadmap_actions"],
        objectives=BUSINESS_CASE,
        decision="results/{authority}/internal/costs/options_decision.csv",
        # the register's Systems sheet, and the cost lines the roadmap traces actions to
        systems="results/{authority}/ingest/systems.csv",
        cost_lines="results/{authority}/internal/costs/cost_lines.csv",
        # the cost workbook's benefit lines and options, checked against the roadmap
        benefits="results/{authority}/ingest/costs/benefits.csv",
        options="results/{authority}/ingest/costs/options.csv",
    output:
        **{name: f"{J_INT}/{name}.csv" for name in J_NEW_TABLES},
        journeys=f"{J_INT}/journeys.csv",
        streams=f"{J_INT}/streams.csv",
        gaps=f"{J_INT}/gaps.csv",
        gap_summary=f"{J_INT}/gap_summary.csv",
        tool_scores=f"{J_INT}/tool_scores.csv",
        register_metrics=f"{J_INT}/register_metrics.csv",
        survey_agreement=f"{J_INT}/survey_agreement.csv",
        tool_swot=f"{J_INT}/tool_swot.csv",
        indicators=f"{J_INT}/maturity_indicators.csv",
        levels=f"{J_INT}/maturity_levels.csv",
        roadmap=f"{J_INT}/roadmap.csv",
    log:
        "logs/{authority}/journeys_assess.log",
    conda:
        CONDA_ENV
    params:
        disclosure=config["disclosure"],
    script:
        "../scripts/journeys_assess.py"


rule journeys_publish:
    input:
        **{name: f"{J_INT}/{name}.csv" for name in J_NEW_TABLES},
        gate=inputs_validated,
        journeys=f"{J_INT}/journeys.csv",
        streams=f"{J_INT}/streams.csv",
        gaps=f"{J_INT}/gaps.csv",
        gap_summary=f"{J_INT}/gap_summary.csv",
        tool_scores=f"{J_INT}/tool_scores.csv",
        tool_swot=f"{J_INT}/tool_swot.csv",
        survey_agreement=f"{J_INT}/survey_agreement.csv",
        indicators=f"{J_INT}/maturity_indicators.csv",
        levels=f"{J_INT}/maturity_levels.csv",
        roadmap=f"{J_INT}/roadmap.csv",
        kf_schema=J_KF_SCHEMA,
        register="results/{authority}/ingest/journeys.csv",  # for the journey map
    output:
        **{name: f"{J_PUB}/{name}.csv" for name in J_NEW_TABLES},
        journeys=f"{J_PUB}/journeys.csv",
        streams=f"{J_PUB}/streams.csv",
        gaps=report(
            f"{J_PUB}/gaps.csv",
            caption="../report/journeys/gaps.rst",
            category="Journeys",
            subcategory="{authority}",
        ),
        gap_summary=f"{J_PUB}/gap_summary.csv",
        tool_scores=report(
            f"{J_PUB}/tool_scores.csv",
            caption="../report/journeys/tool_scores.rst",
            category="Journeys",
            subcategory="{authority}",
        ),
        tool_swot=f"{J_PUB}/tool_swot.csv",
        survey_agreement=f"{J_PUB}/survey_agreement.csv",
        indicators=f"{J_PUB}/maturity_indicators.csv",
        levels=f"{J_PUB}/maturity_levels.csv",
        roadmap=report(
            f"{J_PUB}/roadmap.csv",
            caption="../report/journeys/roadmap.rst",
            category="Journeys",
            subcategory="{authority}",
        ),
        tool_ranking=f"{J_PUB}/tool_ranking.csv",
        stage_ranking=f"{J_PUB}/stage_ranking.csv",
        key_figures=f"{J_PUB}/key_figures.yaml",
        # the case study's figures (one job with the tables: a job's start-up cost more than
        # the tables, and both follow the assessment; issue 15)
        fig_journey_map=report(
            f"{J_PUB}/journey_map.png",
            caption="../report/journeys/journey_map.rst",
            category="Journeys",
            subcategory="{authority}",
        ),
        fig_journey_map_alt=f"{J_PUB}/journey_map.alt.txt",
        fig_gantt=report(
            f"{J_PUB}/roadmap_gantt.png",
            caption="../report/journeys/roadmap_gantt.rst",
            category="Journeys",
            subcategory="{authority}",
        ),
        fig_gantt_alt=f"{J_PUB}/roadmap_gantt.alt.txt",
        fig_tool_scores=f"{J_PUB}/tool_scores.png",
        fig_tool_scores_alt=f"{J_PUB}/tool_scores.alt.txt",
    log:
        "logs/{authority}/journeys_publish.log",
    conda:
        CONDA_ENV
    params:
        disclosure=config["disclosure"],
        extra_patterns=config["pii"]["extra_patterns"],
        name=lambda wc: AUTH[wc.authority]["name"],
    script:
        "../scripts/journeys_publish.py"


rule journeys_programme:
    input:
        **{
            name: expand(
                f"{J_INT}/{_J_INT_FILE.get(name, name)}.csv", authority=AUTHORITIES
            )
            for name in JP_STACKED
        },
        gate=inputs_validated,
        actions=JOURNEYS_TABLES["roadmap_actions"],
        kf_schema=JP_KF_SCHEMA,
    output:
        gap_summary=f"{JP_INT}/gap_summary.csv",
        levels=f"{JP_INT}/maturity_levels.csv",
        authority_roadmaps=f"{JP_INT}/authority_roadmaps.csv",
        roadmap=f"{JP_INT}/roadmap.csv",
        action_need=f"{JP_INT}/action_need.csv",
        action_status=f"{JP_INT}/action_status.csv",
        objectives_check=f"{JP_INT}/objectives_check.csv",
        tool_ranking=f"{JP_INT}/tool_ranking.csv",
        stage_ranking=f"{JP_INT}/stage_ranking.csv",
        systems_inventory=f"{JP_INT}/systems_inventory.csv",
        systems_summary=f"{JP_INT}/systems_summary.csv",
        pub_systems_inventory=f"{JP_PUB}/systems_inventory.csv",
        pub_systems_summary=f"{JP_PUB}/systems_summary.csv",
        pub_gap_summary=f"{JP_PUB}/gap_summary.csv",
        pub_levels=f"{JP_PUB}/maturity_levels.csv",
        pub_authority_roadmaps=f"{JP_PUB}/authority_roadmaps.csv",
        pub_roadmap=report(
            f"{JP_PUB}/roadmap.csv",
            caption="../report/journeys/programme_roadmap.rst",
            category="Journeys",
            subcategory="programme",
        ),
        pub_action_need=f"{JP_PUB}/action_need.csv",
        pub_action_status=f"{JP_PUB}/action_status.csv",
        pub_objectives_check=f"{JP_PUB}/objectives_check.csv",
        pub_tool_ranking=f"{JP_PUB}/tool_ranking.csv",
        pub_stage_ranking=f"{JP_PUB}/stage_ranking.csv",
        key_figures=f"{JP_PUB}/key_figures.yaml",
    log:
        "logs/programme/journeys_programme.log",
    conda:
        CONDA_ENV
    params:
        authorities=AUTHORITIES,
        names={a: AUTH[a]["name"] for a in AUTHORITIES},
        disclosure=config["disclosure"],
        stacked=JP_STACKED,
    script:
        "../scripts/journeys_programme.py"


rule journeys_programme_figures:
    input:
        gate=inputs_validated,
        gap_summary=f"{JP_INT}/gap_summary.csv",
        levels=f"{JP_INT}/maturity_levels.csv",
        roadmap=f"{JP_INT}/roadmap.csv",
        tool_scores=expand(f"{J_INT}/tool_scores.csv", authority=AUTHORITIES),
        authority_roadmaps=f"{JP_INT}/authority_roadmaps.csv",
    output:
        gap_overview=report(
            f"{JP_PUB}/gap_overview.png",
            caption="../report/journeys/gap_overview.rst",
            category="Journeys",
            subcategory="programme",
        ),
        gap_overview_alt=f"{JP_PUB}/gap_overview.alt.txt",
        maturity=report(
            f"{JP_PUB}/maturity.png",
            caption="../report/journeys/programme_maturity.rst",
            category="Journeys",
            subcategory="programme",
        ),
        maturity_alt=f"{JP_PUB}/maturity.alt.txt",
        gantt=report(
            f"{JP_PUB}/roadmap_gantt.png",
            caption="../report/journeys/programme_roadmap_gantt.rst",
            category="Journeys",
            subcategory="programme",
        ),
        gantt_alt=f"{JP_PUB}/roadmap_gantt.alt.txt",
        tool_scores=f"{JP_PUB}/tool_scores.png",
        tool_scores_alt=f"{JP_PUB}/tool_scores.alt.txt",
    log:
        "logs/programme/journeys_programme_figures.log",
    conda:
        CONDA_ENV
    params:
        n_authorities=len(AUTHORITIES),
        names={a: AUTH[a]["name"] for a in AUTHORITIES},
    script:
        "../scripts/journeys_programme_figures.py"


JOURNEYS_TARGETS = (
    expand(
        f"{J_PUB}/{{name}}.csv",
        authority=AUTHORITIES,
        name=J_PUB_TABLES,
    )
    + expand(f"{J_PUB}/key_figures.yaml", authority=AUTHORITIES)
    + expand(
        f"{J_PUB}/{{name}}.{{ext}}",
        authority=AUTHORITIES,
        name=J_FIGURES,
        ext=["png", "alt.txt"],
    )
    + [f"{JP_PUB}/{name}.csv" for name in JP_PUB_TABLES]
    + [f"{JP_PUB}/key_figures.yaml"]
    + [f"{JP_PUB}/{name}.{ext}" for name in JP_FIGURES for ext in ("png", "alt.txt")]
)
