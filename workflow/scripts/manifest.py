"""Record every input (path, authority, kind, size, SHA-256) and the code version.

The manifest is written only after every input of the run has passed ingest and the inputs
agree with each other (analysis.ingest.cross_checks), and every analysis rule waits for it: it
is the gate that keeps a bad input from publishing anything.
"""

from analysis.core.warm import offload

offload()  # run in the warm worker when one is up (analysis.core.warm)
from analysis.core.io import read_csv, read_yaml, run_script, write_csv
from analysis.core.problems import InputError
from analysis.core.tables import read_xlsx_table
from analysis.ingest import manifest, realisation_problems


def main(smk):
    entries = [tuple(e) for e in smk.params.entries]
    paths = {a: p for p, a, kind in entries if kind == "costs"}
    benefits = {
        a: (paths[a], read_csv(b, dtype=str), read_xlsx_table(paths[a], "Benefits").file_rows)
        for a, b in zip(smk.params.authorities, smk.input.benefits, strict=True)
    }
    case = read_yaml(smk.input.business_case)
    case_file = next(p for p, _, kind in entries if kind == "business_case")
    problems = realisation_problems(case["benefits"]["realisation"], benefits, case_file)
    if problems:
        raise InputError(problems)
    write_csv(manifest(entries, dict(smk.params.version)), smk.output[0])


run_script(snakemake, main)
