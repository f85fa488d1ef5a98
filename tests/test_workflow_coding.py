"""End-to-end checks of the coding stage on the example programme (one real pipeline run, the
session fixture ``pipeline_run``): outputs exist for every authority and the programme,
published agreement statistics agree with an independent computation (the ``krippendorff``
package; statsmodels for Cohen's kappa) from the ingested ``coding.csv``, flagged codes reach
the tables and key figures, quotes are cleared and free of identifiers, counts of text are
published as they are (equal to a hand count from the ingested sheet) and every count
narrowed to a participant role is controlled (issue 12), and every table naming a code
carries its reliability.

References: Krippendorff, K. (2011), *Computing Krippendorff's alpha-reliability*, Annenberg
School for Communication, https://repository.upenn.edu/asc_papers/43 (alpha, nominal, with
missing values); Krippendorff (2004), *Content Analysis*, 2nd ed., p. 241 (0.667 / 0.800);
Cohen (1960), *Educational and Psychological Measurement* 20(1):37-46 (kappa); NHS England
disclosure rule (suppress 1-7, round to 5) as in ``docs/reference/privacy-and-disclosure.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import analysis.coding as C
from analysis.core.contracts import check_key_figures
from analysis.core.disclosure import rule_from_config
from analysis.core.pii import find_identifiers_in_text

AUTHORITIES = ["leicester", "lambeth", "milton_keynes", "canterbury"]
SCOPES = AUTHORITIES + ["programme"]
MARKER = "[c]"
HARD_CODES = ["governance_uncertainty", "no_review", "capacity_pressure"]
PUBLISHED_TABLES = [
    "code_frequencies.csv",
    "code_by_role.csv",
    "rq_by_role.csv",
    "cooccurrence.csv",
    "agreement.csv",
    "quote_bank.csv",
    "leading_codes.csv",
    "swot_evidence.csv",
    "swot_quotes.csv",
]
FIGURES = ["code_frequencies", "cooccurrence", "agreement"]
# columns of published tables that are labels or statistics, not counts
NOT_COUNTS = {
    "authority", "code", "label", "theme", "research_question", "swot", "code_a", "code_b",
    "scope", "percent_agreement", "kappa", "kappa_band", "alpha", "alpha_band",
    "below_threshold", "reason", "rank", "quote_rank", "attribution", "quote",
    "reliability", "reliability_a", "reliability_b",
}  # fmt: skip
# count columns that are counts of text, published as they are (analysis.coding.scope); the
# role columns of code_by_role / rq_by_role (every other count column there) are controlled
TEXT_COUNTS = {"n_excerpts", "n_sessions", "n_present", "n_applied", "total"}
RELIABILITY = {"reliable", "tentative", "not reliable", "undefined", "too few to judge"}


@pytest.fixture(scope="module")
def work(pipeline_run) -> Path:
    return pipeline_run["dir"]


def pub(work: Path, scope: str, name: str) -> Path:
    return work / "results" / scope / "published" / "coding" / name


def read_pub(work, scope, name) -> pd.DataFrame:
    return pd.read_csv(pub(work, scope, name), dtype=str, keep_default_na=False)


def ingested(work, authority, kind) -> pd.DataFrame:
    path = work / "results" / authority / "ingest" / f"{kind}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def key_figures(work, scope) -> dict:
    return yaml.safe_load(pub(work, scope, "key_figures.yaml").read_text(encoding="utf-8"))


def reliability_data(coding: pd.DataFrame, codes=None) -> tuple[np.ndarray, list]:
    """coders x units matrix for the krippendorff package, built independently of analysis.

    Units are (authority, excerpt, code) for every code some independent coder applied (or
    only ``codes``); value 1 = the coder applied it, 0 = the coder reviewed the excerpt (has a
    row for it) without applying it, NaN = the coder did not review the excerpt.
    """
    ind = coding[coding["is_adjudication"].str.lower() != "true"]
    applied = sorted(set(ind.loc[ind["code"] != "", "code"]))
    codes = applied if codes is None else list(codes)
    excerpts = sorted(set(zip(ind["authority"], ind["excerpt_id"], strict=True)))
    coders = sorted(set(ind["coder"]))
    reviewed = set(zip(ind["authority"], ind["excerpt_id"], ind["coder"], strict=True))
    hits = set(zip(ind["authority"], ind["excerpt_id"], ind["coder"], ind["code"], strict=True))
    units = [(a, e, c) for a, e in excerpts for c in codes]
    data = np.full((len(coders), len(units)), np.nan)
    for i, coder in enumerate(coders):
        for j, (a, e, c) in enumerate(units):
            if (a, e, coder) in reviewed:
                data[i, j] = 1.0 if (a, e, coder, c) in hits else 0.0
    return data, coders


# ------------------------------------------------------------------------------------------
def test_outputs_exist_for_every_authority_and_programme(work):
    for scope in SCOPES:
        for name in [*PUBLISHED_TABLES, "key_figures.yaml"]:
            assert pub(work, scope, name).is_file(), f"{scope}: {name} missing"
        # the programme's figures only: a council's are drawn in no document
        assert (scope == "programme") == pub(work, scope, "agreement.png").exists(), scope
        for fig in FIGURES if scope == "programme" else ():
            png = pub(work, scope, f"{fig}.png")
            assert png.is_file() and png.stat().st_size > 10_000, f"{scope}: {fig}.png"
            alt = pub(work, scope, f"{fig}.alt.txt").read_text(encoding="utf-8")
            assert len(alt) > 80, f"{scope}: alt text of {fig} too short"
        internal = work / "results" / scope / "internal" / "coding"
        for name in ("consensus.csv", "agreement.csv", "quote_bank.csv", "swot_evidence.csv"):
            assert (internal / name).is_file(), f"{scope}: internal {name} missing"
    assert pub(work, "programme", "agreement_by_authority.csv").is_file()


def test_figures_are_a4_text_width(work):
    """6.7 in (A4 text block) at 200 dpi = 1340 px wide, so they print at their drawn size."""
    import matplotlib.image as mpimg

    for scope in ("programme",):
        for fig in FIGURES:
            img = mpimg.imread(pub(work, scope, f"{fig}.png"))
            assert img.shape[1] == 1340, f"{scope}: {fig}.png width"


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_overall_alpha_matches_krippendorff_package(work, authority):
    import krippendorff

    data, _ = reliability_data(ingested(work, authority, "coding"))
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    agreement = read_pub(work, authority, "agreement.csv")
    overall = agreement[agreement["scope"] == "overall"]
    assert len(overall) == 1
    assert float(overall["alpha"].iloc[0]) == pytest.approx(expected, abs=5e-4 + 1e-9)
    assert key_figures(work, authority)["alpha_overall"] == pytest.approx(expected, abs=5e-4)


def test_overall_kappa_matches_statsmodels(work):
    """Two coders: Cohen's kappa over the (excerpt, code) units both coders reviewed."""
    from statsmodels.stats.inter_rater import cohens_kappa

    authority = "leicester"
    data, coders = reliability_data(ingested(work, authority, "coding"))
    assert len(coders) == 2
    both = ~np.isnan(data).any(axis=0)
    x, y = data[0, both].astype(int), data[1, both].astype(int)
    table = np.array([[np.sum((x == i) & (y == j)) for j in (0, 1)] for i in (0, 1)])
    expected = cohens_kappa(table).kappa
    assert key_figures(work, authority)["kappa_overall"] == pytest.approx(expected, abs=5e-4)


def test_programme_alpha_pools_all_authorities(work):
    import krippendorff

    coding = pd.concat([ingested(work, a, "coding") for a in AUTHORITIES], ignore_index=True)
    data, _ = reliability_data(coding)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert key_figures(work, "programme")["alpha_overall"] == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_flagged_codes_match_independent_alpha_and_reach_key_figures(work, authority, codebook):
    import krippendorff

    labels = {c["id"]: c["label"] for c in codebook["codes"]}
    coding = ingested(work, authority, "coding")
    expected_flagged = set()
    for code in labels:
        data, _ = reliability_data(coding, codes=[code])
        if np.nansum(data) == 0:
            continue
        a = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        if a < 0.667:
            expected_flagged.add(code)
    # the example data is designed so that these three codes are unreliable everywhere
    assert set(HARD_CODES) <= expected_flagged

    agreement = read_pub(work, authority, "agreement.csv")
    rows = agreement[agreement["scope"] == "code"].set_index("code")
    assert set(rows.index[rows["below_threshold"] == "True"]) == expected_flagged
    assert set(rows.index[rows["alpha_band"] == "not reliable"]) == expected_flagged
    kf = key_figures(work, authority)
    assert set(kf["codes_below_threshold_ids"]) == expected_flagged
    assert set(kf["codes_below_threshold"]) == {labels[c] for c in expected_flagged}
    tentative = set(rows.index[rows["alpha_band"] == "tentative"])
    assert set(kf["codes_tentative"]) == {labels[c] for c in tentative}
    for code in tentative:
        assert 0.667 <= float(rows.loc[code, "alpha"]) <= 0.8
    # the programme's agreement figure's alt text names them too (a council has no figure)
    alt = pub(work, "programme", "agreement.alt.txt").read_text(encoding="utf-8")
    for code in HARD_CODES:
        assert labels[code] in alt


def test_programme_key_figures_name_flagged_codes(work, codebook):
    labels = {c["id"]: c["label"] for c in codebook["codes"]}
    kf = key_figures(work, "programme")
    for code in HARD_CODES:
        assert labels[code] in kf["codes_below_threshold_in_every_authority"]
        assert labels[code] in kf["codes_below_threshold"]
    for authority in AUTHORITIES:
        assert (
            kf["codes_below_threshold_by_authority"][authority]
            == (key_figures(work, authority)["codes_below_threshold"])
        )
    by_auth = read_pub(work, "programme", "agreement_by_authority.csv")
    assert sorted(set(by_auth["authority"])) == sorted(AUTHORITIES)


@pytest.mark.parametrize("scope", SCOPES)
def test_key_figures_follow_their_schema(work, scope):
    """The file the run wrote is the shape the report layer is promised (the job validated it
    before writing; this checks the rule passed the right schema)."""
    kind = "programme" if scope == "programme" else "authority"
    schema = yaml.safe_load(
        (work / "workflow" / "schemas" / "key_figures" / f"coding_{kind}.schema.yaml").read_text(
            encoding="utf-8"
        )
    )
    check_key_figures(key_figures(work, scope), schema, scope)
    assert key_figures(work, scope)["scope"] == scope


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_excerpt_and_session_counts_in_key_figures(work, authority):
    excerpts = ingested(work, authority, "excerpts")
    kf = key_figures(work, authority)
    # counts of text, as they are (issue 12; they used to be rounded to 5)
    assert kf["n_excerpts"] == excerpts["excerpt_id"].nunique()
    assert kf["n_sessions"] == excerpts["session_id"].nunique()
    rqs = {
        c["research_question"]
        for c in yaml.safe_load((work / "survey" / "codebook.yaml").read_text(encoding="utf-8"))[
            "codes"
        ]
    }
    assert set(kf["top_code_by_research_question"]) == rqs


@pytest.mark.parametrize("scope", SCOPES)
def test_published_quotes_are_cleared_and_free_of_identifiers(work, scope, example_config):
    extra = example_config["pii"]["extra_patterns"]
    authorities = AUTHORITIES if scope == "programme" else [scope]
    excerpts = pd.concat([ingested(work, a, "excerpts") for a in authorities])
    if scope == "programme":  # the programme tables prefix ids with their authority
        excerpts["excerpt_id"] = excerpts["authority"] + ":" + excerpts["excerpt_id"]
    by_id = excerpts.set_index("excerpt_id")
    cleared_texts = set(excerpts.loc[excerpts["cleared_for_publication"] == "True", "text"])

    # internal bank: every excerpt behind a quote is cleared, and the quote is its text
    internal = pd.read_csv(
        work / "results" / scope / "internal" / "coding" / "quote_bank.csv",
        dtype=str, keep_default_na=False,
    )  # fmt: skip
    assert len(internal) > 0
    for i, row in enumerate(internal.itertuples()):
        assert by_id.loc[row.excerpt_id, "cleared_for_publication"] == "True", f"{scope} row {i}"
        assert by_id.loc[row.excerpt_id, "text"].strip() == row.quote, f"{scope} row {i}"

    # published bank: only the public columns, the first five quotes per code of the bank
    bank = read_pub(work, scope, "quote_bank.csv")
    # no excerpt/session/coder id; the code's reliability added (issue 12)
    assert list(bank.columns) == [*C.QUOTE_PUBLIC_COLUMNS, "reliability"]
    first5 = internal[internal["rank"].astype(int) <= 5][list(C.QUOTE_PUBLIC_COLUMNS)]
    public = bank[list(C.QUOTE_PUBLIC_COLUMNS)].reset_index(drop=True)
    assert public.equals(first5.reset_index(drop=True))

    for name in ("quote_bank.csv", "swot_quotes.csv", "leading_codes.csv"):
        quotes = [q for q in read_pub(work, scope, name)["quote"] if q]
        assert quotes, f"{scope}: {name} has no quotes"
        for i, q in enumerate(quotes):
            text = q[1:] if q.startswith("'") else q  # formula neutralisation prefix
            assert text in cleared_texts, f"{scope} {name} row {i}: not a cleared excerpt"
            assert find_identifiers_in_text(text, extra) == [], f"{scope} {name} row {i}"


@pytest.mark.parametrize("scope", SCOPES)
def test_role_counts_controlled_and_text_counts_whole_numbers(work, scope):
    """Every count narrowed to a participant role is 0, the marker, or >= 8 and a multiple of
    5 (NHS rule); counts of text are whole numbers or the marker (a count resting on sessions
    of 1-7 people in all: which ones is checked by hand below)."""
    names = PUBLISHED_TABLES + (["agreement_by_authority.csv"] if scope == "programme" else [])
    for name in names:
        table = read_pub(work, scope, name)
        for col in table.columns:
            if col in NOT_COUNTS:
                continue
            for i, v in enumerate(table[col]):
                if col in TEXT_COUNTS:
                    assert v in ("", MARKER) or int(v) >= 0, f"{scope} {name} {col} row {i}"
                    continue
                if v in (MARKER, ""):  # suppressed, or no value (e.g. an undefined statistic)
                    continue
                n = int(v)  # a count column holds integers or the marker
                assert n == 0 or (n >= 8 and n % 5 == 0), f"{scope} {name} {col} row {i}"
    for kf_key in ("n_excerpts", "n_sessions", "n_excerpts_double_coded", "n_excerpts_quotable"):
        n = key_figures(work, scope)[kf_key]
        assert isinstance(n, int) and n >= 0, f"{scope} key figure {kf_key}"


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_text_counts_are_published_as_hand_counted(work, authority):
    """Excerpts per code across the council, counted here from the ingested sheet: the
    consensus rule by hand (an adjudication wins, else a code every reviewing coder applied)."""
    coding = ingested(work, authority, "coding")
    adj = coding[coding["is_adjudication"].str.lower() == "true"]
    ind = coding[coding["is_adjudication"].str.lower() != "true"]
    coders = ind.groupby("excerpt_id")["coder"].nunique()
    votes = ind[ind["code"] != ""].groupby(["excerpt_id", "code"])["coder"].nunique()
    expected: dict[str, set] = {}
    for (excerpt, code), k in votes.items():
        if excerpt not in set(adj["excerpt_id"]) and k == coders[excerpt]:
            expected.setdefault(code, set()).add(excerpt)
    for excerpt, code in zip(adj["excerpt_id"], adj["code"], strict=True):
        if code:
            expected.setdefault(code, set()).add(excerpt)
    # the people behind each count, by hand: attendance summed over the distinct sessions of
    # the excerpts (review finding 7); 1-7 people (NHS rule) -> the marker, else as it is
    excerpts = ingested(work, authority, "excerpts").set_index("excerpt_id")
    attendance = excerpts.groupby("session_id")["session_participants"].first().astype(int)

    def basis(ids) -> int:
        return int(attendance[sorted({excerpts.loc[e, "session_id"] for e in ids})].sum())

    def shown(ids) -> str:
        return MARKER if 1 <= basis(ids) <= 7 else str(len(ids))

    freq = read_pub(work, authority, "code_frequencies.csv").set_index("code")["n_excerpts"]
    assert freq.to_dict() == {c: shown(expected.get(c, set())) for c in freq.index}
    cooc = read_pub(work, authority, "cooccurrence.csv")
    for a, b, v in zip(cooc["code_a"], cooc["code_b"], cooc["n_excerpts"], strict=True):
        both = expected.get(a, set()) & expected.get(b, set())
        assert v == shown(both), (authority, a, b)
    # the example has counts on both sides of the rule (a code heard only in interviews)
    assert MARKER in set(freq) or authority == "milton_keynes"


@pytest.mark.parametrize("scope", SCOPES)
def test_tables_naming_a_code_carry_its_reliability(work, scope, codebook):
    # the reading: the alpha's band, or "too few to judge" when fewer than 10 excerpts carry
    # the code (the raw count of the internal table; the published one may be suppressed)
    raw = pd.read_csv(work / "results" / scope / "internal" / "coding" / "agreement.csv",
                      dtype=str, keep_default_na=False)  # fmt: skip
    raw = raw[raw["scope"] == "code"].set_index("code")
    band = {
        c: C.reliability_reading(float(a) if a else np.nan, int(raw.loc[c, "n_applied"]))
        for c, a in raw["alpha"].items()
    }
    for name in ("code_frequencies.csv", "leading_codes.csv", "swot_evidence.csv"):
        table = read_pub(work, scope, name)
        assert {c: r for c, r in zip(table["code"], table["reliability"], strict=True)} == {
            c: band[c] for c in table["code"]
        }, f"{scope} {name}"
    for name in ("quote_bank.csv", "swot_quotes.csv", "cooccurrence.csv", "code_by_role.csv"):
        values = set(read_pub(work, scope, name)["reliability"]) - {""}
        assert values <= RELIABILITY, f"{scope} {name}"
    kf = key_figures(work, scope)
    flagged = [label for labels in kf["codes_below_threshold_by_research_question"].values()
               for label in labels]  # fmt: skip
    assert sorted(flagged) == sorted(kf["codes_below_threshold"])


@pytest.mark.parametrize("scope", SCOPES)
def test_one_count_published_one_way(work, scope):
    """Excerpts per code: the same published value in every table that shows it (a count of
    text, as it is), the total column of the code x role table included."""
    by_role = read_pub(work, scope, "code_by_role.csv").set_index("code")["total"]
    by_role = by_role.drop(index="total")
    freq = read_pub(work, scope, "code_frequencies.csv").set_index("code")["n_excerpts"]
    swot = read_pub(work, scope, "swot_evidence.csv").set_index("code")["n_excerpts"]
    cooc = read_pub(work, scope, "cooccurrence.csv")
    diag = cooc[cooc["code_a"] == cooc["code_b"]].set_index("code_a")["n_excerpts"]
    leading = read_pub(work, scope, "leading_codes.csv").set_index("code")["n_excerpts"]
    assert freq.to_dict() == by_role.to_dict() == diag.to_dict()
    assert swot.to_dict() == {c: by_role[c] for c in swot.index}
    assert leading.to_dict() == {c: by_role[c] for c in leading.index}
    assert MARKER not in set(leading)  # a suppressed count is never "leading"
    # the co-occurrence matrix is symmetric
    m = cooc.pivot(index="code_a", columns="code_b", values="n_excerpts")
    assert (m == m.T).all().all()


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_swot_evidence_contract_for_journeys(work, authority, codebook):
    swot = read_pub(work, authority, "swot_evidence.csv")
    assert list(swot.columns) == [
        "authority",
        "swot",
        "code",
        "label",
        "theme",
        "research_question",
        "n_excerpts",
        "n_sessions",
        "reliability",
    ]  # fmt: skip (columns the journeys stage reads, then reliability, added in issue 12)
    mapped = [c["id"] for c in codebook["codes"] if c.get("swot")]
    assert sorted(swot["code"]) == sorted(mapped)
    assert set(swot["authority"]) == {authority}
    order = {q: i for i, q in enumerate(C.SWOT_ORDER)}
    assert list(swot["swot"].map(order)) == sorted(swot["swot"].map(order))


def test_leading_codes_accepts_published_frequencies():
    """Unit check of ``leading_codes(..., frequencies=)``: the given published counts decide
    the order; a suppressed code is not leading; a text count of 3 is a count like any other
    (issue 12: counts of text are published as they are)."""
    rule = rule_from_config({"rule": "nhs"})
    book = {
        "codes": [
            {"id": "a", "label": "A", "theme": "t", "research_question": "RQ1", "swot": None},
            {"id": "b", "label": "B", "theme": "t", "research_question": "RQ1", "swot": None},
            {"id": "c", "label": "C", "theme": "t", "research_question": "RQ1", "swot": None},
        ]
    }
    consensus = pd.DataFrame(
        {
            "authority": ["x"],
            "session_id": ["s"],
            "excerpt_id": ["e"],
            "participant_role": ["r"],
            "code": ["a"],
        }  # fmt: skip
    ).astype("string")
    freq = pd.DataFrame(
        {
            "authority": ["x", "x", "x"],
            "code": ["a", "b", "c"],
            "label": ["A", "B", "C"],
            "theme": ["t"] * 3,
            "research_question": ["RQ1"] * 3,
            "swot": [pd.NA] * 3,
            "n_excerpts": pd.array([10, pd.NA, 20], dtype="Int64"),
            "n_sessions": pd.array([10, pd.NA, 10], dtype="Int64"),
        }
    )
    out = C.leading_codes(consensus, book, rule, frequencies=freq)
    assert out["code"].tolist() == ["c", "a"] and out["rank"].tolist() == [1, 2]
    text = freq.assign(n_excerpts=pd.array([10, 3, 20], dtype="Int64"))
    out = C.leading_codes(consensus, book, rule, frequencies=text)
    assert out["code"].tolist() == ["c", "a", "b"] and out["n_excerpts"].tolist() == [20, 10, 3]
    with pytest.raises(ValueError):
        C.leading_codes(consensus, book, rule, frequencies=freq.assign(n_excerpts=[1.5, 2, 3]))
