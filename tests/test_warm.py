"""The warm worker (analysis.core.warm): a job run from it behaves as the same script run in its
own process (exit status, streams, working directory, environment), a signal to the job
reaches it, and the workflow's outputs are the same bytes either way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, copy_repo, snakemake

from analysis.core import warm

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from analysis.core.warm import offload

    offload()
    print("cwd", os.getcwd())
    print("x", os.environ.get("X_TEST"))
    print("in worker", os.environ.get("PIPELINE_WARM_CHILD") == "1")
    print("pandas loaded before the job", "pandas" in sys.modules)
    print("to stderr", file=sys.stderr)
    if sys.argv[1] == "raise":
        raise RuntimeError("a failing job")
    if sys.argv[1] == "sleep":
        print(os.getpid(), flush=True)
        import time
        time.sleep(600)
    sys.exit(int(sys.argv[1]))
    """
)


@pytest.fixture(scope="module")
def worker():
    """A worker started as the workflow's onstart hook starts it (the test process stands in
    for Snakemake); its socket is named in this process's environment, as for the jobs."""
    os.environ.pop(warm.ENABLE_ENV, None)
    warm.start()
    assert os.environ.get(warm.SOCKET_ENV), "the worker did not start"
    yield os.environ[warm.SOCKET_ENV]
    warm.stop()
    assert warm.SOCKET_ENV not in os.environ


def _run(script: Path, arg: str, cwd: Path, *, use_worker: bool, **kw):
    env = {**os.environ, "X_TEST": "seven", "PYTHONPATH": str(REPO)}
    if not use_worker:
        env.pop(warm.SOCKET_ENV, None)
    return subprocess.run(
        [sys.executable, str(script), arg], cwd=cwd, env=env, capture_output=True, text=True, **kw
    )


def test_importing_the_client_imports_no_heavy_library():
    # every job imports analysis.core.warm first; if that imported pandas, the worker would
    # save nothing (analysis.core loads its names lazily for this)
    code = "import sys, analysis.core.warm; print(sorted({'pandas', 'numpy', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_script_in_the_worker_behaves_as_in_its_own_process(worker, tmp_path):
    script = tmp_path / "job.py"
    script.write_text(SCRIPT)
    here = tmp_path / "cwd"
    here.mkdir()
    for arg, status in (("0", 0), ("3", 3)):
        warm_run = _run(script, arg, here, use_worker=True, timeout=120)
        own = _run(script, arg, here, use_worker=False, timeout=120)
        assert warm_run.returncode == own.returncode == status
        assert "in worker True" in warm_run.stdout and "in worker False" in own.stdout
        # the worker had imported the stack: that is the time it saves
        assert "pandas loaded before the job True" in warm_run.stdout
        assert "pandas loaded before the job False" in own.stdout
        for run in (warm_run, own):
            assert f"cwd {here}" in run.stdout
            assert "x seven" in run.stdout
            assert run.stderr.strip() == "to stderr"
    failed = _run(script, "raise", here, use_worker=True, timeout=120)
    assert failed.returncode == 1
    assert "RuntimeError: a failing job" in failed.stderr


def test_a_signal_to_the_job_reaches_the_script_in_the_worker(worker, tmp_path):
    script = tmp_path / "job.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(script), "sleep"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = [proc.stdout.readline() for _ in range(5)]
    assert "in worker True" in lines[2]
    child = int(lines[4])
    assert child != proc.pid  # the script runs in the worker's child, not in the client
    proc.send_signal(signal.SIGTERM)  # what Snakemake does to a job it stops
    assert proc.wait(timeout=120) != 0  # returns only once the child has ended
    proc.stdout.close()
    proc.stderr.close()


def test_the_worker_records_each_jobs_cpu_time_when_asked(tmp_path):
    """benchmarks/bench_scale.py reads where the CPU went from this record (PROFILE_ENV): one
    line per job, the script's name and the CPU the job used (its user + system time)."""
    script = tmp_path / "busy_job.py"
    script.write_text(
        "from analysis.core.warm import offload\noffload()\n"
        "total = sum(i * i for i in range(3_000_000))\nprint(total)\n"
    )
    record, sock = tmp_path / "profile.tsv", tmp_path / "socket"
    env = {**os.environ, "PYTHONPATH": str(REPO), warm.PROFILE_ENV: str(record)}
    server = subprocess.Popen(
        [sys.executable, "-m", "analysis.core.warm", str(sock), str(os.getpid())],
        env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert server.stdout.readline().strip() == b"ready"
        job_env = {**env, warm.SOCKET_ENV: str(sock)}
        job_env.pop(warm.PROFILE_ENV)  # the worker's environment decides, not the job's
        for _ in range(2):
            done = subprocess.run([sys.executable, str(script)], env=job_env, cwd=tmp_path,
                                  capture_output=True, text=True, timeout=300)  # fmt: skip
            assert done.stdout.strip() == str(sum(i * i for i in range(3_000_000)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
        server.stdout.close()
    rows = [line.split("\t") for line in record.read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in rows] == ["busy_job.py", "busy_job.py"]
    # three million squares take CPU time, not just wall time (no clock is compared)
    assert all(float(cpu) > 0.05 for _, cpu, _wall in rows)


def test_the_workflow_writes_the_same_bytes_with_and_without_the_worker(pipeline_run, tmp_path):
    """One council's survey, coding, journeys and costs outputs, run again with every job in
    its own process, equal the example run's (which used the worker) byte for byte."""
    work = copy_repo(tmp_path / "project")
    targets = [
        "results/lambeth/published/survey/key_figures.yaml",
        "results/lambeth/published/coding/key_figures.yaml",
        "results/lambeth/published/journeys/key_figures.yaml",
        "results/lambeth/published/costs/key_figures.yaml",
    ]
    os.environ[warm.ENABLE_ENV] = "0"
    try:
        snakemake(work, "--cores", "2", *targets, check=True)
    finally:
        os.environ.pop(warm.ENABLE_ENV)
    made = sorted(p for p in (work / "results" / "lambeth" / "published").rglob("*") if p.is_file())
    assert len(made) > 40
    different = [
        p.relative_to(work).as_posix()
        for p in made
        if p.read_bytes() != (pipeline_run["dir"] / p.relative_to(work)).read_bytes()
    ]
    assert different == []
    # the example run's jobs ran in the worker, this run's in their own processes
    log = "logs/lambeth/survey_authority.log"
    assert "in the warm worker" in (pipeline_run["dir"] / log).read_text()
    assert "in the warm worker" not in (work / log).read_text()
