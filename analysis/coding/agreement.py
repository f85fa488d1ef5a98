"""Inter-coder agreement: Krippendorff's alpha (nominal), Cohen's kappa, percent agreement.

Each code is treated as a binary variable (present/absent) per excerpt. Krippendorff's alpha
(nominal) is computed from the coincidence matrix (Krippendorff 2011), Cohen's kappa
(Cohen 1960) for exactly two coders on the excerpts both coded, and percent agreement as the
share of agreeing coder pairs. Bands: alpha >= :data:`ALPHA_RELIABLE` reliable,
:data:`ALPHA_TENTATIVE` up to it tentative, below not reliable (Krippendorff 2004, *Content
Analysis*, 2nd ed., p. 241); kappa read with Landis & Koch (1977, *Biometrics* 33:159-174,
p. 165). :func:`intercoder_agreement` applies them to a coding sheet, per code and overall.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.coding.sheet import EXCERPT_KEY, normalise_coding

#: Krippendorff (2004, p. 241): rely on variables with alpha >= .800; tentative conclusions
#: for .667 <= alpha < .800; discard below .667. The one home of both thresholds (tables,
#: key figures, figures and their alt text all read them from here).
ALPHA_RELIABLE = 0.800
ALPHA_TENTATIVE = 0.667


def _as_value_matrix(data) -> tuple[np.ndarray, list]:
    """Units x coders matrix of value indices (int, -1 = missing) and the sorted values."""
    frame = pd.DataFrame(data)
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object)
    flat = flat.where(flat.notna(), None)
    codes, uniques = pd.factorize(flat, sort=True, use_na_sentinel=True)
    return codes.reshape(frame.shape).astype(np.int64), list(uniques)


def coincidence_matrix(data) -> pd.DataFrame:
    """Krippendorff's coincidence matrix ``o_ck`` of units x coders reliability data.

    ``o_ck = sum_u (number of c-k pairs of values from different coders in unit u) / (m_u - 1)``
    over units with ``m_u >= 2`` values (Krippendorff 2011, "Computing Krippendorff's
    alpha-reliability", section C, eq. for o_ck). ``data``: rows are units, columns coders,
    NaN/None = missing.
    """
    codes, values = _as_value_matrix(data)
    counts = np.zeros((codes.shape[0], len(values)))
    for k in range(len(values)):
        counts[:, k] = (codes == k).sum(axis=1)
    m = counts.sum(axis=1)
    pairable = m >= 2
    n_u = counts[pairable]
    w = 1.0 / (m[pairable] - 1)
    o = (n_u * w[:, None]).T @ n_u - np.diag((n_u * w[:, None]).sum(axis=0))
    return pd.DataFrame(o, index=values, columns=values)


def _alpha_nominal(data) -> tuple[float, str, int, int]:
    """(alpha, reason, n_pairable_units, n_pairable_values); reason empty when defined."""
    codes, _values = _as_value_matrix(data)
    n_coders_present = int((codes >= 0).any(axis=0).sum())
    m = (codes >= 0).sum(axis=1)
    n_units = int((m >= 2).sum())
    if n_coders_present < 2:
        return np.nan, "fewer than two coders", n_units, 0
    if n_units == 0:
        return np.nan, "no excerpt coded by two or more coders", 0, 0
    o = coincidence_matrix(data).to_numpy()
    n_c = o.sum(axis=1)
    n = n_c.sum()
    # Nominal metric: delta_ck = 0 if c == k else 1 (Krippendorff 2011, section C).
    disagree_observed = o.sum() - np.trace(o)
    disagree_expected = n * n - (n_c**2).sum()  # sum_{c != k} n_c n_k
    if disagree_expected == 0:
        return np.nan, "no variation in the codings", n_units, int(np.rint(n))
    alpha = 1.0 - (n - 1) * disagree_observed / disagree_expected
    return float(alpha), "", n_units, int(np.rint(n))


def krippendorff_alpha_nominal(data) -> float:
    """Krippendorff's alpha for nominal data, any number of coders, missing values allowed.

    ``alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k`` from the
    coincidence matrix ``o_ck`` (:func:`coincidence_matrix`), ``n_c`` its margins and ``n``
    the number of pairable values. Source: Krippendorff, K. (2011). *Computing Krippendorff's
    alpha-reliability*. Annenberg School for Communication, University of Pennsylvania,
    https://repository.upenn.edu/asc_papers/43 (sections A-C).

    Written here rather than calling the ``krippendorff`` package (used in the tests as the
    reference) so that undefined cases are reported with a reason instead of an error or a
    silent NaN, and so that the package stays a test-only dependency.

    ``data``: units x coders (rows = units, columns = coders), NaN/None = missing. Returns NaN
    when alpha is undefined (fewer than two coders, no unit coded twice, no variation).
    """
    return _alpha_nominal(data)[0]


def cohen_kappa(x: Sequence, y: Sequence) -> float:
    """Cohen's kappa of two coders: ``(p_o - p_e) / (1 - p_e)`` on the units both coded.

    ``p_o`` is the observed proportion of agreement and ``p_e = sum_c p_{c.} p_{.c}`` the
    agreement expected from each coder's own marginal proportions. Source: Cohen, J. (1960).
    A coefficient of agreement for nominal scales. *Educational and Psychological Measurement*
    20(1), 37-46. Units where either value is missing are dropped; returns NaN when no unit is
    left or when ``p_e == 1`` (both coders used one and the same category throughout).
    """
    pair = pd.DataFrame(
        {"x": pd.Series(list(x), dtype=object), "y": pd.Series(list(y), dtype=object)}
    )
    pair = pair.dropna()
    n = len(pair)
    if n == 0:
        return np.nan
    p_o = float((pair["x"] == pair["y"]).mean())
    px = pair["x"].value_counts(normalize=True)
    py = pair["y"].value_counts(normalize=True)
    p_e = float((px * py.reindex(px.index, fill_value=0)).sum())
    if np.isclose(p_e, 1.0):
        return np.nan
    return (p_o - p_e) / (1.0 - p_e)


def percent_agreement(data) -> float:
    """Share of agreeing coder pairs among all pairs of coders that coded the same unit.

    For two coders this is the usual proportion of units with the same value. ``data``: units
    x coders, NaN = missing. NaN when no unit has two values.
    """
    codes, values = _as_value_matrix(data)
    agree = total = 0.0
    for k in range(len(values)):
        n_k = (codes == k).sum(axis=1)
        agree += (n_k * (n_k - 1) / 2).sum()
    m = (codes >= 0).sum(axis=1)
    total = (m * (m - 1) / 2).sum()
    return float(agree / total) if total else np.nan


def alpha_band(alpha: float) -> str | None:
    """Krippendorff's reading of alpha: ``reliable`` (>= :data:`ALPHA_RELIABLE`, 0.800),
    ``tentative`` (from :data:`ALPHA_TENTATIVE`, 0.667), ``not reliable`` below; None for NaN.
    Source: Krippendorff (2004), *Content Analysis: An Introduction to Its Methodology*, 2nd
    ed., p. 241."""
    if alpha is None or pd.isna(alpha):
        return None
    if alpha >= ALPHA_RELIABLE:
        return "reliable"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "not reliable"


def landis_koch_band(kappa: float) -> str | None:
    """Landis & Koch (1977, *Biometrics* 33:159-174, p. 165) label for a kappa value.

    < 0 poor; 0.00-0.20 slight; 0.21-0.40 fair; 0.41-0.60 moderate; 0.61-0.80 substantial;
    0.81-1.00 almost perfect (upper bounds inclusive). None for NaN.
    """
    if kappa is None or pd.isna(kappa):
        return None
    for upper, label in (
        (0.0, "poor"),
        (0.20, "slight"),
        (0.40, "fair"),
        (0.60, "moderate"),
        (0.80, "substantial"),
    ):
        if (kappa < upper) if label == "poor" else (kappa <= upper + 1e-12):
            return label
    return "almost perfect"


def presence_matrix(coding: pd.DataFrame, code: str) -> pd.DataFrame:
    """Excerpt x coder matrix for one code: 1 applied, 0 reviewed but not applied, NaN missing.

    Adjudication rows are left out (they are a decision, not an independent coding). The
    index is ``(authority, excerpt_id)``; columns are coder ids, sorted.
    """
    return _presence(normalise_coding(coding), code)


def _presence(df: pd.DataFrame, code: str) -> pd.DataFrame:
    df = df[~df["is_adjudication"]]
    if df.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=list(EXCERPT_KEY)))
    hit = (df["code"] == code).fillna(False).astype("int64")
    mat = df.assign(_hit=hit).pivot_table(
        index=list(EXCERPT_KEY), columns="coder", values="_hit", aggfunc="max"
    )
    return mat.astype("float64").sort_index().reindex(columns=sorted(mat.columns))


def _agreement_row(data: pd.DataFrame) -> dict:
    """Agreement statistics of one units x coders 0/1/NaN matrix."""
    n_coders = int(data.notna().any(axis=0).sum())
    alpha, reason, n_units, _n_values = _alpha_nominal(data)
    pairable = data[data.notna().sum(axis=1) >= 2]
    n_present = int(np.nansum(pairable.to_numpy())) if len(pairable) else 0
    n_applied = int((pairable.fillna(0).to_numpy() > 0).any(axis=1).sum()) if len(pairable) else 0
    if reason == "no variation in the codings":
        reason = (
            "code never applied"
            if n_present == 0 and np.nansum(data.to_numpy()) == 0
            else "no variation in the codings"
        )
    pct = percent_agreement(data) if n_units else np.nan
    kappa = np.nan
    reasons = [reason] if reason else []
    if n_coders == 2 and n_units:
        cols = data.columns[data.notna().any(axis=0)]
        kappa = cohen_kappa(data[cols[0]], data[cols[1]])
    elif n_coders > 2:
        reasons.append("kappa needs exactly two coders")
    return {
        "n_coders": n_coders,
        "n_excerpts": n_units,
        "n_present": n_present,
        "n_applied": n_applied,
        "percent_agreement": pct,
        "kappa": kappa,
        "kappa_band": landis_koch_band(kappa),
        "alpha": alpha,
        "alpha_band": alpha_band(alpha),
        "reason": "; ".join(reasons) if reasons else None,
    }


def intercoder_agreement(
    coding: pd.DataFrame,
    codes: Sequence[str] | None = None,
    *,
    by: Sequence[str] = ("authority",),
    overall: bool = True,
) -> pd.DataFrame:
    """Inter-coder agreement per code (present/absent per excerpt) and overall.

    Per code: Krippendorff's alpha (nominal, :func:`krippendorff_alpha_nominal`), Cohen's kappa
    when exactly two coders (:func:`cohen_kappa`, on excerpts both coded), percent agreement
    (:func:`percent_agreement`), their bands (:func:`alpha_band`, :func:`landis_koch_band`) and
    ``below_threshold`` (alpha < :data:`ALPHA_TENTATIVE`, Krippendorff 2004 p. 241).
    Adjudication rows are left out. A code nobody applied, one without variation, or a group
    with a single coder gives a row with NA statistics and a ``reason``; never an error.

    ``overall`` adds a row (``scope = "overall"``, ``code`` <NA>) pooling the presence/absence
    decisions of every code applied at least once in the group: units are (excerpt, code)
    pairs. Codes nobody applied are left out of the pool because their trivial agreement on
    absence would inflate it.

    Parameters
    ----------
    coding : the ``coding.csv`` table.
    codes : codes to report (e.g. every codebook code, so never-applied codes get a row);
        default the codes applied in ``coding``, sorted.
    by : grouping columns (``authority``, ``session_id``); ``()`` pools everything.

    Returns
    -------
    DataFrame: ``by..., scope, code, n_coders, n_excerpts`` (excerpts coded by two or more
    coders), ``n_present`` (codings of the code on those excerpts), ``n_applied`` (those
    excerpts on which at least one coder applied the code: what a reliability reading rests
    on, :data:`analysis.coding.reliability.MIN_APPLIED`), ``percent_agreement,
    kappa, kappa_band, alpha, alpha_band, below_threshold, reason``.
    """
    df = normalise_coding(coding)
    by = list(by)
    codes = sorted(set(df["code"].dropna())) if codes is None else list(codes)
    independent = df[~df["is_adjudication"]]
    rows = []
    grouped = independent.groupby(by, sort=True) if by else [((), independent)]
    for key, group in grouped:
        key = key if isinstance(key, tuple) else (key,)
        head = dict(zip(by, key, strict=True))
        pooled = []
        for code in codes:
            mat = _presence(group, code)
            rows.append({**head, "scope": "code", "code": code, **_agreement_row(mat)})
            if np.nansum(mat.to_numpy()) > 0:
                pooled.append(mat.assign(_code=code).set_index("_code", append=True))
        if overall:
            if pooled:
                stats = _agreement_row(pd.concat(pooled))
            else:
                reviewed = _presence(group, "")  # every value 0: who reviewed what
                stats = _agreement_row(reviewed)
                stats.update(
                    percent_agreement=np.nan,
                    kappa=np.nan,
                    kappa_band=None,
                    alpha=np.nan,
                    alpha_band=None,
                    reason="no code applied",
                )
            rows.append({**head, "scope": "overall", "code": pd.NA, **stats})
    columns = by + [
        "scope",
        "code",
        "n_coders",
        "n_excerpts",
        "n_present",
        "n_applied",
        "percent_agreement",
        "kappa",
        "kappa_band",
        "alpha",
        "alpha_band",
        "below_threshold",
        "reason",
    ]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=columns)
    out["below_threshold"] = out["alpha"].lt(ALPHA_TENTATIVE).astype("boolean")
    out.loc[out["alpha"].isna(), "below_threshold"] = pd.NA
    for col in ("percent_agreement", "kappa", "alpha"):
        out[col] = out[col].astype("float64")
    for col in by + ["scope", "code", "kappa_band", "alpha_band", "reason"]:
        out[col] = out[col].astype("string")
    return out[columns].reset_index(drop=True)


#: Agreement statistics are published to three decimals, the precision of the thresholds, so
#: that a published 0.667 is never "not reliable" and 0.7996 never reads as 0.800.
STAT_DECIMALS = 3


def round_statistic(value) -> float | None:
    """An agreement statistic as published: :data:`STAT_DECIMALS` decimals, halves away from
    zero on the shortest decimal form (``analysis.core.rounding.to_decimals``); None for
    NaN/None. Tables and key figures both round with this, so they always show one value."""
    from analysis.core.rounding import to_decimals

    if value is None or pd.isna(value):
        return None
    return float(to_decimals(float(value), STAT_DECIMALS))
