"""Benchmark (not a test): recovery of a whole run killed mid-way (issue 14.8).

    .venv/bin/python benchmarks/bench_recovery.py [--cores 2] [--after 30] [--reference DIR]

Runs the example programme uninterrupted in one copy of the project (or takes the finished
copy ``--reference``), then in a fresh copy starts the README's command, ``snakemake --cores
N``, and sends SIGKILL to its whole process group once ``--after`` jobs have finished (counted
from Snakemake's output, so the kill lands mid-way whatever the machine's speed). Then it runs
the README's command again, alone, and compares ``results/`` of both copies byte for byte.
Prints what the kill left behind (lock files, incomplete markers), whether the plain re-run
finished, and the files that differ (none expected). tests/test_recovery.py checks the same on
a partial re-run; this exercises a kill during a run from nothing.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_pipeline import IGNORE, ROOT


def _copy(dest: Path) -> Path:
    import shutil

    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def _run(work: Path, cores: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(work)}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores)],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip


def _run_and_kill(work: Path, cores: int, after: int) -> int:
    """Start the run; SIGKILL its process group when ``after`` jobs have finished."""
    env = {**os.environ, "PYTHONPATH": str(work)}
    log = work / "killed-run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "snakemake", "--cores", str(cores)],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        finished = 0
        while proc.poll() is None:
            finished = log.read_text(errors="replace").count("Finished jobid")
            if finished >= after:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return finished
            time.sleep(0.05)
    raise SystemExit(f"the run ended after {finished} jobs, before the kill; lower --after")


def _results(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in (root / "results").rglob("*") if p.is_file()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--after", type=int, default=30, help="finished jobs before the kill")
    ap.add_argument("--reference", type=Path, help="a finished copy of the project")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    reference = args.reference
    if reference is None:
        reference = _copy(tmp / "reference")
        t0 = time.perf_counter()
        proc = _run(reference, args.cores)
        if proc.returncode:
            print(proc.stdout[-3000:], proc.stderr[-3000:])
            return 1
        print(f"uninterrupted run: {time.perf_counter() - t0:.0f} s")
    work = _copy(tmp / "killed")
    n = _run_and_kill(work, args.cores, args.after)
    locks = list((work / ".snakemake" / "locks").glob("*"))
    incomplete = list((work / ".snakemake" / "incomplete").glob("*"))
    print(
        f"killed (SIGKILL to the process group) after {n} finished jobs: "
        f"{len(locks)} lock files and {len(incomplete)} incomplete markers left behind"
    )
    t0 = time.perf_counter()
    proc = _run(work, args.cores)
    print(
        f"re-run with the README's command: exit {proc.returncode} "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        return 1
    got, want = _results(work), _results(reference)
    missing = sorted(set(want) ^ set(got))
    differ = sorted(r for r in set(want) & set(got) if not filecmp.cmp(got[r], want[r], False))
    print(
        f"results/: {len(want)} files; {len(missing)} only in one run, {len(differ)} differ"
        + "".join(f"\n  {r}" for r in missing + differ)
    )
    print(f"copies in {tmp}")
    return 0 if not missing and not differ else 1


if __name__ == "__main__":
    raise SystemExit(main())
