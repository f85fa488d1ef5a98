"""Generated sections of the user-research report: reliability, agreement, the six research questions."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import figure, markdown_table, md_escape
from analysis.report.wording import construct_label, lower_first, rq_text, short


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


def rq_sections(p, ids, names) -> str:
    out = []
    summ = p.table("programme", "survey", "construct_summary")
    lead = p.table("programme", "coding", "leading_codes")
    rq_ids = [r["id"] for r in p.questionnaire["research_questions"]]  # questionnaire order
    for i, rq in enumerate(rq_ids, start=1):
        out.append(f"## RQ{i}: {md_escape(rq_text(p, rq))} {{#sec-rq{i}}}\n")
        constructs = [c for c in p.questionnaire["constructs"] if c["research_question"] == rq]
        out.append(_rq_answer(p, rq, constructs, summ, lead, names))
        for c in constructs:
            s = summ[(summ["construct"] == c["id"]) & (summ["group_by"] == "authority")].copy()
            s["council"] = s["group"].map(
                lambda g: short(names.get(g, "All councils")) if g in names else "All councils"
            )
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
                out.append(figure(p, fig, f"{c['label']}: answers by council", f"likert-{c['id']}"))
        codes = lead[lead["research_question"] == rq].sort_values("rank").head(3)
        if not codes.empty:
            out.append("**Workshops and interviews.** The leading codes for this question:\n")
            for _, r in codes.iterrows():
                out.append(
                    f"- *{md_escape(r['label'])}* "
                    f"({fmt.count(r['n_excerpts'], p.rule.marker)} excerpts)"
                )
            out.append("")
            for _, r in codes.iterrows():
                if isinstance(r.get("quote"), str) and r["quote"]:
                    out.append(f"> “{md_escape(r['quote'])}” — {md_escape(r['attribution'])}\n")
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
            f"{short(names[lo['group']])} to {fmt.pct(hi['pct_positive'])} in "
            f"{short(names[hi['group']])}."
        )
    top = lead[(lead["research_question"] == rq) & (lead["rank"] == 1)]
    if not top.empty:
        parts.append(
            f"In the workshops the most frequent theme was “{lower_first(top['label'].iloc[0])}”."
        )
    if not parts:
        return ""
    return "::: {.callout-tip}\n## In short\n" + md_escape(" ".join(parts)) + "\n:::\n"
