"""Generated tables and figures of the business case (strategic, economic and commercial cases;
the financial, management and national sections are in :mod:`analysis.report.financial_case`,
:mod:`analysis.report.management_case` and :mod:`analysis.report.national_case`)."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.decision import ranking_under_uncertainty
from analysis.report.markdown import figure, markdown_table, md_escape
from analysis.report.wording import option_label, short, with_decision


def strategic_gaps(p, names) -> str:
    df = p.table("programme", "journeys", "gap_summary")
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


def economic_results(p, ids, names) -> str:
    frames = []
    for a in ids:
        df = with_decision(
            p.table(a, "costs", "options_results"), p.table(a, "costs", "options_decision")
        )
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["option"] = [option_label(c, n) for c, n in zip(df["category"], df["name"], strict=True)]
    cols = [
        ("council", "Council", "l"),
        ("option", "Option", "l"),
        ("pv_costs", "PV costs", "r"),
        ("pv_benefits", "PV benefits", "r"),
        ("npsv", "NPSV", "r"),
        ("bcr", "BCR", "r"),
        ("vfm", "Value for money", "l"),
        ("payback_year", "Payback year", "r"),
        ("decision", "Decision", "l"),
    ]
    return markdown_table(
        df,
        cols,
        caption="Options appraised by each council, relative to business as usual "
        "(present values, £), and what the appraisal concluded",
        label="economic",
        formatters={
            "pv_costs": fmt.money,
            "pv_benefits": fmt.money,
            "npsv": fmt.money,
            "bcr": fmt.ratio,
            "payback_year": lambda v: "never" if pd.isna(v) else str(int(v)),
        },
    )


def switching(p, ids, names) -> str:
    frames = []
    for a in ids:
        df = p.table(a, "costs", "switching_values")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        df = df[df["option_id"] == pref].copy()
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    cols = [
        ("council", "Council", "l"),
        ("parameter", "Input", "l"),
        ("central", "Central", "r"),
        ("switching_value", "Switching value", "r"),
        ("change_pct", "Change", "r"),
    ]
    return markdown_table(
        df,
        cols,
        caption="Switching values of the preferred ways forward: the value at which NPSV is zero",
        label="switching",
        formatters={
            "central": fmt.smart,
            "switching_value": fmt.smart,
            "change_pct": lambda v: fmt.pct(v, 1),
        },
    )


def monte_carlo(p, ids, names) -> str:
    """The simulation of each preferred way forward beside its central case, whether the
    simulated means rank the options as the central case does
    (:func:`analysis.costs.decision.ranking_under_uncertainty`), and a sentence saying so."""
    rows, broken, gaps = [], [], []
    for a in ids:
        df = p.table(a, "costs", "monte_carlo_summary")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        chosen = df[(df["metric"] == "npsv") & (df["option_id"] == pref)]
        if chosen.empty:  # business as usual: nothing to simulate
            continue
        check = ranking_under_uncertainty(p.table(a, "costs", "options_decision"), df)
        if check["gap_pct"] is not None:
            gaps.append(abs(check["gap_pct"]))
        if check["checked"] and not check["holds"]:
            broken.append((a, check["best_by_mean"]))
        r = chosen.iloc[0]
        rows.append(
            {
                "council": short(names[a]),
                "central": check["central"],
                "mean": r["mean"],
                "p5": r["p5"],
                "p50": r["p50"],
                "p95": r["p95"],
                "prob": 100 * r["prob_positive"],
                "draws": r["draws"],
                "holds": "yes" if check["holds"] else "no",
            }
        )
    df = pd.DataFrame(rows)
    table = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("central", "Central NPSV", "r"),
            ("mean", "Mean NPSV", "r"),
            ("p5", "P5", "r"),
            ("p50", "P50", "r"),
            ("p95", "P95", "r"),
            ("prob", "P(NPSV > 0)", "r"),
            ("holds", "Still ranked first?", "l"),
        ],
        caption="Monte Carlo analysis of each council's preferred way forward "
        f"({fmt.number(rows[0]['draws'])} seeded draws each) beside its central case, and "
        "whether its simulated mean NPSV is still the highest of the eligible options",
        label="montecarlo",
        formatters={c: fmt.money for c in ("central", "mean", "p5", "p50", "p95")}
        | {"prob": lambda v: fmt.pct(v, 1)},
    )
    if not broken:
        note = (
            "In every council the preferred way forward also has the highest simulated mean "
            "NPSV of the eligible options, so the choice holds once the uncertainty is taken "
            "into account"
            + (
                f"; its simulated mean is within {fmt.pct(max(gaps), 1)} of its central case, "
                "as it should be when the ranges are centred on the central inputs."
                if gaps
                else "."
            )
        )
    else:
        note = (
            "Under uncertainty the ranking changes in "
            + fmt.prose_list(
                f"{short(names[a])}, where {md_escape(option_name(p, a, o))} has the higher "
                "simulated mean NPSV"
                for a, o in broken
            )
            + ": the board should weigh that before confirming the preferred way forward."
        )
    return table + "\n" + note + "\n"


def option_name(p, aid, option_id) -> str:
    d = p.table(aid, "costs", "options_decision").set_index("option_id")
    return option_label(d.at[option_id, "category"], d.at[option_id, "name"])


def economic_figures(p, ids, names) -> str:
    out = []
    for a in ids:
        out.append(f"#### {md_escape(names[a])} {{.unnumbered}}\n")
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


def expectations_paragraph(construct, questionnaire: dict, repeat_story_excerpts=None) -> str:
    """The strategic case's "Customer expectations" paragraph, from the programme survey key
    figures of the expectations construct (``construct``: its entry under ``constructs``).

    Says who was asked (the construct's ``asked_of`` groups; "everyone" when it has none), the
    share of favourable answers overall and for each group asked, or that a group's share is
    suppressed (too few answers to publish), the items most and least agreed with, and how the
    expectations bear on the case for change: ``repeat_story_excerpts`` (workshop excerpts
    coded "Telling the story again", a count of text) when given.
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
    hi, lo = construct["item_highest_agree"], construct["item_lowest_agree"]
    if hi and lo and hi != lo:
        out += (
            f"Most agreed that “{items[hi]['text']}” "
            f"({fmt.pct(construct['item_highest_pct_agree'])}) and fewest that "
            f"“{items[lo]['text']}” ({fmt.pct(construct['item_lowest_pct_agree'])}). "
        )
    if repeat_story_excerpts:
        out += (
            "Today's arrangements fall short of these expectations: in the workshops "
            f"{fmt.number(repeat_story_excerpts)} excerpts describe people having to repeat "
            "information the council already holds. Joining and sharing the data (the case "
            "for change) is what would meet them."
        )
    else:
        out += (
            "Joining and sharing the data the council already holds (the case for change) is "
            "what would meet them."
        )
    return out.strip() + "\n"


def customer_expectations(p) -> str:
    """:func:`expectations_paragraph` from the published programme survey key figures and the
    programme's leading workshop codes."""
    construct = p.kf[("programme", "survey")]["constructs"][EXPECTATIONS]
    lead = p.table("programme", "coding", "leading_codes")
    rows = lead[lead["code"] == "repeat_story"]
    n = int(rows["n_excerpts"].sum()) if len(rows) and "n_excerpts" in rows else None
    return expectations_paragraph(construct, p.questionnaire, n)
