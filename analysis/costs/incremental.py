"""Incremental analysis between options, and the council's cash payback.

**Incremental BCR.** The decision rule picks the option with the highest NPSV among those that
offer value for money (:mod:`analysis.costs.decision`). A finance reviewer also asks what each
step up in spending buys: the incremental benefit-cost ratio of an option against the next
cheaper option that offers value for money, (PVB_i - PVB_j) / (PVC_i - PVC_j): what the
extra spending of moving up to the dearer option returns per pound (the incremental analysis
of options, as in the Department for Transport's value-for-money guidance). The comparator of an option is the option
with the highest PV costs below its own among those offering value for money; with none, it
is business as usual, so the incremental BCR is the option's own BCR. An incremental BCR
below 1 means the extra spending returns less than it costs, even where the option's own BCR
is above 1.

**Cash payback.** The appraisal's payback year (``payback_year``) is a *social* payback: the
first year in which the cumulative discounted net benefit, counting every monetised benefit
(partners' savings, the economy's and society's), reaches zero. The council's *cash* payback
is the first financial year in which its cumulative cashable benefits, in nominal cash,
cover its cumulative costs after optimism bias (the ``council`` rows of the affordability
table, :func:`analysis.costs.financial.affordability_table`); never, when they do not within
the appraisal period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.costs.results import payback_year

INCREMENTAL_COLUMNS = ["incremental_comparator", "incremental_bcr", "cash_payback_year"]


def incremental_bcrs(results: pd.DataFrame, decision: pd.DataFrame, bau: str) -> pd.DataFrame:
    """``option_id, incremental_comparator, incremental_bcr`` for every option of ``results``.

    ``results`` holds each non-BAU option's ``pv_costs`` and ``pv_benefits`` (incremental to
    BAU, full precision); ``decision`` is the decision table (``option_id, offers_vfm``
    yes/no). The comparator is the option offering value for money with the highest PV costs
    below the option's own (PV costs equal to the penny do not count as cheaper), else
    ``bau``. The incremental BCR is missing when the PV cost difference is not positive.
    """
    vfm = set(decision.loc[decision["offers_vfm"].astype(str) == "yes", "option_id"].astype(str))
    r = results.assign(option_id=results["option_id"].astype(str))
    pvc = dict(zip(r["option_id"], r["pv_costs"].astype(float), strict=True))
    pvb = dict(zip(r["option_id"], r["pv_benefits"].astype(float), strict=True))
    rows = []
    for oid in r["option_id"]:
        cheaper = [o for o in vfm if o in pvc and round(pvc[o], 2) < round(pvc[oid], 2)]
        comp = max(cheaper, key=lambda o: (pvc[o], o)) if cheaper else bau
        dc = pvc[oid] - pvc.get(comp, 0.0)
        db = pvb[oid] - pvb.get(comp, 0.0)
        rows.append(
            {
                "option_id": oid,
                "incremental_comparator": comp,
                "incremental_bcr": db / dc if dc > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["option_id", "incremental_comparator", "incremental_bcr"])


def cash_payback_years(affordability: pd.DataFrame) -> pd.DataFrame:
    """``option_id, cash_payback_year``: the council's cash payback of each option (module
    docstring) from the ``council`` rows of the affordability table (nominal, undiscounted:
    :func:`analysis.costs.results.payback_year` with factors of 1); missing for never."""
    rows = []
    council = affordability[affordability["agency"].astype(str) == "council"]
    for oid, g in council.groupby("option_id", sort=False):
        g = g.sort_values("year")
        net = g["net"].astype(float).to_numpy()
        year = payback_year(net, np.ones(len(net)))
        rows.append({"option_id": str(oid), "cash_payback_year": year})
    out = pd.DataFrame(rows, columns=["option_id", "cash_payback_year"])
    out["cash_payback_year"] = out["cash_payback_year"].astype("Int64")
    return out


def with_incremental(
    results: pd.DataFrame, decision: pd.DataFrame, affordability: pd.DataFrame, bau: str
) -> pd.DataFrame:
    """``results`` with :data:`INCREMENTAL_COLUMNS` added (:func:`incremental_bcrs`,
    :func:`cash_payback_years`), rows and order unchanged."""
    out = results.drop(columns=[c for c in INCREMENTAL_COLUMNS if c in results.columns])
    out = out.assign(option_id=out["option_id"].astype(str))
    out = out.merge(incremental_bcrs(out, decision, bau), on="option_id", how="left")
    out = out.merge(cash_payback_years(affordability), on="option_id", how="left")
    out["cash_payback_year"] = out["cash_payback_year"].astype("Int64")
    return out
