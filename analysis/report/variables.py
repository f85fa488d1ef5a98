"""``_variables.yml``: every number and result-dependent sentence the ``.qmd`` files quote, formatted once."""

from __future__ import annotations

from analysis.core import formatting as fmt
from analysis.journeys import MATURITY_THEMES
from analysis.report.five_case import STAGE_WORDS
from analysis.report.inputs import Published, uses_example_inputs
from analysis.report.wording import (
    SYNTHETIC_NOTICE,
    construct_label,
    lower_first,
    pays_back_text,
    short,
    vfm,
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

    # costs wording
    by_auth = cs["by_authority"]
    good = [a for a in ids if (by_auth[a]["bcr"] or 0) >= 1]
    bad = [a for a in ids if a not in good]
    parts = []
    if len(ids) == 1:
        b = by_auth[ids[0]]
        parts.append(
            f"The preferred option's benefits {'exceed' if (b['bcr'] or 0) >= 1 else 'do not exceed'}"
            f" its costs (benefit-cost ratio {fmt.ratio(b['bcr'])})."
        )
    elif good:
        parts.append(
            f"In {fmt.word(len(good))} of the {fmt.word(len(ids))} councils "
            f"({fmt.prose_list(short(names[a]) for a in good)}) the preferred option's benefits "
            "exceed its costs (benefit-cost ratio "
            + fmt.prose_list(fmt.ratio(by_auth[a]["bcr"]) for a in good)
            + ")."
        )
    if bad and len(ids) > 1:
        parts.append(
            f"In {fmt.prose_list(short(names[a]) for a in bad)} they do not (benefit-cost ratio "
            + fmt.prose_list(fmt.ratio(by_auth[a]["bcr"]) for a in bad)
            + "), so the case there rests on unmonetised benefits or a smaller option."
        )
    costs_sentence = " ".join(parts)
    vfm_parts = []
    for a in ids:
        k = p.kf[(a, "costs")]
        vfm_parts.append(f"{short(names[a])}: {vfm(k['preferred_vfm_category'])}")
    vfm_sentence = (
        "By the Department for Transport's value-for-money categories, the preferred "
        "options offer " + fmt.prose_list(vfm_parts, "and") + "."
    )
    k0 = p.kf[(ids[0], "costs")]
    ob_sentence = (
        f"{fmt.pct(100 * k0['optimism_bias_uplift'] / 1)} uplift on capital costs "
        f"for {str(k0['optimism_bias_category']).replace('_', '/')} projects "
        f"after {fmt.pct(100 * k0['optimism_bias_mitigation'])} of the risk is "
        "judged mitigated"
        if k0["optimism_bias_uplift"] > 2
        else f"{fmt.pct(100 * k0['optimism_bias_uplift'])} uplift on capital costs "
        f"for {str(k0['optimism_bias_category']).replace('_', '/')} projects, "
        f"after {fmt.pct(100 * k0['optimism_bias_mitigation'])} of the risk is "
        "judged mitigated"
    )
    npbi = {
        a: p.kf[(a, "costs")]["options"][p.kf[(a, "costs")]["preferred_option_id"]][
            "net_present_budget_impact"
        ]
        for a in ids
    }
    gaps_afford = [a for a in ids if npbi[a] is not None and npbi[a] < 0]
    if gaps_afford:
        afford = (
            "Fiscal benefits alone do not cover the costs of the preferred option in "
            + fmt.prose_list(
                f"{short(names[a])} (net present budget impact {fmt.money(npbi[a])})"
                for a in gaps_afford
            )
            + ": the difference is the affordability gap to be met from transformation "
            "or partner funding, or by phasing."
        )
    else:
        afford = (
            "In every council the preferred option's fiscal benefits cover its costs in "
            "present-value terms; the cash profile above shows the early years to fund."
        )

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
        f"{fmt.prose_list(flagged)}; findings resting on them are marked as tentative."
        if flagged
        else "No code fell below the 0.667 reliability threshold."
    )
    sk = kfs["survey"]
    diffs = sk["significant_differences"] or []
    diff_sentence = (
        "Differences between councils significant after Holm correction (p < 0.05): "
        + "; ".join(diffs)
        + "."
        if diffs
        else "No difference between councils was significant after Holm correction."
    )
    s_constructs = sk["constructs"]
    low = min(s_constructs, key=lambda c: s_constructs[c]["pct_positive"] or 101)
    high = max(s_constructs, key=lambda c: s_constructs[c]["pct_positive"] or -1)
    survey_sentence = (
        f"In the survey, the least favourable construct was "
        f"“{construct_label(p, low)}” ({fmt.pct(s_constructs[low]['pct_positive'])} of answers "
        f"favourable) and the most favourable “{construct_label(p, high)}” "
        f"({fmt.pct(s_constructs[high]['pct_positive'])})."
    )

    nat = {k: cs[f"national_{k}"] for k in ("low", "central", "high")}
    variables = {
        "prog": {
            "title": prog["title"],
            "case_stage": STAGE_WORDS[p.business_case["stage"]],
            "edition_sentence": edition_sentence(p),
            "short_title": prog.get("short_title", prog["title"]),
            "lead_organisation": prog["lead_organisation"] or "The programme partners",
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
                "and are shown as they are, except where a breakdown narrows to one participant "
                "role or session, which is controlled like a count of people."
            ),
            "synthetic_note": " ".join(
                t
                for t in (
                    (SYNTHETIC_NOTICE if uses_example_inputs(p.authorities) else ""),
                    p.programme["notice"],
                )
                if t
            ),
            "brief_sentence": (
                f"{fmt.word(len(ids)).capitalize()} councils — {fmt.prose_list(names[a] for a in ids)}"
                " — each reviewed how data flows through one service, as proofs of concept for a "
                "roadmap and business case any council can reuse."
                if len(ids) > 1
                else f"{names[ids[0]]} reviewed how data flows through one service, using the "
                "programme's method, templates and pipeline."
            ),
            "survey_n": fmt.count(sk["n_responses"], marker),
            "survey_n_items": str(len(p.questionnaire["items"])),
            "survey_sentence": survey_sentence,
            "survey_differences_sentence": diff_sentence,
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
            "n_shared_actions": fmt.number(jk["n_actions_proven_practice"]),
            "costs_sentence": costs_sentence,
            "vfm_sentence": vfm_sentence,
            "ob_sentence": ob_sentence,
            "affordability_sentence": afford,
            "discount_schedule": (
                f"HM Treasury Green Book {k0['discount_schedule']} discount "
                f"schedule ({str(k0['discount_schedule_vintage']).replace('_', ' ')})"
            ),
            "national_low": fmt.money(nat["low"]),
            "national_central": fmt.money(nat["central"]),
            "national_high": fmt.money(nat["high"]),
        },
        "a": {a: authority_variables(p, a) for a in ids},
    }
    return _escape_tree(variables)


def _escape_tree(obj):
    if isinstance(obj, dict):
        return {k: _escape_tree(v) for k, v in obj.items()}
    if isinstance(obj, str):
        return obj.replace("@", "\\@").replace("{{<", "{\\{<")
    return obj


def _gap_labels(p: Published) -> dict:
    df = p.table("programme", "journeys", "gap_summary")
    return dict(zip(df["gap_id"], df["label"], strict=False))


def authority_variables(p: Published, aid: str) -> dict:
    a = p.authority(aid)
    marker = p.rule.marker
    sk, ck, jk, cs = (p.kf[(aid, s)] for s in ("survey", "coding", "journeys", "costs"))
    pref = cs["options"][cs["preferred_option_id"]]
    n_years = cs["appraisal_years"]
    appraisal = (
        f"The preferred option, “{cs['preferred_option_name']}”, has a net present social value "
        f"of {fmt.money(pref['npsv'])} and a benefit-cost ratio of {fmt.ratio(pref['bcr'])}: "
        f"{vfm(pref['vfm_category'])}. It {pays_back_text(pref['payback_year'], n_years)}."
    )
    best = cs["best_npsv_option_id"]
    if best and best != cs["preferred_option_id"] and best in cs["options"]:
        o = cs["options"][best]
        appraisal += (
            f" The option with the highest NPSV is “{o['name']}” "
            f"({fmt.money(o['npsv'])}, BCR {fmt.ratio(o['bcr'])})."
        )
    sv = cs["most_sensitive_switching_value"]
    sens = (
        f"The result is most sensitive to {str(cs['most_sensitive_parameter'] or '').lower()}"
        + (
            f": NPSV reaches zero if it moves from {fmt.smart(cs['most_sensitive_central'])} "
            f"to {fmt.smart(sv)} ({fmt.pct(cs['most_sensitive_switching_change_pct'], 1)})."
            if sv is not None
            else ", but no value in its range brings NPSV to zero."
        )
        + f" In {fmt.number(cs['mc_draws'])} Monte Carlo draws, NPSV is positive in "
        f"{fmt.pct(100 * cs['mc_prob_npsv_positive'], 1)} of cases (5th to 95th "
        f"percentile {fmt.money(cs['mc_p5'])} to {fmt.money(cs['mc_p95'])})."
    )
    levels = {t: jk[f"maturity_label_{t}"] for t in MATURITY_THEMES}
    lowest = jk["maturity_lowest_themes"] or []
    maturity = (
        "Against the Data Maturity Assessment for Government, the council is at "
        + fmt.prose_list(
            f"“{(levels[t] or 'no evidence').lower()}” for {t}" for t in MATURITY_THEMES
        )
        + "."
        + (f" The weakest themes are {fmt.prose_list(lowest)}." if lowest else "")
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
    diffs = [d for c in cons for d in (cons[c]["group_differences"] or [])]
    if diffs:
        survey += (
            " Significant differences between respondent groups: " + "; ".join(diffs[:4]) + "."
        )
    flagged = ck["codes_below_threshold"] or []
    summary = (
        f"{short(a['name'])} mapped {fmt.number(jk['n_streams'])} data streams and found "
        f"{fmt.number(jk['n_gaps'])} gaps. {fmt.count(sk['n_responses'], marker)} people "
        f"answered the survey and {fmt.count(ck['n_excerpts'], marker)} workshop excerpts "
        f"were coded. The preferred option {pays_back_text(pref['payback_year'], n_years)} "
        f"and offers {vfm(pref['vfm_category'])} (BCR {fmt.ratio(pref['bcr'])})."
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
        "npsv": fmt.money(pref["npsv"]),
        "bcr": fmt.ratio(pref["bcr"]),
        "vfm": str(pref["vfm_category"]),
    }
