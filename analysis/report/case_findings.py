"""A council's own challenges, achievements, risks and lessons, selected from its data.

Each ``*_findings`` function decides *which* findings a council's case study reports (from its
gaps, maturity, workshop codes, tools, roadmap statuses, appraisal and the programme's risk
register) and returns them as ``{"kind", "key", "text"}`` records; :func:`bullets` only lays
them out. The selection rules are constants here, so a reader can see why a finding was
chosen, and the unit tests show that two councils with different data get different findings.
Codes whose inter-coder agreement is below reliable carry their flag wherever they are used.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.precision import probability_text
from analysis.report.appraisal_wording import recommends_bau
from analysis.report.five_case import risk_rating
from analysis.report.management_case import computed_evidence, risk_facts
from analysis.report.markdown import md_escape
from analysis.report.rq_answers import RELIABILITY_FLAGS, lower_label
from analysis.report.wording import short, vfm

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
#: Gaps reported as challenges: the ones on the largest share of streams, this many.
N_GAP_CHALLENGES = 3
#: A maturity theme at or below this level is a challenge; at or above STRONG_LEVEL, an
#: achievement (Data Maturity Assessment for Government: 2 emerging, 4 developing).
WEAK_LEVEL, STRONG_LEVEL = 2, 4
#: A chance of a negative NPSV from this share of Monte Carlo draws is a risk.
MIN_P_NEGATIVE = 0.05
#: A switching value within this change (per cent) of the central value is a risk.
MAX_SWITCHING_PCT = 50.0
#: A construct differing from the programme by this many points is a lesson.
NOTABLE_SURVEY_POINTS = 10.0


def _code_text(label: str, n: int, reliability: str) -> str:
    note = RELIABILITY_FLAGS.get(str(reliability))
    return f"“{label}” ({fmt.number(n)} excerpts" + (f"; {note})" if note else ")")


def _gap_text(r) -> str:
    return (
        f"“{r['label']}” on {fmt.number(r['n_streams'])} of {fmt.number(r['n_streams_total'])} "
        f"streams ({r['severity']} severity)"
    )


def _codes(swot: pd.DataFrame, quadrant: str, n: int) -> pd.DataFrame:
    df = swot[(swot["swot"] == quadrant) & (swot["n_excerpts"].fillna(0) > 0)]
    return df.sort_values(["n_excerpts", "code"], ascending=[False, True]).head(n)


# ------------------------------------------------------------------------------ challenges


def challenge_findings(gaps: pd.DataFrame, maturity: pd.DataFrame, swot: pd.DataFrame):
    """The council's largest gaps (share of streams, then severity), its weakest maturity
    themes (level at or below :data:`WEAK_LEVEL`), and its most-voiced threat and weakness."""
    out = []
    g = gaps[gaps["n_streams"] > 0].assign(sev=lambda d: d["severity"].map(SEVERITY_ORDER))
    g = g.sort_values(["pct_streams", "sev", "gap_id"], ascending=[False, True, True])
    for _, r in g.head(N_GAP_CHALLENGES).iterrows():
        out.append({"kind": "gap", "key": r["gap_id"], "text": f"Gap: {_gap_text(r)}."})
    weak = maturity.dropna(subset=["level"])
    weak = weak[weak["level"] <= WEAK_LEVEL].sort_values(["level", "theme"])
    for _, r in weak.iterrows():
        out.append({
            "kind": "maturity", "key": r["theme"],
            "text": f"Data maturity on {r['theme']} is at level {int(r['level'])} "
                    f"({r['level_label']}).",
        })  # fmt: skip
    for quadrant in ("threat", "weakness"):
        for _, r in _codes(swot, quadrant, 1).iterrows():
            out.append({
                "kind": quadrant, "key": r["code"],
                "text": f"Workshops raised {_code_text(lower_label(r['label']), r['n_excerpts'], r['reliability'])} "
                        f"as a {quadrant}.",
            })  # fmt: skip
    return out


# ------------------------------------------------------------------------------ achievements


def achievement_findings(gaps, maturity, swot, tools, status):
    """What the council already does well: its highest-scoring tool, actions already in
    place, high-severity gap rules that found nothing, strong maturity themes, strengths."""
    out = []
    if len(tools):
        t = tools.sort_values("rank").iloc[0]
        out.append({
            "kind": "tool", "key": t["system"],
            "text": f"Its highest-scoring tool is {t['system']} (impact {int(t['impact'])}, "
                    f"value added {int(t['value_added'])}, criticality {int(t['criticality'])} "
                    "of 5).",
        })  # fmt: skip
    for _, r in status[status["status"] == "in_place"].iterrows():
        out.append({
            "kind": "in_place", "key": r["action_id"],
            "text": f"Already in place: {lower_label(r['title'])} (no gap or maturity finding "
                    "calls for it).",
        })  # fmt: skip
    clear = gaps[(gaps["n_streams"] == 0) & (gaps["severity"] == "high")]
    if len(clear):
        out.append({
            "kind": "no_gap", "key": ";".join(clear["gap_id"]),
            "text": "None of its streams has "
                    + fmt.prose_list((f"“{lower_label(x)}”" for x in clear["label"]), "or") + ".",
        })  # fmt: skip
    strong = maturity.dropna(subset=["level"])
    for _, r in strong[strong["level"] >= STRONG_LEVEL].sort_values("theme").iterrows():
        out.append({
            "kind": "maturity", "key": r["theme"],
            "text": f"Data maturity on {r['theme']} is at level {int(r['level'])} "
                    f"({r['level_label']}).",
        })  # fmt: skip
    for _, r in _codes(swot, "strength", 2).iterrows():
        out.append({
            "kind": "strength", "key": r["code"],
            "text": "Workshops gave evidence of "
                    + _code_text(lower_label(r["label"]), r["n_excerpts"], r["reliability"]) + ".",
        })  # fmt: skip
    return out


# ------------------------------------------------------------------------------ risks


def register_evidence(evidence: dict, gaps, swot, maturity, cs, scheduled=None) -> str | None:
    """The council's own data that bears a register risk out, in words, or ``None``.

    ``evidence`` is the risk's ``evidence`` in the council-filled business case: gap ids found
    on at least one stream, workshop codes with excerpts, maturity themes at or below
    :data:`WEAK_LEVEL`, and (``affordability``) an affordability gap of the way forward. A
    risk that names ``actions`` is a risk of those actions: ``None`` unless the council's
    roadmap schedules one of them (``scheduled``, its roadmap's action ids)."""
    if evidence.get("actions") and not set(evidence["actions"]) & set(scheduled or ()):
        return None
    found = [_gap_text(r) for _, r in gaps[gaps["gap_id"].isin(evidence.get("gaps", []))].iterrows()
             if r["n_streams"] > 0]  # fmt: skip
    found += [
        "workshops raised " + _code_text(lower_label(r["label"]), r["n_excerpts"], r["reliability"])
        for _, r in swot[swot["code"].isin(evidence.get("codes", []))].iterrows()
        if r["n_excerpts"] == r["n_excerpts"] and r["n_excerpts"] > 0
    ]
    weak = maturity[maturity["theme"].isin(evidence.get("maturity_themes", []))
                    & (maturity["level"] <= WEAK_LEVEL)]  # fmt: skip
    found += [f"{r['theme']} maturity is at level {int(r['level'])}" for _, r in weak.iterrows()]
    if evidence.get("affordability") and not recommends_bau(cs):
        gap = cs["affordability_gap"]
        if gap and gap > 0:
            found.append(f"its cashable benefits fall short of the costs by up to {fmt.money(gap)}")
    return fmt.prose_list(found) if found else None


def risk_findings(cs, register: list[dict], gaps, swot, maturity, scheduled=None, facts=None,
                  aid=None):  # fmt: skip
    """Risks of the council's way forward from its appraisal (value for money, chance of a
    negative NPSV, affordability, the nearest switching value), then the programme register's
    entries the council's own data bears out (each entry's ``evidence``,
    :func:`register_evidence`, and the council's computed evidence from ``facts``,
    :func:`analysis.report.management_case.computed_evidence`), highest score first. A risk
    that names ``councils`` is reported only for those councils (``aid``), and for them even
    without evidence (the council named it for itself)."""
    out = []
    if recommends_bau(cs):
        out.append({"kind": "no_vfm", "key": "bau",
                    "text": "No option offers value for money: investing now would cost more "
                            "than it returns."})  # fmt: skip
    else:
        chosen = cs["options"][cs["preferred_option_id"]]
        if chosen["vfm_category"] in ("very_poor", "poor", "low"):
            out.append({"kind": "vfm", "key": chosen["vfm_category"],
                        "text": f"The preferred way forward offers only {vfm(chosen['vfm_category'])} "
                                f"(BCR {fmt.ratio(chosen['bcr'])})."})  # fmt: skip
        if cs["mc_uncertain_inputs"] == 0:
            out.append({"kind": "unquantified", "key": "mc",
                        "text": "Its uncertainty is not quantified: the cost workbook declares no "
                                "uncertain inputs for the preferred way forward."})  # fmt: skip
        else:
            p_neg = 1 - float(cs["mc_prob_npsv_positive"])
            if p_neg >= MIN_P_NEGATIVE:
                out.append({"kind": "p_negative", "key": round(p_neg, 3),
                            "text": f"NPSV is negative in {probability_text(p_neg)} of "
                                    f"{fmt.number(cs['mc_draws'])} Monte Carlo draws."})  # fmt: skip
        sv = cs["most_sensitive_switching_change_pct"]
        if sv is not None and abs(sv) <= MAX_SWITCHING_PCT and cs["most_sensitive_parameter"]:
            out.append({"kind": "switching", "key": cs["most_sensitive_parameter"],
                        "text": f"NPSV reaches zero if {lower_label(cs['most_sensitive_parameter'])} "
                                f"moves by {fmt.pct(sv, 1)} from its central value."})  # fmt: skip
        gap = cs["affordability_gap"]
        if gap and gap > 0:
            out.append({"kind": "affordability", "key": "gap",
                        "text": f"Affordability: cashable benefits fall short of nominal costs "
                                f"by up to {fmt.money(gap)}, to be met from funding or by "
                                "phasing."})  # fmt: skip
    linked = []
    for r in register:
        if aid is not None and r.get("councils") and aid not in r["councils"]:
            continue
        ev = register_evidence(r.get("evidence") or {}, gaps, swot, maturity, cs, scheduled)
        local = {k: v for k, v in (r.get("evidence") or {}).items()
                 if k in ("funding", "npsv_negative", "objectives")}  # fmt: skip
        computed = computed_evidence(local, facts, adverse_only=True) if facts and local else []
        if computed:
            ev = fmt.prose_list([e for e in (ev, *computed) if e])
        own = aid is not None and aid in (r.get("councils") or [])
        if ev or own:
            score, rating = risk_rating(r["likelihood"], r["impact"])
            why = f"here {ev}" if ev else "a risk the register names for this council"
            linked.append((-score, r["id"], {
                "kind": "register", "key": r["id"],
                "text": f"{r['risk']} ({rating} on the register, owner: "
                        f"{lower_label(r['owner_role'])}): {why}.",
            }))  # fmt: skip
    return out + [f for *_, f in sorted(linked, key=lambda x: (x[0], x[1]))]


# ------------------------------------------------------------------------------ lessons


def lesson_findings(aid, names, gaps_all, maturity_all, survey_all, cs, construct_labels):
    """What sets the council apart from the others: gaps it alone avoids or alone has,
    maturity themes it leads or trails, a survey construct far from the programme, and an
    appraisal that overturned its proposal."""
    out = []
    g = gaps_all.assign(found=gaps_all["n_streams"] > 0)
    others = [a for a in names if a != aid]
    for gid, d in g.groupby("gap_id", sort=True):
        here = d.loc[d["authority"] == aid, "found"]
        there = d.loc[d["authority"].isin(others), "found"]
        if here.empty or there.empty:
            continue
        label = lower_label(d["label"].iloc[0])
        if not here.iloc[0] and there.all():
            out.append({"kind": "avoids_gap", "key": gid,
                        "text": f"Unlike every other council, none of its streams has “{label}”: "
                                "how it avoids it is practice to share."})  # fmt: skip
        elif here.iloc[0] and not there.any():
            out.append({"kind": "only_gap", "key": gid,
                        "text": f"It is the only council with “{label}”; the others show it can "
                                "be avoided."})  # fmt: skip
    m = maturity_all.dropna(subset=["level"])
    for theme, d in m.groupby("theme", sort=True):
        lv = dict(zip(d["authority"], d["level"], strict=True))
        if aid not in lv or len(lv) < 2:
            continue
        rest = {a: v for a, v in lv.items() if a != aid}
        best = max(rest, key=lambda a: (rest[a], -list(names).index(a)))
        if lv[aid] > max(rest.values()):
            out.append({"kind": "leads", "key": theme,
                        "text": f"It leads the programme on {theme} maturity (level "
                                f"{int(lv[aid])}, the others at most {int(rest[best])})."})  # fmt: skip
        elif lv[aid] < min(rest.values()):
            out.append({"kind": "trails", "key": theme,
                        "text": f"It trails the others on {theme} maturity (level {int(lv[aid])}); "
                                f"{short(names[best])}, at level {int(rest[best])}, is the council "
                                "to learn from."})  # fmt: skip
    s = survey_all[survey_all["group_by"] == "authority"].dropna(subset=["pct_positive"])
    mine = s[s["group"] == aid].set_index("construct")["pct_positive"]
    overall = s[~s["group"].isin(list(names))].set_index("construct")["pct_positive"]
    diff = (mine - overall).dropna()
    if len(diff) and diff.abs().max() >= NOTABLE_SURVEY_POINTS:
        c = diff.abs().sort_values(ascending=False, kind="stable").index[0]
        out.append({"kind": "survey", "key": c,
                    "text": f"Its respondents were {'more' if diff[c] > 0 else 'less'} favourable "
                            f"than the programme's on “{lower_label(construct_labels[c])}” "
                            f"({fmt.pct(mine[c])} against {fmt.pct(overall[c])})."})  # fmt: skip
    if not cs["proposal_agrees"]:
        proposed = cs["options"][cs["proposed_option_id"]]
        if proposed["offers_vfm"]:
            why = (
                "its proposal offers value for money, but another option has a higher net "
                "present social value, so ranking the options by NPSV changed the answer"
            )
        else:
            why = (
                "its proposal does not offer value for money, so testing the options "
                "against value for money changed the answer"
            )
        out.append({"kind": "appraisal", "key": cs["proposed_option_id"],
                    "text": f"The appraisal did not confirm the option the council proposed: "
                            f"{why}."})  # fmt: skip
    return out


def bullets(findings: list[dict], empty: str) -> str:
    """The findings as a Markdown list (or ``empty`` when there are none)."""
    if not findings:
        return md_escape(empty) + "\n"
    return "\n".join(f"- {md_escape(f['text'])}" for f in findings) + "\n"


def case_findings_markdown(p, aid: str) -> dict[str, str]:
    """The four generated lists of a council's case study, keyed by file name."""
    names = {a["id"]: a["name"] for a in p.authorities}
    gaps = p.table(aid, "journeys", "gap_summary")
    maturity = p.table(aid, "journeys", "maturity_levels")
    swot = p.table(aid, "coding", "swot_evidence")
    cs = p.kf[(aid, "costs")]
    labels = {c["id"]: c["label"] for c in p.questionnaire["constructs"]}
    register = p.business_case["management"]["risks"]
    return {
        "challenges.md": bullets(challenge_findings(gaps, maturity, swot),
                                 "The journey map and workshops found no challenge."),
        "achievements.md": bullets(
            achievement_findings(gaps, maturity, swot, p.table(aid, "journeys", "tool_ranking"),
                                 p.table(aid, "journeys", "action_status")),
            "No achievement is recorded yet."),
        "risks.md": bullets(risk_findings(cs, register, gaps, swot, maturity,
                                          set(p.table(aid, "journeys", "roadmap")["action_id"]),
                                          risk_facts(p, aid), aid),
                            "Neither the appraisal nor the register shows a risk here."),
        "lessons.md": bullets(
            lesson_findings(aid, names, p.table("programme", "journeys", "gap_summary"),
                            p.table("programme", "journeys", "maturity_levels"),
                            p.table("programme", "survey", "construct_summary"), cs, labels),
            "Its results are close to the other councils' on every measure compared."),
    }  # fmt: skip
