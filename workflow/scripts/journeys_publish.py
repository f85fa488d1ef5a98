"""Publish one authority's journeys tables (controlled: analysis.journeys.publish), key figures
and its case study's figures: journey map, roadmap Gantt chart, tool scores."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

from analysis import journeys as j
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import read_yaml, run_script
from analysis.core.plotting import save_figure  # also selects the non-interactive backend
from analysis.journeys.figures import authority_figures

log = logging.getLogger("pipeline")


def main(smk):
    rule, authority = rule_from_config(smk.params.disclosure), smk.wildcards.authority
    inp, out = smk.input, smk.output
    text = {name: j.read_text_table(inp[name]) for name in j.PASS_THROUGH}  # bytes kept
    typed = j.read_tables(inp)
    tables = j.published_tables(text, typed, rule, smk.params.extra_patterns)
    for name, df in tables.items():
        counts = ["n", "n_agree"] if name == "survey_agreement" else []  # respondents
        write_published_csv(df, out[name], counts, rule)
    write_key_figures(j.key_figures_of(typed, authority), out.key_figures,
                      read_yaml(inp.kf_schema))  # fmt: skip
    journeys = j.journey_table(j.read_register(inp.register))
    figures = authority_figures(journeys, j.read_gaps(inp.gaps), j.read_roadmap(inp.roadmap),
                                authority, smk.params.name, j.read_tool_scores(inp.tool_scores))  # fmt: skip
    for name, (fig, alt) in figures:
        save_figure(fig, out[f"fig_{name}"], alt)  # closes the figure
    log.info("%s: published %d tables, key figures and 3 figures", authority, len(tables))


run_script(snakemake, main)
