"""Opt-in check (not part of the test suite): a programme through SLURM gives the same results.

    sudo bash benchmarks/slurm/start_cluster.sh          # a single-node cluster on this machine
    .venv/bin/pip install -r profiles/slurm/requirements.txt
    .venv/bin/python benchmarks/bench_slurm.py [--councils 16] [--keep]

Generates a synthetic programme of N councils (survey/generate_programme.py), copies the
project twice and runs it once locally (``snakemake --cores 2``) and once through SLURM
(``snakemake --profile profiles/slurm``: every job an sbatch job on the cluster), both with the
programme's config. Then it compares every file under ``results/`` of the two runs byte for
byte (a PDF's compile timestamps masked: typst writes the time it ran) and prints the wall
time of each run, how many SLURM jobs ran (from sacct or the
executor's log), and the files that differ (none expected). Exit status 1 if any differs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_pipeline import IGNORE, ROOT


def _snakemake(work: Path, *args: str) -> tuple[float, float, str]:
    """Run snakemake in ``work``: wall time, CPU time of it and its local children, log."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=work,
                          capture_output=True, text=True, env={**os.environ})  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout + proc.stderr
    (work / "bench-run.log").write_text(out, encoding="utf-8")
    if proc.returncode != 0:
        sys.stderr.write(out[-4000:])
        raise SystemExit(f"snakemake {' '.join(args[:2])} failed in {work}")
    return wall, cpu, out


#: Where a PDF records when it was compiled (typst writes the compile time; the runs are minutes
#: apart): masked before PDFs are compared, everything else must match byte for byte.
#: The document and instance ids typst derives from it are masked too.
_PDF_TIMES = re.compile(
    rb"D:\d{14}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"
    rb"|/ID\[\([^)]*\)\([^)]*\)\]|<xmpMM:(?:Instance|Document)ID>[^<]*<"
)


def _same(a: Path, b: Path) -> bool:
    if a.suffix != ".pdf":
        return filecmp.cmp(a, b, shallow=False)
    mask = lambda m: b"0" * len(m.group(0))  # noqa: E731
    return _PDF_TIMES.sub(mask, a.read_bytes()) == _PDF_TIMES.sub(mask, b.read_bytes())


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--councils", type=int, default=16)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="only compare the two runs a --keep run left in DIR")  # fmt: skip
    args = ap.parse_args()
    if args.compare:
        return 1 if compare(args.compare / "local/results", args.compare / "slurm/results") else 0
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        raise SystemExit(
            "the SLURM executor is not installed: "
            ".venv/bin/pip install -r profiles/slurm/requirements.txt"
        ) from None
    if subprocess.run(["sinfo", "-h"], capture_output=True).returncode != 0:
        raise SystemExit("no SLURM cluster answers: sudo bash benchmarks/slurm/start_cluster.sh")

    tmp = Path(tempfile.mkdtemp(prefix="bench-slurm-"))
    prog = tmp / "programme"
    subprocess.run([sys.executable, str(ROOT / "survey" / "generate_programme.py"),
                    "--councils", str(args.councils), "--out", str(prog)],
                   check=True, capture_output=True)  # fmt: skip
    config = str(prog / "config.yaml")
    runs = {}
    modes = {"local": ["--cores", "2"], "slurm": ["--profile", "profiles/slurm"]}
    for name in modes:  # both copies first: an edit to the source tree during the first run
        shutil.copytree(ROOT, tmp / name, ignore=IGNORE)  # must not reach the second
    for name, extra in modes.items():
        work = tmp / name
        wall, cpu, log = _snakemake(work, *extra, "--configfile", config)
        jobs = re.search(r"(\d+) of \1 steps \(100%\) done", log)
        submitted = len(re.findall(r"Job \d+ has been submitted with SLURM jobid", log))
        runs[name] = work
        # CPU counts this machine's processes only: SLURM jobs run under slurmd, not here
        print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU on this side, "
              f"{jobs.group(1) if jobs else '?'} jobs"
              + (f", {submitted} submitted to SLURM" if name == "slurm" else ""), flush=True)  # fmt: skip
    differ_or_only = compare(runs["local"] / "results", runs["slurm"] / "results")
    if args.keep:
        print(f"kept in {tmp}")
    else:
        shutil.rmtree(tmp)
    return 1 if differ_or_only else 0


def compare(a: Path, b: Path) -> int:
    """Compare two runs' ``results/`` trees and print what differs; the number of files that
    differ or are in one run only."""
    fa, fb = _files(a), _files(b)
    only = sorted(fa ^ fb)
    common = sorted(fa & fb)
    differ = [p for p in common if not _same(a / p, b / p)]
    # PDFs carry the edition date as their creation time (analysis.render), so they should
    # match unmasked too; say how many needed the mask
    masked = [p for p in common if p.suffix == ".pdf" and not filecmp.cmp(a / p, b / p, False)]
    tables = [p for p in common if p.suffix in (".csv", ".yaml")]
    print(f"{len(common)} files in both runs ({len(tables)} tables: csv and yaml), "
          f"{len(differ)} differ, {len(only)} in one run only; "
          f"{len(masked)} PDFs match only with their timestamps masked")  # fmt: skip
    for p in differ[:20]:
        print(f"  differs: {p}")
    for p in only[:20]:
        print(f"  in one run only: {p}")
    return len(differ) + len(only)


if __name__ == "__main__":
    raise SystemExit(main())
