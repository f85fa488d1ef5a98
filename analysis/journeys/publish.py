"""What leaves the stage for the reports: published tables and key figures.

Counts of data streams, stages, systems, indicators, councils and actions are not counts of
people and are published as they are. Counts of people (survey respondents) and of workshop
excerpts go through :mod:`analysis.core.disclosure` (``docs/reference/privacy-and-disclosure.md``):
survey agreement is controlled here; the excerpt counts in the tool SWOT come from the coding
stage's published table and are checked again here. Percentages are published to one decimal
(:func:`round_published`).

The key figures are the numbers and short strings the case studies, the roadmap and the final
report quote; their contracts are ``workflow/schemas/key_figures/journeys_authority.schema.yaml``
and ``journeys_programme.schema.yaml``, and ``docs/outputs/journeys.md`` says what each means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.pii import check_published_text
from analysis.core.rounding import round_decimals
from analysis.journeys.gap_rules import SEVERITIES, SEVERITY_ORDER
from analysis.journeys.inventory import NOT_RECORDED
from analysis.journeys.maturity import MATURITY_THEMES, controlled_construct_agreement
from analysis.journeys.objectives import PROGRAMME
from analysis.journeys.ranking import stage_ranking, tool_ranking
from analysis.journeys.roadmap import LIFECYCLE_STAGES, PHASES

#: Internal tables published unchanged (no counts of people in them; ``volume_per_year`` in
#: the journeys, streams and flows tables counts records a service receives, not people).
PASS_THROUGH = (
    "journeys",
    "streams",
    "gaps",
    "gap_summary",
    "tool_scores",
    "levels",
    "roadmap",
    "stage_scores",
    "stage_swot",
    "systems_inventory",
    "stream_flows",
    "action_status",
    "objectives_check",
    "option_objectives",
    "benefit_timing",
)
#: Decimals of a published percentage.
PCT_DECIMALS = 1


def round_published(values: pd.Series, digits: int = PCT_DECIMALS) -> pd.Series:
    """``values`` rounded to ``digits`` decimals for a published table; missing stays missing.

    The project's rule (:func:`analysis.core.rounding.round_decimals`): halves away from zero
    on the decimal value, so 31.25 is published as 31.3, as the reports would print it.
    """
    return round_decimals(values, digits)


# --------------------------------------------------------------------------- published tables


def published_tool_swot(swot: pd.DataFrame, rule) -> pd.DataFrame:
    """The tool SWOT for publication: stream and stage counts as they are; excerpt counts
    (already controlled by the coding stage) checked, a suppressed one shown as the marker.

    Raises :class:`analysis.core.disclosure.DisclosureError` when an excerpt count is not
    controlled under ``rule``.
    """
    out = swot.copy()
    coded = out["count_of"] == "excerpts"
    # excerpts per code across a council are counts of text, published as they are by the
    # coding stage (analysis.coding.scope; docs/outputs/coding.md, "Disclosure")
    shown = out["count"].astype("string").astype(object)
    out["count"] = shown.where(~(coded & out["count"].isna()), rule.marker)
    return out


def published_rankings(tool_scores, tool_swot, stage_scores, stage_swot, rule) -> dict:
    """The ranked tool and stage tables (:mod:`analysis.journeys.ranking`) for publication:
    ``{"tool_ranking": ..., "stage_ranking": ...}``. The tool SWOT's excerpt counts are
    checked as :func:`published_tool_swot` checks them; a suppressed one shows as the
    marker."""
    published_tool_swot(tool_swot, rule)  # raises if an excerpt count is not controlled
    return {
        "tool_ranking": tool_ranking(tool_scores, tool_swot, rule.marker),
        "stage_ranking": stage_ranking(stage_scores, stage_swot),
    }


def published_survey_agreement(agreement: pd.DataFrame, rule) -> pd.DataFrame:
    """Survey agreement per construct for publication: ``n`` and ``n_agree`` controlled,
    ``pct_agree`` from the rounded counts to one decimal (see
    :func:`analysis.journeys.maturity.controlled_construct_agreement`)."""
    out = controlled_construct_agreement(agreement, rule)
    out["pct_agree"] = round_published(out["pct_agree"])
    return out


def published_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Maturity indicators for publication: ``value`` to one decimal, and empty where it would
    rest on a suppressed count (``value_basis`` "suppressed"; the indicators carry no such
    value, see :func:`analysis.journeys.maturity.maturity_survey_evidence`, and this keeps it
    so). A level shown there holds for every count the suppression could hide, so it does not
    narrow the count."""
    out = indicators.copy()
    hide = out["value_basis"] == "suppressed"
    out["value"] = round_published(out["value"].where(~hide, np.nan))
    out["level"] = out["level"].astype("Int64")
    return out


def published_tables(text: dict, typed: dict, rule, extra_patterns=()) -> dict:
    """Every published table of one authority, by output name.

    ``text`` holds the :data:`PASS_THROUGH` tables as written (published unchanged, so their
    bytes do not change), ``typed`` the internal tables read with their readers
    (:data:`analysis.journeys.tables.READERS`): the tool SWOT, survey agreement and maturity
    indicators are controlled here, and the ranked tool and stage tables built. The register's
    free text reaches these tables verbatim (stream names, systems, security controls), so
    every text cell passes the PII gate again (:func:`analysis.core.pii.check_published_text`,
    with the council's ``extra_patterns``); an identifier stops publication.
    """
    out = {name: text[name] for name in PASS_THROUGH}
    out["tool_swot"] = published_tool_swot(typed["tool_swot"], rule)
    out["survey_agreement"] = published_survey_agreement(typed["survey_agreement"], rule)
    out["indicators"] = published_indicators(typed["indicators"])
    out.update(
        published_rankings(
            typed["tool_scores"],
            typed["tool_swot"],
            typed["stage_scores"],
            typed["stage_swot"],
            rule,
        )
    )
    check_published_text(out, extra_patterns)
    return out


# --------------------------------------------------------------------------- key figures


def _action_labels(actions: pd.DataFrame) -> list[str]:
    """ "id title" of each action, in table order (how the reports list actions)."""
    return [f"{r.action_id} {r.title}" for r in actions.itertuples()]


def most_common_gap(counts: pd.DataFrame, *, severity_ties: bool) -> dict:
    """The gap kind on most streams: ``most_common_gap_id``, ``_label``, ``_n_streams``.

    ``counts`` has ``gap_id, label, n_streams`` (and ``severity`` when ``severity_ties``).
    Ties go to the higher severity when ``severity_ties``, then to the lower id. No gap on any
    stream gives ids None and 0 streams.
    """
    fired = counts[counts["n_streams"] > 0].copy()
    if not len(fired):
        return {
            "most_common_gap_id": None,
            "most_common_gap_label": None,
            "most_common_gap_n_streams": 0,
        }
    keys, ascending = ["n_streams", "gap_id"], [False, True]
    if severity_ties:
        fired["_sev"] = fired["severity"].map(SEVERITY_ORDER)
        keys, ascending = ["n_streams", "_sev", "gap_id"], [False, True, True]
    top = fired.sort_values(keys, ascending=ascending, kind="stable").iloc[0]
    return {
        "most_common_gap_id": str(top["gap_id"]),
        "most_common_gap_label": str(top["label"]),
        "most_common_gap_n_streams": int(top["n_streams"]),
    }


def authority_key_figures(
    streams,
    gaps,
    summary,
    tools,
    levels,
    roadmap,
    authority,
    *,
    stages,
    status,
    objectives,
    inventory,
    flows,
) -> dict:
    """Key figures of one authority, from its internal tables (see ``docs/outputs/journeys.md``).

    ``streams`` :func:`~analysis.journeys.register.stream_summary`, ``gaps``
    :func:`~analysis.journeys.gap_rules.find_gaps`, ``summary``
    :func:`~analysis.journeys.gap_rules.gap_summary` (every rule), ``tools``
    :func:`~analysis.journeys.tools.tool_scores`, ``levels``
    :func:`~analysis.journeys.maturity.maturity_levels`, ``roadmap``
    :func:`~analysis.journeys.roadmap.authority_roadmap`, ``stages``
    :func:`~analysis.journeys.tools.stage_scores`, ``status``
    :func:`~analysis.journeys.triggers.action_status`, ``objectives``
    :func:`~analysis.journeys.objectives.check_objectives`, ``inventory``
    :func:`~analysis.journeys.inventory.systems_inventory`, ``flows``
    :func:`~analysis.journeys.inventory.stream_flows`.
    """
    kf = {"authority": authority}
    kf["n_streams"] = int(len(streams))
    kf["n_streams_reaching_decision"] = int(streams["reaches_decision"].sum())
    kf["n_stages_happening"] = int(streams["n_stages"].sum())
    kf["n_systems"] = int(len(tools))
    kf["n_gap_rules"] = int(summary["gap_id"].nunique())
    kf["n_gap_kinds_found"] = int((summary["n_streams"] > 0).sum())
    kf["n_gaps"] = int(len(gaps))
    for sev in SEVERITIES:
        kf[f"n_gaps_{sev}"] = int((gaps["severity"] == sev).sum())
    kf["n_streams_with_high_gap"] = int(gaps.loc[gaps["severity"] == "high", "stream_id"].nunique())
    kf.update(most_common_gap(summary, severity_ties=True))
    kf["gap_ids_found"] = sorted(summary.loc[summary["n_streams"] > 0, "gap_id"].astype(str))
    if len(tools):
        best = tools.sort_values("rank", kind="stable").iloc[0]
        kf["top_tool"] = str(best["system"])
        kf["top_tool_total"] = int(best["total"])
    else:
        kf["top_tool"], kf["top_tool_total"] = None, None
    for _, r in levels.iterrows():
        kf[f"maturity_level_{r['theme']}"] = None if pd.isna(r["level"]) else int(r["level"])
        kf[f"maturity_label_{r['theme']}"] = None if pd.isna(r["level_label"]) else r["level_label"]
    have = levels.dropna(subset=["level"])
    if len(have):
        low = int(have["level"].min())
        kf["maturity_lowest_level"] = low
        at_low = set(have.loc[have["level"] == low, "theme"])
        kf["maturity_lowest_themes"] = [str(t) for t in MATURITY_THEMES if t in at_low]
    else:
        kf["maturity_lowest_level"], kf["maturity_lowest_themes"] = None, []
    kf["n_actions"] = int(len(roadmap))
    kf["n_actions_triggered"] = int((roadmap["included_as"] == "trigger").sum())
    for phase, _, _ in PHASES:
        kf[f"n_actions_{phase}"] = int((roadmap["phase"] == phase).sum())
    kf["n_actions_beyond_horizon"] = int(roadmap["beyond_horizon"].astype(str).eq("True").sum())
    kf["roadmap_end_month"] = int(roadmap["end_month"].max()) if len(roadmap) else 0
    kf["actions_now"] = _action_labels(roadmap[roadmap["phase"] == "now"])
    funded = roadmap["funded"].astype(str).eq("True")
    kf["n_actions_existing_budgets"] = int((roadmap["funded_by"] == "existing_budgets").sum())
    kf["n_actions_unfunded"] = int((~funded).sum())
    kf["actions_unfunded"] = _action_labels(roadmap[~funded])
    kf.update(_tool_figures(tools, stages, inventory, flows))
    kf.update(_evidence_figures(status, roadmap))
    kf.update(_objective_figures(objectives))
    return kf


def key_figures_of(typed: dict, authority: str) -> dict:
    """:func:`authority_key_figures` from the authority's internal tables by name (as
    :func:`analysis.journeys.tables.read_tables` returns them)."""
    t = typed
    return authority_key_figures(
        t["streams"],
        t["gaps"],
        t["gap_summary"],
        t["tool_scores"],
        t["levels"],
        t["roadmap"],
        authority,
        stages=t["stage_scores"],
        status=t["action_status"],
        objectives=t["objectives_check"],
        inventory=t["systems_inventory"],
        flows=t["stream_flows"],
    )


def _tool_figures(tools, stages, inventory, flows) -> dict:
    """Tools and stages ranked, the systems inventory and stream volumes."""
    kf = {"tools_ranked": [str(s) for s in tools.sort_values("rank", kind="stable")["system"]]}
    if len(stages):
        best = stages.sort_values("rank", kind="stable").iloc[0]
        kf["top_stage"], kf["top_stage_total"] = str(best["stage"]), int(best["total"])
    else:
        kf["top_stage"], kf["top_stage_total"] = None, None
    kf["n_systems_rekeyed"] = int((inventory["n_stages_rekeyed"].astype(int) > 0).sum())
    kf["n_systems_unsecured"] = int((inventory["n_stages_no_security"].astype(int) > 0).sum())
    kf["inventory_recorded"] = (
        bool(len(inventory)) and not (inventory["hosting"].astype(str) == NOT_RECORDED).any()
    )
    vol = pd.to_numeric(flows["volume_per_year"], errors="coerce").dropna()
    kf["volume_per_year_total"] = int(vol.sum()) if len(vol) else None
    return kf


def _evidence_figures(status, roadmap) -> dict:
    """Actions left off the roadmap as in place, and scheduled only as prerequisites."""
    placed = status[status["status"] == "in_place"]
    needed = placed["needed_by"].fillna("").astype(str) != ""
    return {
        "n_actions_in_place": int(len(placed)),
        "actions_in_place": _action_labels(placed),
        "n_prerequisites_in_place": int(needed.sum()),
        "n_actions_assumed_in_place": int((status["status"] == "assumed_in_place").sum()),
        "n_actions_dependency": int((roadmap["included_as"] == "dependency").sum()),
        "n_actions_no_evidence": int((status["status"] == "no_evidence").sum()),
        "n_actions_deferred": int((status["status"] == "deferred").sum()),
        "actions_deferred": _action_labels(status[status["status"] == "deferred"]),
    }


def _objective_figures(checks) -> dict:
    """Spending objectives the schedule meets, and those it does not."""
    return {
        "n_objectives": int(len(checks)),
        "n_objectives_met": int((checks["result"] == "met").sum()),
        "objectives_met": [str(x) for x in checks.loc[checks["result"] == "met", "objective_id"]],
        "objectives_not_met": [
            str(x) for x in checks.loc[checks["result"] == "not_met", "objective_id"]
        ],
    }


def programme_key_figures(
    streams,
    gap_summary,
    levels,
    authority_roadmaps,
    roadmap,
    action_need,
    authorities,
    *,
    action_status,
    objectives_check,
    tool_ranking,
    stage_ranking,
    systems_inventory=None,
    systems_summary=None,
) -> dict:
    """Key figures of the programme (see ``docs/outputs/journeys.md``).

    ``streams``, ``gap_summary``, ``levels``, ``authority_roadmaps`` and ``action_status`` are
    the authorities' tables stacked; ``roadmap`` the programme roadmap, ``action_need`` the
    action x council table, ``objectives_check`` the programme's objectives check (council
    rows and programme rows), ``tool_ranking`` and ``stage_ranking`` the programme's ranked
    tables, ``systems_summary`` the councils' systems summarised (with ``systems_inventory``,
    unused here) (:func:`analysis.journeys.assessment.programme_tables` returns these under
    these names); ``authorities`` the ids.
    """
    summary, roadmaps, programme, need = gap_summary, authority_roadmaps, roadmap, action_need
    kf = {"n_authorities": len(authorities)}
    kf["n_streams"] = int(len(streams))
    kf["n_gaps"] = int(summary["n_streams"].sum())
    for sev in SEVERITIES:
        kf[f"n_gaps_{sev}"] = int(summary.loc[summary["severity"] == sev, "n_streams"].sum())
    by_kind = summary[summary["n_streams"] > 0].groupby("gap_id", sort=True)["authority"].nunique()
    kf["gap_ids_in_all_authorities"] = sorted(
        str(g) for g, n in by_kind.items() if n == len(authorities)
    )
    tot = summary.groupby(["gap_id", "label"], sort=True)["n_streams"].sum().reset_index()
    kf.update(most_common_gap(tot, severity_ties=False))
    for theme in MATURITY_THEMES:
        lv = levels.loc[levels["theme"] == theme, "level"].dropna()
        kf[f"maturity_min_level_{theme}"] = int(lv.min()) if len(lv) else None
        kf[f"maturity_max_level_{theme}"] = int(lv.max()) if len(lv) else None
    kf["n_actions"] = int(len(programme))
    common = programme[programme["common_need"].astype(bool)]
    kf["n_actions_common_need"] = int(len(common))
    kf["actions_common_need"] = _action_labels(common)
    everywhere = need[need["n_authorities_triggered"] == len(authorities)]
    kf["n_actions_needed_by_all"] = int(len(everywhere))
    kf["actions_needed_by_all"] = _action_labels(everywhere)
    for phase, _, _ in PHASES:
        kf[f"n_actions_{phase}"] = int((programme["phase"] == phase).sum())
    for stage in LIFECYCLE_STAGES:
        kf[f"n_actions_{stage}"] = int((programme["lifecycle_stage"] == stage).sum())
    kf["roadmap_end_month"] = int(programme["end_month"].max()) if len(programme) else 0
    per_auth = roadmaps.groupby("authority")["action_id"].nunique()
    kf["n_actions_per_authority_min"] = int(per_auth.min()) if len(per_auth) else 0
    kf["n_actions_per_authority_max"] = int(per_auth.max()) if len(per_auth) else 0
    kf["n_actions_in_place_by_authority"] = {
        a: int(((action_status["authority"] == a) & (action_status["status"] == "in_place")).sum())
        for a in authorities
    }
    kf["n_systems"] = int(len(tool_ranking))
    rec = (
        systems_summary[systems_summary["recorded"].astype(str) == "True"]
        if systems_summary is not None
        else pd.DataFrame(columns=["authority", "recorded"])
    )
    kf["n_authorities_inventory_recorded"] = int(len(rec))
    for c in ("warehouse", "single_view", "automated_reporting"):
        has = rec[rec[f"has_{c}"].astype(str) == "True"] if len(rec) else rec
        kf[f"authorities_with_{c}"] = [str(a) for a in has["authority"]]
    kf["top_tool_by_authority"] = _top(tool_ranking, "system", authorities)
    kf["top_stage_by_authority"] = _top(stage_ranking, "stage", authorities)
    prog = objectives_check[objectives_check["authority"] == PROGRAMME]
    councils = objectives_check[objectives_check["authority"] != PROGRAMME]
    kf["n_objectives"] = int(len(prog))
    kf["n_objectives_met_all"] = int((prog["result"] == "met").sum())
    kf["objectives_not_met"] = [
        str(x) for x in prog.loc[prog["result"] == "not_met", "objective_id"]
    ]
    kf["objectives_n_authorities_met"] = {
        str(o): int((councils.loc[councils["objective_id"] == o, "result"] == "met").sum())
        for o in prog["objective_id"]
    }
    return kf


def _top(ranking, subject: str, authorities) -> dict:
    """``{authority: subject ranked 1 there}`` (None for a council with nothing ranked)."""
    top = ranking[ranking["rank"].astype(int) == 1].set_index("authority")[subject]
    return {a: (str(top[a]) if a in top.index else None) for a in authorities}
