"""Sentences that report the cost stage's decisions: the preferred way forward (chosen by
:mod:`analysis.costs.decision`), affordability on cashable benefits, and the risk analysis.

Nothing is decided here: each sentence says what the key figures record, in the words a
board reads. A reason id the decision rule can give but this module has no words for is an
error, so a new reason cannot reach a report unworded.
"""

from __future__ import annotations

from analysis.core import formatting as fmt
from analysis.costs.decision import (
    NO_OPTION_WITHIN_CONSTRAINTS,
    NO_VFM,
    REASONS,
    funding_to_proceed,
    ruled_out_by_limit,
)
from analysis.costs.precision import probability_text
from analysis.report.economic_case import option_bcr_text
from analysis.report.wording import pays_back_text, vfm

#: Why the rule chose its option, as a clause ("... because it ...").
REASON_WORDS = {
    "only_option_offering_value_for_money": "it is the only option that offers value for money",
    "highest_npsv_of_the_options_offering_value_for_money": (
        "it has the highest net present social value of the options that offer value for money"
    ),
    "npsv_tie_broken_by_lower_pv_costs": (
        "it ties on net present social value with another option and costs less"
    ),
    "npsv_and_pv_costs_tie_broken_by_option_order": (
        "it ties with another option on net present social value and costs"
    ),
    NO_VFM: "no option offers value for money",
    NO_OPTION_WITHIN_CONSTRAINTS: "no option that offers value for money is within the "
    "council's affordability limit",
}
assert set(REASON_WORDS) == set(REASONS), "every reason of the decision rule needs its words"


def recommends_bau(cs) -> bool:
    return cs["recommendation_reason"] in (NO_VFM, NO_OPTION_WITHIN_CONSTRAINTS)


def option_phrase(o) -> str:
    return f"“{o['name']}” (NPSV {fmt.money(o['npsv'])}, BCR {option_bcr_text(o)})"


def way_forward_sentence(cs) -> str:
    """The preferred way forward and how it relates to the council's proposal."""
    reason = REASON_WORDS[cs["recommendation_reason"]]
    proposed = cs["options"][cs["proposed_option_id"]]
    if recommends_bau(cs):
        limit = cs["decision_affordability_limit"]
        rows = [{"option_id": k, **o} for k, o in cs["options"].items() if o["category"] != "bau"]
        need = funding_to_proceed(rows, limit)
        if need is not None:  # value for money, but nothing within the limit
            o = cs["options"][need["option_id"]]
            return (
                f"No option is both affordable and value for money: every option that offers "
                f"value for money has an affordability gap above the council's limit of "
                f"{fmt.money(limit)}. The evidence supports {option_phrase(o)} once "
                f"{fmt.money(need['extra_funding'])} more funding is secured (its gap is "
                f"{fmt.money(need['affordability_gap'])}), or its costs are phased within the "
                "limit; until then the appraisal recommends business as usual."
            )
        return (
            f"The appraisal recommends keeping business as usual for now: {reason}. The "
            f"council's proposal, {option_phrase(proposed)}, would cost more than it returns; "
            "the case rests on reducing its costs or evidencing larger benefits before investing."
        )
    chosen = cs["options"][cs["preferred_option_id"]]
    if cs["decision_affordability_limit"] is not None and cs["recommendation_reason"] in (
        "only_option_offering_value_for_money",
        "highest_npsv_of_the_options_offering_value_for_money",
    ):
        verb = "is" if cs["recommendation_reason"].startswith("only") else "are"
        reason += f" and {verb} within the council's affordability limit"
    text = (
        f"The appraisal's preferred way forward is {option_phrase(chosen)}, because {reason}: "
        f"{vfm(chosen['vfm_category'])}."
    )
    rows = [{"option_id": k, **o} for k, o in cs["options"].items()]
    dearer = ruled_out_by_limit(rows, chosen["npsv"])
    if dearer:
        text += (
            f" {fmt.prose_list(option_phrase(cs['options'][o]) for o in dearer)} would add more "
            "social value but is not affordable: its affordability gap of "
            f"{fmt.prose_list(fmt.money(cs['options'][o]['affordability_gap']) for o in dearer)}"
            f" is above the council's limit of {fmt.money(cs['decision_affordability_limit'])}."
        )
    if cs["proposal_agrees"]:
        return text + " It is the option the council proposed."
    return text + (
        f" The council's workbook proposed {option_phrase(proposed)}: "
        + (
            "it has a lower net present social value."
            if proposed["offers_vfm"]
            else f"it does not offer value for money ({vfm(proposed['vfm_category'])})."
        )
    )


def payback_sentence(cs) -> str:
    if recommends_bau(cs):
        return ""
    chosen = cs["options"][cs["preferred_option_id"]]
    return f"It {pays_back_text(chosen['payback_year'], cs['appraisal_years'])}."


def risk_sentence(cs) -> str:
    """The one-way sensitivity and Monte Carlo results of the chosen option, or why there are
    none (the workbook gives no uncertain inputs for it)."""
    if recommends_bau(cs):
        return "There is no investment to test for risk."
    if cs["mc_uncertain_inputs"] == 0:
        return (
            "The cost workbook declares no uncertain inputs for this option, so neither its "
            "sensitivity nor its risk of a negative result can be shown; declare ranges for its "
            "main costs and benefits in the Uncertainty sheet."
        )
    sv = cs["most_sensitive_switching_value"]
    head = (
        f"The result is most sensitive to {str(cs['most_sensitive_parameter']).lower()}"
        + (
            f": NPSV reaches zero if it moves from {fmt.smart(cs['most_sensitive_central'])} "
            f"to {fmt.smart(sv)} ({fmt.pct(cs['most_sensitive_switching_change_pct'], 1)})."
            if sv is not None
            else ", but no value in its range brings NPSV to zero."
        )
        if cs["most_sensitive_parameter"]
        else "No single input moves the result much."
    )
    return head + (
        f" In {fmt.number(cs['mc_draws'])} Monte Carlo draws, NPSV is positive in "
        f"{probability_text(cs['mc_prob_npsv_positive'])} of cases (5th to 95th percentile "
        f"{fmt.money(cs['mc_p5'])} to {fmt.money(cs['mc_p95'])})."
    )


def affordability_sentence(p, ids, names, short) -> str:
    """Affordability on cashable benefits (the reports' own rule), council by council, against
    each council's affordability limit where it states one."""
    parts = []
    for a in ids:
        cs = p.kf[(a, "costs")]
        if recommends_bau(cs):
            parts.append(f"{short(names[a])} has nothing to fund (business as usual)")
            continue
        gap, limit = cs["affordability_gap"], cs["decision_affordability_limit"]
        text = (
            f"{short(names[a])} {fmt.money(gap)}" if gap and gap > 0 else f"{short(names[a])} none"
        )
        if limit is not None:
            text += f" (limit {fmt.money(limit)})"
        parts.append(text)
    return (
        "Only cashable benefits (budgets that can actually be released) count towards "
        "affordability. In nominal cash, with the risk allowance of the economic case, the "
        "largest shortfall of the council's cashable benefits below the costs of the preferred "
        "way forward during the appraisal period (the affordability gap) is: "
        + fmt.prose_list(parts, "and")
        + ". The decision rule keeps each council's gap within what it says it can fund beyond "
        "its savings (its affordability limit) where it states one; the funding plan below "
        "shows which sources meet the whole requirement, year by year."
    )


def constraints_sentence(kfs, ids, names, short) -> str:
    """The decision rule's constraints as the councils stated them (``decision_min_bcr`` and
    ``decision_affordability_limit`` of each council's costs key figures): what "value for
    money" meant, each council's affordability limit, and where the limit changed the answer
    (:func:`analysis.costs.decision.ruled_out_by_limit`)."""
    bcrs = sorted({float(kfs[a]["decision_min_bcr"]) for a in ids})
    bcr = fmt.prose_list([fmt.ratio(b) for b in bcrs], "or")
    limited = [a for a in ids if kfs[a]["decision_affordability_limit"] is not None]
    text = (
        "An option offers value for money when its net present social value is positive and "
        f"its benefit-cost ratio is at least {bcr}, as the business-case input states"
    )
    if not limited:
        return text + "; no council states an affordability limit."
    caps = [
        f"{short(names[a])} {fmt.money(kfs[a]['decision_affordability_limit'])}" for a in limited
    ]
    text += (
        "; it must also be affordable (critical success factor CSF3): its affordability gap within what the council "
        f"says it can fund beyond its own cashable savings ({fmt.prose_list(caps, 'and')})."
    )
    binds = []
    for a in limited:
        cs = kfs[a]
        rows = [{"option_id": k, **o} for k, o in cs["options"].items()]
        chosen = 0.0 if recommends_bau(cs) else cs["options"][cs["preferred_option_id"]]["npsv"]
        if ruled_out_by_limit(rows, chosen):
            binds.append(short(names[a]))
    if binds:
        text += (
            f" The limit changes the answer in {fmt.prose_list(binds)}, where the option with "
            "the highest net present social value is not affordable."
        )
    elif limited:
        text += " In no council does the limit change the answer."
    return text
