"""Generate a SYNTHETIC programme of N councils, for scale benchmarks and tests (issue 15).

    python survey/generate_programme.py --councils 16 --out /tmp/prog16 [--seed 1]

Writes ``OUT/inputs/<council>/`` (survey, coding sheet, journey register, cost workbook),
``OUT/business_case.yaml`` and ``OUT/config.yaml``; run the pipeline on it from a copy of the
project with ``snakemake --cores 2 --configfile OUT/config.yaml`` (the config's input paths are
absolute). Nothing it writes is committed: the repository holds only the four-council example
(survey/example/, from survey/generate_example.py).

Council k follows one of the four example councils (k mod 4: its service, tier, instruments
and kinds of gaps), with its own seeded data: its own survey responses, workshop sessions and
data-journey register (drawn by the same generators with council k's seeds), a population
drawn between half and one and a half times the example council's (so tiers and sizes vary),
and cost and benefit lines scaled by their own factors (costs 0.6-1.6 x, the benefit cohorts
by the population factor), so options and choices differ between councils of one service.
The business case's per-council entries (affordability limits, funding amounts, benefit
realisation and risks limited to some councils) are carried over from the example council
each follows, money scaled by the council's cost factor.
"""

from __future__ import annotations

import argparse
import copy
import math
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_example as ex  # the example generator, beside this file

ROOT = ex.ROOT


def council_plan(n: int, seed: int) -> list[dict]:
    """The N councils: id, the example council it follows, population and cost factors."""
    config = ex.load_yaml("config.yaml")
    base = {a["id"]: a for a in config["authorities"]}
    rng = ex.Rng(seed)
    plan = []
    for k in range(n):
        like = ex.COUNCILS[k % len(ex.COUNCILS)]
        pop_factor = 0.5 + rng.u()  # 0.5 to 1.5
        cost_factor = 0.6 + rng.u()  # 0.6 to 1.6
        a = base[like]
        plan.append(
            {
                "id": f"c{k + 1:03d}",
                "like": like,
                "name": f"Synthetic Council {k + 1:03d}",
                "service_area": a["service_area"],
                "tier": a["tier"],
                "population": int(round(a["population"] * pop_factor, -2)),
                "pop_factor": pop_factor,
                "cost_factor": cost_factor,
            }
        )
    return plan


def _scale_workbook(path: Path, cost_factor: float, pop_factor: float) -> None:
    """Scale a cost workbook's cost lines (Year columns of Costs) and benefit cohorts."""
    wb = load_workbook(path)
    ws = wb["Costs"]
    header = [c.value for c in ws[1]]
    years = [i for i, h in enumerate(header, 1) if isinstance(h, str) and h.startswith("Year ")]
    for r in range(2, ws.max_row + 1):
        for c in years:
            v = ws.cell(r, c).value
            if isinstance(v, int | float):
                ws.cell(r, c).value = round(v * cost_factor, 2)
    ws = wb["Benefits"]
    header = [c.value for c in ws[1]]
    if "cohort" in header:
        c = header.index("cohort") + 1
        for r in range(2, ws.max_row + 1):
            v = ws.cell(r, c).value
            if isinstance(v, int | float):
                ws.cell(r, c).value = max(1, round(v * pop_factor))
    ws = wb["Uncertainty"]  # a cohort's range moves with the cohort
    header = [c.value for c in ws[1]]
    target, low, high = (header.index(k) + 1 for k in ("target", "low", "high"))
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(r, target).value or "").endswith(":cohort"):
            ws.cell(r, low).value = math.floor(ws.cell(r, low).value * pop_factor)
            ws.cell(r, high).value = math.ceil(ws.cell(r, high).value * pop_factor)
    wb.save(path)


def _expand(node, by_like: dict[str, list[dict]]):
    """The example business case's per-council entries carried over to the N councils."""
    if isinstance(node, dict):
        if node and set(node) <= set(by_like):  # {council: value}
            out = {}
            for like, value in node.items():
                for c in by_like[like]:
                    money = isinstance(value, int | float) and not isinstance(value, bool)
                    out[c["id"]] = round(value * c["cost_factor"]) if money else value
            return out
        return {k: _expand(v, by_like) for k, v in node.items()}
    if isinstance(node, list):
        if node and all(isinstance(x, str) for x in node) and set(node) <= set(by_like):
            return [c["id"] for like in node for c in by_like[like]]
        return [_expand(x, by_like) for x in node]
    return node


def generate(out: Path, n: int, seed: int = 1) -> Path:
    """Write the N-council programme under ``out``; returns its config file."""
    out = out.resolve()
    q = ex.load_yaml("survey/questionnaire.yaml")
    cb = ex.load_yaml("survey/codebook.yaml")
    plan = council_plan(n, seed)
    authorities = []
    for k, c in enumerate(plan):
        d = out / "inputs" / c["id"]
        s = ex.SEED + 1000 * (seed + 1) + 10 * k  # council k's own streams
        header, rows = ex.survey_rows(c["like"], q, ex.Rng(s + 1), ex.Rng(s + 4))
        ex.write_csv(d / "survey.csv", header, rows)
        header, rows = ex.coding_rows(c["like"], cb, ex.Rng(s + 2))
        ex.write_csv(d / "coding.csv", header, rows)
        header, rows = ex.journey_rows(c["like"], ex.Rng(s + 3))
        s_header, s_rows = ex.systems_rows(c["like"], rows)
        ex.write_table_workbook(
            d / "journeys.xlsx", f"Data-journey register: {c['name']}", ex.JOURNEY_INSTRUCTIONS,
            "Register", header, rows, synthetic=True,
            extra_sheets=[("Systems", s_header, s_rows, None)],
        )  # fmt: skip
        ex.write_cost_workbook(d / "costs.xlsx", c["like"], c["name"])
        _scale_workbook(d / "costs.xlsx", c["cost_factor"], c["pop_factor"])
        authorities.append(
            {
                "id": c["id"],
                "name": c["name"],
                "service_area": c["service_area"],
                "context": f"A synthetic council following the example's "
                f"{c['like'].replace('_', ' ').title()} case study, for scale benchmarks.",
                "tier": c["tier"],
                "population": c["population"],
                "population_source": "Synthetic (generated for a scale benchmark)",
                "inputs": {
                    k: str(d / f)
                    for k, f in (
                        ("survey", "survey.csv"),
                        ("coding", "coding.csv"),
                        ("costs", "costs.xlsx"),
                        ("journeys", "journeys.xlsx"),
                    )
                },  # fmt: skip
            }
        )
    by_like = {like: [c for c in plan if c["like"] == like] for like in ex.COUNCILS}
    case = _expand(ex.load_yaml("survey/example/business_case.yaml"), by_like)
    (out / "business_case.yaml").write_text(
        yaml.safe_dump(case, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    config = copy.deepcopy(ex.load_yaml("config.yaml"))
    config["programme"]["title"] = f"A synthetic programme of {n} councils (scale benchmark)"
    config["programme"]["lead_organisation"] = f"{n}-council partnership (synthetic)"
    config["programme"]["business_case"] = str(out / "business_case.yaml")
    config["authorities"] = authorities
    path = out / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--councils", type=int, required=True, help="how many councils (N >= 1)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write the programme to")
    ap.add_argument("--seed", type=int, default=1, help="seed of the programme (default 1)")
    args = ap.parse_args(argv)
    if args.councils < 1:
        ap.error("--councils must be at least 1")
    print(generate(args.out, args.councils, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
