"""The journeys stage's contracts: key-figures schemas and the stage vocabulary.

The example key figures below are copied from a run of the example programme
(``results/leicester/published/journeys/key_figures.yaml`` and the programme's), so the
schemas are checked against the real shape the report layer reads.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from analysis.core.contracts import KeyFigureError, check_key_figures
from analysis.core.vocabulary import STAGES
from analysis.journeys import MATURITY_LEVELS, MATURITY_THEMES

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow" / "schemas"

AUTHORITY_EXAMPLE = {
    "actions_in_place": [
        "A07 Shared data warehouse for the service area",
        "A08 Single view of the person or family",
        "A11 Data in decision meetings",
    ],
    "actions_now": [
        "A01 Data-quality checks at capture and validation",
        "A02 Security controls at every stage",
        "A04 Review of data need scope and form",
        "A03 Data-sharing agreements with partners",
        "A05 Digital capture instead of paper and phone",
    ],
    "authority": "leicester",
    "gap_ids_found": ["G01", "G02", "G04", "G05", "G07", "G09", "G10"],
    "inventory_recorded": True,
    "n_actions_existing_budgets": 6,
    "n_actions_unfunded": 0,
    "actions_unfunded": [],
    "maturity_label_culture": "emerging",
    "maturity_label_data": "developing",
    "maturity_label_leadership": "emerging",
    "maturity_label_skills": "learning",
    "maturity_label_tools": "learning",
    "maturity_label_uses": "developing",
    "maturity_level_culture": 2,
    "maturity_level_data": 4,
    "maturity_level_leadership": 2,
    "maturity_level_skills": 3,
    "maturity_level_tools": 3,
    "maturity_level_uses": 4,
    "maturity_lowest_level": 2,
    "maturity_lowest_themes": ["leadership", "culture"],
    "most_common_gap_id": "G01",
    "most_common_gap_label": "No data-quality audit",
    "most_common_gap_n_streams": 6,
    "n_actions": 10,
    "n_actions_assumed_in_place": 0,
    "n_actions_beyond_horizon": 0,
    "n_actions_dependency": 0,
    "n_actions_in_place": 3,
    "n_actions_later": 1,
    "n_actions_next": 4,
    "n_actions_no_evidence": 0,
    "n_actions_deferred": 0,
    "actions_deferred": [],
    "n_actions_now": 5,
    "n_actions_triggered": 10,
    "n_gap_kinds_found": 7,
    "n_gap_rules": 10,
    "n_gaps": 24,
    "n_gaps_high": 10,
    "n_gaps_low": 2,
    "n_gaps_medium": 12,
    "n_objectives": 3,
    "n_objectives_met": 3,
    "n_prerequisites_in_place": 2,
    "n_stages_happening": 56,
    "n_streams": 8,
    "n_streams_reaching_decision": 8,
    "n_streams_with_high_gap": 7,
    "n_systems": 7,
    "n_systems_rekeyed": 1,
    "n_systems_unsecured": 1,
    "objectives_met": ["SO1", "SO2", "SO3"],
    "objectives_not_met": [],
    "roadmap_end_month": 24,
    "tools_ranked": [
        "Partnership data warehouse",
        "Power BI",
        "Council file share",
        "Domestic abuse case tracker",
        "Spreadsheet",
        "Shared mailbox",
        "Telephony and call notes",
    ],
    "top_stage": "decision_use",
    "top_stage_total": 15,
    "top_tool": "Partnership data warehouse",
    "top_tool_total": 14,
    "volume_per_year_total": 13890,
}

PROGRAMME_EXAMPLE = {
    "actions_needed_by_all": [
        "A03 Data-sharing agreements with partners",
        "A04 Review of data need scope and form",
        "A05 Digital capture instead of paper and phone",
        "A06 Automated feeds to replace manual re-keying",
        "A09 Automated dashboards and statutory reports",
        "A10 Analytics skills for staff",
        "A12 Predictive and spatial analytics pilot",
        "A13 Spreadsheet data moved into the governed store",
    ],
    "authorities_with_warehouse": ["leicester", "milton_keynes"],
    "authorities_with_single_view": [],
    "authorities_with_automated_reporting": [],
    "n_authorities_inventory_recorded": 4,
    "actions_common_need": [
        "A03 Data-sharing agreements with partners",
        "A04 Review of data need scope and form",
        "A05 Digital capture instead of paper and phone",
        "A01 Data-quality checks at capture and validation",
        "A02 Security controls at every stage",
        "A13 Spreadsheet data moved into the governed store",
        "A06 Automated feeds to replace manual re-keying",
        "A07 Shared data warehouse for the service area",
        "A08 Single view of the person or family",
        "A09 Automated dashboards and statutory reports",
        "A10 Analytics skills for staff",
        "A12 Predictive and spatial analytics pilot",
        "A11 Data in decision meetings",
    ],
    "gap_ids_in_all_authorities": ["G04", "G05", "G07", "G10"],
    "maturity_max_level_culture": 2,
    "maturity_max_level_data": 5,
    "maturity_max_level_leadership": 2,
    "maturity_max_level_skills": 3,
    "maturity_max_level_tools": 3,
    "maturity_max_level_uses": 4,
    "maturity_min_level_culture": 1,
    "maturity_min_level_data": 4,
    "maturity_min_level_leadership": 1,
    "maturity_min_level_skills": 2,
    "maturity_min_level_tools": 2,
    "maturity_min_level_uses": 2,
    "most_common_gap_id": "G01",
    "most_common_gap_label": "No data-quality audit",
    "most_common_gap_n_streams": 20,
    "n_actions": 13,
    "n_actions_analyse": 2,
    "n_actions_collate": 4,
    "n_actions_collect": 5,
    "n_actions_in_place_by_authority": {
        "canterbury": 1,
        "lambeth": 0,
        "leicester": 3,
        "milton_keynes": 5,
    },
    "n_actions_later": 3,
    "n_actions_mine": 2,
    "n_actions_needed_by_all": 8,
    "n_actions_next": 5,
    "n_actions_now": 5,
    "n_actions_per_authority_max": 13,
    "n_actions_per_authority_min": 8,
    "n_actions_common_need": 13,
    "n_authorities": 4,
    "n_gaps": 96,
    "n_gaps_high": 33,
    "n_gaps_low": 4,
    "n_gaps_medium": 59,
    "n_objectives": 3,
    "n_objectives_met_all": 2,
    "n_streams": 31,
    "n_systems": 29,
    "objectives_n_authorities_met": {"SO1": 4, "SO2": 2, "SO3": 4},
    "objectives_not_met": ["SO2"],
    "roadmap_end_month": 36,
    "top_stage_by_authority": {
        "canterbury": "storage",
        "lambeth": "storage",
        "leicester": "decision_use",
        "milton_keynes": "decision_use",
    },
    "top_tool_by_authority": {
        "canterbury": "Waste management system",
        "lambeth": "Departmental SQL database",
        "leicester": "Partnership data warehouse",
        "milton_keynes": "Case system database",
    },
}


def _schema(kind: str) -> dict:
    path = SCHEMAS / "key_figures" / f"journeys_{kind}.schema.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(
    params=[("authority", AUTHORITY_EXAMPLE), ("programme", PROGRAMME_EXAMPLE)],
    ids=["authority", "programme"],
)
def contract(request):
    kind, example = request.param
    return _schema(kind), copy.deepcopy(example)


def test_schema_is_strict_and_documented(contract):
    schema, example = contract
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"]) == set(example)
    assert all(p.get("description") for p in schema["properties"].values())


def test_schema_accepts_the_example_output(contract):
    schema, example = contract
    check_key_figures(example, schema, "example")  # raises on any problem


def test_schema_accepts_no_evidence_and_no_gaps(contract):
    """The nullable keys: a council with no maturity evidence and no gap found."""
    schema, example = contract
    for key in example:
        if key.startswith(("maturity_level_", "maturity_label_", "maturity_m")):
            example[key] = None
    example["most_common_gap_id"] = example["most_common_gap_label"] = None
    example["most_common_gap_n_streams"] = 0
    check_key_figures(example, schema, "example")


def test_missing_key_is_refused_naming_it(contract):
    schema, example = contract
    del example["n_gaps_high"]
    with pytest.raises(KeyFigureError, match=r"key 'n_gaps_high' is missing"):
        check_key_figures(example, schema, "example")


def test_renamed_key_is_refused_naming_both(contract):
    schema, example = contract
    example["n_actions_started_now"] = example.pop("n_actions_now")
    with pytest.raises(KeyFigureError) as err:
        check_key_figures(example, schema, "example")
    msg = str(err.value)
    assert "key 'n_actions_now' is missing" in msg
    assert "key 'n_actions_started_now' is not in the schema" in msg


def test_wrong_type_is_refused_naming_the_key(contract):
    schema, example = contract
    example["roadmap_end_month"] = "36 months"
    with pytest.raises(KeyFigureError, match=r"key 'roadmap_end_month': .*not of type"):
        check_key_figures(example, schema, "example")


def test_authority_maturity_keys_follow_the_dma_vocabulary():
    schema = _schema("authority")
    levels = {k.removeprefix("maturity_level_") for k in schema["required"]}
    labels = {k.removeprefix("maturity_label_") for k in schema["required"]}
    assert set(MATURITY_THEMES) <= levels and set(MATURITY_THEMES) <= labels
    label_enum = schema["properties"]["maturity_label_uses"]["enum"]
    assert label_enum == [*MATURITY_LEVELS, None]
    bad = copy.deepcopy(AUTHORITY_EXAMPLE) | {"maturity_label_uses": "expert"}
    with pytest.raises(KeyFigureError, match=r"key 'maturity_label_uses'"):
        check_key_figures(bad, schema, "example")


def test_register_schema_stages_are_the_shared_vocabulary():
    """workflow/schemas/journeys.schema.yaml lists the stages as its enum; they must be
    analysis.core.vocabulary.STAGES, in the same order."""
    schema = yaml.safe_load((SCHEMAS / "journeys.schema.yaml").read_text(encoding="utf-8"))
    assert schema["properties"]["stage"]["enum"] == list(STAGES)


def test_every_register_source_has_words():
    """Every source the register schema allows has words in analysis.core.vocabulary, so no
    raw id ("partner_other") reaches a journey map or a report table (issue 12, point 9)."""
    from analysis.core.vocabulary import SOURCE_WORDS

    schema = yaml.safe_load((SCHEMAS / "journeys.schema.yaml").read_text(encoding="utf-8"))
    sources = schema["properties"]["source"]["enum"]
    assert set(sources) <= set(SOURCE_WORDS), set(sources) - set(SOURCE_WORDS)
    assert all("_" not in w for w in SOURCE_WORDS.values())


def test_new_keys_of_issue_12_nullable_and_maps():
    """A council with no stream: no top stage, no volume; a programme council with no tool:
    null in the map; a map value of the wrong type is refused, naming the key."""
    a = copy.deepcopy(AUTHORITY_EXAMPLE) | {"top_stage": None, "top_stage_total": None}
    a["volume_per_year_total"] = None
    check_key_figures(a, _schema("authority"), "example")
    with pytest.raises(KeyFigureError, match=r"key 'top_stage'"):
        check_key_figures(a | {"top_stage": "decision"}, _schema("authority"), "example")
    p = copy.deepcopy(PROGRAMME_EXAMPLE)
    p["top_tool_by_authority"]["leicester"] = None
    check_key_figures(p, _schema("programme"), "example")
    p["objectives_n_authorities_met"]["SO1"] = "four"
    with pytest.raises(KeyFigureError, match=r"objectives_n_authorities_met"):
        check_key_figures(p, _schema("programme"), "example")
