# Council data roadmap pipeline. Thin on purpose: configuration, validation, rule files.
# Run from the repository root:  snakemake --cores 2  (or: make run)

from snakemake.utils import min_version, validate

from analysis.core import warm

min_version("9.0")


configfile: "config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"


wildcard_constraints:
    authority="|".join(AUTHORITIES),


include: "workflow/rules/ingest.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/coding.smk"
include: "workflow/rules/journeys.smk"
include: "workflow/rules/costs.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        ALL_TARGETS,
        SURVEY_TARGETS,
        CODING_TARGETS,
        JOURNEYS_TARGETS,
        COSTS_TARGETS,
        REPORT_TARGETS,


# Jobs start from a worker that has imported the stack once (analysis.core.warm); off with
# PIPELINE_WARM_WORKER=0, and never inside a SLURM job.
onstart:
    warm.start()


onsuccess:
    warm.stop()


onerror:
    warm.stop()
