"""Publishing the coding analysis: raw tables, their disclosure-controlled versions, key
figures and figures, for one authority or for the programme (all authorities pooled).

Kept in ``analysis`` (not in the workflow script) so the workflow stays a thin adapter and
this logic is importable and testable. Statistics come from the concept modules of :mod:`analysis.coding`; control
from :mod:`analysis.core.disclosure`. Every published file and column is documented in
``docs/outputs/coding.md``.

One count, one published value: the excerpts per code are published in several tables
(frequencies, leading codes, SWOT evidence, the co-occurrence diagonal). They all take the
``total`` column of the code x participant-role table, which is controlled *with secondary
suppression* (its row total is published next to the role cells), so no table publishes a
per-code count that another table suppressed to protect a role cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

import analysis.coding as C
from analysis.core.disclosure import (
    DisclosureRule,
    control_counts,
    control_crosstab,
    write_published_csv,
)
from analysis.core.io import read_csv, write_csv, write_yaml


@dataclass
class CodingResult:
    """Raw tables, controlled tables with their count columns, and key figures."""

    internal: dict = field(default_factory=dict)
    published: dict = field(default_factory=dict)
    key_figures: dict = field(default_factory=dict)


PROGRAMME = "programme"
DECIMALS = 3  # agreement statistics are published to three decimals


def read_tables(paths):
    """Ingested tables as text (no 'NA'-style guessing: ids and codes stay as written)."""
    frames = [read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    return pd.concat(frames, ignore_index=True)


def pool(df):
    """One 'programme' group: ids prefixed with their authority so they stay unique."""
    out = df.copy()
    for col in ("excerpt_id", "session_id"):
        out[col] = out["authority"] + ":" + out[col]
    out["authority"] = PROGRAMME
    return out


def role_crosstab(freq_long, unit, order, rule):
    """Raw and controlled (margins, secondary suppression) ``unit`` x role tables."""
    wide = freq_long.pivot(index=unit, columns="participant_role", values="n_excerpts")
    wide = wide.reindex(index=order).fillna(0).astype("int64")
    wide = wide.reindex(columns=sorted(wide.columns))
    return wide, control_crosstab(wide, rule, margins=True)


def wide_to_csv_frame(wide, unit, labels=None):
    out = wide.copy()
    out.index.name = unit
    out.columns.name = None
    out = out.reset_index()
    if labels is not None:
        out.insert(1, "label", out[unit].map(labels).astype("string"))
    return out


def controlled_int(n, rule):
    value = control_counts(pd.Series([int(n)]), rule).iloc[0]
    return None if pd.isna(value) else int(value)


def stat(value):
    return None if pd.isna(value) else round(float(value), DECIMALS)


def labels_where(rows, mask, labels):
    return [labels.get(c, c) for c in rows.loc[mask, "code"]]


def controlled_agreement(agreement, labels, rule):
    """Agreement statistics as they are (three decimals); the columns counting excerpts or
    codings controlled; the number of coders (a count of people) left out."""
    pub = agreement.drop(columns=["n_coders"])
    pub.insert(pub.columns.get_loc("code") + 1, "label", pub["code"].map(labels).astype("string"))
    pub = C.control_count_columns(pub, rule, ("n_excerpts", "n_present"))
    for col in ("percent_agreement", "kappa", "alpha"):
        pub[col] = pub[col].round(DECIMALS)
    return pub, ["n_excerpts", "n_present"]


def agreement_figures(agreement, labels, prefix=""):
    """Key figures of one group's agreement table (code rows + the overall row)."""
    codes = agreement[agreement["scope"] == "code"]
    overall = agreement[agreement["scope"] == "overall"].iloc[0]
    band = codes["alpha_band"]
    return {
        f"{prefix}alpha_overall": stat(overall["alpha"]),
        f"{prefix}alpha_overall_band": None
        if pd.isna(overall["alpha_band"])
        else str(overall["alpha_band"]),
        f"{prefix}kappa_overall": stat(overall["kappa"]),
        f"{prefix}kappa_overall_band": None
        if pd.isna(overall["kappa_band"])
        else str(overall["kappa_band"]),
        f"{prefix}percent_agreement_overall": stat(overall["percent_agreement"]),
        f"{prefix}codes_below_threshold": labels_where(
            codes, band.eq("not reliable").fillna(False), labels
        ),
        f"{prefix}codes_below_threshold_ids": codes.loc[
            band.eq("not reliable").fillna(False), "code"
        ].tolist(),
        f"{prefix}codes_tentative": labels_where(codes, band.eq("tentative").fillna(False), labels),
        f"{prefix}codes_reliable": labels_where(codes, band.eq("reliable").fillna(False), labels),
        f"{prefix}codes_alpha_undefined": labels_where(codes, codes["alpha"].isna(), labels),
    }


def analyse(
    coding: pd.DataFrame,
    excerpts: pd.DataFrame,
    codebook: dict,
    rule: DisclosureRule,
    scope: str,
    *,
    extra_patterns=(),
    quotes_per_code: int = 5,
    leading_top_n: int = 3,
    swot_quotes: int = 2,
    authority_names: dict | None = None,
) -> CodingResult:
    """All coding tables of one authority (``scope`` = its id) or of the programme (pooled).

    Returns the raw tables (internal), the controlled tables with their count columns
    (published) and the key figures. Nothing is written here.
    """
    book = C.codebook_table(codebook)
    codes = book["code"].tolist()
    labels = dict(zip(book["code"], book["label"], strict=True))
    rqs = book["research_question"].dropna().drop_duplicates().tolist()
    extra = list(extra_patterns)
    internal: dict[str, pd.DataFrame] = {}
    published: dict[str, tuple[pd.DataFrame, list[str]]] = {}
    by_authority = None
    if scope == PROGRAMME:
        by_authority = C.intercoder_agreement(coding, codes, by=["authority"])
        coding, excerpts = pool(coding), pool(excerpts)
    elif set(coding["authority"]) - {scope} or set(excerpts["authority"]) - {scope}:
        raise ValueError(f"coding tables of {scope}: rows of another authority found")

    # ---- raw (internal) ---------------------------------------------------------------------
    consensus = C.consensus_coding(coding)
    freq_code = C.code_frequencies(consensus, codebook, by=["authority"])
    freq_code_role = C.code_frequencies(consensus, codebook, by=["authority", "participant_role"])
    freq_rq = C.code_frequencies(consensus, codebook, by=["authority"], unit="research_question")
    freq_rq_role = C.code_frequencies(
        consensus, codebook, by=["authority", "participant_role"], unit="research_question"
    )
    code_role_raw, code_role = role_crosstab(freq_code_role, "code", codes, rule)
    rq_role_raw, rq_role = role_crosstab(freq_rq_role, "research_question", rqs, rule)
    cooc = C.code_cooccurrence(consensus, codes)
    agreement = C.intercoder_agreement(coding, codes)
    screen = C.screen_quotes(excerpts, extra_patterns=extra)
    quotes = C.quote_bank(excerpts, consensus, codebook, extra_patterns=extra)
    if scope == PROGRAMME:  # say which council a pooled quote comes from
        source = quotes["excerpt_id"].str.split(":", n=1).str[0]
        names = dict(authority_names or {})
        quotes["attribution"] = quotes["attribution"] + ", " + source.map(names).fillna(source)
    swot_raw = C.swot_evidence(consensus, codebook)

    internal["consensus"] = consensus
    internal["frequencies_raw"] = pd.concat(
        [
            freq_code_role.assign(level="participant_role"),
            freq_code.assign(participant_role=pd.NA, level="authority"),
        ]
    )
    internal["rq_frequencies_raw"] = pd.concat(
        [
            freq_rq_role.assign(level="participant_role"),
            freq_rq.assign(participant_role=pd.NA, level="authority"),
        ]
    )
    internal["code_by_role_raw"] = wide_to_csv_frame(code_role_raw, "code", labels)
    internal["rq_by_role_raw"] = wide_to_csv_frame(rq_role_raw, "research_question")
    internal["cooccurrence_raw"] = cooc
    internal["agreement_raw"] = agreement
    internal["quote_screen"] = screen
    internal["quote_bank_raw"] = quotes
    internal["swot_raw"] = swot_raw

    # ---- controlled (published) -------------------------------------------------------------
    code_total = code_role["total"].drop(index="total")  # per-code excerpts, one value everywhere
    freq_pub = freq_code.copy()
    freq_pub["n_excerpts"] = freq_pub["code"].map(code_total).astype("Int64")
    freq_pub["n_sessions"] = control_counts(freq_pub["n_sessions"], rule)
    published["frequencies"] = (freq_pub, ["n_excerpts", "n_sessions"])

    published["code_by_role"] = (
        wide_to_csv_frame(code_role, "code", labels),
        list(code_role.columns),
    )
    published["rq_by_role"] = (
        wide_to_csv_frame(rq_role, "research_question"),
        list(rq_role.columns),
    )

    cooc_pub = C.controlled_cooccurrence(cooc, rule)
    diagonal = cooc_pub["code_a"] == cooc_pub["code_b"]
    cooc_pub.loc[diagonal, "n_excerpts"] = cooc_pub.loc[diagonal, "code_a"].map(code_total)
    published["cooccurrence"] = (cooc_pub, ["n_excerpts"])
    published["agreement"] = controlled_agreement(agreement, labels, rule)

    per_code = quotes[quotes["rank"] <= quotes_per_code]
    published["quote_bank"] = (per_code[list(C.QUOTE_PUBLIC_COLUMNS)], [])

    leading = C.leading_codes(
        consensus,
        codebook,
        rule,
        quotes=quotes,
        top_n=leading_top_n,
        frequencies=freq_pub,
    )
    published["leading_codes"] = (leading, ["n_excerpts", "n_sessions"])

    swot = C.controlled_swot_evidence(swot_raw, rule)
    swot["n_excerpts"] = swot["code"].map(code_total).astype("Int64")
    published["swot_evidence"] = (swot, ["n_excerpts", "n_sessions"])
    published["swot_quotes"] = (C.swot_quotes(per_code, n_quotes=swot_quotes), [])

    # ---- key figures ------------------------------------------------------------------------
    top = leading[leading["rank"] == 1].set_index("research_question")
    key = {
        "scope": scope,
        "disclosure_rule": rule.name,
        "n_excerpts": controlled_int(consensus["excerpt_id"].nunique(), rule),
        "n_sessions": controlled_int(consensus["session_id"].nunique(), rule),
        "n_excerpts_quotable": controlled_int(int(screen["quotable"].sum()), rule),
        "top_code_by_research_question": {
            rq: (str(top.loc[rq, "label"]) if rq in top.index else None) for rq in rqs
        },
        "top_code_id_by_research_question": {
            rq: (str(top.loc[rq, "code"]) if rq in top.index else None) for rq in rqs
        },
        **agreement_figures(agreement, labels),
    }
    # the double-coded excerpts are the units of a per-code row (all rows share them)
    code_rows = agreement[agreement["scope"] == "code"]
    key["n_excerpts_double_coded"] = controlled_int(
        code_rows["n_excerpts"].max() if len(code_rows) else 0, rule
    )
    if by_authority is not None:
        flagged = {
            a: agreement_figures(g, labels)["codes_below_threshold"]
            for a, g in by_authority.groupby("authority", sort=True)
        }
        key["codes_below_threshold_by_authority"] = flagged
        sets = [set(v) for v in flagged.values()]
        any_ = set().union(*sets) if sets else set()
        every = set.intersection(*sets) if sets else set()
        key["codes_below_threshold_in_any_authority"] = [
            labels[c] for c in codes if labels[c] in any_
        ]
        key["codes_below_threshold_in_every_authority"] = [
            labels[c] for c in codes if labels[c] in every
        ]
        published["agreement_by_authority"] = controlled_agreement(by_authority, labels, rule)
    return CodingResult(internal, published, key)


def read_published(path, count_cols, marker):
    """A published table: text as written, the suppression marker back to missing (Int64)."""
    df = read_csv(
        path, dtype=str, keep_default_na=False, na_values={c: [marker] for c in count_cols}
    )
    for col in count_cols:
        df[col] = df[col].astype("Float64").astype("Int64")
    return df


def draw_figures(
    published_paths: dict, figure_paths: dict, codebook: dict, rule: DisclosureRule, title: str
) -> None:
    """Code frequency bars, co-occurrence heatmap and agreement per code, drawn from the
    PUBLISHED (controlled) files only. ``published_paths`` holds the paths of the published
    ``frequencies``, ``cooccurrence`` and ``agreement`` tables; ``figure_paths`` the PNG paths
    under the same keys."""
    from analysis.coding import figures as F

    book = C.codebook_table(codebook)
    labels = dict(zip(book["code"], book["label"], strict=True))

    freq = read_published(published_paths["frequencies"], ["n_excerpts"], rule.marker)
    F.code_frequency_figure(freq, figure_paths["frequencies"], rule, title=title)

    cooc = read_published(published_paths["cooccurrence"], ["n_excerpts"], rule.marker)
    matrix = C.cooccurrence_matrix(cooc[["code_a", "code_b", "n_excerpts"]])
    F.cooccurrence_heatmap(matrix, figure_paths["cooccurrence"], rule, labels=labels, title=title)

    agreement = read_published(
        published_paths["agreement"], ["n_excerpts", "n_present"], rule.marker
    )
    for col in ("percent_agreement", "kappa", "alpha"):
        agreement[col] = agreement[col].replace("", None).astype("float64")
    for col in ("alpha_band", "reason"):
        agreement[col] = agreement[col].replace("", None)
    F.agreement_figure(agreement, figure_paths["agreement"], label_col="label", title=title)


def write_outputs(result: CodingResult, outputs, rule: DisclosureRule) -> None:
    """Write every table to the output of the same name (Snakemake's outputs or a dict);
    published tables are checked against the disclosure rule as they are written."""
    for name, df in result.internal.items():
        write_csv(df, outputs[name])
    for name, (df, count_cols) in result.published.items():
        write_published_csv(df, outputs[name], count_cols, rule)
    write_yaml(result.key_figures, outputs["key_figures"])
