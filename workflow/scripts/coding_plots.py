"""Figures of the coding analysis, drawn from the PUBLISHED (controlled) tables only.

Code frequency bars, the co-occurrence heatmap and Krippendorff's alpha per code (with the
0.667 and 0.800 lines), each saved as PNG + ``.alt.txt`` by ``analysis.coding_figures``.
"""

import logging

from analysis import coding as C
from analysis import coding_figures as F
from analysis.disclosure import rule_from_config
from analysis.io import read_csv, read_yaml, run_script

log = logging.getLogger("pipeline")


def read_published(path, count_cols, marker):
    """A published table: text as written, the suppression marker back to missing (Int64)."""
    df = read_csv(
        path, dtype=str, keep_default_na=False, na_values={c: [marker] for c in count_cols}
    )
    for col in count_cols:
        df[col] = df[col].astype("Float64").astype("Int64")
    return df


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    title = smk.params.title
    book = C.codebook_table(read_yaml(smk.input.codebook))
    labels = dict(zip(book["code"], book["label"], strict=True))

    freq = read_published(smk.input.frequencies, ["n_excerpts"], rule.marker)
    F.code_frequency_figure(freq, smk.output.frequencies, rule, title=title)

    cooc = read_published(smk.input.cooccurrence, ["n_excerpts"], rule.marker)
    matrix = C.cooccurrence_matrix(cooc[["code_a", "code_b", "n_excerpts"]])
    F.cooccurrence_heatmap(matrix, smk.output.cooccurrence, rule, labels=labels, title=title)

    agreement = read_published(smk.input.agreement, ["n_excerpts", "n_present"], rule.marker)
    for col in ("percent_agreement", "kappa", "alpha"):
        agreement[col] = agreement[col].replace("", None).astype("float64")
    for col in ("alpha_band", "reason"):
        agreement[col] = agreement[col].replace("", None)
    F.agreement_figure(agreement, smk.output.agreement, label_col="label", title=title)
    log.info("%s: three coding figures drawn", title)


run_script(snakemake, main)
