"""Benchmark (not a test): the whole example programme from a clean results/ folder.

    .venv/bin/python benchmarks/bench_pipeline.py [--cores 2] [--keep]

Copies the project to a temporary folder (so the working tree's results/ is untouched), runs
`snakemake --cores N` there and prints the wall time, the number of jobs, the documents
rendered and the peak memory of the largest single job. Target for issue 7: <= 60 s on a
2-core machine with the pandoc/typst renderer.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "results",
    "logs",
    ".snakemake",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    "report.zip",
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    work = tmp / "project"
    shutil.copytree(ROOT, work, ignore=IGNORE)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(args.cores)],
        cwd=work,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        return 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    jobs = re.search(r"(\d+) of \1 steps \(100%\) done", proc.stdout + proc.stderr)
    n_jobs = int(jobs.group(1)) if jobs else -1
    n_docs = len(list((work / "results" / "reports").glob("*.pdf")))
    print(
        f"full run, clean results/, --cores {args.cores}: {wall:.1f} s wall, {n_jobs} jobs, "
        f"{n_docs} documents rendered (HTML + PDF), peak memory of one job {peak_mb:.0f} MB"
    )
    if args.keep:
        print(f"kept in {work}")
    else:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
