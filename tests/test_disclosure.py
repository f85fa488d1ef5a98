"""Tests of analysis.core.disclosure against the rules in
docs/reference/privacy-and-disclosure.md (NHS England: 1-7 suppressed, rest rounded to
the nearest 5, 0 stays 0, totals from unrounded values, percentages from rounded values, a
mean/median of 1-7 values suppressed; ONS 10-5: below 10 suppressed, rest rounded to 5).
Expected values are worked out by hand in each test.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.core.disclosure import (
    DisclosureError,
    DisclosureRule,
    check_controlled,
    control_counts,
    control_crosstab,
    percentages,
    rule_from_config,
    suppress_small_base,
    write_published_csv,
)

NHS = rule_from_config({"rule": "nhs"})
ONS = rule_from_config({"rule": "ons_10_5"})


def test_rule_from_config():
    assert rule_from_config(None) == DisclosureRule("nhs", 8, 5, "[c]")
    assert rule_from_config({"rule": "ons_10_5", "marker": "*"}) == DisclosureRule(
        "ons_10_5", 10, 5, "*"
    )
    with pytest.raises(ValueError):
        rule_from_config({"rule": "nhs_typo"})


def test_nhs_thresholds_and_rounding():
    raw = pd.Series(
        [0, 1, 5, 7, 8, 9, 10, 12, 13, 17, 18, 22, 23, 100], index=list("abcdefghijklmn")
    )
    # by hand: 0 stays 0; 1..7 suppressed; 8, 9, 10, 12 -> 10; 13, 17 -> 15; 18, 22 -> 20; 23 -> 25
    expected = [0, None, None, None, 10, 10, 10, 10, 15, 15, 20, 20, 25, 100]
    out = control_counts(raw, NHS)
    assert str(out.dtype) == "Int64"
    assert list(out.index) == list(raw.index)
    assert [None if pd.isna(v) else int(v) for v in out] == expected


def test_ons_thresholds_and_rounding():
    out = control_counts([0, 7, 8, 9, 10, 12, 13], ONS)
    # by hand: 0 stays; 7, 8, 9 < 10 suppressed; 10, 12 -> 10; 13 -> 15
    assert [None if pd.isna(v) else int(v) for v in out] == [0, None, None, None, 10, 10, 15]


def test_rounding_half_cases_go_up():
    # With base 5 no integer is half-way, so use base 10 to pin the convention: halves up,
    # not banker's rounding (which would give 15 -> 20 but 25 -> 20).
    rule = DisclosureRule("test", min_count=1, rounding_base=10)
    out = control_counts([5, 14, 15, 25, 35, 36], rule)
    assert list(out.astype(int)) == [10, 10, 20, 30, 40, 40]


def test_control_counts_rejects_bad_input():
    with pytest.raises(ValueError):
        control_counts([1.5, 3], NHS)
    with pytest.raises(ValueError):
        control_counts([-1, 3], NHS)
    with pytest.raises(ValueError) as err:
        control_counts(["Jane"], NHS)
    assert "Jane" not in str(err.value)


def test_totals_from_unrounded_values():
    t = pd.DataFrame({"a": [12, 12], "b": [12, 12]}, index=["x", "y"])
    out = control_crosstab(t, NHS)
    # every cell 12 -> 10, but row totals 24 -> 25 and grand total 48 -> 50
    # (summing rounded cells would have given 20 and 40)
    assert out.loc["x", "total"] == 25
    assert out.loc["total", "a"] == 25
    assert out.loc["total", "total"] == 50
    assert out.loc["x", "a"] == 10


def test_percentages_from_rounded_values():
    s = control_counts(pd.Series([12, 13], index=["yes", "no"]), NHS)  # -> 10, 15
    pct = percentages(s)
    # by hand: 10/25 = 40 %, 15/25 = 60 % (raw counts would give 48 % and 52 %)
    assert pct["yes"] == pytest.approx(40.0)
    assert pct["no"] == pytest.approx(60.0)
    # a suppressed part makes the unpublished sum unknown -> all <NA>
    s2 = control_counts(pd.Series([3, 13]), NHS)
    assert percentages(s2).isna().all()
    # with an explicit controlled base, the published part still gets its percentage
    p3 = percentages(s2, total=20)
    assert pd.isna(p3.iloc[0]) and p3.iloc[1] == pytest.approx(75.0)


def test_percentages_of_crosstab_use_the_total_column():
    t = pd.DataFrame({"a": [12, 30], "b": [33, 41]}, index=["x", "y"])
    out = control_crosstab(t, NHS)
    pct = percentages(out)
    assert "total" not in pct.columns
    # row x: a 12 -> 10, b 33 -> 35, total 45 -> 45: 10/45, 35/45 (not 12/45 from raw)
    assert pct.loc["x", "a"] == pytest.approx(100 * 10 / 45)
    assert pct.loc["x", "b"] == pytest.approx(100 * 35 / 45)
    # row y: 30, 41 -> 40, total 71 -> 70
    assert pct.loc["y", "b"] == pytest.approx(100 * 40 / 70)
    # a suppressed part or base gives <NA>
    ctl = pd.DataFrame(
        {"a": pd.array([None, 10], dtype="Int64"), "total": pd.array([20, None], dtype="Int64")}
    )
    p2 = percentages(ctl)
    assert p2["a"].isna().all()


def test_suppress_small_base():
    assert np.isnan(suppress_small_base(3.5, 7, NHS))
    assert suppress_small_base(3.5, 8, NHS) == 3.5
    assert np.isnan(suppress_small_base(3.5, 9, ONS))
    assert suppress_small_base(3.5, 10, ONS) == 3.5
    assert np.isnan(suppress_small_base(3.5, 0, NHS))


# --------------------------------------------------------------------- secondary suppression


def _augmented(raw: pd.DataFrame) -> np.ndarray:
    x = raw.to_numpy(dtype=float)
    return np.vstack([np.column_stack([x, x.sum(1)]), np.append(x.sum(0), x.sum())])


def _lines(shape):
    r, c = shape
    return [[(i, j) for j in range(c)] for i in range(r)] + [
        [(i, j) for i in range(r)] for j in range(c)
    ]


def _assert_no_line_recovers_a_cell(out: pd.DataFrame):
    """Exhaustively, for every row and column (totals row/column included): if any cell of
    the line is suppressed, the published total minus the published cells leaves at least
    two unknowns, so no single suppressed cell is recovered by subtraction."""
    sup = out.isna().to_numpy()
    for line in _lines(sup.shape):
        n_sup = sum(sup[p] for p in line)
        assert n_sup != 1, f"line {line[0]}..{line[-1]} has a single suppressed cell"


def _assert_not_recoverable_by_any_combination(out: pd.DataFrame):
    """Stronger, independent audit: with the published values known, the suppressed values
    solve A_S s = b (one equation per row/column: cells - total = 0). A suppressed cell is
    recoverable by adding/subtracting lines iff its unit vector lies in the row space of
    A_S, i.e. appending it does not raise the rank (numpy matrix_rank; the module uses a
    null-space computation instead)."""
    sup = out.isna().to_numpy()
    r, c = sup.shape
    eqs = []
    for line in _lines(sup.shape):
        row = np.zeros(r * c)
        *cells, total = line
        for i, j in cells:
            row[i * c + j] = 1
        row[total[0] * c + total[1]] = -1
        eqs.append(row)
    a = np.array(eqs)
    idx = np.flatnonzero(sup.ravel())
    a_s = a[:, idx]
    rank = np.linalg.matrix_rank(a_s)
    for k in range(idx.size):
        e = np.zeros(idx.size)
        e[k] = 1
        assert np.linalg.matrix_rank(np.vstack([a_s, e])) > rank, "a cell is recoverable"


def _assert_rule_applied(raw: pd.DataFrame, out: pd.DataFrame, rule):
    x = _augmented(raw)
    got = out.to_numpy(dtype=float, na_value=np.nan)
    small = (x >= 1) & (x < rule.min_count)
    assert np.isnan(got[small]).all(), "a primary cell was published"
    pub = ~np.isnan(got)
    # published values are the raw (unrounded, totals included) values rounded to 5
    assert np.array_equal(got[pub], 5 * np.floor(x[pub] / 5 + 0.5))
    assert (got[pub] == 0).sum() == (x[pub] == 0).sum()


def test_crafted_crosstab_secondary_suppression():
    # authority x answer level; the 3 in (lambeth, agree) and the 5 in (mk, neutral) are
    # primary; (canterbury, disagree) = 0 must stay a published 0.
    raw = pd.DataFrame(
        {"disagree": [40, 22, 31, 0], "neutral": [18, 25, 5, 30], "agree": [60, 3, 44, 52]},
        index=["leicester", "lambeth", "milton_keynes", "canterbury"],
    )
    out = control_crosstab(raw, NHS)
    assert list(out.index)[-1] == "total" and list(out.columns)[-1] == "total"
    assert all(str(t) == "Int64" for t in out.dtypes)
    assert pd.isna(out.loc["lambeth", "agree"]) and pd.isna(out.loc["milton_keynes", "neutral"])
    assert out.loc["canterbury", "disagree"] == 0
    _assert_rule_applied(raw, out, NHS)
    _assert_no_line_recovers_a_cell(out)
    _assert_not_recoverable_by_any_combination(out)
    # without secondary suppression the lambeth row total (50 -> 50) minus 20 and 25 would
    # give the 3 back (to within rounding): check that the naive table really leaks
    naive = control_counts(_augmented(raw).ravel(), NHS).to_numpy(dtype=float, na_value=np.nan)
    naive = naive.reshape(5, 4)
    assert sum(np.isnan(naive[1, :])) == 1


def test_bridge_cell_is_protected():
    # Suppressed pattern after the line rule: a 2x2 block (rows 0-1, cols 0-1), another
    # (rows 2-3, cols 2-3) and a bridge cell (0, 2). Every line holds >= 2 suppressed cells,
    # yet (0, 2) = row0 - (col0 + col1 - row1) is recoverable by combining four lines.
    raw = pd.DataFrame(
        [
            [3, 4, 2, 50, 60],
            [5, 6, 90, 40, 70],
            [80, 90, 3, 4, 55],
            [70, 65, 6, 2, 45],
            [66, 77, 88, 99, 44],
        ],
        columns=list("abcde"),
    )
    out = control_crosstab(raw, NHS)
    _assert_rule_applied(raw, out, NHS)
    _assert_no_line_recovers_a_cell(out)
    _assert_not_recoverable_by_any_combination(out)


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_are_protected(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(2, 6, size=2))
    raw = pd.DataFrame(rng.choice([0, 1, 2, 5, 7, 9, 12, 30, 60], size=shape))
    for rule in (NHS, ONS):
        out = control_crosstab(raw, rule)
        _assert_rule_applied(raw, out, rule)
        _assert_no_line_recovers_a_cell(out)
        _assert_not_recoverable_by_any_combination(out)


def test_no_margins_means_primary_only():
    raw = pd.DataFrame({"a": [3, 20], "b": [40, 50]})
    out = control_crosstab(raw, NHS, margins=False)
    assert out.shape == (2, 2)
    assert pd.isna(out.iloc[0, 0]) and out.notna().sum().sum() == 3


# --------------------------------------------------------------------- publishing


def test_check_controlled_catches_a_leaked_three():
    df = pd.DataFrame({"level": ["a", "b", "c"], "count": pd.array([10, 3, None], dtype="Int64")})
    with pytest.raises(DisclosureError) as err:
        check_controlled(df, ["count"], NHS, where="q01.csv")
    msg = str(err.value)
    assert "q01.csv" in msg and "'count'" in msg
    assert "3" not in msg  # never echo the value
    ok = df.assign(count=pd.array([10, 0, None], dtype="Int64"))
    check_controlled(ok, ["count"], NHS, where="q01.csv")
    with pytest.raises(DisclosureError):  # not a multiple of 5
        check_controlled(df.assign(count=[10, 12, 15]), ["count"], NHS)
    with pytest.raises(DisclosureError):  # 8 is fine for NHS but not ONS
        check_controlled(df.assign(count=[10, 0, 5]), ["count"], ONS)


def test_write_published_csv(tmp_path):
    df = pd.DataFrame(
        {
            "label": ["=HYPERLINK(1)", "ok", None],
            "count": pd.array([10, None, 0], dtype="Int64"),
            "pct": [50.0, np.nan, 0.0],
        }
    )
    rule = rule_from_config({"rule": "nhs", "marker": "*"})
    path = tmp_path / "out" / "t.csv"
    write_published_csv(df, path, ["count"], rule)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines() == ["label,count,pct", "'=HYPERLINK(1),10,50.0", "ok,*,", ",0,0.0"]
    assert "\r" not in text
    with pytest.raises(DisclosureError):
        write_published_csv(df.assign(count=[10, 4, 0]), tmp_path / "bad.csv", ["count"], rule)
    assert not (tmp_path / "bad.csv").exists()


def test_all_pairs_of_small_cells_in_a_row():
    # exhaustive over where two small cells fall in a 3x4 table
    for (i1, j1), (i2, j2) in itertools.combinations(itertools.product(range(3), range(4)), 2):
        raw = pd.DataFrame(np.full((3, 4), 20))
        raw.iloc[i1, j1] = 2
        raw.iloc[i2, j2] = 6
        out = control_crosstab(raw, NHS)
        _assert_no_line_recovers_a_cell(out)
        _assert_not_recoverable_by_any_combination(out)
