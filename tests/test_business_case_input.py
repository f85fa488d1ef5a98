"""The council's business-case input: checked at ingest (schema, identifiers, consistency with
the roadmap actions, the councils of the config and the questionnaire), never invented, and
laid out by rule (risk scores before and after mitigation, the evaluation plan)."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml
from conftest import REPO, load_yaml

from analysis.core.tables import InputError
from analysis.ingest import ingest_business_case
from analysis.report import five_case as fc
from analysis.report import management_case as mc

SCHEMA = load_yaml("workflow/schemas/business_case.schema.yaml")
ACTIONS = set(pd.read_csv(REPO / "survey/roadmap_actions.csv", dtype=str)["action_id"])
EXAMPLE = load_yaml("survey/example/business_case.yaml")
GAP_IDS = set(pd.read_csv(REPO / "survey/gap_rules.csv", dtype=str)["gap_id"])
CODE_IDS = {c["id"] for c in load_yaml("survey/codebook.yaml")["codes"]}
ITEM_IDS = {i["id"] for i in load_yaml("survey/questionnaire.yaml")["items"]}
COUNCILS = {a["id"] for a in load_yaml("config.yaml")["authorities"]}


def _ingest(tmp_path, case, authority_ids=None) -> dict:
    path = tmp_path / "business_case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return ingest_business_case(
        path, SCHEMA, ACTIONS, gap_ids=GAP_IDS, code_ids=CODE_IDS, item_ids=ITEM_IDS,
        authority_ids=authority_ids,
    )  # fmt: skip


def test_example_and_template_are_valid():
    for rel, councils in (
        ("survey/example/business_case.yaml", COUNCILS),
        ("survey/templates/business_case.template.yaml", None),
    ):
        case = ingest_business_case(REPO / rel, SCHEMA, ACTIONS, gap_ids=GAP_IDS,
                                    code_ids=CODE_IDS, item_ids=ITEM_IDS, authority_ids=councils)  # fmt: skip
        assert case["spending_objectives"] and case["management"]["risks"], rel
        assert case["management"]["evaluation"]["design"]["impact"], rel


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c.pop("spending_objectives"), "key 'spending_objectives' is missing"),
        (
            lambda c: c["management"]["risks"][0].__setitem__("likelihood", 7),
            "key 'management.risks.0.likelihood' expected a value <= 5",
        ),
        (
            lambda c: c["spending_objectives"][1].__setitem__("delivered_by", ["A99"]),
            "key 'spending_objectives.1.delivered_by.0': is not an action",
        ),
        (
            lambda c: c["financial"]["funding_sources"][0].__setitem__("funds", "revenue"),
            "key 'financial.funding_sources.0.funds': a capital programme funds capital only",
        ),
        (
            lambda c: c["financial"]["funding_sources"][1].pop("amounts"),
            "key 'financial.funding_sources.1.amounts' is missing",
        ),
        (
            lambda c: c["financial"]["funding_sources"].append(
                copy.deepcopy(c["financial"]["funding_sources"][0])
            ),
            "key 'financial.funding_sources.3.id': repeats the id of financial.funding_sources.0",
        ),
        (
            lambda c: c["management"]["risks"][0].pop("residual_impact"),
            "key 'management.risks.0.residual_impact' is missing",
        ),
        (
            lambda c: c["management"]["risks"][8]["evidence"].__setitem__("survey_items", ["Q99"]),
            "key 'management.risks.8.evidence.survey_items.0': expected an item of the questionnaire",
        ),
        (
            lambda c: c["management"]["evaluation"].pop("design"),
            "key 'management.evaluation.design' is missing",
        ),
        (
            lambda c: c["management"]["evaluation"]["budget"].pop("amount"),
            "key 'management.evaluation.budget.amount' is missing",
        ),
        (
            lambda c: c["benefits"]["realisation"][0].__setitem__("target", "Half the baseline"),
            "key 'benefits.realisation.0.entry 6' is not expected",
        ),
        (
            lambda c: c["benefits"]["realisation"][0].pop("data_source"),
            "key 'benefits.realisation.0.data_source' is missing",
        ),
        (
            lambda c: c["management"]["risks"].append(copy.deepcopy(c["management"]["risks"][0])),
            "repeats the id of management.risks.0; expected each id once",
        ),
        (
            lambda c: c["commercial"].__setitem__("route", "handshake"),
            "key 'commercial.route' expected one of: in_house",
        ),
        (
            lambda c: c["management"]["risks"][0]["evidence"].__setitem__("gaps", ["G05", "G99"]),
            "key 'management.risks.0.evidence.gaps.1': expected a gap of the gap rules",
        ),
        (
            lambda c: c["management"]["risks"][0]["evidence"].__setitem__("codes", ["no_such"]),
            "key 'management.risks.0.evidence.codes.0': expected a code of the codebook",
        ),
        (
            lambda c: c["management"]["risks"][2]["evidence"].__setitem__("maturity_themes", ["x"]),
            "key 'management.risks.2.evidence.maturity_themes.0' expected one of",
        ),
        (
            lambda c: c["management"]["risks"][4]["evidence"].__setitem__("actions", ["A99"]),
            "key 'management.risks.4.evidence.actions.0': expected an action of the roadmap",
        ),
    ],
)
def test_bad_business_case_is_a_located_error(tmp_path, change, expected):
    case = copy.deepcopy(EXAMPLE)
    change(case)
    with pytest.raises(InputError) as err:
        _ingest(tmp_path, case)
    assert expected in str(err.value)


def test_identifier_in_the_text_is_refused_without_repeating_it(tmp_path):
    case = copy.deepcopy(EXAMPLE)
    case["management"]["risks"][2]["owner_role"] = "jane.doe@example.gov.uk"
    with pytest.raises(InputError) as err:
        _ingest(tmp_path, case)
    message = str(err.value)
    assert "key 'management.risks.2.owner_role' holds what looks like an email address" in message
    assert "jane.doe" not in message


def test_risk_rating_is_likelihood_times_impact_in_bands():
    # hand-worked: 4 x 4 = 16 >= 15 high; 3 x 4 = 12 and 2 x 5 = 10 medium; 1 x 5 = 5 low;
    # the boundaries 15 and 8 belong to the higher band
    assert fc.risk_rating(4, 4) == (16, "high")
    assert fc.risk_rating(3, 5) == (15, "high")
    assert fc.risk_rating(3, 4) == (12, "medium")
    assert fc.risk_rating(2, 4) == (8, "medium")
    assert fc.risk_rating(1, 5) == (5, "low")


def test_every_council_the_input_names_is_a_council_of_the_config(tmp_path):
    case = copy.deepcopy(EXAMPLE)
    case["financial"]["funding_sources"][2]["amounts"]["atlantis"] = 1.0
    case["management"]["risks"][10]["councils"] = ["lambeth", "gotham"]
    case["benefits"]["realisation"][1]["councils"] = ["narnia"]
    with pytest.raises(InputError) as err:
        _ingest(tmp_path, case, COUNCILS)
    msg = str(err.value)
    # located by position, never by the unknown id (input text)
    # _ingest writes the YAML with sorted keys: the position is the key's in that file
    n = sorted(case["financial"]["funding_sources"][2]["amounts"]).index("atlantis") + 1
    assert f"key 'financial.funding_sources.2.amounts.entry {n}': not a council" in msg
    assert "key 'management.risks.10.councils.entry 2': not a council" in msg
    assert "key 'benefits.realisation.1.councils.entry 1': not a council" in msg
    assert not {"atlantis", "gotham", "narnia"} & set(msg.replace(".", " ").split())
    assert _ingest(tmp_path, EXAMPLE, COUNCILS)["financial"]["contingency_share"] == 0.1


def test_the_example_states_an_affordability_limit_for_every_council():
    """Finding 4: CSF3 is tested only where a council states what it can fund."""
    limits = EXAMPLE["decision_rule"]["affordability_limits"]
    assert set(limits) == COUNCILS and all(v and v > 0 for v in limits.values())


def test_risk_register_lists_every_risk_highest_score_first_with_its_residual_score():
    table = mc.risk_register(EXAMPLE, {"lambeth": "Lambeth London Borough Council"})
    rows = [line for line in table.splitlines() if line.startswith("| R")]
    scores = [int(r.split("|")[4].split()[0]) for r in rows]
    assert len(rows) == len(EXAMPLE["management"]["risks"])
    assert scores == sorted(scores, reverse=True)
    r1 = next(r for r in rows if r.startswith("| R1 |"))
    # hand-worked: 3 x 4 = 12 medium before; 2 x 4 = 8 medium after the mitigation
    assert "| 12 (3 × 4), medium | 8 (2 × 4), medium |" in r1 and "| Every council |" in r1
    assert "| Lambeth |" in next(r for r in rows if r.startswith("| R11 |"))


# --------------------------------------------------------------------- customer expectations

QUESTIONNAIRE = load_yaml("survey/questionnaire.yaml")


def _expectations_kf(**over) -> dict:
    """Programme survey key figures for the expectations construct, as the survey stage writes
    them (shape of results/programme/published/survey/key_figures.yaml)."""
    kf = {
        "pct_positive": 71.04,
        "group_comparison": {
            "pct_favourable_by_group": {
                "frontline_staff": None,
                "manager": None,
                "analyst": None,
                "police": 72.5,
                "health": 75.0,
                "partner_agency": 80.0,
                "voluntary_sector": 66.7,
                "resident": 58.3,
            }
        },
        "item_highest_agree": "Q23",
        "item_highest_pct_agree": 84.5,
        "item_lowest_agree": "Q24",
        "item_lowest_pct_agree": 52.0,
    }
    kf.update(over)
    return kf


def test_expectations_paragraph_names_who_was_asked_and_each_groups_share():
    from analysis.report.business_case import expectations_paragraph

    text = expectations_paragraph(_expectations_kf(), QUESTIONNAIRE, 23)
    # asked_of in survey/questionnaire.yaml: the police, health services and other partner
    # agencies (split since review finding 20), the voluntary sector, residents
    assert text.startswith(
        "The survey asked police, health services, other partner agencies, voluntary sector and "
        "residents (18+) four questions"
    )
    assert "staff were not asked them" in text
    # 71.04 -> 71% (whole percent); groups in questionnaire order; 72.5 -> 73% (halves away)
    assert (
        "Of their answers, 71% agreed (police 73%, health services 75%, other partner agencies "
        "80%, voluntary sector 67% and residents (18+) 58%)." in text
    )
    assert (
        "“I expect not to have to tell the council again what I have already told it” (85%)" in text
    )
    assert (
        "“I expect the council to share what I tell it with the partners who need it” (52%)" in text
    )
    assert "23 excerpts describe people having to repeat information" in text
    assert "not published" not in text


def test_expectations_paragraph_says_when_a_group_is_suppressed():
    from analysis.report.business_case import expectations_paragraph

    kf = _expectations_kf()
    kf["group_comparison"]["pct_favourable_by_group"]["resident"] = None
    text = expectations_paragraph(kf, QUESTIONNAIRE, None)
    assert "other partner agencies 80% and voluntary sector 67%)" in text
    assert "The share for residents (18+) is not published: too few answers" in text
    assert "excerpts" not in text  # no workshop count given: no number invented
    nothing = expectations_paragraph(_expectations_kf(pct_positive=None), QUESTIONNAIRE)
    assert "Too few answers were given to publish the share that agreed." in nothing
    assert "%" not in nothing.split("Most agreed")[0]


def test_expectations_paragraph_for_a_construct_asked_of_everyone():
    from analysis.report.business_case import expectations_paragraph

    q = copy.deepcopy(QUESTIONNAIRE)
    c = next(c for c in q["constructs"] if c["id"] == "expectations")
    del c["asked_of"]
    text = expectations_paragraph(_expectations_kf(), q, 0)
    assert text.startswith("The survey asked every respondent four questions")
    assert "staff were not asked" not in text and "(" not in text.split(" agreed")[0]
