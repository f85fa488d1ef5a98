"""Cross-sheet checks of a cost workbook: what the appraisal would otherwise refuse later.

Everything the costs stage needs of its inputs is checked here, at ingest, so that a bad
workbook stops the run before anything is published, with the sheet, row and column: the
options (exactly one business as usual and one proposed option), references between sheets,
price years the GDP deflator series covers, and uncertainty ranges the Monte Carlo can draw
from. Every message says what was expected and never repeats a value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import (
    add_financial_years,
    financial_year_or_none,
    normalise_financial_year,
)
from analysis.core.problems import RawTable

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
    """Each target is ``sheet:option:id:field`` naming a row that exists; low is not above high."""
    keys = {
        "costs": set(zip(typed["Costs"]["option_id"], typed["Costs"]["line_id"], strict=True)),
        "benefits": set(
            zip(typed["Benefits"]["option_id"], typed["Benefits"]["outcome_id"], strict=True)
        ),
    }
    fields = {"costs": {"amount"}, "benefits": BENEFIT_TARGET_FIELDS}
    u = typed["Uncertainty"]
    for pos, target in enumerate(u["target"]):
        parts = str(target).split(":")
        ok = (
            len(parts) == 4
            and parts[0] in keys
            and ((parts[1], parts[2]) in keys[parts[0]] or parts[1] == "*")
            and parts[3] in fields[parts[0]]
        )
        if not ok:
            problems.append(
                raw["Uncertainty"].where(
                    pos,
                    "target",
                    "expected sheet:option:id:field, e.g. benefits:preferred:O1:success_rate, "
                    "naming a row that exists",
                )
            )
    for pos in np.flatnonzero((u["low"] > u["high"]).to_numpy()):
        problems.append(raw["Uncertainty"].where(pos, "low", "is above high; expected low ≤ high"))


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
