"""The business case's financial case and the decisions it asks of the board, as Markdown.

Everything here is laid out from the costs stage's published programme tables
(``financial_requirement``, ``funding_plan``, ``funding_status``, ``funding_sources``; method
in :mod:`analysis.costs.funding`) and each council's ``affordability`` table: the capital and
revenue requirement by council and year in nominal cash, the bridge from real cost to
nominal, the funding of every year by status and the gap, and what the board is asked to
decide. The functions that summarise (:func:`funding_by_year`, :func:`ask_summary`,
:func:`decisions_sought`) only add up published figures, and are tested.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.funding import GAP, STATUSES
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.wording import option_label, short

STATUS_LABELS = {"secured": "Secured", "applied_for": "Applied for",
                 "to_identify": "To be identified", GAP: "Not funded (gap)"}  # fmt: skip
FUNDS_WORDS = {"capital": "capital only", "revenue": "revenue only",
               "capital_and_revenue": "capital or revenue"}  # fmt: skip
BRIDGE_LABELS = {
    "base_real": "Base cost (real)",
    "optimism_bias": "Optimism bias (the risk allowance)",
    "contingency": "Contingency beyond the uplift",
    "inflation": "Inflation (GDP deflator)",
    "requirement": "Requirement (nominal cash)",
}


def funding_by_year(requirement: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Per council and year: ``capital, revenue, total`` (the requirement, nominal, positive
    parts as funded) and what each status and the gap meet; ``total`` = the statuses + gap."""
    req = requirement.assign(requirement=requirement["requirement"].astype(float).clip(lower=0))
    wide = req.pivot_table(
        index=["authority", "year", "financial_year"], columns="cost_type",
        values="requirement", aggfunc="sum", fill_value=0.0,
    )  # fmt: skip
    wide = wide.reindex(columns=["capital", "revenue"], fill_value=0.0)
    wide["total"] = wide["capital"] + wide["revenue"]
    funded = plan.pivot_table(
        index=["authority", "year", "financial_year"], columns="status",
        values="amount", aggfunc="sum", fill_value=0.0,
    ) if len(plan) else pd.DataFrame(index=wide.index)  # fmt: skip
    funded = funded.reindex(index=wide.index, columns=[*STATUSES, GAP], fill_value=0.0)
    return wide.join(funded).reset_index()


def ask_summary(status: pd.DataFrame) -> dict:
    """The programme row of ``funding_status``: the total ask, each status's amount and the
    secured share (``None`` when nothing is asked)."""
    r = status[status["authority"] == "programme"].iloc[0]
    out = {k: float(r[k]) for k in ("ask", "capital", "revenue", *STATUSES, GAP)}
    out["secured_share"] = out["secured"] / out["ask"] if out["ask"] > 0 else None
    return out


def ask_sentence(status: pd.DataFrame) -> str:
    """The total ask and how much of it is secured, in one sentence."""
    s = ask_summary(status)
    if s["ask"] <= 0:
        return "No council's preferred way forward asks for money: there is nothing to fund."
    parts = [f"{fmt.money(s[k])} {STATUS_LABELS[k].lower()}" for k in STATUSES[1:] if s[k] > 0]
    text = (
        f"The total ask is {fmt.money(s['ask'])} in nominal cash ({fmt.money(s['capital'])} "
        f"capital, {fmt.money(s['revenue'])} revenue), of which {fmt.money(s['secured'])} "
        f"({fmt.pct(100 * s['secured_share'])}) is secured"
    )
    text += ("; " + fmt.prose_list(parts)) if parts else ""
    if s[GAP] > 0.005:
        return text + (
            f"; {fmt.money(s[GAP])} is not funded by any source: a funding gap that needs "
            "bridging (reserves or borrowing) or more funding before contracts are let."
        )
    return text + "; no part of it is left unfunded if every source applied for is granted."


def decisions_sought(p, ids, rest=()) -> pd.DataFrame:
    """One row per council with its preferred way forward and its ask by status, one row of
    the councils ``rest`` together (a summarised programme), and a ``programme`` row of the
    totals (from ``funding_status`` and each ``options_decision``)."""
    status = p.table("programme", "costs", "funding_status").set_index("authority")
    rows = []

    def recommended(a):
        d = p.table(a, "costs", "options_decision")
        return d[d["recommended"] == "yes"].iloc[0]

    for a in ids:
        rec = recommended(a)
        bau = rec["category"] == "bau"
        rows.append({
            "authority": a, "council": short(p.authority(a)["name"]),
            "way_forward": "Business as usual (no investment)" if bau
            else option_label(rec["category"], rec["name"]),
            **{k: float(status.at[a, k]) for k in ("ask", *STATUSES, GAP)},
        })  # fmt: skip
    if len(rest):
        rows.append({
            "authority": "others", "council": others_label(rest),
            "way_forward": _split_words(sum(recommended(a)["category"] == "bau" for a in rest),
                                        len(rest)),
            **{k: float(status.loc[list(rest), k].sum()) for k in ("ask", *STATUSES, GAP)},
        })  # fmt: skip
    total = {"authority": "programme", "council": "All councils", "way_forward": ""}
    total |= {k: float(status.at["programme", k]) for k in ("ask", *STATUSES, GAP)}
    return pd.DataFrame([*rows, total])


def _split_words(n_bau: int, n: int) -> str:
    """What the councils of an "other councils" row recommend: "40 invest; 14 business as
    usual (no investment)"."""
    parts = [f"{fmt.number(n - n_bau)} invest" if n > n_bau else "",
             f"{fmt.number(n_bau)} business as usual (no investment)" if n_bau else ""]  # fmt: skip
    return "; ".join(x for x in parts if x)


def others_label(rest) -> str:
    """The row of the councils a summarised table does not list one by one."""
    return f"The other {fmt.number(len(rest))} councils"


def decisions_table(p, ids, rest=()) -> str:
    df = decisions_sought(p, ids, rest)
    money = ["ask", *STATUSES, GAP]
    cols = [("council", "Council", "l"), ("way_forward", "Preferred way forward", "l"),
            ("ask", "Ask (£, nominal)", "r")]  # fmt: skip
    cols += [(k, STATUS_LABELS[k], "r") for k in money[1:]]
    return markdown_table(
        df, cols,
        caption="Decisions sought: each council's preferred way forward and its ask, by "
        "status of the funding (nominal cash over the appraisal period)",
        label="decisions", formatters=dict.fromkeys(money, fmt.money),
    )  # fmt: skip


def bridge(p, ids, names, rest=()) -> str:
    """Real cost -> optimism bias -> contingency -> inflation -> nominal, per council (the
    councils ``rest`` in one row), with the inflation assumption and its source."""
    req = p.table("programme", "costs", "financial_requirement")
    steps = ["base_real", "optimism_bias", "contingency", "inflation", "requirement"]
    by = req.groupby("authority", sort=False)[steps].sum()
    df = by.reindex(ids).reset_index()
    df["council"] = [short(names[a]) for a in df["authority"]]
    rows = [df]
    if len(rest):
        rows.append(pd.DataFrame([{"council": others_label(rest),
                                   **by.reindex(list(rest)).sum().to_dict()}]))  # fmt: skip
    total = {"council": "All councils", **by.reindex([*ids, *rest]).sum().to_dict()}
    df = pd.concat([*rows, pd.DataFrame([total])], ignore_index=True)
    table = markdown_table(
        df, [("council", "Council", "l")] + [(s, BRIDGE_LABELS[s], "r") for s in steps],
        caption="From real cost to nominal cash: the requirement of each preferred way forward "
        "(£, the council's own costs, incremental to business as usual)",
        label="bridge", formatters=dict.fromkeys(steps, fmt.money),
    )  # fmt: skip
    k0 = p.kf[(ids[0], "costs")]
    idx = req.drop_duplicates("financial_year").sort_values("year")
    ext = idx[idx["deflator_basis"] != "release"]
    years = ", ".join(f"{y} {v:.1f}" for y, v in zip(idx["financial_year"], idx["deflator_index"],
                                                      strict=True))  # fmt: skip
    return (
        table + "\nOptimism bias is the risk allowance of a strategic outline case, so the "
        "contingency the business-case input states counts only where it is larger than a cost "
        "line's uplift, never on top of it. Inflation takes real costs to cash with the GDP "
        f"deflator index ({k0['price_base_year']} = 100): {years}. Source: "
        f"{md_escape(str(k0['deflator_release']).split('. ')[0])}"
        + (
            f"; after {idx[idx['deflator_basis'] == 'release']['financial_year'].iloc[-1]} the "
            f"index is extended at {ext['deflator_basis'].iloc[0].removeprefix('extended at ')} "
            "(a project assumption)."
            if len(ext) and (idx["deflator_basis"] == "release").any() else "."
        )
        + "\n"
    )  # fmt: skip


def requirement_table(p, ids, names, rest=()) -> str:
    """Capital and revenue requirement by council and year (nominal) and how it is funded;
    with councils ``rest`` left out (a summarised programme), each council's total only (its
    years are in the programme workbook)."""
    df = funding_by_year(p.table("programme", "costs", "financial_requirement"),
                         p.table("programme", "costs", "funding_plan"))  # fmt: skip
    money = ["capital", "revenue", "total", *STATUSES, GAP]
    frames = []
    for a in ids:
        g = df[df["authority"] == a].sort_values("year")
        if g.empty:
            continue
        tot = {"council": short(names[a]), "financial_year": "Total", **g[money].sum().to_dict()}
        years = g.assign(council=short(names[a])) if not len(rest) else None
        frames.append(pd.concat([years, pd.DataFrame([tot])]))
    if not frames:
        return "No council's preferred way forward needs capital or revenue funding.\n"
    out = pd.concat(frames, ignore_index=True)
    cols = [
        ("council", "Council", "l"),
        ("financial_year", "Year", "l"),
        ("capital", "Capital", "r"),
        ("revenue", "Revenue", "r"),
        ("total", "Total", "r"),
    ]
    cols += [(s, STATUS_LABELS[s], "r") for s in (*STATUSES, GAP)]  # fmt: skip
    by = "by financial year" if not len(rest) else (
        "in total over its years (each year's requirement is in the programme workbook, sheet "
        "Financial requirement)"
    )  # fmt: skip
    if len(rest):
        cols = [c for c in cols if c[0] != "financial_year"]
    return markdown_table(
        out, cols,
        caption=f"Capital and revenue requirement of each preferred way forward {by}, and how "
        "it is funded (£, nominal cash, not discounted; revenue includes staff)",
        label="financial", formatters=dict.fromkeys(money, fmt.money),
    )  # fmt: skip


def cashable_table(p, ids, names, rest=()) -> str:
    """The councils' own cashable benefits by year (nominal), which the savings sources draw
    on; the councils ``rest`` in one column."""
    cash, years = {}, None
    for a in [*ids, *rest]:
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        aff = p.table(a, "costs", "affordability")
        own = aff[(aff["option_id"] == pref) & (aff["agency"] == "council")]
        # with councils left out (a summarised programme) one column of them all: a column
        # per council of ten or more does not fit the page
        key = (
            short(names[a]) if not len(rest) else f"All {fmt.number(len(ids) + len(rest))} councils"
        )
        by_year = own.groupby("financial_year")["cashable_benefits"].sum()
        cash[key] = by_year if key not in cash else cash[key].add(by_year, fill_value=0.0)
        fy = aff.drop_duplicates("financial_year").sort_values("year")["financial_year"]
        years = fy if years is None or len(fy) > len(years) else years
    wide = pd.DataFrame(cash).reindex(list(years)).fillna(0.0)
    wide.loc["Total"] = wide.sum()
    wide = wide.reset_index().rename(columns={"index": "year", "financial_year": "year"})
    return markdown_table(
        wide, [("year", "Year", "l")] + [(c, c, "r") for c in cash],
        caption="Cashable fiscal benefits to the councils' own budgets of the preferred ways "
        "forward (£, nominal cash by financial year): the most the cashable-savings source can "
        "draw, year by year (partners' savings do not fund a council)",
        label="cashable", formatters={c: fmt.money for c in cash},
    )  # fmt: skip


def sources_table(p, ids, names) -> str:
    """Each funding source by council: what it may fund, its status, expected and drawn."""
    src = p.table("programme", "costs", "funding_sources")
    src = src[src["authority"].isin(ids)].copy()
    src["council"] = [short(names[a]) for a in src["authority"]]
    src["may_fund"] = src["funds"].map(FUNDS_WORDS)
    src["status_words"] = src["status"].map(STATUS_LABELS)
    money = ["stated", "used"]
    return markdown_table(
        src, [("council", "Council", "l"), ("source", "Funding source", "l"),
              ("may_fund", "May fund", "l"), ("status_words", "Status", "l"),
              ("stated", "Expected (£)", "r"), ("used", "Drawn by the plan (£)", "r")],
        caption="Funding sources by council: what each may pay for, its status, what the council "
        "expects from it and what the plan draws (nominal cash)",
        label="funding", formatters=dict.fromkeys(money, fmt.money),
    )  # fmt: skip


def savings_sentence(p, ids, names) -> str:
    """Councils that expect more from cashable savings than their appraisal finds."""
    src = p.table("programme", "costs", "funding_sources")
    s = src[(src["kind"] == "cashable_savings") & src["authority"].isin(ids)]
    short_of = s[s["beyond_savings"].fillna(0).astype(float) > 0.005]
    text = (
        "The plan never draws more from cashable savings than the appraisal finds in the "
        "council's own budgets in the years so far (a tested check)"
    )
    if short_of.empty:
        return text + "; every council's expectation of its savings is within what it finds.\n"
    parts = [
        f"{md_escape(short(names[r.authority]))} expects {stated} but its appraisal finds "
        f"{found} ({fmt.money(r.beyond_savings)} short)"
        for r in short_of.itertuples(index=False)
        for stated, found in [fmt.money_apart(r.stated, r.savings_found)]
    ]
    return (
        text + ". " + fmt.prose_list(parts, "and") + ": that part must come from another "
        "source or be bridged, and the table above shows what is left unfunded.\n"
    )


def funding_markdown(p, ids, names) -> str:
    """The "Funding and the total ask" section: sentence, sources and the savings check."""
    status = p.table("programme", "costs", "funding_status")
    decisions = [
        f"{md_escape(r['source'])} (decision expected by month {int(r['decision_by_month'])})"
        for r in p.business_case["financial"]["funding_sources"]
        if r.get("decision_by_month") and r["status"] == "applied_for"
    ]
    lead = ask_sentence(status)
    if decisions:
        lead += " Applied for: " + fmt.prose_list(decisions) + "."
    return lead + "\n\n" + sources_table(p, ids, names) + "\n" + savings_sentence(p, ids, names)


def decisions_sentence(p, ids) -> str:
    """Which councils the board is asked to take to an outline business case, and which the
    appraisal says should wait (business as usual), from :func:`decisions_sought`."""
    df = decisions_sought(p, ids)
    df = df[df["authority"] != "programme"]
    go = df[~df["way_forward"].str.startswith("Business as usual")]
    wait = df[df["way_forward"].str.startswith("Business as usual")]
    text = (
        "proceed to an outline business case for the preferred way forward of "
        + fmt.prose_list(f"{r.council} ({r.way_forward})" for r in go.itertuples(index=False))
        if len(go) else "proceed to an outline business case in no council"
    )  # fmt: skip
    if len(wait):
        text += (
            "; keep business as usual for now in "
            + fmt.prose_list(wait["council"])
            + ", where no option is both affordable and value for money"
        )
    return text
