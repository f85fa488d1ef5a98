"""Ingest of the cost workbook's group targets and benefit-to-action links: each bad cell is a
located error (file, sheet, row, column, what was expected) that never repeats the value."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO
from test_ingest import _edit_xlsx, assert_located

from analysis import ingest
from analysis.core.tables import InputError

EX = REPO / "survey" / "example"
ACTIONS = pd.read_csv(REPO / "survey" / "roadmap_actions.csv")["action_id"]


def _costs(path, schemas):
    return ingest.ingest_costs(path, schemas["costs"], authority="leicester", action_ids=ACTIONS)


def _cell(wb, sheet, column, where):
    """(row, column letter) of the first row of ``sheet`` where ``where(row dict)`` holds."""
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        row = dict(zip(header, [c.value for c in ws[r]], strict=False))
        if where(row):
            return r, ws.cell(1, header.index(column) + 1).column_letter
    raise AssertionError("no such row")


def _set(sheet, column, where, value):
    def edit(wb):
        r, col = _cell(wb, sheet, column, where)
        wb[sheet][f"{col}{r}"] = value

    return edit


def _row(sheet, column, where):
    from openpyxl import load_workbook

    return _cell(load_workbook(EX / "leicester" / "costs.xlsx"), sheet, column, where)[0]


def test_the_example_uses_group_targets_and_links_every_benefit(schemas):
    t = _costs(EX / "leicester" / "costs.xlsx", schemas)
    targets = t["uncertainty"]["target"]
    assert targets.str.contains(":type=capital:").any()
    assert targets.str.contains(":type=staff:").any()
    assert targets.str.contains(":type=revenue:").any()  # hosting and licences too
    assert t["benefits"]["delivered_by"].notna().all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("costs:preferred:type=hardware:amount", "type=capital, type=staff or type=revenue"),
        ("costs:do_minimum:type=staff:amount", "at least one cost line of that type"),
    ],
)
def test_bad_group_target_is_located(tmp_path, schemas, value, expected):
    where = lambda r: str(r["target"]).startswith("costs:preferred:type=capital")  # noqa: E731
    row = _row("Uncertainty", "target", where)
    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx",
                   _set("Uncertainty", "target", where, value))  # fmt: skip
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", sheet="Uncertainty", row=row, column="target",
                   expected=expected, hidden="hardware")  # fmt: skip


def test_a_group_target_needs_a_multiplier(tmp_path, schemas):
    where = lambda r: str(r["target"]).startswith("costs:preferred:type=capital")  # noqa: E731
    row = _row("Uncertainty", "target", where)
    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx",
                   _set("Uncertainty", "parameter", where, "Capital spend in pounds"))  # fmt: skip
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", sheet="Uncertainty", row=row, column="parameter",
                   expected="a multiplier", hidden="Capital spend in pounds")  # fmt: skip


def test_an_unknown_delivering_action_is_located(tmp_path, schemas):
    where = lambda r: r["option_id"] == "preferred" and r["outcome_id"] == "O1"  # noqa: E731
    row = _row("Benefits", "delivered_by", where)
    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx",
                   _set("Benefits", "delivered_by", where, "A03;A77"))  # fmt: skip
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", sheet="Benefits", row=row, column="delivered_by",
                   expected="action ids of the roadmap action table", hidden="A77")  # fmt: skip


def test_a_malformed_action_list_is_located(tmp_path, schemas):
    where = lambda r: r["option_id"] == "preferred" and r["outcome_id"] == "T1"  # noqa: E731
    row = _row("Benefits", "delivered_by", where)
    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx",
                   _set("Benefits", "delivered_by", where, "A09, A07"))  # fmt: skip
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", sheet="Benefits", row=row, column="delivered_by",
                   expected="';'-separated")  # fmt: skip


def test_own_sources_of_social_values_reach_the_provenance(schemas):
    t = _costs(EX / "canterbury" / "costs.xlsx", schemas)
    prov = t["benefit_values"]
    social = prov[(prov["value_kind"] == "social") & (prov["outcome_id"] == "O1")]
    fiscal = prov[(prov["value_kind"] == "fiscal") & (prov["outcome_id"] == "O1")]
    # the amenity value does not cite the clearance cost (review finding 35)
    assert social["source"].str.contains("Amenity").all()
    assert not social["source"].str.contains("clearing").any()
    assert fiscal["source"].str.contains("clearing a fly-tip").all()
    assert set(social["agency"]) == {"society"}
    assert set(fiscal["agency"]) == {"council_environmental_services"}


def test_a_shared_benefit_target_must_name_existing_lines(tmp_path, schemas):
    where = lambda r: str(r["target"]) == "benefits:preferred:O1+O1b:success_rate"  # noqa: E731
    row = _row("Uncertainty", "target", where)
    p = _edit_xlsx(EX / "leicester" / "costs.xlsx", tmp_path / "costs.xlsx",
                   _set("Uncertainty", "target", where, "benefits:preferred:O1+O9:success_rate"))  # fmt: skip
    with pytest.raises(InputError) as e:
        _costs(p, schemas)
    assert_located(e.value, file="costs.xlsx", sheet="Uncertainty", row=row, column="target",
                   expected="naming a row that exists", hidden="O9")  # fmt: skip
