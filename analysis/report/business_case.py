"""Generated tables and figures of the business case's strategic and commercial cases (the
economic case's tables are in :mod:`analysis.report.economic_case` and
:mod:`analysis.report.economic_risk`; the financial, management and national sections in
:mod:`analysis.report.financial_case`, :mod:`analysis.report.management_case` and
:mod:`analysis.report.national_case`)."""

from __future__ import annotations

import pandas as pd

from analysis.coding import USABLE
from analysis.core import formatting as fmt
from analysis.report.expectations import expectation_split, split_words
from analysis.report.markdown import figure, markdown_table
from analysis.report.summaries import WORKBOOK, summarised
from analysis.report.wording import short


def strategic_gaps(p, names) -> str:
    """Streams with each gap, a column per council; in a :func:`summarised` programme, how
    many councils have each gap and in how many streams altogether."""
    df = p.table("programme", "journeys", "gap_summary")
    if summarised(p):
        g = df.groupby(["gap_id", "label", "severity"], sort=True)
        out = pd.DataFrame({
            "councils": g["n_streams"].apply(lambda v: int((v > 0).sum())),
            "streams": g["n_streams"].sum(),
        }).reset_index()  # fmt: skip
        n = df["authority"].nunique()
        total = int(df.groupby("authority")["n_streams_total"].first().sum())
        return markdown_table(
            out, [("label", "Gap", "l"), ("severity", "Severity", "l"),
                  ("councils", f"Councils with it (of {n})", "r"),
                  ("streams", f"Streams with it (of {total})", "r")],
            caption=f"Gaps across the {fmt.number(n)} councils' data journeys: how many councils "
            "have each and in how many streams (each council's count is in the programme "
            "workbook, sheet Gaps)",
            label="gaps", formatters={"councils": fmt.number, "streams": fmt.number},
        )  # fmt: skip
    piv = df.pivot_table(
        index=["gap_id", "label", "severity"],
        columns="authority",
        values="n_streams",
        aggfunc="sum",
    ).reset_index()
    ids = [a["id"] for a in p.authorities]
    cols = [("label", "Gap", "l"), ("severity", "Severity", "l")]
    cols += [(a, short(names[a]), "r") for a in ids if a in piv.columns]
    totals = df.groupby("authority")["n_streams_total"].first()
    cap = (
        "Streams with each gap, by council ("
        + ", ".join(f"{short(names[a])} {int(totals[a])} streams" for a in ids if a in totals)
        + ")"
    )
    return markdown_table(
        piv.sort_values("gap_id"),
        cols,
        caption=cap,
        label="gaps",
        formatters={a: fmt.number for a in ids},
    )


def economic_figures(p, ids, names, rest=()) -> str:
    """Each council's tornado chart and Monte Carlo histogram; with councils ``rest`` left out
    (a summarised programme) none, but where they are: two charts for each of ten councils
    would fill some fifteen pages, and the tables before them carry their numbers."""
    if len(rest):
        n = fmt.number(len(ids) + len(rest))
        return (
            f"With {n} councils, the tornado chart and Monte Carlo histogram of each council's "
            "preferred way forward are in its case study, not here. The tables above give the "
            "switching values and Monte Carlo results of the councils they show; the programme "
            f"workbook, [{WORKBOOK}]({WORKBOOK}), gives them for all {n} (sheets Switching "
            "values and Monte Carlo).\n"
        )
    # no heading per council: its captions name the council, and a heading before a figure
    # is the one lead-in typst's sticky blocks do not always keep with it (typst#5977)
    out = []
    for a in ids:
        out.append(
            figure(
                p,
                f"{a}_tornado",
                f"One-way sensitivity of the NPSV of the preferred way forward: {names[a]}",
                f"tornado-{a}",
            )
        )
        out.append(
            figure(
                p, f"{a}_monte_carlo", f"Monte Carlo distribution of NPSV: {names[a]}", f"mc-{a}"
            )
        )
    return "\n".join(out)


def commercial(p, ids, names) -> str:
    frames = []
    for a in ids:
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        df = p.table(a, "costs", "cost_lines")
        df = df[df["option_id"] == pref].copy()
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["sourcing"] = df["sourcing"].str.replace("_", "-")
    return markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("description", "Cost line", "l"),
            ("cost_type", "Type", "l"),
            ("sourcing", "Sourcing", "l"),
            ("amount", "Total (£, real, undiscounted)", "r"),
        ],
        caption="Sourcing of the cost lines of the preferred ways forward",
        label="sourcing",
        formatters={"amount": fmt.money},
    )


#: The questionnaire construct that measures customer expectations (survey/questionnaire.yaml).
EXPECTATIONS = "expectations"


def _group_words(label: str) -> str:
    """A respondent-group label inside a sentence: "Partner agencies" -> "partner agencies"."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def expectations_paragraph(
    construct, questionnaire: dict, repeat_story_excerpts=None, item_shares: dict | None = None
) -> str:
    """The strategic case's "Customer expectations" paragraph, from the programme survey key
    figures of the expectations construct (``construct``: its entry under ``constructs``).

    Says who was asked (the construct's ``asked_of`` groups; "everyone" when it has none), the
    share of favourable answers overall and for each group asked, or that a group's share is
    suppressed (too few answers to publish). With ``item_shares`` (item id -> favourable
    share) it then reports every expectation as answered, the ones most hold and the ones
    that divide people, and what that asks of the case
    (:func:`analysis.report.expectations.expectation_split`, review finding 23); without,
    the items most and least agreed with. ``repeat_story_excerpts`` (workshop excerpts coded
    "Telling the story again", a count of text, given only when the code is reliable) shows
    how today's arrangements fall short.
    """
    c = next(c for c in questionnaire["constructs"] if c["id"] == EXPECTATIONS)
    labels = {g["id"]: g.get("label", g["id"]) for g in questionnaire["respondent_groups"]}
    asked = c.get("asked_of") or []
    items = {it["id"]: it for it in questionnaire["items"] if it.get("construct") == c["id"]}
    who = fmt.prose_list(_group_words(labels[g]) for g in asked) if asked else "every respondent"
    not_asked = [g for g in labels if g not in asked]
    out = (
        f"The survey asked {who} {fmt.word(len(items))} questions about what they expect the "
        "council to do with information they have already given it"
        + ("; staff were not asked them" if asked and not_asked else "")
        + ". "
    )
    overall = construct["pct_positive"]
    if overall is None:
        out += "Too few answers were given to publish the share that agreed. "
    else:
        by = construct["group_comparison"]["pct_favourable_by_group"]
        shown = [f"{_group_words(labels[g])} {fmt.pct(by[g])}" for g in asked if by[g] is not None]
        hidden = [_group_words(labels[g]) for g in asked if by[g] is None]
        out += f"Of their answers, {fmt.pct(overall)} agreed"
        if shown:
            out += f" ({fmt.prose_list(shown)})"
        out += ". "
        if hidden:
            out += (
                f"The share for {fmt.prose_list(hidden)} is not published: too few answers "
                "to publish it safely. "
            )
    if item_shares is not None:
        out += split_words(expectation_split(item_shares, questionnaire)) + " "
    else:
        hi, lo = construct["item_highest_agree"], construct["item_lowest_agree"]
        if hi and lo and hi != lo:
            out += (
                f"Most agreed that “{items[hi]['text']}” "
                f"({fmt.pct(construct['item_highest_pct_agree'])}) and fewest that "
                f"“{items[lo]['text']}” ({fmt.pct(construct['item_lowest_pct_agree'])}). "
            )
    if repeat_story_excerpts:
        out += (
            "Today's arrangements fall short of the expectation not to be asked again: in the "
            f"workshops {fmt.number(repeat_story_excerpts)} excerpts describe people having to "
            "repeat information the council already holds."
        )
    return out.strip() + "\n"


def customer_expectations(p) -> str:
    """:func:`expectations_paragraph` from the published programme survey key figures, each
    expectation item's favourable share as the user-research charts draw it (the collapsed
    table's ``all`` row) and, when its coders agreed reliably, the programme's "Telling the
    story again" excerpts."""
    construct = p.kf[("programme", "survey")]["constructs"][EXPECTATIONS]
    col = p.table("programme", "survey", "likert_collapsed")
    col = col[col["group"].astype(str) == "all"]
    ids = [it["id"] for it in p.questionnaire["items"] if it.get("construct") == EXPECTATIONS]
    shares = dict(zip(col["item_id"], col["pct_favourable"], strict=True))
    item_shares = {i: (None if pd.isna(shares.get(i, float("nan"))) else float(shares[i]))
                   for i in ids}  # fmt: skip
    lead = p.table("programme", "coding", "swot_evidence")
    rows = lead[(lead["code"] == "repeat_story") & lead["reliability"].isin(list(USABLE))]
    n = int(rows["n_excerpts"].sum()) if len(rows) and rows["n_excerpts"].notna().all() else None
    return expectations_paragraph(construct, p.questionnaire, n, item_shares)
