"""Assemble the report project: variables, Markdown tables and wording from published outputs.

The `.qmd` files in ``report/`` hold no computation. This module turns the pipeline's
*published* (disclosure-controlled) tables and key figures into

- ``_variables.yml``: every number the prose quotes, already formatted, plus sentences whose
  wording depends on results (value-for-money category, whether an option pays back, which
  codes were unreliable);
- ``_generated/*.md``: pipe tables, figure blocks and per-research-question sections;

and writes one case study per authority from ``report/_case-study.qmd``. It reads only from
``results/*/published/`` (and cost-line descriptions from the validated cost inputs, which hold
no personal data). Every count it prints was controlled upstream; :func:`check_counts` checks
the tables it uses again before anything is written.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import formatting as fmt
from analysis.core.disclosure import DisclosureRule, check_controlled

PLACEHOLDER = "@@ID@@"
VFM_WORDS = {
    "very poor": "very poor value for money",
    "poor": "poor value for money",
    "low": "low value for money",
    "medium": "medium value for money",
    "high": "high value for money",
    "very high": "very high value for money",
}
RQ_ORDER = ["RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6"]
THEMES = ["uses", "data", "leadership", "culture", "tools", "skills"]


SYNTHETIC_NOTICE = (
    "The inputs behind this edition are the bundled synthetic example data made by the "
    "project's seeded generator; the figures illustrate the method and describe no real "
    "council's service."
)
EXAMPLE_INPUTS = "survey/example/"


def uses_example_inputs(authorities: list[dict]) -> bool:
    """True when every configured input is one of the bundled synthetic example files."""
    return all(
        str(path).replace("\\", "/").startswith(EXAMPLE_INPUTS)
        for a in authorities
        for path in a["inputs"].values()
    )


@dataclass
class Published:
    """Everything the reports may use, loaded from ``results/``."""

    programme: dict  # programme section of config
    authorities: list[dict]  # config authorities (id, name, service_area, ...)
    questionnaire: dict
    codebook: dict
    rule: DisclosureRule
    kf: dict = field(default_factory=dict)  # (scope, stage) -> key figures
    tables: dict = field(default_factory=dict)  # (scope, stage, name) -> DataFrame
    cost_lines: dict = field(default_factory=dict)  # authority -> ingest costs.csv
    figures: dict = field(default_factory=dict)  # build name -> (png path, alt text)


def load_published(
    results: Path, config: dict, questionnaire: dict, codebook: dict, rule: DisclosureRule
) -> Published:
    """Read key figures, tables and figures from ``results/`` (published folders only)."""
    results = Path(results)
    p = Published(config["programme"], config["authorities"], questionnaire, codebook, rule)
    scopes = ["programme"] + [a["id"] for a in config["authorities"]]
    for scope in scopes:
        for stage in ("survey", "coding", "journeys", "costs"):
            d = results / scope / "published" / stage
            p.kf[(scope, stage)] = yaml.safe_load((d / "key_figures.yaml").read_text()) or {}
            for csv in sorted(d.glob("*.csv")):
                p.tables[(scope, stage, csv.stem)] = pd.read_csv(
                    csv, keep_default_na=True, na_values=[rule.marker]
                )
    for a in config["authorities"]:
        aid = a["id"]
        p.cost_lines[aid] = pd.read_csv(results / aid / "ingest" / "costs" / "costs.csv")
        pub = results / aid / "published"
        for name, path in {
            f"{aid}_journey_map": pub / "journeys" / "journey_map.png",
            f"{aid}_cashflow": pub / "costs" / "cumulative_cash_flow.png",
            f"{aid}_tornado": pub / "costs" / "tornado.png",
            f"{aid}_monte_carlo": pub / "costs" / "monte_carlo.png",
            f"{aid}_gantt": pub / "journeys" / "roadmap_gantt.png",
        }.items():
            p.figures[name] = (path, _alt(path))
    prog = results / "programme" / "published"
    for name, path in {
        "programme_gaps": prog / "journeys" / "gap_overview.png",
        "programme_gantt": prog / "journeys" / "roadmap_gantt.png",
        "programme_maturity": prog / "journeys" / "maturity.png",
        "programme_national": prog / "costs" / "national_range.png",
        "programme_comparison": prog / "costs" / "comparison.png",
        "programme_agreement": prog / "coding" / "agreement.png",
    }.items():
        p.figures[name] = (path, _alt(path))
    for c in questionnaire["constructs"]:
        path = prog / "survey" / f"likert_{c['id']}.png"
        p.figures[f"programme_likert_{c['id']}"] = (path, _alt(path))
    return p


def _alt(png: Path) -> str:
    text = png.with_suffix(".alt.txt").read_text(encoding="utf-8").strip()
    # alt text sits inside a quoted attribute: no double quotes, braces or line breaks
    return re.sub(r"\s+", " ", text.replace('"', "'").replace("{", "(").replace("}", ")"))


def check_counts(p: Published) -> None:
    """Re-check every count column the reports print against the disclosure rule."""
    count_cols = {
        ("survey", "responses"): ["n_responses"],
        ("survey", "construct_summary"): ["n_answers", "n_positive"],
        ("coding", "leading_codes"): ["n_excerpts", "n_sessions"],
        ("coding", "swot_evidence"): ["n_excerpts", "n_sessions"],
        ("coding", "agreement"): ["n_excerpts", "n_present"],
    }
    for (scope, stage, name), df in p.tables.items():
        cols = [c for c in count_cols.get((stage, name), []) if c in df.columns]
        if cols:
            check_controlled(df, cols, p.rule, where=f"{scope}/{stage}/{name}.csv")


# ------------------------------------------------------------------------------ helpers


def _auth(p: Published, aid: str) -> dict:
    return next(a for a in p.authorities if a["id"] == aid)


def _lower_first(text: str) -> str:
    """Sentence-case a label for use mid-sentence ("No security control" -> "no security ...")."""
    text = str(text)
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _short(name: str) -> str:
    for suffix in (" City Council", " London Borough Council", " Borough Council", " Council"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _construct_label(p: Published, cid: str) -> str:
    return next((c["label"] for c in p.questionnaire["constructs"] if c["id"] == cid), cid)


def _group_label(p: Published, gid: str) -> str:
    return next((g["label"] for g in p.questionnaire["respondent_groups"] if g["id"] == gid), gid)


def _rq_text(p: Published, rq: str) -> str:
    return next(r["text"] for r in p.questionnaire["research_questions"] if r["id"] == rq)


def _tbl(p: Published, scope: str, stage: str, name: str) -> pd.DataFrame:
    return p.tables[(scope, stage, name)]


def _pays_back_text(year, n_years) -> str:
    if year is None or pd.isna(year):
        return f"does not pay back within the {n_years}-year appraisal period"
    return f"pays back in year {int(year)}"


OPTION_SHORT = {
    "bau": "Business as usual",
    "do_minimum": "Do minimum",
    "preferred": "Preferred",
    "ambitious": "More ambitious",
}


def _option_label(category: str, name: str) -> str:
    """Short option label for tables: the category, with the name's description after a colon."""
    return OPTION_SHORT.get(str(category), str(name))


def _vfm(cat) -> str:
    return VFM_WORDS.get(str(cat), "no value-for-money category (costs are not positive)")


# ------------------------------------------------------------------------------ variables


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
    by_auth = cs.get("by_authority", {})
    good = [a for a in ids if (by_auth.get(a, {}).get("bcr") or 0) >= 1]
    bad = [a for a in ids if a not in good]
    parts = []
    if len(ids) == 1:
        b = by_auth.get(ids[0], {})
        parts.append(
            f"The preferred option's benefits {'exceed' if (b.get('bcr') or 0) >= 1 else 'do not exceed'}"
            f" its costs (benefit-cost ratio {fmt.ratio(b.get('bcr'))})."
        )
    elif good:
        parts.append(
            f"In {fmt.word(len(good))} of the {fmt.word(len(ids))} councils "
            f"({fmt.prose_list(_short(names[a]) for a in good)}) the preferred option's benefits "
            "exceed its costs (benefit-cost ratio "
            + fmt.prose_list(fmt.ratio(by_auth[a]["bcr"]) for a in good)
            + ")."
        )
    if bad and len(ids) > 1:
        parts.append(
            f"In {fmt.prose_list(_short(names[a]) for a in bad)} they do not (benefit-cost ratio "
            + fmt.prose_list(fmt.ratio(by_auth[a].get("bcr")) for a in bad)
            + "), so the case there rests on unmonetised benefits or a smaller option."
        )
    costs_sentence = " ".join(parts)
    vfm_parts = []
    for a in ids:
        k = p.kf[(a, "costs")]
        vfm_parts.append(f"{_short(names[a])}: {_vfm(k.get('preferred_vfm_category'))}")
    vfm_sentence = (
        "By the Department for Transport's value-for-money categories, the preferred "
        "options offer " + fmt.prose_list(vfm_parts, "and") + "."
    )
    k0 = p.kf[(ids[0], "costs")]
    ob_sentence = (
        f"{fmt.pct(100 * k0.get('optimism_bias_uplift', 0) / 1)} uplift on capital costs "
        f"for {str(k0.get('optimism_bias_category', '')).replace('_', '/')} projects "
        f"after {fmt.pct(100 * k0.get('optimism_bias_mitigation', 0))} of the risk is "
        "judged mitigated"
        if k0.get("optimism_bias_uplift", 0) > 2
        else f"{fmt.pct(100 * k0.get('optimism_bias_uplift', 0))} uplift on capital costs "
        f"for {str(k0.get('optimism_bias_category', '')).replace('_', '/')} projects, "
        f"after {fmt.pct(100 * k0.get('optimism_bias_mitigation', 0))} of the risk is "
        "judged mitigated"
    )
    npbi = {
        a: p.kf[(a, "costs")]["options"][p.kf[(a, "costs")]["preferred_option_id"]].get(
            "net_present_budget_impact"
        )
        for a in ids
    }
    gaps_afford = [a for a in ids if npbi[a] is not None and npbi[a] < 0]
    if gaps_afford:
        afford = (
            "Fiscal benefits alone do not cover the costs of the preferred option in "
            + fmt.prose_list(
                f"{_short(names[a])} (net present budget impact {fmt.money(npbi[a])})"
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
    in_all = [_lower_first(gap_labels.get(g, g)) for g in jk.get("gap_ids_in_all_authorities", [])]
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
    flagged = ck.get("codes_below_threshold") or []
    flagged_sentence = (
        f"Codes below the 0.667 reliability threshold in the pooled coding: "
        f"{fmt.prose_list(flagged)}; findings resting on them are marked as tentative."
        if flagged
        else "No code fell below the 0.667 reliability threshold."
    )
    sk = kfs["survey"]
    diffs = sk.get("significant_differences") or []
    diff_sentence = (
        "Differences between councils significant after Holm correction (p < 0.05): "
        + "; ".join(diffs)
        + "."
        if diffs
        else "No difference between councils was significant after Holm correction."
    )
    s_constructs = sk.get("constructs", {})
    low = min(s_constructs, key=lambda c: s_constructs[c].get("pct_positive") or 101)
    high = max(s_constructs, key=lambda c: s_constructs[c].get("pct_positive") or -1)
    survey_sentence = (
        f"In the survey, the least favourable construct was "
        f"“{_construct_label(p, low)}” ({fmt.pct(s_constructs[low]['pct_positive'])} of answers "
        f"favourable) and the most favourable “{_construct_label(p, high)}” "
        f"({fmt.pct(s_constructs[high]['pct_positive'])})."
    )

    nat = {k: cs.get(f"national_{k}") for k in ("low", "central", "high")}
    variables = {
        "prog": {
            "title": prog["title"],
            "short_title": prog.get("short_title", prog["title"]),
            "lead_organisation": prog.get("lead_organisation") or "The programme partners",
            "price_base_year": prog["price_base_year"],
            "n_authorities": len(ids),
            "n_authorities_word": fmt.word(len(ids)).capitalize(),
            "n_authorities_word_lower": fmt.word(len(ids)),
            "councils_phrase": f"{fmt.word(len(ids))} council{'s' if len(ids) != 1 else ''}",
            "authority_list": fmt.prose_list(names[a] for a in ids),
            "disclosure_rule": rule_text,
            "disclosure_sentence": (
                f"Counts of people and of excerpts follow the {rule_text}; totals are computed "
                "before rounding, percentages from the rounded counts, and further cells are "
                "suppressed where a total would let a small count be worked out. Statistics "
                "resting on too few people are not shown."
            ),
            "synthetic_note": " ".join(
                t
                for t in (
                    (SYNTHETIC_NOTICE if uses_example_inputs(p.authorities) else ""),
                    p.programme.get("notice", ""),
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
            "survey_n": fmt.count(sk.get("n_responses"), marker),
            "survey_n_items": str(len(p.questionnaire["items"])),
            "survey_sentence": survey_sentence,
            "survey_differences_sentence": diff_sentence,
            "coding_excerpts": fmt.count(ck.get("n_excerpts"), marker),
            "coding_sessions": fmt.count(ck.get("n_sessions"), marker),
            "coding_alpha": fmt.ratio(ck.get("alpha_overall"), 3),
            "coding_alpha_band": str(ck.get("alpha_overall_band", "")).replace("_", " "),
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
            "top_gap": jk.get("most_common_gap_label", ""),
            "gap_sentence": gap_sentence,
            "n_actions": fmt.number(jk["n_actions"]),
            "n_shared_actions": fmt.number(jk["n_actions_proven_practice"]),
            "costs_sentence": costs_sentence,
            "vfm_sentence": vfm_sentence,
            "ob_sentence": ob_sentence,
            "affordability_sentence": afford,
            "discount_schedule": (
                f"HM Treasury Green Book {k0.get('discount_schedule', 'standard')} discount "
                f"schedule ({str(k0.get('discount_schedule_vintage', '')).replace('_', ' ')})"
            ),
            "national_low": fmt.money(nat.get("low")),
            "national_central": fmt.money(nat.get("central")),
            "national_high": fmt.money(nat.get("high")),
        },
        "a": {a: authority_variables(p, a) for a in ids},
        "alt": {name: alt for name, (_, alt) in p.figures.items()},
    }
    return _escape_tree(variables)


def _escape_tree(obj):
    if isinstance(obj, dict):
        return {k: _escape_tree(v) for k, v in obj.items()}
    if isinstance(obj, str):
        return obj.replace("@", "\\@").replace("{{<", "{\\{<")
    return obj


def _gap_labels(p: Published) -> dict:
    df = _tbl(p, "programme", "journeys", "gap_summary")
    return dict(zip(df["gap_id"], df["label"], strict=False))


def authority_variables(p: Published, aid: str) -> dict:
    a = _auth(p, aid)
    marker = p.rule.marker
    sk, ck, jk, cs = (p.kf[(aid, s)] for s in ("survey", "coding", "journeys", "costs"))
    pref = cs["options"][cs["preferred_option_id"]]
    n_years = cs.get("appraisal_years", 10)
    appraisal = (
        f"The preferred option, “{cs['preferred_option_name']}”, has a net present social value "
        f"of {fmt.money(pref['npsv'])} and a benefit-cost ratio of {fmt.ratio(pref['bcr'])}: "
        f"{_vfm(pref.get('vfm_category'))}. It {_pays_back_text(pref.get('payback_year'), n_years)}."
    )
    best = cs.get("best_npsv_option_id")
    if best and best != cs["preferred_option_id"] and best in cs["options"]:
        o = cs["options"][best]
        appraisal += (
            f" The option with the highest NPSV is “{o['name']}” "
            f"({fmt.money(o['npsv'])}, BCR {fmt.ratio(o['bcr'])})."
        )
    sv = cs.get("most_sensitive_switching_value")
    sens = (
        f"The result is most sensitive to {str(cs.get('most_sensitive_parameter', '')).lower()}"
        + (
            f": NPSV reaches zero if it moves from {fmt.smart(cs['most_sensitive_central'])} "
            f"to {fmt.smart(sv)} ({fmt.pct(cs['most_sensitive_switching_change_pct'], 1)})."
            if sv is not None
            else ", but no value in its range brings NPSV to zero."
        )
        + f" In {fmt.number(cs.get('mc_draws'))} Monte Carlo draws, NPSV is positive in "
        f"{fmt.pct(100 * cs.get('mc_prob_npsv_positive', 0), 1)} of cases (5th to 95th "
        f"percentile {fmt.money(cs.get('mc_p5'))} to {fmt.money(cs.get('mc_p95'))})."
    )
    levels = {t: jk.get(f"maturity_label_{t}") for t in THEMES}
    lowest = jk.get("maturity_lowest_themes") or []
    maturity = (
        "Against the Data Maturity Assessment for Government, the council is at "
        + fmt.prose_list(f"“{(levels[t] or 'no evidence').lower()}” for {t}" for t in THEMES)
        + "."
        + (f" The weakest themes are {fmt.prose_list(lowest)}." if lowest else "")
    )
    gap_sentence = (
        f"The gap rules found {fmt.number(jk['n_gaps'])} gaps across its streams "
        f"({fmt.number(jk['n_gaps_high'])} of high severity); the most common was "
        f"“{jk.get('most_common_gap_label', '')}”, on {fmt.number(jk.get('most_common_gap_n_streams'))} "
        "streams."
    )
    cons = sk.get("constructs", {})
    ranked = sorted(
        (c for c in cons if cons[c].get("pct_positive") is not None),
        key=lambda c: cons[c]["pct_positive"],
    )
    survey = f"{fmt.count(sk.get('n_responses'), marker)} people answered the survey."
    if ranked:
        lo, hi = ranked[0], ranked[-1]
        survey += (
            f" Views were least favourable on “{_construct_label(p, lo)}” "
            f"({fmt.pct(cons[lo]['pct_positive'])} of answers favourable) and most "
            f"favourable on “{_construct_label(p, hi)}” ({fmt.pct(cons[hi]['pct_positive'])})."
        )
    diffs = [d for c in cons for d in (cons[c].get("group_differences") or [])]
    if diffs:
        survey += (
            " Significant differences between respondent groups: " + "; ".join(diffs[:4]) + "."
        )
    flagged = ck.get("codes_below_threshold") or []
    summary = (
        f"{_short(a['name'])} mapped {fmt.number(jk['n_streams'])} data streams and found "
        f"{fmt.number(jk['n_gaps'])} gaps. {fmt.count(sk.get('n_responses'), marker)} people "
        f"answered the survey and {fmt.count(ck.get('n_excerpts'), marker)} workshop excerpts "
        f"were coded. The preferred option {_pays_back_text(pref.get('payback_year'), n_years)} "
        f"and offers {_vfm(pref.get('vfm_category'))} (BCR {fmt.ratio(pref['bcr'])})."
    )
    return {
        "name": a["name"],
        "short_name": _short(a["name"]),
        "service_area": a["service_area"],
        "service_area_lower": a["service_area"][0].lower() + a["service_area"][1:],
        "service_context": a.get("context", ""),
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
        "vfm": str(pref.get("vfm_category")),
    }


# ------------------------------------------------------------------------------ tables


def build_markdown(p: Published) -> dict[str, str]:
    """Generated Markdown, keyed by path relative to ``_generated/``."""
    ids = [a["id"] for a in p.authorities]
    names = {a["id"]: a["name"] for a in p.authorities}
    out: dict[str, str] = {}
    out["case_study_links.md"] = (
        fmt.prose_list(f"[{fmt.md_escape(names[a])}](case-study-{a}.html)" for a in ids) + "."
    )
    areas = pd.DataFrame(
        [
            {
                "name": a["name"],
                "area": a["service_area"],
                "tier": str(a.get("tier", "")).replace("_", " "),
            }
            for a in p.authorities
        ]
    )
    out["areas_table.md"] = fmt.markdown_table(
        areas,
        [("name", "Council", "l"), ("area", "Service area", "l"), ("tier", "Tier", "l")],
        caption="The councils and the service each studied",
        label="areas",
    )
    out["risks_table.md"] = _risks_table()
    out["strategic_gaps_table.md"] = _strategic_gaps(p, names)
    out["economic_results_table.md"] = _economic_results(p, ids, names)
    out["switching_table.md"] = _switching(p, ids, names)
    out["monte_carlo_table.md"] = _monte_carlo(p, ids, names)
    out["economic_figures.md"] = _economic_figures(p, ids, names)
    out["national_table.md"] = _national(p)
    out["commercial_table.md"] = _commercial(p, ids, names)
    out["financial_table.md"] = _financial(p, ids, names)
    out["reliability_table.md"] = _reliability(p)
    out["agreement_table.md"] = _agreement(p, ids, names)
    out["rq_sections.md"] = _rq_sections(p, ids, names)
    out["survey_by_authority_figures.md"] = _likert_figures(p)
    out["programme_roadmap_table.md"] = _programme_roadmap(p)
    out["authority_roadmaps.md"] = "\n".join(
        f"### {fmt.md_escape(names[a])} {{#sec-roadmap-{a}}}\n\n"
        + _roadmap_table(p, a, caption=f"Roadmap actions: {names[a]}", label=f"roadmap-{a}")
        for a in ids
    )
    for a in ids:
        out[f"{a}/gaps_table.md"] = _gaps_table(p, a)
        out[f"{a}/maturity_table.md"] = _maturity_table(p, a)
        out[f"{a}/survey_table.md"] = _survey_table(p, a)
        out[f"{a}/quotes.md"] = _quotes(p, a)
        out[f"{a}/swot_table.md"] = _swot_table(p, a)
        out[f"{a}/options_table.md"] = _options_table(p, a)
        out[f"{a}/roadmap_table.md"] = _roadmap_table(
            p, a, caption="Roadmap actions", label="roadmap"
        )
    return out


def _risks_table() -> str:
    rows = [
        (
            "Partners do not sign data-sharing agreements",
            "Medium",
            "High",
            "Use the shared agreement templates from the roadmap; escalate through the board",
        ),
        (
            "Benefits are not cashable in practice",
            "High",
            "Medium",
            "Track cashable savings separately; only cashable benefits count towards affordability",
        ),
        (
            "Staff capacity to change ways of working",
            "High",
            "Medium",
            "Phase actions; fund analysts in-house; automate recurring reports first",
        ),
        (
            "A data breach while data moves to new platforms",
            "Low",
            "High",
            "Security controls and a data protection impact assessment before each migration",
        ),
        (
            "Models embed bias or are over-trusted",
            "Medium",
            "High",
            "Explainable models, human decisions, regular review of outcomes by group",
        ),
    ]
    df = pd.DataFrame(rows, columns=["risk", "likelihood", "impact", "mitigation"])
    return fmt.markdown_table(
        df,
        [
            ("risk", "Risk", "l"),
            ("likelihood", "Likelihood", "l"),
            ("impact", "Impact", "l"),
            ("mitigation", "Mitigation", "l"),
        ],
        caption="Main risks and their mitigation",
        label="risks",
    )


def _strategic_gaps(p, names) -> str:
    df = _tbl(p, "programme", "journeys", "gap_summary")
    piv = df.pivot_table(
        index=["gap_id", "label", "severity"],
        columns="authority",
        values="n_streams",
        aggfunc="sum",
    ).reset_index()
    ids = [a["id"] for a in p.authorities]
    cols = [("label", "Gap", "l"), ("severity", "Severity", "l")]
    cols += [(a, _short(names[a]), "r") for a in ids if a in piv.columns]
    totals = df.groupby("authority")["n_streams_total"].first()
    cap = (
        "Streams with each gap, by council ("
        + ", ".join(f"{_short(names[a])} {int(totals[a])} streams" for a in ids if a in totals)
        + ")"
    )
    return fmt.markdown_table(
        piv.sort_values("gap_id"),
        cols,
        caption=cap,
        label="gaps",
        formatters={a: fmt.number for a in ids},
    )


def _economic_results(p, ids, names) -> str:
    frames = []
    for a in ids:
        df = _tbl(p, a, "costs", "options_results").copy()
        df["council"] = _short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["option"] = [_option_label(c, n) for c, n in zip(df["category"], df["name"], strict=True)]
    cols = [
        ("council", "Council", "l"),
        ("option", "Option", "l"),
        ("pv_costs", "PV costs", "r"),
        ("pv_benefits", "PV benefits", "r"),
        ("npsv", "NPSV", "r"),
        ("bcr", "BCR", "r"),
        ("vfm_category", "Value for money", "l"),
        ("payback_year", "Payback year", "r"),
    ]
    return fmt.markdown_table(
        df,
        cols,
        caption="Options appraised by each council, relative to business as usual "
        "(present values, £)",
        label="economic",
        formatters={
            "pv_costs": fmt.money,
            "pv_benefits": fmt.money,
            "npsv": fmt.money,
            "bcr": fmt.ratio,
            "payback_year": lambda v: "never" if pd.isna(v) else str(int(v)),
        },
    )


def _switching(p, ids, names) -> str:
    frames = []
    for a in ids:
        df = _tbl(p, a, "costs", "switching_values")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        df = df[df["option_id"] == pref].copy()
        df["council"] = _short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    cols = [
        ("council", "Council", "l"),
        ("parameter", "Input", "l"),
        ("central", "Central", "r"),
        ("switching_value", "Switching value", "r"),
        ("change_pct", "Change", "r"),
    ]
    return fmt.markdown_table(
        df,
        cols,
        caption="Switching values of the preferred options: the value at which NPSV is zero",
        label="switching",
        formatters={
            "central": fmt.smart,
            "switching_value": fmt.smart,
            "change_pct": lambda v: fmt.pct(v, 1),
        },
    )


def _monte_carlo(p, ids, names) -> str:
    rows = []
    for a in ids:
        df = _tbl(p, a, "costs", "monte_carlo_summary")
        r = df[df["metric"] == "npsv"].iloc[0]
        rows.append(
            {
                "council": _short(names[a]),
                "mean": r["mean"],
                "p5": r["p5"],
                "p50": r["p50"],
                "p95": r["p95"],
                "prob": 100 * r["prob_positive"],
                "draws": r["draws"],
            }
        )
    df = pd.DataFrame(rows)
    return fmt.markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("mean", "Mean NPSV", "r"),
            ("p5", "P5", "r"),
            ("p50", "P50", "r"),
            ("p95", "P95", "r"),
            ("prob", "P(NPSV > 0)", "r"),
        ],
        caption=f"Monte Carlo analysis of the preferred options ({fmt.number(rows[0]['draws'])} "
        "seeded draws each)",
        label="montecarlo",
        formatters={c: fmt.money for c in ("mean", "p5", "p50", "p95")}
        | {"prob": lambda v: fmt.pct(v, 1)},
    )


def _figure(p, name: str, caption: str, label: str) -> str:
    return (
        f"![{fmt.md_escape(caption)}](figures/{name}.png){{#fig-{label} "
        f'fig-alt="{{{{< var alt.{name} >}}}}"}}\n'
    )


def _economic_figures(p, ids, names) -> str:
    out = []
    for a in ids:
        out.append(f"#### {fmt.md_escape(names[a])} {{.unnumbered}}\n")
        out.append(
            _figure(
                p,
                f"{a}_tornado",
                f"One-way sensitivity of the preferred option's NPSV: {names[a]}",
                f"tornado-{a}",
            )
        )
        out.append(
            _figure(
                p, f"{a}_monte_carlo", f"Monte Carlo distribution of NPSV: {names[a]}", f"mc-{a}"
            )
        )
    return "\n".join(out)


def _national(p) -> str:
    df = _tbl(p, "programme", "costs", "national_range").copy()
    df["service_area"] = df["service_area"].astype(str).str.replace("_", " ").str.capitalize()
    table = fmt.markdown_table(
        df,
        [
            ("service_area", "Service area", "l"),
            ("low", "Low", "r"),
            ("central", "Central", "r"),
            ("high", "High", "r"),
        ],
        caption="National scale of the opportunity: NPSV if UK councils delivering each service "
        "adopted the preferred option (£, present value)",
        label="national",
        formatters={c: fmt.money for c in ("low", "central", "high")},
    )
    return (
        table
        + "\n"
        + _figure(
            p, "programme_national", "National scale of the opportunity, low to high", "national"
        )
    )


def _commercial(p, ids, names) -> str:
    frames = []
    for a in ids:
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        c = p.cost_lines[a]
        c = c[c["option_id"] == pref]
        g = c.groupby(["line_id", "description", "cost_type", "sourcing"], sort=False)["amount"]
        df = g.sum().reset_index()
        df["council"] = _short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["sourcing"] = df["sourcing"].str.replace("_", "-")
    return fmt.markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("description", "Cost line", "l"),
            ("cost_type", "Type", "l"),
            ("sourcing", "Sourcing", "l"),
            ("amount", "Total (£, real, undiscounted)", "r"),
        ],
        caption="Sourcing of the preferred options' cost lines",
        label="sourcing",
        formatters={"amount": fmt.money},
    )


def _financial(p, ids, names) -> str:
    costs, cash = {}, {}
    years = None
    for a in ids:
        df = _tbl(p, a, "costs", "nominal_cash")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        df = df[df["option_id"] == pref].set_index("financial_year")
        costs[_short(names[a])] = df["total_costs"]
        cash[_short(names[a])] = df["cashable_benefits"]
        years = df.index if years is None else years
    out = []
    for title, label, data in (
        (
            "Capital and revenue requirement of the preferred options, nominal cash by financial "
            "year (not discounted)",
            "financial",
            costs,
        ),
        (
            "Cashable fiscal benefits of the preferred options, nominal cash by financial year",
            "cashable",
            cash,
        ),
    ):
        wide = pd.DataFrame(data).reindex(years)
        wide.loc["Total"] = wide.sum()
        wide = wide.reset_index().rename(columns={"index": "year", "financial_year": "year"})
        cols = [("year", "Year", "l")] + [(c, c, "r") for c in data]
        out.append(
            fmt.markdown_table(
                wide, cols, caption=title, label=label, formatters={c: fmt.money for c in data}
            )
        )
    return "\n".join(out)


def _reliability(p) -> str:
    df = _tbl(p, "programme", "survey", "reliability")
    df = df[df["group"].astype(str) == "all"]
    piv = df.pivot_table(
        index="construct",
        columns="missing",
        values=["alpha", "ci_low", "ci_high", "n"],
        aggfunc="first",
    )
    rows = []
    for c in [c["id"] for c in p.questionnaire["constructs"]]:
        if c not in piv.index:
            continue
        r = piv.loc[c]
        rows.append(
            {
                "construct": _construct_label(p, c),
                "pair": f"{fmt.ratio(r[('alpha', 'pairwise')], 2)} "
                f"({fmt.ratio(r[('ci_low', 'pairwise')], 2)}–{fmt.ratio(r[('ci_high', 'pairwise')], 2)})",
                "list": f"{fmt.ratio(r[('alpha', 'listwise')], 2)} "
                f"({fmt.ratio(r[('ci_low', 'listwise')], 2)}–{fmt.ratio(r[('ci_high', 'listwise')], 2)})",
                "n_list": fmt.count(r[("n", "listwise")], p.rule.marker),
            }
        )
    return fmt.markdown_table(
        pd.DataFrame(rows),
        [
            ("construct", "Construct", "l"),
            ("pair", "Alpha, pairwise (95% CI)", "r"),
            ("list", "Alpha, listwise (95% CI)", "r"),
            ("n_list", "Complete responses", "r"),
        ],
        caption="Reliability of the survey constructs, all councils",
        label="reliability",
    )


def _agreement(p, ids, names) -> str:
    df = _tbl(p, "programme", "coding", "agreement")
    df = df[df["scope"] == "code"].copy()
    df["flag"] = df["below_threshold"].map(lambda b: "below 0.667" if str(b) == "True" else "")
    return fmt.markdown_table(
        df,
        [
            ("label", "Code", "l"),
            ("alpha", "Krippendorff's alpha", "r"),
            ("alpha_band", "Reading", "l"),
            ("kappa", "Cohen's kappa", "r"),
            ("flag", "Flag", "l"),
        ],
        caption="Inter-coder agreement per code, all councils pooled",
        label="agreement",
        formatters={
            "alpha": lambda v: fmt.ratio(v, 3),
            "kappa": lambda v: fmt.ratio(v, 3),
            "alpha_band": lambda v: fmt.DASH if pd.isna(v) else str(v).replace("_", " "),
        },
    )


def _rq_sections(p, ids, names) -> str:
    out = []
    summ = _tbl(p, "programme", "survey", "construct_summary")
    lead = _tbl(p, "programme", "coding", "leading_codes")
    for i, rq in enumerate(RQ_ORDER, start=1):
        out.append(f"## RQ{i}: {fmt.md_escape(_rq_text(p, rq))} {{#sec-rq{i}}}\n")
        constructs = [c for c in p.questionnaire["constructs"] if c["research_question"] == rq]
        out.append(_rq_answer(p, rq, constructs, summ, lead, names))
        for c in constructs:
            s = summ[(summ["construct"] == c["id"]) & (summ["group_by"] == "authority")].copy()
            s["council"] = s["group"].map(
                lambda g: _short(names.get(g, "All councils")) if g in names else "All councils"
            )
            out.append(
                f"**Survey: {fmt.md_escape(c['label'])}.** Share of answers to the "
                "construct's items that were favourable:\n"
            )
            out.append(
                fmt.markdown_table(
                    s,
                    [
                        ("council", "Council", "l"),
                        ("n_answers", "Answers", "r"),
                        ("pct_positive", "Favourable", "r"),
                    ],
                    caption=f"{c['label']}: favourable answers by council",
                    label=f"rq{i}-{c['id']}",
                    formatters={
                        "n_answers": lambda v: fmt.count(v, p.rule.marker),
                        "pct_positive": lambda v: fmt.pct(v, 1),
                    },
                )
            )
            fig = f"programme_likert_{c['id']}"
            if fig in p.figures:
                out.append(
                    _figure(p, fig, f"{c['label']}: answers by council", f"likert-{c['id']}")
                )
        codes = lead[lead["research_question"] == rq].sort_values("rank").head(3)
        if not codes.empty:
            out.append("**Workshops and interviews.** The leading codes for this question:\n")
            for _, r in codes.iterrows():
                out.append(
                    f"- *{fmt.md_escape(r['label'])}* "
                    f"({fmt.count(r['n_excerpts'], p.rule.marker)} excerpts)"
                )
            out.append("")
            for _, r in codes.iterrows():
                if isinstance(r.get("quote"), str) and r["quote"]:
                    out.append(
                        f"> “{fmt.md_escape(r['quote'])}” — {fmt.md_escape(r['attribution'])}\n"
                    )
    return "\n".join(out)


def _rq_answer(p, rq, constructs, summ, lead, names) -> str:
    """A short answer to one research question, worded from the published results."""
    parts = []
    for c in constructs:
        s = summ[(summ["construct"] == c["id"]) & (summ["group_by"] == "authority")]
        by = s[s["group"].isin(list(names))].dropna(subset=["pct_positive"])
        overall = s[~s["group"].isin(list(names))]["pct_positive"].dropna()
        if by.empty or overall.empty:
            continue
        lo, hi = by.loc[by["pct_positive"].idxmin()], by.loc[by["pct_positive"].idxmax()]
        parts.append(
            f"{fmt.pct(overall.iloc[0])} of survey answers on “{c['label'].lower()}” were "
            f"favourable across the councils, from {fmt.pct(lo['pct_positive'])} in "
            f"{_short(names[lo['group']])} to {fmt.pct(hi['pct_positive'])} in "
            f"{_short(names[hi['group']])}."
        )
    top = lead[(lead["research_question"] == rq) & (lead["rank"] == 1)]
    if not top.empty:
        parts.append(
            f"In the workshops the most frequent theme was “{_lower_first(top['label'].iloc[0])}”."
        )
    if not parts:
        return ""
    return "::: {.callout-tip}\n## In short\n" + fmt.md_escape(" ".join(parts)) + "\n:::\n"


def _likert_figures(p) -> str:
    return "\n".join(
        _figure(
            p,
            f"programme_likert_{c['id']}",
            f"{c['label']}: all items by council",
            f"diff-{c['id']}",
        )
        for c in p.questionnaire["constructs"][:0]
    )  # figures are shown per question above


def _programme_roadmap(p) -> str:
    df = _tbl(p, "programme", "journeys", "roadmap").copy()
    df["needed_by"] = df["n_authorities"].map(lambda n: fmt.number(n))
    for c in ("owner_role", "depends_on"):
        df[c] = df[c].map(_words)
    return fmt.markdown_table(
        df,
        [
            ("lifecycle_stage", "Stage", "l"),
            ("action_id", "Id", "l"),
            ("title", "Action", "l"),
            ("needed_by", "Councils", "r"),
            ("phase", "Phase", "l"),
            ("owner_role", "Owner", "l"),
            ("depends_on", "Depends on", "l"),
        ],
        caption="Consolidated programme roadmap (proven practice first within each stage)",
        label="programme-roadmap",
    )


def _words(v) -> str:
    """An id such as ``information_governance_lead`` as words."""
    return fmt.DASH if pd.isna(v) else str(v).replace("_", " ").replace(";", ", ")


def _roadmap_table(p, aid, caption, label) -> str:
    df = _tbl(p, aid, "journeys", "roadmap").copy()
    for c in ("owner_role", "depends_on"):
        df[c] = df[c].map(_words)
    cols = [
        ("phase", "Phase", "l"),
        ("action_id", "Id", "l"),
        ("title", "Action", "l"),
        ("owner_role", "Owner", "l"),
        ("effort", "Effort", "l"),
        ("impact", "Impact", "r"),
        ("depends_on", "Depends on", "l"),
    ]
    df = df.sort_values(["start_month", "action_id"], kind="stable")
    return fmt.markdown_table(df, cols, caption=caption, label=label)


def _gaps_table(p, aid) -> str:
    df = _tbl(p, aid, "journeys", "gap_summary")
    df = df[df["n_streams"] > 0].copy()
    df["streams"] = [
        f"{int(n)} of {int(t)}" for n, t in zip(df["n_streams"], df["n_streams_total"], strict=True)
    ]
    df["dq_dimension"] = df["dq_dimension"].astype(str).replace("none", fmt.DASH)
    return fmt.markdown_table(
        df,
        [
            ("label", "Gap", "l"),
            ("severity", "Severity", "l"),
            ("dq_dimension", "Data quality dimension", "l"),
            ("streams", "Streams", "r"),
        ],
        caption="Gaps found in the council's data journeys",
        label="gaps",
    )


def _maturity_table(p, aid) -> str:
    df = _tbl(p, aid, "journeys", "maturity_levels").copy()
    return fmt.markdown_table(
        df,
        [
            ("theme", "Theme", "l"),
            ("level", "Level", "r"),
            ("level_label", "Label", "l"),
            ("n_indicators", "Indicators", "r"),
        ],
        caption="Data maturity by theme (1 beginning to 5 mastering)",
        label="maturity",
        formatters={
            "level": lambda v: fmt.DASH if pd.isna(v) else str(int(v)),
            "n_indicators": fmt.number,
        },
    )


def _survey_table(p, aid) -> str:
    s = _tbl(p, aid, "survey", "construct_summary")
    s = s[s["group"].astype(str) == "all"].copy()
    kf = p.kf[(aid, "survey")].get("constructs", {})
    s["label"] = s["construct"].map(lambda c: _construct_label(p, c))
    s["alpha"] = s["construct"].map(lambda c: kf.get(c, {}).get("alpha"))
    return fmt.markdown_table(
        s,
        [
            ("label", "Construct", "l"),
            ("n_answers", "Answers", "r"),
            ("pct_positive", "Favourable", "r"),
            ("alpha", "Cronbach's alpha", "r"),
        ],
        caption="Survey constructs: favourable answers and reliability",
        label="survey",
        formatters={
            "n_answers": lambda v: fmt.count(v, p.rule.marker),
            "pct_positive": lambda v: fmt.pct(v, 1),
            "alpha": lambda v: fmt.ratio(v, 2),
        },
    )


def _quotes(p, aid) -> str:
    df = _tbl(p, aid, "coding", "leading_codes")
    df = (
        df[df["quote"].notna()]
        .sort_values(["research_question", "rank"])
        .groupby("research_question")
        .head(1)
    )
    if df.empty:
        return ""
    lines = ["In their own words (excerpts cleared for publication, attributed by role):\n"]
    for _, r in df.iterrows():
        lines.append(
            f"> “{fmt.md_escape(r['quote'])}” — {fmt.md_escape(r['attribution'])} "
            f"({fmt.md_escape(r['label'])})\n"
        )
    return "\n".join(lines)


def _swot_table(p, aid) -> str:
    df = _tbl(p, aid, "coding", "swot_evidence")
    df = df[df["n_excerpts"].fillna(1) > 0].copy()
    df["swot"] = df["swot"].str.capitalize()
    return fmt.markdown_table(
        df,
        [
            ("swot", "Quadrant", "l"),
            ("label", "Evidence (workshop code)", "l"),
            ("n_excerpts", "Excerpts", "r"),
            ("n_sessions", "Sessions", "r"),
        ],
        caption="Strengths, weaknesses, opportunities and threats from the workshops",
        label="swot",
        formatters={
            "n_excerpts": lambda v: fmt.count(v, p.rule.marker),
            "n_sessions": lambda v: fmt.count(v, p.rule.marker),
        },
    )


def _options_table(p, aid) -> str:
    df = _tbl(p, aid, "costs", "options_results").copy()
    df["option"] = [_option_label(c, n) for c, n in zip(df["category"], df["name"], strict=True)]
    return fmt.markdown_table(
        df,
        [
            ("option", "Option", "l"),
            ("pv_costs", "PV costs", "r"),
            ("pv_benefits", "PV benefits", "r"),
            ("npsv", "NPSV", "r"),
            ("bcr", "BCR", "r"),
            ("vfm_category", "Value for money", "l"),
            ("payback_year", "Payback year", "r"),
        ],
        caption="Options relative to business as usual (present values)",
        label="options",
        formatters={
            "pv_costs": fmt.money,
            "pv_benefits": fmt.money,
            "npsv": fmt.money,
            "bcr": fmt.ratio,
            "payback_year": lambda v: "never" if pd.isna(v) else str(int(v)),
        },
    )


# ------------------------------------------------------------------------------ writing


def write_project(source: Path, build: Path, p: Published) -> list[Path]:
    """Copy ``report/`` to ``build``, add variables, generated Markdown, figures, case studies."""
    source, build = Path(source), Path(build)
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    written = []
    for f in sorted(source.iterdir()):
        if f.is_file() and f.name != "_case-study.qmd":
            shutil.copy(f, build / f.name)
            written.append(build / f.name)
    template = (source / "_case-study.qmd").read_text(encoding="utf-8")
    for a in p.authorities:
        path = build / f"case-study-{a['id']}.qmd"
        path.write_text(template.replace(PLACEHOLDER, a["id"]), encoding="utf-8")
        written.append(path)
    (build / "_variables.yml").write_text(
        yaml.safe_dump(build_variables(p), sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    written.append(build / "_variables.yml")
    for rel, text in build_markdown(p).items():
        path = build / "_generated" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (build / "figures").mkdir()
    for name, (png, _) in p.figures.items():
        shutil.copy(png, build / "figures" / f"{name}.png")
        written.append(build / "figures" / f"{name}.png")
    return written
