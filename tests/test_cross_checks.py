"""Checks between inputs at the gate: the business case's benefits-realisation entries against
the cost workbooks' benefit lines (analysis.ingest.cross_checks)."""

from __future__ import annotations

import pandas as pd

from analysis.ingest import realisation_problems

CHAIN = {"cohort": 100, "engagement_rate": 1.0, "success_rate": 0.5, "deadweight": 0.1,
         "lag_years": 1, "duration_years": 10, "drop_off": 0.0}  # fmt: skip


def _lines(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"option_id": o, "outcome_id": i, "fiscal_value": v, "economic_value": 0,
             "social_value": 0, **CHAIN, **extra}
            for o, i, v, extra in rows
        ]
    )  # fmt: skip


ENTRIES = [
    {"benefit": "Staff time", "outcomes": ["T1"]},
    {"benefit": "Victims", "councils": ["x"], "outcomes": ["O1", "O1b"]},
]


def test_every_monetised_line_is_covered_once_and_messages_locate_without_values():
    table = _lines(("preferred", "T1", 32, {}), ("preferred", "O1", 1800, {}),
                   ("preferred", "O1b", 1200, {}), ("ambitious", "SECRETID9", 10, {}),
                   ("ambitious", "Z9", 0, {}))  # fmt: skip
    rows = [2, 3, 5, 6, 7]  # row 4 of the sheet is blank: rows come from the workbook
    probs = realisation_problems(ENTRIES, {"x": ("costs.xlsx", table, rows)}, "bc.yaml")
    # the ambitious option's line names an outcome no entry lists; Z9 has no value: not needed
    assert [(p.file, p.sheet, p.row, p.column) for p in probs] == [
        ("costs.xlsx", "Benefits", 6, "outcome_id")
    ]
    assert "no entry" in str(probs[0]) and "SECRETID9" not in str(probs[0])
    # the same lines for another council: the entry naming council x does not cover O1 there
    probs = realisation_problems(ENTRIES, {"y": ("c2.xlsx", table.iloc[:3], [2, 3, 4])}, "bc.yaml")
    assert [p.row for p in probs] == [3, 4]


def test_a_line_covered_twice_is_refused():
    entries = [*ENTRIES, {"benefit": "Again", "outcomes": ["T1"]}]
    probs = realisation_problems(
        entries, {"x": ("costs.xlsx", _lines(("preferred", "T1", 32, {})), [2])}, "bc.yaml"
    )
    assert len(probs) == 1 and "2 entries" in str(probs[0]) and probs[0].row == 2


def test_lines_under_one_entry_must_count_the_same_outcomes():
    """O1 and O1b are one outcome valued for two agencies; a line that starts a year later
    counts different outcomes in each year, so one baseline and target cannot stand for
    both (the financial case's benefits realisation would refuse it after publishing)."""
    same = _lines(("preferred", "O1", 1800, {}), ("preferred", "O1b", 1200, {}))
    assert realisation_problems(ENTRIES, {"x": ("c.xlsx", same, [2, 3])}, "bc.yaml") == []
    later = _lines(("preferred", "O1", 1800, {}), ("preferred", "O1b", 1200, {"lag_years": 2}))
    probs = realisation_problems(ENTRIES, {"x": ("c.xlsx", later, [2, 3])}, "bc.yaml")
    assert [p.row for p in probs] == [3]
    assert "row 2" in str(probs[0]) and "entry 2" in str(probs[0])
    # each option is its own short list: the same outcome in two options is no conflict
    two = _lines(("preferred", "O1", 1800, {}), ("ambitious", "O1", 1800, {"lag_years": 3}))
    assert realisation_problems(ENTRIES, {"x": ("c.xlsx", two, [2, 3])}, "bc.yaml") == []


def test_the_example_inputs_agree():
    """The bundled example: every monetised line of every option of the four councils is
    covered by exactly one entry of its business case."""
    import yaml

    from analysis.core.tables import read_xlsx_table
    from analysis.ingest import ingest_costs
    from tests.conftest import REPO, load_yaml

    case = yaml.safe_load((REPO / "survey/example/business_case.yaml").read_text())
    schema = load_yaml("workflow/schemas/costs.schema.yaml")
    benefits = {}
    for a in ("leicester", "lambeth", "milton_keynes", "canterbury"):
        path = REPO / "survey" / "example" / a / "costs.xlsx"
        t = ingest_costs(path, schema, authority=a)
        benefits[a] = (str(path), t["benefits"], read_xlsx_table(path, "Benefits").file_rows)
    assert realisation_problems(case["benefits"]["realisation"], benefits, "bc") == []
