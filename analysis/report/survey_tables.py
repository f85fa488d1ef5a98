"""Survey tables of the user-research report: the categorical items (how often data is
reviewed, how it arrives) for all councils, by council and by respondent group, every
question in one table, and the notes that say why rounded parts do not add up.

Shares come from counts rounded to the rule's base separately from their totals (the
disclosure rule: totals from unrounded values, then rounded; percentages from the rounded
values), so parts need not add to the total nor shares to 100% (review finding 28).
:func:`rounding_note` and :func:`shares_note` decide when a table needs a note under it and
write it; the tables stay as the published files have them.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.summaries import summarised
from analysis.report.wording import lower_first, short
from analysis.survey.questionnaire import asked_of

#: A row's shares are said not to add up when they miss 100% by more than this (points);
#: below it the difference is the display's own rounding.
SHARES_TOLERANCE = 0.05


def rounding_note(parts, total, rule, *, what: str = "counts") -> str:
    """A note for a table whose published ``parts`` (suppressed ones excluded) are meant to
    add to the published ``total`` and do not, or ``""`` when they do or cannot be checked
    (a part or the total suppressed)."""
    parts = list(parts)
    if total is None or pd.isna(total) or not parts or any(pd.isna(x) for x in parts):
        return ""
    got, total = int(sum(int(x) for x in parts)), int(total)
    if got == total:
        return ""
    return (
        f"The {what} are rounded to the nearest {rule.rounding_base} separately from their "
        f"total, so they add to {fmt.number(got)}, not {fmt.number(total)}; shares are of the "
        "rounded total (the disclosure rule: totals from unrounded values, then rounded)."
    )


def total_note(parts, total, rule, what: str = "the councils' own counts") -> str:
    """``(each count is rounded to the nearest 5 separately, so the councils' own counts add
    to 530)`` after a published total its published parts do not add to, or ``""``."""
    parts = list(parts)
    if total is None or pd.isna(total) or not parts or any(pd.isna(x) for x in parts):
        return ""
    got = int(sum(int(x) for x in parts))
    if got == int(total):
        return ""
    return (
        f"(each count is rounded to the nearest {rule.rounding_base} separately, so {what} "
        f"add to {fmt.number(got)})"
    )


def shares_note(rows: list[list], rule) -> str:
    """A note when some row of published shares (percentages of a rounded total) does not
    add to 100%, or ``""``; a row with a suppressed share is not checked (its shares cannot
    add up)."""
    off = [
        sum(r)
        for r in rows
        if r and not any(pd.isna(x) for x in r) and abs(sum(r) - 100) > SHARES_TOLERANCE
    ]
    if not off:
        return ""
    lo, hi = min(off), max(off)
    span = fmt.pct(lo, 1) if lo == hi else f"between {fmt.pct(lo, 1)} and {fmt.pct(hi, 1)}"
    rows_word = "one row" if len(off) == 1 else "some rows"
    return (
        f"The shares of {rows_word} add to {span}, not 100%: each answer's count is rounded "
        f"to the nearest {rule.rounding_base} separately from the row's total."
    )


def _note(text: str) -> str:
    return f"*Note.* {md_escape(text)}\n" if text else ""


def _categorical(p) -> list[dict]:
    return [it for it in p.questionnaire["items"] if it["type"] == "categorical"]


def option_rows(table: pd.DataFrame, item: dict, groups: list[tuple[str, str]], value: str):
    """One row per group: its answers (``n``) and the share of each option (``<NA>``
    suppressed). ``table``: a published distributions or option-shares table with ``group,
    item_id, option (or level), count, n`` and ``value`` the share column."""
    key = "option" if "option" in table.columns else "level"
    t = table[table["item_id"] == item["id"]]
    rows = []
    for gid, name in groups:
        g = t[t["group"].astype(str) == gid].set_index(key)
        if g.empty:
            continue
        row = {"who": name, "n": g["n"].iloc[0]}
        for o in item["options"]:
            row[o["id"]] = g[value].get(o["id"], pd.NA) if o["id"] in g.index else pd.NA
        rows.append(row)
    return pd.DataFrame(rows)


def _option_table(df: pd.DataFrame, item: dict, first: str, caption: str, label: str, rule):
    cols = [("who", first, "l"), ("n", "Answers", "r")]
    cols += [(o["id"], o["label"], "r") for o in item["options"]]
    formatters = {"n": lambda v: fmt.count(v, rule.marker)}
    formatters |= {o["id"]: (lambda v: rule.marker if pd.isna(v) else fmt.pct(v, 1))
                   for o in item["options"]}  # fmt: skip
    table = markdown_table(df, cols, caption=caption, label=label, formatters=formatters)
    shares = [[r[o["id"]] for o in item["options"]] for _, r in df.iterrows()]
    return table + "\n" + _note(shares_note(shares, rule))


def option_tables(p, rq: str, names: dict) -> str:
    """The research question's categorical items: all councils (counts and shares, with the
    rounding note), then the shares by council and by respondent group, each a published
    table (``[c]`` where suppressed)."""
    shares = p.table("programme", "survey", "option_shares")
    dist = p.table("programme", "survey", "distributions")
    dist = dist[dist["group_by"] == "authority"]
    labels = {g["id"]: g["label"] for g in p.questionnaire["respondent_groups"]}
    out = []
    for it in (i for i in _categorical(p) if i.get("research_question") == rq):
        s = shares[(shares["item_id"] == it["id"]) & (shares["group"] == "all")]
        if s.empty:
            continue
        out.append(markdown_table(
            s, [("option_label", "Answer", "l"), ("count", "Respondents", "r"),
                ("pct", "Share", "r")],
            caption=f"{it['id']}: {it['text']} (all councils)", label=it["id"].lower(),
            formatters={"count": lambda v: fmt.count(v, p.rule.marker),
                        "pct": lambda v: fmt.pct(v, 1)},
        ))  # fmt: skip
        out.append(_note(rounding_note(s["count"], s["n"].iloc[0], p.rule, what="counts")))
        councils = [(a, short(n)) for a, n in names.items()] + [("all", "All councils")]
        by_council = option_rows(dist, it, councils, "percent")
        if summarised(p):  # a row per council of many: the workbook has them
            out.append(
                f"The shares by council, for all {fmt.number(len(names))}, are in the programme "
                "workbook (sheet “Survey answers”).\n"
            )
        elif len(by_council) > 2:
            out.append(_option_table(
                by_council, it, "Council", f"{it['id']}: {it['text']} (by council)",
                f"{it['id'].lower()}-councils", p.rule))  # fmt: skip
        groups = [(g, labels[g]) for g in labels] + [("all", "All respondents")]
        by_group = option_rows(shares, it, groups, "pct")
        if len(by_group) > 2:
            out.append(_option_table(
                by_group, it, "Respondent group",
                f"{it['id']}: {it['text']} (by respondent group, all councils)",
                f"{it['id'].lower()}-groups", p.rule))  # fmt: skip
    return "\n".join(out)


def favourable_word(item: dict) -> str:
    """What a favourable answer is for an item: agree / satisfied, or for a reverse-keyed item
    disagree / dissatisfied (said, so a reverse-keyed share is not read the wrong way)."""
    if item.get("scale") == "satisfaction":
        return "dissatisfied (reverse-keyed)" if item.get("reverse") else "satisfied"
    if item.get("scale") == "agreement":
        return "disagree (reverse-keyed)" if item.get("reverse") else "agree"
    return "favourable"


def every_question(p) -> str:
    """Every questionnaire item in one table: answers and the summary a reader needs. Likert
    items show the favourable share the charts draw (the collapsed table's ``all`` row, so the
    chart and this table agree, reverse-keyed items included); categorical items their most
    frequent answer."""
    df = p.table("programme", "survey", "item_summary")
    df = df[df["group"] == "all"].copy()
    col = p.table("programme", "survey", "likert_collapsed")
    col = col[col["group"].astype(str) == "all"].set_index("item_id")
    texts = {it["id"]: it["text"] for it in p.questionnaire["items"]}
    df["text"] = df["item_id"].map(texts)
    labels = {g["id"]: g["label"] for g in p.questionnaire["respondent_groups"]}
    for it in p.questionnaire["items"]:
        groups = asked_of(p.questionnaire, it)
        if groups:
            who = fmt.prose_list(lower_first(labels[g]) for g in groups)
            df.loc[df["item_id"] == it["id"], "text"] = f"{it['text']} (asked of {who} only)"
    words = {it["id"]: favourable_word(it) for it in p.questionnaire["items"]}
    fav = col["pct_favourable"] if len(col) else pd.Series(dtype="Float64")
    n_likert = col["n"] if len(col) else pd.Series(dtype="Int64")
    df["n"] = [n_likert.get(i, n) if str(t) == "likert" else n
               for i, t, n in zip(df["item_id"], df["item_type"], df["n"], strict=True)]  # fmt: skip
    df["summary"] = [
        (fmt.pct(fav[i], 1) + " " + words[i] if i in fav.index and pd.notna(fav[i])
         else p.rule.marker) if str(t) == "likert" else
        (f"most often “{lbl}” ({fmt.pct(pc, 1)})" if isinstance(lbl, str) else fmt.DASH)
        for i, t, lbl, pc in zip(df["item_id"], df["item_type"], df["top_level_label"],
                                 df["top_level_pct"], strict=True)
    ]  # fmt: skip
    return markdown_table(
        df,
        [
            ("item_id", "Item", "l"),
            ("text", "Question", "l"),
            ("n", "Answers", "r"),
            ("summary", "All councils", "l"),
        ],  # fmt: skip
        caption="Every question of the survey, all respondents of all councils: the share "
        "agreeing or satisfied (disagreeing or dissatisfied for a reverse-keyed item, the "
        "favourable side of its chart), or the most frequent answer",
        label="every-question",
        formatters={"n": lambda v: fmt.count(v, p.rule.marker)},
    )
