"""Workshop and interview coding: consensus, frequencies, co-occurrence, agreement, quotes, SWOT.

Pure functions on the validated ``coding.csv`` / ``excerpts.csv`` tables described in
``docs/data-contracts.md`` and on the codebook (the parsed ``survey/codebook.yaml`` dict).
Each function returns a tidy DataFrame with stable snake_case columns and a stable row order.

Conventions used throughout
---------------------------
* An excerpt is identified by ``(authority, excerpt_id)`` (ids are unique within an authority);
  a session by ``(authority, session_id)``.
* In ``coding`` an empty ``code`` means "this coder reviewed the excerpt and applied no code";
  a coder with no row for an excerpt did not code it (a *missing* coding).
* Counts returned by the functions without ``controlled`` in their name are **raw** (internal
  only). Every count that is published goes through :mod:`analysis.core.disclosure`
  (:func:`control_count_columns`, :func:`controlled_cooccurrence`, :func:`leading_codes`,
  :func:`controlled_swot_evidence`, :func:`code_by_role` with a rule).

Consensus rule (:func:`consensus_coding`)
-----------------------------------------
1. If an excerpt has adjudication rows (``is_adjudication`` True), the adjudicator's codes are
   the consensus (an adjudication row with an empty code means "no code").
2. Otherwise a code is in the consensus when *every* coder who reviewed the excerpt applied
   it (unanimity among the coders present; missing coders are not counted against it).
3. An excerpt reviewed by a single coder and not adjudicated keeps that coder's codes
   (``basis = "single_coder"``), because projects usually double-code only a sample for the
   reliability check; pass ``single_coder="drop"`` to leave such excerpts out.

Inter-coder agreement (:func:`intercoder_agreement`)
----------------------------------------------------
Each code is treated as a binary variable (present/absent) per excerpt. Krippendorff's alpha
(nominal) is computed from the coincidence matrix (Krippendorff 2011), Cohen's kappa
(Cohen 1960) for exactly two coders on the excerpts both coded, and percent agreement as the
share of agreeing coder pairs. Bands: alpha >= 0.800 reliable, 0.667-0.800 tentative, below
0.667 not reliable (Krippendorff 2004, *Content Analysis*, 2nd ed., p. 241); kappa read with
Landis & Koch (1977, *Biometrics* 33:159-174, p. 165).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

CODING_COLUMNS = (
    "authority",
    "session_id",
    "excerpt_id",
    "participant_role",
    "coder",
    "is_adjudication",
    "code",
)
EXCERPT_COLUMNS = (
    "authority",
    "session_id",
    "excerpt_id",
    "participant_role",
    "cleared_for_publication",
    "text",
)
SWOT_ORDER = ("strength", "weakness", "opportunity", "threat")
#: Krippendorff (2004, p. 241): rely on variables with alpha >= .800; tentative conclusions
#: for .667 <= alpha < .800; discard below .667.
ALPHA_RELIABLE = 0.800
ALPHA_TENTATIVE = 0.667
#: Columns of :func:`quote_bank` that may be published (no excerpt, session or coder id).
QUOTE_PUBLIC_COLUMNS = ("authority", "code", "label", "rank", "attribution", "quote")

_EXCERPT_KEY = ["authority", "excerpt_id"]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------
def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def _as_bool(series: pd.Series, what: str) -> pd.Series:
    """Boolean column from bools or the strings true/false/1/0 (case-insensitive)."""
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool)
    text = series.astype("string").str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
    out = text.map(mapping)
    if out.isna().any():
        raise ValueError(f"{what}: expected true/false values")
    return out.astype(bool)


def normalise_coding(coding: pd.DataFrame) -> pd.DataFrame:
    """Return ``coding`` with ``code`` stripped (empty -> <NA>) and ``is_adjudication`` as bool.

    Raises ``ValueError`` naming the missing column when the table does not follow the
    ``coding.csv`` contract. Rows are sorted by excerpt, coder and code.
    """
    _require(coding, CODING_COLUMNS, "coding table")
    df = coding.loc[:, list(CODING_COLUMNS)].copy()
    for col in ("authority", "session_id", "excerpt_id", "participant_role", "coder", "code"):
        df[col] = df[col].astype("string").str.strip()
    df["code"] = df["code"].mask(df["code"] == "")
    df["is_adjudication"] = _as_bool(df["is_adjudication"], "coding table column is_adjudication")
    return df.sort_values(
        ["authority", "excerpt_id", "is_adjudication", "coder", "code"], na_position="first"
    ).reset_index(drop=True)


def codebook_table(codebook: Mapping) -> pd.DataFrame:
    """Codes of the codebook as a table: code, label, theme, research_question, swot.

    Rows keep the codebook's order (the order reports show codes in).
    """
    rows = []
    for entry in codebook.get("codes", []) or []:
        rows.append(
            {
                "code": str(entry["id"]),
                "label": entry.get("label"),
                "theme": entry.get("theme"),
                "research_question": entry.get("research_question"),
                "swot": entry.get("swot"),
            }
        )
    out = pd.DataFrame(rows, columns=["code", "label", "theme", "research_question", "swot"])
    if out["code"].duplicated().any():
        raise ValueError("codebook: code ids must be unique")
    bad = out["swot"].notna() & ~out["swot"].isin(SWOT_ORDER)
    if bad.any():
        raise ValueError(f"codebook: swot must be one of {', '.join(SWOT_ORDER)}")
    return out.astype("string")


def role_labels(codebook: Mapping) -> dict[str, str]:
    """Map participant-role id -> label from the codebook (id itself when no label)."""
    return {
        str(r["id"]): str(r.get("label") or r["id"])
        for r in (codebook.get("participant_roles", []) or [])
    }


# --------------------------------------------------------------------------------------------
# Consensus
# --------------------------------------------------------------------------------------------
def consensus_coding(coding: pd.DataFrame, *, single_coder: str = "keep") -> pd.DataFrame:
    """Consensus coding of each excerpt, the basis of every frequency and quote.

    Rule (stated in the module docstring): adjudication rows win; otherwise a code counts when
    every coder who reviewed the excerpt applied it; a single-coder excerpt keeps its coder's
    codes (``single_coder="keep"``) or is left out (``"drop"``).

    Returns one row per (excerpt, consensus code) with columns ``authority, session_id,
    excerpt_id, participant_role, code, basis, n_coders``; an excerpt whose consensus has no
    code appears once with ``code`` <NA> so that it still counts in excerpt denominators.
    ``basis`` is ``adjudication``, ``unanimous`` or ``single_coder``; ``n_coders`` counts the
    (non-adjudicating) coders who reviewed the excerpt.
    """
    if single_coder not in ("keep", "drop"):
        raise ValueError("single_coder must be 'keep' or 'drop'")
    df = normalise_coding(coding)
    columns = [
        "authority",
        "session_id",
        "excerpt_id",
        "participant_role",
        "code",
        "basis",
        "n_coders",
    ]
    if df.empty:
        return _typed_consensus(pd.DataFrame(columns=columns))
    key = _EXCERPT_KEY
    excerpts = df.drop_duplicates(key)[key + ["session_id", "participant_role"]]
    independent = df[~df["is_adjudication"]]
    n_coders = independent.groupby(key)["coder"].nunique().rename("n_coders")
    adjudicated = df.loc[df["is_adjudication"], key].drop_duplicates().assign(_adj=True)
    excerpts = (
        excerpts.merge(n_coders.reset_index(), on=key, how="left")
        .merge(adjudicated, on=key, how="left")
        .fillna({"n_coders": 0, "_adj": False})
    )
    excerpts["basis"] = np.where(
        excerpts["_adj"].astype(bool),
        "adjudication",
        np.where(excerpts["n_coders"] > 1, "unanimous", "single_coder"),
    )
    if single_coder == "drop":
        excerpts = excerpts[excerpts["basis"] != "single_coder"]

    # Codes from the adjudicator (rule 1).
    adj_codes = df.loc[df["is_adjudication"], key + ["code"]].dropna().drop_duplicates()
    # Codes every reviewing coder applied (rules 2 and 3).
    k = independent.dropna(subset=["code"]).groupby(key + ["code"])["coder"].nunique()
    unanimous = k.rename("_k").reset_index().merge(n_coders.reset_index(), on=key)
    unanimous = unanimous.loc[unanimous["_k"] == unanimous["n_coders"], key + ["code"]]
    unanimous = unanimous.merge(adjudicated, on=key, how="left")
    unanimous = unanimous.loc[unanimous["_adj"].isna(), key + ["code"]]
    codes = pd.concat([adj_codes, unanimous], ignore_index=True)

    out = excerpts.merge(codes, on=key, how="left")
    out = out.sort_values(key + ["code"], na_position="first", kind="stable")
    return _typed_consensus(out[columns])


def _typed_consensus(df: pd.DataFrame) -> pd.DataFrame:
    out = df.astype({c: "string" for c in df.columns if c != "n_coders"})
    out["n_coders"] = out["n_coders"].astype("int64")
    return out.reset_index(drop=True)


def _check_consensus(consensus: pd.DataFrame) -> None:
    _require(
        consensus,
        ["authority", "session_id", "excerpt_id", "participant_role", "code"],
        "consensus table",
    )


# --------------------------------------------------------------------------------------------
# Frequencies
# --------------------------------------------------------------------------------------------
_UNITS = ("code", "theme", "research_question", "swot")


def code_frequencies(
    consensus: pd.DataFrame,
    codebook: Mapping | None = None,
    *,
    by: Sequence[str] = ("authority",),
    unit: str = "code",
) -> pd.DataFrame:
    """Raw counts of excerpts and sessions per code (or theme / research question / SWOT).

    Standard code-frequency output of qualitative analysis tools (QualCoder, NVivo, MAXQDA:
    "code frequency by case attribute"), counted on the consensus coding.

    Parameters
    ----------
    consensus : output of :func:`consensus_coding`.
    codebook : parsed codebook; needed for ``unit`` other than ``"code"``. When given, every
        codebook unit appears for every group present (zeros included) in codebook order.
    by : grouping columns of ``consensus`` (``authority``, ``participant_role``,
        ``session_id``); ``()`` pools everything.
    unit : ``code``, ``theme``, ``research_question`` or ``swot``. For a unit other than
        ``code`` an excerpt counts once when it carries at least one code of that unit.

    Returns
    -------
    DataFrame with ``by`` columns, the unit column (for ``code`` also ``label, theme,
    research_question, swot``), ``n_excerpts`` (distinct excerpts) and ``n_sessions``
    (distinct sessions). Raw, unrounded counts: pass through :func:`control_count_columns`
    before publishing.
    """
    _check_consensus(consensus)
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {', '.join(_UNITS)}")
    by = list(by)
    _require(consensus, by, "consensus table")
    book = codebook_table(codebook) if codebook is not None else None
    if unit != "code" and book is None:
        raise ValueError(f"unit={unit!r} needs the codebook")

    df = consensus.copy()
    df["_excerpt"] = df["authority"] + "\x1f" + df["excerpt_id"]
    df["_session"] = df["authority"] + "\x1f" + df["session_id"]
    groups = df[by].drop_duplicates().sort_values(by) if by else None
    applied = df.dropna(subset=["code"])
    if unit != "code":
        mapping = book.set_index("code")[unit]
        unknown = sorted(set(applied["code"]) - set(mapping.index))
        if unknown:
            raise ValueError(f"codes not in the codebook: {', '.join(unknown)}")
        applied = applied.assign(**{unit: applied["code"].map(mapping)}).dropna(subset=[unit])

    keys = by + [unit]
    counts = (
        applied.groupby(keys, dropna=False)
        .agg(n_excerpts=("_excerpt", "nunique"), n_sessions=("_session", "nunique"))
        .reset_index()
    )
    if book is not None:
        units = book[unit].dropna().drop_duplicates().tolist()
        extra = sorted(set(counts[unit]) - set(units))  # codes outside the codebook
        units = units + extra
        order = {u: i for i, u in enumerate(units)}
        grid = pd.DataFrame({unit: pd.array(units, dtype="string")})
        if by:
            grid = groups.merge(grid, how="cross")
        counts = grid.merge(counts, on=keys, how="left")
        counts[["n_excerpts", "n_sessions"]] = counts[["n_excerpts", "n_sessions"]].fillna(0)
        counts["_order"] = counts[unit].map(order)
        counts = counts.sort_values(by + ["_order"], kind="stable").drop(columns="_order")
    else:
        counts = counts.sort_values(keys, kind="stable")
    counts = counts.astype({"n_excerpts": "int64", "n_sessions": "int64"})
    if unit == "code":
        info = (
            book
            if book is not None
            else pd.DataFrame(columns=["code", "label", "theme", "research_question", "swot"])
        )
        counts = counts.merge(info.astype("string"), on="code", how="left")
        counts = counts[
            by + ["code", "label", "theme", "research_question", "swot", "n_excerpts", "n_sessions"]
        ]
    return counts.reset_index(drop=True)


def control_count_columns(
    table: pd.DataFrame, rule, count_cols: Sequence[str] = ("n_excerpts", "n_sessions")
) -> pd.DataFrame:
    """Copy of ``table`` with each count column passed through ``disclosure.control_counts``.

    Primary suppression and rounding only: use it for tables whose counts are not published
    next to a total they add up to (codes overlap: one excerpt may carry several codes). For a
    table with published margins use :func:`code_by_role` with a rule (secondary suppression).
    Suppressed cells become <NA> (Int64).
    """
    from analysis.core.disclosure import control_counts

    out = table.copy()
    for col in count_cols:
        out[col] = control_counts(out[col].astype("int64"), rule).astype("Int64")
    return out


def code_by_role(
    consensus: pd.DataFrame,
    codebook: Mapping | None = None,
    *,
    authority: str | None = None,
    rule=None,
) -> pd.DataFrame:
    """Code x participant-role table of excerpt counts, raw or disclosure-controlled.

    Rows are codes (codebook order when given), columns participant roles (sorted). With a
    ``rule`` the table goes through ``disclosure.control_crosstab`` (totals from unrounded
    values, secondary suppression), which adds a ``total`` row and column. Each excerpt has one
    role, so a row total is the number of excerpts with the code; the column totals count code
    applications (an excerpt with two codes counts twice).
    """
    _check_consensus(consensus)
    df = consensus if authority is None else consensus[consensus["authority"] == authority]
    if authority is None and df["authority"].nunique() > 1:
        raise ValueError("code_by_role: pass authority= when the table holds several")
    freq = code_frequencies(df, codebook, by=["participant_role"], unit="code")
    order = pd.unique(freq["code"])
    wide = freq.pivot(index="code", columns="participant_role", values="n_excerpts")
    wide = wide.reindex(index=order).fillna(0).astype("int64")
    wide = wide.reindex(columns=sorted(wide.columns))
    wide.index.name = "code"
    wide.columns.name = "participant_role"
    if rule is None:
        return wide
    from analysis.core.disclosure import control_crosstab

    return control_crosstab(wide, rule, margins=True)


# --------------------------------------------------------------------------------------------
# Co-occurrence
# --------------------------------------------------------------------------------------------
def code_cooccurrence(
    consensus: pd.DataFrame,
    codes: Sequence[str] | None = None,
    *,
    by: Sequence[str] = ("authority",),
) -> pd.DataFrame:
    """Raw code co-occurrence: number of excerpts carrying both codes (tidy, all ordered pairs).

    The co-occurrence matrix of qualitative analysis tools (e.g. ATLAS.ti "code
    co-occurrence table", MAXQDA "code relations browser" with the excerpt as the unit):
    ``C = X'X`` where ``X`` is the excerpt x code 0/1 indicator matrix of the consensus
    coding. The diagonal holds the number of excerpts with the code.

    Returns columns ``by..., code_a, code_b, n_excerpts`` for every ordered pair of ``codes``
    (default: the codes present, sorted), zeros included; raw counts.
    """
    _check_consensus(consensus)
    by = list(by)
    _require(consensus, by, "consensus table")
    applied = consensus.dropna(subset=["code"])
    codes = sorted(set(applied["code"])) if codes is None else list(codes)
    frames = []
    grouped = consensus.groupby(by, sort=True) if by else [((), consensus)]
    for key, group in grouped:
        key = key if isinstance(key, tuple) else (key,)
        g = group.dropna(subset=["code"])
        g = g[g["code"].isin(codes)]
        if len(g):
            x = pd.crosstab(g["authority"] + "\x1f" + g["excerpt_id"], g["code"])
        else:
            x = pd.DataFrame(columns=codes)
        x = (x.reindex(columns=codes, fill_value=0) > 0).astype("int64")
        c = x.to_numpy().T @ x.to_numpy()
        tidy = pd.DataFrame(
            {
                "code_a": np.repeat(codes, len(codes)),
                "code_b": np.tile(codes, len(codes)),
                "n_excerpts": c.reshape(-1).astype("int64"),
            }
        )
        for col, value in zip(by, key, strict=True):
            tidy.insert(by.index(col), col, value)
        frames.append(tidy)
    if not frames:
        return pd.DataFrame(columns=by + ["code_a", "code_b", "n_excerpts"])
    out = pd.concat(frames, ignore_index=True)
    return out.astype({c: "string" for c in by + ["code_a", "code_b"]})


def cooccurrence_matrix(tidy: pd.DataFrame, value: str = "n_excerpts") -> pd.DataFrame:
    """Square (code_a x code_b) form of a tidy co-occurrence table for one group."""
    extra = [c for c in tidy.columns if c not in ("code_a", "code_b", value)]
    for col in extra:
        if tidy[col].nunique(dropna=False) > 1:
            raise ValueError(f"cooccurrence_matrix: filter the table to one {col} first")
    order = pd.unique(tidy["code_a"])
    wide = tidy.pivot(index="code_a", columns="code_b", values=value)
    return wide.reindex(index=order, columns=order)


def controlled_cooccurrence(tidy: pd.DataFrame, rule) -> pd.DataFrame:
    """Tidy co-occurrence with ``n_excerpts`` disclosure-controlled (Int64, <NA> = suppressed).

    Primary suppression and rounding per cell: the matrix publishes no margins, and the
    diagonal is not the sum of its row (an excerpt may carry three or more codes), so no cell
    can be recovered by subtraction.
    """
    return control_count_columns(tidy, rule, count_cols=("n_excerpts",))


# --------------------------------------------------------------------------------------------
# Agreement statistics
# --------------------------------------------------------------------------------------------
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
    """Krippendorff's reading of alpha: ``reliable`` (>= 0.800), ``tentative`` (0.667-0.800),
    ``not reliable`` (< 0.667); None for NaN. Source: Krippendorff (2004), *Content Analysis:
    An Introduction to Its Methodology*, 2nd ed., p. 241."""
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
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=_EXCERPT_KEY))
    hit = (df["code"] == code).fillna(False).astype("int64")
    mat = df.assign(_hit=hit).pivot_table(
        index=_EXCERPT_KEY, columns="coder", values="_hit", aggfunc="max"
    )
    return mat.astype("float64").sort_index().reindex(columns=sorted(mat.columns))


def _agreement_row(data: pd.DataFrame) -> dict:
    """Agreement statistics of one units x coders 0/1/NaN matrix."""
    n_coders = int(data.notna().any(axis=0).sum())
    alpha, reason, n_units, _n_values = _alpha_nominal(data)
    pairable = data[data.notna().sum(axis=1) >= 2]
    n_present = int(np.nansum(pairable.to_numpy())) if len(pairable) else 0
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
    ``below_threshold`` (alpha < 0.667, Krippendorff 2004 p. 241). Adjudication rows are left
    out. A code nobody applied, one without variation, or a group with a single coder gives a
    row with NA statistics and a ``reason``; never an error.

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
    coders), ``n_present`` (codings of the code on those excerpts), ``percent_agreement,
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


# --------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------
def screen_quotes(excerpts: pd.DataFrame, *, extra_patterns: Sequence = ()) -> pd.DataFrame:
    """Which excerpts may be quoted: cleared for publication *and* passing the PII gate again.

    Gate 1 of ``reference/privacy-and-disclosure.md`` is re-applied to the text with
    ``analysis.core.pii.find_identifiers_in_text`` (and the council's ``extra_patterns``).

    Returns ``authority, excerpt_id, quotable, reason`` (reason: ``not cleared for
    publication``, ``empty text`` or ``identifier found: <kinds>``; never the text itself).
    """
    from analysis.core.pii import find_identifiers_in_text

    _require(excerpts, EXCERPT_COLUMNS, "excerpts table")
    cleared = _as_bool(
        excerpts["cleared_for_publication"], "excerpts column cleared_for_publication"
    )
    rows = []
    for ok, (_, row) in zip(cleared, excerpts.iterrows(), strict=True):
        text = row["text"]
        if not ok:
            reason = "not cleared for publication"
        elif pd.isna(text) or not str(text).strip():
            reason = "empty text"
        else:
            kinds = find_identifiers_in_text(str(text), extra_patterns)
            reason = "identifier found: " + ", ".join(sorted(set(kinds))) if kinds else ""
        rows.append((row["authority"], row["excerpt_id"], not reason, reason or None))
    out = pd.DataFrame(rows, columns=["authority", "excerpt_id", "quotable", "reason"])
    out = out.astype({"authority": "string", "excerpt_id": "string", "reason": "string"})
    out["quotable"] = out["quotable"].astype(bool)
    return out.sort_values(_EXCERPT_KEY, kind="stable").reset_index(drop=True)


def _stable_rank_key(seed: str, *parts: str) -> str:
    return hashlib.sha256("\x1f".join((seed, *parts)).encode("utf-8")).hexdigest()


def quote_bank(
    excerpts: pd.DataFrame,
    consensus: pd.DataFrame,
    codebook: Mapping,
    *,
    extra_patterns: Sequence = (),
    max_per_code: int | None = None,
    seed: str = "quote-bank",
) -> pd.DataFrame:
    """Quotable excerpts per authority and code, attributed by participant-role label only.

    Only excerpts with ``cleared_for_publication`` True that pass the PII gate again
    (:func:`screen_quotes`) and carry the code in the consensus coding are listed. Order within
    (authority, code) is deterministic and unrelated to input order: the SHA-256 of ``seed``,
    authority, code and excerpt id (a seeded pseudo-random draw, so the first quotes are not
    always from the first session); ``max_per_code`` keeps the first N.

    Returns ``authority, code, label, research_question, swot, rank, excerpt_id,
    participant_role, attribution, quote``. ``excerpt_id`` is for tracing back internally; the
    publishable subset is :data:`QUOTE_PUBLIC_COLUMNS` (no excerpt, session or coder id, never
    a name). Text that goes to a CSV/XLSX must still be neutralised against formula injection
    by the writer.
    """
    _check_consensus(consensus)
    screen = screen_quotes(excerpts, extra_patterns=extra_patterns)
    ok = screen[screen["quotable"]][_EXCERPT_KEY]
    text = excerpts[_EXCERPT_KEY + ["text"]].astype({"authority": "string", "excerpt_id": "string"})
    applied = consensus.dropna(subset=["code"])[_EXCERPT_KEY + ["participant_role", "code"]]
    df = applied.merge(ok, on=_EXCERPT_KEY).merge(text, on=_EXCERPT_KEY, how="left")
    book = codebook_table(codebook)
    df = df.merge(book[["code", "label", "research_question", "swot"]], on="code", how="left")
    labels = role_labels(codebook)
    df["attribution"] = df["participant_role"].map(lambda r: labels.get(r, r)).astype("string")
    df["_key"] = [
        _stable_rank_key(seed, a, c, e)
        for a, c, e in zip(df["authority"], df["code"], df["excerpt_id"], strict=True)
    ]
    df = df.sort_values(["authority", "code", "_key"], kind="stable")
    df["rank"] = df.groupby(["authority", "code"]).cumcount().add(1).astype("int64")
    if max_per_code is not None:
        df = df[df["rank"] <= max_per_code]
    df = df.rename(columns={"text": "quote"})
    df["quote"] = df["quote"].astype("string").str.strip()
    columns = [
        "authority",
        "code",
        "label",
        "research_question",
        "swot",
        "rank",
        "excerpt_id",
        "participant_role",
        "attribution",
        "quote",
    ]
    return df[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Leading codes and SWOT evidence
# --------------------------------------------------------------------------------------------
def leading_codes(
    consensus: pd.DataFrame,
    codebook: Mapping,
    rule,
    *,
    quotes: pd.DataFrame | None = None,
    top_n: int = 3,
    frequencies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Leading codes per authority and research question, with controlled counts and a quote.

    Codes are ranked by their *controlled* excerpt count (then controlled session count, then
    code id), so the order reveals nothing the published counts do not; codes whose count is
    suppressed or zero are not listed as leading. ``quotes`` (output of :func:`quote_bank`)
    supplies the first-ranked quote of each code.

    ``frequencies`` (optional): an already controlled per-code table with the columns of
    :func:`code_frequencies` by ``authority`` (checked with ``disclosure.check_controlled``),
    used instead of controlling the counts here. Pass it when the per-code totals are also
    published elsewhere with secondary suppression (the ``total`` column of
    :func:`code_by_role` with a rule), so that one count is published one way everywhere.

    Returns ``authority, research_question, rank, code, label, theme, n_excerpts, n_sessions,
    quote, attribution`` (counts Int64, controlled with ``disclosure.control_counts``).
    """
    if frequencies is None:
        freq = code_frequencies(consensus, codebook, by=["authority"], unit="code")
        freq = control_count_columns(freq, rule)
    else:
        from analysis.core.disclosure import check_controlled

        _require(
            frequencies,
            [
                "authority",
                "code",
                "label",
                "theme",
                "research_question",
                "n_excerpts",
                "n_sessions",
            ],
            "leading_codes frequencies",
        )
        check_controlled(frequencies, ["n_excerpts", "n_sessions"], rule, where="frequencies")
        freq = frequencies.copy()
        for col in ("n_excerpts", "n_sessions"):
            freq[col] = freq[col].astype("Int64")
    freq = freq.dropna(subset=["research_question"])
    freq = freq[freq["n_excerpts"].fillna(0) > 0]
    freq = freq.assign(
        _ne=freq["n_excerpts"].astype("float64"), _ns=freq["n_sessions"].fillna(0).astype("float64")
    )
    freq = freq.sort_values(
        ["authority", "research_question", "_ne", "_ns", "code"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    freq["rank"] = freq.groupby(["authority", "research_question"]).cumcount().add(1)
    freq = freq[freq["rank"] <= top_n].astype({"rank": "int64"})
    if quotes is not None and len(quotes):
        first = quotes[quotes["rank"] == 1][["authority", "code", "quote", "attribution"]]
        freq = freq.merge(first, on=["authority", "code"], how="left")
    else:
        freq = freq.assign(
            quote=pd.Series(pd.NA, index=freq.index, dtype="string"),
            attribution=pd.Series(pd.NA, index=freq.index, dtype="string"),
        )
    columns = [
        "authority",
        "research_question",
        "rank",
        "code",
        "label",
        "theme",
        "n_excerpts",
        "n_sessions",
        "quote",
        "attribution",
    ]
    return freq[columns].reset_index(drop=True)


def swot_evidence(consensus: pd.DataFrame, codebook: Mapping) -> pd.DataFrame:
    """Raw SWOT evidence per authority from the codebook's quadrant mapping.

    For every authority in ``consensus`` and every codebook code with a ``swot`` quadrant:
    the number of excerpts and of sessions whose consensus coding carries the code (zeros kept,
    so an empty quadrant shows as such). Rows ordered by authority, quadrant (strength,
    weakness, opportunity, threat) and codebook order.

    Returns ``authority, swot, code, label, theme, research_question, n_excerpts, n_sessions``
    (raw; publish through :func:`controlled_swot_evidence`). Quotes are a separate long table,
    :func:`swot_quotes`, one row per quote, rather than ``quote_1..quote_N`` columns.
    """
    freq = code_frequencies(consensus, codebook, by=["authority"], unit="code")
    freq = freq.dropna(subset=["swot"])
    freq["_q"] = freq["swot"].map({q: i for i, q in enumerate(SWOT_ORDER)})
    freq = freq.sort_values(["authority", "_q"], kind="stable")
    columns = [
        "authority",
        "swot",
        "code",
        "label",
        "theme",
        "research_question",
        "n_excerpts",
        "n_sessions",
    ]
    return freq[columns].reset_index(drop=True)


def controlled_swot_evidence(evidence: pd.DataFrame, rule) -> pd.DataFrame:
    """:func:`swot_evidence` with ``n_excerpts`` and ``n_sessions`` disclosure-controlled."""
    return control_count_columns(evidence, rule)


def swot_quotes(quotes: pd.DataFrame, *, n_quotes: int = 2) -> pd.DataFrame:
    """Up to ``n_quotes`` cleared quotes per authority and SWOT-mapped code (long table).

    ``quotes`` is the output of :func:`quote_bank`. Returns ``authority, swot, code,
    quote_rank, attribution, quote`` ordered like :func:`swot_evidence`.
    """
    df = quotes.dropna(subset=["swot"])
    df = df[df["rank"] <= n_quotes]
    df = df.assign(_q=df["swot"].map({q: i for i, q in enumerate(SWOT_ORDER)}))
    df = df.sort_values(["authority", "_q", "code", "rank"], kind="stable")
    df = df.rename(columns={"rank": "quote_rank"})
    return df[["authority", "swot", "code", "quote_rank", "attribution", "quote"]].reset_index(
        drop=True
    )


__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "QUOTE_PUBLIC_COLUMNS",
    "SWOT_ORDER",
    "alpha_band",
    "code_by_role",
    "code_cooccurrence",
    "code_frequencies",
    "codebook_table",
    "cohen_kappa",
    "coincidence_matrix",
    "consensus_coding",
    "control_count_columns",
    "controlled_cooccurrence",
    "controlled_swot_evidence",
    "cooccurrence_matrix",
    "intercoder_agreement",
    "krippendorff_alpha_nominal",
    "landis_koch_band",
    "leading_codes",
    "normalise_coding",
    "percent_agreement",
    "presence_matrix",
    "quote_bank",
    "role_labels",
    "screen_quotes",
    "swot_evidence",
    "swot_quotes",
]
