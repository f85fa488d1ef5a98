# Helpers shared by all stages: authority lookup, config checks, target lists.

from pathlib import Path

from analysis.core.io import release_stale_locks
from analysis.ingest import code_version, config_problems
from analysis.report import case_study_inputs

# The conda environment of every rule: the project's one environment file.
CONDA_ENV = "../../environment.yml"

AUTH = {a["id"]: a for a in config["authorities"]}
AUTHORITIES = list(AUTH)


# A run that was killed leaves Snakemake's lock files behind; when no other run of this
# project is alive they are stale and are removed here, so the plain re-run recovers (the
# default profile sets rerun-incomplete for the jobs the kill interrupted).
if workflow.is_main_process:
    release_stale_locks(Path(".snakemake"))

# Beyond the schema: files that exist, regular expressions that compile, a discount edition,
# price base year and service areas the reference tables know, text for the title pages.
_problems = config_problems(config)
if _problems:
    raise ValueError("Configuration error:\n  - " + "\n  - ".join(_problems))


def auth_input(kind):
    """Input function: the configured path of one input kind for the job's authority."""

    def _f(wildcards):
        return AUTH[wildcards.authority]["inputs"][kind]

    return _f


def all_inputs():
    """(path, authority, kind) of every configured input, for the manifest."""
    entries = [
        (a["inputs"][k], a["id"], k)
        for a in config["authorities"]
        for k in sorted(a["inputs"])
    ]
    entries += [
        (config["instruments"][k], "programme", k)
        for k in sorted(config["instruments"])
    ]
    entries.append((config["programme"]["business_case"], "programme", "business_case"))
    # the packaged reference tables (deflators, discount schedules, unit values...), whose
    # vintages the manifest records
    entries += [
        (str(p), "programme", f"reference_{p.stem}")
        for p in sorted(Path("analysis/data").glob("*.csv"))
    ]
    return entries


#: The validated business-case input (policy: objectives, decision-rule constraints, risks...).
BUSINESS_CASE = "results/programme/ingest/business_case.yaml"


INGEST_OUTPUTS = {
    "survey": ["survey.csv", "survey_missing.csv"],
    "coding": ["coding.csv", "excerpts.csv"],
    "journeys": ["journeys.csv", "systems.csv"],
    "costs": [
        f"costs/{t}.csv"
        for t in (
            "parameters",
            "baseline",
            "options",
            "costs",
            "benefits",
            "uncertainty",
            "sources",
            "benefit_values",
        )
    ],
}

INGEST_TARGETS = [
    f"results/{a}/ingest/{f}"
    for a in AUTHORITIES
    for fs in INGEST_OUTPUTS.values()
    for f in fs
] + [BUSINESS_CASE]

# The gate: the manifest is a checkpoint written only once every input of the run has passed
# ingest, and every analysis rule takes `gate=inputs_validated` as an input. That input
# function asks for the checkpoint and returns no file: no analysis or publishing job can be
# scheduled while any input is unvalidated or refused, yet no job depends on the manifest's
# timestamp, so after validation Snakemake re-evaluates each job on its own inputs and a
# council's new data re-runs only the jobs that read it. (An ancient() input would do the
# ordering too, but Snakemake 9 then skips the other checks of the jobs behind it, so a
# changed rule table could be missed in the same run.) A dry run cannot see past a gate that
# must re-run, so it lists every job after it; the real run runs only what changed.
INPUTS_VALIDATED = "results/manifest.csv"


def inputs_validated(wildcards):
    checkpoints.manifest.get()
    return []


CODE_VERSION = code_version(workflow.basedir)
ALL_TARGETS = [INPUTS_VALIDATED] + INGEST_TARGETS


# The report stage's input functions (workflow/rules/report.smk sets REPORT_PEERS; the survey
# stage SURVEY_CONSTRUCTS): what a council's case study reads, and the councils it names.
def case_study_paths(authority):
    return case_study_inputs(
        authority,
        SURVEY_CONSTRUCTS,
        compare_with_peers=REPORT_PEERS,
        actions=config["instruments"]["roadmap_actions"],
    )


def case_study_authorities(wildcards):
    """The councils a case study names: all when it compares the council with the others, else
    its own (so another council's config does not re-run it)."""
    if REPORT_PEERS:
        return config["authorities"]
    return [AUTH[wildcards.authority]]
