"""Figures of the workshop coding analysis, drawn through :mod:`analysis.core.plotting`.

Each function draws one figure from an already computed table, saves it with
``plotting.save_figure`` (PNG + ``.alt.txt``) and returns the alt text. Count figures draw
counts as published: disclosure-controlled counts (checked with
``disclosure.check_controlled``; suppressed cells (<NA>) drawn as the rule's marker, never as
a bar or a colour), or, with ``text=True``, counts of text that the disclosure scope rule
publishes as they are (:mod:`analysis.coding.scope`; checked to be whole numbers). Style: UK Government
Analysis Function data-visualisation guidance (direct labels, accessible palette, alt text).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.agreement import ALPHA_RELIABLE, ALPHA_TENTATIVE
from analysis.core import plotting

# The thresholds as the tables print them (three decimals), for labels and alt text.
_TENTATIVE = f"{ALPHA_TENTATIVE:.3f}"
_RELIABLE = f"{ALPHA_RELIABLE:.3f}"


def _labels(table: pd.DataFrame, label_col: str) -> list[str]:
    if label_col in table.columns:
        return [
            str(lab) if pd.notna(lab) else str(code)
            for lab, code in zip(table[label_col], table["code"], strict=True)
        ]
    return [str(c) for c in table["code"]]


def _rule_sentence(rule, text: bool = False, suppressed: bool = False) -> str:
    if text:
        return "Counts are of excerpts (text, not people) and are shown as they are" + (
            f", except {rule.marker}: a count whose excerpts all come from sessions of 1 to "
            f"{rule.min_count - 1} people in all, suppressed."
            if suppressed
            else "."
        )
    return (
        f"Counts are rounded to the nearest {rule.rounding_base}; counts from 1 to "
        f"{rule.min_count - 1} are suppressed and shown as {rule.marker}."
    )


def _check_counts(table: pd.DataFrame, col: str, rule, text: bool, where: str) -> None:
    """Controlled counts through ``disclosure.check_controlled``; text counts must be whole
    numbers (``analysis.coding.scope.text_counts``)."""
    if text:
        from analysis.coding.scope import text_counts

        text_counts(table[col])
        return
    from analysis.core.disclosure import check_controlled

    check_controlled(table, [col], rule, where=where)


def code_frequency_figure(
    table: pd.DataFrame,
    path: str | Path,
    rule,
    *,
    count_col: str = "n_excerpts",
    label_col: str = "label",
    title: str | None = None,
    unit_name: str = "excerpts",
    text: bool = False,
) -> str:
    """Horizontal bar chart of published code frequencies (one bar per row, table order).

    ``table``: rows of one group (e.g. one authority) with ``code``, optionally ``label_col``,
    and a published ``count_col``: controlled (from ``coding.control_count_columns``; raises
    ``disclosure.DisclosureError`` if a count is not) or, with ``text=True``, a count of text
    published as it is. Returns the alt text.
    """
    _check_counts(table, count_col, rule, text, "code frequency figure")
    if table["code"].duplicated().any():
        raise ValueError("code frequency figure: one row per code expected (filter to one group)")
    labels = _labels(table, label_col)
    values = table[count_col].astype("Float64")
    n = len(table)
    fig, ax = plotting.new_figure(height_in=max(1.8, 0.32 * n + 0.9))
    y = np.arange(n)
    shown = values.fillna(0).to_numpy(dtype=float)
    vmax = float(np.nanmax(shown)) if n and np.nanmax(shown) > 0 else 1.0
    ax.barh(y, shown, color=plotting.CATEGORICAL[0], height=0.7)
    for yi, v in zip(y, values, strict=True):
        text = rule.marker if pd.isna(v) else f"{int(v)}"
        colour = "#6F777B" if pd.isna(v) else plotting.TEXT
        ax.text(
            (0 if pd.isna(v) else float(v)) + vmax * 0.01,
            yi,
            text,
            va="center",
            fontsize=8,
            color=colour,
        )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, vmax * 1.12)
    ax.set_xlabel(f"Number of {unit_name}" + ("" if text else " (rounded)"))
    ax.spines["left"].set_visible(True)
    if title:
        ax.set_title(title, loc="left")

    published = values.dropna()
    order = published.sort_values(ascending=False, kind="stable")
    top = [f"{labels[i]} ({int(order.loc[i])})" for i in order.index[:3] if order.loc[i] > 0]
    n_supp = int(values.isna().sum())
    alt = (
        f"Horizontal bar chart of the number of {unit_name} coded with each of {n} codes"
        + (f" ({title})" if title else "")
        + ". "
        + (
            f"Most frequent: {', '.join(top)}. "
            if top
            else "No code has a published count above zero. "
        )
        + (f"{n_supp} code(s) suppressed. " if n_supp else "")
        + _rule_sentence(rule, text, bool(n_supp))
    )
    plotting.save_figure(fig, path, alt)
    return alt


def cooccurrence_heatmap(
    matrix: pd.DataFrame,
    path: str | Path,
    rule,
    *,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    text: bool = False,
) -> str:
    """Heatmap of a published square co-occurrence matrix; suppressed cells marked.

    ``matrix``: code x code published counts (``coding.cooccurrence_matrix`` of
    ``coding.controlled_cooccurrence``): controlled, <NA> = suppressed, or with ``text=True``
    counts of text as they are. Suppressed cells are grey, hatched and carry the rule's
    marker; every other cell carries its count (direct labels). ``labels`` maps code id ->
    display label. Returns the alt text.
    """
    from matplotlib.colors import LinearSegmentedColormap, to_hex
    from matplotlib.patches import Rectangle

    codes = [str(c) for c in matrix.index]
    if list(matrix.columns.astype(str)) != codes:
        raise ValueError("co-occurrence heatmap: a square matrix with the same codes expected")
    long = pd.DataFrame({"n": matrix.astype("Int64").to_numpy().ravel()})
    long["n"] = long["n"].astype("Int64")
    _check_counts(long, "n", rule, text, "co-occurrence heatmap")
    names = [(labels or {}).get(c, c) for c in codes]
    values = matrix.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n = len(codes)
    cmap = LinearSegmentedColormap.from_list("seq", list(reversed(plotting.SEQUENTIAL)))
    vmax = float(np.nanmax(values)) if np.isfinite(values).any() and np.nanmax(values) > 0 else 1.0
    side = min(plotting.A4_TEXT_WIDTH_IN, max(2.5, 0.45 * n + 2.0))
    fig, ax = plotting.new_figure(height_in=side, width_in=plotting.A4_TEXT_WIDTH_IN)
    masked = np.ma.masked_invalid(values)
    ax.imshow(masked, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            if np.isnan(v):
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor=plotting.NEUTRAL_GREY,
                        hatch="///",
                        edgecolor="#FFFFFF",
                        linewidth=0,
                    )
                )
                ax.text(
                    j, i, rule.marker, ha="center", va="center", fontsize=7, color=plotting.TEXT
                )
            else:
                colour = plotting.text_colour_on(to_hex(cmap(v / vmax)))
                ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(n), names, rotation=45, ha="right")
    ax.set_yticks(range(n), names)
    ax.spines[:].set_visible(False)
    if title:
        ax.set_title(title, loc="left")

    off = [
        (values[i, j], names[i], names[j])
        for i in range(n)
        for j in range(i + 1, n)
        if not np.isnan(values[i, j]) and values[i, j] > 0
    ]
    off.sort(key=lambda t: (-t[0], t[1], t[2]))
    n_supp = int(np.isnan(values[np.triu_indices(n, 1)]).sum()) if n else 0
    strongest = "; ".join(f"{a} with {b} ({int(v)})" for v, a, b in off[:3])
    alt = (
        f"Heatmap of code co-occurrence for {n} codes"
        + (f" ({title})" if title else "")
        + ": each cell is the number of excerpts coded with both codes; the diagonal is the "
        "number of excerpts with the code. "
        + (
            f"Most frequent pairs: {strongest}. "
            if off
            else "No pair has a published count above zero. "
        )
        + (f"{n_supp} pair(s) suppressed. " if n_supp else "")
        + _rule_sentence(rule, text, bool(n_supp))
    )
    plotting.save_figure(fig, path, alt)
    return alt


_BAND_COLOUR = {
    "reliable": plotting.CATEGORICAL[0],
    "tentative": plotting.CATEGORICAL[3],
    "not reliable": plotting.CATEGORICAL[2],
}


def agreement_figure(
    agreement: pd.DataFrame,
    path: str | Path,
    *,
    label_col: str | None = None,
    title: str | None = None,
) -> str:
    """Dot plot of Krippendorff's alpha per code with lines at the two thresholds (0.667, 0.800).

    ``agreement``: rows of ``coding.intercoder_agreement`` for one group (``scope == "code"``
    rows are drawn; the overall row, if present, is named in the alt text). Codes whose alpha
    is undefined are listed on the chart as "not defined" with their reason. Dots are coloured
    and directly labelled by band (Krippendorff 2004, p. 241). Returns the alt text.
    """
    rows = agreement[agreement["scope"] == "code"] if "scope" in agreement else agreement
    if rows["code"].duplicated().any():
        raise ValueError("agreement figure: one row per code expected (filter to one group)")
    overall = agreement[agreement["scope"] == "overall"] if "scope" in agreement else None
    names = _labels(rows, label_col) if label_col else [str(c) for c in rows["code"]]
    alpha = rows["alpha"].astype("float64").to_numpy()
    n = len(rows)
    fig, ax = plotting.new_figure(height_in=max(1.8, 0.32 * n + 1.0))
    y = np.arange(n)
    lo = min(0.0, float(np.nanmin(alpha)) if np.isfinite(alpha).any() else 0.0) - 0.05
    # the two lines are only 0.133 apart: label them outwards so the labels never overlap
    for x_ref, text, ha, dx in (
        (ALPHA_TENTATIVE, f"tentative {_TENTATIVE}", "right", -0.01),
        (ALPHA_RELIABLE, f"{_RELIABLE} reliable", "left", 0.01),
    ):
        ax.axvline(x_ref, color="#6F777B", linestyle="--", linewidth=0.8)
        ax.text(x_ref + dx, -0.9, text, ha=ha, va="bottom", fontsize=7, color="#6F777B")
    bands = [None if pd.isna(b) else str(b) for b in rows["alpha_band"]]
    reasons = [
        None if pd.isna(r) else str(r) for r in (rows["reason"] if "reason" in rows else [None] * n)
    ]
    for yi, a, band, reason in zip(y, alpha, bands, reasons, strict=True):
        if np.isnan(a):
            why = f": {reason.split(';')[0]}" if isinstance(reason, str) and reason else ""
            ax.text(lo + 0.01, yi, f"not defined{why}", va="center", fontsize=7, color="#6F777B")
            continue
        colour = _BAND_COLOUR.get(band, plotting.TEXT)
        ax.plot([a], [yi], "o", color=colour, markersize=6)
        # three decimals, as the thresholds: 0.7996 must not read "0.80 tentative"
        # clear of its dot, on white so a threshold line never strikes the label through
        ax.text(a + 0.025, yi, f"{a:.3f} {band}", va="center", fontsize=7, color=colour,
                zorder=3, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})  # fmt: skip
    ax.set_yticks(y, names)
    ax.set_ylim(n - 0.5, -1.2)
    ax.set_xlim(lo, 1.25)
    ax.set_xlabel("Krippendorff's alpha\n(nominal; code present or absent per excerpt)")
    if title:
        ax.set_title(title, loc="left")

    counts = {b: sum(1 for x in bands if x == b) for b in ("reliable", "tentative", "not reliable")}
    undefined = int(np.isnan(alpha).sum())
    below = [
        nm for nm, a in zip(names, alpha, strict=True) if not np.isnan(a) and a < ALPHA_TENTATIVE
    ]
    alt = (
        f"Dot plot of Krippendorff's alpha for {n} codes"
        + (f" ({title})" if title else "")
        + f", with reference lines at {_TENTATIVE} and {_RELIABLE}. "
        + f"{counts['reliable']} reliable ({_RELIABLE} or above), {counts['tentative']} tentative "
        f"({_TENTATIVE} to {_RELIABLE}), {counts['not reliable']} not reliable (below {_TENTATIVE})"
        + (f": {', '.join(below)}" if below else "")
        + ". "
        + (f"{undefined} code(s) have no defined alpha. " if undefined else "")
    )
    if overall is not None and len(overall) == 1 and pd.notna(overall["alpha"].iloc[0]):
        alt += f"Overall alpha across codes: {float(overall['alpha'].iloc[0]):.2f}."
    plotting.save_figure(fig, path, alt.strip())
    return alt.strip()
