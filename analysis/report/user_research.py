"""Generated sections of the user-research report: reliability, agreement, the six research questions."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.evidence import choose_codes, codes_words, unestablished_words
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.rq_answers import rq_answers
from analysis.report.summaries import programme_figure, summarised
from analysis.report.survey_tables import every_question as every_question
from analysis.report.survey_tables import option_tables, rounding_note
from analysis.report.wording import construct_label, lower_first, rq_text, short
from analysis.survey.groups import effect_reading


def reliability(p) -> str:
    df = p.table("programme", "survey", "reliability")
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
                "construct": construct_label(p, c),
                "pair": f"{fmt.ratio(r[('alpha', 'pairwise')], 2)} "
                f"({fmt.ratio(r[('ci_low', 'pairwise')], 2)}–{fmt.ratio(r[('ci_high', 'pairwise')], 2)})",
                "list": f"{fmt.ratio(r[('alpha', 'listwise')], 2)} "
                f"({fmt.ratio(r[('ci_low', 'listwise')], 2)}–{fmt.ratio(r[('ci_high', 'listwise')], 2)})",
                "n_list": fmt.count(r[("n", "listwise")], p.rule.marker),
            }
        )
    return markdown_table(
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


def agreement(p, ids, names) -> str:
    df = p.table("programme", "coding", "agreement")
    df = df[df["scope"] == "code"].copy()
    df["flag"] = df["below_threshold"].map(lambda b: "below 0.667" if str(b) == "True" else "")
    return markdown_table(
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


#: What a code's inter-coder agreement means for a finding that rests on it.
RELIABILITY_NOTES = {
    "tentative": "tentative: coders agreed only moderately, alpha 0.667 to 0.800",
    "not reliable": "not reliable: coders agreed too little, alpha below 0.667",
    "undefined": "agreement not measurable",
    "too few to judge": "too few excerpts here to judge the coders' agreement",
}


def reliability_note(reading) -> str:
    """`` (tentative: ...)`` for a code whose agreement is below reliable, else ``""``."""
    note = RELIABILITY_NOTES.get(str(reading))
    return f" ({note})" if note else ""


def group_label(p, gid: str) -> str:
    if gid == "all":
        return "All respondents"
    return next((g["label"] for g in p.questionnaire["respondent_groups"] if g["id"] == gid), gid)


def by_group(p, construct: dict, label: str) -> str:
    """Favourable answers to a construct by respondent group, with the largest significant
    difference and its effect size (all councils pooled)."""
    df = p.table("programme", "survey", "construct_by_group")
    df = df[(df["construct"] == construct["id"]) & (df["group_by"] == "respondent_group")].copy()
    if df.empty:
        return ""
    df["who"] = df["group"].map(lambda g: group_label(p, g))
    table = markdown_table(
        df,
        [
            ("who", "Respondent group", "l"),
            ("n_answers", "Answers", "r"),
            ("pct_positive", "Favourable", "r"),
        ],  # fmt: skip
        caption=f"{construct['label']}: favourable answers by respondent group, all councils",
        label=f"{label}-groups",
        formatters={
            "n_answers": lambda v: fmt.count(v, p.rule.marker),
            "pct_positive": lambda v: fmt.pct(v, 1),
        },
    )
    parts = df[df["group"] != "all"]["n_answers"]
    total = df.loc[df["group"] == "all", "n_answers"]
    note = rounding_note(parts, total.iloc[0] if len(total) else None, p.rule, what="answers")
    table += f"\n*Note.* {md_escape(note)}\n" if note else ""
    gc = p.kf[("programme", "survey")]["constructs"][construct["id"]]["group_comparison"]
    largest = gc["largest_difference"]
    sentence = (
        f"Between respondent groups the largest difference significant after Holm correction "
        f"was: {md_escape(largest['text'])}."
        if largest
        else "No difference between respondent groups was significant after Holm correction."
    )
    not_asked = gc["groups_not_asked"]
    if not_asked:
        skipped = "; ".join(lower_first(group_label(p, g)) for g in not_asked)
        sentence += (
            " Only the groups shown were asked these questions. The form routes the other "
            f"groups ({skipped}) past them, so they have no row here."
        )
    return table + "\n" + sentence + "\n"


def pairs_text(p, diffs: list[str], n_councils: int | None) -> str:
    """The pairs of councils that differ: listed, or in a :func:`summarised` programme (where
    64 councils make 2,016 pairs) counted out of all the pairs compared."""
    if not diffs:
        return "No pair differs"
    if summarised(p) and n_councils:
        pairs = n_councils * (n_councils - 1) // 2
        return f"{fmt.number(len(diffs))} of {fmt.number(pairs)} pairs of councils"
    return "; ".join(diffs)


def council_differences(p, names) -> str:
    """How far the councils differ: for every construct the Kruskal-Wallis test across
    councils with epsilon squared and its reading, and the pairs that differ (Holm-corrected
    pairwise Mann-Whitney, p < 0.05); then the categorical items' chi-square tests across
    councils with Cramer's V. Effect readings are :func:`analysis.survey.groups.effect_reading`
    (Cohen's thresholds), the same as for respondent groups."""
    if len(names) < 2:
        return "The programme has one council, so there are no councils to compare.\n"
    constructs = p.kf[("programme", "survey")]["constructs"]
    kw = p.table("programme", "survey", "kruskal")
    kw = kw[(kw["between"] == "authority") & (kw["variable_type"] == "construct")]
    kw = kw.dropna(subset=["H", "df"])  # a construct no two councils answered has no test
    kw = kw.set_index("variable")
    rows = []
    for cid, c in constructs.items():
        diffs = c["authority_differences"] or []
        for full in names.values():
            diffs = [d.replace(full, short(full)) for d in diffs]
        r = kw.loc[cid] if cid in kw.index else None
        rows.append(
            {
                "construct": construct_label(p, cid),
                "test": fmt.DASH if r is None else f"H({int(r['df'])}) = {fmt.number(r['H'], 1)}",
                "p": fmt.DASH if r is None else fmt.p_value(r["p_unc"]),
                "effect": fmt.DASH if r is None else (
                    f"{fmt.ratio(r['epsilon_sq'], 3)} "
                    f"({effect_reading(r['epsilon_sq'], 'epsilon_sq')})"
                ),
                "diffs": pairs_text(p, diffs, None if r is None else int(r["df"]) + 1),
            }
        )  # fmt: skip
    out = markdown_table(
        pd.DataFrame(rows),
        [
            ("construct", "Construct", "l"),
            ("test", "Kruskal–Wallis", "r"),
            ("p", "p", "r"),
            ("effect", "ε² (size)", "l"),
            ("diffs", "Pairs that differ (Holm p < 0.05)", "l"),
        ],
        caption="Differences between councils, by construct: the test across all councils, "
        "its effect size, and the pairs of councils that differ",
        label="council-differences",
    )
    chi = p.table("programme", "survey", "chi2")
    chi = chi[chi["between"] == "authority"].dropna(subset=["chi2", "dof"])
    if chi.empty:
        return out
    texts = {it["id"]: it["text"] for it in p.questionnaire["items"]}
    r_minus_1 = len(names) - 1
    chi = chi.assign(
        question=[md_escape(texts.get(i, i)) for i in chi["item_id"]],
        test=[
            f"χ²({int(d)}) = {fmt.number(x, 1)}"
            for d, x in zip(chi["dof"], chi["chi2"], strict=True)
        ],
        p=[fmt.p_value(v) for v in chi["p_unc"]],
        effect=[
            f"{fmt.ratio(v, 3)} "
            f"({effect_reading(v, 'cramer_v', min(r_minus_1, int(d) // r_minus_1))})"
            if r_minus_1 and int(d) % r_minus_1 == 0
            else fmt.ratio(v, 3)
            for v, d in zip(chi["cramer_v"], chi["dof"], strict=True)
        ],
    )
    return (
        out
        + "\n"
        + markdown_table(
            chi,
            [
                ("item_id", "Item", "l"),
                ("question", "Question", "l"),
                ("test", "Chi-square", "r"),
                ("p", "p", "r"),
                ("effect", "Cramér's V (size)", "l"),
            ],
            caption="Differences between councils on the categorical items (Pearson "
            "chi-square test of independence, council by answer)",
            label="council-differences-categorical",
        )
    )


def extremes(p, summary: pd.DataFrame, names) -> tuple[pd.DataFrame, str]:
    """A construct's rows by council (``summary``), and what its caption adds: every council,
    or in a :func:`summarised` programme the :data:`~analysis.report.summaries.LEAGUE_SIZE`
    councils with the largest and the smallest favourable share (suppressed shares cannot be
    ranked) and the all-councils row."""
    from analysis.report.summaries import LEAGUE_SIZE

    councils = summary[summary["group"].isin(list(names))]
    ranked = councils.dropna(subset=["pct_positive"]).sort_values(
        "pct_positive", ascending=False, kind="stable"
    )
    if not summarised(p) or len(ranked) <= 2 * LEAGUE_SIZE:
        return summary, ""
    keep = set(ranked["group"].head(LEAGUE_SIZE)) | set(ranked["group"].tail(LEAGUE_SIZE))
    shown = pd.concat([ranked[ranked["group"].isin(keep)],
                       summary[~summary["group"].isin(list(names))]])  # fmt: skip
    return shown, (
        f" (the {fmt.word(LEAGUE_SIZE)} councils with the largest and the {fmt.word(LEAGUE_SIZE)}"
        f" with the smallest favourable share, of {fmt.number(len(councils))}; every council in "
        "the programme workbook)"
    )


def rq_sections(p, ids, names) -> str:
    out = []
    summ = p.table("programme", "survey", "construct_summary")
    lead = p.table("programme", "coding", "leading_codes")
    rq_ids = [r["id"] for r in p.questionnaire["research_questions"]]  # questionnaire order
    answers = rq_answers(p)
    for i, rq in enumerate(rq_ids, start=1):
        out.append(f"## RQ{i}: {md_escape(rq_text(p, rq))} {{#sec-rq{i}}}\n")
        constructs = [c for c in p.questionnaire["constructs"] if c["research_question"] == rq]
        out.append(_rq_answer(p, rq, constructs, summ, lead, names, answers[rq]))
        for c in constructs:
            s = summ[(summ["construct"] == c["id"]) & (summ["group_by"] == "authority")].copy()
            s["council"] = s["group"].map(
                lambda g: short(names.get(g, "All councils")) if g in names else "All councils"
            )
            parts = s[s["group"].isin(list(names))]["n_answers"]
            total = s.loc[~s["group"].isin(list(names)), "n_answers"]
            note = rounding_note(parts, total.iloc[0] if len(total) else None, p.rule,
                                 what="answers")  # fmt: skip
            s, shown_note = extremes(p, s, names)
            out.append(
                f"**Survey: {md_escape(c['label'])}.** Share of answers to the "
                "construct's items that were favourable:\n"
            )
            out.append(
                markdown_table(
                    s,
                    [
                        ("council", "Council", "l"),
                        ("n_answers", "Answers", "r"),
                        ("pct_positive", "Favourable", "r"),
                    ],
                    caption=f"{c['label']}: favourable answers by council{shown_note}",
                    label=f"rq{i}-{c['id']}",
                    formatters={
                        "n_answers": lambda v: fmt.count(v, p.rule.marker),
                        "pct_positive": lambda v: fmt.pct(v, 1),
                    },
                )
            )
            if note:
                out.append(f"*Note.* {md_escape(note)}\n")
            fig = f"programme_likert_{c['id']}"
            if fig in p.figures:
                out.append(programme_figure(p, fig, f"{c['label']}: answers by council",
                                            f"likert-{c['id']}"))  # fmt: skip
            out.append(by_group(p, c, f"rq{i}-{c['id']}"))
        out.append(option_tables(p, rq, names))
        codes = lead[lead["research_question"] == rq].sort_values("rank").head(3)
        if not codes.empty:
            out.append("**Workshops and interviews.** The leading codes for this question:\n")
            for _, r in codes.iterrows():
                out.append(
                    f"- *{md_escape(r['label'])}* "
                    f"({fmt.count(r['n_excerpts'], p.rule.marker)} excerpts)"
                    + md_escape(reliability_note(r["reliability"]))
                )
            out.append("")
            for _, r in codes.iterrows():
                if isinstance(r.get("quote"), str) and r["quote"]:
                    out.append(f"> “{md_escape(r['quote'])}” — {md_escape(r['attribution'])}\n")
    return "\n".join(out)


def _rq_answer(p, rq, constructs, summ, lead, names, answer: str = "") -> str:
    """A short answer to one research question, worded from the published results: the
    answer in the question's own terms (:mod:`analysis.report.rq_answers`), then the survey
    construct's favourable share by council and the leading workshop theme. A routed construct
    (``asked_of``: what residents and partners expect of the council) is not part of the
    answer: it says what people expect, not how the data is used (review finding 20)."""
    parts = [answer] if answer else []
    for c in constructs:
        if c.get("asked_of"):
            continue
        s = summ[(summ["construct"] == c["id"]) & (summ["group_by"] == "authority")]
        by = s[s["group"].isin(list(names))].dropna(subset=["pct_positive"])
        overall = s[~s["group"].isin(list(names))]["pct_positive"].dropna()
        if by.empty or overall.empty:
            continue
        lo, hi = by.loc[by["pct_positive"].idxmin()], by.loc[by["pct_positive"].idxmax()]
        parts.append(
            f"{fmt.pct(overall.iloc[0])} of survey answers on “{c['label'].lower()}” were "
            f"favourable across the councils, from {fmt.pct(lo['pct_positive'])} in "
            f"{short(names[lo['group']])} to {fmt.pct(hi['pct_positive'])} in "
            f"{short(names[hi['group']])}."
        )
    if "excerpts" not in answer:  # the answer has not cited workshop codes already
        chosen = choose_codes(p.table("programme", "coding", "swot_evidence"), rq=rq, n=1)
        if chosen["codes"]:
            parts.append(
                # usable: reliable or tentative coder agreement (evidence.choose_codes)
                f"In the workshops the most frequent theme coded consistently enough to use was "
                f"{codes_words(chosen['codes'])}."
            )
        parts.append(unestablished_words(chosen["unestablished"], "it as a leading theme",
                                         also=bool(chosen["codes"])))  # fmt: skip
    parts = [x for x in parts if x]
    if not parts:
        return ""
    head, rest = (parts[0], parts[1:]) if answer else ("", parts)
    body = md_escape(head) + ("\n\n" if head and rest else "") + md_escape(" ".join(rest))
    return "::: {.callout-tip}\n## In short\n" + body + "\n:::\n"


def group_differences_sentence(p, aid: str) -> str:
    """The respondent groups of one council that differ significantly on a construct
    (pairwise Mann-Whitney, Holm p < 0.05, in its published ``group_comparisons``), with the
    construct and the rank-biserial effect size: "On “Processing and quality” partner agencies
    answered more favourably than frontline staff and managers (rank-biserial r 0.70 to 0.73,
    large)". Empty when none differ."""
    df = p.table(aid, "survey", "group_comparisons")
    sig = df[(df["test"] == "mann_whitney") & (df["variable_type"] == "construct")
             & (df["significant"].astype(str) == "True")]  # fmt: skip
    if sig.empty:
        return ""
    labels = {g["id"]: lower_first(g["label"]) for g in p.questionnaire["respondent_groups"]}
    parts = []
    for (var, higher), g in sig.groupby(["variable", "higher"], sort=False):
        lower = [b if a == higher else a for a, b in zip(g["A"], g["B"], strict=True)]
        r = g["effect_size"].abs()
        size = (
            fmt.ratio(r.min()) if len(g) == 1 else f"{fmt.ratio(r.min())} to {fmt.ratio(r.max())}"
        )
        reading = fmt.prose_list(dict.fromkeys(g["effect_reading"].astype(str)))
        parts.append(
            f"on “{construct_label(p, var)}” {labels.get(higher, higher)} answered more "
            f"favourably than {fmt.prose_list(labels.get(x, x) for x in lower)} "
            f"(rank-biserial r {size}, {reading})"
        )
    text = "; ".join(parts)
    return (
        "Respondent groups differ significantly (Holm-corrected Mann–Whitney tests): " + text + "."
    )
