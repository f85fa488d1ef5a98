"""One project per document: the programme documents' build reads every published output, a
council's case study only its own council's outputs and a few programme outputs
(analysis.report.inputs.case_study_inputs), so one council's new data re-render only its own
case study and the programme documents (tests/test_workflow_survey.py runs that for real).

Here: the case study's declared inputs are the right subset, and they are enough: a case study
built from them is the case study built from every published output, file for file; without
the peers' tables only its lessons change, and they name no other council."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from analysis.core.disclosure import rule_from_config
from analysis.report import (
    assemble_report,
    case_study_inputs,
    compares_with_peers,
    report_inputs,
)
from analysis.report.inputs import CASE_STUDY_PEERS, CASE_STUDY_PROGRAMME

REPO = Path(__file__).resolve().parents[1]


def test_a_case_study_declares_its_own_council_and_the_listed_programme_outputs_only():
    every = report_inputs(["a1", "a2"], ["c1"])
    own = case_study_inputs("a1", ["c1"], compare_with_peers=False)
    peers = case_study_inputs("a1", ["c1"], compare_with_peers=True)
    assert set(own) < set(peers) <= set(every)
    assert set(peers) - set(own) == set(CASE_STUDY_PEERS)
    assert all(own[k] == every[k] for k in own)  # the same paths as the programme's list
    programme = {k for k in own if ":programme" in k}
    assert programme == set(CASE_STUDY_PROGRAMME)
    assert not [v for v in own.values() if "/a2/" in v or "a2_" in v]
    # everything of its own council that the programme documents read, it reads too
    assert {k for k in every if ":a1:" in k or k.endswith(":a1")} <= set(own)
    assert {k for k in every if k.split(":")[-1].startswith("a1_")} <= set(own)


@pytest.mark.parametrize(
    ("n", "above", "expected"), [(4, 12, True), (12, 12, True), (13, 12, False), (4, 3, False)]
)
def test_case_studies_compare_councils_up_to_the_configured_number(n, above, expected):
    assert compares_with_peers(n, above) is expected


def _build(work: Path, paths: dict, config: dict, out: Path, aid: str, peers: bool) -> Path:
    def read(key):
        return yaml.safe_load((work / config["instruments"][key]).read_text(encoding="utf-8"))

    assemble_report(
        {k: str(work / v) for k, v in paths.items()},
        {**config, "code_version": {}},
        read("questionnaire"),
        read("codebook"),
        rule_from_config(config["disclosure"]),
        work / "report",
        out,
        case_study=aid,
        compare_with_peers=peers,
    )
    return out


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_case_study_built_from_its_declared_inputs_is_the_whole_programmes(
    pipeline_run, tmp_path
):
    from analysis.survey.questionnaire import likert_construct_ids

    work = pipeline_run["dir"]
    config = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    validate(config, str(work / "workflow/schemas/config.schema.yaml"))  # its defaults, as run
    ids = [a["id"] for a in config["authorities"]]
    constructs = likert_construct_ids(
        yaml.safe_load((work / config["instruments"]["questionnaire"]).read_text("utf-8"))
    )
    actions = config["instruments"]["roadmap_actions"]
    every = report_inputs(ids, constructs, actions=actions)
    aid = "lambeth"
    whole = _build(work, every, config, tmp_path / "whole", aid, peers=True)
    declared = case_study_inputs(aid, constructs, compare_with_peers=True, actions=actions)
    own = _build(work, declared, config, tmp_path / "declared", aid, peers=True)
    assert _files(whole) == _files(own) and len(_files(own)) > 30
    _, mismatch, errors = filecmp.cmpfiles(whole, own, sorted(_files(own)), shallow=False)
    assert mismatch == [] and errors == []

    alone = case_study_inputs(aid, constructs, compare_with_peers=False, actions=actions)
    solo = {**config, "authorities": [a for a in config["authorities"] if a["id"] == aid]}
    single = _build(work, alone, solo, tmp_path / "alone", aid, peers=False)
    _, mismatch, _ = filecmp.cmpfiles(own, single, sorted(_files(own)), shallow=False)
    assert mismatch == [f"_generated/{aid}/lessons.md"]
    lessons = (single / f"_generated/{aid}/lessons.md").read_text(encoding="utf-8")
    assert "do not compare each council with the others" in lessons
    for other in config["authorities"]:
        if other["id"] != aid:
            assert other["name"].split()[0] not in lessons, other["id"]
