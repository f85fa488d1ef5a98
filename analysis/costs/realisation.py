"""Benefits realisation: a numeric baseline and target for every monetised benefit, from the
appraisal itself.

The management case of a strategic outline case names, for each benefit, an owner, a measure,
a baseline, a target and when it is due (HM Treasury, *Guide to developing the project
business case*; ``docs/reference/appraisal.md``, "The Five Case Model"). What is policy (the
owner, the measure, the data source) comes from the council's business-case input
(``benefits.realisation``: each entry names the benefit lines it covers by their
``outcome_id`` in the cost workbooks' Benefits sheet, for every council or for those in
``councils``). What is a number comes from the appraisal, so target and appraisal can never
disagree:

* **baseline** -- the benefit line's cohort, the yearly volume the outcome chain starts from
  (for staff time: the hours a year spent on the work today);
* **target** -- the successful outcomes the appraisal counts in the year they are highest
  (cohort x engagement x success x (1 - deadweight), with the line's lag and drop-off:
  :func:`analysis.costs.benefits.benefit_flows`, column ``outcomes``);
* **due** -- that year (year 0 = the price base year) and its financial year.

Every monetised benefit line of a council's preferred way forward must be covered by exactly
one entry; lines under one entry (one outcome valued for two agencies, say police and NHS)
must count the same outcomes, so one row can stand for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year

REALISATION_COLUMNS = [
    "authority",
    "option_id",
    "entry",
    "benefit",
    "outcome_ids",
    "outcome",
    "owner_role",
    "measure",
    "data_source",
    "baseline",
    "target",
    "due_year",
    "due_financial_year",
    "value_types",
]
_VALUES = {"fiscal_value": "fiscal", "economic_value": "economic", "social_value": "social"}
_WHERE = "business case input, key 'benefits.realisation'"


def _covers(entry: Mapping, authority: str, outcome_id: str) -> bool:
    councils = entry.get("councils")
    return outcome_id in entry["outcomes"] and (not councils or authority in councils)


def monetised_lines(benefits: pd.DataFrame, option_id: str) -> pd.DataFrame:
    """The benefit lines of ``option_id`` that carry a value (fiscal, economic or social)."""
    b = benefits[benefits["option_id"].astype(str) == str(option_id)]
    valued = (b[list(_VALUES)].astype(float).abs() > 0).any(axis=1)
    return b[valued]


def benefits_realisation(
    authority: str,
    option_id: str,
    benefits: pd.DataFrame,
    flows: pd.DataFrame,
    entries: Sequence[Mapping],
    price_base_year: str,
) -> pd.DataFrame:
    """One row per realisation entry that covers a monetised benefit line of the council's
    preferred way forward (:data:`REALISATION_COLUMNS`, module docstring).

    ``benefits`` is the council's ingested ``benefits.csv``, ``flows`` its benefit flows (with
    ``outcomes``), ``entries`` the business case's ``benefits.realisation``. A line no entry
    covers, or covered twice, or lines of one entry counting different outcomes, is a
    ``ValueError`` naming the key, the council and the outcome id.
    """
    lines = monetised_lines(benefits, option_id)
    groups: dict[int, list] = {}
    for line in lines.itertuples(index=False):
        oid = str(line.outcome_id)
        hits = [i for i, e in enumerate(entries) if _covers(e, authority, oid)]
        if len(hits) != 1:
            what = "no entry" if not hits else f"{len(hits)} entries"
            raise ValueError(
                f"{_WHERE}: the benefit line {oid} of {authority}'s cost workbook (Benefits "
                f"sheet) is covered by {what}; expected exactly one entry whose outcomes list it"
            )
        groups.setdefault(hits[0], []).append(line)
    f = flows[flows["option_id"].astype(str) == str(option_id)]
    f = f.drop_duplicates(["outcome_id", "year"]).assign(year=lambda d: d["year"].astype(int))
    base = normalise_financial_year(price_base_year)
    rows = []
    for i in sorted(groups):
        e, group = entries[i], groups[i]
        ids = [str(g.outcome_id) for g in group]
        counted = {
            oid: f[f["outcome_id"].astype(str) == oid].set_index("year")["outcomes"].astype(float)
            for oid in ids
        }
        first = counted[ids[0]]
        for g in group[1:]:
            same = counted[str(g.outcome_id)].reindex(first.index).fillna(-1.0)
            if float(g.cohort) != float(group[0].cohort) or not np.allclose(same, first):
                raise ValueError(
                    f"{_WHERE}.{i}: the benefit lines {ids[0]} and {g.outcome_id} of "
                    f"{authority}'s cost workbook count different outcomes; give each its own "
                    "entry"
                )
        if first.empty or first.max() <= 0:
            raise ValueError(
                f"{_WHERE}.{i}: the benefit line {ids[0]} of {authority}'s cost workbook counts "
                "no successful outcome in the appraisal period"
            )
        due = int(first.idxmax())
        types = sorted(
            {_VALUES[c] for g in group for c in _VALUES if float(getattr(g, c)) != 0},
            key=list(_VALUES.values()).index,
        )
        rows.append(
            {
                "authority": authority,
                "option_id": str(option_id),
                "entry": i,
                "benefit": e["benefit"],
                "outcome_ids": ";".join(ids),
                "outcome": str(group[0].outcome),
                "owner_role": e["owner_role"],
                "measure": e["measure"],
                "data_source": e["data_source"],
                "baseline": float(group[0].cohort),
                "target": float(first.max()),
                "due_year": due,
                "due_financial_year": add_financial_years(base, due),
                "value_types": ";".join(types),
            }
        )
    return pd.DataFrame(rows, columns=REALISATION_COLUMNS)
