"""Coding analysis of one authority, or of the programme (all authorities pooled).

Thin adapter over ``analysis.coding``: consensus, frequencies by participant role and research
question, co-occurrence, inter-coder agreement, quotes, leading codes and SWOT evidence. Raw
tables go to ``internal/coding/``, disclosure-controlled ones to ``published/coding/`` (see
``docs/outputs/coding.md`` for every file and column).

One count, one published value: the excerpts per code are published in several tables
(frequencies, leading codes, SWOT evidence, the co-occurrence diagonal). They all take the
``total`` column of the code x participant-role table, which is controlled *with secondary
suppression* (its row total is published next to the role cells), so no table publishes a
per-code count that another table suppressed to protect a role cell.
"""

import logging

import pandas as pd

from analysis import coding as C
from analysis.disclosure import (
    control_counts,
    control_crosstab,
    rule_from_config,
    write_published_csv,
)
from analysis.io import read_csv, read_yaml, run_script, write_csv, write_yaml

log = logging.getLogger("pipeline")

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


def publish_agreement(agreement, labels, rule, path):
    """Agreement statistics as they are (three decimals); the columns counting excerpts or
    codings controlled; the number of coders (a count of people) left out."""
    pub = agreement.drop(columns=["n_coders"])
    pub.insert(pub.columns.get_loc("code") + 1, "label", pub["code"].map(labels).astype("string"))
    pub = C.control_count_columns(pub, rule, ("n_excerpts", "n_present"))
    for col in ("percent_agreement", "kappa", "alpha"):
        pub[col] = pub[col].round(DECIMALS)
    write_published_csv(pub, path, ["n_excerpts", "n_present"], rule)


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


def main(smk):
    rule = rule_from_config(smk.params.disclosure)
    scope = smk.params.scope
    codebook = read_yaml(smk.input.codebook)
    book = C.codebook_table(codebook)
    codes = book["code"].tolist()
    labels = dict(zip(book["code"], book["label"], strict=True))
    rqs = book["research_question"].dropna().drop_duplicates().tolist()
    extra = list(smk.params.extra_patterns)

    coding = read_tables(smk.input.coding)
    excerpts = read_tables(smk.input.excerpts)
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
        names = dict(smk.params.authority_names)
        quotes["attribution"] = quotes["attribution"] + ", " + source.map(names).fillna(source)
    swot_raw = C.swot_evidence(consensus, codebook)

    out = smk.output
    write_csv(consensus, out.consensus)
    write_csv(
        pd.concat(
            [
                freq_code_role.assign(level="participant_role"),
                freq_code.assign(participant_role=pd.NA, level="authority"),
            ]
        ),
        out.frequencies_raw,
    )
    write_csv(
        pd.concat(
            [
                freq_rq_role.assign(level="participant_role"),
                freq_rq.assign(participant_role=pd.NA, level="authority"),
            ]
        ),
        out.rq_frequencies_raw,
    )
    write_csv(wide_to_csv_frame(code_role_raw, "code", labels), out.code_by_role_raw)
    write_csv(wide_to_csv_frame(rq_role_raw, "research_question"), out.rq_by_role_raw)
    write_csv(cooc, out.cooccurrence_raw)
    write_csv(agreement, out.agreement_raw)
    write_csv(screen, out.quote_screen)
    write_csv(quotes, out.quote_bank_raw)
    write_csv(swot_raw, out.swot_raw)

    # ---- controlled (published) -------------------------------------------------------------
    code_total = code_role["total"].drop(index="total")  # per-code excerpts, one value everywhere
    freq_pub = freq_code.copy()
    freq_pub["n_excerpts"] = freq_pub["code"].map(code_total).astype("Int64")
    freq_pub["n_sessions"] = control_counts(freq_pub["n_sessions"], rule)
    write_published_csv(freq_pub, out.frequencies, ["n_excerpts", "n_sessions"], rule)

    role_cols = [c for c in code_role.columns]
    write_published_csv(
        wide_to_csv_frame(code_role, "code", labels), out.code_by_role, role_cols, rule
    )
    write_published_csv(
        wide_to_csv_frame(rq_role, "research_question"), out.rq_by_role, list(rq_role.columns), rule
    )

    cooc_pub = C.controlled_cooccurrence(cooc, rule)
    diagonal = cooc_pub["code_a"] == cooc_pub["code_b"]
    cooc_pub.loc[diagonal, "n_excerpts"] = cooc_pub.loc[diagonal, "code_a"].map(code_total)
    write_published_csv(cooc_pub, out.cooccurrence, ["n_excerpts"], rule)

    publish_agreement(agreement, labels, rule, out.agreement)

    per_code = quotes[quotes["rank"] <= smk.params.quotes_per_code]
    write_published_csv(per_code[list(C.QUOTE_PUBLIC_COLUMNS)], out.quote_bank, [], rule)

    leading = C.leading_codes(
        consensus,
        codebook,
        rule,
        quotes=quotes,
        top_n=smk.params.leading_top_n,
        frequencies=freq_pub,
    )
    write_published_csv(leading, out.leading_codes, ["n_excerpts", "n_sessions"], rule)

    swot = C.controlled_swot_evidence(swot_raw, rule)
    swot["n_excerpts"] = swot["code"].map(code_total).astype("Int64")
    write_published_csv(swot, out.swot_evidence, ["n_excerpts", "n_sessions"], rule)
    write_published_csv(
        C.swot_quotes(per_code, n_quotes=smk.params.swot_quotes), out.swot_quotes, [], rule
    )

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
        publish_agreement(by_authority, labels, rule, out.agreement_by_authority)
    write_yaml(key, out.key_figures)
    log.info(
        "%s: %d excerpts, %d codes below alpha 0.667",
        scope,
        consensus["excerpt_id"].nunique(),
        len(key["codes_below_threshold"]),
    )


run_script(snakemake, main)
