"""Recovery after a killed run (issue 14.8): the README's command alone finishes the run.

A run killed with SIGKILL leaves Snakemake's lock files and incomplete-output markers behind;
the plain re-run used to stop with IncompleteFilesException, then LockException. The default
profile sets rerun-incomplete, and the workflow removes lock files no living run holds.
The end-to-end test kills a real re-run mid-way (on an event, never a timer) and checks the
plain command then finishes with results identical to the uninterrupted run.
"""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_completed_run, snakemake

from analysis.core import io


def test_stale_locks_are_removed_only_when_no_run_holds_them(tmp_path):
    state = tmp_path / ".snakemake"
    (state / "locks").mkdir(parents=True)
    (state / "locks" / "0.input.lock").write_text("results/x.csv\n")
    try:
        assert io.release_stale_locks(state) is True
        assert not (state / "locks").exists()
        # while this process holds the run lock, another process must leave locks alone
        (state / "locks").mkdir()
        (state / "locks" / "0.output.lock").write_text("results/y.csv\n")
        other = subprocess.run(
            [sys.executable, "-c",
             f"from analysis.core.io import release_stale_locks as r; print(r({str(state)!r}))"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert other.stdout.strip() == "False"
        assert (state / "locks" / "0.output.lock").is_file()
    finally:
        if io._RUN_LOCK is not None:
            io._RUN_LOCK.close()
            io._RUN_LOCK = None
    # once the holder is gone (closed, as when a process is killed) they are stale
    other = subprocess.run(
        [sys.executable, "-c",
         f"from analysis.core.io import release_stale_locks as r; print(r({str(state)!r}))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert other.stdout.strip() == "True" and not (state / "locks").exists()


def _results(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in (root / "results").rglob("*") if p.is_file()}


def _kill_mid_run(work: Path) -> None:
    """Start the README's command, and SIGKILL its process group once a job is running and
    at least one has finished (events read from .snakemake/, not a timer)."""
    env = {**os.environ, "PYTHONPATH": str(work)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    incomplete = work / ".snakemake" / "incomplete"
    started = set()
    try:
        while proc.poll() is None:
            running = set(incomplete.iterdir()) if incomplete.is_dir() else set()
            if started - running and running:  # one job done, another running
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return
            started |= running
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    pytest.fail("the run finished before it could be killed mid-way")


def test_the_readme_command_recovers_a_killed_run(pipeline_run, tmp_path):
    reference = pipeline_run["dir"]
    work = copy_completed_run(pipeline_run, tmp_path / "project")
    # one council's ingested coding sheet lost: its coding jobs, the programme's and the
    # reports run again, and must give the same files
    for name in ("coding.csv", "excerpts.csv"):
        (work / "results" / "canterbury" / "ingest" / name).unlink()
    _kill_mid_run(work)
    assert any((work / ".snakemake" / "locks").iterdir()), "a killed run leaves its locks"
    proc = snakemake(work, "--cores", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    got, want = _results(work), _results(reference)
    assert sorted(got) == sorted(want)
    differ = [rel for rel in want if not filecmp.cmp(got[rel], want[rel], shallow=False)]
    assert differ == []
