"""One project per document: the programme documents' build reads every published output, a
council's case study only its own council's outputs and a few programme outputs
(analysis.report.inputs.case_study_inputs), so one council's new data re-render only its own
case study and the programme documents (tests/test_workflow_survey.py runs that for real).

Here: the case study's declared inputs are the right subset, and they are enough: a case study
built from them is the case study built from every published output, file for file; without
the peers' tables only its lessons change, and they name no other council."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from analysis.core import formatting as fmt
from analysis.core.disclosure import rule_from_config
from analysis.report import (
    assemble_report,
    case_study_inputs,
    compares_with_peers,
    report_inputs,
)
from analysis.report.inputs import CASE_STUDY_PEERS, CASE_STUDY_PROGRAMME

REPO = Path(__file__).resolve().parents[1]


def test_a_case_study_declares_its_own_council_and_the_listed_programme_outputs_only():
    every = report_inputs(["a1", "a2"], ["c1"])
    own = case_study_inputs("a1", ["c1"], compare_with_peers=False)
    peers = case_study_inputs("a1", ["c1"], compare_with_peers=True)
    assert set(own) < set(peers) <= set(every)
    assert set(peers) - set(own) == set(CASE_STUDY_PEERS)
    assert all(own[k] == every[k] for k in own)  # the same paths as the programme's list
    programme = {k for k in own if ":programme" in k}
    assert programme == set(CASE_STUDY_PROGRAMME)
    assert not [v for v in own.values() if "/a2/" in v or "a2_" in v]
    # everything of its own council that the programme documents read, it reads too
    assert {k for k in every if ":a1:" in k or k.endswith(":a1")} <= set(own)
    assert {k for k in every if k.split(":")[-1].startswith("a1_")} <= set(own)


@pytest.mark.parametrize(
    ("n", "above", "expected"), [(4, 12, True), (12, 12, True), (13, 12, False), (4, 3, False)]
)
def test_case_studies_compare_councils_up_to_the_configured_number(n, above, expected):
    assert compares_with_peers(n, above) is expected


def _build(work: Path, paths: dict, config: dict, out: Path, aid: str, peers: bool) -> Path:
    def read(key):
        return yaml.safe_load((work / config["instruments"][key]).read_text(encoding="utf-8"))

    assemble_report(
        {k: str(work / v) for k, v in paths.items()},
        {**config, "code_version": {}},
        read("questionnaire"),
        read("codebook"),
        rule_from_config(config["disclosure"]),
        work / "report",
        out,
        case_study=aid,
        compare_with_peers=peers,
    )
    return out


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_case_study_built_from_its_declared_inputs_is_the_whole_programmes(
    pipeline_run, tmp_path
):
    from analysis.survey.questionnaire import likert_construct_ids

    work = pipeline_run["dir"]
    config = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    validate(config, str(work / "workflow/schemas/config.schema.yaml"))  # its defaults, as run
    ids = [a["id"] for a in config["authorities"]]
    constructs = likert_construct_ids(
        yaml.safe_load((work / config["instruments"]["questionnaire"]).read_text("utf-8"))
    )
    actions = config["instruments"]["roadmap_actions"]
    every = report_inputs(ids, constructs, actions=actions)
    aid = "lambeth"
    whole = _build(work, every, config, tmp_path / "whole", aid, peers=True)
    declared = case_study_inputs(aid, constructs, compare_with_peers=True, actions=actions)
    own = _build(work, declared, config, tmp_path / "declared", aid, peers=True)
    assert _files(whole) == _files(own) and len(_files(own)) > 30
    _, mismatch, errors = filecmp.cmpfiles(whole, own, sorted(_files(own)), shallow=False)
    assert mismatch == [] and errors == []

    alone = case_study_inputs(aid, constructs, compare_with_peers=False, actions=actions)
    solo = {**config, "authorities": [a for a in config["authorities"] if a["id"] == aid],
            "programme_size": len(ids)}  # as the rule passes it  # fmt: skip
    single = _build(work, alone, solo, tmp_path / "alone", aid, peers=False)
    _, mismatch, _ = filecmp.cmpfiles(own, single, sorted(_files(own)), shallow=False)
    assert mismatch == [f"_generated/{aid}/lessons.md"]
    lessons = (single / f"_generated/{aid}/lessons.md").read_text(encoding="utf-8")
    assert "do not compare each council with the others" in lessons
    assert f"In a programme of {len(ids)} councils" in lessons
    for other in config["authorities"]:
        if other["id"] != aid:
            assert other["name"].split()[0] not in lessons, other["id"]


# ------------------------------------------------------------------------------ summaries


def _published(npsv: dict[str, float], bau=(), summarise_above=2):
    import pandas as pd

    from analysis.report.inputs import Published

    ids = list(npsv)
    comp = pd.DataFrame(
        {
            "authority": ids,
            "npsv": [None if a in bau else v for a, v in npsv.items()],
            "option_category": ["bau" if a in bau else "preferred" for a in ids],
        }
    )
    p = Published({}, [{"id": a, "name": f"{a} Council"} for a in ids], {}, {}, rule=None)
    p.tables[("programme", "costs", "comparison")] = comp
    p.summarise_above = summarise_above
    return p


def test_the_league_is_the_top_and_bottom_investing_councils_by_npsv():
    """Twelve councils c00..c11 with NPSV 0, 10, ..., 110; c05 recommends business as usual
    (no option to tabulate: its NPSV counts as zero in the ranking, after c00 by config order,
    but it is not in the league). Of the eleven that invest, the five highest are c11..c07 and
    the five lowest c04, c03, c02, c01 and c00; the rest are c06 and c05."""
    from analysis.report import summaries as s

    npsv = {f"c{i:02d}": 10.0 * i for i in range(12)}
    p = _published(npsv, bau={"c05"})
    assert s.summarised(p)
    assert list(s.ranking(p)["authority"])[-2:] == ["c00", "c05"]
    shown, rest = s.league(p, list(npsv))
    assert shown == ["c11", "c10", "c09", "c08", "c07", "c04", "c03", "c02", "c01", "c00"]
    assert rest == ["c06", "c05"]
    note = s.caption_note(p, list(npsv))
    assert (
        "ten of 12 councils: of those that invest, the five with the highest and the five" in note
    )
    p.summarise_above = 12  # not above it: every council, nothing left out
    assert s.league(p, list(npsv)) == (list(npsv), []) and s.caption_note(p, list(npsv)) == ""


def test_a_note_is_added_to_every_table_caption_or_before_figures():
    from analysis.report.summaries import add_to_captions

    md = "| a |\n|---|\n| 1 |\n\n: Costs by council {#tbl-x}\n\ntext\n\n: Second\n"
    out = add_to_captions(md, " (two of nine)")
    assert ": Costs by council (two of nine) {#tbl-x}" in out and ": Second (two of nine)" in out
    figs = "![Tornado](figures/a.png){#fig-a}\n"
    assert add_to_captions(figs, " (two of nine)").startswith("The figures that follow are of two")


def test_summarised_tables_add_up_to_the_programme_totals(pipeline_run, tmp_path, monkeypatch):
    """The example's four councils summarised with a league of one at each end: every
    per-council table shows two councils, the others in one row where it has a total, and
    its rows still add up to the total over all four (bridge, decisions sought); the league
    and distribution tables come first; the workbook has every council's rows."""
    import re

    from openpyxl import load_workbook

    from analysis.report import summaries
    from analysis.report.wording import short
    from analysis.survey.questionnaire import likert_construct_ids

    monkeypatch.setattr(summaries, "LEAGUE_SIZE", 1)
    work = pipeline_run["dir"]
    config = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    validate(config, str(work / "workflow/schemas/config.schema.yaml"))
    ids = [a["id"] for a in config["authorities"]]
    q = yaml.safe_load((work / config["instruments"]["questionnaire"]).read_text("utf-8"))
    paths = report_inputs(
        ids, likert_construct_ids(q), actions=config["instruments"]["roadmap_actions"]
    )
    out = tmp_path / "build"
    assemble_report(
        {k: str(work / v) for k, v in paths.items()},
        {**config, "code_version": {}, "report": {"summarise_above": 1}},
        q,
        yaml.safe_load((work / config["instruments"]["codebook"]).read_text("utf-8")),
        rule_from_config(config["disclosure"]),
        work / "report",
        out,
        workbook=tmp_path / "programme-tables.xlsx",
    )
    gen = out / "_generated"
    names = {a["id"]: short(a["name"]) for a in config["authorities"]}
    comp = yaml.safe_load((work / "results/programme/published/costs/key_figures.yaml").read_text())
    npsv = {a: (r["npsv"] or 0.0) for a, r in comp["by_authority"].items()}
    top, bottom = max(npsv, key=npsv.get), min(npsv, key=npsv.get)
    bridge = (gen / "bridge_table.md").read_text(encoding="utf-8")
    rows = [line for line in bridge.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split("|")[1].strip() for r in rows[1:]] == [
        names[top],
        names[bottom],
        "The other 2 councils",
        "All councils",
    ]

    def money(cell):
        v = cell.strip().replace("£", "").replace(",", "").replace("\u2212\u2060", "-")
        mult = {"k": 1e3, "m": 1e6}.get(v[-1:], 1)
        return float(v.rstrip("km")) * mult

    last = [money(c) for c in rows[-1].split("|")[2:-1]]
    parts = [[money(c) for c in r.split("|")[2:-1]] for r in rows[1:-1]]
    for j, total in enumerate(last):
        assert sum(p[j] for p in parts) == pytest.approx(total, rel=0.01, abs=2e3), j
    decisions = {r[0]: r[1] for r in _table_rows((gen / "decisions_table.md").read_text("utf-8"))}
    rest = [a for a in ids if a not in (top, bottom)]
    n_bau = sum(k["preferred_option_id"] == k["baseline_option_id"]
                for k in (kf_costs(work, a) for a in rest))  # fmt: skip
    says = [
        f"{2 - n_bau} invest" if n_bau < 2 else "",
        f"{n_bau} business as usual" if n_bau else "",
    ]
    assert all(x in decisions["The other 2 councils"] for x in says if x)
    assert re.search(r"two of 4 councils: of those that invest, the one with the highest", bridge)
    league = (gen / "league.md").read_text(encoding="utf-8")
    assert "{#tbl-distribution}" in league and "{#tbl-league}" in league
    wb = load_workbook(tmp_path / "programme-tables.xlsx", read_only=True)
    ranking = list(wb["Ranking"].iter_rows(values_only=True))
    assert sorted(r[0] for r in ranking[1:]) == sorted(ids)
    options = list(wb["Options"].iter_rows(values_only=True))
    assert {r[0] for r in options[1:]} == set(ids)
    for sheet in ("Benefit sources", "Benefit timing"):
        assert {r[0] for r in list(wb[sheet].iter_rows(values_only=True))[1:]} == set(ids)
    _check_summarised_economic_detail(work, gen, ids, names, {names[top], names[bottom]})


def _check_summarised_economic_detail(work, gen, ids, names, shown):
    """The summarised business case's long per-line tables become counts, checked here against
    the published CSVs counted independently: the benefit values by source over every council,
    the benefit lines that wait for their actions, the requirement as one total per council; the
    sensitivity charts are left to the case studies."""
    # each summarised table's caption names the workbook sheet holding every council's rows,
    # and that sheet has every council; a table worked out for the shown councils names none
    from openpyxl import load_workbook

    from analysis.report.summaries import SUMMARISED

    wb = load_workbook(gen.parent.parent / "programme-tables.xlsx", read_only=True)
    for key, sheet in SUMMARISED.items():
        text = (gen / key).read_text(encoding="utf-8")
        assert ("every council is in the programme workbook" in text) is bool(sheet), key
        if sheet:
            assert f"programme workbook, sheet {sheet})" in text, key
            rows = list(wb[sheet].iter_rows(values_only=True))
            col = list(rows[0]).index("authority")
            assert {r[col] for r in rows[1:]} >= set(ids), (key, sheet)
    systems = (gen / "systems_summary_table.md").read_text(encoding="utf-8")
    assert f" of the {len(ids)} councils run a shared data warehouse" in systems  # not of two
    figs = (gen / "economic_figures.md").read_text(encoding="utf-8")
    assert "![" not in figs and "in its case study" in figs
    # benefit values: distinct (outcome, kind, receiver, unit value, value) per council
    values = {
        (a, r.outcome, r.value_kind, str(r.agency), str(r.unit_value_id), r.value, r.price_year)
        for a in ids
        for r in pd.read_csv(work / f"results/{a}/published/costs/benefit_sources.csv").itertuples()
    }
    own = sum(1 for v in values if v[4] == "nan")
    src = (gen / "benefit_sources_table.md").read_text(encoding="utf-8")
    assert f"with {len(values)} values per successful outcome" in src
    assert f"{own} are the councils' own values" in src
    assert f"{len(values) - own} come from the published unit values" in src
    # benefit timing: the preferred option's lines by result, per shown council and in all
    res, other = {}, 0
    for a in ids:
        bt = pd.read_csv(work / f"results/{a}/published/journeys/benefit_timing.csv")
        pref = kf_costs(work, a)["preferred_option_id"]
        res[a] = bt.loc[bt["option_id"] == pref, "result"].value_counts().to_dict()
        other += int(((bt["option_id"] != pref) & (bt["result"] == "inconsistent")).sum())
    timing = (gen / "benefit_timing_table.md").read_text(encoding="utf-8")
    rows = {r[0]: r[1:] for r in _table_rows(timing)}
    assert set(rows) == shown
    for a in ids:
        if names[a] in rows:
            got = [int(x) for x in rows[names[a]]]
            want = [res[a].get(k, 0) for k in ("consistent", "inconsistent", "not_linked")]
            assert got == [sum(want), *want], a
    consistent = sum(r.get("consistent", 0) for r in res.values())
    lines = sum(sum(r.values()) for r in res.values())
    early = sum(r.get("inconsistent", 0) for r in res.values())
    assert f"Across all {len(ids)} councils, {consistent} of the {lines} benefit line" in timing
    assert f"are done: {early} of the preferred ways forward" in timing
    assert f"and {other} of the other short-listed options" in timing
    # Monte Carlo inputs: each input with the number of councils whose preferred way
    # forward draws it, and a central range in percent computed here from low and central
    per_input, ranges = {}, {}
    for a in ids:
        mc = pd.read_csv(work / f"results/{a}/published/costs/monte_carlo_inputs.csv")
        mc = mc[mc["option_id"] == kf_costs(work, a)["preferred_option_id"]]
        for r in mc.itertuples():
            per_input.setdefault(r.parameter, set()).add(a)
            if r.central:
                ranges.setdefault(r.parameter, set()).add(round(100 * (1 - r.low / r.central)))
    mc_rows = {r[0]: r for r in _table_rows((gen / "monte_carlo_inputs_table.md").read_text())}
    assert set(mc_rows) == set(per_input)
    for k, councils in per_input.items():
        assert mc_rows[k][1] == str(len(councils)), k
        for pct in ranges.get(k, ()):
            assert f"\u2212\u2060{pct}% to +" in mc_rows[k][2] or pct == 0, (k, pct)
    # financial requirement: one total row per shown council, the sum of its years
    req = pd.read_csv(work / "results/programme/published/costs/financial_requirement.csv")
    fin = (gen / "financial_table.md").read_text(encoding="utf-8")
    assert "| Year |" not in fin
    fin_rows = {r[0]: r[1:] for r in _table_rows(fin)}
    assert set(fin_rows) == shown
    for a in ids:
        if names[a] in fin_rows:
            mine = req[(req["authority"] == a) & (req["cost_type"] == "capital")]
            cap = mine["requirement"].astype(float).clip(lower=0).sum()
            assert fin_rows[names[a]][0] == fmt.money(cap), a


def _table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the first pipe table in ``markdown``, cells stripped."""
    lines = [x for x in markdown.splitlines() if x.startswith("| ")]
    return [[c.strip() for c in x.split("|")[1:-1]] for x in lines[1:] if "---" not in x]


def kf_costs(work, a) -> dict:
    return yaml.safe_load((work / f"results/{a}/published/costs/key_figures.yaml").read_text())


def test_pairs_that_differ_are_counted_not_listed_in_a_summarised_programme():
    from analysis.report.user_research import pairs_text

    diffs = ["A higher than B", "C higher than B"]
    many = _published({f"c{i:02d}": float(i) for i in range(12)})
    assert pairs_text(many, diffs, 12) == "2 of 66 pairs of councils"  # 12 x 11 / 2
    many.summarise_above = 12
    assert pairs_text(many, diffs, 12) == "A higher than B; C higher than B"
    assert pairs_text(many, [], 12) == "No pair differs"


def test_a_summarised_survey_table_shows_the_most_and_least_favourable_councils():
    """Twelve councils with favourable shares 10, 20, ..., 120 (c03 suppressed, so unranked):
    the five largest (c11..c07) and the five smallest of the ranked (c04, c02, c01, c00 and
    c05), then the all-councils row."""
    import numpy as np
    import pandas as pd

    from analysis.report.user_research import extremes

    ids = [f"c{i:02d}" for i in range(12)]
    p = _published({a: 1.0 for a in ids})
    summary = pd.DataFrame(
        {
            "group": [*ids, "programme"],
            "pct_positive": [np.nan if a == "c03" else 10.0 * (i + 1) for i, a in enumerate(ids)]
            + [50.0],
        }
    )
    shown, note = extremes(p, summary, {a: a for a in ids})
    assert list(shown["group"]) == [
        "c11", "c10", "c09", "c08", "c07", "c05", "c04", "c02", "c01", "c00", "programme"
    ]  # fmt: skip
    assert "the five councils with the largest and the five with the smallest" in note
    p.summarise_above = 12
    assert extremes(p, summary, {a: a for a in ids}) == (summary, "")


def test_summarised_sentences_count_councils_instead_of_naming_them_all():
    from analysis.report.roadmap import councils_words
    from analysis.report.rq_answers import value_answer

    facts = {
        "top_stage": ("use", 4.0),
        "low_stage": ("collect", 2.0),
        "best_tool": {"a": ("Case system", 5), "b": ("Warehouse", 4), "c": ("Case system", 4)},
    }
    chosen = {"codes": [], "unestablished": []}
    names = {"a": "A Council", "b": "B Council", "c": "C Council"}
    text = value_answer(facts, None, chosen, names, summarise=True)
    assert "most often it is Case system (in two of the 3 councils" in text
    assert "B Council" not in text and "Warehouse" not in text
    listed = value_answer(facts, None, chosen, names)
    assert "Case system in A (5 of 5); Warehouse in B (4 of 5)" in listed

    ids = [f"c{i:02d}" for i in range(12)]
    p = _published({a: 1.0 for a in ids})
    assert councils_words(p, ids[:6], {a: f"{a} Council" for a in ids}) == "six councils"
    assert councils_words(p, ids[:2], {a: f"{a} Council" for a in ids}) == "c00 and c01"


def test_charts_with_a_row_per_council_or_too_tall_are_left_out_of_a_summarised_programme(
    tmp_path,
):
    """A chart drawn 20 in tall at 200 dpi would print at 9.04 / 20 = 45% of its size, below
    the 60% floor; a heatmap with a column per council is left out whatever its size; a small
    chart of the programme as a whole stays. Below the threshold every chart stays."""
    from PIL import Image

    from analysis.report.summaries import programme_figure

    def png(name, height_in):
        path = tmp_path / f"{name}.png"
        Image.new("RGB", (1340, int(200 * height_in))).save(path, dpi=(200, 200))
        return path

    p = _published({f"c{i:02d}": 1.0 for i in range(12)})
    p.figures = {
        "programme_national": (png("national", 3), "Range"),
        "programme_gantt": (png("gantt", 20), "Roadmap"),
        "programme_maturity": (png("maturity", 3), "Heatmap"),
    }
    assert programme_figure(p, "programme_national", "Range", "n").startswith("![Range]")
    for name in ("programme_gantt", "programme_maturity"):
        text = programme_figure(p, name, "Chart", "x")
        assert "a page cannot hold it legibly" in text and "programme-tables.xlsx" in text
    p.summarise_above = 12
    assert programme_figure(p, "programme_maturity", "Heatmap", "m").startswith("![Heatmap]")


def test_a_ranking_cut_inside_a_tie_says_how_many_more_tie():
    """The programme's top-ten tools: when the tenth's scores (total, criticality, impact) are
    shared by the eleventh and twelfth, the caption says two more tie and how they were
    ordered; with no tie at the cut, it says nothing."""
    from analysis.journeys.ranking import programme_ranking
    from analysis.report.roadmap import TOP_RANKED, programme_rankings

    def published(totals):
        ids = [f"c{i:02d}" for i in range(len(totals))]
        rows = pd.DataFrame({"authority": ids, "rank": 1, "system": "Case system",
                             "stage": "storage", "total": totals, "criticality": 5,
                             "impact": 5, "value_added": [t - 10 for t in totals]})  # fmt: skip
        p = _published(dict.fromkeys(ids, 1.0))
        p.tables[("programme", "journeys", "tool_ranking")] = programme_ranking(rows, "system")
        p.tables[("programme", "journeys", "stage_ranking")] = programme_ranking(rows, "stage")
        return programme_rankings(p)

    assert TOP_RANKED == 10
    tied = published([15] * 9 + [14, 14, 14, 13])
    assert "tied with the last shown: 2 more tools, ranked after it by council id" in tied
    assert "2 more stages" in tied
    untied = published([15] * 10 + [14, 14])
    assert "tied with the last shown" not in untied
