"""The short list scored against the critical success factors (CSFs).

The Green Book asks for each short-listed option to be assessed against the CSFs before the
preferred way forward is chosen. The CSFs are the council's words (``business_case.yaml``);
a CSF may name what measures it (``assessed_by``), and then :func:`assess_csfs` decides it
from the published results, the same numbers the rest of the business case prints:

* ``spending_objectives`` -- met when, with this option as the way forward, every spending
  objective is met or not applicable (``option_objectives.csv``: the roadmap rebuilt for each
  option, :func:`analysis.journeys.assessment.objectives_by_option`);
* ``value_for_money`` -- met when the decision rule finds the option offers value for money
  (``options_decision.csv``, ``offers_vfm``);
* ``affordability`` -- met when the option's affordability gap (the council's costs with
  their risk allowance less its own cashable benefits, nominal, at the largest cumulative
  shortfall) is within the council's stated affordability limit
  (:func:`analysis.costs.decision.within_limit`, the test the decision rule applies); without
  a limit the pipeline has nothing to judge it against, so the result is "no limit stated"
  and the affordability gap is shown.

A CSF without ``assessed_by`` (deliverability, lawfulness) is a judgement for the board and
is reported as such, never guessed.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.decision import within_limit
from analysis.report.economic_case import bcr_text
from analysis.report.markdown import markdown_table
from analysis.report.wording import option_label, short

#: What a CSF can be assessed by (the schema's enum).
MEASURES = ("spending_objectives", "value_for_money", "affordability")
#: Results of one option against one CSF.
RESULTS = ("met", "not_met", "no_limit", "judgement")
CSF_COLUMNS = ("authority", "option_id", "csf_id", "result", "detail")


def assess_csfs(
    csfs: list[dict],
    decision: pd.DataFrame,
    option_objectives: pd.DataFrame,
    authority: str,
    affordability_limit: float | None = None,
) -> pd.DataFrame:
    """Every short-listed option (BAU excluded) of one council against every CSF.

    ``decision`` is the council's ``options_decision.csv``, ``option_objectives`` its
    ``option_objectives.csv``. Returns :data:`CSF_COLUMNS`: ``result`` one of
    :data:`RESULTS`, ``detail`` the evidence (objective ids not met, the BCR, the gap and,
    where stated, the limit: ``gap;limit``).
    """
    rows = []
    opts = decision[decision["category"] != "bau"]
    for o in opts.itertuples(index=False):
        for c in csfs:
            how = c.get("assessed_by")
            if how == "spending_objectives":
                oo = option_objectives[option_objectives["option_category"] == o.category]
                failed = list(oo.loc[oo["result"] == "not_met", "objective_id"])
                result = "not_met" if failed else "met"
                detail = ";".join(failed)
            elif how == "value_for_money":
                result = "met" if str(o.offers_vfm) == "yes" else "not_met"
                detail = "" if pd.isna(o.bcr) else f"{float(o.bcr):.6g}"
            elif how == "affordability":
                gap = float(o.affordability_gap)
                if affordability_limit is None:
                    result = "no_limit"
                else:
                    result = "met" if within_limit(gap, affordability_limit) else "not_met"
                detail = f"{gap:.2f}" + (
                    "" if affordability_limit is None else f";{float(affordability_limit):.2f}"
                )
            else:
                result, detail = "judgement", ""
            rows.append(
                {
                    "authority": authority,
                    "option_id": o.option_id,
                    "csf_id": c["id"],
                    "result": result,
                    "detail": detail,
                }
            )
    return pd.DataFrame(rows, columns=list(CSF_COLUMNS))


def _cell(result: str, detail: str, how: str | None, bcr_shown: str | None = None) -> str:
    if result == "judgement":
        return "Board judgement"
    if how == "spending_objectives":
        return "Yes" if result == "met" else f"No ({fmt.prose_list(detail.split(';'))})"
    if how == "value_for_money":
        # as the economic case prints it (bcr_text), else the decision table's ratio
        shown = bcr_shown or (fmt.ratio(float(detail)) if detail else "")
        bcr = f" (BCR {shown})" if shown else ""
        return ("Yes" if result == "met" else "No") + bcr
    gap, _, limit = (detail or "0").partition(";")
    gap_text = f"gap {fmt.money(float(gap))}" if float(gap) > 0 else "no gap"
    if result == "no_limit":
        return f"No limit stated ({gap_text})"
    word = "within" if result == "met" else "over"
    return ("Yes" if result == "met" else "No") + f" ({gap_text}, {word} {fmt.money(float(limit))})"


def csf_table(p, ids, names) -> str:
    """The business case's options x CSFs table, council by council (:func:`assess_csfs`)."""
    csfs = p.business_case["critical_success_factors"]
    limits = p.business_case["decision_rule"].get("affordability_limits") or {}
    frames = []
    for a in ids:
        dec = p.table(a, "costs", "options_decision")
        scored = assess_csfs(csfs, dec, p.table(a, "journeys", "option_objectives"), a,
                             limits.get(a))  # fmt: skip
        res = p.table(a, "costs", "options_results").set_index("option_id")
        shown = {o: bcr_text(r.pv_benefits, r.pv_costs) for o, r in res.iterrows()}
        wide = dec[dec["category"] != "bau"][["option_id", "name", "category", "recommended"]]
        wide = wide.assign(council=short(names[a]))
        for c in csfs:
            got = scored[scored["csf_id"] == c["id"]].set_index("option_id")
            wide[c["id"]] = [
                _cell(got.at[o, "result"], got.at[o, "detail"], c.get("assessed_by"), shown.get(o))
                for o in wide["option_id"]
            ]
        frames.append(wide)
    df = pd.concat(frames, ignore_index=True)
    df["option"] = [
        option_label(c, n) + (" (preferred way forward)" if r == "yes" else "")
        for c, n, r in zip(df["category"], df["name"], df["recommended"], strict=True)
    ]
    cols = [("council", "Council", "l"), ("option", "Option", "l")]
    cols += [(c["id"], c["id"], "l") for c in csfs]
    return markdown_table(
        df,
        cols,
        caption="The short-listed options against the critical success factors: measured "
        "where the factor names its measure, otherwise for the board to judge",
        label="csf-options",
    )
