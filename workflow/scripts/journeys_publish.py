"""Publish one authority's journeys outputs: controlled tables and key figures for the reports.

Counts of data streams, stages, systems and indicators are not counts of people and are
published as they are. Counts of people (survey respondents) or of workshop excerpts go
through analysis.core.disclosure: survey agreement is controlled here; the excerpt counts in the
tool SWOT come from the coding stage's published table and are checked again here.
"""

import logging

import numpy as np
import pandas as pd

from analysis import journeys as jm
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import check_controlled, rule_from_config, write_published_csv
from analysis.core.io import read_csv, read_yaml, run_script
from analysis.journeys.roadmap import PHASES

log = logging.getLogger("pipeline")

# copied unchanged from internal/ (no counts of people in them)
PASS_THROUGH = ("journeys", "streams", "gaps", "gap_summary", "tool_scores", "levels", "roadmap")


def _text(path):
    return read_csv(path, dtype=str, keep_default_na=False)


def _none_if_na(x):
    return None if pd.isna(x) else x


def key_figures(streams, gaps, summary, tools, levels, roadmap, authority):
    """The numbers and short strings the case-study prose needs (see docs/outputs/journeys.md)."""
    kf = {"authority": authority}
    kf["n_streams"] = int(len(streams))
    kf["n_streams_reaching_decision"] = int(streams["reaches_decision"].sum())
    kf["n_stages_happening"] = int(streams["n_stages"].sum())
    kf["n_systems"] = int(len(tools))
    kf["n_gap_rules"] = int(summary["gap_id"].nunique())
    kf["n_gap_kinds_found"] = int((summary["n_streams"] > 0).sum())
    kf["n_gaps"] = int(len(gaps))
    for sev in jm.SEVERITIES:
        kf[f"n_gaps_{sev}"] = int((gaps["severity"] == sev).sum())
    kf["n_streams_with_high_gap"] = int(gaps.loc[gaps["severity"] == "high", "stream_id"].nunique())
    fired = summary[summary["n_streams"] > 0].copy()
    if len(fired):
        fired["_sev"] = fired["severity"].map({s: i for i, s in enumerate(jm.SEVERITIES)})
        top = fired.sort_values(
            ["n_streams", "_sev", "gap_id"], ascending=[False, True, True], kind="stable"
        ).iloc[0]
        kf["most_common_gap_id"] = str(top["gap_id"])
        kf["most_common_gap_label"] = str(top["label"])
        kf["most_common_gap_n_streams"] = int(top["n_streams"])
    else:
        kf["most_common_gap_id"] = kf["most_common_gap_label"] = None
        kf["most_common_gap_n_streams"] = 0
    kf["gap_ids_found"] = sorted(fired["gap_id"].astype(str))
    if len(tools):
        best = tools.sort_values("rank", kind="stable").iloc[0]
        kf["top_tool"] = str(best["system"])
        kf["top_tool_total"] = int(best["total"])
    else:
        kf["top_tool"], kf["top_tool_total"] = None, None
    for _, r in levels.iterrows():
        kf[f"maturity_level_{r['theme']}"] = None if pd.isna(r["level"]) else int(r["level"])
        kf[f"maturity_label_{r['theme']}"] = _none_if_na(r["level_label"])
    have = levels.dropna(subset=["level"])
    if len(have):
        low = int(have["level"].min())
        kf["maturity_lowest_level"] = low
        kf["maturity_lowest_themes"] = [
            str(t) for t in jm.MATURITY_THEMES if t in set(have.loc[have["level"] == low, "theme"])
        ]
    else:
        kf["maturity_lowest_level"], kf["maturity_lowest_themes"] = None, []
    kf["n_actions"] = int(len(roadmap))
    kf["n_actions_triggered"] = int((roadmap["included_as"] == "trigger").sum())
    for phase, _, _ in PHASES:
        kf[f"n_actions_{phase}"] = int((roadmap["phase"] == phase).sum())
    kf["n_actions_beyond_horizon"] = int(roadmap["beyond_horizon"].astype(str).eq("True").sum())
    kf["roadmap_end_month"] = int(roadmap["end_month"].max()) if len(roadmap) else 0
    kf["actions_now"] = [
        f"{r.action_id} {r.title}" for r in roadmap[roadmap["phase"] == "now"].itertuples()
    ]
    return kf


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    for name in PASS_THROUGH:
        write_published_csv(_text(getattr(smk.input, name)), getattr(smk.output, name), [], rule)

    # tool SWOT: stream/stage counts as they are; excerpt counts must already be controlled
    swot = read_csv(smk.input.tool_swot, dtype={"count": "Int64"})
    coded = swot["count_of"] == "excerpts"
    check_controlled(swot[coded], ["count"], rule, where="tool_swot.csv (excerpt counts)")
    shown = swot["count"].astype("string").astype(object)
    swot["count"] = shown.where(~(coded & swot["count"].isna()), rule.marker)
    write_published_csv(swot, smk.output.tool_swot, [], rule)

    # survey agreement: respondents, so controlled; percentages from the rounded counts
    agreement = jm.controlled_construct_agreement(read_csv(smk.input.survey_agreement), rule)
    agreement["pct_agree"] = agreement["pct_agree"].round(1)
    write_published_csv(agreement, smk.output.survey_agreement, ["n", "n_agree"], rule)

    # maturity indicators: hide a percentage that rests on a suppressed count
    ind = read_csv(smk.input.indicators, dtype={"argument": str}, keep_default_na=True)
    ind["argument"] = ind["argument"].fillna("")
    hide = ind["value_basis"] == "unrounded"
    ind["value"] = ind["value"].where(~hide, np.nan).round(1)
    ind["value_basis"] = ind["value_basis"].where(~hide, "suppressed")
    ind["level"] = ind["level"].astype("Int64")
    write_published_csv(ind, smk.output.indicators, [], rule)

    streams = read_csv(smk.input.streams)
    gaps = read_csv(smk.input.gaps, dtype=str, keep_default_na=False)
    summary = read_csv(smk.input.gap_summary, dtype={"gap_id": str, "label": str})
    tools = read_csv(smk.input.tool_scores, dtype={"system": str})
    levels = read_csv(smk.input.levels, dtype={"theme": str, "level_label": str})
    roadmap = read_csv(smk.input.roadmap, dtype={"action_id": str, "title": str, "phase": str})
    kf = key_figures(streams, gaps, summary, tools, levels, roadmap, smk.wildcards.authority)
    write_key_figures(kf, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info("%s: published %d tables and key figures", smk.wildcards.authority, 10)


run_script(snakemake, main)
