"""Likert answers collapsed to unfavourable / neutral / favourable before disclosure control.

The five-level distributions suppress many cells (a level answered by 1 to 7 people, then a
second cell of its row), so a chart drawn from them hid nearly half of the councils'
favourable shares and drew the hidden answers on one side (review finding 9). Collapsing the
levels first and controlling the three categories as one table loses the "strongly" detail
but leaves far fewer cells suppressed, and the categories are the ones the reports speak of:

* ``favourable``: the scale's positive codes, or its negative codes for a reverse-keyed item
  (so "favourable" always reads the same way in the charts and the tables, review finding
  28);
* ``neutral``: the midpoint;
* ``unfavourable``: the other side.

Each item's block (groups x three categories, with the ``all`` row and the answered total
``n``) is controlled with :func:`analysis.core.disclosure.control_crosstab` (primary and
secondary suppression, rounding to the rule's base, totals from unrounded counts);
percentages come from the rounded counts. ``pct_suppressed`` is what the published
percentages leave of 100 when a category is suppressed: derivable from the table, so drawing
it discloses nothing.

Disclosure of the two tables side by side: each category is the sum of levels of the
five-level table, and both are rounded to the rule's base independently, so subtracting
published values locates a suppressed level only to within the rounding (an interval wider
than the suppressed range); no cell is recovered exactly (``docs/outputs/survey.md``).
"""

from __future__ import annotations

import pandas as pd

import analysis.survey.questionnaire as qn

__all__ = ["CATEGORIES", "COLLAPSED_COLUMNS", "COLLAPSED_COUNTS", "collapsed_distributions"]

#: The three categories, from the unfavourable side to the favourable one.
CATEGORIES = ("unfavourable", "neutral", "favourable")
COLLAPSED_COLUMNS = [
    "group_by",
    "group",
    "item_id",
    "construct",
    "reverse",
    "n",
    "n_unfavourable",
    "n_neutral",
    "n_favourable",
    "pct_unfavourable",
    "pct_neutral",
    "pct_favourable",
    "pct_suppressed",
]
#: Count columns of the published table.
COLLAPSED_COUNTS = ["n", "n_unfavourable", "n_neutral", "n_favourable"]


def _category(polarity: str, reverse: bool) -> str:
    if polarity == "neutral":
        return "neutral"
    favourable = "negative" if reverse else "positive"
    return "favourable" if polarity == favourable else "unfavourable"


def collapsed_distributions(dist: pd.DataFrame, questionnaire: dict, rule) -> pd.DataFrame:
    """Controlled unfavourable / neutral / favourable counts of every Likert item.

    ``dist``: a RAW :func:`analysis.survey.item_distributions` table of one grouping (not
    ``overall``); each item's groups are controlled as one crosstab whose total row is
    published as group ``all``. Returns :data:`COLLAPSED_COLUMNS` (counts Int64, <NA> =
    suppressed; percentages of the rounded ``n`` from the rounded counts, <NA> where
    suppressed).
    """
    from analysis.core.disclosure import control_crosstab

    meta = {it["id"]: it for it in qn.items(questionnaire, "likert")}
    likert = dist[(dist["item_type"] == "likert") & (dist["group_by"] != "overall")]
    blocks = []
    for (group_by, item_id), blk in likert.groupby(["group_by", "item_id"], sort=False):
        it = meta[item_id]
        reverse = bool(it.get("reverse"))
        cat = blk["polarity"].map(lambda p, r=reverse: _category(str(p), r))
        raw = (
            blk.assign(_cat=cat)
            .pivot_table(index="group", columns="_cat", values="count", aggfunc="sum")
            .reindex(index=list(dict.fromkeys(blk["group"])), columns=list(CATEGORIES))
            .fillna(0)
            .astype("int64")
        )
        if "all" in raw.index:
            raise ValueError(f"item {item_id}: a group of {group_by!r} is called 'all'")
        ctab = control_crosstab(raw, rule, row_total="all", col_total="n")
        out = ctab.rename_axis("group").reset_index()
        out = out.rename(columns={c: f"n_{c}" for c in CATEGORIES})
        out.insert(0, "group_by", group_by)
        out.insert(2, "item_id", item_id)
        out.insert(3, "construct", it.get("construct"))
        out.insert(4, "reverse", reverse)
        n = out["n"].astype("Float64")
        shown = pd.Series(0.0, index=out.index)
        hidden = pd.Series(False, index=out.index)
        for c in CATEGORIES:
            pct = out[f"n_{c}"].astype("Float64") * 100 / n.mask(n == 0)
            out[f"pct_{c}"] = pct
            shown += pct.fillna(0)
            hidden |= out[f"n_{c}"].isna()
        out["pct_suppressed"] = (100 - shown).where(hidden & n.notna() & (n > 0)).clip(lower=0)
        out.loc[n.isna(), "pct_suppressed"] = 100.0
        blocks.append(out)
    if not blocks:
        return pd.DataFrame(columns=COLLAPSED_COLUMNS)
    out = pd.concat(blocks, ignore_index=True)[COLLAPSED_COLUMNS]
    for c in COLLAPSED_COUNTS:
        out[c] = out[c].astype("Int64")
    for c in ("pct_unfavourable", "pct_neutral", "pct_favourable", "pct_suppressed"):
        out[c] = out[c].astype("Float64")
    out["group"] = out["group"].astype("string")
    return out
