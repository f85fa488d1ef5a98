"""Short answers to the six research questions, in their own terms, from the published tables.

Each question has a *facts* function (the decisions: which channel, which gap, which tool,
which council differs; DataFrames in, a dict out, unit-tested) and an *answer* function that
only words the facts. The facts draw on the journey maps (stream flows, gaps, tool and stage
scores, systems inventory), the survey (items and categorical answers) and the workshop coding
(codes, with their inter-coder reliability flagged wherever one is used).

A council difference is *notable* when the councils' shares of streams differ by at least
:data:`NOTABLE_POINTS` percentage points; only then is it named.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
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
#: A difference between councils is named when shares differ by this many points or more.
NOTABLE_POINTS = 25.0
#: Reliability readings that make a code's evidence less than reliable, and their words.
RELIABILITY_FLAGS = {
    "tentative": "tentative: coders agreed only moderately",
    "not reliable": "not reliable: coders agreed too little, alpha below 0.667",
    "undefined": "agreement not measurable",
}


# ------------------------------------------------------------------------------ building blocks


def flag(reliability) -> str:
    """`` (not reliable: ...)`` after a code's label when its agreement is below reliable."""
    note = RELIABILITY_FLAGS.get(str(reliability))
    return f" ({note})" if note else ""


def _values(cell) -> list[str]:
    return [v for v in str(cell).split(";") if v and v != "nan"]


def stream_shares(flows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Streams per value of ``column`` (a stream with several values counts once for each):
    ``value, n_streams, pct`` (of all streams), most streams first, then value."""
    total = len(flows)
    counts: dict[str, int] = {}
    for cell in flows[column]:
        for v in dict.fromkeys(_values(cell)):
            counts[v] = counts.get(v, 0) + 1
    df = pd.DataFrame({"value": list(counts), "n_streams": list(counts.values())})
    df["pct"] = 100 * df["n_streams"] / total if total else float("nan")
    return df.sort_values(["n_streams", "value"], ascending=[False, True], ignore_index=True)


def notable_spread(pct_by_council: dict[str, float]) -> tuple[str, str] | None:
    """``(highest, lowest)`` council when their shares differ by :data:`NOTABLE_POINTS` or more
    (ties: the first in the given order), else ``None``."""
    vals = {a: v for a, v in pct_by_council.items() if v == v}
    if len(vals) < 2:
        return None
    hi = max(vals, key=lambda a: vals[a])
    lo = min(vals, key=lambda a: vals[a])
    return (hi, lo) if vals[hi] - vals[lo] >= NOTABLE_POINTS else None


def gap_reach(gaps: pd.DataFrame, gap_id: str) -> dict | None:
    """One gap across the councils (``gap_summary`` stacked): label, streams with it of all
    streams, councils where it was found, and its share of streams per council."""
    g = gaps[gaps["gap_id"] == gap_id]
    if g.empty:
        return None
    return {
        "gap_id": gap_id,
        "label": str(g["label"].iloc[0]),
        "n_streams": int(g["n_streams"].sum()),
        "n_total": int(g["n_streams_total"].sum()),
        "councils_with": [str(a) for a in g.loc[g["n_streams"] > 0, "authority"]],
        "pct_by_council": dict(zip(g["authority"].astype(str), g["pct_streams"], strict=True)),
    }


def item_extremes(items: pd.DataFrame, questionnaire: dict, rq: str) -> dict | None:
    """The research question's agreement items with the most and the fewest favourable answers
    (all respondents; an item whose share is suppressed is left out)."""
    by_id = {i["id"]: i for i in questionnaire["items"]}
    df = items[
        (items["group"] == "all")
        & (items["research_question"] == rq)
        & (items["item_type"] == "likert")
    ].dropna(subset=["pct_favourable"])
    if df.empty:
        return None
    df = df.sort_values(["pct_favourable", "item_id"], ascending=[False, True])
    top, low = df.iloc[0], df.iloc[-1]
    return {
        "high": by_id[top["item_id"]],
        "high_pct": float(top["pct_favourable"]),
        "low": by_id[low["item_id"]],
        "low_pct": float(low["pct_favourable"]),
        "same": top["item_id"] == low["item_id"],
    }


def top_option(shares: pd.DataFrame, questionnaire: dict, rq: str) -> dict | None:
    """The most frequent answer to the research question's categorical item (all
    respondents), and the share of its first two options (the least of the scale)."""
    items = [i for i in questionnaire["items"] if i["type"] == "categorical"]
    item = next((i for i in items if i.get("research_question") == rq), None)
    if item is None:
        return None
    s = shares[(shares["item_id"] == item["id"]) & (shares["group"] == "all")].dropna(
        subset=["pct"]
    )
    if s.empty:
        return None
    top = s.sort_values(["pct", "option"], ascending=[False, True]).iloc[0]
    first_two = [o["id"] for o in item["options"][:2]]
    labels = [o["label"] for o in item["options"][:2]]
    low = s[s["option"].isin(first_two)]
    return {
        "text": item["text"],
        "label": str(top["option_label"]),
        "pct": float(top["pct"]),
        "first_two_labels": labels,
        "first_two_pct": float(low["pct"].sum()) if len(low) == len(first_two) else None,
    }


def rq_codes(codes: pd.DataFrame, rq: str | None = None, swot: str | None = None, n: int = 2):
    """The codes with most excerpts (of a research question, or of a SWOT quadrant), each with
    its reliability reading: ``[{label, n_excerpts, reliability}]``."""
    df = codes
    if rq is not None:
        df = df[df["research_question"] == rq]
    if swot is not None:
        df = df[df["swot"] == swot]
    df = df[df["n_excerpts"].fillna(0) > 0].sort_values(
        ["n_excerpts", "code"], ascending=[False, True]
    )
    return [
        {"label": str(r["label"]), "n_excerpts": int(r["n_excerpts"]),
         "reliability": str(r["reliability"])}
        for _, r in df.head(n).iterrows()
    ]  # fmt: skip


def lower_label(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("NHS", "A&E")."""
    text = str(text)
    first = text.split(" ", 1)[0]
    keep = first.isupper() and (len(first) > 1 or first == "I")
    return text if keep else text[:1].lower() + text[1:]


def _code_words(codes: list[dict]) -> str:
    out = []
    for c in codes:
        note = RELIABILITY_FLAGS.get(c["reliability"])
        out.append(
            f"“{lower_label(c['label'])}” ({fmt.number(c['n_excerpts'])} excerpts"
            + (f"; {note})" if note else ")")
        )
    return fmt.prose_list(out)


def _of_councils(k: int, n: int) -> str:
    return (
        f"in all {fmt.word(n)} councils"
        if k == n and n > 1
        else (f"in {fmt.word(k)} of the {fmt.word(n)} councils")
    )


def _spread_words(spread, pct: dict, names: dict) -> str:
    if spread is None:
        return ""
    hi, lo = spread
    return (
        f" Councils differ: {fmt.pct(pct[hi])} of streams in {short(names[hi])} against "
        f"{fmt.pct(pct[lo])} in {short(names[lo])}."
    )


def _gap_words(g: dict, names: dict) -> str:
    if g is None:
        return ""
    if not g["n_streams"]:
        return f"No stream in any council has the gap “{lower_label(g['label'])}”."
    return (
        f"“{g['label']}” affects {fmt.number(g['n_streams'])} of {fmt.number(g['n_total'])} "
        f"streams, {_of_councils(len(g['councils_with']), len(g['pct_by_council']))}."
        + _spread_words(notable_spread(g["pct_by_council"]), g["pct_by_council"], names)
    )


def favourable_words(item: dict, pct: float) -> str:
    """``pct`` favourable answers to one item in words that say what favourable means for it:
    agreement (or, for a reverse-keyed item, disagreement) with its statement, or a favourable
    answer to its question."""
    text = item["text"]  # quoted as asked
    if item.get("scale") == "satisfaction":
        # a reverse-keyed satisfaction item counts dissatisfaction as favourable to its construct
        answer = "dissatisfied" if item.get("reverse") else "satisfied"
        return f"{fmt.pct(pct)} answered {answer} to “{text}”"
    if item.get("scale") != "agreement":
        return f"{fmt.pct(pct)} gave a favourable answer to “{text}”"
    verb = "disagreed" if item.get("reverse") else "agreed"
    return f"{fmt.pct(pct)} {verb} that “{text}”"


def _items_words(it: dict | None) -> str:
    if it is None:
        return ""
    if it["same"]:
        return f"In the survey, {favourable_words(it['high'], it['high_pct'])}."
    joint = "but only" if it["high_pct"] - it["low_pct"] >= 10 else "and"  # a real contrast
    return (
        f"In the survey, {favourable_words(it['high'], it['high_pct'])}, {joint} "
        f"{favourable_words(it['low'], it['low_pct'])}."
    )


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


def use_answer(f: dict, items: dict | None, codes: list[dict], names: dict) -> str:
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
    if codes:
        text += f" In the workshops people spoke most of {_code_words(codes)}."
    return " ".join(text.split())


# ------------------------------------------------------------------------------ RQ3


def review_facts(gaps: pd.DataFrame) -> dict:
    return {"gap": gap_reach(gaps, RQ_GAPS["RQ3"][0])}


def review_answer(f: dict, option: dict | None, codes: list[dict], names: dict) -> str:
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
    if codes:
        parts.append(f"Why: in the workshops people raised {_code_words(codes)}.")
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


def value_answer(f: dict, items: dict | None, codes: list[dict], names: dict) -> str:
    ts, tv = f["top_stage"]
    ls, lv = f["low_stage"]
    text = (
        f"Across the councils the most value is added at "
        f"{words_for(JOURNEY_STAGE_WORDS, ts)} (value added {fmt.ratio(tv, 1)} of 5) and the "
        f"least at {words_for(JOURNEY_STAGE_WORDS, ls)} ({fmt.ratio(lv, 1)}). The tool adding "
        "most value is "
        + "; ".join(f"{t} in {short(names[a])} ({v} of 5)" for a, (t, v) in f["best_tool"].items())
        + "."
    )
    text += " " + _items_words(items)
    if codes:
        text += f" Workshops gave evidence of {_code_words(codes)}."
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
        "n_rekeyed": int(rekeyed["system"].nunique()),
        "rekeyed_into": list(dict.fromkeys(rekeyed["system"]))[:3],
    }


def processing_answer(f: dict, items: dict | None, codes: list[dict], names: dict) -> str:
    parts = [_gap_words(g, names) for g in f["gaps"][:2]]
    if f["n_rekeyed"]:
        parts.append(
            f"Data is typed in again by hand into {fmt.number(f['n_rekeyed'])} of the "
            f"{fmt.number(f['n_systems'])} systems, most often "
            f"{fmt.prose_list(f['rekeyed_into'])}."
        )
    parts.append(_items_words(items))
    if codes:
        parts.append(f"Workshops spoke most of {_code_words(codes)}.")
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------------------ RQ6


def opportunity_facts(gaps: pd.DataFrame, swot: pd.DataFrame) -> dict:
    """Where the opportunities are: the opportunity codes with most excerpts and the gaps on
    most streams across the councils (high severity first on ties)."""
    order = {"high": 0, "medium": 1, "low": 2}
    g = gaps.groupby(["gap_id", "label", "severity"], as_index=False)[
        ["n_streams", "n_streams_total"]
    ].sum()
    g = g[g["n_streams"] > 0].assign(sev=g["severity"].map(order))
    g = g.sort_values(["n_streams", "sev", "gap_id"], ascending=[False, True, True]).head(2)
    return {
        "codes": rq_codes(swot, swot="opportunity", n=3),
        "gaps": g[["label", "n_streams", "n_streams_total"]].to_dict("records"),
    }


def opportunity_answer(f: dict, items: dict | None, names: dict) -> str:
    parts = []
    if f["codes"]:
        parts.append(f"The opportunities people named most were {_code_words(f['codes'])}.")
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
    gaps = p.table("programme", "journeys", "gap_summary")
    items = p.table("programme", "survey", "item_summary")
    shares = p.table("programme", "survey", "option_shares")
    codes = p.table("programme", "coding", "swot_evidence")
    rq = [r["id"] for r in q["research_questions"]]

    def it(r):
        return item_extremes(items, q, r)

    return {
        rq[0]: inflow_answer(inflow_facts(flows, inventory), top_option(shares, q, rq[0]), names),
        rq[1]: use_answer(use_facts(flows, inventory, gaps), it(rq[1]), rq_codes(codes, rq[1]),
                          names),
        rq[2]: review_answer(review_facts(gaps), top_option(shares, q, rq[2]),
                             rq_codes(codes, rq[2]), names),
        rq[3]: value_answer(
            value_facts(p.table("programme", "journeys", "tool_ranking"),
                        p.table("programme", "journeys", "stage_ranking")),
            it(rq[3]), rq_codes(codes, rq[3]), names,
        ),
        rq[4]: processing_answer(processing_facts(gaps, inventory), it(rq[4]),
                                 rq_codes(codes, rq[4]), names),
        rq[5]: opportunity_answer(opportunity_facts(gaps, codes), it(rq[5]), names),
    }  # fmt: skip
