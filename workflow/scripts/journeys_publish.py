"""Publish one authority's journeys tables (controlled: analysis.journeys.publish) and key figures."""

import logging

from analysis import journeys as j
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script

log = logging.getLogger("pipeline")


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    inp, out = smk.input, smk.output
    tables = {name: j.read_text_table(inp[name]) for name in j.PASS_THROUGH}
    agreement = j.read_survey_agreement(inp.survey_agreement)
    tables["tool_swot"] = j.published_tool_swot(j.read_tool_swot(inp.tool_swot), rule)
    tables["survey_agreement"] = j.published_survey_agreement(agreement, rule)
    tables["indicators"] = j.published_indicators(j.read_indicators(inp.indicators))
    for name, df in tables.items():
        counts = ["n", "n_agree"] if name == "survey_agreement" else []  # respondents
        write_published_csv(df, out[name], counts, rule)

    kf = j.authority_key_figures(
        j.read_streams(inp.streams),
        j.read_gaps(inp.gaps),
        j.read_gap_summary(inp.gap_summary),
        j.read_tool_scores(inp.tool_scores),
        j.read_levels(inp.levels),
        j.read_roadmap(inp.roadmap),
        smk.wildcards.authority,
    )
    write_key_figures(kf, out.key_figures, read_yaml(inp.kf_schema))
    log.info("%s: published %d tables and key figures", smk.wildcards.authority, len(tables))


run_script(snakemake, main)
