"""Checks between inputs, run at the gate (the manifest job) once every input has passed ingest.

Some promises of one input are about another: the business-case input's benefits-realisation
entries (``benefits.realisation``) name the benefit lines of each council's cost workbook by
their ``outcome_id``. Each input is valid on its own, so ingest cannot see such a problem; if
it were left to the financial case, the run would stop after other councils' tables had been
published. Checked here, it stops the run at the gate, before any analysis or publishing job,
with the file, sheet and row of the benefit line and the key of the entry. No message repeats
an input's value: a benefit line is located by its row, an entry by its position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.core.problems import InputProblem

#: The parameters of a benefit line that decide how many outcomes the appraisal counts each
#: year (``analysis.costs.benefits.benefit_flows``): lines under one realisation entry must
#: agree on all of them, so that one baseline and one target can stand for them.
OUTCOME_CHAIN = (
    "cohort",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "lag_years",
    "duration_years",
    "drop_off",
)
_VALUES = ("fiscal_value", "economic_value", "social_value")
_KEY = "benefits.realisation"


def _covers(entry: Mapping, authority: str, outcome_id: str) -> bool:
    councils = entry.get("councils")
    return outcome_id in [str(o) for o in entry["outcomes"]] and (
        not councils or authority in councils
    )


def _same_chain(a: pd.Series, b: pd.Series) -> bool:
    for col in OUTCOME_CHAIN:
        x, y = a.get(col), b.get(col)
        if pd.isna(x) and pd.isna(y):
            continue
        try:
            if abs(float(x) - float(y)) > 1e-9:
                return False
        except (TypeError, ValueError):
            return False
    return True


def realisation_problems(
    entries: Sequence[Mapping],
    benefits: Mapping[str, tuple[str, pd.DataFrame, Sequence[int]]],
    business_case_file: str,
) -> list[InputProblem]:
    """Every monetised benefit line of every council's short-listed options (any of them may
    become the preferred way forward) must be covered by exactly one realisation entry, and
    the lines under one entry must count the same outcomes (:data:`OUTCOME_CHAIN`).

    ``benefits`` maps a council id to ``(cost workbook path, its ingested benefits table, the
    workbook row of each of the table's rows)``: ingest keeps the Benefits sheet's lines in
    order, one row each (:attr:`analysis.core.problems.RawTable.file_rows`).
    """
    problems: list[InputProblem] = []
    for authority, (path, table, rows) in benefits.items():
        valued = table[list(_VALUES)].apply(pd.to_numeric, errors="coerce").abs().gt(0).any(axis=1)
        first_row: dict[tuple[str, int], int] = {}
        for pos in [int(p) for p in valued.to_numpy().nonzero()[0]]:
            line = table.iloc[pos]
            hits = [
                i for i, e in enumerate(entries) if _covers(e, authority, str(line["outcome_id"]))
            ]
            if len(hits) != 1:
                what = "no entry" if not hits else f"{len(hits)} entries"
                problems.append(
                    InputProblem(
                        path,
                        f"this monetised benefit line is covered by {what} of '{_KEY}' in "
                        f"{business_case_file}; expected exactly one entry whose outcomes list "
                        "its outcome_id (and, where it names councils, this council)",
                        sheet="Benefits",
                        row=rows[pos],
                        column="outcome_id",
                    )
                )
                continue
            key = (str(line["option_id"]), hits[0])
            if key not in first_row:
                first_row[key] = pos
            elif not _same_chain(table.iloc[first_row[key]], line):
                problems.append(
                    InputProblem(
                        path,
                        f"this benefit line and the one in row {rows[first_row[key]]} are both "
                        f"covered by entry {hits[0] + 1} of '{_KEY}' in {business_case_file} but "
                        "count different outcomes (cohort, rates, lag, duration or drop-off "
                        "differ); expected one entry per outcome counted",
                        sheet="Benefits",
                        row=rows[pos],
                    )
                )
    return problems
