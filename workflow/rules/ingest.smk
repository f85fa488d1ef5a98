# Ingest: one rule per input kind per authority. Each validates its input (schema, PII
# gate), normalises it and writes tidy tables under results/{authority}/ingest/.


rule ingest_survey:
    input:
        data=auth_input("survey"),
        questionnaire=config["instruments"]["questionnaire"],
        schema="workflow/schemas/survey.schema.yaml",
    output:
        survey="results/{authority}/ingest/survey.csv",
        missing="results/{authority}/ingest/survey_missing.csv",
    log:
        "logs/{authority}/ingest_survey.log",
    conda:
        CONDA_ENV
    params:
        fmt=lambda wc: AUTH[wc.authority]["survey_format"],
        extra_patterns=config["pii"]["extra_patterns"],
    script:
        "../scripts/ingest_survey.py"


rule ingest_coding:
    input:
        data=auth_input("coding"),
        codebook=config["instruments"]["codebook"],
        schema="workflow/schemas/coding.schema.yaml",
    output:
        coding="results/{authority}/ingest/coding.csv",
        excerpts="results/{authority}/ingest/excerpts.csv",
    log:
        "logs/{authority}/ingest_coding.log",
    conda:
        CONDA_ENV
    params:
        extra_patterns=config["pii"]["extra_patterns"],
    script:
        "../scripts/ingest_coding.py"


rule ingest_journeys:
    input:
        data=auth_input("journeys"),
        schema="workflow/schemas/journeys.schema.yaml",
    output:
        journeys="results/{authority}/ingest/journeys.csv",
        # the register's Systems sheet (owner, hosting, integration, capabilities)
        systems="results/{authority}/ingest/systems.csv",
    log:
        "logs/{authority}/ingest_journeys.log",
    conda:
        CONDA_ENV
    params:
        extra_patterns=config["pii"]["extra_patterns"],
    script:
        "../scripts/ingest_journeys.py"


rule ingest_costs:
    input:
        data=auth_input("costs"),
        schema="workflow/schemas/costs.schema.yaml",
        # the GMCA Unit Cost Database workbook the council names, if any (unit values)
        unit_costs=lambda wc: AUTH[wc.authority]["inputs"].get("unit_costs", []),
        deflators="analysis/data/gdp_deflators.csv",
        unit_values="analysis/data/unit_values.csv",
        # the roadmap action table: the ids a benefit line's delivered_by may name
        actions=config["instruments"]["roadmap_actions"],
    output:
        [f"results/{{authority}}/ingest/{f}" for f in INGEST_OUTPUTS["costs"]],
    log:
        "logs/{authority}/ingest_costs.log",
    conda:
        CONDA_ENV
    script:
        "../scripts/ingest_costs.py"


rule ingest_business_case:
    input:
        data=config["programme"]["business_case"],
        schema="workflow/schemas/business_case.schema.yaml",
        actions=config["instruments"]["roadmap_actions"],
        gap_rules=config["instruments"]["gap_rules"],
        codebook=config["instruments"]["codebook"],
        questionnaire=config["instruments"]["questionnaire"],
    output:
        "results/programme/ingest/business_case.yaml",
    log:
        "logs/programme/ingest_business_case.log",
    conda:
        CONDA_ENV
    params:
        extra_patterns=config["pii"]["extra_patterns"],
        authority_ids=[a["id"] for a in config["authorities"]],
    script:
        "../scripts/ingest_business_case.py"


checkpoint manifest:
    input:
        inputs=[path for path, _, _ in all_inputs()],
        ingested=INGEST_TARGETS,
        # checked against each other before the gate opens (analysis.ingest.cross_checks)
        business_case=BUSINESS_CASE,
        benefits=[f"results/{a}/ingest/costs/benefits.csv" for a in AUTHORITIES],
    output:
        "results/manifest.csv",
    log:
        "logs/manifest.log",
    conda:
        CONDA_ENV
    params:
        entries=all_inputs(),
        version=CODE_VERSION,
        authorities=AUTHORITIES,
    script:
        "../scripts/manifest.py"
