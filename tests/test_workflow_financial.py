"""End-to-end checks of the financial, national and management cases on the example run.

Every expectation is computed here from the published (or internal) outputs, not copied from
them, so the tests hold when the example's numbers change:

* the decision rule's affordability constraint binds where the example says a council cannot
  afford the option with the highest NPSV, and every consumer (financial case, national scale,
  roadmap, funding plan) follows the rule's choice;
* the funding plan reconciles year by year to the requirement, never draws more cashable
  savings than the council's own cashable benefits so far, and funds capital-only sources
  against capital only;
* the real-to-nominal bridge adds up and equals the council's costs in the affordability table;
* benefits-realisation targets are the outcomes the appraisal counts (its benefit flows);
* the national drivers printed reproduce the scale factor, and the councils delivering each
  service are counted from ``analysis/data/national_drivers.csv`` by hand (Northern Ireland's
  councils deliver fly-tipping only: Local Government Act (Northern Ireland) 2014);
* every source a business-case table cites is in the Sources list.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from analysis.costs.decision import ruled_out_by_limit
from analysis.report.references import references_for

AUTHORITIES = ["leicester", "lambeth", "milton_keynes", "canterbury"]
TIER = {"bau": 0, "do_minimum": 1, "preferred": 2, "ambitious": 3}


def _pub(run, scope, stage, name):
    return pd.read_csv(run["dir"] / "results" / scope / "published" / stage / name)


def _kf(run, scope, stage="costs"):
    path = run["dir"] / "results" / scope / "published" / stage / "key_figures.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def _chosen(run, a) -> pd.Series:
    d = _pub(run, a, "costs", "options_decision.csv")
    return d[d["recommended"] == "yes"].iloc[0]


def test_the_example_shows_the_limit_binding_and_the_ambitious_option_kept(pipeline_run):
    """Finding 4: with every council's affordability limit stated, at least one council's
    choice is changed by its limit (an option with more NPSV offering value for money is
    over it) and at least one keeps the ambitious option."""
    binds, ambitious = [], []
    for a in AUTHORITIES:
        cs = _kf(pipeline_run, a)
        assert cs["decision_affordability_limit"] is not None, a
        rows = [{"option_id": k, **o} for k, o in cs["options"].items()]
        chosen = _chosen(pipeline_run, a)
        if ruled_out_by_limit(rows, float(chosen["npsv"])):
            binds.append(a)
            d = _pub(pipeline_run, a, "costs", "options_decision.csv").set_index("option_id")
            vfm = d[d["offers_vfm"] == "yes"]
            assert vfm["npsv"].idxmax() != chosen["option_id"]  # the limit changed the answer
            assert float(chosen["affordability_gap"]) <= cs["decision_affordability_limit"]
        if chosen["category"] == "ambitious":
            ambitious.append(a)
    assert binds and ambitious, (binds, ambitious)


def test_every_consumer_follows_the_rules_choice(pipeline_run):
    status = _pub(pipeline_run, "programme", "costs", "funding_status.csv").set_index("authority")
    scale = _pub(pipeline_run, "programme", "costs", "national_scale.csv").set_index("authority")
    req = _pub(pipeline_run, "programme", "costs", "financial_requirement.csv")
    for a in AUTHORITIES:
        chosen = _chosen(pipeline_run, a)
        assert status.at[a, "option_id"] == chosen["option_id"], a
        assert scale.at[a, "option_id"] == chosen["option_id"], a
        assert set(req.loc[req["authority"] == a, "option_id"]) == {chosen["option_id"]}, a
        st = _pub(pipeline_run, a, "journeys", "action_status.csv").set_index("action_id")
        tiers = pd.read_csv(pipeline_run["dir"] / "survey/roadmap_actions.csv", dtype=str)
        for r in tiers.dropna(subset=["option_tier"]).itertuples(index=False):
            if TIER[r.option_tier] > TIER[chosen["category"]] and r.action_id in st.index:
                assert not st.at[r.action_id, "scheduled"], (a, r.action_id)


def test_the_funding_plan_reconciles_and_draws_only_the_savings_found(pipeline_run):
    req = _pub(pipeline_run, "programme", "costs", "financial_requirement.csv")
    plan = _pub(pipeline_run, "programme", "costs", "funding_plan.csv")
    status = _pub(pipeline_run, "programme", "costs", "funding_status.csv").set_index("authority")
    case = yaml.safe_load((pipeline_run["dir"] / "survey/example/business_case.yaml").read_text())
    capital_only = {
        f["id"] for f in case["financial"]["funding_sources"] if f["funds"] == "capital"
    }
    for a in AUTHORITIES:
        need = req[req["authority"] == a].groupby(["year", "cost_type"])["requirement"].sum()
        got = plan[plan["authority"] == a].groupby(["year", "cost_type"])["amount"].sum()
        need = need.clip(lower=0)
        assert got.reindex(need.index, fill_value=0).to_numpy() == pytest.approx(
            need.to_numpy(), abs=0.05
        ), a
        mine = plan[plan["authority"] == a]
        assert set(mine.loc[mine["source_id"].isin(capital_only), "cost_type"]) <= {"capital"}
        # cashable savings drawn, cumulatively, never exceed the council's own cashable benefits
        aff = _pub(pipeline_run, a, "costs", "affordability.csv")
        oid = _chosen(pipeline_run, a)["option_id"]
        own = aff[(aff["option_id"] == oid) & (aff["agency"] == "council")]
        found = own.set_index("year")["cashable_benefits"].clip(lower=0).sort_index().cumsum()
        drawn = mine[mine["kind"] == "cashable_savings"].groupby("year")["amount"].sum()
        drawn = drawn.reindex(found.index, fill_value=0).cumsum()
        assert (drawn <= found + 0.05).all(), a
        s = status.loc[a]
        assert s["ask"] == pytest.approx(need.sum(), abs=0.05)
        total = s[["secured", "applied_for", "to_identify", "gap"]].sum()
        assert total == pytest.approx(s["ask"], abs=0.05), a
    prog = status.loc["programme"]
    councils = status.drop(index="programme")
    assert prog["ask"] == pytest.approx(councils["ask"].sum(), abs=0.05)
    assert prog["secured_share"] == pytest.approx(prog["secured"] / prog["ask"], abs=1e-4)


def test_the_bridge_adds_up_to_the_councils_nominal_costs(pipeline_run):
    req = _pub(pipeline_run, "programme", "costs", "financial_requirement.csv")
    steps = req[["base_real", "optimism_bias", "contingency", "inflation"]].sum(axis=1)
    assert steps.to_numpy() == pytest.approx(req["requirement"].to_numpy(), abs=0.05)
    assert (req["contingency"] >= -0.005).all()  # a contingency only ever tops up the uplift
    for a in AUTHORITIES:
        oid = _chosen(pipeline_run, a)["option_id"]
        aff = _pub(pipeline_run, a, "costs", "affordability.csv")
        own = aff[(aff["option_id"] == oid) & (aff["agency"] == "council")]
        mine = req[req["authority"] == a].groupby("year")["requirement"].sum()
        assert mine.to_numpy() == pytest.approx(
            own.set_index("year")["costs"].reindex(mine.index).to_numpy(), abs=0.05
        ), a
        # the real cost before any uplift is the council's own cost lines' (its agencies are
        # council_*; partners such as the police and the NHS pay their own lines, which the
        # economic case counts and the council's financial requirement does not)
        lines = pd.read_csv(pipeline_run["dir"] / f"results/{a}/internal/costs/cost_lines.csv")
        mine_lines = lines[(lines["option_id"] == oid) & lines["agency"].str.match(r"council_")]
        assert len(mine_lines), a
        base = req.loc[req["authority"] == a, "base_real"].sum()
        assert base == pytest.approx(mine_lines["amount_real"].sum(), abs=0.05)


def test_realisation_targets_are_what_the_appraisal_counts(pipeline_run):
    real = _pub(pipeline_run, "programme", "costs", "benefits_realisation.csv")
    assert not real.empty
    for r in real.itertuples(index=False):
        flows = pd.read_csv(pipeline_run["dir"] / f"results/{r.authority}/internal/costs/"
                            "benefit_flows.csv")  # fmt: skip
        first = str(r.outcome_ids).split(";")[0]
        f = flows[(flows["option_id"] == r.option_id) & (flows["outcome_id"] == first)]
        by_year = f.drop_duplicates("year").set_index("year")["outcomes"]
        assert r.target == pytest.approx(by_year.max(), abs=0.01)
        assert r.due_year == by_year.idxmax()
        ben = pd.read_csv(pipeline_run["dir"] / f"results/{r.authority}/ingest/costs/benefits.csv")
        line = ben[(ben["option_id"] == r.option_id) & (ben["outcome_id"] == first)].iloc[0]
        assert r.baseline == line["cohort"]
        # never more than the outcome chain allows: cohort x engagement x success x (1 - dw)
        chain = (
            line["cohort"]
            * line["engagement_rate"]
            * line["success_rate"]
            * (1 - line["deadweight"])
        )
        assert r.target <= chain + 0.01
    # every monetised benefit line of each chosen option has its row
    for a in AUTHORITIES:
        oid = _chosen(pipeline_run, a)["option_id"]
        ben = pd.read_csv(pipeline_run["dir"] / f"results/{a}/ingest/costs/benefits.csv")
        ben = ben[ben["option_id"] == oid]
        valued = ben[(ben[["fiscal_value", "economic_value", "social_value"]] != 0).any(axis=1)]
        covered = {o for ids in real.loc[real["authority"] == a, "outcome_ids"]
                   for o in ids.split(";")}  # fmt: skip
        assert set(valued["outcome_id"]) == covered, a


def test_the_printed_national_drivers_reproduce_the_scale_factor(pipeline_run):
    basis = _pub(pipeline_run, "programme", "costs", "national_basis.csv")
    scale = _pub(pipeline_run, "programme", "costs", "national_scale.csv")
    drivers = pd.read_csv(pipeline_run["dir"] / "analysis/data/national_drivers.csv")
    councils = drivers[drivers["kind"] == "councils"]
    for r in basis.itertuples(index=False):
        assert r.published_value * r.carried_factor == pytest.approx(r.national_driver, abs=2)
        assert r.national_driver / r.local_driver == pytest.approx(r.scale_factor, rel=5e-4)
        mine = scale[scale["service_area"] == r.service_area]
        assert mine["local_driver"].sum() == pytest.approx(r.local_driver, abs=0.5)
        delivering = councils[councils["service_areas"].fillna("").str.split(";").map(
            lambda s, area=r.service_area: area in s)]  # fmt: skip
        assert r.councils_delivering == delivering["value"].sum()
        assert set(r.nations.split(";")) == set(delivering["nation"])
        if r.service_area != "fly_tipping":
            assert "northern_ireland" not in r.nations  # NI councils deliver none of these


CITATION = re.compile(
    r"\b(HM Treasury|ONS|Office for National Statistics|NHS England|DfE|Department for \w+|"
    r"Defra|MHCLG|National Records of Scotland|NISRA|GMCA|North Tyneside|"
    r"Local Government Association|Cohen|Kerby|Krippendorff|Magenta Book|Green Book|WELLBY|"
    r"[A-Z][A-Za-z&.]+(?: [A-Z][A-Za-z&.]+)* \((?:19|20)\d\d\))"
)
#: How a table names a publisher, and how the Sources list spells it.
ALIASES = {"ONS": "Office for National Statistics", "Defra": "Department for Environment",
           "DfE": "Department for Education", "MHCLG": "Ministry of Housing",
           "GMCA": "Greater Manchester", "WELLBY": "WELLBY"}  # fmt: skip


def test_every_source_a_business_case_table_cites_is_in_the_sources_list(pipeline_run):
    """Finding 17: each publisher or author a table of the business case (or the final report)
    names maps to an entry of the Sources list that names the same publisher."""
    checked = 0
    for doc in ("business-case", "index"):
        html = (pipeline_run["dir"] / f"results/reports/{doc}.html").read_text("utf-8")
        for cell in BeautifulSoup(html, "html.parser").select("table td, table th"):
            text = " ".join(cell.get_text(" ").split())
            for segment in re.split(r";\s+", text):
                for m in CITATION.finditer(segment):
                    who = re.sub(r" \(\d{4}\)$", "", m.group(1))
                    name = ALIASES.get(who, who).replace("’", "'")
                    refs = references_for(segment.replace("’", "'"))
                    assert any(name.lower() in r.text.replace("’", "'").lower() for r in refs), (
                        doc, m.group(1), segment[:120])  # fmt: skip
                    checked += 1
    assert checked >= 10  # the drivers, benefit values and conventions tables cite sources


def _soup(run, doc):
    html = (run["dir"] / f"results/reports/{doc}.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser")


def test_the_national_estimate_is_called_illustrative_wherever_it_is_quoted(pipeline_run):
    """Finding 6: the take-up behind the national estimate is a programme assumption, so every
    sentence, caption or table that quotes the estimate says it is illustrative, and no
    report publishes it while saying it must be replaced before publication."""
    from analysis.core import formatting as fmt

    kf = _kf(pipeline_run, "programme")
    quoted = {fmt.money(kf[f"national_{k}"], sig=2) for k in ("low", "central", "high")}
    seen = 0
    for doc in ("business-case", "index"):
        soup = _soup(pipeline_run, doc)
        for el in soup.find_all(["p", "li", "figcaption"]):
            text = " ".join(el.get_text(" ").split())
            if any(q in text for q in quoted) and not el.find_parent("table"):
                assert "illustrative" in text.lower(), (doc, text[:160])
                seen += 1
        for table in soup.find_all("table"):
            cells = " ".join(table.get_text(" ").split())
            if all(q in cells for q in quoted):
                caption = table.find("caption") or table.find_previous(["figcaption", "p"])
                assert "illustrative" in caption.get_text().lower(), doc
                seen += 1
    assert seen >= 3  # the summary, the final report's outcomes and the national table
    for html in (pipeline_run["dir"] / "results/reports").glob("*.html"):
        assert "before publication" not in html.read_text("utf-8"), html.name


def test_the_board_is_told_what_it_is_asked_to_decide(pipeline_run):
    """Finding 24: the business case opens, and the final report's outcomes include, the
    decisions sought with the total ask and how much of it is secured, by council."""
    from analysis.core import formatting as fmt

    status = _pub(pipeline_run, "programme", "costs", "funding_status.csv").set_index("authority")
    total = status.loc["programme"]
    for doc in ("business-case", "index"):
        soup = _soup(pipeline_run, doc)
        text = " ".join(soup.get_text(" ").split())
        assert "decisions sought" in text.lower(), doc
        assert f"The total ask is {fmt.money(total['ask'])}" in text, doc
        assert f"of which {fmt.money(total['secured'])}" in text, doc
        table = soup.find(id="tbl-decisions")
        assert table is not None, doc
        rows = " ".join(table.get_text(" ").split())
        for a in AUTHORITIES:
            assert fmt.money(status.at[a, "ask"]) in rows and fmt.money(
                status.at[a, "secured"]) in rows, (doc, a)  # fmt: skip
    first = _soup(pipeline_run, "business-case").find(
        string=re.compile("Recommendation and decisions sought"))  # fmt: skip
    summary = _soup(pipeline_run, "business-case").find(string=re.compile(r"^\s*Summary\s*$"))
    assert first is not None and summary is not None
    assert first.find_next(string=re.compile(r"^\s*Summary\s*$")) is not None  # decisions first
