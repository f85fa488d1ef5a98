# Stage: coding. Workshop/interview coding analysis per authority and for the programme
# (all authorities pooled): consensus, code frequencies by participant role and research
# question, co-occurrence, inter-coder agreement, quote bank, leading codes, SWOT evidence.
# Raw tables in internal/coding/, controlled ones, figures and key figures in
# published/coding/. Outputs are documented in docs/outputs/coding.md.

C_INT = "results/{authority}/internal/coding"
C_PUB = "results/{authority}/published/coding"
CP_INT = "results/programme/internal/coding"
CP_PUB = "results/programme/published/coding"
# JSON Schema of key_figures.yaml, per scope (authority, programme)
C_SCHEMA = "workflow/schemas/key_figures/coding_{scope}.schema.yaml"

# internal (raw) tables: output name -> file
C_INTERNAL = {
    "consensus": "consensus.csv",
    "frequencies_raw": "code_frequencies.csv",
    "rq_frequencies_raw": "rq_frequencies.csv",
    "code_by_role_raw": "code_by_role.csv",
    "rq_by_role_raw": "rq_by_role.csv",
    "cooccurrence_raw": "cooccurrence.csv",
    "agreement_raw": "agreement.csv",
    "quote_screen": "quote_screen.csv",
    "quote_bank_raw": "quote_bank.csv",
    "swot_raw": "swot_evidence.csv",
    "session_basis": "session_basis.csv",
}
# published (controlled) tables: output name -> file; the main ones go into the report bundle
C_PUBLISHED = {
    "frequencies": "code_frequencies.csv",
    "code_by_role": "code_by_role.csv",
    "rq_by_role": "rq_by_role.csv",
    "cooccurrence": "cooccurrence.csv",
    "agreement": "agreement.csv",
    "quote_bank": "quote_bank.csv",
    "leading_codes": "leading_codes.csv",
    "swot_evidence": "swot_evidence.csv",
    "swot_quotes": "swot_quotes.csv",
    "key_figures": "key_figures.yaml",
}
C_REPORTED = ("agreement", "leading_codes", "swot_evidence")
# Figures of the programme's coding (a council's are drawn in no document: its case study
# quotes its coding tables, and three charts were a third of its coding job's time).
C_FIGURES = {
    "frequencies": "code_frequencies",
    "cooccurrence": "cooccurrence",
    "agreement": "agreement",
}
C_PARAMS = {
    "disclosure": config["disclosure"],
    "extra_patterns": config["pii"]["extra_patterns"],
    "quotes_per_code": 5,  # published quote bank: first five quotes per code
    "swot_quotes": 2,  # quotes per code in swot_quotes.csv
    "leading_top_n": 3,  # leading codes per research question
}
C_NAMES = {a: AUTH[a]["name"] for a in AUTHORITIES}


rule coding_tables:
    input:
        gate=inputs_validated,
        coding=["results/{authority}/ingest/coding.csv"],
        excerpts=["results/{authority}/ingest/excerpts.csv"],
        codebook=config["instruments"]["codebook"],
        kf_schema=C_SCHEMA.format(scope="authority"),
    output:
        **{k: f"{C_INT}/{f}" for k, f in C_INTERNAL.items()},
        **{
            k: (
                report(
                    f"{C_PUB}/{f}",
                    caption=f"../report/coding/{k}.rst",
                    category="Coding",
                    subcategory="{authority}",
                )
                if k in C_REPORTED
                else f"{C_PUB}/{f}"
            )
            for k, f in C_PUBLISHED.items()
        },
    log:
        "logs/{authority}/coding_tables.log",
    conda:
        CONDA_ENV
    params:
        **C_PARAMS,
        scope=lambda wc: wc.authority,
        title=lambda wc: AUTH[wc.authority]["name"],
    script:
        "../scripts/coding_tables.py"


rule coding_programme:
    input:
        gate=inputs_validated,
        coding=expand("results/{authority}/ingest/coding.csv", authority=AUTHORITIES),
        excerpts=expand(
            "results/{authority}/ingest/excerpts.csv", authority=AUTHORITIES
        ),
        codebook=config["instruments"]["codebook"],
        kf_schema=C_SCHEMA.format(scope="programme"),
    output:
        **{k: f"{CP_INT}/{f}" for k, f in C_INTERNAL.items()},
        **{
            k: (
                report(
                    f"{CP_PUB}/{f}",
                    caption=f"../report/coding/{k}.rst",
                    category="Coding",
                    subcategory="programme",
                )
                if k in C_REPORTED
                else f"{CP_PUB}/{f}"
            )
            for k, f in C_PUBLISHED.items()
        },
        **{
            f"fig_{k}": report(
                f"{CP_PUB}/{f}.png",
                caption=f"../report/coding/figure_{f}.rst",
                category="Coding",
                subcategory="programme",
            )
            for k, f in C_FIGURES.items()
        },
        **{f"fig_{k}_alt": f"{CP_PUB}/{f}.alt.txt" for k, f in C_FIGURES.items()},
        agreement_by_authority=report(
            f"{CP_PUB}/agreement_by_authority.csv",
            caption="../report/coding/agreement_by_authority.rst",
            category="Coding",
            subcategory="programme",
        ),
    log:
        "logs/programme/coding_programme.log",
    conda:
        CONDA_ENV
    params:
        **C_PARAMS,
        scope="programme",
        title="All authorities (pooled)",
        authority_names=C_NAMES,
    script:
        "../scripts/coding_tables.py"


CODING_TARGETS = (
    expand(
        f"{C_PUB}/{{file}}",
        authority=AUTHORITIES,
        file=list(C_PUBLISHED.values()),
    )
    + [f"{CP_PUB}/{f}" for f in C_PUBLISHED.values()]
    + [f"{CP_PUB}/agreement_by_authority.csv"]
    + [f"{CP_PUB}/{n}.{e}" for n in C_FIGURES.values() for e in ("png", "alt.txt")]
)
