"""The decision rule: which option is the preferred way forward.

The economic case asks which option gives best value for money; its answer, the preferred way
forward, is an appraisal result, not the label a council gave an option in its workbook
(``docs/reference/appraisal.md``, "The Five Case Model" and "Results and value for money").
The workbook's ``preferred`` option is kept as the **proposed** option, and the rule says
whether the appraisal agrees with it.

The rule, applied to the full-precision results (incremental to business as usual):

1. An option **offers value for money** when its NPSV is positive and its BCR is at least
   ``min_bcr`` (default 1.0, the lower edge of the DfT "low" band). An option whose PV costs
   are not positive has no meaningful BCR; it offers value for money when its NPSV is
   positive (it costs nothing extra and adds value). With the default, BCR >= 1 and NPSV > 0
   together mean NPSV > 0: an option worth exactly nothing more than BAU is not preferred.
2. It is **eligible** when it also meets the council's stated constraints. Today the only one
   is an optional affordability limit: the most the council can fund beyond its own cashable
   savings (for example its share of the secured and applied-for funding), compared with the
   option's **affordability gap**: the council's costs with their risk allowance less its own
   cashable benefits, in nominal cash, at the largest cumulative shortfall over the appraisal
   period (:func:`analysis.costs.financial.affordability_summary`). An option is affordable
   when its gap is within the limit (CSF3, "affordable from cashable savings and identified
   funding"). ``None`` = no limit.
3. The **preferred way forward** is the eligible option with the highest NPSV. NPSVs equal to
   the penny are a tie, broken by the lower PV costs (to the penny), then by the option's
   order in ``options.csv``.
4. When no option is eligible the rule recommends **business as usual**, with the reason
   ``no_option_offers_value_for_money`` (no option passes step 1) or
   ``no_option_within_the_constraints`` (some do, but none meets the constraints).

BAU itself is never eligible (it is the counterfactual every option is measured against).
When the limit is what rules every value-for-money option out, :func:`funding_to_proceed`
says what the evidence supports instead: the value-for-money option that needs the least
extra funding, and how much.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core.text import parse_bool
from analysis.costs.financial import affordability_summary, affordability_table
from analysis.costs.inputs import baseline_option_id, preferred_option_id
from analysis.costs.precision import to_penny
from analysis.costs.reference import read_gdp_deflators

#: The constraints the workflow passes today (a later change reads them from the council's
#: business-case input): BCR of at least 1.0, no affordability limit.
DEFAULT_CONSTRAINTS = {"min_bcr": 1.0, "affordability_limit": None}
NO_VFM = "no_option_offers_value_for_money"
NO_OPTION_WITHIN_CONSTRAINTS = "no_option_within_the_constraints"
#: Why an option is, or is not, eligible (column ``eligibility`` of ``options_decision.csv``).
ELIGIBILITY = (
    "eligible",
    "business_as_usual",
    "npsv_not_positive",
    "bcr_below_minimum",
    "exceeds_affordability_limit",
)
#: Why the recommended option was chosen (column ``recommendation_reason``).
REASONS = (
    "only_option_offering_value_for_money",
    "highest_npsv_of_the_options_offering_value_for_money",
    "npsv_tie_broken_by_lower_pv_costs",
    "npsv_and_pv_costs_tie_broken_by_option_order",
    NO_VFM,
    NO_OPTION_WITHIN_CONSTRAINTS,
)
DECISION_COLUMNS = [
    "option_id",
    "name",
    "category",
    "proposed",
    "pv_costs",
    "pv_benefits",
    "npsv",
    "bcr",
    "vfm_category",
    "offers_vfm",
    "nominal_costs_total",
    "nominal_cashable_total",
    "net_nominal_cost",
    "affordability_gap",
    "within_affordability_limit",
    "eligible",
    "eligibility",
    "rank",
    "recommended",
    "recommendation_reason",
]
_AFFORD = ["nominal_costs_total", "nominal_cashable_total", "net_nominal_cost"]
_AFFORD += ["affordability_gap"]


def offers_value_for_money(npsv: float, bcr: float, pv_costs: float, min_bcr: float) -> bool:
    """Step 1 of the rule: NPSV > 0 and BCR >= ``min_bcr`` (BCR waived when PV costs <= 0)."""
    if not np.isfinite(npsv) or npsv <= 0:
        return False
    if pv_costs <= 0:
        return True
    return bool(np.isfinite(bcr) and bcr >= min_bcr)


def within_limit(affordability_gap: float, limit) -> bool:
    """CSF3: the option's affordability gap is within the council's affordability limit (to the
    penny; no limit stated = within)."""
    if limit is None:
        return True
    return bool(to_penny(float(affordability_gap)) <= to_penny(float(limit)))


def _eligibility(r: dict, min_bcr: float, limit) -> str:
    if r["npsv"] <= 0 or not np.isfinite(r["npsv"]):
        return "npsv_not_positive"
    if not offers_value_for_money(r["npsv"], r["bcr"], r["pv_costs"], min_bcr):
        return "bcr_below_minimum"
    if limit is not None and not within_limit(r["affordability_gap"], limit):
        return "exceeds_affordability_limit"
    return "eligible"


@dataclass
class Decision:
    """What :func:`decide` returns: the published table and the decision in a few words."""

    table: pd.DataFrame  # options_decision: one row per option, BAU first as in options.csv
    preferred_option_id: str  # the rule's choice; BAU's id when no option is eligible
    proposed_option_id: str  # the workbook's ``preferred`` option
    baseline_option_id: str
    reason: str
    options_offering_vfm: list[str] = field(default_factory=list)

    @property
    def proposal_agrees(self) -> bool:
        return self.preferred_option_id == self.proposed_option_id

    @property
    def recommends_bau(self) -> bool:
        return self.preferred_option_id == self.baseline_option_id


def decide(
    results: pd.DataFrame,
    options: pd.DataFrame,
    affordability: pd.DataFrame | None = None,
    constraints: Mapping | None = None,
) -> Decision:
    """Apply the decision rule (module docstring) to ``results`` (:attr:`Appraisal.results`).

    ``affordability`` is :func:`analysis.costs.financial.affordability_summary` (optional
    unless an affordability limit is set); ``constraints`` overrides
    :data:`DEFAULT_CONSTRAINTS` key by key.
    """
    c = {**DEFAULT_CONSTRAINTS, **dict(constraints or {})}
    unknown = set(c) - set(DEFAULT_CONSTRAINTS)
    if unknown:
        raise ValueError("constraints: unknown key(s) " + ", ".join(sorted(unknown)))
    min_bcr, limit = float(c["min_bcr"]), c["affordability_limit"]
    if limit is not None and affordability is None:
        raise ValueError("an affordability limit needs the affordability summary")
    bau, proposed = baseline_option_id(options), preferred_option_id(options)
    res = results.assign(option_id=results["option_id"].astype(str)).set_index("option_id")
    aff = None
    if affordability is not None:
        aff = affordability.assign(option_id=affordability["option_id"].astype(str))
        aff = aff.set_index("option_id")
    rows = []
    for order, opt in enumerate(options.itertuples(index=False)):
        oid = str(opt.option_id)
        r = {"option_id": oid, "name": str(opt.name), "category": str(opt.category)}
        r["proposed"] = oid == proposed
        if oid == bau:
            r |= {"pv_costs": 0.0, "pv_benefits": 0.0, "npsv": 0.0, "bcr": np.nan}
            r |= {"vfm_category": None, "offers_vfm": False} | dict.fromkeys(_AFFORD, 0.0)
            r["eligibility"] = "business_as_usual"
        else:
            x = res.loc[oid]
            for k in ("pv_costs", "pv_benefits", "npsv", "bcr"):
                r[k] = float(x[k])
            r["vfm_category"] = x["vfm_category"]
            r["offers_vfm"] = offers_value_for_money(r["npsv"], r["bcr"], r["pv_costs"], min_bcr)
            for k in _AFFORD:
                r[k] = float(aff.loc[oid, k]) if aff is not None else np.nan
            r["eligibility"] = _eligibility(r, min_bcr, limit)
        r["within_affordability_limit"] = (
            None if oid == bau else within_limit(r["affordability_gap"], limit)
        )
        r["_order"] = order
        rows.append(r)
    table = pd.DataFrame(rows)
    table["eligible"] = table["eligibility"] == "eligible"
    ranked = table[table["eligible"]].assign(
        _npsv=lambda d: -to_penny(d["npsv"].to_numpy(float)),
        _pvc=lambda d: to_penny(d["pv_costs"].to_numpy(float)),
    )
    ranked = ranked.sort_values(["_npsv", "_pvc", "_order"], kind="stable")
    table["rank"] = pd.Series(
        dict(zip(ranked.index, range(1, len(ranked) + 1), strict=True)), dtype="Int64"
    ).reindex(table.index)
    vfm = table.loc[table["offers_vfm"], "option_id"].tolist()
    if len(ranked) == 0:
        chosen, reason = bau, (NO_OPTION_WITHIN_CONSTRAINTS if vfm else NO_VFM)
    else:
        chosen, reason = str(ranked["option_id"].iloc[0]), _reason(ranked)
    table["recommended"] = table["option_id"] == chosen
    table["recommendation_reason"] = np.where(table["recommended"], reason, "")
    for col in ("proposed", "offers_vfm", "eligible", "recommended"):
        table[col] = np.where(table[col].astype(bool), "yes", "no")
    w = table["within_affordability_limit"]
    table["within_affordability_limit"] = [None if v is None else ("yes" if v else "no") for v in w]
    return Decision(table[DECISION_COLUMNS], chosen, proposed, bau, reason, vfm)


def decision_constraints(business_case: Mapping, authority: str) -> dict:
    """The decision rule's constraints for ``authority``, as the council states them in the
    validated business-case input (``decision_rule``: ``min_bcr``, and its entry of
    ``affordability_limits``; a council left out states no limit)."""
    rule = business_case["decision_rule"]
    limit = rule["affordability_limits"].get(authority)
    return {
        "min_bcr": float(rule["min_bcr"]),
        "affordability_limit": None if limit is None else float(limit),
    }


def contingency_share(business_case: Mapping | None) -> float:
    """The council's stated contingency (``financial.contingency_share``; 0 when not given),
    which counts only where it exceeds a cost line's optimism-bias uplift
    (:func:`analysis.costs.financial.risk_adjusted`)."""
    fin = (business_case or {}).get("financial") or {}
    return float(fin.get("contingency_share") or 0.0)


def decide_appraisal(
    appraisal,
    options: pd.DataFrame,
    constraints: Mapping | None = None,
    deflators: pd.DataFrame | None = None,
    contingency: float = 0.0,
) -> tuple[pd.DataFrame, Decision]:
    """The financial case and the decision for an :class:`~analysis.costs.results.Appraisal`:
    ``(affordability table, decision)`` (:func:`analysis.costs.financial.affordability_table`
    with the council's ``contingency`` share, :func:`decide`)."""
    deflators = read_gdp_deflators() if deflators is None else deflators
    base = appraisal.parameters["price_base_year"]
    afford = affordability_table(
        appraisal.costs, appraisal.benefit_flows, options, base, deflators, contingency
    )
    return afford, decide(appraisal.results, options, affordability_summary(afford), constraints)


def ruled_out_by_limit(options, chosen_npsv: float) -> list[str]:
    """The options the affordability limit changed the answer for: those that offer value for
    money and have a higher NPSV than the chosen option (``chosen_npsv``; 0 for business as
    usual) but whose affordability gap exceeds the limit (``eligibility`` =
    ``exceeds_affordability_limit``), highest NPSV first. Empty when the limit does not bind."""
    out = [
        o for o in options
        if str(o["eligibility"]) == "exceeds_affordability_limit"
        and to_penny(float(o["npsv"])) > to_penny(float(chosen_npsv))
    ]  # fmt: skip
    return [str(o["option_id"]) for o in sorted(out, key=lambda o: -float(o["npsv"]))]


def funding_to_proceed(options, limit) -> dict | None:
    """What the evidence supports when the affordability limit rules out every option that
    offers value for money: the option that needs the least funding beyond the limit.

    ``options`` are rows (mappings) with ``option_id, offers_vfm`` (bool or yes/no),
    ``affordability_gap`` and ``npsv``. Returns ``None`` when no limit is stated or some
    value-for-money option is within it (the rule then chose one), or when no option offers
    value for money (then the evidence supports business as usual and nothing else).
    Otherwise ``{"option_id", "extra_funding", "affordability_gap", "npsv"}``:
    ``extra_funding`` = gap - limit, the least of the value-for-money options; ties go to the
    higher NPSV, then the earlier option.
    """
    if limit is None:
        return None
    vfm = [
        o for o in options
        if (o["offers_vfm"] is True or str(o["offers_vfm"]).lower() in ("yes", "true"))
    ]  # fmt: skip
    if not vfm or any(within_limit(o["affordability_gap"], limit) for o in vfm):
        return None
    best = min(
        enumerate(vfm),
        key=lambda io: (to_penny(float(io[1]["affordability_gap"]) - float(limit)),
                        -to_penny(float(io[1]["npsv"])), io[0]),
    )[1]  # fmt: skip
    return {
        "option_id": str(best["option_id"]),
        "extra_funding": float(best["affordability_gap"]) - float(limit),
        "affordability_gap": float(best["affordability_gap"]),
        "npsv": float(best["npsv"]),
    }


def _reason(ranked: pd.DataFrame) -> str:
    if len(ranked) == 1:
        return "only_option_offering_value_for_money"
    first, second = ranked.iloc[0], ranked.iloc[1]
    if first["_npsv"] != second["_npsv"]:
        return "highest_npsv_of_the_options_offering_value_for_money"
    if first["_pvc"] != second["_pvc"]:
        return "npsv_tie_broken_by_lower_pv_costs"
    return "npsv_and_pv_costs_tie_broken_by_option_order"


def _flag(v, where: str) -> bool:
    b = parse_bool(v)
    if b is None:
        raise ValueError(f"options_decision.csv: column {where} must be yes or no")
    return b


def read_decision(table: pd.DataFrame) -> Decision:
    """The :class:`Decision` a written ``options_decision.csv`` records (as read back)."""
    t = table.assign(option_id=table["option_id"].astype(str))
    rec = t[[_flag(v, "recommended") for v in t["recommended"]]]
    prop = t[[_flag(v, "proposed") for v in t["proposed"]]]
    bau = t[t["category"].astype(str) == "bau"]
    if len(rec) != 1 or len(prop) != 1 or len(bau) != 1:
        raise ValueError(
            "options_decision.csv: exactly one option must be recommended, one proposed, one bau"
        )
    vfm = t.loc[[_flag(v, "offers_vfm") for v in t["offers_vfm"]], "option_id"].tolist()
    return Decision(
        table,
        str(rec["option_id"].iloc[0]),
        str(prop["option_id"].iloc[0]),
        str(bau["option_id"].iloc[0]),
        str(rec["recommendation_reason"].iloc[0]),
        vfm,
    )


def ranking_under_uncertainty(decision: pd.DataFrame, mc_summary: pd.DataFrame) -> dict:
    """Does the Monte Carlo analysis bear out the rule's choice (issue 12, 1.7)?

    The rule ranks the options on the central case. The Green Book's central case is an
    expected value, so the simulated mean NPSV of each option should be close to it; where the
    uncertainty ranges are skewed the two differ, and the ranking could change. Among the
    options the rule found eligible, this compares the recommended option's simulated mean
    NPSV with the others' (``mc_summary``: ``monte_carlo_summary.csv``, rows ``metric`` =
    ``npsv``). Returns ``{"checked": bool, "holds": bool | None, "best_by_mean": option id or
    None, "central": float | None, "mean": float | None, "gap_pct": float | None}``:
    ``gap_pct`` is (mean - central) / |central| x 100 for the recommended option. Not checked
    when business as usual is recommended or the recommended option was not simulated.
    """
    rec = decision[decision["recommended"].astype(str) == "yes"]
    none = {"checked": False, "holds": None, "best_by_mean": None, "central": None,
            "mean": None, "gap_pct": None}  # fmt: skip
    if rec.empty or str(rec["category"].iloc[0]) == "bau":
        return none
    chosen = str(rec["option_id"].iloc[0])
    npsv = mc_summary[mc_summary["metric"] == "npsv"].set_index("option_id")["mean"]
    if chosen not in npsv.index:
        return none
    eligible = [
        o for o in decision.loc[decision["eligible"].astype(str) == "yes", "option_id"]
        if o in npsv.index
    ]  # fmt: skip
    best = max(eligible, key=lambda o: (float(npsv[o]), o == chosen))
    central = float(rec["npsv"].iloc[0])
    mean = float(npsv[chosen])
    gap = (mean - central) / abs(central) * 100 if central else None
    return {"checked": True, "holds": best == chosen, "best_by_mean": best, "central": central,
            "mean": mean, "gap_pct": gap}  # fmt: skip
