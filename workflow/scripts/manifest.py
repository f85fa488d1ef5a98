"""Record every input (path, authority, kind, size, SHA-256) and the code version.

The manifest is written only after every input of the run has passed ingest, and every
analysis rule waits for it: it is the gate that keeps a bad input from publishing anything.
"""

from analysis.core.io import run_script, write_csv
from analysis.ingest import manifest


def main(smk):
    entries = [tuple(e) for e in smk.params.entries]
    write_csv(manifest(entries, dict(smk.params.version)), smk.output[0])


run_script(snakemake, main)
