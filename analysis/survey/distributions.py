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


def _na(value) -> bool:
    return value is None or bool(pd.isna(value))


def _controlled_block(template, levels, row_groups, ctab, raw_tot, n_missing, rule):
    """The published rows of one (group_by, item) block: ``template`` (the block's rows for
    one group) repeated for each of ``row_groups`` with the controlled counts of ``ctab`` and
    ``n_missing`` and what is computed from them (see :func:`controlled_distributions`).

    Computed on plain Python values, group by group, and written into the block's columns
    once: a pandas operation per cell made this the survey stage's slowest step (issue 15)."""
    from analysis.core.disclosure import suppress_small_base

    n_lev = len(levels)
    rows = template.loc[np.tile(np.arange(n_lev), len(row_groups))].reset_index(drop=True)
    rows["group"] = np.repeat(np.array(row_groups, dtype=object), n_lev)
    likert = template["item_type"].iloc[0] == "likert"
    if likert:
        codes = template["code"].astype(float).to_numpy()
        polarity = template["polarity"].to_numpy()
        positive = [bool(x == "positive") for x in polarity]
        negative = [bool(x == "negative") for x in polarity]
    raw = raw_tot.loc[row_groups, levels].to_numpy()
    cols = {k: [] for k in ("count", "n", "percent", "n_missing", "pct_missing")}
    per_group = {k: [] for k in ("median", "pct_agree", "pct_disagree")}
    for i, grp in enumerate(row_groups):
        counts = [None if _na(v) else int(v) for v in ctab.loc[grp, levels].tolist()]
        n_ctl = ctab.at[grp, "n"]
        n_ctl = None if _na(n_ctl) else int(n_ctl)
        base = None if n_ctl is None or n_ctl == 0 else n_ctl
        nm = n_missing.loc[grp]
        nm = None if _na(nm) else int(nm)
        denom = None if n_ctl is None or nm is None else n_ctl + nm
        cols["count"] += counts
        cols["n"] += [n_ctl] * n_lev
        cols["percent"] += [None if c is None or base is None else c * 100 / base for c in counts]
        cols["n_missing"] += [nm] * n_lev
        cols["pct_missing"] += [None if not denom else nm * 100 / denom] * n_lev
        if likert:
            med = _median_from_counts(codes, raw[i][None, :])[0]
            med = suppress_small_base(med, int(raw[i].sum()), rule)
            agree = []
            for mask in (positive, negative):
                part = [c for c, m in zip(counts, mask, strict=True) if m]
                agree.append(
                    None if base is None or any(c is None for c in part) else sum(part) * 100 / base
                )
        else:
            med, agree = float("nan"), [None, None]
        per_group["median"].append(med)
        per_group["pct_agree"].append(agree[0])
        per_group["pct_disagree"].append(agree[1])
    for k in ("count", "n", "n_missing"):
        rows[k] = pd.array(cols[k], dtype="Int64")
    for k in ("percent", "pct_missing"):
        rows[k] = pd.array(cols[k], dtype="Float64")
    rows["median"] = np.repeat(np.array(per_group["median"], dtype=float), n_lev)
    for k in ("pct_agree", "pct_disagree"):
        rows[k] = pd.array(np.repeat(np.array(per_group[k], dtype=object), n_lev), dtype="Float64")
    return rows


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
    from analysis.core.disclosure import control_counts, control_crosstab

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
        out_blocks.append(
            _controlled_block(template, levels, row_groups, ctab, raw_tot, n_missing, rule)
        )
    if not out_blocks:
        return dist.iloc[0:0].copy()
    out = pd.concat(out_blocks, ignore_index=True)
    for col in ("count", "n", "n_missing"):
        out[col] = out[col].astype("Int64")
    for col in ("percent", "pct_missing", "pct_agree", "pct_disagree"):
        out[col] = out[col].astype("Float64")
    out["group"] = out["group"].astype("string")
    return out[DIST_COLUMNS]
