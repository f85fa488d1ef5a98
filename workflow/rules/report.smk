# Stage: report. Assemble the Quarto project from published outputs, then render each
# document to HTML and PDF (Quarto when on PATH, else the pandoc/typst fallback), one render
# job at a time (resources: render=1, limited to 1 by profiles/default).

REPORT_DOCS = ["index", "business-case", "user-research", "roadmap"] + [
    f"case-study-{a}" for a in AUTHORITIES
]
REPORT_EXT = {"html": "html", "pdf": "pdf"}
REPORT_FORMATS = config["report"]["formats"]


rule report_build:
    input:
        sources=sorted(str(p) for p in Path("report").iterdir() if p.is_file()),
        questionnaire=config["instruments"]["questionnaire"],
        codebook=config["instruments"]["codebook"],
        stages=SURVEY_TARGETS + CODING_TARGETS + JOURNEYS_TARGETS + COSTS_TARGETS,
    output:
        directory("results/reports/build"),
    log:
        "logs/programme/report_build.log",
    conda:
        CONDA_ENV
    params:
        programme=config["programme"],
        authorities=config["authorities"],
        disclosure=config["disclosure"],
    script:
        "../scripts/report_build.py"


rule report_render:
    input:
        "results/reports/build",
    output:
        [f"results/reports/{{doc}}.{REPORT_EXT[f]}" for f in REPORT_FORMATS],
    log:
        "logs/programme/report_render_{doc}.log",
    wildcard_constraints:
        doc="|".join(REPORT_DOCS),
    conda:
        CONDA_ENV
    resources:
        render=1,
    params:
        renderer=config["report"]["renderer"],
        formats=REPORT_FORMATS,
    script:
        "../scripts/report_render.py"


REPORT_TARGETS = [
    f"results/reports/{d}.{REPORT_EXT[f]}" for d in REPORT_DOCS for f in REPORT_FORMATS
]
