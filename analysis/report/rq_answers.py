"""Short answers to the six research questions, in their own terms, from the published tables.

Each question has a *facts* function (the decisions: which channel, which gap, which tool,
which council differs; DataFrames in, a dict out, unit-tested) and an *answer* function that
only words the facts. The facts draw on the journey maps (stream flows, gaps, tool and stage
scores, systems inventory, the rhythm recorded at each stage), the survey (items and categorical
answers) and the workshop coding. A workshop code is cited as evidence only when its coders
agreed at 0.667 or above (:func:`analysis.report.evidence.choose_codes`); a code below that is
named as raised but not established, never as the answer. The "when" and "why" of RQ2, RQ3 and
RQ5 are in :mod:`analysis.report.rq_when_why`.

A council difference is *notable* when the councils' shares of streams differ by at least
:data:`NOTABLE_POINTS` percentage points; only then is it named.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.evidence import choose_codes, codes_words, unestablished_words
from analysis.report.evidence import lower_label as lower_label
from analysis.report.rq_blocks import (  # noqa: F401  (re-exported: the tests and case studies use them)
    NOTABLE_POINTS,
    RELIABILITY_FLAGS,
    _gap_words,
    _items_words,
    _spread_words,
    _values,
    favourable_words,
    flag,
    gap_reach,
    item_extremes,
    item_table,
    lowest_items,
    notable_spread,
    stream_shares,
    top_option,
)
from analysis.report.rq_when_why import (
    processing_when_why,
    rekey_channels,
    review_why,
    slower_at,
    stage_rhythm,
    use_when_why,
)
from analysis.report.summaries import summarised
from analysis.report.wording import (
    CHANNEL_WORDS,
    FREQUENCY_WORDS,
    JOURNEY_STAGE_WORDS,
    SOURCE_PHRASES,
    short,
    words_for,
)

#: Channels by which data arrives without anyone typing or moving it by hand.
DIGITAL_CHANNELS = ("system_feed", "api", "online_form")
#: Gap rules (``survey/gap_rules.csv``) that answer each question, by id.
RQ_GAPS = {
    "RQ1": ("G05", "G09"),
    "RQ2": ("G06",),
    "RQ3": ("G07",),
    "RQ5": ("G04", "G01", "G10"),
}
# ------------------------------------------------------------------------------ RQ1


def inflow_facts(flows: pd.DataFrame, inventory: pd.DataFrame) -> dict:
    """What comes in, from where and how: streams by channel, source and frequency, records a
    year, systems, and the share arriving by a digital channel per council."""
    channels = stream_shares(flows, "channel")
    sources = stream_shares(flows, "source")
    freq = stream_shares(flows, "frequency")
    digital = flows["channel"].map(lambda c: any(v in DIGITAL_CHANNELS for v in _values(c)))
    by_council = {
        str(a): 100 * float(d.mean()) for a, d in digital.groupby(flows["authority"], sort=False)
    }
    partner = flows["source"].map(lambda s: any(v != "council" for v in _values(s)))
    return {
        "n_streams": len(flows),
        "n_councils": flows["authority"].nunique(),
        "channels": channels.head(2).to_dict("records"),
        "sources": sources.head(3).to_dict("records"),
        "frequency": freq.iloc[0].to_dict() if len(freq) else None,
        "pct_partner": 100 * float(partner.mean()) if len(flows) else None,
        "volume": int(flows["volume_per_year"].fillna(0).sum()),
        "n_systems": len(inventory),
        "pct_digital": 100 * float(digital.mean()) if len(flows) else None,
        "digital_by_council": by_council,
        "digital_spread": notable_spread(by_council),
    }


def inflow_answer(f: dict, option: dict | None, names: dict) -> str:
    ch = fmt.prose_list(
        f"{words_for(CHANNEL_WORDS, c['value'])} ({fmt.number(c['n_streams'])} streams)"
        for c in f["channels"]
    )
    src = fmt.prose_list(words_for(SOURCE_PHRASES, s["value"]) for s in f["sources"])
    text = (
        f"{fmt.number(f['n_streams'])} data streams come into the services studied, "
        f"{fmt.pct(f['pct_partner'])} of them from outside the council; the main sources are "
        f"{src}. The most common ways in are {ch}; {fmt.pct(f['pct_digital'])} arrive by a "
        f"digital channel (a system feed, an interface or an online form) and the rest by hand. The "
        f"most common rhythm is {words_for(FREQUENCY_WORDS, f['frequency']['value'])} "
        f"({fmt.number(f['frequency']['n_streams'])} streams); together the streams carry "
        f"{fmt.number(f['volume'])} records a year through {fmt.number(f['n_systems'])} systems."
    )
    text += _spread_words(f["digital_spread"], f["digital_by_council"], names).replace(
        "of streams", "of streams arrive digitally"
    )
    if option:
        text += (
            f" Asked how most of their data reaches them, respondents most often said "
            f"“{lower_label(option['label'])}” ({fmt.pct(option['pct'])})."
        )
    return text


# ------------------------------------------------------------------------------ RQ2


def use_facts(flows: pd.DataFrame, inventory: pd.DataFrame, gaps: pd.DataFrame) -> dict:
    """What the data is used for and how: streams reaching a decision, the analysis tools,
    and the gap of data collected but never used."""
    reaches = flows["reaches_decision"].astype(str).str.lower() == "true"
    analysis = inventory[inventory["stages"].map(lambda s: "analysis" in _values(s))]
    tools = (
        analysis.groupby("system")["n_streams"].sum().sort_values(ascending=False, kind="stable")
    )
    return {
        "n_streams": len(flows),
        "n_reach": int(reaches.sum()),
        "analysis_tools": list(tools.index[:2]),
        "gap": gap_reach(gaps, RQ_GAPS["RQ2"][0]),
    }


def use_answer(f: dict, items: dict | None, chosen: dict, names: dict, when_why: str = "") -> str:
    """RQ2: what the data is used for and how, then when and why that way (``when_why``,
    :func:`analysis.report.rq_when_why.use_when_why`, which cites the workshop codes)."""
    text = (
        f"{fmt.number(f['n_reach'])} of the {fmt.number(f['n_streams'])} streams reach a "
        "decision about a case, a service or a budget"
        + (
            f", analysed mostly in {fmt.prose_list(f['analysis_tools'])}."
            if f["analysis_tools"]
            else "."
        )
    )
    text += " " + _gap_words(f["gap"], names)
    text += " " + _items_words(items)
    if when_why:
        text += " " + when_why
    elif chosen["codes"]:
        text += f" In the workshops people spoke most of {codes_words(chosen['codes'])}."
    return " ".join(text.split())


# ------------------------------------------------------------------------------ RQ3


def review_facts(gaps: pd.DataFrame) -> dict:
    return {"gap": gap_reach(gaps, RQ_GAPS["RQ3"][0])}


def review_answer(f: dict, option: dict | None, chosen: dict, names: dict, shares=()) -> str:
    """RQ3: how often data needs are reviewed (the categorical item, the register's gap) and
    why: the survey items on being asked and on forms changing (``shares``), the reliable
    workshop codes; unreliable ones are named as not establishing it (review finding 8)."""
    parts = []
    if option:
        parts.append(
            f"Asked “{option['text']}”, respondents most often answered "
            f"“{lower_label(option['label'])}” ({fmt.pct(option['pct'])})"
            + (
                f"; {fmt.pct(option['first_two_pct'])} said "
                f"“{lower_label(option['first_two_labels'][0])}” or "
                f"“{lower_label(option['first_two_labels'][1])}”."
                if option["first_two_pct"] is not None
                else "."
            )
        )
    parts.append(_gap_words(f["gap"], names))
    parts.append(review_why(list(shares), chosen))
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------------------ RQ4


def value_facts(tools: pd.DataFrame, stages: pd.DataFrame) -> dict:
    """Value added (1–5) by stage, averaged over the councils, and each council's tool that
    adds most value (highest value added, then total, then its rank)."""
    by_stage = stages.groupby("stage")["value_added"].mean().sort_values(kind="stable")
    best_tool = {}
    for a, t in tools.groupby("authority", sort=False):
        t = t.sort_values(["value_added", "total", "rank"], ascending=[False, False, True])
        best_tool[str(a)] = (str(t["system"].iloc[0]), int(t["value_added"].iloc[0]))
    return {
        "top_stage": (str(by_stage.index[-1]), float(by_stage.iloc[-1])),
        "low_stage": (str(by_stage.index[0]), float(by_stage.iloc[0])),
        "best_tool": best_tool,
    }


def value_answer(
    f: dict, items: dict | None, chosen: dict, names: dict, summarise: bool = False
) -> str:
    """RQ4's answer; with ``summarise`` (a programme of many councils) the tool adding most
    value is given as the one most often best, with how many councils, not council by council."""
    ts, tv = f["top_stage"]
    ls, lv = f["low_stage"]
    text = (
        f"Across the councils the most value is added at "
        f"{words_for(JOURNEY_STAGE_WORDS, ts)} (value added {fmt.ratio(tv, 1)} of 5) and the "
        f"least at {words_for(JOURNEY_STAGE_WORDS, ls)} ({fmt.ratio(lv, 1)})."
    )
    if summarise and f["best_tool"]:
        counts = pd.Series([t for t, _ in f["best_tool"].values()]).value_counts()
        top = sorted(counts[counts == counts.max()].index)[0]
        text += (
            f" The tool adding most value differs by council; most often it is {top} (in "
            f"{fmt.word(int(counts[top]))} of the {fmt.number(len(f['best_tool']))} councils; "
            "each council's is in the programme workbook, sheet Tools)."
        )
    else:
        text += (
            " The tool adding most value is "
            + "; ".join(
                f"{t} in {short(names[a])} ({v} of 5)" for a, (t, v) in f["best_tool"].items()
            )
            + "."
        )
    text += " " + _items_words(items)
    if chosen["codes"]:
        text += f" Workshops gave evidence of {codes_words(chosen['codes'])}."
    text += " " + unestablished_words(chosen["unestablished"], also=bool(chosen["codes"]))
    return " ".join(text.split())


# ------------------------------------------------------------------------------ RQ5


def processing_facts(gaps: pd.DataFrame, inventory: pd.DataFrame) -> dict:
    """How data is processed: the manual re-keying, audit and spreadsheet gaps, and the
    systems data is re-keyed into (most re-keyed stages first)."""
    rekeyed = inventory[inventory["n_stages_rekeyed"] > 0].sort_values(
        ["n_stages_rekeyed", "system"], ascending=[False, True]
    )
    return {
        "gaps": [g for g in (gap_reach(gaps, gid) for gid in RQ_GAPS["RQ5"]) if g],
        "n_systems": len(inventory),
        # entries (a council's system), as n_systems counts them: one system name used by
        # several councils is re-keyed into in each of them
        "n_rekeyed": int(len(rekeyed)),
        "rekeyed_into": list(dict.fromkeys(rekeyed["system"]))[:3],
    }


def processing_answer(
    f: dict, items: dict | None, chosen: dict, names: dict, when_why: str = ""
) -> str:
    """RQ5: how data is processed (gaps, re-keying into systems, survey), then when and why
    (``when_why``, :func:`analysis.report.rq_when_why.processing_when_why`)."""
    parts = [_gap_words(g, names) for g in f["gaps"][:2]]
    if f["n_rekeyed"]:
        parts.append(
            f"Data is typed in again by hand into {fmt.number(f['n_rekeyed'])} of the "
            f"{fmt.number(f['n_systems'])} systems, most often "
            f"{fmt.prose_list(f['rekeyed_into'])}."
        )
    parts.append(_items_words(items))
    if when_why:
        parts.append(when_why)
    elif chosen["codes"]:
        parts.append(f"Workshops spoke most of {codes_words(chosen['codes'])}.")
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------------------ RQ6


def opportunity_facts(gaps: pd.DataFrame, swot: pd.DataFrame) -> dict:
    """Where the opportunities are: the opportunity codes with most excerpts that may be
    relied on (:func:`analysis.report.evidence.choose_codes`) and the gaps on most streams
    across the councils (high severity first on ties)."""
    order = {"high": 0, "medium": 1, "low": 2}
    g = gaps.groupby(["gap_id", "label", "severity"], as_index=False)[
        ["n_streams", "n_streams_total"]
    ].sum()
    g = g[g["n_streams"] > 0].assign(sev=g["severity"].map(order))
    g = g.sort_values(["n_streams", "sev", "gap_id"], ascending=[False, True, True]).head(2)
    return {
        "codes": choose_codes(swot, swot="opportunity", n=3),
        "gaps": g[["label", "n_streams", "n_streams_total"]].to_dict("records"),
    }


def opportunity_answer(f: dict, items: dict | None, names: dict) -> str:
    parts = []
    if f["codes"]["codes"]:
        parts.append(
            f"The opportunities people named most were {codes_words(f['codes']['codes'])}."
        )
    parts.append(unestablished_words(f["codes"]["unestablished"], also=bool(f["codes"]["codes"])))
    if f["gaps"]:
        parts.append(
            "The gaps on most streams, and so the widest room to improve, are "
            + fmt.prose_list(
                f"“{lower_label(g['label'])}” ({fmt.number(g['n_streams'])} of "
                f"{fmt.number(g['n_streams_total'])} streams)"
                for g in f["gaps"]
            )
            + "."
        )
    parts.append(_items_words(items))
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------------------ all six


def stacked(p, stage: str, name: str) -> pd.DataFrame:
    """A per-council published table, all councils stacked in config order."""
    return pd.concat([p.table(a["id"], stage, name) for a in p.authorities], ignore_index=True)


def rq_answers(p) -> dict[str, str]:
    """The short answer to each research question (questionnaire ids), programme-wide."""
    names = {a["id"]: a["name"] for a in p.authorities}
    q = p.questionnaire
    flows = stacked(p, "journeys", "stream_flows")
    inventory = stacked(p, "journeys", "systems_inventory")
    register = stacked(p, "journeys", "journeys")
    gaps = p.table("programme", "journeys", "gap_summary")
    # favourable shares as the charts draw them (collapsed before control, review finding 9)
    items = item_table(p.table("programme", "survey", "likert_collapsed"), q)
    shares = p.table("programme", "survey", "option_shares")
    codes = p.table("programme", "coding", "swot_evidence")
    rq = [r["id"] for r in q["research_questions"]]

    def it(r):
        return item_extremes(items, q, r)

    chosen = {r: choose_codes(codes, rq=r) for r in rq}
    # why data is used that way: the question's item with fewest favourable answers that
    # the survey sentence does not already quote (in the example: getting reports unaided)
    shown = {x["id"] for x in (it(rq[1]) or {}).values() if isinstance(x, dict)}
    why_item = next(
        (x for x in lowest_items(items, q, rq[1], n=99) if x["item"]["id"] not in shown), None
    )
    use_ww = use_when_why(
        stage_rhythm(register, "decision_use"),
        slower_at(register, "decision_use"),
        why_item,
        chosen[rq[1]],
    )
    proc_ww = processing_when_why(
        stage_rhythm(register, "processing"), rekey_channels(register), chosen[rq[4]]
    )
    return {
        rq[0]: inflow_answer(inflow_facts(flows, inventory), top_option(shares, q, rq[0]), names),
        rq[1]: use_answer(use_facts(flows, inventory, gaps), it(rq[1]), chosen[rq[1]], names,
                          use_ww),
        rq[2]: review_answer(review_facts(gaps), top_option(shares, q, rq[2]), chosen[rq[2]],
                             names, lowest_items(items, q, rq[2])),
        rq[3]: value_answer(
            value_facts(p.table("programme", "journeys", "tool_ranking"),
                        p.table("programme", "journeys", "stage_ranking")),
            it(rq[3]), chosen[rq[3]], names, summarised(p),
        ),
        rq[4]: processing_answer(processing_facts(gaps, inventory), it(rq[4]), chosen[rq[4]],
                                 names, proc_ww),
        rq[5]: opportunity_answer(opportunity_facts(gaps, codes), it(rq[5]), names),
    }  # fmt: skip
