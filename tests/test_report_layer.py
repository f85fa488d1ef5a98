"""Unit tests of the report layer's contracts: the one money format, value-for-money words,
the declared inputs, and key figures read through their schemas (no silent defaults)."""

from __future__ import annotations

import pytest
import yaml

from analysis.core import formatting as fmt
from analysis.core.contracts import KeyFigureError, KeyFigures, check_key_figures
from analysis.report import inputs as ri
from analysis.report import wording

# ------------------------------------------------------------------------------ money, once


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # Milton Keynes' "More ambitious" PV costs: £3,295,068.60 is £3.30m. The old code
        # rounded to £3,295,000 first and then printed f"{3.295:.2f}" = "3.29" (binary 3.295
        # is 3.29499999...): double rounding plus round-half-even on the binary value.
        (3_295_068.60, "£3.30m"),
        (3_295_000, "£3.30m"),  # the decimal half goes away from zero
        (3_294_600, "£3.29m"),
        (-1_234_567, "\u2212\u2060£1.23m"),  # U+2212 minus held by a word joiner
        (999_999, "£1.00m"),  # rounds up into the next unit
        (9_999.6, "£10k"),
        (12_500, "£13k"),  # half away from zero, not to even (f"{12.5:.0f}" gives "12")
        (950, "£950"),
        (0.3, "£0"),
    ],
)
def test_money_rounds_once_half_away_from_zero(value, shown):
    assert fmt.money(value) == shown


def test_percentages_and_ratios_round_half_away_from_zero():
    # Python's format would give 12% and 2.67 (round half to even on the binary value)
    assert fmt.pct(12.5) == "13%"
    assert fmt.ratio(2.675) == "2.68"
    assert fmt.number(2.5) == "3"


# ------------------------------------------------------------------------------ VfM words


def test_every_value_for_money_band_has_words():
    """The appraisal's category ids (very_poor ... very_high) each have their words.

    Regression: the words were keyed "very poor"/"very high", so a BCR >= 4 or <= 0 was
    described as having no category at all."""
    from analysis.costs import VFM_BANDS, value_for_money_category

    assert set(wording.VFM_WORDS) == set(VFM_BANDS)
    assert wording.vfm(value_for_money_category(4.2)) == "very high value for money"
    assert wording.vfm(value_for_money_category(-0.5)) == "very poor value for money"
    assert wording.vfm(None) == "no value-for-money category (costs are not positive)"
    with pytest.raises(KeyError):
        wording.vfm("excellent")


# ------------------------------------------------------------------------------ declared inputs


def test_report_inputs_lists_every_file_by_kind_and_nothing_from_ingest():
    paths = ri.report_inputs(["a1", "a2"], ["c1"])
    kinds = {k.split(":")[0] for k in paths}
    assert kinds == {"kf", "schema", "table", "figure", "alt", "input"}
    assert paths["kf:a2:costs"] == "results/a2/published/costs/key_figures.yaml"
    assert paths["schema:costs:authority"] == (
        "workflow/schemas/key_figures/costs_authority.schema.yaml"
    )
    assert paths["figure:programme_likert_c1"].endswith("programme/published/survey/likert_c1.png")
    assert paths["alt:a1_tornado"] == "results/a1/published/costs/tornado.alt.txt"
    # the data contracts: nothing under ingest/ or internal/ reaches a report, except the
    # council's validated business-case input (policy statements, no data rows)
    leaks = [p for p in paths.values() if "/ingest/" in p or "/internal/" in p]
    assert leaks == ["results/programme/ingest/business_case.yaml"]
    assert list(paths) == sorted(paths)  # deterministic, so a rule's params do not churn


def test_undeclared_table_is_an_error_naming_it():
    p = ri.Published({}, [], {}, {}, rule=None)
    with pytest.raises(KeyError, match="programme/costs/national_range.csv"):
        p.table("programme", "costs", "national_range")


# ------------------------------------------------------------------------------ key figures


SCHEMA = {
    "type": "object",
    "required": ["n_gaps", "options"],
    "additionalProperties": False,
    "properties": {
        "n_gaps": {"type": "integer"},
        "options": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["npsv"],
                "additionalProperties": False,
                "properties": {"npsv": {"type": ["number", "null"]}},
            },
        },
    },
}


def test_key_figures_missing_renamed_and_mistyped_keys_are_named(tmp_path):
    good = {"n_gaps": 3, "options": {"o1": {"npsv": 1.5}}}
    check_key_figures(good, SCHEMA, "kf.yaml")
    with pytest.raises(KeyFigureError, match=r"kf.yaml: key 'n_gaps' is missing"):
        check_key_figures({"options": {}}, SCHEMA, "kf.yaml")
    with pytest.raises(KeyFigureError, match=r"key 'n_gap' is not in the schema"):
        check_key_figures({"n_gap": 3, "n_gaps": 3, "options": {}}, SCHEMA, "kf.yaml")
    with pytest.raises(KeyFigureError, match=r"key 'options.o1.npsv'"):
        check_key_figures({"n_gaps": 3, "options": {"o1": {"npsv": "big"}}}, SCHEMA, "kf.yaml")


def test_read_key_figures_gives_no_silent_defaults(tmp_path):
    from analysis.core.contracts import read_key_figures

    path = tmp_path / "key_figures.yaml"
    path.write_text(yaml.safe_dump({"n_gaps": 3, "options": {"o1": {"npsv": None}}}))
    kf = read_key_figures(path, SCHEMA)
    assert isinstance(kf, KeyFigures) and kf["n_gaps"] == 3
    assert kf["options"]["o1"]["npsv"] is None
    with pytest.raises(KeyFigureError, match=r"key_figures.yaml: no key 'options.o2'"):
        kf["options"]["o2"]
    with pytest.raises(TypeError, match="no defaults"):
        kf.get("n_gaps", 0)
    assert "o2" not in kf["options"]
    assert kf.to_dict() == {"n_gaps": 3, "options": {"o1": {"npsv": None}}}


# ------------------------------------------------------------------------------ edition


def _published(programme: dict, version: dict):
    p = ri.Published(programme, [], {}, {}, rule=None)
    p.code_version = version
    return p


def test_edition_sentence_names_date_version_and_commit():
    from analysis.report.variables import edition_sentence

    prog = {"edition_date": "2026-03-05"}
    clean = _published(prog, {"package_version": "0.1.0", "git_commit": "a" * 40})
    assert edition_sentence(clean).startswith(
        "Edition of 5 March 2026, produced by council-data-roadmap 0.1.0 (commit aaaaaaaaaaaa)"
    )
    dirty = _published(prog, {"package_version": "0.1.0", "git_commit": "b" * 40 + "+dirty"})
    assert "(commit bbbbbbbbbbbb with local changes)" in edition_sentence(dirty)
    copy = _published(prog, {"package_version": "0.1.0", "git_commit": "none"})
    assert "council-data-roadmap 0.1.0 from the inputs" in edition_sentence(copy)
