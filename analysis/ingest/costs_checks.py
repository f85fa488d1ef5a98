"""Cross-sheet checks of a cost workbook: what the appraisal would otherwise refuse later.

Everything the costs stage needs of its inputs is checked here, at ingest, so that a bad
workbook stops the run before anything is published, with the sheet, row and column: the
options (exactly one business as usual and one proposed option), references between sheets,
price years the GDP deflator series covers, and uncertainty ranges the Monte Carlo can draw
from. Every message says what was expected and never repeats a value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.core.periods import (
    add_financial_years,
    financial_year_or_none,
    normalise_financial_year,
)
from analysis.core.problems import RawTable
from analysis.costs.array_model import is_multiplier
from analysis.costs.targets import GROUP_PREFIX, cost_group, outcome_ids

#: Fields of a benefits line an uncertainty target may name.
BENEFIT_TARGET_FIELDS = {
    "cohort",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "drop_off",
    "fiscal_value",
    "economic_value",
    "social_value",
    "cashable_share",
    "lag_years",
    "duration_years",
}


def check_options(raw: dict[str, RawTable], typed: dict, problems: list) -> None:
    """Exactly one ``bau`` and one ``preferred`` option; costs and benefits name options."""
    options = typed["Options"]
    for category, what in (
        ("bau", "exactly one business-as-usual option"),
        ("preferred", "exactly one option proposed by the council (category 'preferred')"),
    ):
        n = int(options["category"].eq(category).sum())
        if n != 1:
            problems.append(
                raw["Options"].where(
                    None, "category", f"has {n} options of category '{category}'; expected {what}"
                )
            )
    option_ids = set(options["option_id"])
    for sheet in ("Costs", "Benefits"):
        for pos in np.flatnonzero(~typed[sheet]["option_id"].isin(option_ids).to_numpy()):
            problems.append(
                raw[sheet].where(
                    pos, "option_id", "names an option that is not on the Options sheet"
                )
            )


def check_uncertainty_targets(raw: dict[str, RawTable], typed: dict, problems: list) -> None:
    """Each target is ``sheet:option:id:field`` naming a row that exists (``O1+O1b`` for
    benefit lines that share one input), or ``costs:<option>:type=<cost type>:amount`` naming
    every line of a cost type; low is not above high."""
    keys = {
        "costs": set(zip(typed["Costs"]["option_id"], typed["Costs"]["line_id"], strict=True)),
        "benefits": set(
            zip(typed["Benefits"]["option_id"], typed["Benefits"]["outcome_id"], strict=True)
        ),
    }
    fields = {"costs": {"amount"}, "benefits": BENEFIT_TARGET_FIELDS}
    groups = set(
        zip(typed["Costs"]["option_id"], typed["Costs"]["cost_type"].astype(str), strict=True)
    )
    u = typed["Uncertainty"]
    for pos, (target, parameter) in enumerate(zip(u["target"], u["parameter"], strict=True)):
        parts = str(target).split(":")
        kind = cost_group(parts[2]) if len(parts) == 4 and parts[0] == "costs" else None
        if kind is not None or (len(parts) == 4 and str(parts[2]).startswith(GROUP_PREFIX)):
            _check_group_target(raw["Uncertainty"], pos, parts, kind, parameter, groups, problems)
            continue
        items = outcome_ids(parts[2]) if len(parts) == 4 and parts[0] == "benefits" else None
        ok = (
            len(parts) == 4
            and parts[0] in keys
            and (
                all((parts[1], i) in keys[parts[0]] for i in (items or [parts[2]]))
                or parts[1] == "*"
            )
            and parts[3] in fields[parts[0]]
        )
        if not ok:
            problems.append(
                raw["Uncertainty"].where(
                    pos,
                    "target",
                    "expected sheet:option:id:field, e.g. benefits:preferred:O1:success_rate, "
                    "naming a row that exists (benefits:preferred:O1+O1b:success_rate for lines "
                    "that share the input), or costs:option:type=capital:amount (every capital, "
                    "staff or revenue line of an option)",
                )
            )
    for pos in np.flatnonzero((u["low"] > u["high"]).to_numpy()):
        problems.append(raw["Uncertainty"].where(pos, "low", "is above high; expected low ≤ high"))


def _check_group_target(t: RawTable, pos, parts, kind, parameter, groups, problems) -> None:
    """A ``costs:<option>:type=<cost type>:amount`` target: a known cost type, an option that
    has lines of that type, ``:amount``, and a multiplier (a replacement amount means nothing
    for several lines at once)."""
    if kind is None:
        problems.append(t.where(pos, "target", "expected a cost group type=capital, "
                                "type=staff or type=revenue"))  # fmt: skip
    elif parts[3] != "amount":
        problems.append(t.where(pos, "target", "expected a cost group target to end in :amount"))
    elif (parts[1], kind) not in groups:
        problems.append(t.where(pos, "target", "expected an option with at least one cost line "
                                "of that type on the Costs sheet"))  # fmt: skip
    elif not is_multiplier(parameter):
        problems.append(t.where(pos, "parameter", "expected a multiplier (a name ending in "
                                "'multiplier') for a cost-group target"))  # fmt: skip


#: How an action id looks (``survey/roadmap_actions.csv``).
_ACTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")


def check_delivered_by(t: RawTable, benefits: pd.DataFrame, action_ids, problems: list) -> None:
    """``delivered_by``: ';'-separated ids of the roadmap actions that deliver the benefit line,
    each in the roadmap action table (``action_ids``; only their form is checked when None)."""
    if "delivered_by" not in benefits:
        return
    known = None if action_ids is None else {str(a) for a in action_ids}
    for pos, cell in enumerate(benefits["delivered_by"]):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip():
            continue
        ids = [x.strip() for x in str(cell).split(";")]
        if any(not _ACTION_ID.match(x) for x in ids) or (
            known is not None and any(x not in known for x in ids)
        ):
            problems.append(t.where(pos, "delivered_by", "expected ';'-separated action ids of "
                                    "the roadmap action table, e.g. A07;A08"))  # fmt: skip


def _series_years(deflators: pd.DataFrame) -> tuple[str, str]:
    years = sorted(normalise_financial_year(y) for y in deflators["financial_year"])
    return years[0], years[-1]


def check_price_years(
    raw: dict[str, RawTable],
    typed: dict,
    params: dict,
    deflators: pd.DataFrame,
    vintage: str,
    problems: list,
) -> None:
    """Price years the GDP deflator series covers, as the appraisal will convert them.

    The series is extended beyond its last year at a long-run growth rate (through the last
    appraisal year for costs, through the price base year for benefits); nothing is
    extrapolated before its first year.
    """
    base = params.get("price_base_year")
    n_years = params.get("appraisal_years")
    if base is None or n_years is None:
        return  # already reported
    first, last = _series_years(deflators)
    series = f"the GDP deflator series ({vintage}) starts in {first}"
    if base < first:
        t = raw["Parameters"]
        pos = int(np.flatnonzero(t.data["key"].astype(str).str.strip().eq("price_base_year"))[0])
        problems.append(t.where(pos, "value", f"is before {first}; {series}"))
        return
    last_cost = max(last, add_financial_years(base, int(n_years) - 1))
    for sheet, latest, rows in (
        ("Costs", last_cost, typed["Costs"]["prices"].eq("real")),
        ("Benefits", max(last, base), pd.Series(True, index=typed["Benefits"].index)),
    ):
        py = typed[sheet]["price_year"].map(lambda y: financial_year_or_none(y) or "")
        for pos in np.flatnonzero(py.eq("").to_numpy()):
            problems.append(
                raw[sheet].where(pos, "price_year", "expected a financial year such as 2017-18")
            )
        bad = rows & py.ne("") & ((py < first) | (py > latest))
        for pos in np.flatnonzero(bad.to_numpy()):
            problems.append(
                raw[sheet].where(
                    pos,
                    "price_year",
                    f"is outside the years the appraisal can price: expected {first} to "
                    f"{latest} ({series}; later years are projected)",
                )
            )


def check_uncertainty_centres(
    raw: dict[str, RawTable],
    params: dict,
    options: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    uncertainty: pd.DataFrame,
    deflators: pd.DataFrame,
    problems: list,
) -> None:
    """A triangular range must contain the input it varies, as the Monte Carlo draws it.

    The central value is taken from the same array model the Monte Carlo uses, so a cost line
    varied by amount (not by a multiplier) must have one amount in every year it has a cost.
    """
    from analysis.costs import build_array_model, central_value, is_multiplier, parse_target

    models: dict[str, object] = {}
    for pos, r in enumerate(uncertainty.itertuples(index=False)):
        table, opt, _item, _field = parse_target(str(r.target))
        if table == "parameters" or opt == "*":
            continue
        mult = is_multiplier(str(r.parameter))
        try:
            if opt not in models:
                models[opt] = build_array_model(
                    params, options, costs, benefits, opt, deflators=deflators
                )
            centre = central_value(models[opt], str(r.target), mult)
        except ValueError:
            if table == "costs" and not mult:
                problems.append(
                    raw["Uncertainty"].where(
                        pos,
                        "target",
                        "varies a cost line by amount, which needs the same real amount in "
                        "every year the line has a cost; vary it with a parameter named "
                        "'... multiplier' instead",
                    )
                )
            continue
        dist = str(r.distribution).strip().lower()
        if dist == "triangular" and not float(r.low) <= centre <= float(r.high):
            what = "1 (a multiplier)" if mult else "the input it varies"
            problems.append(
                raw["Uncertainty"].where(
                    pos,
                    "low",
                    f"with high, does not contain {what}; expected a triangular range "
                    "around the central value",
                )
            )
