"""Building blocks of the research-question answers (:mod:`analysis.report.rq_answers`):
shares of streams, notable differences between councils, a gap across the councils, the
survey items with most and fewest favourable answers, the top answer of a categorical item,
and their words. DataFrames in, dicts or words out."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.evidence import lower_label
from analysis.report.rq_when_why import item_share
from analysis.report.wording import short

#: A difference between councils is named when shares differ by this many points or more.
NOTABLE_POINTS = 25.0
#: Reliability readings that make a code's evidence less than reliable, and their words.
RELIABILITY_FLAGS = {
    "tentative": "tentative: coders agreed only moderately",
    "not reliable": "not reliable: coders agreed too little, alpha below 0.667",
    "undefined": "agreement not measurable",
    "too few to judge": "too few excerpts to judge the coders' agreement",
}


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


def item_table(collapsed: pd.DataFrame, questionnaire: dict) -> pd.DataFrame:
    """The Likert items' favourable shares, all respondents, as the charts draw them: the
    ``all`` rows of the programme's collapsed table (:mod:`analysis.survey.collapsed`), with
    each item's research question, in the columns :func:`item_extremes` reads."""
    rq_of = {c["id"]: c.get("research_question") for c in questionnaire.get("constructs", [])}
    df = collapsed[collapsed["group"].astype(str) == "all"].copy()
    df["research_question"] = df["construct"].map(rq_of)
    df["item_type"] = "likert"
    return df


def item_extremes(items: pd.DataFrame, questionnaire: dict, rq: str) -> dict | None:
    """The research question's agreement items with the most and the fewest favourable answers
    (all respondents; an item whose share is suppressed is left out). Items of a routed
    construct (``asked_of``: the expectations of residents and partners) are left out: they
    say what people expect of the council, not how it uses its data (review finding 20)."""
    by_id = {i["id"]: i for i in questionnaire["items"]}
    routed = {c["id"] for c in questionnaire.get("constructs", []) if c.get("asked_of")}
    asked_all = [i["id"] for i in questionnaire["items"] if i.get("construct") not in routed]
    df = items[
        (items["group"] == "all")
        & (items["research_question"] == rq)
        & (items["item_type"] == "likert")
        & items["item_id"].isin(asked_all)
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


def lowest_items(items: pd.DataFrame, questionnaire: dict, rq: str, n: int = 2) -> list[dict]:
    """The research question's ``n`` agreement items (asked of everyone) with the fewest
    favourable answers (all respondents), fewest first: ``[{item, pct}]``."""
    out = []
    for it in questionnaire["items"]:
        c = next(
            (c for c in questionnaire.get("constructs", []) if c["id"] == it.get("construct")), None
        )
        if it.get("type") != "likert" or c is None or c.get("asked_of"):
            continue
        if c.get("research_question") != rq:
            continue
        share = item_share(items, questionnaire, it["id"])
        if share is not None:
            out.append(share)
    return sorted(out, key=lambda s: (s["pct"], s["item"]["id"]))[:n]


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
