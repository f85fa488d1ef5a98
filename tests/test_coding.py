"""Tests of the statistics and tables of analysis.coding: agreement statistics against
published worked examples and independent implementations (krippendorff, statsmodels,
scikit-learn), and the tidy tables (consensus, frequencies, co-occurrence, quotes, SWOT)
against hand counts."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import analysis.coding as cd
from analysis.core.disclosure import DisclosureRule, check_controlled

NHS = DisclosureRule(name="nhs", min_count=8, rounding_base=5)

CODEBOOK = {
    "participant_roles": [
        {"id": "frontline_practitioner", "label": "Frontline practitioner"},
        {"id": "service_manager", "label": "Service manager"},
    ],
    "codes": [
        {"id": "silo_systems", "label": "Siloed systems", "theme": "infrastructure",
         "research_question": "RQ1", "swot": "weakness"},
        {"id": "partner_sharing", "label": "Sharing with partners", "theme": "partnership",
         "research_question": "RQ1", "swot": "strength"},
        {"id": "manual_rekeying", "label": "Manual re-keying", "theme": "infrastructure",
         "research_question": "RQ5", "swot": "weakness"},
        {"id": "predictive_use", "label": "Predictive analytics", "theme": "use",
         "research_question": "RQ6", "swot": "opportunity"},
        {"id": "breach_risk", "label": "Risk of breach", "theme": "security",
         "research_question": "RQ5", "swot": "threat"},
    ],
}  # fmt: skip


def rows(*specs, authority="leicester"):
    """coding rows from (session, excerpt, role, coder, code-or-'' , adjudication?) tuples."""
    out = []
    for spec in specs:
        session, excerpt, role, coder, code, *adj = spec
        out.append(
            {
                "authority": authority,
                "session_id": session,
                "excerpt_id": excerpt,
                "participant_role": role,
                "coder": coder,
                "is_adjudication": bool(adj and adj[0]),
                "code": code,
            }
        )
    return pd.DataFrame(out)


FP, SM = "frontline_practitioner", "service_manager"


# ------------------------------------------------------------------ Krippendorff's alpha
# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
# Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
# Example C ("nominal data, any number of observers, missing data"): 4 observers x 12 units.
EXAMPLE_C = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
).T  # our functions take units x coders


def test_alpha_krippendorff_2011_example_c_nominal_missing():
    """Krippendorff (2011), example C: alpha_nominal = 0.743; coincidence matrix margins
    n_1..n_5 = 9, 13, 10, 5, 3 (n = 40 pairable values), o_11 = 7, o_12 = 4/3; unit 12 has a
    single value and is not pairable."""
    assert cd.krippendorff_alpha_nominal(EXAMPLE_C) == pytest.approx(0.743, abs=5e-4)
    o = cd.coincidence_matrix(EXAMPLE_C)
    assert o.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])
    assert o.to_numpy().sum() == pytest.approx(40)
    assert o.loc[1.0, 1.0] == pytest.approx(7)
    assert o.loc[1.0, 2.0] == pytest.approx(4 / 3)
    assert np.allclose(o.to_numpy(), o.to_numpy().T)


def test_alpha_krippendorff_2011_example_a_binary():
    """Krippendorff (2011), example A (binary, two observers, no missing data): alpha = 0.095.
    Hand check: o_01 = 4, n_0 = 14, n_1 = 6, n = 20 -> 1 - 19 * 4 / (14 * 6) = 0.0952."""
    obs_a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    obs_b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    data = np.array([obs_a, obs_b], dtype=float).T
    assert cd.krippendorff_alpha_nominal(data) == pytest.approx(1 - 19 * 4 / (14 * 6))
    assert round(cd.krippendorff_alpha_nominal(data), 3) == 0.095


def test_alpha_krippendorff_2011_example_b_nominal_two_observers():
    """Krippendorff (2011), example B (nominal, two observers, 12 units, values a-e):
    alpha = 0.692. Hand check: 3 disagreeing units -> sum_{c!=k} o_ck = 6; margins a4 b6 c6
    d6 e2, n = 24 -> 1 - 23 * 6 / (24**2 - (16 + 36 + 36 + 36 + 4)) = 0.692."""
    obs_a = list("aabbdcccedda")
    obs_b = list("babbbccceddd")
    data = pd.DataFrame({"A": obs_a, "B": obs_b})
    expected = 1 - 23 * 6 / (24**2 - (16 + 36 + 36 + 36 + 4))
    assert cd.krippendorff_alpha_nominal(data) == pytest.approx(expected)
    assert round(expected, 3) == 0.692


def test_alpha_matches_krippendorff_package_on_random_data_with_missing():
    """Independent reference: the `krippendorff` package, level_of_measurement='nominal'
    (it takes coders x units; we take units x coders)."""
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(20240611)
    for n_coders, n_units, n_values, p_missing in itertools.product(
        (2, 3, 5), (15, 60), (2, 4), (0.0, 0.35)
    ):
        truth = rng.integers(0, n_values, n_units)
        data = np.where(
            rng.random((n_units, n_coders)) < 0.7,
            truth[:, None],
            rng.integers(0, n_values, (n_units, n_coders)),
        ).astype(float)
        data[rng.random(data.shape) < p_missing] = np.nan
        ref = krippendorff.alpha(reliability_data=data.T, level_of_measurement="nominal")
        assert cd.krippendorff_alpha_nominal(data) == pytest.approx(ref, abs=1e-12)


def test_alpha_undefined_cases_give_nan_not_error():
    assert np.isnan(cd.krippendorff_alpha_nominal(np.ones((5, 3))))  # no variation
    assert np.isnan(cd.krippendorff_alpha_nominal(np.array([[1.0], [0.0]])))  # one coder
    disjoint = np.array([[1, np.nan], [np.nan, 0], [0, np.nan]])
    assert np.isnan(cd.krippendorff_alpha_nominal(disjoint))  # nothing pairable


# ------------------------------------------------------------------ Cohen's kappa
def test_kappa_published_example():
    """Wikipedia, "Cohen's kappa", section "Simple example" (50 grant proposals, two readers:
    yes/yes 20, yes/no 5, no/yes 10, no/no 15): p_o = 0.7, p_e = 0.5, kappa = 0.4.
    https://en.wikipedia.org/wiki/Cohen%27s_kappa"""
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cd.cohen_kappa(a, b) == pytest.approx(0.4)
    assert cd.landis_koch_band(cd.cohen_kappa(a, b)) == "fair"


def test_kappa_matches_statsmodels_and_sklearn():
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import cohens_kappa, to_table

    rng = np.random.default_rng(7)
    for k in (2, 3, 5):
        x = rng.integers(0, k, 80)
        y = np.where(rng.random(80) < 0.6, x, rng.integers(0, k, 80))
        table, _ = to_table(np.column_stack([x, y]), bins=np.arange(k + 1) - 0.5)
        expected = cohens_kappa(table).kappa
        assert cd.cohen_kappa(x, y) == pytest.approx(expected, abs=1e-12)
        assert cd.cohen_kappa(x, y) == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)


def test_kappa_drops_units_missing_for_either_coder():
    x = [1, 0, 1, None, 1, 0]
    y = [1, 0, 0, 1, None, 0]
    # complete pairs: (1,1), (0,0), (1,0), (0,0): p_o = 3/4; p_x(1) = 1/2, p_y(1) = 1/4
    p_e = 0.5 * 0.25 + 0.5 * 0.75
    assert cd.cohen_kappa(x, y) == pytest.approx((0.75 - p_e) / (1 - p_e))
    assert np.isnan(cd.cohen_kappa([1, 1, 1], [1, 1, 1]))  # p_e = 1: undefined


@pytest.mark.parametrize(
    ("kappa", "band"),
    [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
     (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"), (0.81, "almost perfect"),
     (1.0, "almost perfect"), (np.nan, None)],
)  # fmt: skip
def test_landis_koch_bands(kappa, band):
    """Landis & Koch (1977), Biometrics 33:159-174, p. 165, table of kappa benchmarks."""
    assert cd.landis_koch_band(kappa) == band


@pytest.mark.parametrize(
    ("alpha", "band"),
    [(0.8, "reliable"), (0.95, "reliable"), (0.7999, "tentative"), (0.667, "tentative"),
     (0.6669, "not reliable"), (-0.2, "not reliable"), (np.nan, None)],
)  # fmt: skip
def test_alpha_bands(alpha, band):
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 241: .800 and .667 thresholds."""
    assert cd.alpha_band(alpha) == band


def test_percent_agreement_three_coders_hand_count():
    # unit 1: 1,1,0 -> pairs 3, agreeing 1; unit 2: 0,0,- -> 1 of 1; unit 3: 1,-,- -> no pair
    data = np.array([[1, 1, 0], [0, 0, np.nan], [1, np.nan, np.nan]])
    assert cd.percent_agreement(data) == pytest.approx(2 / 4)


# ------------------------------------------------------------------ consensus
def test_consensus_rule():
    df = rows(
        # E1: both coders apply silo; only C1 applies manual -> silo only
        ("S1", "E1", FP, "C1", "silo_systems"),
        ("S1", "E1", FP, "C1", "manual_rekeying"),
        ("S1", "E1", FP, "C2", "silo_systems"),
        # E2: coders disagree; adjudicator decides partner_sharing
        ("S1", "E2", FP, "C1", "silo_systems"),
        ("S1", "E2", FP, "C2", ""),
        ("S1", "E2", FP, "A1", "partner_sharing", True),
        # E3: single coder -> kept with basis single_coder
        ("S1", "E3", SM, "C1", "predictive_use"),
        # E4: both reviewed, nothing in common -> no code
        ("S2", "E4", SM, "C1", "breach_risk"),
        ("S2", "E4", SM, "C2", ""),
        # E5: adjudicated as "no code" although both coders applied one
        ("S2", "E5", SM, "C1", "silo_systems"),
        ("S2", "E5", SM, "C2", "silo_systems"),
        ("S2", "E5", SM, "A1", "", True),
    )
    cons = cd.consensus_coding(df.sample(frac=1, random_state=3))  # input order irrelevant
    got = {(r.excerpt_id, None if pd.isna(r.code) else r.code, r.basis) for r in cons.itertuples()}
    assert got == {
        ("E1", "silo_systems", "unanimous"),
        ("E2", "partner_sharing", "adjudication"),
        ("E3", "predictive_use", "single_coder"),
        ("E4", None, "unanimous"),
        ("E5", None, "adjudication"),
    }
    assert cons.loc[cons["excerpt_id"] == "E2", "n_coders"].item() == 2
    dropped = cd.consensus_coding(df, single_coder="drop")
    assert "E3" not in set(dropped["excerpt_id"])


def test_normalise_reports_missing_column_without_values():
    with pytest.raises(ValueError, match="missing column"):
        cd.consensus_coding(rows(("S1", "E1", FP, "C1", "x")).drop(columns="coder"))


# ------------------------------------------------------------------ frequencies
def _three_excerpt_consensus():
    df = pd.concat(
        [
            rows(
                ("S1", "E1", FP, "C1", "silo_systems"),
                ("S1", "E1", FP, "C1", "partner_sharing"),
                ("S1", "E2", SM, "C1", "silo_systems"),
                ("S2", "E3", FP, "C1", "silo_systems"),
                ("S2", "E4", FP, "C1", ""),
            ),
            rows(("T1", "E1", FP, "C1", "breach_risk"), authority="lambeth"),
        ]
    )
    return cd.consensus_coding(df)


def test_code_frequencies_by_authority_and_role():
    cons = _three_excerpt_consensus()
    freq = cd.code_frequencies(cons, CODEBOOK, by=["authority"])
    lei = freq[freq["authority"] == "leicester"].set_index("code")
    # hand count: silo in E1, E2, E3 (sessions S1, S2); partner in E1 (S1); others 0
    assert lei.loc["silo_systems", ["n_excerpts", "n_sessions"]].tolist() == [3, 2]
    assert lei.loc["partner_sharing", ["n_excerpts", "n_sessions"]].tolist() == [1, 1]
    assert lei.loc["breach_risk", "n_excerpts"] == 0
    assert lei.loc["silo_systems", "label"] == "Siloed systems"
    assert list(lei.index) == [c["id"] for c in CODEBOOK["codes"]]  # codebook order, zeros kept
    by_role = cd.code_frequencies(cons, CODEBOOK, by=["authority", "participant_role"])
    cell = by_role.query("authority == 'leicester' and participant_role == @SM")
    assert cell.set_index("code").loc["silo_systems", "n_excerpts"] == 1


def test_code_frequencies_by_research_question_counts_excerpt_once():
    cons = _three_excerpt_consensus()
    rq = cd.code_frequencies(cons, CODEBOOK, by=["authority"], unit="research_question")
    lei = rq[rq["authority"] == "leicester"].set_index("research_question")
    # E1 carries two RQ1 codes but counts once: RQ1 excerpts E1, E2, E3
    assert lei.loc["RQ1", "n_excerpts"] == 3
    assert lei.loc["RQ5", "n_excerpts"] == 0
    lam = rq[rq["authority"] == "lambeth"].set_index("research_question")
    assert lam.loc["RQ5", "n_excerpts"] == 1


def test_controlled_frequencies_pass_disclosure_check():
    freq = cd.code_frequencies(_three_excerpt_consensus(), CODEBOOK)
    freq = freq.assign(n_excerpts=[0, 3, 12, 40, 8, 7, 0, 0, 0, 1])
    ctrl = cd.control_count_columns(freq, NHS)
    assert ctrl["n_excerpts"].tolist()[:6] == [0, pd.NA, 10, 40, 10, pd.NA]
    check_controlled(ctrl, ["n_excerpts", "n_sessions"], NHS)


def test_code_by_role_controlled_has_totals():
    cons = _three_excerpt_consensus()
    raw = cd.code_by_role(cons, CODEBOOK, authority="leicester")
    assert raw.loc["silo_systems"].tolist() == [2, 1]
    ctrl = cd.code_by_role(cons, CODEBOOK, authority="leicester", rule=NHS)
    assert "total" in ctrl.index and "total" in ctrl.columns
    assert ctrl.isna().any().any()  # small counts suppressed


# ------------------------------------------------------------------ co-occurrence
def test_cooccurrence_hand_count():
    df = rows(
        ("S1", "E1", FP, "C1", "a"),
        ("S1", "E1", FP, "C1", "b"),
        ("S1", "E1", FP, "C1", "c"),
        ("S1", "E2", FP, "C1", "a"),
        ("S1", "E2", FP, "C1", "b"),
        ("S1", "E3", FP, "C1", "a"),
        ("S1", "E4", FP, "C1", ""),
    )
    tidy = cd.code_cooccurrence(cd.consensus_coding(df))
    sq = cd.cooccurrence_matrix(tidy)
    expected = pd.DataFrame(
        [[3, 2, 1], [2, 2, 1], [1, 1, 1]], index=list("abc"), columns=list("abc")
    )
    assert (sq.to_numpy() == expected.to_numpy()).all()
    assert list(sq.index) == list("abc")
    # issue 12: a council-wide code pair counts text, so 1..3 excerpts are published as they are
    ctrl = cd.controlled_cooccurrence(tidy, NHS)
    assert ctrl["n_excerpts"].tolist() == [3, 2, 1, 2, 2, 1, 1, 1, 1]
    # ... but the same matrix for one role narrows to a group of participants: controlled
    by_role = cd.code_cooccurrence(cd.consensus_coding(df), by=["authority", "participant_role"])
    ctrl_role = cd.controlled_cooccurrence(by_role, NHS)
    assert ctrl_role["n_excerpts"].isna().all()  # every count 1..3 is suppressed
    check_controlled(ctrl_role, ["n_excerpts"], NHS)


# ------------------------------------------------------------------ agreement on coding tables
def _two_coder_sheet(c1: dict, c2: dict, session="S1"):
    """Build a coding sheet from {excerpt: [codes]} per coder ([] = reviewed, no code)."""
    specs = []
    for coder, sheet in (("C1", c1), ("C2", c2)):
        for ex, codes in sheet.items():
            for code in codes or [""]:
                specs.append((session, ex, FP, coder, code))
    return rows(*specs)


def test_agreement_perfect():
    sheet = {"E1": ["a"], "E2": [], "E3": ["a", "b"], "E4": ["b"]}
    out = cd.intercoder_agreement(_two_coder_sheet(sheet, sheet)).set_index("code", drop=False)
    for code in ("a", "b"):
        row = out.loc[code]
        assert row["alpha"] == 1.0 and row["kappa"] == 1.0 and row["percent_agreement"] == 1.0
        assert row["alpha_band"] == "reliable" and row["kappa_band"] == "almost perfect"
        assert pd.isna(row["reason"]) and not row["below_threshold"]
    overall = out[out["scope"] == "overall"].iloc[0]
    assert overall["alpha"] == 1.0 and overall["n_excerpts"] == 8  # 4 excerpts x 2 codes


def test_agreement_no_variation_and_never_applied_codes():
    sheet = {"E1": ["a"], "E2": ["a"], "E3": ["a"]}
    out = cd.intercoder_agreement(_two_coder_sheet(sheet, sheet), codes=["a", "zz"])
    out = out.set_index("code")
    assert np.isnan(out.loc["a", "alpha"]) and np.isnan(out.loc["a", "kappa"])
    assert out.loc["a", "reason"] == "no variation in the codings"
    assert out.loc["a", "percent_agreement"] == 1.0
    assert np.isnan(out.loc["zz", "alpha"]) and out.loc["zz", "reason"] == "code never applied"
    assert pd.isna(out.loc["zz", "below_threshold"])


def test_agreement_single_coder():
    df = rows(("S1", "E1", FP, "C1", "a"), ("S1", "E2", FP, "C1", ""))
    out = cd.intercoder_agreement(df)
    assert out["alpha"].isna().all() and out["kappa"].isna().all()
    assert set(out["reason"]) == {"fewer than two coders"}
    assert (out["n_coders"] == 1).all()


def test_agreement_empty_sheet_for_one_session():
    """Session S2: both coders reviewed its excerpts and applied no code at all; session S3
    has no rows at all. Neither crashes; S2 gets NA statistics with a reason; the pooled
    authority-level alpha counts S2's agreement on absence (checked with krippendorff)."""
    krippendorff = pytest.importorskip("krippendorff")
    s1 = _two_coder_sheet(
        {"E1": ["a"], "E2": [], "E3": ["a"]}, {"E1": ["a"], "E2": ["a"], "E3": []}
    )
    s2 = _two_coder_sheet({"E4": [], "E5": []}, {"E4": [], "E5": []}, session="S2")
    df = pd.concat([s1, s2])
    per_session = cd.intercoder_agreement(df, codes=["a"], by=["session_id"])
    s2_rows = per_session[per_session["session_id"] == "S2"].set_index("scope")
    assert np.isnan(s2_rows.loc["code", "alpha"])
    assert s2_rows.loc["code", "reason"] == "code never applied"
    assert s2_rows.loc["overall", "reason"] == "no code applied"
    assert s2_rows.loc["overall", "n_excerpts"] == 2
    whole = cd.intercoder_agreement(df, codes=["a"]).set_index("scope")
    c1 = [1, 0, 1, 0, 0]
    c2 = [1, 1, 0, 0, 0]
    ref = krippendorff.alpha(reliability_data=[c1, c2], level_of_measurement="nominal")
    assert whole.loc["code", "alpha"] == pytest.approx(ref)
    cons = cd.consensus_coding(df)
    freq = cd.code_frequencies(cons, by=["authority", "session_id"])
    assert set(freq["session_id"]) == {"S1"}  # S2 has no applied code


def _random_sheet(rng, n_excerpts, coders, codes, p_missing, p_apply, p_agree):
    """Random coding sheet; also returns the truth arrays {code: excerpts x coders} built
    directly (independently of presence_matrix) for the reference computation."""
    truth = {c: np.full((n_excerpts, len(coders)), np.nan) for c in codes}
    specs = []
    for e in range(n_excerpts):
        ex = f"E{e:03d}"
        latent = {c: rng.random() < p_apply for c in codes}
        reviewers = [j for j in range(len(coders)) if rng.random() >= p_missing]
        for j in reviewers:
            applied = []
            for c in codes:
                v = latent[c] if rng.random() < p_agree else rng.random() < p_apply
                truth[c][e, j] = float(v)
                if v:
                    applied.append(c)
            for c in applied or [""]:
                specs.append((f"S{e % 4}", ex, FP, coders[j], c))
    return rows(*specs), truth


def test_agreement_random_imperfect_vs_krippendorff_package():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(99)
    coders = ["C1", "C2", "C3"]
    codes = ["a", "b", "c", "d"]
    df, truth = _random_sheet(rng, 60, coders, codes, 0.25, 0.3, 0.75)
    out = cd.intercoder_agreement(df, codes=codes).set_index("code")
    for c in codes:
        mat = truth[c]
        ref = krippendorff.alpha(reliability_data=mat.T, level_of_measurement="nominal")
        assert out.loc[c, "alpha"] == pytest.approx(ref, abs=1e-12)
        assert np.isnan(out.loc[c, "kappa"]) and "two coders" in out.loc[c, "reason"]
        assert out.loc[c, "below_threshold"] == (ref < 0.667)
    pooled = np.vstack([truth[c] for c in codes])
    overall = out[out["scope"] == "overall"].iloc[0]
    ref = krippendorff.alpha(reliability_data=pooled.T, level_of_measurement="nominal")
    assert overall["alpha"] == pytest.approx(ref, abs=1e-12)


def test_agreement_random_two_coders_kappa_vs_sklearn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(5)
    df, truth = _random_sheet(rng, 50, ["C1", "C2"], ["a", "b"], 0.15, 0.4, 0.7)
    out = cd.intercoder_agreement(df, codes=["a", "b"]).set_index("code")
    for c in ("a", "b"):
        both = ~np.isnan(truth[c]).any(axis=1)
        x, y = truth[c][both, 0], truth[c][both, 1]
        assert out.loc[c, "kappa"] == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)
        assert out.loc[c, "percent_agreement"] == pytest.approx((x == y).mean())
        assert out.loc[c, "n_excerpts"] == both.sum()


def test_adjudication_rows_are_not_a_coder():
    sheet = {"E1": ["a"], "E2": []}
    df = pd.concat([_two_coder_sheet(sheet, sheet), rows(("S1", "E1", FP, "ADJ", "b", True))])
    out = cd.intercoder_agreement(df, codes=["a"])
    assert (out["n_coders"] == 2).all()


# ------------------------------------------------------------------ quotes, leading codes, SWOT
def _excerpts(cons, cleared=None, texts=None):
    ex = cons.drop_duplicates(["authority", "excerpt_id"])[
        ["authority", "session_id", "excerpt_id", "participant_role"]
    ].reset_index(drop=True)
    ex["cleared_for_publication"] = cleared if cleared is not None else True
    ex["text"] = texts if texts is not None else [f"Text of {e}." for e in ex["excerpt_id"]]
    return ex


def test_quote_bank_only_cleared_and_pii_free():
    cons = _three_excerpt_consensus()
    ex = _excerpts(cons)
    ex.loc[ex["excerpt_id"] == "E2", "cleared_for_publication"] = False
    leak = (ex["authority"] == "leicester") & (ex["excerpt_id"] == "E3")
    ex.loc[leak, "text"] = "Ring me, or write to someone@example.org about it."
    bank = cd.quote_bank(ex, cons, CODEBOOK)
    keys = set(zip(bank["authority"], bank["excerpt_id"], strict=True))
    assert ("leicester", "E2") not in keys  # not cleared
    assert ("leicester", "E3") not in keys  # cleared but fails the PII gate
    assert ("leicester", "E1") in keys
    assert not bank["quote"].str.contains("@").any()
    assert set(bank["attribution"]) <= {"Frontline practitioner", "Service manager"}
    assert "coder" not in bank.columns and "session_id" not in bank.columns
    assert set(cd.QUOTE_PUBLIC_COLUMNS) <= set(bank.columns)
    screen = cd.screen_quotes(ex).set_index(["authority", "excerpt_id"])
    reason = screen.loc[("leicester", "E3"), "reason"]
    assert reason.startswith("identifier found:") and "email" in reason
    assert "example.org" not in " ".join(screen["reason"].dropna())


def test_quote_bank_deterministic_and_independent_of_row_order():
    specs = [("S1", f"E{i}", FP, "C1", "silo_systems") for i in range(12)]
    cons = cd.consensus_coding(rows(*specs))
    ex = _excerpts(cons)
    a = cd.quote_bank(ex, cons, CODEBOOK, max_per_code=3)
    b = cd.quote_bank(
        ex.sample(frac=1, random_state=1),
        cons.sample(frac=1, random_state=2),
        CODEBOOK,
        max_per_code=3,
    )
    pd.testing.assert_frame_equal(a, b)
    assert a["rank"].tolist() == [1, 2, 3]
    c = cd.quote_bank(ex, cons, CODEBOOK, max_per_code=3, seed="another draw")
    assert len(c) == 3


def test_leading_codes_use_published_text_counts():
    specs = []
    # silo in 20 excerpts, partner in 9, manual (RQ5) in 3
    for i in range(20):
        specs.append((f"S{i % 3}", f"E{i}", FP, "C1", "silo_systems"))
    for i in range(9):
        specs.append(("S9", f"P{i}", SM, "C1", "partner_sharing"))
    for i in range(3):
        specs.append(("S9", f"M{i}", SM, "C1", "manual_rekeying"))
    cons = cd.consensus_coding(rows(*specs))
    bank = cd.quote_bank(_excerpts(cons), cons, CODEBOOK)
    lead = cd.leading_codes(cons, CODEBOOK, NHS, quotes=bank, top_n=3)
    rq1 = lead[lead["research_question"] == "RQ1"]
    assert rq1["code"].tolist() == ["silo_systems", "partner_sharing"]
    # issue 12: excerpts and sessions per code across the council count text: as they are
    assert rq1["n_excerpts"].tolist() == [20, 9]
    assert rq1["n_sessions"].tolist() == [3, 1]  # sessions S0..S2; S9
    rq5 = lead[lead["research_question"] == "RQ5"]
    assert rq5["code"].tolist() == ["manual_rekeying"]  # 3 excerpts: published, so leading
    assert rq5["n_excerpts"].tolist() == [3]
    assert rq1["quote"].notna().all()


def test_swot_evidence_raw_controlled_and_quotes():
    specs = [(f"S{i % 2}", f"E{i}", FP, "C1", "silo_systems") for i in range(11)]
    specs += [("S0", "E0", FP, "C1", "predictive_use")]
    cons = cd.consensus_coding(rows(*specs))
    raw = cd.swot_evidence(cons, CODEBOOK)
    assert raw["swot"].tolist() == ["strength", "weakness", "weakness", "opportunity", "threat"]
    r = raw.set_index("code")
    assert r.loc["silo_systems", ["n_excerpts", "n_sessions"]].tolist() == [11, 2]
    assert r.loc["predictive_use", "n_excerpts"] == 1 and r.loc["breach_risk", "n_excerpts"] == 0
    # issue 12: council-wide counts per code are text, published as they are (11 stays 11)
    ctrl = cd.controlled_swot_evidence(raw, NHS).set_index("code")
    assert ctrl.loc["silo_systems", ["n_excerpts", "n_sessions"]].tolist() == [11, 2]
    assert ctrl.loc["predictive_use", "n_excerpts"] == 1
    assert ctrl.loc["breach_risk", "n_excerpts"] == 0
    bank = cd.quote_bank(_excerpts(cons), cons, CODEBOOK)
    sq = cd.swot_quotes(bank, n_quotes=2)
    assert sq.groupby("code").size().to_dict() == {"silo_systems": 2, "predictive_use": 1}
    assert sq["swot"].tolist()[0] == "weakness"


def test_consensus_from_csv_round_trip(tmp_path):
    """Empty `code` cells and True/False flags as pandas reads them back from coding.csv."""
    df = rows(
        ("S1", "E1", FP, "C1", "silo_systems"),
        ("S1", "E1", FP, "C2", "silo_systems"),
        ("S1", "E2", FP, "C1", ""),
        ("S1", "E2", FP, "C2", "breach_risk"),
        ("S1", "E2", FP, "A1", "", True),
    )
    path = tmp_path / "coding.csv"
    df.to_csv(path, index=False)
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(cd.consensus_coding(back), cd.consensus_coding(df))
    cons = cd.consensus_coding(back)
    assert cons["code"].isna().tolist() == [False, True]
