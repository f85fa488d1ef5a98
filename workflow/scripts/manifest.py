"""Record path, authority, kind, size and SHA-256 of every input."""

from analysis.core.io import run_script, write_csv
from analysis.ingest import manifest


def main(smk):
    write_csv(manifest([tuple(e) for e in smk.params.entries]), smk.output[0])


run_script(snakemake, main)
