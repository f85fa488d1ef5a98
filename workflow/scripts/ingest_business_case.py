"""Validate the programme's business-case input (thin adapter over analysis.ingest)."""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
import logging

import pandas as pd

from analysis.core.io import read_yaml, run_script, write_yaml
from analysis.ingest import ingest_business_case

log = logging.getLogger("pipeline")


def main(smk):
    actions = pd.read_csv(smk.input.actions, dtype=str, keep_default_na=False)
    case = ingest_business_case(
        smk.input.data,
        read_yaml(smk.input.schema),
        set(actions["action_id"]),
        extra_patterns=list(smk.params.extra_patterns),
        authority_ids=set(smk.params.authority_ids),
        gap_ids=set(pd.read_csv(smk.input.gap_rules, dtype=str)["gap_id"]),
        code_ids={c["id"] for c in read_yaml(smk.input.codebook)["codes"]},
        item_ids={i["id"] for i in read_yaml(smk.input.questionnaire)["items"]},
    )
    write_yaml(case, smk.output[0])
    log.info("%s: %d spending objectives", smk.input.data, len(case["spending_objectives"]))


run_script(snakemake, main)
