"""The business case's management case, as Markdown: benefits realisation with numeric
baselines and targets, the risk register with residual scores and the evidence the results
give for each risk, and the monitoring and evaluation plan.

The owners, measures, risks, scores and the evaluation design are the council's words
(``business_case.yaml``). The numbers are the pipeline's: baselines and targets from the
appraisal (``benefits_realisation``, :mod:`analysis.costs.realisation`), and the evidence of a
risk whose ``evidence`` names something computed (:func:`risk_facts`, :func:`computed_evidence`):
the share of a council's ask not secured, the Monte Carlo chance of a negative NPSV, the
spending objectives the schedule misses, the share of survey answers agreeing with an item
and the codes below the inter-coder agreement threshold.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.appraisal_wording import recommends_bau
from analysis.report.five_case import bullets, risk_rating
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.wording import short

#: Keys of a risk's ``evidence`` whose value the pipeline computes.
COMPUTED = ("funding", "npsv_negative", "objectives", "survey_items", "coder_agreement")
#: Objective results that count as met (the objectives check's ``result``).
MET = ("met", "not_applicable")
VALUE_WORDS = {"fiscal": "fiscal", "economic": "economic", "social": "social (wellbeing)"}


# ------------------------------------------------------------------------------ realisation


def realisation_table(p, ids, names) -> str:
    """One row per monetised benefit and council: owner, measure, baseline, target, due year
    and data source (baseline and target computed from the appraisal)."""
    df = p.table("programme", "costs", "benefits_realisation")
    df = df[df["authority"].isin(ids)].copy()
    if df.empty:
        return "No council's preferred way forward has a monetised benefit to realise.\n"
    order = {a: i for i, a in enumerate(ids)}
    df = df.sort_values(["authority", "entry"], key=lambda s: s.map(order) if s.name ==
                        "authority" else s, kind="stable")  # fmt: skip
    df["council"] = [short(names[a]) for a in df["authority"]]
    df["values"] = [
        fmt.prose_list(VALUE_WORDS[v] for v in str(t).split(";") if v) for t in df["value_types"]
    ]
    return markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("benefit", "Benefit", "l"),
            ("owner_role", "Owner", "l"),
            ("measure", "Measure (a year)", "l"),
            ("baseline", "Baseline", "r"),
            ("target", "Target", "r"),
            ("due_financial_year", "Due", "l"),
            ("data_source", "Data source", "l"),
        ],
        caption="Benefits realisation: the baseline is the benefit line's cohort in the cost "
        "workbook; the target is the number of successful outcomes a year the appraisal counts "
        "(after engagement, success and deadweight), in the year they are highest, which is "
        "when it is due",
        label="realisation",
        formatters={"baseline": fmt.smart, "target": fmt.smart},
    )


# ------------------------------------------------------------------------------ risk evidence


def risk_facts(p, aid: str, survey_scope: str = "programme") -> dict:
    """What the published outputs say that a risk's computed evidence can cite, for one
    council (``aid``) and for the programme (coder agreement); survey agreement from
    ``survey_scope``: the programme's respondents in the business case, the council's own in
    its case study."""
    cs = p.kf[(aid, "costs")]
    status = p.table("programme", "costs", "funding_status").set_index("authority")
    obj = p.table(aid, "journeys", "objectives_check")
    items = p.table(survey_scope, "survey", "item_summary")
    everyone = items[items["group_by"] == "respondent_group"]
    everyone = everyone[everyone["group"] == "all"].set_index("item_id")
    ask = float(status.at[aid, "ask"]) if aid in status.index else 0.0
    bau = recommends_bau(cs)
    return {
        "ask": ask,
        "secured": float(status.at[aid, "secured"]) if ask else 0.0,
        "gap": float(status.at[aid, "gap"]) if ask else 0.0,
        "p_negative": None if bau or not cs["mc_uncertain_inputs"]
        else 1.0 - float(cs["mc_prob_npsv_positive"]),
        "draws": cs["mc_draws"],
        "objectives_not_met": list(obj.loc[~obj["result"].isin(MET), "objective_id"]),
        "items": {i: (None if pd.isna(r["pct_agree"]) else float(r["pct_agree"]))
                  for i, r in everyone.iterrows()},
        "item_text": {it["id"]: it["text"] for it in p.questionnaire["items"]},
        "codes_below": list(p.kf[("programme", "coding")]["codes_below_threshold"] or []),
    }  # fmt: skip


def computed_evidence(evidence: Mapping, facts: Mapping, adverse_only: bool = False) -> list[str]:
    """The computed evidence a risk names, each with its value, from :func:`risk_facts`.
    With ``adverse_only`` only what bears the risk out: funding not all secured, a chance of a
    negative NPSV above zero, an objective not met."""
    out = []
    unsecured = facts["ask"] - facts["secured"]
    if evidence.get("funding") and facts["ask"] > 0 and (unsecured > 0.005 or not adverse_only):
        text = (
            f"{fmt.money(unsecured)} of its {fmt.money(facts['ask'])} ask "
            f"({fmt.pct(100 * unsecured / facts['ask'])}) is not yet secured"
        )
        if facts["gap"] > 0.005:
            text += f", and {fmt.money(facts['gap'])} has no funding source"
        out.append(text)
    p_neg = facts["p_negative"]
    if evidence.get("npsv_negative") and p_neg is not None and (p_neg > 0 or not adverse_only):
        out.append(
            f"NPSV is negative in {fmt.pct(100 * facts['p_negative'], 1)} of "
            f"{fmt.number(facts['draws'])} Monte Carlo draws"
        )
    nm = facts["objectives_not_met"]
    if evidence.get("objectives") and (nm or not adverse_only):
        out.append(
            f"{fmt.prose_list(nm)} {'is' if len(nm) == 1 else 'are'} not met on the roadmap's "
            "schedule" if nm else "every spending objective is met on the roadmap's schedule"
        )  # fmt: skip
    for item in evidence.get("survey_items", []):
        pct = facts["items"].get(item)
        if pct is not None:
            out.append(f"{fmt.pct(pct)} of survey answers agree that “{facts['item_text'][item]}”")
    if evidence.get("coder_agreement") and facts["codes_below"]:
        below = facts["codes_below"]
        out.append(
            f"{fmt.word(len(below))} code{'s' if len(below) != 1 else ''} fell below the 0.667 "
            f"agreement threshold ({fmt.prose_list(f'“{c}”' for c in below)})"
        )
    return out


def applies_to(risk: Mapping, aid: str) -> bool:
    """A risk applies to every council unless it names ``councils``."""
    return not risk.get("councils") or aid in risk["councils"]


def _programme_wide(evidence: Mapping) -> dict:
    return {k: evidence[k] for k in ("survey_items", "coder_agreement") if k in evidence}


def risk_evidence_rows(risks, facts_by_council: Mapping[str, Mapping]) -> list[dict]:
    """``{"id", "council", "evidence"}`` rows: council-level computed evidence (funding, the
    chance of a negative NPSV, objectives) for each council a risk applies to, then one
    ``council`` = None row for programme-wide evidence (survey, coder agreement)."""
    rows = []
    for r in risks:
        ev = r.get("evidence") or {}
        if not set(ev) & set(COMPUTED):
            continue
        local = {k: v for k, v in ev.items() if k not in ("survey_items", "coder_agreement")}
        for aid, facts in facts_by_council.items():
            if applies_to(r, aid):
                for text in computed_evidence(local, facts):
                    rows.append({"id": r["id"], "council": aid, "evidence": text})
        wide = _programme_wide(ev)
        if wide and facts_by_council:
            first = next(iter(facts_by_council.values()))
            for text in computed_evidence(wide, first):
                rows.append({"id": r["id"], "council": None, "evidence": text})
    return rows


def risk_register(case: dict, names: Mapping[str, str] | None = None) -> str:
    """The register, highest score first: who it applies to, the score before and after the
    mitigation (likelihood x impact), owner and mitigation."""
    rows = []
    for r in case["management"]["risks"]:
        score, rating = risk_rating(r["likelihood"], r["impact"])
        res, res_rating = risk_rating(r["residual_likelihood"], r["residual_impact"])
        rows.append({
            **r, "score": score,
            "before": f"{score} ({r['likelihood']} × {r['impact']}), {rating}",
            "after": f"{res} ({r['residual_likelihood']} × {r['residual_impact']}), {res_rating}",
            "where": fmt.names_or_count(short((names or {}).get(a, a)) for a in r["councils"])
            if r.get("councils") else "Every council",
        })  # fmt: skip
    df = pd.DataFrame(rows).sort_values(["score", "id"], ascending=[False, True], kind="stable")
    return markdown_table(
        df,
        [
            ("id", "Id", "l"),
            ("risk", "Risk", "l"),
            ("where", "Councils", "l"),
            ("before", "Score before mitigation", "l"),
            ("after", "Residual score", "l"),
            ("owner_role", "Owner", "l"),
            ("mitigation", "Mitigation", "l"),
        ],
        caption="Risk register, highest score first (score = likelihood × impact, each 1 to 5; "
        "high from 15, medium from 8; the residual score is after the mitigation)",
        label="risks",
    )


def risk_evidence_table(p, ids, names) -> str:
    """What the results say for each risk whose evidence the pipeline computes."""
    facts = {a: risk_facts(p, a) for a in ids}
    rows = risk_evidence_rows(p.business_case["management"]["risks"], facts)
    if not rows:
        return ""
    df = pd.DataFrame(rows)
    df["where"] = [short(names[a]) if isinstance(a, str) else "All councils" for a in df["council"]]
    return markdown_table(
        df,
        [("id", "Risk", "l"), ("where", "Council", "l"), ("evidence", "Evidence from the results", "l")],
        caption="Evidence from the results for the risks the register links to them",
        label="risk-evidence",
    )  # fmt: skip


# ------------------------------------------------------------------------------ evaluation


def evaluation(case: dict) -> str:
    """The monitoring and evaluation plan as the council states it."""
    e = case["management"]["evaluation"]
    d = e["design"]
    return (
        "The plan follows HM Treasury's *Magenta Book* (guidance for evaluation).\n\n"
        "**Evaluation questions:**\n\n" + bullets(e["questions"])
        + "\n**Design:**\n\n"
        + f"- *Process evaluation:* {md_escape(d['process'])}\n"
        + f"- *Impact evaluation:* {md_escape(d['impact'])}\n"
        + f"- *Value-for-money evaluation:* {md_escape(d['value_for_money'])}\n"
        + f"\n**Counterfactual:** {md_escape(e['counterfactual'])}\n\n"
        + "**Baseline data collected before change starts:**\n\n" + bullets(e["baseline_data"])
        + "\n**Methods:**\n\n" + bullets(e["methods"])
        + f"\n**Budget:** {fmt.money(e['budget']['amount'])} (nominal), funded by "
        + f"{md_escape(e['budget']['funded_by'][:1].lower() + e['budget']['funded_by'][1:])}. "
        + "The board reviews the evidence at months "
        + f"{fmt.prose_list(map(str, e['review_months']))}.\n"
    )  # fmt: skip
