"""A council's own challenges, achievements, risks and lessons, selected from its data.

Each ``*_findings`` function decides *which* findings a council's case study reports (from its
gaps, maturity, workshop codes, tools, roadmap statuses, appraisal and the programme's risk
register) and returns them as ``{"kind", "key", "text"}`` records; :func:`bullets` only lays
them out. The selection rules are constants here, so a reader can see why a finding was
chosen, and the unit tests show that two councils with different data get different findings.

A workshop code is a finding only when its coders agreed at 0.667 or above
(:func:`analysis.report.evidence.choose_codes`: the council's own reading, or the pooled one
where the council has too few excerpts of the code to judge). A code below that is never the
challenge, achievement or the evidence that bears a risk out; the text says it was raised but
not established (review finding 8).
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.precision import probability_text
from analysis.report.appraisal_wording import recommends_bau
from analysis.report.economic_case import option_bcr_text
from analysis.report.evidence import choose_codes, code_note, lower_label, unestablished_words
from analysis.report.five_case import risk_rating
from analysis.report.management_case import computed_evidence, risk_facts
from analysis.report.markdown import md_escape
from analysis.report.wording import option_label, short, vfm

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
#: A code takes at least this multiple of its programme-wide share of a council's excerpts,
#: and at least MIN_EMPHASIS_EXCERPTS of them, for the council's workshops to have dwelt on it.
EMPHASIS_RATIO, MIN_EMPHASIS_EXCERPTS = 1.5, 4


def _code_text(c: dict) -> str:
    return f"“{lower_label(c['label'])}” {code_note(c)}"


def theme_words(theme) -> str:
    """A maturity theme as a reader finds it in the maturity table: the “Data” theme."""
    return f"the “{str(theme).capitalize()}” theme"


def _gap_text(r) -> str:
    return (
        f"“{r['label']}” on {fmt.number(r['n_streams'])} of {fmt.number(r['n_streams_total'])} "
        f"streams ({r['severity']} severity)"
    )


def _workshop_findings(swot, quadrant: str, n: int, pooled, text) -> list[dict]:
    """The quadrant's most-voiced codes that may be relied on, as findings worded by
    ``text(code_words)``, then one record naming the voiced codes the coding does not
    establish (kind ``unestablished``)."""
    ch = choose_codes(swot, swot=quadrant, n=n, pooled=pooled)
    out = [{"kind": quadrant, "key": c["code"], "text": text(_code_text(c))} for c in ch["codes"]]
    if ch["unestablished"]:
        out.append({
            "kind": "unestablished", "key": ";".join(c["code"] for c in ch["unestablished"]),
            "text": unestablished_words(
                ch["unestablished"],
                f"it as a {quadrant}" if len(ch["unestablished"]) == 1 else f"them as {quadrant}s",
                also=bool(ch["codes"])),
        })  # fmt: skip
    return out


# ------------------------------------------------------------------------------ challenges


def challenge_findings(
    gaps: pd.DataFrame, maturity: pd.DataFrame, swot: pd.DataFrame, pooled: dict | None = None
):
    """The council's largest gaps (share of streams, then severity), its weakest maturity
    themes (level at or below :data:`WEAK_LEVEL`), and its most-voiced threat and weakness
    that the coding establishes (``pooled``: the programme's reading of each code, used where
    the council has too few excerpts of it to judge)."""
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
            "text": f"Data maturity on {theme_words(r['theme'])} is at level {int(r['level'])} "
                    f"({r['level_label']}).",
        })  # fmt: skip
    for quadrant in ("threat", "weakness"):
        out += _workshop_findings(
            swot, quadrant, 1, pooled, lambda w, q=quadrant: f"Workshops raised {w} as a {q}."
        )
    return out


# ------------------------------------------------------------------------------ achievements


def achievement_findings(gaps, maturity, swot, tools, status, pooled: dict | None = None):
    """What the council already does well: its highest-scoring tool, actions already in
    place, high-severity gap rules that found nothing, strong maturity themes, and the
    strengths the coding establishes (``pooled`` as in :func:`challenge_findings`)."""
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
            "text": f"Data maturity on {theme_words(r['theme'])} is at level {int(r['level'])} "
                    f"({r['level_label']}).",
        })  # fmt: skip
    out += _workshop_findings(
        swot, "strength", 2, pooled, lambda w: f"Workshops gave evidence of {w}."
    )
    return out


# ------------------------------------------------------------------------------ risks


def register_basis(evidence: dict, gaps, swot, maturity, cs, scheduled=None, pooled=None) -> dict:
    """The council's own data that bears a register risk out: ``{"found": [words...],
    "unestablished": [codes...]}``.

    ``evidence`` is the risk's ``evidence`` in the council-filled business case: gap ids found
    on at least one stream, workshop codes with excerpts, maturity themes at or below
    :data:`WEAK_LEVEL`, and (``affordability``) an affordability gap of the way forward. A
    workshop code bears a risk out only when the coding establishes it
    (:func:`analysis.report.evidence.choose_codes`); a voiced code below 0.667 is listed as
    ``unestablished`` instead. A risk that names ``actions`` is a risk of those actions:
    nothing is found unless the council's roadmap schedules one of them (``scheduled``)."""
    empty = {"found": [], "unestablished": []}
    if evidence.get("actions") and not set(evidence["actions"]) & set(scheduled or ()):
        return empty
    found = [_gap_text(r) for _, r in gaps[gaps["gap_id"].isin(evidence.get("gaps", []))].iterrows()
             if r["n_streams"] > 0]  # fmt: skip
    named = swot[swot["code"].isin(evidence.get("codes", []))]
    ch = choose_codes(named, n=len(named), pooled=pooled)
    found += ["workshops raised " + _code_text(c) for c in ch["codes"]]
    weak = maturity[maturity["theme"].isin(evidence.get("maturity_themes", []))
                    & (maturity["level"] <= WEAK_LEVEL)]  # fmt: skip
    found += [
        f"data maturity on {theme_words(r['theme'])} is at level {int(r['level'])}"
        for _, r in weak.iterrows()
    ]
    if evidence.get("affordability") and not recommends_bau(cs):
        gap = cs["affordability_gap"]
        if gap and gap > 0:
            found.append(f"its cashable benefits fall short of the costs by up to {fmt.money(gap)}")
    return {"found": found, "unestablished": ch["unestablished"]}


def register_evidence(evidence: dict, gaps, swot, maturity, cs, scheduled=None, pooled=None):
    """:func:`register_basis`'s evidence in words, or ``None`` when nothing bears it out."""
    found = register_basis(evidence, gaps, swot, maturity, cs, scheduled, pooled)["found"]
    return fmt.prose_list(found) if found else None


def risk_findings(cs, register: list[dict], gaps, swot, maturity, scheduled=None, pooled=None,
                  facts=None, aid=None):  # fmt: skip
    """Risks of the council's way forward from its appraisal (value for money, chance of a
    negative NPSV, affordability, the nearest switching value), then the programme register's
    entries the council's own data bears out (each entry's ``evidence``,
    :func:`register_basis`, and the council's computed evidence from ``facts``,
    :func:`analysis.report.management_case.computed_evidence`), highest score first; last, the
    entries whose only evidence here is a workshop code the coding does not establish, said
    to be not borne out. A risk that names ``councils`` is reported only for those councils
    (``aid``), and for them even without evidence (the council named it for itself)."""
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
                                f"(BCR {option_bcr_text(chosen)})."})  # fmt: skip
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
    linked, unproven = [], []
    for r in register:
        if aid is not None and r.get("councils") and aid not in r["councils"]:
            continue
        basis = register_basis(r.get("evidence") or {}, gaps, swot, maturity, cs, scheduled,
                               pooled)  # fmt: skip
        local = {k: v for k, v in (r.get("evidence") or {}).items()
                 if k in ("funding", "npsv_negative", "objectives")}  # fmt: skip
        found = basis["found"] + (
            computed_evidence(local, facts, adverse_only=True) if facts and local else []
        )
        own = aid is not None and aid in (r.get("councils") or [])
        score, rating = risk_rating(r["likelihood"], r["impact"])
        if found or own:
            why = f"here {fmt.prose_list(found)}" if found else (
                "a risk the register names for this council"
            )  # fmt: skip
            linked.append((-score, r["id"], {
                "kind": "register", "key": r["id"],
                "text": f"{r['risk']} ({rating} on the register, owner: "
                        f"{lower_label(r['owner_role'])}): {why}.",
            }))  # fmt: skip
        elif basis["unestablished"]:
            unproven.append((-score, r["id"], {
                "kind": "register_unestablished", "key": r["id"],
                "text": f"{r['risk']} ({rating} on the register) is not borne out here: "
                        + unestablished_words(basis["unestablished"], "it", also=False)
                        .replace("The workshops raised", "the workshops raised"),
            }))  # fmt: skip
    ordered = sorted(linked, key=lambda x: (x[0], x[1])) + sorted(
        unproven, key=lambda x: (x[0], x[1])
    )
    return out + [f for *_, f in ordered]


# ------------------------------------------------------------------------------ lessons


def _leads_text(theme, level: int, best_other: int, mine: dict) -> str:
    """Leading on one theme, said as one theme: with the council's own weakest themes when
    they are weak (at or below :data:`WEAK_LEVEL`), so a level-5 theme is not read as level-5
    maturity overall (review finding 34)."""
    text = (f"It leads the programme on {theme_words(theme)} of data maturity (level {level}, "
            f"the others at most {best_other})")  # fmt: skip
    weak = {t: v for t, v in mine.items() if v <= WEAK_LEVEL}
    if weak:
        lowest = min(weak.values())
        themes = [f"“{str(t).capitalize()}”" for t, v in sorted(weak.items()) if v == lowest]
        verb = "is" if len(themes) == 1 else "are"
        text += f", though not on every theme: {fmt.prose_list(themes)} {verb} at level {lowest}"
    return text + "."


def workshop_emphasis(aid: str, workshop: dict | None) -> list[dict]:
    """The code this council's workshops dwelt on far more than the programme's: a usable
    code (:func:`analysis.report.evidence.choose_codes`) taking at least
    :data:`EMPHASIS_RATIO` times its programme-wide share of the council's coded excerpts,
    in at least :data:`MIN_EMPHASIS_EXCERPTS` excerpts; the largest ratio. ``workshop``:
    ``{"codes", "programme", "n_council", "n_programme", "pooled"}`` (the council's and the
    programme's SWOT evidence tables and coded excerpts)."""
    if not workshop or not workshop.get("n_council") or not workshop.get("n_programme"):
        return []
    here = workshop["codes"]
    allp = workshop["programme"].set_index("code")["n_excerpts"]
    ch = choose_codes(here, n=len(here), pooled=workshop.get("pooled"))
    best = None
    for c in ch["codes"]:
        n_all = allp.get(c["code"])
        if c["n_excerpts"] < MIN_EMPHASIS_EXCERPTS or n_all is None or pd.isna(n_all) or not n_all:
            continue
        share = c["n_excerpts"] / workshop["n_council"]
        ratio = share / (float(n_all) / workshop["n_programme"])
        if ratio >= EMPHASIS_RATIO and (best is None or ratio > best[0]):
            best = (ratio, c, share, float(n_all) / workshop["n_programme"])
    if best is None:
        return []
    _, c, share, share_all = best
    return [{"kind": "emphasis", "key": c["code"],
             "text": f"Its workshops dwelt on {_code_text(c)} more than the others': "
                     f"{fmt.pct(100 * share)} of its coded excerpts carry it, against "
                     f"{fmt.pct(100 * share_all)} across the programme."}]  # fmt: skip


def _field(record, key, default=None):
    """A key of a key-figures record (or a plain dict), ``default`` when it has none."""
    try:
        return record[key]
    except KeyError:
        return default


def appraisal_lesson(cs) -> list[dict]:
    """Where the appraisal overturned the council's proposal, with the council's own options
    and numbers (its proposal's result against the option chosen)."""
    if cs["proposal_agrees"]:
        return []
    options = cs["options"]
    proposed = options[cs["proposed_option_id"]]
    chosen = _field(options, cs["preferred_option_id"], {})

    def name(o, oid):
        return f"“{option_label(_field(o, 'category', oid), _field(o, 'name', oid))}”"

    pname = name(proposed, cs["proposed_option_id"])
    cname = name(chosen, cs["preferred_option_id"]) if chosen else "another option"
    if _field(proposed, "offers_vfm"):
        npsv_c, npsv_p = _field(chosen, "npsv"), _field(proposed, "npsv")
        gain = (
            f" ({fmt.money(npsv_c - npsv_p)} more NPSV)"
            if npsv_c is not None and npsv_p is not None
            else ""
        )
        why = (f"its proposal, {pname}, offers value for money, but another option has a higher "
               f"net present social value: {cname}{gain}, so ranking the options by NPSV "
               "changed the answer")  # fmt: skip
    else:
        bcr = _field(proposed, "pv_costs")
        bcr = f" (BCR {option_bcr_text(proposed)})" if bcr is not None else ""
        instead = "no option" if recommends_bau(cs) else cname
        why = (f"its proposal, {pname}{bcr}, does not offer value for money, so testing the "
               f"options against value for money changed the answer: {instead} is recommended")  # fmt: skip
    return [{"kind": "appraisal", "key": cs["proposed_option_id"],
             "text": f"The appraisal did not confirm the option the council proposed: {why}."}]  # fmt: skip


def lesson_findings(
    aid,
    names,
    gaps_all,
    maturity_all,
    survey_all,
    cs,
    construct_labels,
    workshop: dict | None = None,
):
    """What sets the council apart from the others, from its own data: gaps it alone avoids or
    alone has, maturity themes it leads or trails (said theme by theme), a survey construct
    far from the programme, the workshop theme it dwelt on (:func:`workshop_emphasis`), and an
    appraisal that overturned its proposal (:func:`appraisal_lesson`)."""
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
    mine = {t: int(v) for t, v in zip(m.loc[m["authority"] == aid, "theme"],
                                      m.loc[m["authority"] == aid, "level"], strict=True)}  # fmt: skip
    for theme, d in m.groupby("theme", sort=True):
        lv = dict(zip(d["authority"], d["level"], strict=True))
        if aid not in lv or len(lv) < 2:
            continue
        rest = {a: v for a, v in lv.items() if a != aid}
        best = max(rest, key=lambda a: (rest[a], -list(names).index(a)))
        if lv[aid] > max(rest.values()):
            out.append({"kind": "leads", "key": theme,
                        "text": _leads_text(theme, int(lv[aid]), int(rest[best]), mine)})  # fmt: skip
        elif lv[aid] < min(rest.values()):
            out.append({"kind": "trails", "key": theme,
                        "text": f"It trails the others on {theme_words(theme)} of data maturity "
                                f"(level {int(lv[aid])}); {short(names[best])}, at level "
                                f"{int(rest[best])}, is the council to learn from."})  # fmt: skip
    s = survey_all[survey_all["group_by"] == "authority"].dropna(subset=["pct_positive"])
    mine_s = s[s["group"] == aid].set_index("construct")["pct_positive"]
    overall = s[~s["group"].isin(list(names))].set_index("construct")["pct_positive"]
    diff = (mine_s - overall).dropna()
    if len(diff) and diff.abs().max() >= NOTABLE_SURVEY_POINTS:
        c = diff.abs().sort_values(ascending=False, kind="stable").index[0]
        out.append({"kind": "survey", "key": c,
                    "text": f"Its respondents were {'more' if diff[c] > 0 else 'less'} favourable "
                            f"than the programme's on “{lower_label(construct_labels[c])}” "
                            f"({fmt.pct(mine_s[c])} against {fmt.pct(overall[c])})."})  # fmt: skip
    out += workshop_emphasis(aid, workshop)
    out += appraisal_lesson(cs)
    return out


def bullets(findings: list[dict], empty: str) -> str:
    """The findings as a Markdown list (or ``empty`` when there are none)."""
    if not findings:
        return md_escape(empty) + "\n"
    return "\n".join(f"- {md_escape(f['text'])}" for f in findings) + "\n"


def pooled_readings(p) -> dict:
    """Each code's reading in the programme's pooled coding: what a council's ``too few to
    judge`` falls back on."""
    ag = p.table("programme", "coding", "agreement")
    ag = ag[ag["scope"] == "code"]
    return dict(zip(ag["code"].astype(str), ag["reliability"].astype(str), strict=True))


def case_findings_markdown(p, aid: str, compare_with_peers: bool = True) -> dict[str, str]:
    """The four generated lists of a council's case study, keyed by file name. Its lessons
    compare the council with the other councils only when ``compare_with_peers``
    (:func:`analysis.report.inputs.compares_with_peers`); otherwise they come from the
    council's own appraisal, and the list says where the comparison is published."""
    names = {a["id"]: a["name"] for a in p.authorities}
    gaps = p.table(aid, "journeys", "gap_summary")
    maturity = p.table(aid, "journeys", "maturity_levels")
    swot = p.table(aid, "coding", "swot_evidence")
    cs = p.kf[(aid, "costs")]
    labels = {c["id"]: c["label"] for c in p.questionnaire["constructs"]}
    register = p.business_case["management"]["risks"]
    pooled = pooled_readings(p)
    if compare_with_peers:
        workshop = {
            "codes": swot, "programme": p.table("programme", "coding", "swot_evidence"),
            "n_council": p.kf[(aid, "coding")]["n_excerpts"],
            "n_programme": p.kf[("programme", "coding")]["n_excerpts"], "pooled": pooled,
        }  # fmt: skip
        lessons = bullets(
            lesson_findings(aid, names, p.table("programme", "journeys", "gap_summary"),
                            p.table("programme", "journeys", "maturity_levels"),
                            p.table("programme", "survey", "construct_summary"), cs, labels,
                            workshop),
            "Its results are close to the other councils' on every measure compared.")  # fmt: skip
    else:
        lessons = bullets(
            appraisal_lesson(cs),
            "The appraisal confirmed the option the council proposed.",
        ) + (
            f"\nIn a programme of {fmt.number(p.programme_size or len(names))} councils the "
            "case studies do not compare each "
            "council with the others; the final report and the business case compare them all.\n"
        )
    return {
        "challenges.md": bullets(challenge_findings(gaps, maturity, swot, pooled),
                                 "The journey map and workshops found no challenge."),
        "achievements.md": bullets(
            achievement_findings(gaps, maturity, swot, p.table(aid, "journeys", "tool_ranking"),
                                 p.table(aid, "journeys", "action_status"), pooled),
            "No achievement is recorded yet."),
        "risks.md": bullets(risk_findings(cs, register, gaps, swot, maturity,
                                          set(p.table(aid, "journeys", "roadmap")["action_id"]),
                                          pooled, risk_facts(p, aid, survey_scope=aid), aid),
                            "Neither the appraisal nor the register shows a risk here."),
        "lessons.md": lessons,
    }  # fmt: skip
