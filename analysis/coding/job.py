"""One coding job, files in and files out: what the workflow script ``coding_tables.py`` runs.

:func:`run_coding` reads the ingested tables and the codebook, runs
:func:`analysis.coding.publish.analyse`, writes every table (published ones checked against the
disclosure rule as they are written), writes the key figures validated against their schema
(``analysis.core.contracts.write_key_figures``) and draws the figures from the *published*
files, so a chart can never show a count the tables did not publish.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.coding.agreement import ALPHA_TENTATIVE
from analysis.coding.cooccurrence import cooccurrence_matrix
from analysis.coding.publish import CodingResult, analyse
from analysis.coding.sheet import code_labels
from analysis.core.disclosure import DisclosureRule, rule_from_config, write_published_csv
from analysis.core.io import read_csv, read_yaml, write_csv

log = logging.getLogger("pipeline")

#: Columns of counts of text, published as they are; ``<NA>`` in them is a count suppressed
#: because it rests on a small group of participants (``analysis.coding.scope``).
TEXT_COUNT_COLUMNS = ("n_excerpts", "n_sessions", "n_present", "n_applied", "total")
#: Published tables drawn as figures; the figure outputs are named ``fig_<name>``.
FIGURES = ("frequencies", "cooccurrence", "agreement")


def read_tables(paths: Sequence) -> pd.DataFrame:
    """Ingested tables as text (no 'NA'-style guessing: ids and codes stay as written)."""
    frames = [read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    return pd.concat(frames, ignore_index=True)


def read_published(path, count_cols: Sequence[str], marker: str) -> pd.DataFrame:
    """A published table: text as written, the suppression marker back to missing (Int64)."""
    df = read_csv(
        path, dtype=str, keep_default_na=False, na_values={c: [marker] for c in count_cols}
    )
    for col in count_cols:
        df[col] = df[col].astype("Float64").astype("Int64")
    return df


def draw_figures(
    published_paths: Mapping, figure_paths: Mapping, codebook: dict, rule: DisclosureRule, title
) -> None:
    """Code frequency bars, co-occurrence heatmap and agreement per code, drawn from the
    PUBLISHED (controlled) files only. ``published_paths`` holds the paths of the published
    ``frequencies``, ``cooccurrence`` and ``agreement`` tables; ``figure_paths`` the PNG paths
    under the same keys."""
    from analysis.coding import figures as F

    labels = code_labels(codebook)
    freq = read_published(published_paths["frequencies"], ["n_excerpts"], rule.marker)
    # excerpts per code and per code pair are counts of text (analysis.coding.scope)
    F.code_frequency_figure(freq, figure_paths["frequencies"], rule, title=title, text=True)

    cooc = read_published(published_paths["cooccurrence"], ["n_excerpts"], rule.marker)
    matrix = cooccurrence_matrix(cooc[["code_a", "code_b", "n_excerpts"]])
    F.cooccurrence_heatmap(
        matrix, figure_paths["cooccurrence"], rule, labels=labels, title=title, text=True
    )

    agreement = read_published(
        published_paths["agreement"], ["n_excerpts", "n_present"], rule.marker
    )
    for col in ("percent_agreement", "kappa", "alpha"):
        agreement[col] = agreement[col].replace("", None).astype("float64")
    for col in ("alpha_band", "reason"):
        agreement[col] = agreement[col].replace("", None)
    F.agreement_figure(agreement, figure_paths["agreement"], label_col="label", title=title)


def write_outputs(
    result: CodingResult, outputs: Mapping, rule: DisclosureRule, kf_schema: dict
) -> None:
    """Write every table to the output of the same name (Snakemake's outputs or a dict);
    published tables are checked against the disclosure rule as they are written, the key
    figures against ``kf_schema``."""
    from analysis.core.contracts import write_key_figures

    for name, df in result.internal.items():
        write_csv(df, outputs[name])
    for name, (df, count_cols) in result.published.items():
        text = [c for c in TEXT_COUNT_COLUMNS if c in df.columns and c not in count_cols]
        write_published_csv(df, outputs[name], count_cols, rule, text_count_cols=text)
    write_key_figures(result.key_figures, outputs["key_figures"], kf_schema)


def run_coding(
    *,
    coding: Sequence,
    excerpts: Sequence,
    codebook: str,
    kf_schema: str,
    outputs: Mapping,
    disclosure: dict,
    scope: str,
    title: str,
    extra_patterns: Sequence = (),
    quotes_per_code: int = 5,
    leading_top_n: int = 3,
    swot_quotes: int = 2,
    authority_names: Mapping | None = None,
) -> CodingResult:
    """The whole coding job of one scope (an authority id, or ``programme`` to pool them).

    ``coding`` / ``excerpts``: paths of the ingested tables; ``codebook``, ``kf_schema``: the
    codebook and key-figures schema files; ``outputs``: output name -> path (internal and
    published tables, ``key_figures``, and, to draw the figures, ``fig_<name>`` for each of
    :data:`FIGURES`, the alt text written next to each PNG). Returns what :func:`analysis.coding.publish.analyse`
    returned.
    """
    rule = rule_from_config(disclosure)
    book = read_yaml(codebook)
    result = analyse(
        read_tables(coding),
        read_tables(excerpts),
        book,
        rule,
        scope,
        extra_patterns=list(extra_patterns),
        quotes_per_code=quotes_per_code,
        leading_top_n=leading_top_n,
        swot_quotes=swot_quotes,
        authority_names=dict(authority_names or {}),
    )
    write_outputs(result, outputs, rule, read_yaml(kf_schema))
    if any(f"fig_{k}" in outputs.keys() for k in FIGURES):  # the programme's: see coding.smk
        draw_figures(
            {k: outputs[k] for k in FIGURES},
            {k: outputs[f"fig_{k}"] for k in FIGURES},
            book,
            rule,
            title,
        )
    log.info(
        "%s: %d codes below alpha %.3f",
        scope,
        len(result.key_figures["codes_below_threshold"]),
        ALPHA_TENTATIVE,
    )
    return result
