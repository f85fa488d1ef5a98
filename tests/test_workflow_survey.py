"""End-to-end tests of the survey stage on the example programme (one real pipeline run,
the session fixture ``pipeline_run``): outputs exist for every authority and the programme,
published numbers agree with an independent recomputation from the ingested tables (pandas,
pingouin, scipy, statsmodels; disclosure rounding written out by hand), no published count is
in 1..7, and changing one council's survey input re-runs only that council's jobs that read it
and the programme ones.

The NHS England disclosure rule used by the example config
(``docs/reference/privacy-and-disclosure.md``, "Gate 2: nothing small goes out"): counts 1-7
suppressed, the others rounded to the nearest 5, percentages from the rounded counts.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import copy_completed_run, load_yaml, snakemake, snakemake_jobs

AUTHORITIES = ["leicester", "lambeth", "milton_keynes", "canterbury"]
MARKER = "[c]"
# numeric columns of the published survey tables that are not counts of people; any other
# numeric column must be a count (``count``, ``n``, ``n_*``), so a new column has to be classified
NOT_COUNTS = {"code", "level", "df", "dof", "percent", "pct_missing", "median", "pct_agree"}
NOT_COUNTS |= {"pct_disagree", "pct_straightlined", "pct_positive", "pct_expected_lt5"}
NOT_COUNTS |= {"alpha", "ci_low", "ci_high", "H", "p_unc", "p_corr", "epsilon_sq", "rbc", "cles"}
NOT_COUNTS |= {"chi2", "cramer_v", "small_expected"}
# results by respondent group (issue 12): statistics, percentages and level codes, not counts
NOT_COUNTS |= {"pct_neutral", "pct_favourable", "top_level", "top_level_pct", "pct"}
NOT_COUNTS |= {"statistic", "effect_size", "significant", "reverse"}
# the Likert charts' table (review finding 9): its shares are percentages, not counts
NOT_COUNTS |= {"pct_unfavourable", "pct_suppressed"}
# integer key figures that count no people (pairs of groups), so are not controlled
NOT_PEOPLE = {"n_significant_pairs"}


def _round5(x: float) -> int:
    """NHS rule rounding, written out: nearest multiple of 5, halves up."""
    return int(5 * math.floor(x / 5 + 0.5))


def _ingested(work: Path, authority: str) -> pd.DataFrame:
    return pd.read_csv(work / f"results/{authority}/ingest/survey.csv")


def _published(work: Path, level: str, name: str) -> pd.DataFrame:
    return pd.read_csv(work / f"results/{level}/published/survey/{name}", na_values=[MARKER])


def _key_figures(work: Path, level: str) -> dict:
    return yaml.safe_load(
        (work / f"results/{level}/published/survey/key_figures.yaml").read_text("utf-8")
    )


def _integer_key_figures(node, level: str, key: str = "") -> list[int]:
    """Every integer in a key-figures tree; each must sit under a count key (n, n_*, *_n or a
    value of an n_by_* mapping), so an unclassified integer fails the test."""
    if isinstance(node, dict):
        out = []
        for k, v in node.items():
            out += _integer_key_figures(v, level, key if key.startswith("n_by_") else k)
        return out
    if isinstance(node, int) and not isinstance(node, bool):
        if key in NOT_PEOPLE:
            return []
        if key == "n" or key.startswith("n_") or key.endswith("_n"):
            return [node]
        raise AssertionError(f"{level}: integer key figure {key!r} is not classified")
    return []


def _reversed_likert(df: pd.DataFrame, q: dict, items: list[dict]) -> pd.DataFrame:
    """Likert codes with reverse-keyed items recoded k + 1 - code (independently of analysis)."""
    out = {}
    for it in items:
        k = len(q["scales"][it["scale"]]["levels"])
        x = df[it["id"]].astype(float)
        out[it["id"]] = (k + 1 - x) if it.get("reverse") else x
    return pd.DataFrame(out)


def _construct_items(q: dict, construct: str) -> list[dict]:
    return [i for i in q["items"] if i["type"] == "likert" and i.get("construct") == construct]


@pytest.fixture(scope="module")
def q() -> dict:
    return load_yaml("survey/questionnaire.yaml")


@pytest.fixture(scope="module")
def work(pipeline_run) -> Path:
    return pipeline_run["dir"]


def test_outputs_exist_for_every_authority_and_the_programme(work, q):
    constructs = [c["id"] for c in q["constructs"]]
    tables = ["distributions", "responses", "reliability", "kruskal", "pairwise", "chi2"]
    tables += ["straightlining", "construct_summary"]
    for level in [*AUTHORITIES, "programme"]:
        pub = work / f"results/{level}/published/survey"
        internal = work / f"results/{level}/internal/survey"
        for t in tables:
            assert (pub / f"{t}.csv").is_file(), (level, t)
            assert (internal / f"{t}.csv").is_file() or t in ("responses", "construct_summary")
        assert (pub / "key_figures.yaml").is_file()
        # Likert charts for the programme only (one bar per council); a council's answers by
        # respondent group are published as its collapsed table, drawn in no document
        assert (level == "programme") == (pub / f"likert_{constructs[0]}.png").exists(), level
        for c in constructs if level == "programme" else ():
            png, alt = pub / f"likert_{c}.png", pub / f"likert_{c}.alt.txt"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            label = next(x["label"] for x in q["constructs"] if x["id"] == c)
            assert label in alt.read_text("utf-8")
    for a in AUTHORITIES:
        assert (work / f"results/{a}/published/survey/missingness.csv").is_file()
        assert (work / f"results/{a}/internal/survey/construct_scores.csv").is_file()


def test_no_count_from_1_to_7_is_published(work):
    """Every numeric column of every published survey table is either a known non-count
    statistic (codes, degrees of freedom, percentages, p-values …) or a count that is 0, or
    >= 8 and a multiple of 5; the same for every count in the key figures."""
    checked = 0
    for level in [*AUTHORITIES, "programme"]:
        for path in sorted((work / f"results/{level}/published/survey").glob("*.csv")):
            df = pd.read_csv(path, na_values=[MARKER])
            for col in df.columns:
                s = pd.to_numeric(df[col], errors="coerce").dropna()
                if len(s) == 0 or col in NOT_COUNTS:
                    continue
                assert col == "count" or col == "n" or col.startswith("n_"), (path.name, col)
                bad = ((s >= 1) & (s <= 7)) | (s % 5 != 0)
                assert not bad.any(), (path.name, level, col)
                checked += 1
    assert checked > 50
    # key figures: every count (keys n_*, *_n and the values of n_by_*) is controlled
    for level in [*AUTHORITIES, "programme"]:
        kf = _key_figures(work, level)
        counts = _integer_key_figures(kf, level)
        assert counts and all(c == 0 or (c >= 8 and c % 5 == 0) for c in counts), level


def test_pct_agree_recomputed_with_pandas(work, q):
    """% agree of every Likert item (all respondents) = (round5(#4) + round5(#5)) /
    round5(#answered), counted with pandas from the ingested table. It must be suppressed when
    a positive level has a count in 1..7 (it may also be suppressed by secondary suppression)."""
    likert = [i for i in q["items"] if i["type"] == "likert"]
    compared = 0
    for a in AUTHORITIES:
        survey = _ingested(work, a)
        pub = _published(work, a, "distributions.csv")
        allrows = pub[pub["group"] == "all"].drop_duplicates("item_id").set_index("item_id")
        for it in likert:
            pos = q["scales"][it["scale"]]["positive"]
            x = survey[it["id"]].dropna().astype(int)
            counts = x.value_counts()
            small = [counts.get(c, 0) for c in pos if 1 <= counts.get(c, 0) <= 7]
            got = allrows.loc[it["id"], "pct_agree"]
            if small:
                assert pd.isna(got), (a, it["id"])
                continue
            if pd.isna(got):  # secondary suppression of a positive level: allowed
                continue
            want = 100 * sum(_round5(counts.get(c, 0)) for c in pos) / _round5(len(x))
            assert got == pytest.approx(want, abs=1e-9), (a, it["id"])
            assert allrows.loc[it["id"], "n"] == _round5(len(x))
            compared += 1
    assert compared >= 20
    # the key figures quote the same published values
    kf = _key_figures(work, "leicester")
    item = kf["item_highest_agree"]
    pub = _published(work, "leicester", "distributions.csv")
    val = pub[(pub["group"] == "all") & (pub["item_id"] == item)]["pct_agree"].iloc[0]
    assert kf["item_highest_pct_agree"] == pytest.approx(round(val, 1))


def test_collapsed_favourable_share_recomputed_with_pandas(work, q):
    """The Likert charts' favourable share (review finding 9) = round5(#favourable) /
    round5(#answered), favourable being the positive codes, or the negative ones for a
    reverse-keyed item, all respondents of each council (the collapsed table's ``all`` row),
    counted with pandas from the ingested table; suppressed only when a category is 1-7 or by
    secondary suppression."""
    likert = [i for i in q["items"] if i["type"] == "likert"]
    compared = 0
    for a in AUTHORITIES:
        survey = _ingested(work, a)
        pub = _published(work, a, "likert_collapsed.csv")
        allrows = pub[pub["group"] == "all"].set_index("item_id")
        for it in likert:
            sc = q["scales"][it["scale"]]
            fav = sc["negative"] if it.get("reverse") else sc["positive"]
            x = survey[it["id"]].dropna().astype(int)
            got = allrows.loc[it["id"], "pct_favourable"]
            n_fav = int(x.isin(fav).sum())
            if 1 <= n_fav <= 7:
                assert pd.isna(got), (a, it["id"])
                continue
            if pd.isna(got):  # secondary suppression: allowed
                continue
            assert got == pytest.approx(100 * _round5(n_fav) / _round5(len(x)), abs=1e-9)
            compared += 1
    assert compared >= 20


def test_alpha_in_key_figures_equals_pingouin(work, q):
    """Cronbach's alpha (pairwise and listwise) and the Feldt CI of each construct, per
    authority, recomputed with pingouin.cronbach_alpha on the ingested table."""
    import pingouin as pg

    for a in AUTHORITIES:
        survey = _ingested(work, a)
        kf = _key_figures(work, a)["constructs"]
        for c in q["constructs"]:
            data = _reversed_likert(survey, q, _construct_items(q, c["id"]))
            data = data.dropna(how="all")
            alpha, ci = pg.cronbach_alpha(data=data, nan_policy="pairwise")
            assert kf[c["id"]]["alpha"] == pytest.approx(round(alpha, 3), abs=1e-9), (a, c)
            assert [kf[c["id"]]["alpha_ci_low"], kf[c["id"]]["alpha_ci_high"]] == pytest.approx(
                list(ci), abs=1.01e-3
            )
            complete = data.dropna()
            alpha_lw, _ = pg.cronbach_alpha(data=complete)
            assert kf[c["id"]]["alpha_listwise"] == pytest.approx(round(alpha_lw, 3), abs=1e-9)
            assert kf[c["id"]]["alpha_listwise_n"] == _round5(len(complete))


def _construct_scores(survey: pd.DataFrame, q: dict, construct: str) -> pd.Series:
    items = _construct_items(q, construct)
    data = _reversed_likert(survey, q, items)
    answered = data.notna().sum(axis=1)
    return data.mean(axis=1).where(answered >= len(items) / 2)


def test_between_authority_differences_recomputed_with_scipy(work, q):
    """Programme key figures: the list of significant between-authority differences equals
    the pairs with Holm-corrected (statsmodels) two-sided Mann-Whitney (scipy) p < 0.05 on
    construct scores computed here with pandas; the Kruskal-Wallis p matches scipy."""
    from itertools import combinations

    from scipy.stats import kruskal, mannwhitneyu
    from statsmodels.stats.multitest import multipletests

    kf = _key_figures(work, "programme")
    cfg = load_yaml("config.yaml")
    names = {x["id"]: x["name"] for x in cfg["authorities"]}
    kw = _published(work, "programme", "kruskal.csv").set_index("variable")
    want = []
    for c in q["constructs"]:
        scores = {a: _construct_scores(_ingested(work, a), q, c["id"]).dropna() for a in names}
        h, p = kruskal(*[scores[a] for a in sorted(names)])
        assert kw.loc[c["id"], "p_unc"] == pytest.approx(p, rel=1e-9)
        assert kw.loc[c["id"], "H"] == pytest.approx(h, rel=1e-9)
        pairs = list(combinations(sorted(names), 2))
        res = [mannwhitneyu(scores[x], scores[y], alternative="two-sided") for x, y in pairs]
        p_holm = multipletests([r.pvalue for r in res], method="holm")[1]
        for (x, y), r, ph in zip(pairs, res, p_holm, strict=True):
            if ph < 0.05:
                hi, lo = (x, y) if r.statistic > len(scores[x]) * len(scores[y]) / 2 else (y, x)
                want.append(f"{c['label']}: {names[hi]} higher than {names[lo]}")
    assert sorted(kf["significant_differences"]) == sorted(want)
    assert want, "the example data were generated with real between-authority differences"
    n = {a: _round5(len(_ingested(work, a))) for a in names}
    assert kf["n_by_authority"] == n


def _stamps(root: Path) -> dict[str, tuple[int, bytes]]:
    """(modification time, bytes) of every file under ``root``."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _raw_counts(work: Path, level: str, item: str) -> pd.Series:
    """Raw count per Likert code of ``item``, all respondents, from internal distributions."""
    d = pd.read_csv(work / f"results/{level}/internal/survey/distributions.csv")
    d = d[(d["group_by"] == "overall") & (d["item_id"] == item)]
    return d.set_index("code")["count"]


def test_changing_one_council_survey_reruns_only_its_survey_jobs(pipeline_run, tmp_path):
    """In a copy of the finished run, one answer of Lambeth's survey export changes from
    "4. Agree" to "2. Disagree". Re-running Snakemake re-runs Lambeth's survey ingest, its
    survey job and the programme survey job; Lambeth's journeys assessment re-runs too (it
    reads construct_agreement.csv) and so do programme-level jobs downstream. No job of another
    council runs and none of their files is touched. The new raw counts of the changed item
    are its old counts with one answer moved from code 4 to code 2, for Lambeth and for the
    programme.

    The run is made as a programme above ``report.summarise_above`` (set to 3 for the four
    councils; first a run that changes only that setting, which re-runs only report jobs; with
    four councils every council is still in the league, so the programme documents are alike), so
    case studies read only their own council's outputs: the other councils' case studies are
    not rebuilt or re-rendered, byte for byte and time stamp, while the four programme
    documents and Lambeth's case study are (issue 15)."""
    work = copy_completed_run(pipeline_run, tmp_path / "p")
    cfg = load_yaml("config.yaml")
    cfg["report"]["summarise_above"] = 3
    (work / "summarised.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    settle = snakemake_jobs(snakemake(work, "--cores", "2", "--configfile", "summarised.yaml",
                                      check=True))  # fmt: skip
    assert {r for r, _ in settle} <= {"report_build", "report_render", "report_case_study"}
    lam = next(x for x in cfg["authorities"] if x["id"] == "lambeth")
    others = [a for a in AUTHORITIES if a != "lambeth"]
    source = work / lam["inputs"]["survey"]
    lines = source.read_text("utf-8").split("\n")
    changed = lines[1].replace(",4. Agree,", ",2. Disagree,", 1)
    assert changed != lines[1]
    before_ingest = _ingested(work, "lambeth")
    before_files = {a: _stamps(work / "results" / a) for a in others}
    reports = work / "results" / "reports"

    def case_study(a):  # its project and its rendered documents
        docs = reports.glob(f"case-study-{a}.*")
        return _stamps(reports / "build" / f"case-study-{a}") | {
            d.name: (d.stat().st_mtime_ns, d.read_bytes()) for d in docs
        }

    before_docs = {a: case_study(a) for a in AUTHORITIES}
    source.write_text("\n".join([lines[0], changed, *lines[2:]]), encoding="utf-8")

    conf = ("--configfile", "summarised.yaml")
    planned = snakemake_jobs(snakemake(work, "-n", "--cores", "1", *conf, check=True))
    proc = snakemake(work, "--cores", "2", *conf, check=True)
    ran = snakemake_jobs(proc)
    # a dry run cannot see past the input-validation checkpoint, so it lists every job behind
    # it; the real run re-evaluates each job after validation and runs only what changed
    assert set(ran) <= set(planned)
    survey_jobs = sorted((r, w) for r, w in ran if r.startswith("survey_"))
    assert survey_jobs == [("survey_authority", "lambeth"), ("survey_programme", None)]
    assert ("ingest_survey", "lambeth") in ran
    assert ("journeys_assess", "lambeth") in ran  # reads internal/survey/construct_agreement.csv
    assert {w for _, w in ran if w is not None} == {"lambeth"}
    assert not [r for r, _ in ran if r.startswith("ingest_") and r != "ingest_survey"]
    for a in others:  # nothing of theirs was rewritten, not even with the same bytes
        assert _stamps(work / "results" / a) == before_files[a], a
    # the documents that show Lambeth: the programme's four and its own case study
    docs = sorted((r, w) for r, w in ran if r.startswith("report_"))
    assert (
        docs
        == [("report_build", None), ("report_case_study", "lambeth")]
        + [("report_render", None)] * 4
    ), docs
    for a in AUTHORITIES:
        assert (case_study(a) == before_docs[a]) is (a != "lambeth"), a
    # a case study built from its own council's outputs still knows the programme's size (its
    # config names only its council: a 64-council review found "a programme of 1 councils")
    lessons = reports / "build/case-study-lambeth/_generated/lambeth/lessons.md"
    assert f"In a programme of {len(AUTHORITIES)} councils" in lessons.read_text("utf-8")

    # the new numbers: exactly one ingested answer changed, from code 4 to code 2
    after_ingest = _ingested(work, "lambeth")
    diff = (before_ingest != after_ingest) & ~(before_ingest.isna() & after_ingest.isna())
    cells = [(r, c) for c in diff.columns for r in diff.index[diff[c]]]
    assert len(cells) == 1
    row, item = cells[0]
    assert (before_ingest.loc[row, item], after_ingest.loc[row, item]) == (4, 2)
    moved = pd.Series(0, index=range(1, 6))
    moved[4], moved[2] = -1, 1
    base = pipeline_run["dir"]
    for level in ("lambeth", "programme"):
        old, new = _raw_counts(base, level, item), _raw_counts(work, level, item)
        assert (new - old).to_dict() == moved.to_dict(), level
    assert "Nothing to be done" in snakemake(work, "-n", "--cores", "1", *conf, check=True).stdout


def test_alpha_is_nan_not_minus_infinity_when_the_total_score_has_no_variance():
    """Regression (fix in analysis.survey.reliability.construct_reliability): answers 3,4,2 and 4,3,2
    give both respondents the total 9, so the total-score variance is zero while the item
    variances are not: alpha = k/(k-1) (1 - sum of item variances / total variance) has a zero
    denominator and is undefined; pingouin returns -inf (seen on the example data for a
    respondent group with 2 complete cases)."""
    import analysis.survey as sv

    q = {
        "scales": {"s": {"levels": ["1", "2", "3", "4", "5"], "positive": [4, 5]}},
        "constructs": [{"id": "c", "label": "C"}],
        "items": [
            {"id": f"Q{i}", "type": "likert", "scale": "s", "construct": "c"} for i in (1, 2, 3)
        ],
    }
    df = pd.DataFrame(
        {"response_id": ["a", "b"], "respondent_group": "g", "Q1": [3, 4], "Q2": [4, 3]}
    )
    df["Q3"] = [2, 2]
    out = sv.construct_reliability(df, q, missing="listwise")
    assert out["n"].iloc[0] == 2
    assert math.isnan(out["alpha"].iloc[0]) and math.isnan(out["ci_low"].iloc[0])


def test_every_item_by_every_group_and_comparisons_only_between_published_groups(work, q):
    """Issue 12: item_summary.csv has every questionnaire item for every questionnaire group
    and everyone (a group below the threshold is shown as suppressed, never dropped); every
    group in a comparison has a published (>= 8, rounded) number of answers; the readings are
    Cohen's words."""
    item_ids = [it["id"] for it in q["items"]]
    groups = [g["id"] for g in q["respondent_groups"]]
    for level in [*AUTHORITIES, "programme"]:
        summary = _published(work, level, "item_summary.csv")
        assert set(summary["group_by"]) == {"respondent_group"}
        for g in [*groups, "all"]:
            assert sorted(summary.loc[summary["group"] == g, "item_id"]) == sorted(item_ids)
        small = summary["status"].isin(["suppressed", "no responses"])
        assert summary.loc[small, "pct_favourable"].isna().all()
        cmp = _published(work, level, "group_comparisons.csv")
        for col in ("n", "n_A", "n_B"):
            v = pd.to_numeric(cmp[col], errors="coerce").dropna()
            assert ((v >= 8) & (v % 5 == 0)).all(), (level, col)
        readings = set(cmp["effect_reading"].dropna())
        assert readings <= {"negligible", "small", "medium", "large"}, level
        kf = _key_figures(work, level)
        for c in kf["constructs"].values():
            gc = c["group_comparison"]
            shown = set(gc["groups_compared"]) | set(gc["groups_not_compared"])
            assert shown | set(gc["groups_not_asked"]) == set(groups)
            assert not shown & set(gc["groups_not_asked"])
        routed = {c["id"]: c["asked_of"] for c in q["constructs"] if c.get("asked_of")}
        assert routed  # the example routes the expectations items
        for cid, asked in routed.items():
            not_asked = kf["constructs"][cid]["group_comparison"]["groups_not_asked"]
            assert set(not_asked) == set(groups) - set(asked), (level, cid)
        assert set(kf["categorical_items"]) == {
            it["id"] for it in q["items"] if it["type"] == "categorical"
        }
