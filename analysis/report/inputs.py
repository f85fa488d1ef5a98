"""What the reports may use: the published tables, key figures and figures the report rule declares.

:func:`report_inputs` is the one list of files the reports read. The workflow declares exactly
these files as the inputs of the report rule, and :func:`load_published` reads only the paths it
is given, so the report layer can never depend on a file the workflow did not declare, and a
report is rebuilt whenever one of them changes. Key figures are read through their JSON Schemas
(:mod:`analysis.core.contracts`): a missing or renamed key is an error naming key and file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.core.contracts import KeyFigures, read_key_figures
from analysis.core.disclosure import DisclosureRule

STAGES = ("survey", "coding", "journeys", "costs")
PROGRAMME = "programme"
#: Published tables the reports print, per scope: (stage, table name).
PROGRAMME_TABLES = (
    ("survey", "construct_summary"),
    ("survey", "construct_by_group"),
    ("survey", "item_summary"),
    ("survey", "option_shares"),
    ("survey", "likert_collapsed"),
    ("survey", "distributions"),
    ("survey", "reliability"),
    ("survey", "kruskal"),
    ("survey", "chi2"),
    ("coding", "agreement"),
    ("coding", "leading_codes"),
    ("coding", "swot_evidence"),
    ("journeys", "gap_summary"),
    ("journeys", "maturity_levels"),
    ("journeys", "tool_ranking"),
    ("journeys", "stage_ranking"),
    ("journeys", "roadmap"),
    ("journeys", "objectives_check"),
    ("journeys", "systems_summary"),
    ("costs", "comparison"),
    ("costs", "national_range"),
    ("costs", "national_scale"),
    ("costs", "national_assumptions"),
    ("costs", "national_basis"),
    ("costs", "financial_requirement"),
    ("costs", "funding_plan"),
    ("costs", "funding_status"),
    ("costs", "funding_sources"),
    ("costs", "benefits_realisation"),
)
AUTHORITY_TABLES = (
    ("survey", "construct_summary"),
    ("survey", "group_comparisons"),
    ("survey", "item_summary"),
    ("coding", "leading_codes"),
    ("coding", "swot_evidence"),
    ("journeys", "gap_summary"),
    ("journeys", "maturity_levels"),
    ("journeys", "roadmap"),
    ("journeys", "action_status"),
    ("journeys", "objectives_check"),
    ("journeys", "option_objectives"),
    ("journeys", "tool_ranking"),
    ("journeys", "stage_ranking"),
    ("journeys", "systems_inventory"),
    ("journeys", "stream_flows"),
    ("journeys", "benefit_timing"),
    ("journeys", "journeys"),
    ("costs", "options_results"),
    ("costs", "switching_values"),
    ("costs", "monte_carlo_summary"),
    ("costs", "monte_carlo_inputs"),
    ("costs", "nominal_cash"),
    ("costs", "cost_lines"),
    ("costs", "benefit_sources"),
    ("costs", "affordability"),
    ("costs", "options_decision"),
)
#: Figures the reports show: build name (with ``{a}`` for the authority) -> (stage, file stem).
AUTHORITY_FIGURES = {
    "{a}_journey_map": ("journeys", "journey_map"),
    "{a}_cashflow": ("costs", "cumulative_cash_flow"),
    "{a}_tornado": ("costs", "tornado"),
    "{a}_monte_carlo": ("costs", "monte_carlo"),
    "{a}_gantt": ("journeys", "roadmap_gantt"),
    "{a}_tool_scores": ("journeys", "tool_scores"),
}
PROGRAMME_FIGURES = {
    "programme_gaps": ("journeys", "gap_overview"),
    "programme_gantt": ("journeys", "roadmap_gantt"),
    "programme_tool_scores": ("journeys", "tool_scores"),
    "programme_maturity": ("journeys", "maturity"),
    "programme_national": ("costs", "national_range"),
    "programme_comparison": ("costs", "comparison"),
    "programme_agreement": ("coding", "agreement"),
}
#: The programme-level outputs a council's case study reads whatever the programme's size. They
#: do not change when another council's survey, register or cost workbook does: the pooled
#: coder agreement (a code too rare in one council to judge takes the pooled reading) and the
#: codes below the threshold come from the coding alone; the council's funding status (its ask,
#: what is secured, the gap) is the council's own row of the financial case.
CASE_STUDY_PROGRAMME = (
    "kf:programme:coding",
    "schema:coding:programme",
    "table:programme:coding:agreement",
    "table:programme:costs:funding_status",
)
#: What a case study compares the council with when it compares it with the other councils
#: (programmes of up to ``report.summarise_above`` councils): its lessons say where it differs
#: from them. In a larger programme the case study leaves these out, so a council's case study
#: is rebuilt only when its own data (or the coding) change.
CASE_STUDY_PEERS = (
    "table:programme:survey:construct_summary",
    "table:programme:journeys:gap_summary",
    "table:programme:journeys:maturity_levels",
    "table:programme:coding:swot_evidence",
)
#: Where the programme's example inputs live (reports then say the data are synthetic).
EXAMPLE_INPUTS = "survey/example/"


def report_inputs(
    authorities: Iterable[str],
    likert_constructs: Iterable[str],
    *,
    results: str = "results",
    schemas: str = "workflow/schemas/key_figures",
    actions: str = "survey/roadmap_actions.csv",
) -> dict[str, str]:
    """Every file the reports read, as ``{key: path}`` with keys ``kf:<scope>:<stage>``,
    ``schema:<stage>:<authority|programme>``, ``table:<scope>:<stage>:<name>``,
    ``input:business_case``, ``input:roadmap_actions``,
    ``figure:<name>`` and ``alt:<name>``. Deterministic (sorted keys) so it can be a rule's
    params without making every run look new."""
    authorities = list(authorities)
    paths: dict[str, str] = {
        # the council's business-case input as validated at ingest: its policy statements,
        # published as written (the one ingest file a report reads; it holds no data rows)
        "input:business_case": f"{results}/{PROGRAMME}/ingest/business_case.yaml",
        # the roadmap action table (an instrument): the titles the spending objectives name
        "input:roadmap_actions": actions,
    }
    for scope in [PROGRAMME, *authorities]:
        kind = PROGRAMME if scope == PROGRAMME else "authority"
        for stage in STAGES:
            paths[f"kf:{scope}:{stage}"] = f"{results}/{scope}/published/{stage}/key_figures.yaml"
            paths[f"schema:{stage}:{kind}"] = f"{schemas}/{stage}_{kind}.schema.yaml"
        for stage, name in PROGRAMME_TABLES if scope == PROGRAMME else AUTHORITY_TABLES:
            paths[f"table:{scope}:{stage}:{name}"] = (
                f"{results}/{scope}/published/{stage}/{name}.csv"
            )
    figures = {
        name: f"{results}/{PROGRAMME}/published/{stage}/{stem}"
        for name, (stage, stem) in PROGRAMME_FIGURES.items()
    }
    figures |= {
        f"programme_likert_{c}": f"{results}/{PROGRAMME}/published/survey/likert_{c}"
        for c in likert_constructs
    }
    for a in authorities:
        for name, (stage, stem) in AUTHORITY_FIGURES.items():
            figures[name.format(a=a)] = f"{results}/{a}/published/{stage}/{stem}"
    for name, stem in figures.items():
        paths[f"figure:{name}"] = f"{stem}.png"
        paths[f"alt:{name}"] = f"{stem}.alt.txt"
    return dict(sorted(paths.items()))


def case_study_inputs(
    aid: str,
    likert_constructs: Iterable[str],
    *,
    compare_with_peers: bool,
    results: str = "results",
    schemas: str = "workflow/schemas/key_figures",
    actions: str = "survey/roadmap_actions.csv",
) -> dict[str, str]:
    """The files council ``aid``'s case study reads: the council's own published outputs (key
    figures, tables, figures), the validated business-case input, and the programme-level
    outputs of :data:`CASE_STUDY_PROGRAMME` (and :data:`CASE_STUDY_PEERS` when the case study
    compares the council with the others). A subset of :func:`report_inputs`, keyed alike; the
    case-study build reads nothing else (:class:`Published` refuses an undeclared table)."""
    every = report_inputs(
        [aid], likert_constructs, results=results, schemas=schemas, actions=actions
    )
    programme = set(CASE_STUDY_PROGRAMME) | (set(CASE_STUDY_PEERS) if compare_with_peers else set())

    def wanted(key: str) -> bool:
        kind, *rest = key.split(":")
        if kind == "input" or key in programme:
            return True
        if kind == "schema":
            return rest[1] == "authority"
        if kind in ("figure", "alt"):
            return rest[0].startswith(f"{aid}_")
        return rest[0] == aid

    return {k: v for k, v in every.items() if wanted(k)}


def compares_with_peers(n_authorities: int, summarise_above: int) -> bool:
    """Whether the reports list every council and case studies compare the council with the
    others: up to ``summarise_above`` councils. Above it the programme documents summarise
    (distributions, the top and bottom councils) and each case study reads only its own
    council's outputs, so one council's new data re-render only its own case study."""
    return n_authorities <= summarise_above


def uses_example_inputs(authorities: list[dict]) -> bool:
    """True when every configured input is one of the bundled synthetic example files."""
    return all(
        str(path).replace("\\", "/").startswith(EXAMPLE_INPUTS)
        for a in authorities
        for path in a["inputs"].values()
    )


@dataclass
class Published:
    """Everything the reports may use, loaded from the paths the report rule declared."""

    programme: dict  # programme section of config
    authorities: list[dict]  # config authorities (id, name, service_area, ...)
    questionnaire: dict
    codebook: dict
    rule: DisclosureRule
    kf: dict[tuple[str, str], KeyFigures] = field(default_factory=dict)  # (scope, stage)
    tables: dict = field(default_factory=dict)  # (scope, stage, name) -> DataFrame
    figures: dict = field(default_factory=dict)  # build name -> (png path, alt text)
    business_case: dict = field(default_factory=dict)  # the council's business-case input
    action_titles: dict = field(default_factory=dict)  # roadmap action id -> title
    code_version: dict = field(default_factory=dict)  # package version and git commit
    summarise_above: int | None = None  # report.summarise_above (analysis.report.summaries)
    #: councils in the programme: a case study's config names only its own council
    programme_size: int | None = None

    def table(self, scope: str, stage: str, name: str) -> pd.DataFrame:
        """A published table the report rule declared (KeyError naming it otherwise)."""
        try:
            return self.tables[(scope, stage, name)]
        except KeyError:
            raise KeyError(
                f"the reports use table {scope}/{stage}/{name}.csv, which is not among the "
                "report rule's inputs (add it to analysis.report.inputs)"
            ) from None

    def authority(self, aid: str) -> dict:
        return next(a for a in self.authorities if a["id"] == aid)


def load_published(
    paths: dict[str, str],
    config: dict,
    questionnaire: dict,
    codebook: dict,
    rule: DisclosureRule,
) -> Published:
    """Read the key figures, tables and figures named in ``paths`` (from :func:`report_inputs`)."""
    p = Published(config["programme"], config["authorities"], questionnaire, codebook, rule)
    p.code_version = dict(config.get("code_version") or {})
    p.summarise_above = (config.get("report") or {}).get("summarise_above")
    p.programme_size = int(config.get("programme_size") or len(config["authorities"]))
    schemas: dict[str, dict] = {}
    for key, path in sorted(paths.items()):
        kind, *rest = key.split(":")
        if kind == "schema":
            schemas[":".join(rest)] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key, path in sorted(paths.items()):
        kind, *rest = key.split(":")
        if kind == "kf":
            scope, stage = rest
            level = PROGRAMME if scope == PROGRAMME else "authority"
            p.kf[(scope, stage)] = read_key_figures(path, schemas[f"{stage}:{level}"])
        elif kind == "table":
            scope, stage, name = rest
            p.tables[(scope, stage, name)] = pd.read_csv(
                path, keep_default_na=True, na_values=[rule.marker]
            )
        elif key == "input:business_case":
            p.business_case = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        elif key == "input:roadmap_actions":
            actions = pd.read_csv(path, dtype=str, keep_default_na=False)
            p.action_titles = dict(zip(actions["action_id"], actions["title"], strict=True))
        elif kind == "figure":
            (name,) = rest
            p.figures[name] = (Path(path), _alt(Path(paths[f"alt:{name}"])))
    return p


def _alt(alt_path: Path) -> str:
    """The figure's alt text on one line (escaped for its attribute where it is written)."""
    return re.sub(r"\s+", " ", alt_path.read_text(encoding="utf-8")).strip()
