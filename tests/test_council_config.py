"""Another council's run: its own config (from the template), its own files, its own reports.

Issue: "A council with its own config gets its own business case and case study, with its name
and numbers throughout and nothing of the example councils." The inputs are the Canterbury
example files copied under a council folder (so they are not the bundled example paths), and
the council chooses the ONS 10-5 disclosure rule.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import copy_repo, snakemake
from openpyxl import load_workbook

from analysis.core.disclosure import check_controlled, rule_from_config

EXAMPLE_NAMES = ["Leicester", "Lambeth", "Milton Keynes", "Canterbury", "Kent"]


@pytest.fixture(scope="module")
def council_run(tmp_path_factory):
    work = copy_repo(tmp_path_factory.mktemp("council") / "project")
    mine = work / "my-council"
    mine.mkdir()
    src = work / "survey/example/canterbury"
    names = {
        "survey": "survey_responses.csv",
        "coding": "coding_sheet.csv",
        "costs": "cost_workbook.xlsx",
        "journeys": "journey_register.xlsx",
    }
    shutil.copy(src / "survey.csv", mine / names["survey"])
    shutil.copy(src / "coding.csv", mine / names["coding"])
    shutil.copy(src / "costs.xlsx", mine / names["costs"])
    # the workbook's own source notes name the example council; a council's workbook names
    # itself (the business case prints each benefit's source as written)
    wb = load_workbook(mine / names["costs"])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    for old, new in (("Canterbury", "Example Borough"), ("Kent", "the county")):
                        cell.value = cell.value.replace(old, new)
    wb.save(mine / names["costs"])
    shutil.copy(src / "journeys.xlsx", mine / names["journeys"])
    # the business-case template as a council would start from it (its own statements)
    shutil.copy(work / "survey/templates/business_case.template.yaml", mine / "business_case.yaml")
    cfg = yaml.safe_load((work / "survey/templates/council-config.template.yaml").read_text())
    cfg["authorities"][0]["inputs"] = {k: f"my-council/{v}" for k, v in names.items()}
    cfg["disclosure"] = {"rule": "ons_10_5"}
    # the whole pipeline once with the fallback renderer forced, whether or not Quarto is on
    # PATH (the example run uses Quarto where it is installed): both renderers run end to end
    cfg["report"] = {"renderer": "pandoc"}
    (work / "my-council.yaml").write_text(yaml.safe_dump(cfg))
    snakemake(work, "--cores", "2", "--configfile", "my-council.yaml", check=True)
    return work, cfg


def _text(path) -> str:
    return re.sub(
        r"\s+", " ", BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    )


def test_reports_were_rendered_by_the_forced_fallback(council_run):
    work, _ = council_run
    logs = [*(work / "logs/programme").glob("report_render_*.log")]
    logs += [*(work / "logs").glob("*/report_case_study.log")]
    assert len(logs) == 5  # four programme documents and the council's case study
    for path in logs:
        log = path.read_text(encoding="utf-8")
        assert "with pandoc fallback (forced in config)" in log and "with quarto" not in log


def test_outputs_for_that_council_only(council_run):
    work, _ = council_run
    assert sorted(p.name for p in (work / "results").iterdir() if p.is_dir()) == [
        "example_borough",
        "programme",
        "reports",
    ]
    docs = sorted(p.name for p in (work / "results/reports").glob("*.pdf"))
    assert docs == [
        "business-case.pdf",
        "case-study-example_borough.pdf",
        "index.pdf",
        "roadmap.pdf",
        "user-research.pdf",
    ]


def test_reports_carry_its_name_and_nothing_of_the_example_councils(council_run):
    work, cfg = council_run
    costs = yaml.safe_load(
        (work / "results/example_borough/published/costs/key_figures.yaml").read_text()
    )
    from analysis.core import formatting as fmt

    npsv = fmt.money(costs["options"][costs["preferred_option_id"]]["npsv"])
    for html in (work / "results/reports").glob("*.html"):
        text = _text(html)
        assert "Example Borough Council" in text, html.name
        for name in EXAMPLE_NAMES:
            assert name not in text, (html.name, name)
        # its inputs are not the bundled examples, so no report may call them synthetic
        assert "synthetic" not in text.lower(), html.name
        if not html.name.startswith("case-study"):
            assert cfg["programme"]["title"] in text or cfg["programme"]["short_title"] in text, (
                html.name
            )
    for doc in ("case-study-example_borough", "business-case"):
        assert npsv in _text(work / f"results/reports/{doc}.html")


def test_ons_10_5_rule_is_applied_to_every_published_count(council_run):
    work, _ = council_run
    rule = rule_from_config({"rule": "ons_10_5"})
    assert rule.min_count == 10
    checks = {
        "survey/responses.csv": ["n_responses"],
        "survey/distributions.csv": ["count", "n"],
        "survey/construct_summary.csv": ["n_answers", "n_positive"],
        "journeys/survey_agreement.csv": ["n", "n_agree"],
    }
    # coding counts of excerpts and sessions count text and are published as they are
    # (analysis.coding.scope); a count narrowed to one participant role is a group of
    # people and follows the rule, so every role column of the role tables is checked
    not_roles = {"code", "label", "research_question", "total", "reliability"}
    for rel in ("coding/code_by_role.csv", "coding/rq_by_role.csv"):
        path = work / "results" / "example_borough" / "published" / rel
        roles = [c for c in pd.read_csv(path, nrows=0).columns if c not in not_roles]
        assert roles, rel
        checks[rel] = roles
    for scope in ("example_borough", "programme"):
        for rel, cols in checks.items():
            path = work / "results" / scope / "published" / rel
            if not path.exists():
                continue
            df = pd.read_csv(path, na_values=[rule.marker])
            check_controlled(df, [c for c in cols if c in df.columns], rule, where=str(path))
            for c in cols:
                if c in df.columns:
                    v = df[c].dropna()
                    assert not ((v > 0) & (v < 10)).any(), (rel, c)
