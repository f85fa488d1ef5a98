"""The costs stage's key-figures contract: workflow/schemas/key_figures/costs_*.schema.yaml.

The schemas must accept what the stage really writes (key figures built by the same functions
the workflow calls, on a synthetic council and two hand-made councils) and refuse a missing
key, a renamed key and a wrong type, naming the key.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from test_costs_programme import AUTHORITIES, TABLES
from test_costs_programme import SETTINGS as PROGRAMME
from test_costs_publish import SETTINGS, synthetic_tables

from analysis import costs
from analysis.core.contracts import KeyFigureError, check_key_figures, write_key_figures

SCHEMAS = Path(__file__).resolve().parents[1] / "workflow" / "schemas" / "key_figures"


def schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"costs_{name}.schema.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def authority_kf(tmp_path):
    return costs.authority_key_figures(synthetic_tables(tmp_path), **SETTINGS)


@pytest.fixture
def programme_kf():
    return costs.appraise_programme(AUTHORITIES, TABLES, **PROGRAMME).key_figures


def test_schemas_are_valid_draft_2020_12():
    from jsonschema import Draft202012Validator

    for name in ("authority", "programme"):
        s = schema(name)
        Draft202012Validator.check_schema(s)
        assert s["additionalProperties"] is False
        assert set(s["required"]) == set(s["properties"])
        for key, prop in s["properties"].items():
            assert prop.get("description"), (name, key)


def test_schemas_accept_what_the_stage_writes(authority_kf, programme_kf, tmp_path):
    check_key_figures(authority_kf, schema("authority"), "authority")
    check_key_figures(programme_kf, schema("programme"), "programme")
    # the writer validates, then writes the same YAML as before (sorted keys)
    path = write_key_figures(authority_kf, tmp_path / "kf.yaml", schema("authority"))
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == authority_kf


@pytest.mark.parametrize(
    ("which", "change", "message"),
    [
        ("authority", lambda kf: kf.pop("mc_p5"), "key 'mc_p5' is missing"),
        (
            "authority",
            lambda kf: kf.__setitem__("mc_p05", kf.pop("mc_p5")),
            "key 'mc_p05' is not in the schema",
        ),
        ("authority", lambda kf: kf.__setitem__("mc_draws", "many"), "key 'mc_draws'"),
        (
            "authority",
            lambda kf: kf["options"]["pref"].__setitem__("npsv", "1.5m"),
            "key 'options.pref.npsv'",
        ),
        (
            "authority",
            lambda kf: kf["options"]["pref"].pop("payback_year"),
            "key 'options.pref.payback_year' is missing",
        ),
        ("programme", lambda kf: kf.pop("national_central"), "key 'national_central' is missing"),
        (
            "programme",
            lambda kf: kf.__setitem__("councils_total", kf.pop("councils")),
            "key 'councils_total' is not in the schema",
        ),
        ("programme", lambda kf: kf.__setitem__("uk_councils", 38.2), "key 'uk_councils'"),
        (
            "programme",
            lambda kf: kf["by_authority"]["a"].__setitem__("bcr", "high"),
            "key 'by_authority.a.bcr'",
        ),
        (
            "programme",
            lambda kf: kf["national_by_service_area"]["fly_tipping"].pop("low"),
            "key 'national_by_service_area.fly_tipping.low' is missing",
        ),
        # the keys issue 12 added
        ("authority", lambda kf: kf.pop("proposed_option_id"), "key 'proposed_option_id'"),
        ("authority", lambda kf: kf.__setitem__("proposal_agrees", "no"), "'proposal_agrees'"),
        (
            "authority",
            lambda kf: kf.__setitem__("recommendation_reason", "gut feeling"),
            "key 'recommendation_reason'",
        ),
        (
            "authority",
            lambda kf: kf["options"]["pref"].pop("affordability_gap"),
            "key 'options.pref.affordability_gap' is missing",
        ),
        ("authority", lambda kf: kf.__setitem__("options_offering_vfm", "pref"), "offering_vfm"),
        ("programme", lambda kf: kf.pop("national_excluded"), "key 'national_excluded'"),
        (
            "programme",
            lambda kf: kf.__setitem__("national_method", "population"),
            "key 'national_method'",
        ),
        (
            "programme",
            lambda kf: kf["national_driver_basis"].__setitem__("a", "gdp"),
            "key 'national_driver_basis.a'",
        ),
    ],
)
def test_schemas_refuse_a_missing_renamed_or_mistyped_key(
    which, change, message, authority_kf, programme_kf
):
    kf = copy.deepcopy(authority_kf if which == "authority" else programme_kf)
    change(kf)
    with pytest.raises(KeyFigureError, match=message.replace(".", r"\.")):
        check_key_figures(kf, schema(which), which)
