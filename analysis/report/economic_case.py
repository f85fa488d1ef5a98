"""Generated tables of the business case's economic case: results and the incremental analysis,
the optimism-bias uplifts and benefit timing against the roadmap (switching values and the
Monte Carlo are :mod:`analysis.report.economic_risk`).

Every number comes from a table the costs or journeys stage published; the small rules that
decide what a cell says (a BCR on a band boundary, a switching value no admissible input
reaches, a probability) are the tested functions here and in :mod:`analysis.costs.precision`.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.wording import option_label, short, with_decision

#: BCR edges of the DfT value-for-money bands (``analysis.costs.results.value_for_money_category``).
VFM_EDGES = (0.0, 1.0, 1.5, 2.0, 4.0)
#: An option category in words inside a sentence.
CATEGORY_WORDS = {"bau": "business as usual", "do_minimum": "Do minimum",
                  "preferred": "Proposed", "ambitious": "More ambitious"}  # fmt: skip


def bcr_text(pv_benefits, pv_costs) -> str:
    """A BCR as the tables print it: two decimals, or as many more (up to six) as it takes not
    to show it on the edge of a value-for-money band it does not reach (1.4996 is "1.4996",
    not "1.50": it is in the "low" band, below the "medium" edge). A ratio on or above an edge
    belongs to the higher band, so "1.50" is right for 1.5004. The ratio is formed from the
    published present values (to the penny), so the band the appraisal decided on the
    unrounded ratio can be read from the printed one."""
    if pv_costs is None or pd.isna(pv_costs) or float(pv_costs) <= 0:
        return fmt.DASH
    bcr = float(pv_benefits) / float(pv_costs)
    for digits in range(2, 7):
        text = fmt.ratio(bcr, digits)
        shown = float(text.replace(fmt.MINUS, "-"))
        below_an_edge = any(
            math.isclose(shown, e, abs_tol=1e-12) and bcr < e - 1e-12 for e in VFM_EDGES
        )
        if not below_an_edge:
            return text
    return f"{math.floor(bcr * 10**digits) / 10**digits:.{digits}f}"  # truncated: below it


def option_bcr_text(option) -> str:
    """:func:`bcr_text` of an option's key-figures record (its published present values), for
    sentences and tables that quote one option's BCR: the key figures' ``bcr`` is rounded to
    two decimals and can sit on a band edge the option does not reach."""
    try:
        return bcr_text(option["pv_benefits"], option["pv_costs"])
    except KeyError:  # a record without present values: its own (rounded) ratio
        return fmt.ratio(option["bcr"])


def _results(p, ids, names) -> pd.DataFrame:
    frames = []
    for a in ids:
        dec = p.table(a, "costs", "options_decision")
        df = with_decision(p.table(a, "costs", "options_results"), dec)
        df = df.merge(dec[["option_id", "offers_vfm", "eligibility"]], on="option_id", how="left")
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["option"] = [option_label(c, n) for c, n in zip(df["category"], df["name"], strict=True)]
    df["bcr_text"] = [bcr_text(b, c) for b, c in zip(df["pv_benefits"], df["pv_costs"],
                                                      strict=True)]  # fmt: skip
    return df


def _year(v) -> str:
    return "never" if pd.isna(v) else str(int(v))


def economic_results(p, ids, names) -> str:
    """The options appraised by each council (PV costs and benefits, NPSV, BCR, value-for-money
    band, the decision), then the incremental analysis and the two paybacks: each option
    against the next cheaper option that offers value for money
    (:mod:`analysis.costs.incremental`), the social payback year (all monetised benefits,
    discounted) and the council's cash payback year (its cashable benefits against its costs,
    nominal cash)."""
    df = _results(p, ids, names)
    results = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("option", "Option", "l"),
            ("pv_costs", "PV costs", "r"),
            ("pv_benefits", "PV benefits", "r"),
            ("npsv", "NPSV", "r"),
            ("bcr_text", "BCR", "r"),
            ("vfm", "Value for money", "l"),
            ("decision", "Decision", "l"),
        ],
        caption="Options appraised by each council, relative to business as usual "
        "(present values, £, every public body's costs and benefits), and what the appraisal "
        "concluded",
        label="economic",
        formatters={c: fmt.money for c in ("pv_costs", "pv_benefits", "npsv")},
    )
    labels = dict(zip(zip(df["council"], df["option_id"]), df["option"], strict=True))
    df["against"] = [
        "business as usual" if comp not in {o for (_c, o) in labels} else labels[(c, comp)]
        for c, comp in zip(df["council"], df["incremental_comparator"], strict=True)
    ]
    incremental = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("option", "Option", "l"),
            ("against", "Compared with", "l"),
            ("incremental_bcr", "Incremental BCR", "r"),
            ("payback_year", "Social payback year", "r"),
            ("cash_payback_year", "Cash payback year (council)", "r"),
        ],
        caption="Incremental analysis and payback: each option against the next cheaper "
        "option that offers value for money (business as usual when none does); the social "
        "payback counts every monetised benefit, discounted; the cash payback counts only the "
        "council's cashable benefits against its own costs, in nominal cash",
        label="incremental",
        formatters={
            "incremental_bcr": fmt.ratio,
            "payback_year": _year,
            "cash_payback_year": _year,
        },
    )
    return results + "\n" + vfm_note(p, ids) + "\n\n" + incremental + "\n" + incremental_note(df)


def vfm_note(p, ids) -> str:
    """What the value-for-money words mean and where they come from (findings 29, 40)."""
    bcrs = sorted({float(p.kf[(a, "costs")]["decision_min_bcr"]) for a in ids})
    low = ", the lower edge of the “low” band," if bcrs == [1.0] else ""
    return (
        "The value-for-money categories are the Department for Transport's (*Value for Money "
        "Framework*, 2015), borrowed from transport appraisal because the Green Book sets "
        "none: very poor (BCR 0 or less), poor (0 to 1), low (1 to 1.5), medium (1.5 to 2), "
        "high (2 to 4) and very high (4 or more). Each option's category is decided on its "
        "unrounded BCR, and a BCR exactly on a boundary belongs to the higher band; where two "
        "decimals would show a ratio on a boundary it does not reach, the table gives more. "
        "Under the councils' decision rule an option “offers value for money” when its NPSV "
        "is positive and its BCR is at least "
        + fmt.prose_list([fmt.ratio(b) for b in bcrs], "or")
        + f"{low} so an option of “low” value for money can be the preferred way forward."
    )


def incremental_note(df: pd.DataFrame) -> str:
    """The incremental BCRs below 1 of options that offer value for money (on their own,
    against business as usual) over a cheaper one that does, in words."""
    low = df[(df["incremental_bcr"] < 1) & (df["against"] != "business as usual")
             & (df["offers_vfm"] == "yes")]  # fmt: skip
    if low.empty:
        return (
            "Of the options that offer value for money on their own, none returns less than it "
            "costs in its step up from the next cheaper option that does (an option that does "
            "not offer value for money is ruled out whatever its incremental BCR).\n"
        )
    parts = [
        f"{r.council}'s “{r.option}” over “{r.against}” ({fmt.ratio(r.incremental_bcr)})"
        for r in low.itertuples()
    ]
    return (
        "The extra spending returns less than it costs (incremental BCR below 1) for "
        + fmt.prose_list(parts, "and")
        + ".\n"
    )


# ------------------------------------------------------------------------- optimism bias


def uplift_rows(cost_lines: pd.DataFrame, kf: dict) -> list[dict]:
    """Which cost lines of a council's short list carry which uplift, and why: one row per
    cost type, applied uplift and basis (``cost_lines.csv``: ``cost_type, confidence_grade,
    ob_uplift, uplift_basis``; ``kf`` the council's costs key figures), business as usual's
    lines left out. ``why`` names HM Treasury's bound and the mitigation, or the grade."""
    bau = kf["baseline_option_id"]
    lines = cost_lines[cost_lines["option_id"].astype(str) != str(bau)]
    category = str(kf["optimism_bias_category"]).replace("_", "/")
    mitigation = float(kf["optimism_bias_mitigation"])
    rows = []
    keys = ["cost_type", "uplift_basis", "ob_uplift", "confidence_grade"]
    for (ctype, basis, up, grade), g in lines.groupby(keys, sort=True):
        if basis == "hm_treasury":
            upper = float(up) / (1 - mitigation) if mitigation < 1 else float("nan")
            why = (
                f"HM Treasury optimism bias for {category} projects: the {fmt.pct(100 * upper)} "
                f"upper bound less the {fmt.pct(100 * mitigation)} of the risk the council's "
                "workbook judges mitigated (Supplementary Green Book Guidance: Optimism Bias, "
                "2003)"
            )
        elif basis == "confidence_grade":
            why = (
                f"Confidence grade {int(grade)} of its cost evidence (the project's convention "
                "for local partnerships); HM Treasury's optimism bias guidance (2003) gives an "
                "operating-cost bound only for outsourcing projects"
                if ctype != "capital"
                else f"Confidence grade {int(grade)} of its cost evidence, larger than HM "
                "Treasury's uplift"
            )
        else:
            why = "No uplift: the strongest evidence (grade 1) and no HM Treasury bound"
        rows.append({"cost_type": ctype, "uplift": float(up), "why": why,
                     "lines": int(g["line_id"].nunique())})  # fmt: skip
    return rows


TYPE_WORDS = {"capital": "Capital", "staff": "Staff", "revenue": "Other revenue (hosting, "
              "licences, support, training)"}  # fmt: skip


def uplifts(p, ids, names) -> str:
    """The optimism-bias and confidence-grade uplift each kind of cost carries (finding 13),
    councils with the same rows merged."""
    merged: dict[tuple, list[str]] = {}
    for a in ids:
        for r in uplift_rows(p.table(a, "costs", "cost_lines"), p.kf[(a, "costs")]):
            councils = merged.setdefault((r["cost_type"], r["uplift"], r["why"]), [])
            if short(names[a]) not in councils:  # several grades can give one row
                councils.append(short(names[a]))
    order = {"capital": 0, "staff": 1, "revenue": 2}
    rows = [
        {"type": TYPE_WORDS.get(t, t), "uplift": u, "why": w,
         "councils": "All councils" if len(c) == len(ids) and len(ids) > 1 else
         fmt.names_or_count(c)}
        for (t, u, w), c in sorted(merged.items(), key=lambda kv: (order.get(kv[0][0], 9),
                                                                   kv[0][1]))
    ]  # fmt: skip
    return markdown_table(
        pd.DataFrame(rows),
        [
            ("type", "Cost type", "l"),
            ("uplift", "Uplift applied", "r"),
            ("why", "Why, and its source", "l"),
            ("councils", "Councils", "l"),
        ],
        caption="The uplift each kind of cost carries in the economic case (the larger of HM "
        "Treasury's optimism bias and the confidence-grade uplift of the line's evidence; a "
        "council whose lines of one type carry different grades is in a row for each)",
        label="uplifts",
        formatters={"uplift": lambda v: fmt.pct(100 * float(v))},
    )


# ------------------------------------------------------------------------- benefit timing


def _action_titles(p, a) -> dict[str, str]:
    st = p.table(a, "journeys", "action_status")
    return dict(zip(st["action_id"].astype(str), st["title"].astype(str), strict=False))


VERDICT_WORDS = {"consistent": "Yes", "inconsistent": "No: counted too early",
                 "not_linked": "Not checked: no action named"}  # fmt: skip


def _timing_counts(p, a) -> dict[str, int]:
    """How many benefit lines of council ``a``'s preferred way forward have each timing result
    (:data:`VERDICT_WORDS`), and how many of its other options' lines are counted too early."""
    bt = p.table(a, "journeys", "benefit_timing")
    pref = bt["option_id"].astype(str) == str(p.kf[(a, "costs")]["preferred_option_id"])
    out = {k: int((bt.loc[pref, "result"] == k).sum()) for k in VERDICT_WORDS}
    out["other_inconsistent"] = int((bt.loc[~pref, "result"] == "inconsistent").sum())
    return out


def benefit_timing_summary(p, ids, names, rest) -> str:
    """For a programme too large to list every benefit line (a summarised one): the councils
    ``ids``' counts of lines that wait for their roadmap actions and of those that do not, and
    the same counted over every council (``ids`` and ``rest``). Each line is in the programme
    workbook."""
    counts = {a: _timing_counts(p, a) for a in [*ids, *rest]}
    df = pd.DataFrame(
        [{"council": short(names[a]), "lines": sum(counts[a][k] for k in VERDICT_WORDS),
          **{k: counts[a][k] for k in VERDICT_WORDS}} for a in ids]
    )  # fmt: skip
    total = {k: sum(c[k] for c in counts.values()) for k in [*VERDICT_WORDS, "other_inconsistent"]}
    early = [a for a, c in counts.items() if c["inconsistent"]]
    other = [a for a, c in counts.items() if c["other_inconsistent"]]
    n = fmt.number(len(counts))
    lines = sum(total[k] for k in VERDICT_WORDS)
    unlinked = total["not_linked"]
    note = (
        f"Across all {n} councils, {fmt.number(total['consistent'])} of the "
        f"{fmt.plural(lines, 'benefit line')} of the preferred ways forward start only once the "
        "roadmap has delivered the actions that create them"
        + (f" ({fmt.number(unlinked)} name no action)" if unlinked else "")
        + ". Lines counted before their actions are done: "
        f"{fmt.number(total['inconsistent'])} of the preferred ways forward (in "
        f"{fmt.plural(len(early), 'council')}) and {fmt.number(total['other_inconsistent'])} of "
        f"the other short-listed options (in {fmt.plural(len(other), 'council')}). Every line, "
        "with its reason, is in the programme workbook (sheet Benefit timing).\n"
    )
    if df.empty:
        return note
    table = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("lines", "Benefit lines", "r"),
            ("consistent", "Wait for their actions", "r"),
            ("inconsistent", "Counted too early", "r"),
            ("not_linked", "Name no action", "r"),
        ],
        caption="Whether the benefits of the preferred ways forward wait for the roadmap "
        "actions that deliver them: benefit lines by council",
        label="benefit-timing",
        formatters=dict.fromkeys(["lines", *VERDICT_WORDS], fmt.number),
    )
    return table + "\n" + note


def benefit_timing(p, ids, names, rest=()) -> str:
    """Each benefit line of the preferred ways forward against the roadmap actions that deliver
    it (``benefit_timing.csv`` of the journeys stage), and every inconsistency in words,
    those of the other short-listed options too; with councils ``rest`` left out, counts
    (:func:`benefit_timing_summary`)."""
    if len(rest):
        return benefit_timing_summary(p, ids, names, rest)
    rows, other = [], []
    for a in ids:
        bt = p.table(a, "journeys", "benefit_timing")
        pref = str(p.kf[(a, "costs")]["preferred_option_id"])
        titles = _action_titles(p, a)
        for r in bt.itertuples(index=False):
            if str(r.option_id) != pref:
                if r.result == "inconsistent":
                    other.append((short(names[a]), CATEGORY_WORDS.get(r.option_category,
                                  r.option_category), r.outcome))  # fmt: skip
                continue
            ids_ = [x for x in str(r.delivered_by).split(";") if x and x != "nan"]
            rows.append(
                {
                    "council": short(names[a]),
                    "outcome": r.outcome,
                    "actions": fmt.prose_list([titles.get(x, x) for x in ids_], "and") or fmt.DASH,
                    "ready": fmt.DASH if pd.isna(r.ready_month) else str(int(r.ready_month)),
                    "first": f"{int(r.lag_years)} (month {int(r.first_benefit_month)})",
                    "verdict": VERDICT_WORDS[r.result],
                    "reason": r.reason,
                }
            )
    df = pd.DataFrame(rows)
    if df.empty:
        return "No council's preferred way forward has a monetised benefit to time.\n"
    table = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("outcome", "Benefit", "l"),
            ("actions", "Delivered by (roadmap actions)", "l"),
            ("ready", "Actions done by month", "r"),
            ("first", "First year of benefit", "r"),
            ("verdict", "Waits for them?", "l"),
        ],
        caption="When the benefits of the preferred ways forward start, against the month the "
        "roadmap actions that deliver them are done (month 0 is the start of year 0; an "
        "action in place counts as done at month 0)",
        label="benefit-timing",
    )
    bad = df[df["verdict"] != "Yes"]
    if bad.empty:
        note = (
            "Every benefit of the preferred ways forward starts only once the roadmap has "
            "delivered the actions that create it."
        )
    else:
        note = "Not every benefit waits for what creates it: " + " ".join(
            f"{r.council}, “{md_escape(r.outcome)}”: {md_escape(r.reason)}"
            for r in bad.itertuples()
        )
    if other:
        note += (
            " Among the other short-listed options, benefits are counted before the roadmap "
            "delivers them in "
            + fmt.prose_list(f"{c} (“{o}”, “{md_escape(b)}”)" for c, o, b in other)
            + "."
        )
    else:
        note += " The same holds for every other short-listed option."
    return table + "\n" + note + "\n"
