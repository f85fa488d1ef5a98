"""Generated tables and figures of the business case (strategic, economic, commercial, financial cases)."""

from __future__ import annotations

import pandas as pd

from analysis.coding import USABLE
from analysis.core import formatting as fmt
from analysis.costs import SERVICE_LABELS
from analysis.costs.decision import ranking_under_uncertainty
from analysis.report.expectations import expectation_split, split_words
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


def national(p) -> str:
    """The national range (percentiles of a seeded Monte Carlo), how each council was scaled,
    and the assumptions the range rests on: all as the costs stage published them."""
    ck = p.kf[("programme", "costs")]
    df = p.table("programme", "costs", "national_range").copy()
    df["service"] = df["service_area"].astype(str).map(SERVICE_LABELS)
    est = lambda v: fmt.money(v, sig=2)  # noqa: E731 - estimates, two significant figures
    table = markdown_table(
        df,
        [
            ("service", "Service area", "l"),
            ("low", "5th percentile", "r"),
            ("central", "Median", "r"),
            ("high", "95th percentile", "r"),
        ],
        caption=f"National scale of the opportunity: net present social value if councils "
        f"delivering each service adopted its preferred way forward ({fmt.number(ck['national_draws'])} "
        "seeded Monte Carlo draws; £, present value, two significant figures)",
        label="national",
        formatters={c: est for c in ("low", "central", "high")},
    )
    scale = p.table("programme", "costs", "national_scale").copy()
    scale["council"] = scale["authority"].map(lambda a: short(p.authority(a)["name"]))
    scale["scaled_by"] = [
        ("residents" if d == "population" else "service volume")
        + ("" if inc == "yes" else f" (left out: {str(why).replace('_', ' ')})")
        for d, inc, why in zip(
            scale["driver"], scale["included"], scale["exclusion_reason"], strict=True
        )
    ]
    basis = markdown_table(
        scale,
        [("council", "Council", "l"), ("scaled_by", "Scaled by", "l"), ("driver_note", "Why", "l")],
        caption="How each council's result was scaled to the UK",
        label="national-basis",
    )
    ass = p.table("programme", "costs", "national_assumptions")
    ass = ass.drop_duplicates(["assumption", "role"]).copy()
    ass["what"] = ass["role"].map({"minimum": "Low", "mode": "Most likely", "maximum": "High"})
    assumptions = markdown_table(
        ass,
        [
            ("what", "Take-up", "l"),
            ("value", "Share of councils adopting", "r"),
            ("source", "Source", "l"),
            ("rationale", "Rationale", "l"),
        ],  # fmt: skip
        caption="Assumptions of the national scale (triangular distribution of take-up)",
        label="national-assumptions",
        formatters={"value": lambda v: fmt.pct(100 * float(v))},
    )
    return (
        table
        + "\n"
        + figure(p, "programme_national", "National scale of the opportunity", "national")
        + "\n"
        + basis
        + "\n"
        + assumptions
    )


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


def total_ask(p, ids) -> float:
    """Capital and revenue requirement of the preferred ways forward, nominal cash, all councils."""
    total = 0.0
    for a in ids:
        df = p.table(a, "costs", "nominal_cash")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        total += float(df.loc[df["option_id"] == pref, "total_costs"].sum())
    return total


def financial(p, ids, names) -> str:
    costs, cash = {}, {}
    years = None
    for a in ids:
        df = p.table(a, "costs", "nominal_cash")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        df = df[df["option_id"] == pref].set_index("financial_year")
        costs[short(names[a])] = df["total_costs"]
        # affordability counts the council's own budgets only (a partner's saving is not cash
        # the council can release): the same rule as the affordability gap
        aff = p.table(a, "costs", "affordability")
        own = aff[(aff["option_id"] == pref) & (aff["agency"] == "council")]
        cash[short(names[a])] = own.groupby("financial_year")["cashable_benefits"].sum()
        years = df.index if years is None else years
    out = []
    for title, label, data in (
        (
            "Capital and revenue requirement of the preferred ways forward, nominal cash by financial "
            "year (not discounted)",
            "financial",
            costs,
        ),
        (
            "Cashable fiscal benefits to the councils' own budgets of the preferred ways forward, "
            "nominal cash by financial year (partners' cashable savings do not count towards "
            "a council's affordability)",
            "cashable",
            cash,
        ),
    ):
        wide = pd.DataFrame(data).reindex(years)
        wide.loc["Total"] = wide.sum()
        wide = wide.reset_index().rename(columns={"index": "year", "financial_year": "year"})
        cols = [("year", "Year", "l")] + [(c, c, "r") for c in data]
        out.append(
            markdown_table(
                wide, cols, caption=title, label=label, formatters={c: fmt.money for c in data}
            )
        )
    return "\n".join(out)


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
