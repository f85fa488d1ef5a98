"""Real terms: the GDP deflator index and the factors that take money to base-year prices.

All money in the appraisal is in real prices of the council's price base year. Nominal (cash)
flows are deflated with the HM Treasury GDP deflator for the financial year in which they
fall; real values quoted in an older price year are uprated with the same series; only then
is anything discounted (HM Treasury, *The Green Book* 2022; ``docs/reference/appraisal.md``,
"Discounting"). Financial years are spelt and stepped by :mod:`analysis.core.periods`.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.periods import add_financial_years, normalise_financial_year

#: Growth of the deflator a year beyond the last year of the series: a project assumption,
#: documented in ``analysis/data/README.md``.
LONG_RUN_DEFLATOR_GROWTH = 0.02


def deflator_index(
    deflators: pd.DataFrame,
    base_year: str,
    through: str | None = None,
    long_run_growth: float = LONG_RUN_DEFLATOR_GROWTH,
) -> pd.Series:
    """GDP deflator rebased to 100 in ``base_year``, indexed by financial year.

    Years after the last one in the series (up to ``through``) are extended at
    ``long_run_growth`` a year (a project assumption, documented in the data README).
    """
    s = pd.Series(
        deflators["index"].astype(float).to_numpy(),
        index=[normalise_financial_year(y) for y in deflators["financial_year"]],
    ).sort_index()
    base_year = normalise_financial_year(base_year)
    if through is not None:
        last = s.index[-1]
        target = normalise_financial_year(through)
        while last < target:
            nxt = add_financial_years(last, 1)
            s.loc[nxt] = s.loc[last] * (1.0 + long_run_growth)
            last = nxt
    while base_year > s.index[-1]:
        nxt = add_financial_years(s.index[-1], 1)
        s.loc[nxt] = s.iloc[-1] * (1.0 + long_run_growth)
    if base_year not in s.index:
        raise ValueError(f"GDP deflator series does not cover the base year {base_year}")
    return s / s.loc[base_year] * 100.0


def real_terms_factor(price_year: str, base_year: str, deflators: pd.DataFrame) -> float:
    """Multiplier taking £ of ``price_year`` to £ of ``base_year`` (index_base / index_price)."""
    idx = deflator_index(deflators, base_year, through=normalise_financial_year(price_year))
    py = normalise_financial_year(price_year)
    if py not in idx.index:
        raise ValueError(f"GDP deflator series does not cover {py}")
    return float(100.0 / idx.loc[py])
