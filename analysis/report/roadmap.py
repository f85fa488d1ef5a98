"""Generated roadmap tables: the consolidated programme roadmap, each council's roadmap with
what triggered every action, the actions already in place, and the spending-objectives check.

All of it as the journeys stage published it: which actions a council needs, why, what each
waits for and whether the schedule meets each objective are decided there
(``analysis.journeys``); this module only lays the tables out.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.summaries import summarised
from analysis.report.wording import short


def _name(aid, title) -> str:
    """An action as board text names it: ``Shared data warehouse for the service area (A07)``."""
    return f"{title} ({aid})" if title else str(aid)


def _words(v) -> str:
    """An id such as ``information_governance_lead`` as words."""
    return fmt.DASH if pd.isna(v) or v == "" else str(v).replace("_", " ").replace(";", ", ")


def _councils(p, ids) -> str:
    if pd.isna(ids) or not str(ids):
        return fmt.DASH
    ids = str(ids).split(";")
    return councils_words(p, ids, {a: p.authority(a)["name"] for a in ids})


def programme_roadmap(p) -> str:
    df = p.table("programme", "journeys", "roadmap").copy()
    df["owner_role"] = df["owner_role"].map(_words)
    df["needed_in"] = df["authorities"].map(lambda v: _councils(p, v))
    df["months"] = [f"{s}–{e}" for s, e in zip(df["start_month"], df["end_month"], strict=True)]
    return markdown_table(
        df,
        [
            ("lifecycle_stage", "Stage", "l"),
            ("action_id", "Id", "l"),
            ("title", "Action", "l"),
            ("needed_in", "Needed in", "l"),
            ("months", "Months", "r"),
            ("owner_role", "Owner", "l"),
        ],
        caption="Consolidated programme roadmap: each action, the councils whose roadmap has it, "
        "and the months from the first council's start to the last council's end",
        label="programme-roadmap",
    )


def _funded(row) -> str:
    """The "Funded by" cell: existing budgets, the preferred way forward's cost lines, or
    none (an unfunded action)."""
    if str(row["funded_by"]) == "existing_budgets":
        return "Existing budgets"
    lines = [x for x in str(row["cost_lines"]).split(";") if x and x != "nan"]
    return f"Lines {', '.join(lines)}" if lines else "No cost line (unfunded)"


def roadmap_table(p, aid, caption, label) -> str:
    """A council's roadmap: each action with the finding that triggers it, what it waits for,
    its owner and what pays for it, then the cost lines of the preferred way forward that the
    "Funded by" column names (:func:`funding_table`)."""
    df = p.table(aid, "journeys", "roadmap").copy()
    titles = dict(zip(df["action_id"], df["title"], strict=True))
    status = p.table(aid, "journeys", "action_status")
    titles |= dict(zip(status["action_id"], status["title"], strict=True))
    df["owner_role"] = df["owner_role"].map(_words)
    df["months"] = [
        f"{s}–{e} ({ph})"
        for s, e, ph in zip(df["start_month"], df["end_month"], df["phase"], strict=True)
    ]
    df["why"] = df["trigger_trace"].fillna(fmt.DASH)
    df["waits"] = df["waits_for"].map(
        lambda w: fmt.DASH if pd.isna(w) or not str(w) else _name(w, titles.get(w, ""))
    )
    if "prerequisites_deferred" in df.columns:
        later = (
            df["prerequisites_deferred"]
            .astype(object)
            .where(df["prerequisites_deferred"].notna(), "")
            .astype(str)
        )
        df["waits"] = [
            ("" if w == fmt.DASH else f"{w}; ")
            + "goes ahead without "
            + fmt.prose_list(_name(x, titles.get(x, "")) for x in d.split(";"))
            + " (deferred)"
            if d
            else w
            for w, d in zip(df["waits"], later, strict=True)
        ]
    df["funded_cell"] = [_funded(r) for _, r in df.iterrows()]
    df = df.sort_values(["start_month", "action_id"], kind="stable")
    table = markdown_table(
        df,
        [
            ("action_id", "Id", "l"),
            ("title", "Action", "l"),
            ("months", "Months (phase)", "l"),
            ("why", "Why: the finding that triggers it", "l"),
            ("waits", "Waits for", "l"),
            ("owner_role", "Owner", "l"),
            ("funded_cell", "Funded by", "l"),
        ],
        caption=caption,
        label=label,
    )
    return table + "\n" + funding_table(p, aid, df, f"funding{label.removeprefix('roadmap')}")


def funding_table(p, aid, roadmap: pd.DataFrame, label: str) -> str:
    """The cost lines of the council's preferred way forward, each with the roadmap actions
    traced to it (the journeys stage's ``cost_lines`` column of the roadmap: by the kind of
    cost and the option tier, :mod:`analysis.journeys.funding`), and a sentence on the actions
    within existing budgets and any the cost lines do not pay for."""
    kf = p.kf[(aid, "costs")]
    budgets = roadmap[roadmap["funded_by"].astype(str) == "existing_budgets"]
    unfunded = roadmap[~roadmap["funded"].astype(str).str.lower().eq("true")]
    unfunded = unfunded[unfunded["funded_by"].astype(str) != "existing_budgets"]
    parts = []
    if len(budgets):
        owners = fmt.prose_list(sorted({_words(o).lower() for o in budgets["owner_role"]}))
        parts.append(
            f"{len(budgets)} of the {len(roadmap)} actions are no-regret actions delivered "
            f"within existing budgets (staff time and systems the council already has): their "
            f"owners ({owners}) confirm this before the outline business case."
        )
    if len(unfunded):
        parts.append(
            "No cost line of the preferred way forward pays for "
            + fmt.prose_list(_name(a, t) for a, t in zip(unfunded["action_id"],
                                                         unfunded["title"], strict=True))
            + ": the cost workbook must add the lines, or the action must wait."
        )  # fmt: skip
    dec = p.table(aid, "costs", "options_decision")
    rec = dec[dec["recommended"].astype(str).str.lower() == "yes"]
    chosen = "" if rec.empty or str(rec["category"].iloc[0]) == "bau" else rec["option_id"].iloc[0]
    lines = p.table(aid, "costs", "cost_lines")
    lines = lines[lines["option_id"].astype(str) == str(chosen)].copy()
    if lines.empty:
        parts.append("The appraisal recommends no option, so no cost line pays for an action.")
        return " ".join(parts) + "\n"
    pays = {}
    for a, t, cells in zip(roadmap["action_id"], roadmap["title"],
                           roadmap["cost_lines"].fillna("").astype(str), strict=True):  # fmt: skip
        for lid in (x for x in cells.split(";") if x):
            pays.setdefault(lid, []).append(str(a))
    lines["pays_for"] = [", ".join(pays.get(str(lid), [])) or fmt.DASH for lid in lines["line_id"]]
    intro = (
        " ".join(parts)
        + f" The other actions are paid for by the cost lines of the preferred way forward, "
        f"{md_escape(kf['preferred_option_name'])}, of the kinds (capital, revenue, staff) each "
        "action needs, in the option tier it belongs to: a trace by kind of cost, not an "
        "allocation of money, since one line can serve several actions.\n\n"
    )
    return intro + markdown_table(
        lines,
        [
            ("line_id", "Line", "l"),
            ("description", "Cost line", "l"),
            ("cost_type", "Type", "l"),
            ("amount", "Total (£, real, undiscounted)", "r"),
            ("pays_for", "Pays for (actions)", "l"),
        ],
        caption="The cost lines of the preferred way forward and the roadmap actions each pays for",
        label=label,
        formatters={"amount": fmt.money},
    )


def in_place_table(p, aid, label) -> str:
    """Actions the council does not need because its journey map shows them in place, then
    the actions its findings call for but its appraisal's way forward does not include."""
    all_st = p.table(aid, "journeys", "action_status")
    st = all_st[all_st["status"].isin(["in_place", "assumed_in_place"])].copy()
    cols = [("action_id", "Id", "l"), ("title", "Action", "l"), ("why", "Evidence", "l")]
    if st.empty:
        out = (
            "No action of the rule table is already in place on the evidence of the journey map.\n"
        )
    else:
        st["why"] = st["trace"].fillna(fmt.DASH)
        out = markdown_table(
            st,
            cols,
            caption="Actions already in place: not scheduled, and nothing waits for them",
            label=label,
        )
    deferred = all_st[all_st["status"] == "deferred"].copy()
    if deferred.empty:
        return out
    deferred["why"] = deferred["trace"].fillna(fmt.DASH)
    return (
        out
        + "\n"
        + markdown_table(
            deferred,
            [cols[0], cols[1], ("why", "Why it is deferred", "l")],
            caption="Actions deferred because the appraisal does not support the investment: "
            "not scheduled, and nothing waits for them",
            label=f"deferred{label.removeprefix('in-place')}",
        )
    )


def objectives_check(p, scope: str, label: str, councils=None) -> str:
    """Whether the roadmap's schedule meets each spending objective, council by council (and
    for the programme): every council, or those of ``councils`` (a summarised league)."""
    df = p.table(scope, "journeys", "objectives_check").copy()
    if councils is not None:
        df = df[df["authority"].isin([*councils, "programme"])]
    df["council"] = df["authority"].map(
        lambda a: "All councils" if a == "programme" else short(p.authority(a)["name"])
    )
    df["answer"] = (
        df["result"]
        .map({"met": "yes", "not_met": "no", "not_applicable": "not needed"})
        .fillna(df["result"])
    )
    return markdown_table(
        df,
        [
            ("objective_id", "Objective", "l"),
            ("council", "Council", "l"),
            ("by_month", "Due by month", "r"),
            ("answer", "Met?", "l"),
            ("reason", "Why", "l"),
        ],
        caption="Can the roadmap meet the spending objectives in time?",
        label=label,
    )


def _objective_text(p, oid) -> str:
    """``: “<the objective as the council states it>”`` for a sentence that names an
    objective by id, so a reader of a summary need not look the id up (empty when the
    business-case input does not state it)."""
    for so in (getattr(p, "business_case", None) or {}).get("spending_objectives", []):
        if str(so.get("id")) == str(oid):
            text = " ".join(str(so.get("objective", "")).split()).rstrip(".")
            return f": “{text}”" if text else ""
    return ""


def councils_words(p, ids, names) -> str:
    """The councils of a sentence by name, or in a :func:`summarised` programme, where there
    may be dozens, their number (more than :data:`~analysis.report.summaries.LEAGUE_SIZE`)."""
    from analysis.report.summaries import LEAGUE_SIZE

    ids = list(ids)
    if summarised(p) and len(ids) > LEAGUE_SIZE:
        return f"{fmt.word(len(ids))} councils"
    return fmt.prose_list(short(names.get(a, a)) for a in ids)


def objectives_sentence(p, names: dict[str, str]) -> str:
    """What the spending-objectives check (``objectives_check``, programme level) concluded,
    for the summaries: every objective met in time, or each one that is not, with the councils
    where it fails and the month its last action ends."""
    df = p.table("programme", "journeys", "objectives_check")
    prog = df[df["authority"] == "programme"]
    failing = prog[prog["result"] == "not_met"]
    if failing.empty:
        return "On the roadmap's schedule every spending objective is met in time."
    parts, deferred_in, late_in = [], set(), set()
    for _, r in failing.iterrows():
        rows = df[(df["objective_id"] == r["objective_id"]) & (df["authority"] != "programme")
                  & (df["result"] == "not_met")]  # fmt: skip
        defer = rows["actions_deferred"].fillna("").astype(str) != ""
        deferred_in |= set(rows.loc[defer, "authority"])
        late_in |= set(rows.loc[~defer, "authority"])
        bits = []
        if (~defer).any():
            end = rows.loc[~defer, "latest_end_month"].dropna()
            late = f", where its actions end by month {int(end.max())}" if len(end) else ""
            where = councils_words(p, rows.loc[~defer, "authority"], names)
            bits.append(f"not met in {where}{late}")
        if defer.any():
            where = councils_words(p, rows.loc[defer, "authority"], names)
            missing = []
            for a, cell in zip(rows.loc[defer, "authority"], rows.loc[defer, "actions_deferred"],
                               strict=True):  # fmt: skip
                st = p.table(a, "journeys", "action_status")
                titles = dict(zip(st["action_id"], st["title"], strict=True))
                missing += [_name(x, titles.get(x, "")) for x in str(cell).split(";") if x]
            missing = sorted(set(missing), key=missing.index)
            bits.append(f"not met in {where}, where the preferred way forward does not "
                        f"include {fmt.prose_list(missing, 'or')}, which "
                        f"{'delivers' if len(missing) == 1 else 'deliver'} it")  # fmt: skip
        text = _objective_text(p, r["objective_id"])
        parts.append(f"{r['objective_id']} (due by month {int(r['by_month'])}{text}) is "
                     + " and ".join(bits))  # fmt: skip
    advice = []
    if late_in:
        advice.append("where actions end too late, the board should re-phase the roadmap or "
                      "re-date the objective before the outline business case")  # fmt: skip
    if deferred_in:
        advice.append("where the appraisal does not support the investment, the objective "
                      "should be re-scoped for those councils, or the case for the investment "
                      "made with new evidence")  # fmt: skip
    advice_text = "; ".join(advice)
    return (
        "On the roadmap's schedule, spending objective "
        + "; ".join(parts)
        + ". "
        + advice_text[0].upper()
        + advice_text[1:]
        + "."
    )


#: Rows of the programme's tool and stage rankings shown in the roadmap (the full tables are
#: published as CSV).
TOP_RANKED = 10


def programme_rankings(p) -> str:
    """The programme's tool and stage rankings (the journeys stage's ``programme_rank``: every
    council's tools and stages scored on impact, value added and criticality, ranked by total),
    the first :data:`TOP_RANKED` of each."""
    out = []
    for name, key, heading, label in (
        ("tool_ranking", "system", "Tool", "programme-tools"),
        ("stage_ranking", "stage", "Stage", "programme-stages"),
    ):
        every = p.table("programme", "journeys", name).sort_values("programme_rank")
        df = every.head(TOP_RANKED)
        tie = _tied_beyond(every, TOP_RANKED)
        df = df.assign(
            council=[short(p.authority(a)["name"]) for a in df["authority"]],
        )
        if key == "stage":  # a stage id in words; a system keeps its own name ("Power BI")
            df[key] = df[key].map(lambda v: str(v).replace("_", " ").capitalize())
        out.append(
            markdown_table(
                df,
                [
                    ("programme_rank", "Rank", "r"),
                    (key, heading, "l"),
                    ("council", "Council", "l"),
                    ("impact", "Impact", "r"),
                    ("value_added", "Value added", "r"),
                    ("criticality", "Criticality", "r"),
                    ("total", "Total", "r"),
                ],
                caption=f"The {TOP_RANKED} highest-scoring {heading.lower()}s across the "
                "programme: impact, value added and criticality to the final decision, each "
                "1 to 5"
                + (
                    f" (tied with the last shown: {fmt.plural(tie, 'more ' + heading.lower())}, "
                    "ranked after it by council id; every council's are in its case study)"
                    if tie
                    else ""
                ),
                label=label,
            )
        )
    return "\n".join(out)


def _tied_beyond(ranked: pd.DataFrame, n: int) -> int:
    """How many rows after the first ``n`` of a programme ranking score exactly as the last of
    them (total, criticality and impact: the ranking's keys before the council id), so a
    table cut at ``n`` can say that its cut falls inside a tie."""
    if len(ranked) <= n:
        return 0
    keys = ["total", "criticality", "impact"]
    last = ranked.iloc[n - 1][keys]
    rest = ranked.iloc[n:]
    return int((rest[keys] == last).all(axis=1).sum())


def scoring_rubric() -> str:
    """How the journeys stage scores a tool or a stage (``analysis.journeys.tools``), for the
    roadmap and the case studies: the rubric a reader needs to recompute every score."""
    return (
        "How each score is computed (each 1 to 5, the product rounded to the nearest whole "
        "number, halves up), so a reader can recompute it from the journey register:\n\n"
        "- **Impact**, how much of the service's data passes through the tool: 1 + 4 × the "
        "share of the council's records a year (the streams' volumes) whose journey uses it. "
        "It is weighted by records, not streams, so a stream of 14,000 contacts a year counts "
        "for more than one of 40 incident reports (when a stream has no volume recorded, the "
        "share of streams is used instead).\n"
        "- **Value added**, how far the tool carries data towards use and how trustworthy "
        "what it holds is: 1 + 2 × its position on the journey (the latest stage it serves, "
        "from 0 at capture to 5/6 at analysis) + 2 × its data quality (the mean over the "
        "stages it serves of the data-quality audit: yes 1, partial ½, none or re-keyed by "
        "hand 0).\n"
        "- **Criticality**, how much the final product, the decision, depends on it: 1 + 4 × "
        "the share of the streams that reach a decision whose journey uses it. It counts "
        "streams, not records: a decision that rests on a small stream, such as police "
        "notifications, depends on the tool as much as one that rests on a large one.\n\n"
        "The total is the sum of the three; ties are ranked by criticality, then impact. A "
        "stage is scored the same way over the streams on which it happens, its position being "
        "its own place on the journey.\n"
    )


def systems_summary_table(p, names: dict[str, str], councils=None) -> str:
    """The councils' systems inventories summarised for the programme (the journeys stage's
    ``systems_summary``): hosting, how many systems exchange data automatically, and which
    council has a warehouse, a single view or automated reporting (the capabilities the
    roadmap's in-place evidence rests on), with a sentence saying so."""
    df = p.table("programme", "journeys", "systems_summary").copy()
    df["council"] = [short(names.get(a, a)) for a in df["authority"]]
    recorded = df["recorded"].astype(str).isin(["True", "true"])
    host = (("n_on_premises", "on premises"), ("n_cloud", "council cloud"),
            ("n_supplier_hosted", "supplier-hosted"), ("n_partner_hosted", "partner-hosted"),
            ("n_not_it", "not IT"))  # fmt: skip
    df["hosting"] = [
        ", ".join(f"{int(r[c])} {w}" for c, w in host if not pd.isna(r[c]) and int(r[c]))
        if ok
        else "Not recorded"
        for (_, r), ok in zip(df.iterrows(), recorded, strict=True)
    ]
    caps = [dict(x.split(":", 1) for x in str(v).split(";") if ":" in x)
            for v in df["systems_with_capabilities"].fillna("")]  # fmt: skip
    none = "No system"  # words, not a value that reads as missing
    for c in ("warehouse", "single_view", "automated_reporting"):
        df[c] = [
            (cap[c].replace("|", ", ") if c in cap else none) if ok else "Not recorded"
            for cap, ok in zip(caps, recorded, strict=True)
        ]
    with_wh = [n for n, w in zip(df["council"], df["warehouse"], strict=True)
               if w not in (none, "Not recorded")]  # fmt: skip
    missing = [
        w
        for c, w in (
            ("single_view", "a single view of the person or family"),
            ("automated_reporting", "automated statutory reporting"),
        )  # fmt: skip
        if not (df.loc[recorded, c] != none).any()
    ]
    sentence = (
        f"Each council's register names its systems with their owner, hosting and how they "
        f"exchange data (its Systems sheet). {len(with_wh)} of the {len(df)} councils run a "
        f"shared data warehouse"
        + (
            f" ({fmt.prose_list(md_escape(n) for n in with_wh)})"
            if with_wh and len(with_wh) <= fmt.NAMES_UP_TO
            else ""
        )  # fmt: skip
        + (
            f"; none has {fmt.prose_list(missing, 'or')}, so the roadmap schedules "
            "what would provide it rather than assuming it is in place."
            if missing
            else "."
        )
        + "\n\n"
    )  # over every council; a summarised programme's table shows its league's councils only
    if councils is not None:
        df = df[df["authority"].isin(councils)]
    return sentence + markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("n_systems", "Systems", "r"),
            ("hosting", "Hosting", "l"),
            ("n_integrated", "Automated exchange", "r"),
            ("n_manual_only", "Manual or none", "r"),
            ("warehouse", "Warehouse", "l"),
            ("single_view", "Single view", "l"),
            ("automated_reporting", "Automated reports", "l"),
        ],
        caption="The councils' systems: hosting, how many exchange data automatically (by file "
        "transfer, API or shared database) and how many only by manual export or not at all, "
        "and which provide the capabilities the roadmap asks about",
        label="systems-summary",
        formatters={
            "n_integrated": lambda v: fmt.DASH if pd.isna(v) else str(int(v)),
            "n_manual_only": lambda v: fmt.DASH if pd.isna(v) else str(int(v)),
        },
    )
