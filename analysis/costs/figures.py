"""Figures of the cost-benefit model, drawn through :mod:`analysis.core.plotting`.

Each function draws one figure, saves it (PNG + ``.alt.txt``) with
:func:`analysis.core.plotting.save_figure` and returns the alt text. Charts follow the Analysis
Function guidance: the accessible palette, direct labels instead of legends. Money in labels,
axis ticks and alt text is formatted by :func:`analysis.core.formatting.money`, the format of
the report text, so a chart and the sentence quoting it show the same figure.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import plotting
from analysis.core.formatting import money
from analysis.costs.precision import probability_text

#: At most this many intervals between ticks on a horizontal money axis: money() labels such
#: as "−£400.00m" are wide, and matplotlib's default ticks let them run into each other.
_X_MONEY_BINS = 5


def _money_axis(axis, bins: int | None = None) -> None:
    """Label ``axis`` with :func:`money`; with ``bins``, use at most that many tick intervals."""
    from matplotlib.ticker import MaxNLocator

    if bins is not None:
        axis.set_major_locator(MaxNLocator(nbins=bins))
    axis.set_major_formatter(lambda v, _p: money(v, trim=True))


def cumulative_cash_flow_figure(
    cash_flows: pd.DataFrame,
    option_id: str,
    path: str | Path,
    payback_year: int | None = None,
    option_name: str | None = None,
) -> str:
    """Discounted net benefit by year (bars) and its running total (line), payback marked.

    ``cash_flows`` is ``Appraisal.cash_flows``; ``payback_year`` as in ``Appraisal.results``;
    ``option_name`` is how the alt text names the option (never its id).
    """
    cf = cash_flows[cash_flows["option_id"].astype(str) == str(option_id)].sort_values("year")
    years = cf["year"].to_numpy(int)
    disc = cf["discounted_net_benefit"].to_numpy(float)
    cum = cf["cumulative_discounted_net_benefit"].to_numpy(float)
    fig, ax = plotting.new_figure(3.2)
    with plotting.style():
        colours = [plotting.CATEGORICAL[1] if v >= 0 else plotting.CATEGORICAL[2] for v in disc]
        ax.bar(years, disc, color=colours, width=0.6)
        ax.plot(years, cum, color=plotting.CATEGORICAL[0], marker="o", linewidth=2)
        ax.axhline(0, color=plotting.NEUTRAL_GREY, linewidth=1)
        ax.annotate(
            "cumulative",
            (years[-1], cum[-1]),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            color=plotting.CATEGORICAL[0],
        )
        if payback_year is not None and not pd.isna(payback_year):
            ax.axvline(int(payback_year), color=plotting.CATEGORICAL[3], linestyle="--")
            ax.annotate(
                f"social payback in year {int(payback_year)}",
                (int(payback_year), ax.get_ylim()[0]),
                xytext=(4, 6),
                textcoords="offset points",
                color=plotting.TEXT,
            )
        ax.set_xlabel("Appraisal year (0 = price base year)")
        ax.set_ylabel("£, real, discounted")
        ax.set_xticks(years)
        _money_axis(ax.yaxis)
    pb = (
        f"it pays back in year {int(payback_year)} in social terms"
        if payback_year is not None and not pd.isna(payback_year)
        else "it does not pay back within the appraisal period, even in social terms"
    )
    alt = (
        f"Bar and line chart of the option {option_name or 'appraised'}: discounted net benefit compared with "
        f"business as usual in each of years {years[0]} to {years[-1]} (bars) and its running "
        f"total (line). The running total starts at {money(cum[0])} and ends at "
        f"{money(cum[-1])}; {pb}."
    )
    plotting.save_figure(fig, path, alt)
    return alt


def tornado_figure(tornado: pd.DataFrame, path: str | Path, top: int = 10) -> str:
    """Tornado chart of one-way sensitivity (:func:`analysis.costs.sensitivity.one_way_sensitivity`).

    Bars are labelled with the ``label`` column when there is one (e.g. the input's readable
    name), else with ``target``.
    """
    names = "label" if "label" in tornado.columns else "target"
    t = tornado.head(top).iloc[::-1]
    central = float(tornado["npsv_central"].iloc[0]) if len(tornado) else 0.0
    fig, ax = plotting.new_figure(0.5 + 0.35 * max(len(t), 1))
    with plotting.style():
        y = np.arange(len(t))
        lo = t["npsv_low"].to_numpy(float)
        hi = t["npsv_high"].to_numpy(float)
        ax.barh(y, lo - central, left=central, color=plotting.CATEGORICAL[2], height=0.6)
        ax.barh(y, hi - central, left=central, color=plotting.CATEGORICAL[1], height=0.6)
        ax.axvline(central, color=plotting.TEXT, linewidth=1)
        ax.margins(x=0.12)
        ax.set_yticks(y)
        ax.set_yticklabels(t[names].astype(str).tolist())
        ax.set_xlabel("NPSV (£, real, discounted)")
        _money_axis(ax.xaxis, _X_MONEY_BINS)
        for yi, a, b in zip(y, lo, hi, strict=True):
            ax.annotate(
                "low",
                (a, yi),
                xytext=(-3 if a < b else 3, 0),
                textcoords="offset points",
                ha="right" if a < b else "left",
                va="center",
                fontsize=7,
            )
            ax.annotate(
                "high",
                (b, yi),
                xytext=(3 if b >= a else -3, 0),
                textcoords="offset points",
                ha="left" if b >= a else "right",
                va="center",
                fontsize=7,
            )
    if len(tornado):
        first = tornado.iloc[0]
        lead = (
            f"The NPSV is most sensitive to {first[names]}: from {money(first['npsv_low'])} "
            f"at its low value to {money(first['npsv_high'])} at its high value."
        )
        alt = (
            f"Tornado chart of the NPSV when each of {len(t)} inputs is set to its low and its "
            f"high value with the others central (central NPSV {money(central)}). {lead}"
        )
    else:
        alt = (
            "Empty tornado chart: no input of the workbook's uncertainty table moves this "
            "option's NPSV, so there is no sensitivity to show."
        )
    plotting.save_figure(fig, path, alt)
    return alt


def monte_carlo_figure(simulation: pd.DataFrame, path: str | Path, bins: int = 60) -> str:
    """Histogram of simulated NPSV with 0 and P(NPSV > 0) marked (``montecarlo.simulate``)."""
    from matplotlib.ticker import PercentFormatter

    x = simulation["npsv"].to_numpy(float)
    # as the tables and the text print it: the published probability, to one decimal
    p_pos = probability_text(float((x > 0).mean()))
    p5, p50, p95 = np.percentile(x, [5, 50, 95])
    fig, ax = plotting.new_figure(3.0)
    with plotting.style():
        counts, edges = np.histogram(x, bins=bins)
        centres = (edges[:-1] + edges[1:]) / 2
        colours = [plotting.CATEGORICAL[1] if c > 0 else plotting.CATEGORICAL[2] for c in centres]
        share = counts / counts.sum()
        ax.bar(centres, share, width=np.diff(edges), color=colours)
        ax.axvline(0, color=plotting.TEXT, linewidth=1)
        # headroom above the tallest bar, so the label never sits on the bars
        ax.set_ylim(0, share.max() * 1.3)
        ax.text(
            0.02, 0.96, f"P(NPSV > 0) = {p_pos}", transform=ax.transAxes, va="top",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 1.5},
        )  # fmt: skip
        ax.set_xlabel("NPSV (£, real, discounted)")
        ax.set_ylabel("Share of draws")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))  # one format for all
        _money_axis(ax.xaxis, _X_MONEY_BINS)
    alt = (
        f"Histogram of the NPSV over {x.size:,} Monte Carlo draws. The median is {money(p50)}, "
        f"90% of draws lie between {money(p5)} and {money(p95)}, and the NPSV is positive in "
        f"{p_pos} of draws."
    )
    if x.size and np.ptp(x) == 0:  # no uncertain input reaches this option
        alt = (
            f"Histogram of the NPSV over {x.size:,} Monte Carlo draws, all equal to "
            f"{money(p50)}: no input of the workbook's uncertainty table moves this option's "
            "NPSV, so the simulation shows no spread."
        )
    plotting.save_figure(fig, path, alt)
    return alt


def notice_figure(text: str, path: str | Path) -> str:
    """A figure that holds only a short notice, for a chart that has nothing to show (e.g. no
    preferred option when business as usual is recommended). The alt text is the notice."""
    fig, ax = plotting.new_figure(2.0)
    with plotting.style():
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            textwrap.fill(text, 70),
            ha="center",
            va="center",
            color=plotting.TEXT,
            transform=ax.transAxes,
        )
    plotting.save_figure(fig, path, text)
    return text


def national_range_figure(
    national: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None
) -> str:
    """The national NPSV per service area and in total: 5th-95th percentile and median.

    ``national`` is the range of :func:`analysis.costs.national.national_monte_carlo`
    (``service_area, low, central, high`` = p5, p50, p95), as published (2 significant
    figures); ``labels`` maps a service-area key to a readable label.
    """
    labels = labels or {}
    t = national.iloc[::-1].reset_index(drop=True)
    names = [labels.get(str(s), str(s).replace("_", " ").capitalize()) for s in t["service_area"]]
    fig, ax = plotting.new_figure(0.8 + 0.45 * max(len(t), 1))
    with plotting.style():
        y = np.arange(len(t))
        lo, cen, hi = (t[c].to_numpy(float) for c in ("low", "central", "high"))
        is_total = (t["service_area"] == "total").to_numpy()
        for yi, a, c, b, tot in zip(y, lo, cen, hi, is_total, strict=True):
            colour = plotting.CATEGORICAL[0] if tot else plotting.CATEGORICAL[1]
            ax.plot([a, b], [yi, yi], color=colour, linewidth=6 if tot else 4, alpha=0.45)
            ax.plot([c], [yi], marker="o", color=colour, markersize=7)
            ax.annotate(
                money(c, sig=2),  # as published: two significant figures
                (c, yi),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color=plotting.TEXT,
            )
        ax.axvline(0, color=plotting.NEUTRAL_GREY, linewidth=1)
        ax.set_yticks(y)
        ax.set_yticklabels(names)
        ax.set_ylim(-0.6, len(t) - 0.4)
        ax.margins(x=0.08)
        ax.set_xlabel("National NPSV over the appraisal period (£, real, discounted)")
        _money_axis(ax.xaxis, _X_MONEY_BINS)
    tot = national[national["service_area"] == "total"]
    lead = (
        f"In total the median is {money(float(tot['central'].iloc[0]), sig=2)}, and 90% of "
        f"draws lie between {money(float(tot['low'].iloc[0]), sig=2)} and "
        f"{money(float(tot['high'].iloc[0]), sig=2)}."
        if len(tot)
        else ""
    )
    alt = (
        f"Range chart of the illustrative national net present social value for "
        f"{len(t) - len(tot)} service areas and their total (take-up of the approach is a "
        "programme assumption), from a seeded Monte Carlo simulation: a bar from the 5th to "
        f"the 95th percentile with a dot at the median. {lead}"
    )
    plotting.save_figure(fig, path, alt)
    return alt


def options_comparison_figure(comparison: pd.DataFrame, path: str | Path) -> str:
    """NPSV of each council's preferred way forward, Monte Carlo P5-P95 whisker, BCR labelled.

    ``comparison``: one row per council with ``label, npsv, bcr`` and optional ``mc_p5,
    mc_p95`` (missing whiskers are not drawn).
    """
    t = comparison.iloc[::-1].reset_index(drop=True)
    fig, ax = plotting.new_figure(0.8 + 0.5 * max(len(t), 1))
    with plotting.style():
        y = np.arange(len(t))
        npsv = t["npsv"].to_numpy(float)
        colours = [plotting.CATEGORICAL[1] if v >= 0 else plotting.CATEGORICAL[2] for v in npsv]
        ax.barh(y, npsv, color=colours, height=0.55)
        if {"mc_p5", "mc_p95"} <= set(t.columns):
            for yi, a, b in zip(y, t["mc_p5"], t["mc_p95"], strict=True):
                if pd.notna(a) and pd.notna(b):
                    ax.plot([a, b], [yi, yi], color=plotting.TEXT, linewidth=1)
                    ax.plot([a, a], [yi - 0.12, yi + 0.12], color=plotting.TEXT, linewidth=1)
                    ax.plot([b, b], [yi - 0.12, yi + 0.12], color=plotting.TEXT, linewidth=1)
        ax.axvline(0, color=plotting.TEXT, linewidth=1)
        ax.set_yticks(y)
        ax.set_yticklabels(t["label"].astype(str).tolist())
        ax.margins(x=0.15)
        # the BCR sits just right of the bar or its whisker, whichever ends further right
        right = np.fmax(np.fmax(npsv, 0.0), t.get("mc_p95", pd.Series(np.nan, t.index)))
        for yi, x_end, b in zip(y, right.to_numpy(float), t["bcr"], strict=True):
            text = f"BCR {b:.2f}" if pd.notna(b) else "BCR n/a"
            ax.annotate(
                text,
                (x_end, yi),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=7,
                color=plotting.TEXT,
            )
        ax.set_xlabel("NPSV of the preferred way forward (£, real, discounted)")
        _money_axis(ax.xaxis, _X_MONEY_BINS)
    parts = [
        f"{r.label}"
        + (f" ({r.option_name})" if "option_name" in comparison.columns else "")
        + f": {money(float(r.npsv))}"
        + (f" (BCR {float(r.bcr):.2f})" if pd.notna(r.bcr) else "")
        for r in comparison.itertuples(index=False)
    ]
    alt = (
        "Bar chart of the net present social value of each council's preferred way forward "
        "(the option the appraisal's decision rule prefers), with the 5th to 95th percentile "
        "of the Monte Carlo simulation as a whisker. " + "; ".join(parts) + "."
    )
    plotting.save_figure(fig, path, alt)
    return alt
