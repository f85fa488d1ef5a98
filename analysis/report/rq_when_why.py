"""The "when" and "why" of the research questions, from the journey register and the survey
(review finding 20; issue 12, point 6).

RQ2 asks what the data is used for, *when*, how and *why that way*; RQ3 how often its need,
scope and form are reviewed and *why*; RQ5 how, *when* and *why* it is processed. The "when"
comes from the register: the rhythm recorded at the stage that uses or processes each stream
(the published per-stage ``journeys`` table). The "why" comes from evidence a finding may
rest on: survey items, register facts, and workshop codes whose coders agreed at 0.667 or
above (:mod:`analysis.report.evidence`); a code below that is named as not established, never
as the reason.

Facts functions (DataFrames in, dicts out) decide; the ``*_words`` functions only word them.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.evidence import codes_words, lower_label, unestablished_words
from analysis.report.wording import CHANNEL_WORDS, FREQUENCY_WORDS, words_for

#: Register rhythms from the most to the least frequent; ``ad_hoc`` has no place in the order.
FREQUENCY_ORDER = ("real_time", "daily", "weekly", "monthly", "quarterly", "annually")
#: Channels by which data must be typed or moved by hand to reach a system.
MANUAL_CHANNELS = ("email", "phone", "paper", "spreadsheet", "in_person")


def _happens(journeys: pd.DataFrame) -> pd.DataFrame:
    return journeys[journeys["happens"].astype(str).str.lower() == "true"]


def stage_rhythm(journeys: pd.DataFrame, stage: str) -> dict:
    """How often each stream's data passes through ``stage`` (register ``frequency`` at that
    stage, one per stream): ``{"n_streams", "n_total", "rhythms": [{"frequency",
    "n_streams"}]}``, most frequent rhythm first (ties in :data:`FREQUENCY_ORDER`, then
    ``ad_hoc``)."""
    at = _happens(journeys)
    at = at[at["stage"] == stage].drop_duplicates(["authority", "stream_id"])
    counts = at["frequency"].astype(str).value_counts()
    order = {f: i for i, f in enumerate((*FREQUENCY_ORDER, "ad_hoc"))}
    rhythms = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99), kv[0]))
    return {
        "n_streams": int(len(at)),
        "n_total": int(journeys.drop_duplicates(["authority", "stream_id"]).shape[0]),
        "rhythms": [{"frequency": f, "n_streams": int(n)} for f, n in rhythms],
    }


def slower_at(journeys: pd.DataFrame, stage: str, than: str = "capture") -> int:
    """Streams whose data passes ``stage`` less often than it arrives at ``than`` (both
    recorded in the order :data:`FREQUENCY_ORDER`): data that waits for its use."""
    at = _happens(journeys)
    order = {f: i for i, f in enumerate(FREQUENCY_ORDER)}
    a = at[at["stage"] == than].set_index(["authority", "stream_id"])["frequency"]
    b = at[at["stage"] == stage].set_index(["authority", "stream_id"])["frequency"]
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    ra, rb = both["a"].map(order), both["b"].map(order)
    return int(((rb > ra) & ra.notna() & rb.notna()).sum())


def rekey_channels(journeys: pd.DataFrame) -> dict:
    """Streams re-keyed by hand at any stage, and how many of them arrive by a channel that
    needs someone to type or move the data (:data:`MANUAL_CHANNELS`): the register's reason
    why data is processed by hand."""
    at = _happens(journeys)
    rekey = at["manual_rekeying"].astype(str).str.lower() == "true"
    streams = at.drop_duplicates(["authority", "stream_id"])
    keyed = at[rekey].drop_duplicates(["authority", "stream_id"])
    capture = at[at["stage"] == "capture"].set_index(["authority", "stream_id"])["channel"]
    ch = capture.reindex(pd.MultiIndex.from_frame(keyed[["authority", "stream_id"]]))
    manual = ch.astype(str).isin(MANUAL_CHANNELS)
    return {
        "n_streams": int(len(streams)),
        "n_rekeyed": int(len(keyed)),
        "n_manual_channel": int(manual.sum()),
        "channels": [str(c) for c in ch[manual].value_counts().index[:2]],
    }


def item_share(items: pd.DataFrame, questionnaire: dict, item_id: str) -> dict | None:
    """An agreement item's favourable share (all respondents), or ``None`` when suppressed
    or not asked."""
    by_id = {i["id"]: i for i in questionnaire["items"]}
    row = items[(items["group"] == "all") & (items["item_id"] == item_id)]
    row = row.dropna(subset=["pct_favourable"])
    if item_id not in by_id or row.empty:
        return None
    return {"item": by_id[item_id], "pct": float(row["pct_favourable"].iloc[0])}


# ------------------------------------------------------------------------------ wording


def _rhythm_words(r: dict) -> str:
    """``10 daily, 5 weekly and 1 as and when it happens``."""
    return fmt.prose_list(
        f"{fmt.number(x['n_streams'])} {words_for(FREQUENCY_WORDS, x['frequency'])}"
        for x in r["rhythms"]
    )


def _agree_words(share: dict) -> str:
    verb = "disagreed" if share["item"].get("reverse") else "agreed"
    return f"{fmt.pct(share['pct'])} {verb} that “{share['item']['text']}”"


def use_when_why(rhythm: dict, n_slower: int, reports: dict | None, chosen: dict) -> str:
    """RQ2's "when" (the rhythm at which decisions draw on the data) and "why that way"
    (reports on request, and the reliable workshop codes of the question)."""
    parts = []
    if rhythm["n_streams"]:
        parts.append(
            f"When: of the {fmt.number(rhythm['n_streams'])} streams that reach a decision, "
            f"decisions draw on {_rhythm_words(rhythm)}"
            + (
                f"; on {fmt.number(n_slower)} of them the data arrives more often than "
                "decisions use it."
                if n_slower
                else ", each at the rhythm its data arrives."
            )
        )
    why = []
    if reports is not None:
        why.append(f"only {_agree_words(reports)}")
    if chosen["codes"]:
        why.append(f"in the workshops people spoke most of {codes_words(chosen['codes'])}")
    if why:
        parts.append("Why that way: " + "; ".join(why) + ".")
    parts.append(unestablished_words(chosen["unestablished"], "why", also=bool(chosen["codes"])))
    return " ".join(p for p in parts if p)


def review_why(shares: list[dict], chosen: dict) -> str:
    """RQ3's "why": the survey items on being asked and on forms changing, then the workshop
    codes, reliable ones as reasons and unreliable ones named as not established."""
    parts = []
    if shares:
        parts.append("Why: " + fmt.prose_list(_agree_words(s) for s in shares) + ".")
    if chosen["codes"]:
        parts.append(f"In the workshops people spoke of {codes_words(chosen['codes'])}.")
    parts.append(unestablished_words(chosen["unestablished"], "why", also=bool(chosen["codes"])))
    return " ".join(p for p in parts if p)


def processing_when_why(rhythm: dict, rekey: dict, chosen: dict) -> str:
    """RQ5's "when" (the rhythm of the processing stage) and "why" (re-keying follows from
    data arriving by hand; the reliable workshop codes of the question)."""
    parts = []
    if rhythm["n_streams"]:
        parts.append(
            f"When: of the {fmt.number(rhythm['n_streams'])} streams processed at all, "
            f"{_rhythm_words(rhythm)}."
        )
    if rekey["n_rekeyed"]:
        ways = fmt.prose_list(words_for(CHANNEL_WORDS, c) for c in rekey["channels"])
        parts.append(
            f"Why by hand: {fmt.number(rekey['n_rekeyed'])} of the "
            f"{fmt.number(rekey['n_streams'])} streams are typed in again somewhere, and "
            f"{fmt.number(rekey['n_manual_channel'])} of those arrive by a route that needs "
            f"someone to move the data (mostly {ways})."
            if rekey["n_manual_channel"]
            else f"Why by hand: {fmt.number(rekey['n_rekeyed'])} of the "
            f"{fmt.number(rekey['n_streams'])} streams are typed in again somewhere."
        )
    if chosen["codes"]:
        parts.append(f"On processing, the workshops spoke most of {codes_words(chosen['codes'])}.")
    parts.append(unestablished_words(chosen["unestablished"], "why", also=bool(chosen["codes"])))
    return " ".join(p for p in parts if p)


__all__ = [
    "FREQUENCY_ORDER",
    "MANUAL_CHANNELS",
    "item_share",
    "lower_label",
    "processing_when_why",
    "rekey_channels",
    "review_why",
    "slower_at",
    "stage_rhythm",
    "use_when_why",
]
