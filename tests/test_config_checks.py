"""The run's configuration is checked before any job runs (issue 14.4): what a downstream job
would refuse late, after others had published, is a configuration error naming the key."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import REPO, copy_repo, snakemake

from analysis.costs import read_gdp_deflators
from analysis.ingest import config_problems


@pytest.fixture
def config(example_config) -> dict:
    return copy.deepcopy(example_config)


def test_the_example_config_has_no_problem(config):
    assert config_problems(config, REPO) == []


def test_invalid_regex_in_extra_patterns(config):
    config["pii"]["extra_patterns"].append({"name": "case ref", "regex": r"CASE-(\d{6"})
    (problem,) = config_problems(config, REPO)
    assert problem.startswith("pii.extra_patterns[2] (case ref): regex is not a valid")


def test_unknown_discount_schedule_vintage(config):
    config["appraisal"]["discount_schedule_vintage"] = "green_book_2019"
    (problem,) = config_problems(config, REPO)
    assert problem.startswith("appraisal.discount_schedule_vintage:")
    assert "green_book_2022, green_book_2026" in problem


def test_service_area_the_national_drivers_do_not_know(config):
    config["authorities"][1]["service_area"] = "Libraries and archives"
    (problem,) = config_problems(config, REPO)
    assert problem.startswith("authorities[id=lambeth].service_area: matches no national")
    assert "fly_tipping" in problem


def test_price_base_year_before_the_deflator_series(config):
    first = min(read_gdp_deflators()["financial_year"])
    config["programme"]["price_base_year"] = "1990-91"
    (problem,) = config_problems(config, REPO)
    assert problem == (
        f"programme.price_base_year: expected {first} or later (the first year of the GDP "
        "deflator series, analysis/data/gdp_deflators.csv)"
    )
    config["programme"]["price_base_year"] = "2025-27"
    assert "consecutive years" in config_problems(config, REPO)[0]


def test_edition_date_that_is_not_a_date(config):
    config["programme"]["edition_date"] = "2026-02-30"
    assert config_problems(config, REPO) == [
        "programme.edition_date: expected a real date, YYYY-MM-DD"
    ]


def test_control_characters_in_report_text(config):
    config["programme"]["title"] = "Data\x1bjourneys"
    config["authorities"][0]["name"] = "Leicester\x00"
    assert config_problems(config, REPO) == [
        "programme.title: holds a control character; expected printable text",
        "authorities[id=leicester].name: holds a control character; expected printable text",
    ]


def test_shortcode_braces_in_report_text(config):
    config["authorities"][2]["name"] = "Milton {{< var x >}} Keynes"
    assert config_problems(config, REPO) == [
        "authorities[id=milton_keynes].name: holds '{{' or '}}', which Quarto reads as a "
        "shortcode; expected plain text"
    ]


def test_quotes_colons_at_signs_and_new_lines_are_fine(config):
    config["programme"]["title"] = 'The "data": a #1 review\nof @council’s journeys'
    config["programme"]["lead_organisation"] = "@Partners: Région & Co."
    assert config_problems(config, REPO) == []


def test_a_bad_config_stops_snakemake_before_any_job(tmp_path):
    work = copy_repo(tmp_path / "project")
    bad = {
        "pii": {"extra_patterns": [{"name": "ref", "regex": "("}]},
        "appraisal": {"discount_schedule_vintage": "green_book_1999"},
    }
    (work / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    proc = snakemake(work, "--cores", "1", "--configfile", "bad.yaml")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "Configuration error" in out
    assert "pii.extra_patterns[0] (ref)" in out and "appraisal.discount_schedule_vintage" in out
    assert not (work / "results").exists()
    # a misspelt key is refused by the schema rather than silently ignored
    (work / "typo.yaml").write_text(
        yaml.safe_dump({"appraisal": {"discount_schedule_vintag": "green_book_2022"}}),
        encoding="utf-8",
    )
    proc = snakemake(work, "--cores", "1", "--configfile", "typo.yaml")
    assert proc.returncode != 0 and "discount_schedule_vintag" in proc.stdout + proc.stderr
    assert not (work / "results").exists()
