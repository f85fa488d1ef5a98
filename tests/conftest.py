"""Shared fixtures: repository paths, instruments, schemas, and one real pipeline run.

Markers: a test is ``workflow`` when it runs Snakemake (it uses the ``pipeline_run`` or
``council_run`` fixture, or its source calls ``snakemake(``); every other test is ``unit``.
``pytest -m unit`` runs in seconds; ``pytest -m workflow`` runs the end-to-end tests.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "results",
    "logs",
    ".snakemake",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
    "report.zip",
)


def load_yaml(rel: str | Path) -> dict:
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def questionnaire() -> dict:
    return load_yaml("survey/questionnaire.yaml")


@pytest.fixture(scope="session")
def codebook() -> dict:
    return load_yaml("survey/codebook.yaml")


@pytest.fixture(scope="session")
def schemas() -> dict:
    return {
        k: load_yaml(f"workflow/schemas/{k}.schema.yaml")
        for k in ("survey", "coding", "costs", "journeys", "config")
    }


@pytest.fixture(scope="session")
def example_config() -> dict:
    return load_yaml("config.yaml")


def copy_repo(dest: Path) -> Path:
    """A working copy of the project (tracked and new files, no results) to run snakemake in."""
    shutil.copytree(REPO, dest, ignore=IGNORE)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real snakemake CLI of this environment in ``workdir``."""
    # the copy's own analysis package, not the editable install of the repository it came from
    env = {**os.environ, "PYTHONPATH": str(workdir)}
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory):
    """One full pipeline run on the example programme, in a fresh copy of the project.

    Returns the copy's path; tests read results/ there. Inputs are hashed before the run so
    tests can check they were not modified.
    """
    from analysis.ingest import file_sha256

    work = copy_repo(tmp_path_factory.mktemp("pipeline") / "project")
    before = {
        p.relative_to(work).as_posix(): file_sha256(p)
        for p in (work / "survey").rglob("*")
        if p.is_file()
    }
    proc = snakemake(work, "--cores", "2", check=True)
    return {"dir": work, "inputs_before": before, "proc": proc}


WORKFLOW_FIXTURES = {"pipeline_run", "council_run", "completed_run"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("workflow") or item.get_closest_marker("unit"):
            continue
        func = getattr(item, "function", None)
        source = inspect.getsource(func) if func is not None else ""
        runs = WORKFLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or "snakemake(" in source
        item.add_marker(pytest.mark.workflow if runs else pytest.mark.unit)


def copy_completed_run(pipeline_run: dict, dest: Path) -> Path:
    """A copy of the finished example run (results, logs and Snakemake's metadata, with their
    timestamps), to change one input in and re-run only what depends on it."""
    shutil.copytree(pipeline_run["dir"], dest, symlinks=True)
    return dest


def snakemake_jobs(proc: subprocess.CompletedProcess) -> list[tuple[str, str | None]]:
    """(rule, authority wildcard or None) of every job a Snakemake run executed, or a dry run
    listed, read from the job blocks it prints ("rule x:", "localrule x:", "checkpoint x:").
    (The "Job stats" table of a run with a checkpoint is only its first plan, so it is not
    used.)"""
    jobs, current = [], None
    for line in (proc.stdout + "\n" + proc.stderr).splitlines():
        m = re.match(r"^(?:local)?(?:rule|checkpoint) (\w+):", line)
        if m:
            if current:
                jobs.append(tuple(current))
            current = [m.group(1), None]
            continue
        w = re.match(r"^\s+wildcards:.*\bauthority=(\w+)", line)
        if w and current:
            current[1] = w.group(1)
    if current:
        jobs.append(tuple(current))
    return [j for j in jobs if j[0] != "all"]
