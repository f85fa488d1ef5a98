"""A council's cost-model inputs: reading the ingested tables, typed parameters, the option rules.

The one home of two rules every part of the stage needs: the **business-as-usual option** is
the option with category ``bau`` and the council's **proposed option** the one with category
``preferred``; exactly one of each is required (the data contract,
``workflow/schemas/costs.schema.yaml``). Results are always incremental to business as usual.
Which option the appraisal prefers is not this label but the decision rule's answer
(:mod:`analysis.costs.decision`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.io import read_csv
from analysis.core.periods import normalise_financial_year

#: The tables ingest writes to ``results/{authority}/ingest/costs/``.
INGESTED_TABLES = ("parameters", "options", "costs", "benefits", "uncertainty")


def read_ingested(path: str | Path) -> pd.DataFrame:
    """An ingested costs table without the ``authority`` column ingest puts first."""
    df = read_csv(path)
    return df.drop(columns=["authority"], errors="ignore")


def parameters_dict(parameters: pd.DataFrame) -> dict:
    """Turn the ``key, value`` parameters table into a dict with typed values."""
    out = dict(zip(parameters["key"].astype(str), parameters["value"], strict=True))
    if "appraisal_years" in out:
        out["appraisal_years"] = int(float(out["appraisal_years"]))
    if "optimism_bias_mitigation" in out:
        out["optimism_bias_mitigation"] = float(out["optimism_bias_mitigation"])
    out["price_base_year"] = normalise_financial_year(out["price_base_year"])
    return out


def as_parameters(parameters: pd.DataFrame | dict) -> dict:
    """Typed parameters from the table or a dict (a copy; price base year normalised)."""
    params = parameters_dict(parameters) if isinstance(parameters, pd.DataFrame) else parameters
    params = dict(params)
    params["price_base_year"] = normalise_financial_year(params["price_base_year"])
    return params


def _only_option(options: pd.DataFrame, category: str) -> str:
    ids = options.loc[options["category"].astype(str) == category, "option_id"].astype(str)
    if len(ids) != 1:
        raise ValueError(f"options.csv: exactly one option must have category '{category}'")
    return ids.iloc[0]


def baseline_option_id(options: pd.DataFrame) -> str:
    """The business-as-usual option: the one whose category is ``bau``."""
    return _only_option(options, "bau")


def preferred_option_id(options: pd.DataFrame) -> str:
    """The workbook's proposal: the option whose category is ``preferred`` (the decision rule,
    :func:`analysis.costs.decision.decide`, may prefer another)."""
    return _only_option(options, "preferred")


def check_option_ids(options: pd.DataFrame, costs: pd.DataFrame, benefits: pd.DataFrame) -> None:
    """Every ``option_id`` of the costs and benefits tables must be an option."""
    known = set(options["option_id"].astype(str))
    for name, df in (("costs.csv", costs), ("benefits.csv", benefits)):
        if not set(df["option_id"].astype(str)) <= known:
            raise ValueError(f"{name}: column option_id names an option not in options.csv")
