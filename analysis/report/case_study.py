"""Generated tables of a council's case study: gaps, maturity, survey, quotes, SWOT, options."""

from __future__ import annotations

import re

import pandas as pd

from analysis.coding import TOO_FEW
from analysis.coding.reliability import MIN_APPLIED
from analysis.core import formatting as fmt
from analysis.core.vocabulary import (
    CAPABILITY_WORDS,
    HOSTING_WORDS,
    INTEGRATION_WORDS,
    SOURCE_WORDS,
)
from analysis.report.case_findings import pooled_readings
from analysis.report.economic_case import bcr_text
from analysis.report.evidence import effective_reading
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.wording import (
    CHANNEL_WORDS,
    FREQUENCY_WORDS,
    construct_label,
    option_label,
    with_decision,
    words_for,
)


def gaps_table(p, aid) -> str:
    df = p.table(aid, "journeys", "gap_summary")
    df = df[df["n_streams"] > 0].copy()
    df["streams"] = [
        f"{int(n)} of {int(t)}" for n, t in zip(df["n_streams"], df["n_streams_total"], strict=True)
    ]
    df["dq_dimension"] = df["dq_dimension"].astype(str).replace("none", fmt.DASH)
    return markdown_table(
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


def maturity_table(p, aid) -> str:
    df = p.table(aid, "journeys", "maturity_levels").copy()
    df["theme"] = df["theme"].map(lambda t: str(t).capitalize())  # a theme in words
    return markdown_table(
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


def survey_table(p, aid) -> str:
    s = p.table(aid, "survey", "construct_summary")
    s = s[s["group"].astype(str) == "all"].copy()
    kf = p.kf[(aid, "survey")]["constructs"]
    s["label"] = s["construct"].map(lambda c: construct_label(p, c))
    s["alpha"] = s["construct"].map(lambda c: kf[c]["alpha"] if c in kf else None)
    return markdown_table(
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


def _sentences(text: str) -> set[str]:
    return {s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", str(text)) if s.strip()}


def quotes(p, aid) -> str:
    """One quote per research question, in rank order, skipping a quote that repeats a
    sentence of one already shown (two people can say the same thing; a reader should not
    see it twice)."""
    df = p.table(aid, "coding", "leading_codes")
    df = df[df["quote"].notna()].sort_values(["research_question", "rank"], kind="stable")
    keep, seen, done = [], set(), set()
    for i, r in df.iterrows():
        said = _sentences(r["quote"])
        if r["research_question"] in done or said & seen:
            continue
        keep.append(i)
        seen |= said
        done.add(r["research_question"])
    df = df.loc[keep]
    if df.empty:
        return ""
    lines = ["In their own words (excerpts cleared for publication, attributed by role):\n"]
    pooled = pooled_readings(p)
    for _, r in df.iterrows():
        reading, basis = effective_reading(r["reliability"], pooled.get(str(r["code"])))
        note = {"reliable": "", "tentative": "tentative"}.get(reading, reading)
        if basis == "pooled":
            note = f"{reading} across all councils"
        coded = f"coded “{r['label']}”" + (f", {note}" if note else "")
        lines.append(
            f"> “{md_escape(r['quote'])}” — {md_escape(r['attribution'])} ({md_escape(coded)})\n"
        )
    return "\n".join(lines)


def agreement_words(own, pooled=None) -> str:
    """The coders' agreement a case study shows for a code: the council's own reading, or,
    when it has too few excerpts of the code to judge, that and the pooled reading."""
    own = str(own)
    if own == TOO_FEW:
        return "too few here to judge" + (f" (all councils: {pooled})" if pooled else "")
    return {"undefined": "not measurable"}.get(own, own)


def swot_table(p, aid) -> str:
    df = p.table(aid, "coding", "swot_evidence")
    df = df[df["n_excerpts"].fillna(1) > 0].copy()
    df["swot"] = df["swot"].str.capitalize()
    pooled = pooled_readings(p)
    df["agreement"] = [agreement_words(r, pooled.get(str(c)))
                       for r, c in zip(df["reliability"], df["code"], strict=True)]  # fmt: skip
    marker = p.rule.marker
    return markdown_table(
        df,
        [
            ("swot", "Quadrant", "l"),
            ("label", "Evidence (workshop code)", "l"),
            ("n_excerpts", "Excerpts", "r"),
            ("n_sessions", "Sessions", "r"),
            ("agreement", "Coders' agreement", "l"),
        ],
        caption="Strengths, weaknesses, opportunities and threats from the workshops. Counts "
        f"of excerpts are shown as they are, except {marker}: a count whose excerpts all come "
        f"from sessions of {p.rule.min_count - 1} people or fewer in all, suppressed. "
        "Agreement is measured on this council's own double-coded excerpts, or, where fewer "
        f"than {MIN_APPLIED} of them carry the code from either coder (too few to judge), on "
        "every council's. That base can exceed the excerpts counted here, which carry the "
        "code in the consensus coding; only codes reliable or tentative "
        "(alpha at least 0.667) are relied on in the findings below",
        label="swot",
        formatters={
            "n_excerpts": lambda v: fmt.count(v, marker),
            "n_sessions": lambda v: fmt.count(v, marker),
        },
    )


def options_table(p, aid) -> str:
    df = with_decision(
        p.table(aid, "costs", "options_results"), p.table(aid, "costs", "options_decision")
    )
    df["option"] = [option_label(c, n) for c, n in zip(df["category"], df["name"], strict=True)]
    # from the present values, as every table prints a BCR (never 2.00 for a 1.997 "medium")
    df["bcr_text"] = [
        bcr_text(b, c) for b, c in zip(df["pv_benefits"], df["pv_costs"], strict=True)
    ]
    return markdown_table(
        df,
        [
            ("option", "Option", "l"),
            ("pv_costs", "PV costs", "r"),
            ("pv_benefits", "PV benefits", "r"),
            ("npsv", "NPSV", "r"),
            ("bcr_text", "BCR", "r"),
            ("vfm", "Value for money", "l"),
            ("payback_year", "Social payback year", "r"),
            ("decision", "Decision", "l"),
        ],
        caption="Options relative to business as usual (present values), and what the "
        "appraisal concluded",
        label="options",
        formatters={
            "pv_costs": fmt.money,
            "pv_benefits": fmt.money,
            "npsv": fmt.money,
            "payback_year": lambda v: "never" if pd.isna(v) else str(int(v)),
        },
    )


def tools_table(p, aid) -> str:
    """The tools (systems) ranked by impact, value added and criticality, then the SWOT of each
    tool: two tables, so that the scores sit in narrow columns and the SWOT text has the width
    of the page (in one nine-column table each SWOT cell wrapped to a word or two a line)."""
    df = p.table(aid, "journeys", "tool_ranking").copy()
    for c in ("strengths", "weaknesses", "opportunities", "threats"):
        df[c] = df[c].fillna("").map(lambda v: str(v).replace(";", "; ") or "–")
    df["stages"] = df["stages"].map(lambda v: str(v).replace("_", " ").replace(";", ", "))
    ranking = markdown_table(
        df,
        [
            ("rank", "Rank", "r"),
            ("system", "Tool", "l"),
            ("stages", "Stages", "l"),
            ("reach", "Share of records", "r"),
            ("impact", "Impact", "r"),
            ("value_added", "Value added", "r"),
            ("criticality", "Criticality", "r"),
        ],
        caption="The tools of the council's data journeys, ranked by impact, value added and "
        "criticality to the decisions the data serves (each scored 1 to 5; the share of the "
        "council's records a year that pass through each tool sets its impact)",
        label="tools",
        formatters={"reach": lambda v: fmt.DASH if pd.isna(v) else fmt.pct(100 * float(v))},
    )
    return ranking + "\n" + _swot_table(df, "system", "Tool", "tool")


def _swot_table(df, key: str, heading: str, kind: str) -> str:
    """The SWOT of each ranked tool or stage, one column per quadrant (all four always, so
    every council's table reads the same; a dash where the register shows none), in the order
    of the ranking."""
    cols = [(key, heading, "l"), ("strengths", "Strengths", "l")]
    cols += [("weaknesses", "Weaknesses", "l"), ("opportunities", "Opportunities", "l")]
    cols += [("threats", "Threats", "l")]
    return markdown_table(
        df,
        cols,
        caption=f"Strengths, weaknesses, opportunities and threats of each {kind}, from the "
        "journey register, in the order of the ranking (a dash: the register shows none)",
        label=f"{kind}-swot",
    )


def stages_table(p, aid) -> str:
    """The stages ranked the same way as the tools, then the SWOT of each stage."""
    df = p.table(aid, "journeys", "stage_ranking").copy()
    df["stage"] = df["stage"].map(lambda v: str(v).replace("_", " ").capitalize())
    for c in ("strengths", "weaknesses", "opportunities", "threats"):
        df[c] = df[c].fillna("").map(lambda v: str(v).replace(";", "; ") or "–")
    ranking = markdown_table(
        df,
        [
            ("rank", "Rank", "r"),
            ("stage", "Stage", "l"),
            ("impact", "Impact", "r"),
            ("value_added", "Value added", "r"),
            ("criticality", "Criticality", "r"),
        ],
        caption="The stages of the data journeys, scored the same way",
        label="stages",
    )
    return ranking + "\n" + _swot_table(df, "stage", "Stage", "stage")


def inventory_table(p, aid) -> str:
    """The council's systems inventory, in two tables: who owns each system, where it is
    hosted, how it exchanges data and what it provides (the register's Systems sheet); then
    what each does on the journeys, for how many streams, and its data quality."""
    df = p.table(aid, "journeys", "systems_inventory").copy()
    recorded = not (df["hosting"].astype(str) == "not_recorded").any()
    df["stages"] = df["stages"].map(lambda v: str(v).replace("_", " ").replace(";", ", "))
    df["dq"] = [
        f"{y} audited, {pa} partly, {no} not"
        for y, pa, no in zip(df["dq_audit_yes"], df["dq_audit_partial"], df["dq_audit_no"],
                             strict=True)
    ]  # fmt: skip
    df["rekeyed"] = df["n_stages_rekeyed"].map(lambda n: fmt.plural(int(n), "stage"))
    use = markdown_table(
        df,
        [
            ("system", "System", "l"),
            ("stages", "Stages", "l"),
            ("n_streams", "Streams", "r"),
            ("dq", "Data-quality audit (stages)", "l"),
            ("rekeyed", "Re-keyed", "r"),
        ],
        caption="What each system does on the council's data journeys",
        label="inventory-use",
    )
    if not recorded:
        return (
            "The register has no Systems sheet, so the owner, hosting and integration of each "
            "system are not recorded, and no action that needs a capability (a warehouse, a "
            "single view, automated reporting) can be shown to be in place.\n\n" + use
        )
    df["owner"] = df["owner"].fillna(fmt.DASH)
    df["hosting"] = df["hosting"].map(lambda v: words_for(HOSTING_WORDS, v))
    df["integration"] = df["integration"].map(lambda v: _each(INTEGRATION_WORDS, v))
    df["capabilities"] = (
        df["capabilities"].fillna("").map(lambda v: _each(CAPABILITY_WORDS, v) or fmt.DASH)
    )
    who = markdown_table(
        df,
        [
            ("system", "System", "l"),
            ("owner", "Owner (role)", "l"),
            ("hosting", "Hosting", "l"),
            ("integration", "Exchanges data by", "l"),
            ("capabilities", "Provides", "l"),
        ],
        caption="Systems inventory: every system on the council's data journeys, its owner, "
        "hosting, how it exchanges data with other systems and what it provides",
        label="inventory",
    )
    return who + "\n" + use


def flows_table(p, aid) -> str:
    df = p.table(aid, "journeys", "stream_flows").copy()
    df["source"] = df["source"].map(lambda v: _each(SOURCE_WORDS, v))
    df["channel"] = df["channel"].map(lambda v: _each(CHANNEL_WORDS, v))
    df["frequency"] = df["frequency"].map(lambda v: _each(FREQUENCY_WORDS, v))
    return markdown_table(
        df,
        [
            ("stream_name", "Data stream", "l"),
            ("source", "From", "l"),
            ("channel", "How it arrives", "l"),
            ("frequency", "How often", "l"),
            ("volume_per_year", "Records a year", "r"),
        ],
        caption="Where the data comes from, how and how often",
        label="flows",
        formatters={"volume_per_year": fmt.number},
    )


def _each(mapping: dict, cell) -> str:
    """Each of a cell's ``;``-separated register values in words, comma-separated."""
    words = [words_for(mapping, v) for v in str(cell).split(";") if v]
    return ", ".join(w[:1].upper() + w[1:] if i == 0 else w for i, w in enumerate(words))
