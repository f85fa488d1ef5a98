"""Benchmark of the survey statistics in analysis.survey (a benchmark, not a test: it
measures, it asserts nothing).

100,000 synthetic responses x 40 Likert items (seeded) in 8 constructs of 5 items, 4 authorities,
5 respondent groups, ~5 % missing answers. Runs item distributions (overall, by authority, by
group), disclosure-controlled distributions, construct scores, Cronbach's alpha per construct
(pairwise and listwise), Kruskal-Wallis and pairwise Mann-Whitney (Holm) for every item and
construct score across authorities and across groups, and the missingness summary.
Prints wall time per step and in total, and peak resident memory (ru_maxrss).
Target: <= 10 s and <= 2 GB.

    .venv/bin/python benchmarks/bench_survey.py
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import analysis.survey as sv
from analysis.core.disclosure import rule_from_config

N, N_CONSTRUCTS, PER = 100_000, 8, 5
AUTHORITIES = ["canterbury", "lambeth", "leicester", "milton_keynes"]
GROUPS = ["analyst", "frontline_staff", "manager", "partner_agency", "voluntary_sector"]


def make_questionnaire() -> dict:
    scale = {
        "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
        "positive": [4, 5],
        "negative": [1, 2],
    }
    constructs = [{"id": f"c{c + 1}", "label": f"Construct {c + 1}"} for c in range(N_CONSTRUCTS)]
    items = []
    for c in range(N_CONSTRUCTS):
        for j in range(PER):
            i = c * PER + j + 1
            items.append(
                {
                    "id": f"Q{i:02d}",
                    "type": "likert",
                    "scale": "agreement",
                    "construct": f"c{c + 1}",
                    "reverse": j == PER - 1,
                    "text": f"Item {i}",
                }
            )
    return {"scales": {"agreement": scale}, "constructs": constructs, "items": items}


def make_survey(q: dict, seed: int = 20250101) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    auth = rng.integers(0, len(AUTHORITIES), N)
    grp = rng.integers(0, len(GROUPS), N)
    df = pd.DataFrame(
        {
            "authority": pd.array(np.array(AUTHORITIES)[auth], dtype="string"),
            "response_id": pd.array([f"R{i:06d}" for i in range(N)], dtype="string"),
            "respondent_group": pd.array(np.array(GROUPS)[grp], dtype="string"),
            "wave": 1,
        }
    )
    shift = 0.15 * auth + 0.1 * grp
    cols = {}
    for c in range(N_CONSTRUCTS):
        latent = rng.normal(size=N) + shift
        for j in range(PER):
            it = q["items"][c * PER + j]
            sign = -1 if it["reverse"] else 1
            x = np.clip(np.rint(3 + sign * latent + rng.normal(scale=1.1, size=N)), 1, 5)
            x = x.astype("int64")
            mask = rng.random(N) < 0.05
            cols[it["id"]] = pd.arrays.IntegerArray(x, mask)
    return pd.concat([df, pd.DataFrame(cols)], axis=1)


def main() -> None:
    times = {}

    def step(name, fn):
        t0 = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - t0
        print(f"{name:<42s} {times[name]:6.2f} s", flush=True)
        return out

    t_start = time.perf_counter()
    q = make_questionnaire()
    survey = step("generate synthetic data (not timed below)", lambda: make_survey(q))
    t_work = time.perf_counter()
    rule = rule_from_config({"rule": "nhs"})
    items = [it["id"] for it in q["items"]]

    dists = step(
        "item distributions (overall + 2 groupings)",
        lambda: [
            sv.item_distributions(survey, q, by=b) for b in (None, "authority", "respondent_group")
        ],
    )
    step(
        "controlled distributions (3 tables)",
        lambda: [sv.controlled_distributions(d, rule) for d in dists],
    )
    scores = step("construct scores", lambda: sv.construct_scores(survey, q))
    step("alpha per construct, pairwise", lambda: sv.construct_reliability(survey, q, "pairwise"))
    step("alpha per construct, listwise", lambda: sv.construct_reliability(survey, q, "listwise"))
    data = pd.concat([survey, scores[[c["id"] for c in q["constructs"]]]], axis=1)
    variables = items + [c["id"] for c in q["constructs"]]
    for between in ("authority", "respondent_group"):
        step(
            f"Kruskal-Wallis x {len(variables)} by {between}",
            lambda b=between: sv.kruskal_wallis(data, variables, b),
        )
        step(
            f"pairwise MWU + Holm by {between}",
            lambda b=between: sv.pairwise_mannwhitney(data, variables, b),
        )
    step("missingness summary", lambda: sv.missingness_summary(survey, q))
    step("straight-lining", lambda: sv.straightlining(survey, q, by="authority"))

    work = time.perf_counter() - t_work
    total = time.perf_counter() - t_start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"\nanalysis wall time: {work:.2f} s (target <= 10 s); with data generation {total:.2f} s"
    )
    print(f"peak memory (ru_maxrss): {peak_kib / 1024:.0f} MiB (target <= 2048 MiB)")


if __name__ == "__main__":
    main()
