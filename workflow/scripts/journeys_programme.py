"""Programme level: gaps and maturity across authorities, and the consolidated roadmap.

The programme roadmap consolidates the authorities' roadmaps (analysis.journeys.roadmap.
programme_roadmap): an action triggered in two or more councils is proven practice; actions
are organised by the collect -> collate -> mine -> analyse chain.
"""

import logging

import pandas as pd

from analysis import journeys as jm
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_csv, read_yaml, run_script, write_csv
from analysis.journeys import roadmap as rm

log = logging.getLogger("pipeline")


def _concat(paths, **kwargs):
    return pd.concat([read_csv(p, **kwargs) for p in paths], ignore_index=True)


def action_need(roadmaps, actions, authorities):
    """Action x authority: how each council needs each action (trigger, dependency or '')."""
    a = rm.parse_roadmap_actions(actions)
    rows = []
    for r in a.itertuples():
        row = {"action_id": r.action_id, "title": r.title, "lifecycle_stage": r.lifecycle_stage}
        n = 0
        for auth in authorities:
            hit = roadmaps[(roadmaps["authority"] == auth) & (roadmaps["action_id"] == r.action_id)]
            how = str(hit["included_as"].iloc[0]) if len(hit) else ""
            row[auth] = how
            n += how == "trigger"
        row["n_authorities_triggered"] = n
        row["n_authorities_any"] = sum(bool(row[auth]) for auth in authorities)
        rows.append(row)
    return pd.DataFrame(rows)


def key_figures(streams, summary, levels, roadmaps, programme, need, authorities):
    """Numbers for the programme roadmap and final report (see docs/outputs/journeys.md)."""
    kf = {"n_authorities": len(authorities)}
    kf["n_streams"] = int(len(streams))
    kf["n_gaps"] = int(summary["n_streams"].sum())
    for sev in jm.SEVERITIES:
        kf[f"n_gaps_{sev}"] = int(summary.loc[summary["severity"] == sev, "n_streams"].sum())
    by_kind = summary[summary["n_streams"] > 0].groupby("gap_id", sort=True)["authority"].nunique()
    kf["gap_ids_in_all_authorities"] = sorted(
        str(g) for g, n in by_kind.items() if n == len(authorities)
    )
    tot = summary.groupby(["gap_id", "label"], sort=True)["n_streams"].sum().reset_index()
    if len(tot) and tot["n_streams"].max() > 0:
        top = tot.sort_values(["n_streams", "gap_id"], ascending=[False, True]).iloc[0]
        kf["most_common_gap_id"] = str(top["gap_id"])
        kf["most_common_gap_label"] = str(top["label"])
        kf["most_common_gap_n_streams"] = int(top["n_streams"])
    else:
        kf["most_common_gap_id"] = kf["most_common_gap_label"] = None
        kf["most_common_gap_n_streams"] = 0
    for theme in jm.MATURITY_THEMES:
        lv = levels.loc[levels["theme"] == theme, "level"].dropna()
        kf[f"maturity_min_level_{theme}"] = int(lv.min()) if len(lv) else None
        kf[f"maturity_max_level_{theme}"] = int(lv.max()) if len(lv) else None
    kf["n_actions"] = int(len(programme))
    proven = programme[programme["proven_practice"].astype(bool)]
    kf["n_actions_proven_practice"] = int(len(proven))
    kf["actions_proven_practice"] = [f"{r.action_id} {r.title}" for r in proven.itertuples()]
    everywhere = need[need["n_authorities_triggered"] == len(authorities)]
    kf["n_actions_needed_by_all"] = int(len(everywhere))
    kf["actions_needed_by_all"] = [f"{r.action_id} {r.title}" for r in everywhere.itertuples()]
    for phase, _, _ in rm.PHASES:
        kf[f"n_actions_{phase}"] = int((programme["phase"] == phase).sum())
    for stage in rm.LIFECYCLE_STAGES:
        kf[f"n_actions_{stage}"] = int((programme["lifecycle_stage"] == stage).sum())
    kf["roadmap_end_month"] = int(programme["end_month"].max()) if len(programme) else 0
    per_auth = roadmaps.groupby("authority")["action_id"].nunique()
    kf["n_actions_per_authority_min"] = int(per_auth.min()) if len(per_auth) else 0
    kf["n_actions_per_authority_max"] = int(per_auth.max()) if len(per_auth) else 0
    return kf


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    authorities = list(smk.params.authorities)
    streams = _concat(smk.input.streams)
    summary = _concat(smk.input.gap_summary, dtype={"gap_id": str, "label": str})
    levels = _concat(smk.input.levels, dtype={"authority": str, "theme": str})
    levels["level"] = levels["level"].astype("Int64")
    roadmaps = _concat(smk.input.roadmaps, dtype={"authority": str, "action_id": str})
    actions = rm.read_roadmap_actions(smk.input.actions)
    programme = rm.programme_roadmap(roadmaps, actions)
    need = action_need(roadmaps, actions, authorities)

    tables = {
        "gap_summary": summary,
        "levels": levels,
        "authority_roadmaps": roadmaps,
        "roadmap": programme,
        "action_need": need,
    }
    for name, df in tables.items():
        write_csv(df, getattr(smk.output, name))
        # counts of streams, councils and actions: not counts of people
        write_published_csv(df, getattr(smk.output, "pub_" + name), [], rule)
    kf = key_figures(streams, summary, levels, roadmaps, programme, need, authorities)
    write_key_figures(kf, smk.output.key_figures, read_yaml(smk.input.kf_schema))
    log.info(
        "programme: %d actions, %d proven practice", len(programme), kf["n_actions_proven_practice"]
    )


run_script(snakemake, main)
