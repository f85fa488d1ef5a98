"""Figures of the cost-benefit model, drawn through :mod:`analysis.plotting`.

Each function draws one figure, saves it (PNG + ``.alt.txt``) with
:func:`analysis.plotting.save_figure` and returns the alt text. Charts follow the Analysis
Function guidance: the accessible palette, direct labels instead of legends.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import plotting


def _money(x: float) -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:,.1f}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:,.0f}k"
    return f"{sign}£{x:,.0f}"


def cumulative_cash_flow_figure(
    cash_flows: pd.DataFrame, option_id: str, path: str | Path, payback_year: int | None = None
) -> str:
    """Discounted net benefit by year (bars) and its running total (line), payback marked.

    ``cash_flows`` is ``Appraisal.cash_flows``; ``payback_year`` as in ``Appraisal.results``.
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
                f"payback in year {int(payback_year)}",
                (int(payback_year), ax.get_ylim()[0]),
                xytext=(4, 6),
                textcoords="offset points",
                color=plotting.TEXT,
            )
        ax.set_xlabel("Appraisal year (0 = price base year)")
        ax.set_ylabel("£, real, discounted")
        ax.set_xticks(years)
        ax.yaxis.set_major_formatter(lambda v, _p: _money(v))
    pb = (
        f"it pays back in year {int(payback_year)}"
        if payback_year is not None and not pd.isna(payback_year)
        else "it does not pay back within the appraisal period"
    )
    alt = (
        f"Bar and line chart of option {option_id}: discounted net benefit compared with "
        f"business as usual in each of years {years[0]} to {years[-1]} (bars) and its running "
        f"total (line). The running total starts at {_money(cum[0])} and ends at "
        f"{_money(cum[-1])}; {pb}."
    )
    plotting.save_figure(fig, path, alt)
    return alt


def tornado_figure(tornado: pd.DataFrame, path: str | Path, top: int = 10) -> str:
    """Tornado chart of one-way sensitivity (``appraisal.one_way_sensitivity`` output)."""
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
        ax.set_yticklabels(t["target"].astype(str).tolist())
        ax.set_xlabel("NPSV (£, real, discounted)")
        ax.xaxis.set_major_formatter(lambda v, _p: _money(v))
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
            f"The NPSV is most sensitive to {first['target']}: from {_money(first['npsv_low'])} "
            f"at its low value to {_money(first['npsv_high'])} at its high value."
        )
    else:
        lead = "No uncertain inputs were declared."
    alt = (
        f"Tornado chart of the NPSV when each of {len(t)} inputs is set to its low and its high "
        f"value with the others central (central NPSV {_money(central)}). {lead}"
    )
    plotting.save_figure(fig, path, alt)
    return alt


def monte_carlo_figure(simulation: pd.DataFrame, path: str | Path, bins: int = 60) -> str:
    """Histogram of simulated NPSV with 0 and P(NPSV > 0) marked (``montecarlo.simulate``)."""
    x = simulation["npsv"].to_numpy(float)
    p_pos = float((x > 0).mean())
    p5, p50, p95 = np.percentile(x, [5, 50, 95])
    fig, ax = plotting.new_figure(3.0)
    with plotting.style():
        counts, edges = np.histogram(x, bins=bins)
        centres = (edges[:-1] + edges[1:]) / 2
        colours = [plotting.CATEGORICAL[1] if c > 0 else plotting.CATEGORICAL[2] for c in centres]
        ax.bar(centres, counts / counts.sum(), width=np.diff(edges), color=colours)
        ax.axvline(0, color=plotting.TEXT, linewidth=1)
        ax.annotate(
            f"P(NPSV > 0) = {p_pos:.0%}",
            (0, ax.get_ylim()[1]),
            xytext=(4, -12),
            textcoords="offset points",
        )
        ax.set_xlabel("NPSV (£, real, discounted)")
        ax.set_ylabel("Share of draws")
        ax.xaxis.set_major_formatter(lambda v, _p: _money(v))
    alt = (
        f"Histogram of the NPSV over {x.size:,} Monte Carlo draws. The median is {_money(p50)}, "
        f"90% of draws lie between {_money(p5)} and {_money(p95)}, and the NPSV is positive in "
        f"{p_pos:.0%} of draws."
    )
    plotting.save_figure(fig, path, alt)
    return alt
