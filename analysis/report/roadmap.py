"""Generated roadmap tables: the consolidated programme roadmap, each council's roadmap with
what triggered every action, the actions already in place, and the spending-objectives check.

All of it as the journeys stage published it: which actions a council needs, why, what each
waits for and whether the schedule meets each objective are decided there
(``analysis.journeys``); this module only lays the tables out.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table
from analysis.report.wording import short


def _words(v) -> str:
    """An id such as ``information_governance_lead`` as words."""
    return fmt.DASH if pd.isna(v) or v == "" else str(v).replace("_", " ").replace(";", ", ")


def _councils(p, ids) -> str:
    if pd.isna(ids) or not str(ids):
        return fmt.DASH
    return fmt.prose_list(short(p.authority(a)["name"]) for a in str(ids).split(";"))


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


def roadmap_table(p, aid, caption, label) -> str:
    df = p.table(aid, "journeys", "roadmap").copy()
    titles = dict(zip(df["action_id"], df["title"], strict=True))
    df["owner_role"] = df["owner_role"].map(_words)
    df["months"] = [f"{s}–{e}" for s, e in zip(df["start_month"], df["end_month"], strict=True)]
    df["why"] = df["trigger_trace"].fillna(fmt.DASH)
    df["waits"] = df["waits_for"].map(
        lambda w: fmt.DASH if pd.isna(w) or not str(w) else f"{w} {titles.get(w, '')}".strip()
    )
    if "prerequisites_deferred" in df.columns:
        later = df["prerequisites_deferred"].fillna("").astype(str)
        df["waits"] = [
            ("" if w == fmt.DASH else f"{w}; ")
            + f"goes ahead without {fmt.prose_list(d.split(';'))} (deferred)"
            if d
            else w
            for w, d in zip(df["waits"], later, strict=True)
        ]
    df = df.sort_values(["start_month", "action_id"], kind="stable")
    return markdown_table(
        df,
        [
            ("phase", "Phase", "l"),
            ("action_id", "Id", "l"),
            ("title", "Action", "l"),
            ("months", "Months", "r"),
            ("why", "Why: the finding that triggers it", "l"),
            ("waits", "Waits for", "l"),
            ("owner_role", "Owner", "l"),
        ],
        caption=caption,
        label=label,
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


def objectives_check(p, scope: str, label: str) -> str:
    """Whether the roadmap's schedule meets each spending objective, council by council."""
    df = p.table(scope, "journeys", "objectives_check").copy()
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
            where = fmt.prose_list(short(names.get(a, a)) for a in rows.loc[~defer, "authority"])
            bits.append(f"not met in {where}{late}")
        if defer.any():
            where = fmt.prose_list(short(names.get(a, a)) for a in rows.loc[defer, "authority"])
            bits.append(f"not met in {where}, where the preferred way forward does not "
                        "include the actions that deliver it")  # fmt: skip
        parts.append(f"{r['objective_id']} (due by month {int(r['by_month'])}) is "
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
        df = p.table("programme", "journeys", name).sort_values("programme_rank").head(TOP_RANKED)
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
                "1 to 5",
                label=label,
            )
        )
    return "\n".join(out)
