# Stage: report. One project and one render job per document, each reading only what that
# document shows: the programme documents (final report, business case, user research,
# roadmap) are built together from every published output and rendered one job per document;
# each council's case study is built from its own council's outputs (and the few programme
# outputs in analysis.report.inputs.CASE_STUDY_PROGRAMME) and rendered in the same job. So
# documents render in parallel, and one council's new data re-render only its own case study
# and the programme documents (in a programme above report.summarise_above councils; below it
# case studies compare each council with the others, and so read the programme's tables too).
# Quarto when it is on PATH, else the pandoc/typst fallback; resources: render=1 (the default
# profile's limit) keeps at most one render at a time, as a render is the heaviest job.

from analysis.report import compares_with_peers, report_inputs
from analysis.report.project import programme_documents

PROGRAMME_DOCS = programme_documents(Path("report"))
REPORT_DOCS = PROGRAMME_DOCS + [f"case-study-{a}" for a in AUTHORITIES]
REPORT_EXT = {"html": "html", "pdf": "pdf"}
REPORT_FORMATS = config["report"]["formats"]
REPORT_PEERS = compares_with_peers(
    len(AUTHORITIES), config["report"]["summarise_above"]
)
# The one list of files the programme documents read (published tables, key figures and their
# schemas, figures and alt texts): declared here as inputs, passed to the script as a mapping.
REPORT_INPUTS = report_inputs(
    AUTHORITIES, SURVEY_CONSTRUCTS, actions=config["instruments"]["roadmap_actions"]
)


REPORT_SOURCES = sorted(str(p) for p in Path("report").iterdir() if p.is_file())
REPORT_PARAMS = dict(
    programme=config["programme"],
    disclosure=config["disclosure"],
    code_version=CODE_VERSION,
)


wildcard_constraints:
    doc="|".join(PROGRAMME_DOCS),


rule report_build:
    input:
        gate=inputs_validated,
        sources=REPORT_SOURCES,
        questionnaire=config["instruments"]["questionnaire"],
        codebook=config["instruments"]["codebook"],
        published=list(REPORT_INPUTS.values()),
    output:
        build=directory("results/reports/build/programme"),
        # every council's rows of the per-council tables (analysis.report.summaries)
        workbook="results/reports/programme-tables.xlsx",
    log:
        "logs/programme/report_build.log",
    conda:
        CONDA_ENV
    params:
        **REPORT_PARAMS,
        authorities=config["authorities"],
        inputs=REPORT_INPUTS,
        case_study=None,
        report={"summarise_above": config["report"]["summarise_above"]},
    script:
        "../scripts/report_build.py"


rule report_render:
    input:
        gate=inputs_validated,
        build="results/reports/build/programme",
    output:
        [f"results/reports/{{doc}}.{REPORT_EXT[f]}" for f in REPORT_FORMATS],
    log:
        "logs/programme/report_render_{doc}.log",
    conda:
        CONDA_ENV
    resources:
        render=1,
    params:
        renderer=config["report"]["renderer"],
        formats=REPORT_FORMATS,
        docs=lambda wc: [wc.doc],
    script:
        "../scripts/report_render.py"


rule report_case_study:
    input:
        gate=inputs_validated,
        sources=REPORT_SOURCES,
        questionnaire=config["instruments"]["questionnaire"],
        codebook=config["instruments"]["codebook"],
        published=lambda wc: list(case_study_paths(wc.authority).values()),
    output:
        build=directory("results/reports/build/case-study-{authority}"),
        documents=[
            f"results/reports/case-study-{{authority}}.{REPORT_EXT[f]}"
            for f in REPORT_FORMATS
        ],
    log:
        "logs/{authority}/report_case_study.log",
    conda:
        CONDA_ENV
    resources:
        render=1,
    params:
        **REPORT_PARAMS,
        authorities=case_study_authorities,
        programme_size=len(config["authorities"]),
        inputs=lambda wc: case_study_paths(wc.authority),
        case_study=lambda wc: wc.authority,
        compare_with_peers=REPORT_PEERS,
        renderer=config["report"]["renderer"],
        formats=REPORT_FORMATS,
        docs=lambda wc: [f"case-study-{wc.authority}"],
    script:
        "../scripts/report_build.py"


REPORT_TARGETS = [
    f"results/reports/{d}.{REPORT_EXT[f]}" for d in REPORT_DOCS for f in REPORT_FORMATS
] + ["results/reports/programme-tables.xlsx"]
