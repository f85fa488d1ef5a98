"""Benchmark (not a test): the pipeline on synthetic programmes of N councils (issue 15).

    .venv/bin/python benchmarks/bench_scale.py [--councils 4 16 64] [--cores 2] [--keep]

For each N: generates an N-council programme (survey/generate_programme.py, seeded) outside
the project, copies the project to a temporary folder, runs ``snakemake --cores C
--configfile <programme>/config.yaml`` under ``/usr/bin/time -v`` and prints, per N, the wall
time, the CPU time (user + system of Snakemake and every job), the peak memory of the largest
single process, the number of jobs and of documents rendered; then the marginal cost per
council between successive N (the issue's targets: <= 5 s CPU and <= 3 s wall a council),
and where each run's CPU went: per workflow script (the warm worker's record of each job,
``analysis.core.warm.PROFILE_ENV``) and the rest (Snakemake's own process and each job's
start-up before it hands over to the worker).
Then, on the largest N, it adds one response to one council's survey and re-runs, printing
which jobs ran again (the issue's target: that council's jobs, the programme-level jobs and
the documents that show the council).

The renderer is whatever the project's config chooses ("auto": Quarto when on PATH, else the
pandoc/typst fallback); say which when you report the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_pipeline import IGNORE, ROOT

TIME = "/usr/bin/time"


def _time_v(stderr: str) -> dict:
    """Wall, CPU and peak memory from GNU time's -v report."""

    def grab(label):
        m = re.search(rf"{re.escape(label)}: (.+)", stderr)
        return m.group(1).strip() if m else None

    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")] if wall else [float("nan")]
    seconds = sum(v * 60**i for i, v in enumerate(reversed(parts)))
    return {
        "wall": seconds,
        "cpu": float(grab("User time (seconds)")) + float(grab("System time (seconds)")),
        "peak_mb": int(grab("Maximum resident set size (kbytes)")) / 1024,
    }


def run(work: Path, config: Path, cores: int, *extra: str) -> tuple[dict, str]:
    cmd = [TIME, "-v", sys.executable, "-m", "snakemake", "--cores", str(cores),
           "--configfile", str(config), *extra]  # fmt: skip
    profile = work / "job-profile.tsv"  # the warm worker's record of each job (warm.PROFILE_ENV)
    profile.unlink(missing_ok=True)
    env = dict(os.environ, PIPELINE_WARM_PROFILE=str(profile))
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"snakemake failed in {work}")
    out = proc.stdout + proc.stderr
    stats = _time_v(proc.stderr)
    jobs = re.search(r"(\d+) of \1 steps \(100%\) done", out)
    stats["jobs"] = int(jobs.group(1)) if jobs else 0
    stats["docs"] = len(list((work / "results" / "reports").glob("*.pdf")))
    stats["scripts"] = by_script(profile)
    return stats, out


def by_script(profile: Path) -> dict[str, tuple[int, float]]:
    """Jobs and CPU seconds per workflow script, from the warm worker's profile (empty when
    the jobs did not run in the worker)."""
    out: dict[str, tuple[int, float]] = {}
    if not profile.is_file():
        return out
    for line in profile.read_text(encoding="utf-8").splitlines():
        script, cpu, _wall = line.split("\t")
        name = re.sub(r"^tmp\w*\.", "", script)  # Snakemake's copy: tmp<random>.<name>.py
        jobs, total = out.get(name, (0, 0.0))
        out[name] = (jobs + 1, total + float(cpu))
    return out


def rules_run(log: str) -> dict[str, list[str]]:
    """The jobs of each rule a run's log shows: rule -> the councils they ran for ("-" for a
    programme-level job)."""
    jobs: dict[str, list[str]] = {}
    rule = None
    for line in log.splitlines():
        m = re.match(r"^\s*(?:local)?(?:rule|checkpoint) (\w+):", line)
        if m:
            rule = m.group(1)
            jobs.setdefault(rule, []).append("-")
            continue
        w = re.match(r"^\s+wildcards:.*\bauthority=(\w+)", line)
        if w and rule:
            jobs[rule][-1] = w.group(1)
    return jobs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--councils", type=int, nargs="+", default=[4, 16, 64])
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results = {}
    for n in sorted(args.councils):
        prog = tmp / f"programme-{n}"
        subprocess.run([sys.executable, str(ROOT / "survey" / "generate_programme.py"),
                        "--councils", str(n), "--out", str(prog)],
                       check=True, capture_output=True)  # fmt: skip
        work = tmp / f"project-{n}"
        shutil.copytree(ROOT, work, ignore=IGNORE)
        stats, _ = run(work, prog / "config.yaml", args.cores)
        results[n] = stats
        print(
            f"N = {n:3d}: {stats['wall']:7.1f} s wall, {stats['cpu']:7.1f} s CPU, "
            f"peak {stats['peak_mb']:5.0f} MB (largest process), {stats['jobs']} jobs, "
            f"{stats['docs']} documents",
            flush=True,
        )
        outside = stats["cpu"] - sum(cpu for _, cpu in stats["scripts"].values())
        for script, (jobs, cpu) in sorted(stats["scripts"].items(), key=lambda x: -x[1][1]):
            print(f"    {script:32s} {jobs:4d} jobs {cpu:8.1f} s CPU")
        print(f"    {'Snakemake and job start-up':32s} {'':9s} {outside:8.1f} s CPU")
    ns = sorted(results)
    for a, b in zip(ns, ns[1:], strict=False):
        d = b - a
        print(
            f"marginal cost per council, N = {a} -> {b}: "
            f"{(results[b]['cpu'] - results[a]['cpu']) / d:.1f} s CPU, "
            f"{(results[b]['wall'] - results[a]['wall']) / d:.1f} s wall"
        )
    # one council's new survey response in the largest programme
    n = ns[-1]
    work, prog = tmp / f"project-{n}", tmp / f"programme-{n}"
    survey = prog / "inputs" / "c001" / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    last = lines[-1].split(",")
    last[0] = last[0] + "x"  # a new response id, the same answers
    survey.write_text("\n".join([*lines, ",".join(last)]) + "\n", encoding="utf-8")
    stats, log = run(work, prog / "config.yaml", args.cores)
    print(f"N = {n}, one response added to c001: {stats['jobs']} jobs re-ran in "
          f"{stats['wall']:.1f} s wall, {stats['cpu']:.1f} s CPU")  # fmt: skip
    for rule, who in sorted(rules_run(log).items()):
        councils = sorted(set(who) - {"-"})
        print(f"  {rule}: {len(who)}" + (f" (councils: {', '.join(councils)})" if councils else ""))
    if args.keep:
        print(f"kept in {tmp}")
    else:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
