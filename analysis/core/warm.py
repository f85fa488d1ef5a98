"""A warm worker: the workflow's Python jobs start from a process that has already imported
the stack, instead of importing it again in every job.

Why: a job that imports pandas, scipy, matplotlib and pingouin spends about 3 s of CPU on the
imports alone (2-core machine, measured with ``python -X importtime``), while most of this
pipeline's jobs do less than a second of work; with 13 jobs a council, start-up was most of a
council's cost. Python's own fork server (``multiprocessing.forkserver``) serves only the
process that started it, and no maintained library serves Snakemake's script jobs, so this
is a small one of our own, on the standard library only.

How:

- The workflow's ``onstart`` hook calls :func:`start`, which launches ``python -m
  analysis.core.warm`` as a child of the Snakemake process. It imports :data:`PRELOAD` once and
  listens on a Unix socket in a private (0700) temporary directory, named to the jobs by
  the environment variable :data:`SOCKET_ENV`.
- Each workflow script calls :func:`offload` first. If a worker is named, the script sends its
  command line, working directory, environment and standard streams to the worker and waits.
  The worker forks; the child runs the same script file (Snakemake's copy with its preamble)
  exactly as ``python script.py`` would, on the client's streams, and returns its exit status.
  A signal the client receives (Snakemake stopping a job) is passed on to the child.
- Whenever the worker cannot be used (none started, not reachable, inside a SLURM job, whose
  resources the scheduler has allotted), the script runs in its own process as before. The
  outputs are the same either way: ``tests/test_warm.py`` runs the example both ways.
- ``onsuccess`` and ``onerror`` call :func:`stop`. The worker waits for its children, so their
  CPU time is counted in the Snakemake process's (what ``/usr/bin/time`` reports); it also
  leaves by itself when the Snakemake process that started it is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

#: Names the worker's socket to the jobs (set by :func:`start` in Snakemake's environment).
SOCKET_ENV = "PIPELINE_WARM_SOCKET"
#: Set to ``0`` to run every job in its own process (what :func:`start` then does nothing for).
ENABLE_ENV = "PIPELINE_WARM_WORKER"
#: Set in a job the worker runs, so that the script's own :func:`offload` does not offload.
INSIDE_ENV = "PIPELINE_WARM_CHILD"
#: What the worker imports once: the stack and the pipeline's modules the scripts use.
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib.pyplot",
    "pingouin",
    "openpyxl",
    "yaml",
    "snakemake.logging",
    "snakemake.iocontainers",
    "analysis.core",
    "analysis.core.plotting",
    "analysis.ingest",
    "analysis.survey",
    "analysis.coding",
    "analysis.journeys",
    "analysis.costs",
    "analysis.report",
    "analysis.render",
)
#: A file to which the worker appends each job's script name, CPU and wall seconds (benchmarks).
PROFILE_ENV = "PIPELINE_WARM_PROFILE"
#: The job's thread settings (the rules declare one thread; Snakemake sets these for a job).
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS")

_worker: subprocess.Popen | None = None


def start() -> None:
    """Start the worker for this Snakemake run (from the ``onstart`` hook)."""
    global _worker
    if _worker is not None:
        return
    if os.environ.get(ENABLE_ENV, "1") == "0":
        os.environ.pop(SOCKET_ENV, None)  # not a worker this run inherited from elsewhere
        return
    directory = tempfile.mkdtemp(prefix="pipeline-warm-")  # 0700: only this user connects
    path = os.path.join(directory, "socket")
    env = dict(os.environ, MPLBACKEND="Agg", **dict.fromkeys(_ONE_THREAD, "1"))
    _worker = subprocess.Popen(
        [sys.executable, "-m", "analysis.core.warm", path, str(os.getpid())],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    if _worker.stdout.readline().strip() == b"ready":
        os.environ[SOCKET_ENV] = path
    else:  # the worker failed to start: every job runs in its own process
        _worker.wait()
        shutil.rmtree(directory, ignore_errors=True)
        _worker = None


def stop() -> None:
    """Stop the worker (from ``onsuccess`` and ``onerror``) and wait for it."""
    global _worker
    path = os.environ.pop(SOCKET_ENV, None)
    if _worker is None:
        return
    _worker.send_signal(signal.SIGTERM)
    _worker.wait()
    _worker = None
    if path:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def offload(snakemake=None) -> None:
    """Run this script in the warm worker if one is up, and leave with its exit status.

    Returns (and the script goes on in this process) when there is no worker to use.
    """
    path = os.environ.get(SOCKET_ENV)
    if not path or os.environ.get(INSIDE_ENV) or os.environ.get("SLURM_JOB_ID"):
        return
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(path)
    except OSError:
        return
    request = {"argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    with conn:
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        reply = conn.makefile("rb")
        child = int(reply.readline())

        def forward(signum, _frame):
            os.kill(child, signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, forward)
        status = reply.readline().strip()
    sys.exit(int(status) if status else 1)  # no status: the child died without reporting


def _run_child(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: become the client's ``python script.py`` and report the status."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], **{INSIDE_ENV: "1"})
    sys.argv = request["argv"]
    tempfile.tempdir = None  # follow the job's TMPDIR, as a new process would
    conn.sendall(f"{os.getpid()}\n".encode())
    status = 0
    try:
        import runpy

        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as leave:
        code = leave.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    conn.sendall(f"{status}\n".encode())
    os._exit(status)


def _serve(path: str, parent: int) -> None:
    """The worker: import :data:`PRELOAD`, then fork a child for each job until stopped."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a job that needs it reports the failure itself
            pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    server.settimeout(1.0)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print("ready", flush=True)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # the pipe to start() closes; a child gets its client's stdout here
    os.close(quiet)
    while not stopping and os.getppid() == parent:
        _reap()
        try:
            conn, _ = server.accept()
        except (TimeoutError, InterruptedError):
            continue
        with conn:
            conn.settimeout(None)
            data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
            while not data.endswith(b"\n"):
                more = conn.recv(1 << 20)
                if not more:
                    break
                data += more
            if len(fds) != 3 or not data.endswith(b"\n"):
                for fd in fds:
                    os.close(fd)
                continue
            request = json.loads(data)
            pid = os.fork()
            if pid == 0:
                server.close()
                _run_child(conn, request, fds)
            _started[pid] = (request["argv"][0], time.monotonic())
            for fd in fds:
                os.close(fd)
    server.close()
    _reap(block=True)  # wait for the jobs still running, so that their CPU time is counted


#: Jobs running: pid -> (script, start time), for the profile :data:`PROFILE_ENV` asks for.
_started: dict[int, tuple[str, float]] = {}


def _reap(block: bool = False) -> None:
    while True:
        try:
            pid, _status, usage = os.wait4(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _record(pid, usage)


def _record(pid: int, usage) -> None:
    """Append the finished job's CPU and wall time to the profile file, if one is asked for
    (a benchmark's measurement: benchmarks/bench_scale.py --profile)."""
    script, began = _started.pop(pid, ("?", time.monotonic()))
    target = os.environ.get(PROFILE_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as out:
            cpu = usage.ru_utime + usage.ru_stime
            out.write(f"{os.path.basename(script)}\t{cpu:.3f}\t{time.monotonic() - began:.3f}\n")


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
