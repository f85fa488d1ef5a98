# Stage: report. Assemble the Quarto project from published outputs, then render every
# document to HTML and PDF (Quarto when on PATH, else the pandoc/typst fallback), one document
# after another in a single job: report_build rewrites the whole project whenever any input
# changes, so per-document jobs would re-run together anyway and only add start-up time.
# resources: render=1 (limited to 1 by profiles/default) keeps render jobs one at a time if
# more render rules are added.

from analysis.report import report_inputs

REPORT_DOCS = ["index", "business-case", "user-research", "roadmap"] + [
    f"case-study-{a}" for a in AUTHORITIES
]
REPORT_EXT = {"html": "html", "pdf": "pdf"}
REPORT_FORMATS = config["report"]["formats"]
# The one list of files the reports read (published tables, key figures and their schemas,
# figures and alt texts): declared here as inputs, passed to the script as a mapping.
REPORT_INPUTS = report_inputs(AUTHORITIES, SURVEY_CONSTRUCTS)


rule report_build:
    input:
        gate=inputs_validated,
        sources=sorted(str(p) for p in Path("report").iterdir() if p.is_file()),
        questionnaire=config["instruments"]["questionnaire"],
        codebook=config["instruments"]["codebook"],
        published=list(REPORT_INPUTS.values()),
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
        inputs=REPORT_INPUTS,
        code_version=CODE_VERSION,
    script:
        "../scripts/report_build.py"


rule report_render:
    input:
        gate=inputs_validated,
        build="results/reports/build",
    output:
        [
            f"results/reports/{d}.{REPORT_EXT[f]}"
            for d in REPORT_DOCS
            for f in REPORT_FORMATS
        ],
    log:
        "logs/programme/report_render.log",
    conda:
        CONDA_ENV
    resources:
        render=1,
    params:
        renderer=config["report"]["renderer"],
        formats=REPORT_FORMATS,
        docs=REPORT_DOCS,
    script:
        "../scripts/report_render.py"


REPORT_TARGETS = [
    f"results/reports/{d}.{REPORT_EXT[f]}" for d in REPORT_DOCS for f in REPORT_FORMATS
]
