"""Item distributions: counts per level, % of answered, medians and % agree, raw and controlled.

Likert items are reported as distributions (counts, % of answered, median, % agree), not
means (``docs/reference/research-methods.md``, "Likert survey data"). Input is the wide survey
table read through :mod:`analysis.survey.answers`; :func:`item_distributions` returns RAW,
unrounded statistics, and :func:`controlled_distributions` is the bridge to
:mod:`analysis.core.disclosure` that every published distribution passes through.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import analysis.survey.questionnaire as qn
from analysis.survey.answers import group_codes, likert_codes, option_index

__all__ = [
    "DIST_COLUMNS",
    "controlled_distributions",
    "item_distributions",
]

DIST_COLUMNS = [
    "group_by",
    "group",
    "item_id",
    "item_type",
    "scale",
    "level",
    "code",
    "level_label",
    "polarity",
    "count",
    "percent",
    "n",
    "n_missing",
    "pct_missing",
    "median",
    "pct_agree",
    "pct_disagree",
]


def _median_from_counts(codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Median of each row of a (groups x levels) count table over ordered ``codes``.

    Even n: the mean of the two middle values (so it may fall half-way between codes).
    """
    counts = np.atleast_2d(counts)
    n = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    out = np.full(n.shape, np.nan)
    for g in np.flatnonzero(n > 0):
        lo = np.searchsorted(cum[g], (n[g] - 1) // 2 + 1)
        hi = np.searchsorted(cum[g], n[g] // 2 + 1)
        out[g] = (codes[lo] + codes[hi]) / 2
    return out


def item_distributions(
    survey: pd.DataFrame, questionnaire: dict, by: str | None = None, items=None
) -> pd.DataFrame:
    """Distribution of every Likert and categorical item, overall or by a grouping column.

    Tidy long table, one row per group x item x level (levels in scale/option order, zero
    counts included), with the item-level summaries repeated on each of its level rows:

    ``group_by`` ("overall" or the ``by`` column), ``group`` ("all" or the group value),
    ``item_id``, ``item_type`` (likert|categorical), ``scale``, ``level`` (str: the code or
    option id), ``code`` (Int64 Likert code, <NA> for categorical), ``level_label``,
    ``polarity`` (negative|neutral|positive from the scale's ``negative``/``positive``
    codes; <NA> for categorical), ``count``, ``percent`` (of answered), ``n`` (answered),
    ``n_missing``, ``pct_missing`` (of the group's responses), ``median`` (Likert code; mean
    of the two middle values for even n), ``pct_agree`` / ``pct_disagree`` (% of answered in
    the scale's positive / negative codes).

    Rows whose ``by`` value is missing count in the overall table only. All values raw.
    """
    group_by, g, labels = group_codes(survey, by)
    n_groups = len(labels)
    in_group = g >= 0
    blocks = []
    for it in qn.items(questionnaire, ids=items):
        kind = it.get("type")
        if kind == "likert":
            sc = qn.item_scale(questionnaire, it)
            k = len(sc["levels"])
            x = likert_codes(survey, it, k)
            idx = np.where(np.isnan(x), k, x - 1).astype(np.int64)
            level = [str(c) for c in range(1, k + 1)]
            code = np.arange(1, k + 1)
            level_label = list(sc["levels"])
            pos, neg = set(sc.get("positive", [])), set(sc.get("negative", []))
            polarity = [
                "positive" if c in pos else "negative" if c in neg else "neutral" for c in code
            ]
            scale = it["scale"]
        elif kind == "categorical":
            idx = option_index(survey, it)
            k = len(it["options"])
            idx = np.where(idx < 0, k, idx)
            level = [str(o["id"]) for o in it["options"]]
            code = None
            level_label = [str(o.get("label", o["id"])) for o in it["options"]]
            polarity = None
            scale = pd.NA
        else:
            continue
        tab = np.bincount(
            g[in_group] * (k + 1) + idx[in_group], minlength=n_groups * (k + 1)
        ).reshape(n_groups, k + 1)
        counts, n_missing = tab[:, :k], tab[:, k]
        n = counts.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = 100 * counts / n[:, None]
            pct_missing = 100 * n_missing / (n + n_missing)
        if kind == "likert":
            median = _median_from_counts(code.astype(float), counts)
            pmask = np.array([p == "positive" for p in polarity])
            nmask = np.array([p == "negative" for p in polarity])
            with np.errstate(invalid="ignore", divide="ignore"):
                pct_agree = 100 * counts[:, pmask].sum(axis=1) / n
                pct_disagree = 100 * counts[:, nmask].sum(axis=1) / n
        else:
            median = pct_agree = pct_disagree = np.full(n_groups, np.nan)
        rep = np.repeat
        blocks.append(
            pd.DataFrame(
                {
                    "group_by": group_by,
                    "group": rep(labels, k),
                    "item_id": it["id"],
                    "item_type": kind,
                    "scale": scale,
                    "level": np.tile(level, n_groups),
                    "code": pd.array(
                        np.tile(code, n_groups) if code is not None else [pd.NA] * (n_groups * k),
                        dtype="Int64",
                    ),
                    "level_label": np.tile(level_label, n_groups),
                    "polarity": np.tile(polarity, n_groups)
                    if polarity is not None
                    else [pd.NA] * (n_groups * k),
                    "count": counts.ravel(),
                    "percent": percent.ravel(),
                    "n": rep(n, k),
                    "n_missing": rep(n_missing, k),
                    "pct_missing": rep(pct_missing, k),
                    "median": rep(median, k),
                    "pct_agree": rep(pct_agree, k),
                    "pct_disagree": rep(pct_disagree, k),
                }
            )
        )
    if not blocks:
        return pd.DataFrame(columns=DIST_COLUMNS)
    out = pd.concat(blocks, ignore_index=True)
    for col in ("group_by", "group", "item_id", "item_type", "scale", "level", "level_label"):
        out[col] = out[col].astype("string")
    out["polarity"] = out["polarity"].astype("string")
    out[["count", "n", "n_missing"]] = out[["count", "n", "n_missing"]].astype("int64")
    return out[DIST_COLUMNS]


def controlled_distributions(dist: pd.DataFrame, rule) -> pd.DataFrame:
    """Disclosure-controlled version of an :func:`item_distributions` table.

    Each (group_by, item) block is controlled as one group x level crosstab with
    :func:`analysis.core.disclosure.control_crosstab` (primary + secondary suppression, rounding,
    totals from unrounded counts); for a grouped block the totals row is kept as group
    ``"all"`` so the overall figures published beside the groups are consistent with them.
    (Publishing a separately controlled ``overall`` table next to a grouped one can let a
    cell be recovered by differencing across the tables: prefer the ``"all"`` rows.)

    ``count`` and ``n`` are the controlled counts (Int64, <NA> = suppressed); ``percent``,
    ``pct_agree``, ``pct_disagree`` are computed from the ROUNDED counts (<NA> when a part
    is suppressed); ``n_missing`` is controlled as a group x 1 table with its "all" total
    (secondary suppression included) and ``pct_missing`` is computed from rounded values;
    ``median`` is suppressed (NaN) when it rests on fewer than ``rule.min_count`` answers.
    """
    from analysis.core.disclosure import control_counts, control_crosstab, suppress_small_base

    missing_cols = set(DIST_COLUMNS) - set(dist.columns)
    if missing_cols:
        raise KeyError(f"distribution table lacks columns {sorted(missing_cols)}")
    total_label = "\x00all"  # cannot clash with a group value
    out_blocks = []
    for (group_by, item_id), blk in dist.groupby(["group_by", "item_id"], sort=False):
        levels = list(dict.fromkeys(blk["level"]))
        groups = list(dict.fromkeys(blk["group"]))
        if "all" in groups and group_by != "overall":
            raise ValueError(f"item {item_id}: a group of {group_by!r} is called 'all'")
        raw = (
            blk.pivot(index="group", columns="level", values="count")
            .reindex(index=groups, columns=levels)
            .astype("int64")
        )
        ctab = control_crosstab(raw, rule, row_total=total_label, col_total="n")
        first = blk.drop_duplicates("group").set_index("group")
        miss_raw = first["n_missing"].reindex(groups)
        if group_by == "overall":
            ctab = ctab.drop(index=total_label)
            row_groups = groups
        else:
            ctab = ctab.rename(index={total_label: "all"})
            row_groups = [*groups, "all"]
            miss_raw = pd.concat([miss_raw, pd.Series([miss_raw.sum()], index=["all"])])
        raw_tot = raw.copy()
        if group_by != "overall":
            raw_tot.loc["all"] = raw.sum(axis=0)
        if group_by == "overall":
            n_missing = control_counts(miss_raw, rule)
        else:  # the "all" row is a published total of the groups' missing counts
            mtab = control_crosstab(
                miss_raw.iloc[:-1].to_frame("m").astype("int64"), rule, row_total="all"
            )
            n_missing = mtab["m"]
        template = blk[blk["group"] == groups[0]].reset_index(drop=True)
        for grp in row_groups:
            row = template.copy()
            row["group"] = grp
            counts = ctab.loc[grp, levels].astype("Int64").reset_index(drop=True)
            n_ctl = ctab.loc[grp, "n"]
            row["count"] = counts.to_numpy()
            row["n"] = pd.array([n_ctl] * len(levels), dtype="Int64")
            base = pd.NA if pd.isna(n_ctl) or n_ctl == 0 else int(n_ctl)
            row["percent"] = (counts.astype("Float64") * 100 / base).to_numpy()
            nm = n_missing.loc[grp]
            row["n_missing"] = pd.array([nm] * len(levels), dtype="Int64")
            denom = n_ctl + nm if not (pd.isna(n_ctl) or pd.isna(nm)) else pd.NA
            pm = pd.NA if pd.isna(denom) or denom == 0 else float(nm) * 100 / float(denom)
            row["pct_missing"] = pd.array([pm] * len(levels), dtype="Float64")
            n_raw = int(raw_tot.loc[grp].sum())
            if template["item_type"].iloc[0] == "likert":
                med = _median_from_counts(
                    template["code"].astype(float).to_numpy(),
                    raw_tot.loc[grp].to_numpy()[None, :],
                )[0]
                med = suppress_small_base(med, n_raw, rule)
                agree = []
                for pol in ("positive", "negative"):
                    part = counts[(template["polarity"] == pol).to_numpy()]
                    if pd.isna(base) or not base or part.isna().any():
                        agree.append(pd.NA)
                    else:
                        agree.append(float(part.sum()) * 100 / float(base))
            else:
                med, agree = float("nan"), [pd.NA, pd.NA]
            row["median"] = med
            row["pct_agree"] = pd.array([agree[0]] * len(levels), dtype="Float64")
            row["pct_disagree"] = pd.array([agree[1]] * len(levels), dtype="Float64")
            out_blocks.append(row)
    if not out_blocks:
        return dist.iloc[0:0].copy()
    out = pd.concat(out_blocks, ignore_index=True)
    for col in ("count", "n", "n_missing"):
        out[col] = out[col].astype("Int64")
    for col in ("percent", "pct_missing", "pct_agree", "pct_disagree"):
        out[col] = out[col].astype("Float64")
    out["group"] = out["group"].astype("string")
    return out[DIST_COLUMNS]
