"""``_variables.yml``: every number and result-dependent sentence the ``.qmd`` files quote, formatted once."""

from __future__ import annotations

import re

from analysis.core import formatting as fmt
from analysis.journeys import MATURITY_THEMES
from analysis.report.appraisal_wording import (
    affordability_sentence,
    constraints_sentence,
    payback_sentence,
    recommends_bau,
    risk_sentence,
    way_forward_sentence,
)
from analysis.report.economic_case import option_bcr_text
from analysis.report.financial_case import ask_sentence, decisions_sentence
from analysis.report.five_case import STAGE_WORDS
from analysis.report.inputs import Published, uses_example_inputs
from analysis.report.national_case import national_sentence
from analysis.report.roadmap import objectives_sentence
from analysis.report.summaries import summarised, summary_sentences
from analysis.report.survey_tables import total_note
from analysis.report.user_research import group_differences_sentence
from analysis.report.wording import (
    SYNTHETIC_NOTICE,
    construct_label,
    lower_first,
    pays_back_text,
    short,
    vfm,
    vintage_words,
)

# ------------------------------------------------------------------------------ variables


def edition_date(p: Published) -> str:
    """The edition date as printed: 2 December 2026."""
    import datetime as dt

    d = dt.date.fromisoformat(str(p.programme["edition_date"]))
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
    return f"{d.day} {months[d.month - 1]} {d.year}"


def edition_sentence(p: Published) -> str:
    """Which edition, and which code made it (from the run manifest's code version)."""
    version = p.code_version.get("package_version") or "unknown"
    commit = p.code_version.get("git_commit") or "none"
    made = f"council-data-roadmap {version}" + (
        f" (commit {commit[:12]}{' with local changes' if commit.endswith('+dirty') else ''})"
        if commit != "none"
        else ""
    )
    return (
        f"Edition of {edition_date(p)}, produced by {made} from the inputs listed, with their "
        "checksums, in the run manifest."
    )


def document_variables(p: Published) -> dict:
    """The variables every document quotes, a case study included: the edition, the lead
    organisation and the notice on synthetic or provisional data."""
    return {
        "edition_sentence": edition_sentence(p),
        "lead_organisation": p.programme["lead_organisation"] or "The programme partners",
        "synthetic_note": " ".join(
            t
            for t in (
                (SYNTHETIC_NOTICE if uses_example_inputs(p.authorities) else ""),
                p.programme["notice"],
            )
            if t
        ),
    }


def case_study_variables(p: Published, aid: str) -> dict:
    """The variables of council ``aid``'s case study: :func:`document_variables` and the
    council's own (:func:`authority_variables`), from the case study's declared inputs."""
    return _escape_tree({"prog": document_variables(p), "a": {aid: authority_variables(p, aid)}})


def build_variables(p: Published) -> dict:
    """All values the `.qmd` files quote, formatted, under ``prog``, ``a.<id>`` and ``alt``."""
    prog = p.programme
    ids = [a["id"] for a in p.authorities]
    names = {a["id"]: a["name"] for a in p.authorities}
    kfs = {s: p.kf[("programme", s)] for s in ("survey", "coding", "journeys", "costs")}
    cs = kfs["costs"]
    marker = p.rule.marker
    rule_text = (
        f"NHS England rule: counts of 1 to 7 are shown as {marker} and other counts "
        "rounded to the nearest 5"
        if p.rule.name == "nhs"
        else f"ONS 10-5 rule: counts below 10 are shown as {marker} and other counts "
        "rounded to the nearest 5"
    )

    # costs wording: what the decision rule chose (analysis.costs.decision), council by council
    by_auth = cs["by_authority"]
    chosen = [a for a in ids if not recommends_bau(p.kf[(a, "costs")])]
    parts = [
        f"{short(names[a])}: “{p.kf[(a, 'costs')]['options'][by_auth[a]['option_id']]['name']}” "
        f"(BCR {option_bcr_text(p.kf[(a, 'costs')]['options'][by_auth[a]['option_id']])})"
        for a in chosen
    ]
    costs_sentence = (
        "The preferred way forward, the option with the highest net present social value of "
        "those that offer value for money within the council's constraints, is "
        + (fmt.prose_list(parts, "and") if parts else "business as usual in every council")
        + ". "
        + constraints_sentence({a: p.kf[(a, "costs")] for a in ids}, ids, names, short)
    )
    if len(ids) > 1:
        agree = [a for a in ids if by_auth[a]["proposal_agrees"]]
        costs_sentence += (
            (
                f" It is the option the council proposed in {fmt.word(len(agree))} of the "
                f"{fmt.word(len(ids))} councils ({fmt.prose_list(short(names[a]) for a in agree)})."
            )
            if agree
            else f" In none of the {fmt.word(len(ids))} councils is it the option the council "
            "proposed."
        )
    bau = [a for a in ids if a not in chosen]
    if bau:
        costs_sentence += (
            f" In {fmt.prose_list(short(names[a]) for a in bau)} no option offers value for "
            "money, and the appraisal recommends business as usual."
        )
    vfm_parts = [
        f"{short(names[a])}: {vfm(p.kf[(a, 'costs')]['preferred_vfm_category'])}" for a in chosen
    ]
    vfm_sentence = (
        (
            "By the Department for Transport's value-for-money categories, the preferred ways "
            "forward offer " + fmt.prose_list(vfm_parts, "and") + "."
        )
        if vfm_parts
        else ""
    )
    k0 = p.kf[(ids[0], "costs")]
    ob_sentence = optimism_bias_sentence(k0)
    afford = affordability_sentence(p, ids, names, short)

    # journeys / coding / survey wording
    jk = kfs["journeys"]
    gap_labels = _gap_labels(p)
    in_all = [lower_first(gap_labels.get(g, g)) for g in jk["gap_ids_in_all_authorities"]]
    gap_sentence = (
        f"Across {fmt.number(jk['n_streams'])} data streams the gap rules found "
        f"{fmt.number(jk['n_gaps'])} gaps ({fmt.number(jk['n_gaps_high'])} of high severity)."
        + (
            f" Every council had streams with these gaps: {fmt.prose_list(in_all)}."
            if in_all
            else ""
        )
    )
    ck = kfs["coding"]
    flagged = ck["codes_below_threshold"] or []
    flagged_sentence = (
        f"Codes below the 0.667 reliability threshold in the pooled coding: "
        f"{fmt.prose_list(flagged)}; findings resting on them are marked “not reliable” wherever they are used (0.667 to 0.800 is “tentative”)."
        if flagged
        else "No code fell below the 0.667 reliability threshold."
    )
    sk = kfs["survey"]
    s_constructs = sk["constructs"]
    low = min(s_constructs, key=lambda c: s_constructs[c]["pct_positive"] or 101)
    high = max(s_constructs, key=lambda c: s_constructs[c]["pct_positive"] or -1)
    survey_sentence = (
        f"In the survey, the least favourable construct was "
        f"“{construct_label(p, low)}” ({fmt.pct(s_constructs[low]['pct_positive'])} of answers "
        f"favourable) and the most favourable “{construct_label(p, high)}” "
        f"({fmt.pct(s_constructs[high]['pct_positive'])})."
    )

    variables = {
        "prog": {
            "title": prog["title"],
            "case_stage": STAGE_WORDS[p.business_case["stage"]],
            "short_title": prog.get("short_title", prog["title"]),
            "price_base_year": prog["price_base_year"],
            "n_authorities": len(ids),
            "n_authorities_word": fmt.word(len(ids)).capitalize(),
            "n_authorities_word_lower": fmt.word(len(ids)),
            "councils_phrase": f"{fmt.word(len(ids))} council{'s' if len(ids) != 1 else ''}",
            "authority_list": fmt.prose_list(names[a] for a in ids),
            "disclosure_rule": rule_text,
            "disclosure_sentence": (
                f"Counts of people follow the {rule_text}; totals are computed before rounding, "
                "percentages from the rounded counts, and further cells are suppressed where a "
                "total would let a small count be worked out. Statistics resting on too few "
                "people are not shown. Counts of workshop excerpts and codes are counts of text "
                "and are shown as they are, except where they narrow to a small group of "
                "people: a count for one participant role is controlled like a count of people, "
                f"and a count whose excerpts all come from sessions of {p.rule.min_count - 1} "
                f"people or fewer in all (an interview is one person) is shown as {p.rule.marker}."
            ),
            **document_variables(p),
            "brief_sentence": (
                f"{fmt.word(len(ids)).capitalize()} councils — {fmt.prose_list(names[a] for a in ids)}"
                " — each reviewed how data flows through one service, as proofs of concept for a "
                "roadmap and business case any council can reuse."
                if len(ids) > 1
                else f"{names[ids[0]]} reviewed how data flows through one service, using the "
                "programme's method, templates and pipeline."
            ),
            "survey_n": fmt.count(sk["n_responses"], marker),
            "survey_n_note": total_note(
                [p.kf[(a, "survey")]["n_responses"] for a in ids], sk["n_responses"], p.rule
            ),
            "survey_n_items": str(len(p.questionnaire["items"])),
            "survey_n_constructs": fmt.word(len(p.questionnaire["constructs"])),
            "survey_sentence": survey_sentence,
            "coding_excerpts": fmt.count(ck["n_excerpts"], marker),
            "coding_sessions": fmt.count(ck["n_sessions"], marker),
            "coding_alpha": fmt.ratio(ck["alpha_overall"], 3),
            "coding_alpha_band": str(ck["alpha_overall_band"] or "").replace("_", " "),
            "coding_flagged_sentence": flagged_sentence,
            "open_question_reliability": (
                f"Can the codes coders applied inconsistently ({fmt.prose_list(flagged)}) be "
                "defined more sharply, and do the findings that rest on them hold?"
                if flagged
                else "Do the coded findings hold in councils outside the programme?"
            ),
            "n_codes": str(len(p.codebook["codes"])),
            "n_streams": fmt.number(jk["n_streams"]),
            "n_gaps": fmt.number(jk["n_gaps"]),
            "top_gap": jk["most_common_gap_label"] or "",
            "gap_sentence": gap_sentence,
            "n_actions": fmt.number(jk["n_actions"]),
            "n_shared_actions": fmt.of_all(jk["n_actions_common_need"], jk["n_actions"]),
            "costs_sentence": costs_sentence,
            "objectives_sentence": objectives_sentence(p, names),
            "vfm_sentence": vfm_sentence,
            "ob_sentence": ob_sentence,
            "affordability_sentence": afford,
            "ask_sentence": ask_sentence(p.table("programme", "costs", "funding_status")),
            "decisions_sentence": decisions_sentence(p, ids),
            "national_sentence": national_sentence(p),
            "discount_schedule": (
                f"HM Treasury Green Book {k0['discount_schedule']} discount "
                f"schedule ({vintage_words(k0['discount_schedule_vintage'])})"
            ),
        },
        "a": {a: authority_variables(p, a) for a in ids},
    }
    if summarised(p):  # counts over every council, not a list of them all
        variables["prog"] |= summary_sentences(p)
    return _escape_tree(variables)


def optimism_bias_sentence(k: dict) -> str:
    """Which costs carry HM Treasury's optimism bias and which only a confidence-grade uplift,
    from a council's costs key figures (the business case's uplift table has every line)."""
    cat = str(k["optimism_bias_category"]).replace("_", "/")
    up, op = float(k["optimism_bias_uplift"]), float(k["optimism_bias_uplift_operating"])
    mit = float(k["optimism_bias_mitigation"])
    upper = up / (1 - mit) if mit < 1 else float("nan")
    text = (
        f"capital costs carry HM Treasury's {fmt.pct(100 * up)} uplift for {cat} projects (the "
        f"{fmt.pct(100 * upper)} upper bound, after {fmt.pct(100 * mit)} of the risk is judged "
        "mitigated in the council's workbook, a judgement the outline business case should "
        "evidence)"
        if up > 0
        else f"HM Treasury sets no capital-cost bound for {cat} projects"
    )
    if op > 0:
        return text + f"; operating costs carry its {fmt.pct(100 * op)} outsourcing uplift."
    return text + (
        "; staff and other revenue costs carry only the uplift of their evidence's confidence "
        "grade (the project's convention), because HM Treasury's optimism bias guidance "
        "(2003) sets an operating-cost bound only for outsourcing projects."
    )


_UNESCAPED_AT = re.compile(r"(?<!\\)((?:\\\\)*)@")


def _escape_tree(obj):
    if isinstance(obj, dict):
        return {k: _escape_tree(v) for k, v in obj.items()}
    if isinstance(obj, str):
        # an @ not already escaped (config text arrives as literal Markdown, @ escaped)
        return _UNESCAPED_AT.sub(r"\1\\@", obj).replace("{{<", "{\\{<")
    return obj


def _gap_labels(p: Published) -> dict:
    df = p.table("programme", "journeys", "gap_summary")
    return dict(zip(df["gap_id"], df["label"], strict=False))


def authority_variables(p: Published, aid: str) -> dict:
    a = p.authority(aid)
    marker = p.rule.marker
    sk, ck, jk, cs = (p.kf[(aid, s)] for s in ("survey", "coding", "journeys", "costs"))
    appraisal = f"{way_forward_sentence(cs)} {payback_sentence(cs)}".strip()
    sens = risk_sentence(cs)
    levels = {t: jk[f"maturity_label_{t}"] for t in MATURITY_THEMES}
    lowest = jk["maturity_lowest_themes"] or []
    maturity = (
        "Against the Data Maturity Assessment for Government, the council is at "
        + fmt.prose_list(
            f"“{(levels[t] or 'no evidence').lower()}” for {t.capitalize()}"
            for t in MATURITY_THEMES
        )
        + "."
        + (
            f" The weakest theme{' is' if len(lowest) == 1 else 's are'} {fmt.prose_list(lowest)}."
            if lowest
            else ""
        )
    )
    gap_sentence = (
        f"The gap rules found {fmt.number(jk['n_gaps'])} gaps across its streams "
        f"({fmt.number(jk['n_gaps_high'])} of high severity); the most common was "
        f"“{jk['most_common_gap_label'] or ''}”, on {fmt.number(jk['most_common_gap_n_streams'])} "
        "streams."
    )
    cons = sk["constructs"]
    ranked = sorted(
        (c for c in cons if cons[c]["pct_positive"] is not None),
        key=lambda c: cons[c]["pct_positive"],
    )
    survey = f"{fmt.count(sk['n_responses'], marker)} people answered the survey."
    if ranked:
        lo, hi = ranked[0], ranked[-1]
        survey += (
            f" Views were least favourable on “{construct_label(p, lo)}” "
            f"({fmt.pct(cons[lo]['pct_positive'])} of answers favourable) and most "
            f"favourable on “{construct_label(p, hi)}” ({fmt.pct(cons[hi]['pct_positive'])})."
        )
    diffs = group_differences_sentence(p, aid)
    if diffs:
        survey += " " + diffs
    flagged = ck["codes_below_threshold"] or []
    summary = (
        f"{short(a['name'])} mapped {fmt.number(jk['n_streams'])} data streams and found "
        f"{fmt.number(jk['n_gaps'])} gaps. {fmt.count(sk['n_responses'], marker)} people "
        f"answered the survey and {fmt.count(ck['n_excerpts'], marker)} workshop excerpts "
        f"were coded. {summary_way_forward(cs)}"
    )
    return {
        "name": a["name"],
        "short_name": short(a["name"]),
        "service_area": a["service_area"],
        "service_area_lower": a["service_area"][0].lower() + a["service_area"][1:],
        "service_context": a["context"],
        "summary_sentence": summary,
        "n_streams": fmt.number(jk["n_streams"]),
        "gap_sentence": gap_sentence,
        "maturity_sentence": maturity,
        "survey_sentence": survey,
        "coding_flagged": fmt.prose_list(flagged) or "none",
        "appraisal_sentence": appraisal,
        "sensitivity_sentence": sens,
        "npsv": fmt.money(cs["preferred_npsv"]),
        "bcr": fmt.ratio(cs["preferred_bcr"]),
        "vfm": str(cs["preferred_vfm_category"]),
    }


def summary_way_forward(cs) -> str:
    """One sentence for a case study's summary box."""
    if recommends_bau(cs):
        return "No option offers value for money; the appraisal recommends business as usual."
    chosen = cs["options"][cs["preferred_option_id"]]
    return (
        f"The preferred way forward, “{chosen['name']}”, offers {vfm(chosen['vfm_category'])} "
        f"(BCR {option_bcr_text(chosen)}) and "
        f"{pays_back_text(chosen['payback_year'], cs['appraisal_years'])}."
    )
