"""Programme level: gaps, maturity, consolidated roadmap, action status, spending objectives,
ranked tools and stages, systems inventory (analysis.journeys.programme_tables)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis import journeys as j
from analysis.core.contracts import write_key_figures
from analysis.core.disclosure import rule_from_config, write_published_csv
from analysis.core.io import log, read_yaml, run_script, write_csv


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    authorities, inp = list(smk.params.authorities), smk.input
    t = j.read_tables(inp, smk.params.stacked, stacked=True)
    tables = j.programme_tables(
        t["gap_summary"],
        t["levels"],
        t["roadmap"],
        j.read_roadmap_actions(inp.actions),
        authorities,
        status=t["action_status"],
        objectives_check=t["objectives_check"],
        tools=(t["tool_scores"], t["tool_swot"]),
        stages=(t["stage_scores"], t["stage_swot"]),
        marker=rule.marker,  # excerpt counts come controlled from the coding stage
        names=dict(smk.params.names),
        inventory=t["systems_inventory"],
    )
    for name, df in tables.items():
        write_csv(df, smk.output[name])  # counts of streams, actions, systems: not of people
        write_published_csv(df, smk.output["pub_" + name], [], rule)
    kf = j.programme_key_figures(t["streams"], authorities=authorities, **tables)
    write_key_figures(kf, smk.output.key_figures, read_yaml(inp.kf_schema))
    log.info("programme: %d actions, %d common", kf["n_actions"], kf["n_actions_common_need"])


run_script(snakemake, main)
