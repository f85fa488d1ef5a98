"""The N-council generator for scale benchmarks (survey/generate_programme.py, issue 15).

It must write a programme the pipeline accepts: a config that passes the schema and every
config check, inputs that pass ingest (the cost workbooks after their scaling), a business
case whose per-council entries name exactly the generated councils, and varied councils
(sizes and costs differ between councils of one service). Seeded: the same N and seed give
byte-identical files.
"""

from __future__ import annotations

import filecmp
import sys

import jsonschema
import pandas as pd
import pytest
import yaml
from conftest import REPO
from openpyxl import load_workbook

from analysis.ingest import ingest_costs
from analysis.ingest.config import config_problems

sys.path.insert(0, str(REPO / "survey"))
import generate_programme as gp

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    out = tmp_path_factory.mktemp("programme")
    config = gp.generate(out, 6, seed=3)
    return out, yaml.safe_load(config.read_text(encoding="utf-8"))


def test_the_config_passes_the_schema_and_every_config_check(programme):
    _, config = programme
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text("utf-8"))
    jsonschema.validate(config, schema)
    assert config_problems(config, base=REPO) == []
    assert [a["id"] for a in config["authorities"]] == [f"c{k:03d}" for k in range(1, 7)]


def test_the_business_case_names_exactly_the_generated_councils(programme):
    out, config = programme
    ids = {a["id"] for a in config["authorities"]}
    case = yaml.safe_load((out / "business_case.yaml").read_text(encoding="utf-8"))
    assert set(case["decision_rule"]["affordability_limits"]) == ids
    for f in case["financial"]["funding_sources"]:
        assert set(f["amounts"]) == ids
    for entry in case["benefits"]["realisation"]:
        assert set(entry.get("councils", [])) <= ids
    # council k follows example council k mod 4: c005 is costed as Leicester, scaled
    example = yaml.safe_load((REPO / "survey/example/business_case.yaml").read_text("utf-8"))
    plan = {c["id"]: c for c in gp.council_plan(6, 3)}
    limit = example["decision_rule"]["affordability_limits"]["leicester"]
    assert case["decision_rule"]["affordability_limits"]["c005"] == round(
        limit * plan["c005"]["cost_factor"]
    )


def test_every_cost_workbook_passes_ingest_and_councils_differ(programme):
    out, config = programme
    schema = yaml.safe_load((REPO / "workflow/schemas/costs.schema.yaml").read_text("utf-8"))
    actions = pd.read_csv(REPO / "survey/roadmap_actions.csv")["action_id"].astype(str)
    totals = {}
    for a in config["authorities"]:
        tables = ingest_costs(a["inputs"]["costs"], schema, authority=a["id"], action_ids=actions)
        totals[a["id"]] = tables["costs"]["amount"].sum()
    # c001 and c005 both follow Leicester: the same lines, each scaled by its own factor
    plan = {c["id"]: c for c in gp.council_plan(6, 3)}
    ratio = totals["c005"] / totals["c001"]
    assert ratio == pytest.approx(plan["c005"]["cost_factor"] / plan["c001"]["cost_factor"],
                                  rel=1e-3)  # fmt: skip
    assert len({round(v) for v in totals.values()}) == 6
    pops = [a["population"] for a in config["authorities"]]
    assert len(set(pops)) == 6


def test_the_same_seed_gives_the_same_files(programme, tmp_path):
    out, _ = programme
    again = tmp_path / "again"
    gp.generate(again, 6, seed=3)
    for rel in ("inputs/c002/survey.csv", "inputs/c003/coding.csv", "business_case.yaml"):
        assert filecmp.cmp(out / rel, again / rel, shallow=False), rel
    wb1 = load_workbook(out / "inputs/c004/costs.xlsx")["Costs"]
    wb2 = load_workbook(again / "inputs/c004/costs.xlsx")["Costs"]
    assert [c.value for r in wb1.iter_rows() for c in r] == [
        c.value for r in wb2.iter_rows() for c in r
    ]
