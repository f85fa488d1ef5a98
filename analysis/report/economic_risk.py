"""Generated tables of the economic case's risk analysis: switching values with what each input
scales, the Monte Carlo inputs (distribution, range, source) and the simulation beside the
central case.

The rules that decide what a cell says (a switching value no admissible input reaches, a
probability, a signed percentage) are the tested functions here and in
:mod:`analysis.costs.precision`.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.costs.decision import ranking_under_uncertainty
from analysis.costs.precision import probability_text
from analysis.report.markdown import markdown_table, md_escape
from analysis.report.wording import option_label, short


def _preferred(p, a, table: str) -> pd.DataFrame:
    df = p.table(a, "costs", table)
    pref = p.kf[(a, "costs")]["preferred_option_id"]
    return df[df["option_id"].astype(str) == str(pref)].copy()


# ------------------------------------------------------------------------- switching values


def _range_words(lo, hi) -> str:
    lo_t = fmt.smart(lo)
    if hi is None or pd.isna(hi):
        return f"of {lo_t} or more"
    return f"from {lo_t} to {fmt.smart(hi)}"


def no_switch_words(row) -> str:
    """Why an input has no switching value: NPSV keeps its sign over the input's whole
    admissible range (``switching_values.csv``: ``npsv_central, admissible_low,
    admissible_high``)."""
    sign = "positive" if float(row["npsv_central"]) > 0 else "zero or negative"
    return f"NPSV stays {sign} for every value {_range_words(row['admissible_low'], row['admissible_high'])}"


def switching(p, ids, names) -> str:
    """Switching values of each preferred way forward, with what each input scales, and why an
    input has none."""
    frames = []
    for a in ids:
        df = _preferred(p, a, "switching_values")
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    none = df[df["method"] == "none"]
    df["sv"] = [
        "None in range" if m == "none" else fmt.smart(v)
        for m, v in zip(df["method"], df["switching_value"], strict=True)
    ]
    table = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("parameter", "Input", "l"),
            ("scope", "What it scales", "l"),
            ("central", "Central", "r"),
            ("sv", "Switching value", "r"),
            ("change_pct", "Change", "r"),
        ],
        caption="Switching values of the preferred ways forward: the value of each input at "
        "which NPSV is zero, the others held at their central values",
        label="switching",
        formatters={"central": fmt.smart, "change_pct": lambda v: fmt.pct(v, 1)},
    )
    note = (
        "A cost multiplier scales every line it names together, after optimism bias: a "
        "capital-cost multiplier of m changes NPSV by m minus 1 times the present value of those "
        "capital costs."
    )
    if len(none):
        note += (
            " “None in range”: "
            + "; ".join(
                f"{md_escape(r['council'])}, {md_escape(str(r['parameter']).lower())}: "
                f"{no_switch_words(r)}"
                for _, r in none.iterrows()
            )
            + "."
        )
    return table + "\n" + note + "\n"


# ------------------------------------------------------------------------- Monte Carlo


DISTRIBUTION_WORDS = {"triangular": "Triangular (mode at the central value)",
                      "uniform": "Uniform", "normal": "Normal (low and high the 5th and 95th "
                      "percentiles)"}  # fmt: skip


def _mc_input_rows(p, ids, names) -> pd.DataFrame:
    frames = []
    for a in ids:
        df = _preferred(p, a, "monte_carlo_inputs")
        df["authority"], df["council"] = a, short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["dist"] = df["distribution"].map(lambda d: DISTRIBUTION_WORDS.get(str(d), str(d)))
    df["source_text"] = [
        d if isinstance(d, str) and d else s
        for d, s in zip(df["source_description"], df["source"], strict=True)
    ]
    return df


def _spread(r) -> str:
    """An input's range around its central value: "−20% to +20%", or its bounds when the
    central value is zero."""
    lo, c, hi = float(r["low"]), float(r["central"]), float(r["high"])
    if c == 0:
        return f"{fmt.smart(lo)} to {fmt.smart(hi)}"
    lo_p, hi_p = 100 * (lo / c - 1), 100 * (hi / c - 1)
    return f"{fmt.pct(lo_p)} to {'+' if round(hi_p) > 0 else ''}{fmt.pct(hi_p)}"


def monte_carlo_inputs_summary(p, ids, names) -> str:
    """For a programme too large to list every input (a summarised one): each kind of
    uncertain input over every council's preferred way forward, how many councils draw it,
    and the distributions, ranges around the central value and sources they use, each with
    its number of councils. Every input is in the programme workbook."""
    df = _mc_input_rows(p, ids, names)
    if df.empty:
        return "No preferred way forward has an uncertain input to simulate.\n"
    df["shape"] = [
        f"{d}, {_spread(r)}" for d, (_, r) in zip(df["dist"], df.iterrows(), strict=True)
    ]

    def tally(col):
        return lambda g: "; ".join(
            f"{v} ({fmt.plural(n, 'council')})"
            for v, n in g.groupby(col, sort=False)["authority"].nunique().sort_values(
                ascending=False, kind="stable").items()
        )  # fmt: skip

    rows = [
        {"parameter": k, "councils": g["authority"].nunique(), "shape": tally("shape")(g),
         "source": tally("source_text")(g)}
        for k, g in df.groupby("parameter", sort=False)
    ]  # fmt: skip
    return markdown_table(
        pd.DataFrame(rows),
        [
            ("parameter", "Input", "l"),
            ("councils", "Councils", "r"),
            ("shape", "Distribution and range around the central value", "l"),
            ("source", "Source", "l"),
        ],  # fmt: skip
        caption=f"The uncertain inputs of the {fmt.number(len(ids))} councils' preferred ways "
        "forward, as the Monte Carlo samples them (independently: no correlations are "
        "declared); each council's are in the programme workbook, sheet Monte Carlo inputs",
        label="mc-inputs",
        formatters={"councils": fmt.number},
    )


def monte_carlo_inputs(p, ids, names, rest=()) -> str:
    """Each uncertain input of each preferred way forward as the Monte Carlo samples it: what
    it scales, its distribution and range, and its source (finding 16); with councils
    ``rest`` left out, over every council (:func:`monte_carlo_inputs_summary`)."""
    if len(rest):
        return monte_carlo_inputs_summary(p, [*ids, *rest], names)
    df = _mc_input_rows(p, ids, names)
    if df.empty:
        return "No preferred way forward has an uncertain input to simulate.\n"
    return markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("parameter", "Input", "l"),
            ("scope", "What it scales", "l"),
            ("dist", "Distribution", "l"),
            ("low", "Low", "r"),
            ("central", "Central", "r"),
            ("high", "High", "r"),
            ("source_text", "Source", "l"),
        ],
        caption="The uncertain inputs of each preferred way forward, as the Monte Carlo "
        "samples them (independently: no correlations are declared); a multiplier's central "
        "value is 1",
        label="mc-inputs",
        formatters={c: fmt.smart for c in ("low", "central", "high")},
    )


def pct_change(v) -> str:
    """A signed percentage to one decimal; a value that rounds to zero is "0.0%", not "−0.0%"."""
    if v is None or pd.isna(v):
        return fmt.DASH
    return fmt.pct(0.0 if round(float(v), 1) == 0 else v, 1)


def monte_carlo(p, ids, names) -> str:
    """The simulation of each preferred way forward beside its central case, the difference
    between its simulated mean and central NPSV, whether the simulated means rank the options
    as the central case does (:func:`analysis.costs.decision.ranking_under_uncertainty`), and
    sentences saying so."""
    rows, broken = [], []
    for a in ids:
        df = p.table(a, "costs", "monte_carlo_summary")
        pref = p.kf[(a, "costs")]["preferred_option_id"]
        chosen = df[(df["metric"] == "npsv") & (df["option_id"] == pref)]
        if chosen.empty:  # business as usual: nothing to simulate
            continue
        check = ranking_under_uncertainty(p.table(a, "costs", "options_decision"), df)
        if check["checked"] and not check["holds"]:
            broken.append((a, check["best_by_mean"]))
        r = chosen.iloc[0]
        rows.append(
            {
                "council": short(names[a]),
                "central": check["central"],
                "mean": r["mean"],
                "gap": check["gap_pct"],
                "p5": r["p5"],
                "p95": r["p95"],
                "prob": r["prob_positive"],
                "draws": r["draws"],
                "holds": "yes" if check["holds"] else "no",
            }
        )
    if not rows:
        return "No council has a preferred way forward to simulate.\n"
    df = pd.DataFrame(rows)
    table = markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("central", "Central NPSV", "r"),
            ("mean", "Mean NPSV", "r"),
            ("gap", "Mean minus central (% of central)", "r"),
            ("p5", "P5", "r"),
            ("p95", "P95", "r"),
            ("prob", "P(NPSV > 0)", "r"),
            ("holds", "Still ranked first?", "l"),
        ],
        caption="Monte Carlo analysis of each council's preferred way forward "
        f"({fmt.number(rows[0]['draws'])} seeded draws each) beside its central case, and "
        "whether its simulated mean NPSV is still the highest of the eligible options",
        label="montecarlo",
        formatters={c: fmt.money for c in ("central", "mean", "p5", "p95")}
        | {"prob": probability_text, "gap": pct_change},
    )
    gaps = [g for g in df["gap"] if g is not None and not pd.isna(g)]
    spread = (
        f" The simulated mean NPSV differs from the central NPSV by {pct_change(min(gaps))} "
        f"to {pct_change(max(gaps))} of the central value (column “Mean minus central”)."
        if gaps
        else ""
    )
    if not broken:
        note = (
            "In every council the preferred way forward also has the highest simulated mean "
            "NPSV of the eligible options, so the choice holds once the uncertainty is taken "
            "into account." + spread
        )
    else:
        note = (
            "Under uncertainty the ranking changes in "
            + fmt.prose_list(
                f"{short(names[a])}, where {md_escape(option_name(p, a, o))} has the higher "
                "simulated mean NPSV"
                for a, o in broken
            )
            + ": the board should weigh that before confirming the preferred way forward."
            + spread
        )
    return table + "\n" + note + "\n"


def option_name(p, aid, option_id) -> str:
    d = p.table(aid, "costs", "options_decision").set_index("option_id")
    return option_label(d.at[option_id, "category"], d.at[option_id, "name"])
