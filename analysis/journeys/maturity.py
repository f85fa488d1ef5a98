"""Data maturity by rubric: indicators, levels per theme, and the survey evidence they use.

Levels and themes are those of the Data Maturity Assessment for Government (Central Digital and
Data Office, 2023): five levels (beginning, emerging, learning, developing, mastering) across
six themes (uses, data, leadership, culture, tools, skills), a picture per theme rather than
one score. https://www.gov.uk/government/publications/data-maturity-assessment-for-government-framework
(see also ``docs/reference/research-methods.md``, "Data maturity and data quality").

Which indicator measures which theme, and the thresholds of each level, are data: the
editable rubric ``survey/maturity_rubric.csv``. Evidence comes from the register
(:func:`analysis.journeys.register.register_metrics`), the survey stage's construct agreement
(controlled here, :func:`maturity_survey_evidence`) and the coding stage's SWOT evidence.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.disclosure import control_counts
from analysis.journeys.register import (
    REGISTER_METRICS,
    JourneyInputError,
    ensure_journeys,
    register_metrics,
)

#: DMA themes, and levels 1..5 by name.
MATURITY_THEMES = ("uses", "data", "leadership", "culture", "tools", "skills")
MATURITY_LEVELS = ("beginning", "emerging", "learning", "developing", "mastering")
RUBRIC_COLUMNS = (
    "theme",
    "indicator_id",
    "indicator",
    "source",
    "metric",
    "argument",
    "direction",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
)
_SOURCE_METRICS = {
    "register": REGISTER_METRICS,
    "survey": ("pct_agree",),
    "coding": ("pct_strength",),
}


def level_label(level):
    """The DMA name of a level 1..5 (``<NA>`` for no level)."""
    return pd.NA if level is pd.NA or pd.isna(level) else MATURITY_LEVELS[int(level) - 1]


def parse_maturity_rubric(rubric: pd.DataFrame) -> pd.DataFrame:
    """Check the maturity rubric; return it typed (thresholds as floats).

    Each row is one indicator: its DMA ``theme``, an evidence ``source`` (register, survey or
    coding), the ``metric`` (and ``argument``: the construct id for survey, an optional codebook
    theme for coding), ``direction`` (higher_better or lower_better) and the thresholds
    ``level_2``..``level_5`` that the value must reach for each level. Thresholds must be
    monotone in the stated direction. Errors name the indicator and column.
    """
    missing = [c for c in RUBRIC_COLUMNS if c not in rubric.columns]
    if missing:
        raise JourneyInputError(f"maturity rubric: missing column(s) {missing}")
    r = rubric.reset_index(drop=True).copy()
    for c in ("theme", "indicator_id", "source", "metric", "argument", "direction"):
        r[c] = r[c].fillna("").astype(str).str.strip()
    seen = set()
    for i, row in r.iterrows():
        ind = row["indicator_id"] or f"row {i + 2}"
        if ind in seen:
            raise JourneyInputError(f"maturity rubric indicator {ind!r}: duplicate indicator_id")
        seen.add(ind)
        if row["theme"] not in MATURITY_THEMES:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'theme': expected one of "
                f"{list(MATURITY_THEMES)}"
            )
        if row["source"] not in _SOURCE_METRICS:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'source': expected register, "
                "survey or coding"
            )
        if row["metric"] not in _SOURCE_METRICS[row["source"]]:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'metric': unknown metric for "
                f"source {row['source']!r}; expected one of {list(_SOURCE_METRICS[row['source']])}"
            )
        if row["source"] == "survey" and not row["argument"]:
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'argument': a survey indicator "
                "needs a construct id"
            )
        if row["direction"] not in ("higher_better", "lower_better"):
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, column 'direction': expected "
                "higher_better or lower_better"
            )
        th = []
        for c in ("level_2", "level_3", "level_4", "level_5"):
            try:
                th.append(float(row[c]))
            except (TypeError, ValueError):
                raise JourneyInputError(
                    f"maturity rubric indicator {ind!r}, column {c!r}: expected a number"
                ) from None
        step = np.diff(th)
        if (row["direction"] == "higher_better" and (step < 0).any()) or (
            row["direction"] == "lower_better" and (step > 0).any()
        ):
            raise JourneyInputError(
                f"maturity rubric indicator {ind!r}, columns level_2..level_5: thresholds "
                "must be monotone in the stated direction"
            )
    for c in ("level_2", "level_3", "level_4", "level_5"):
        r[c] = r[c].astype(float)
    return r


def _level(value: float, thresholds: list[float], direction: str) -> int:
    """1 + the number of level thresholds the value reaches."""
    if direction == "higher_better":
        return 1 + sum(value >= t for t in thresholds)
    return 1 + sum(value <= t for t in thresholds)


def controlled_construct_agreement(agreement: pd.DataFrame, rule) -> pd.DataFrame:
    """The survey stage's construct agreement table, for publication under a disclosure rule.

    ``n`` and ``n_agree`` are controlled one by one with
    :func:`analysis.core.disclosure.control_counts` (suppressed -> ``<NA>``); ``pct_agree`` is
    computed from the ROUNDED counts (NHS England rule) and is ``<NA>`` when either is
    suppressed or ``n`` is 0.
    """
    out = agreement.copy()
    out["n"] = control_counts(out["n"].reset_index(drop=True), rule).set_axis(out.index)
    out["n_agree"] = control_counts(out["n_agree"].reset_index(drop=True), rule).set_axis(out.index)
    n = out["n"].astype("Float64")
    out["pct_agree"] = (100 * out["n_agree"].astype("Float64") / n.mask(n == 0)).astype("Float64")
    return out


def maturity_survey_evidence(agreement: pd.DataFrame, rule) -> pd.DataFrame:
    """The survey evidence :func:`maturity_indicators` takes: ``authority, construct, n,
    pct_agree, pct_basis, pct_low, pct_high``, all from the disclosure-controlled counts.

    ``n`` is the published (rounded) number of respondents, ``<NA>`` when suppressed.
    ``pct_agree`` is the published percentage (from the rounded counts, see
    :func:`controlled_construct_agreement`; ``pct_basis`` "rounded_counts"), so that a published
    level agrees with the published value. Where the agreeing count is suppressed
    (1..min_count-1 respondents agree) nothing is computed from it: ``pct_agree`` is empty,
    ``pct_basis`` is "suppressed", and ``pct_low``..``pct_high`` is the range of percentages
    the counts the suppression could hide would give over the published ``n`` (1 and
    min_count-1 agreeing). A level is then published only if it is the same across that range
    (:func:`maturity_indicators`): it tells a reader nothing the marker and ``n`` do not.
    """
    ctl = controlled_construct_agreement(agreement, rule)
    n = ctl["n"].astype("Float64")
    suppressed = (ctl["n_agree"].isna() & n.notna() & (n > 0)).to_numpy(dtype=bool)
    pct = ctl["pct_agree"].to_numpy(dtype=float, na_value=np.nan)
    n_pub = n.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(suppressed, 100 / n_pub, pct)
        high = np.where(suppressed, np.minimum(100.0, 100 * (rule.min_count - 1) / n_pub), pct)
    out = agreement[["authority", "construct"]].reset_index(drop=True)
    out["n"] = ctl["n"].astype("Int64").to_numpy()
    out["pct_agree"] = pct
    out["pct_basis"] = np.where(suppressed, "suppressed", "rounded_counts")
    out["pct_low"], out["pct_high"] = low, high
    return out


def _survey_indicator(survey, auth, construct, th, direction, min_n) -> tuple[float, object]:
    """(value, level) of one survey indicator: no evidence below ``min_n`` published
    respondents; a suppressed agreeing count gives no value, and a level only where every
    count it could hide gives the same level."""
    s = survey[(survey["authority"] == auth) & (survey["construct"] == construct)]
    if len(s) != 1 or pd.isna(s["n"].iloc[0]) or int(s["n"].iloc[0]) < min_n:
        return np.nan, pd.NA
    row = s.iloc[0]
    if row.get("pct_basis") == "suppressed":
        lo, hi = _level(row["pct_low"], th, direction), _level(row["pct_high"], th, direction)
        return np.nan, (lo if lo == hi else pd.NA)
    value = float(row["pct_agree"])
    return value, (pd.NA if np.isnan(value) else _level(value, th, direction))


def maturity_indicators(
    journeys: pd.DataFrame,
    rubric: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    coding: pd.DataFrame | None = None,
    *,
    min_survey_n: int = 8,
) -> pd.DataFrame:
    """Score each rubric indicator for each authority on the five DMA levels.

    An indicator's level is 1 + the number of thresholds (``level_2``..``level_5``) its value
    reaches (``>=`` for higher_better, ``<=`` for lower_better). Values: register metrics from
    :func:`register_metrics`; survey -- ``pct_agree`` of the construct named in ``argument``
    from ``survey`` (:func:`maturity_survey_evidence`; columns ``authority, construct,
    pct_agree, n`` and optionally ``pct_basis, pct_low, pct_high``), no evidence when the
    published ``n`` is suppressed or below ``min_survey_n`` (the same floor as the NHS
    disclosure rule: a percentage of fewer than 8 people is neither published nor used); where
    the agreeing count is suppressed, no value, and a level only if every count the
    suppression could hide gives the same level; coding -- ``pct_strength`` = 100 x strength
    excerpts / (strength + weakness excerpts) in ``coding`` (the published SWOT evidence
    table), within the codebook theme named in ``argument`` if any. No evidence gives value
    NaN and level NA.

    Returns columns ``authority, theme, indicator_id, indicator, source, metric, argument,
    value, level, level_label``.
    """
    j = ensure_journeys(journeys)
    rub = parse_maturity_rubric(rubric)
    reg = register_metrics(j).set_index(["authority", "metric"])["value"]
    authorities = sorted(j["authority"].unique())
    rows = []
    for auth in authorities:
        for _, r in rub.iterrows():
            value, level = np.nan, pd.NA
            th = [r["level_2"], r["level_3"], r["level_4"], r["level_5"]]
            if r["source"] == "register":
                value = float(reg.get((auth, r["metric"]), np.nan))
            elif r["source"] == "survey" and survey is not None:
                value, level = _survey_indicator(
                    survey, auth, r["argument"], th, r["direction"], min_survey_n
                )
            elif r["source"] == "coding" and coding is not None:
                c = coding[coding["authority"] == auth]
                if r["argument"]:
                    c = c[c["theme"].astype(str) == r["argument"]]
                sw = c.groupby(c["swot"].astype(str).str.lower())["n_excerpts"].sum()
                strong, weak = int(sw.get("strength", 0)), int(sw.get("weakness", 0))
                if strong + weak:
                    value = float(100 * Fraction(strong, strong + weak))
            if r["source"] != "survey" and not np.isnan(value):
                level = _level(value, th, r["direction"])
            rows.append(
                {
                    "authority": auth,
                    "theme": r["theme"],
                    "indicator_id": r["indicator_id"],
                    "indicator": r["indicator"],
                    "source": r["source"],
                    "metric": r["metric"],
                    "argument": r["argument"],
                    "value": value,
                    "level": level,
                    "level_label": level_label(level),
                }
            )
    out = pd.DataFrame(rows)
    out["level"] = out["level"].astype("Int64")
    return out


def maturity_levels(indicators: pd.DataFrame) -> pd.DataFrame:
    """Level per (authority, theme): the mean of its indicators' levels, rounded down.

    Rounding down is a deliberate, conservative choice: a theme reaches a level only when its
    indicators reach it on average (DMA gives a picture per theme, not one overall score).
    A theme with no evidence has level NA. Every DMA theme appears for every authority.

    Returns columns ``authority, theme, level, level_label, n_indicators, mean_level``.
    """
    rows = []
    for auth in sorted(indicators["authority"].unique()):
        for theme in MATURITY_THEMES:
            d = indicators[(indicators["authority"] == auth) & (indicators["theme"] == theme)]
            lv = d["level"].dropna().astype(int).tolist()
            mean = Fraction(sum(lv), len(lv)) if lv else None
            level = math.floor(mean) if mean is not None else pd.NA
            rows.append(
                {
                    "authority": auth,
                    "theme": theme,
                    "level": level,
                    "level_label": level_label(level),
                    "n_indicators": len(lv),
                    "mean_level": float(mean) if mean is not None else np.nan,
                }
            )
    out = pd.DataFrame(rows)
    out["level"] = out["level"].astype("Int64")
    return out


def read_maturity_rubric(path: str | Path) -> pd.DataFrame:
    """Read and check the maturity rubric CSV."""
    rub = pd.read_csv(path, dtype=str, keep_default_na=False)
    return parse_maturity_rubric(rub)


def value_basis(indicators: pd.DataFrame, survey: pd.DataFrame) -> list[str]:
    """How each indicator's value was obtained, for publication.

    ``none`` (no evidence), ``register`` (register metric), ``rounded_counts`` (coding: the
    published, already rounded excerpt counts; survey: the percentage of the rounded counts)
    or ``suppressed`` (survey: the agreeing count is suppressed, so there is no value; a level,
    if any, holds for every count the suppression could hide), the survey ones as
    :func:`maturity_survey_evidence` says in ``pct_basis`` for the construct (``survey`` is
    that function's output, for one authority).
    """
    basis = survey.set_index("construct")["pct_basis"]

    def one(value, level, source, argument):
        if source == "survey" and basis.get(argument) == "suppressed" and not pd.isna(level):
            return "suppressed"
        if np.isnan(value):
            return "none"
        if source == "register":
            return "register"
        return "rounded_counts"

    return [
        one(v, lv, s, a)
        for v, lv, s, a in zip(
            indicators["value"],
            indicators["level"],
            indicators["source"],
            indicators["argument"],
            strict=True,
        )
    ]
