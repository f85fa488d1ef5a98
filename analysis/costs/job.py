"""One council's whole costs job (rule ``costs_authority``): the appraisal and the decision
rule, the uncertainty analyses, then the published tables, figures and key figures.

One job, not three: each Snakemake job costs about 0.4 s of CPU before its work starts (the
job's own Python process, Snakemake's bookkeeping), more than the appraisal itself, and the
three steps read the same ingested workbook and re-run together whenever it changes (issue
15). The steps still hand over through the internal CSV files, exactly as the three jobs did,
so what is published is read back from what is kept and the bytes are unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from analysis.core.io import read_yaml, write_csv

log = logging.getLogger("pipeline")

#: The appraisal's internal tables (the ``Appraisal`` attributes written as they are).
APPRAISAL_TABLES = ("results", "cash_flows", "who_pays", "discount_factors", "benefit_flows")
#: The uncertainty analyses' internal tables (the ``analyse_options`` result's attributes).
UNCERTAINTY_TABLES = ("tornado", "scenarios", "switching", "mc_summary", "mc_draws", "mc_inputs")
#: Every internal table the job writes, by the name the publishing step reads it under
#: (:data:`analysis.costs.publish.AUTHORITY_INPUTS`).
INTERNAL_TABLES = (
    *APPRAISAL_TABLES,
    "prepared_costs",
    "decision",
    "affordability",
    *UNCERTAINTY_TABLES,
)


def appraise_council(inputs: Mapping, internal: Mapping, workbook, authority: str, vintage):
    """Appraise the council's options, apply the decision rule (affordability in nominal
    cash, the preferred way forward), add incremental BCRs; write the internal tables and the
    auditable workbook."""
    from analysis import costs

    t = costs.read_tables(inputs, ("parameters", "options", "costs", "benefits"))
    a = costs.appraise(t["parameters"], t["options"], t["costs"], t["benefits"], vintage=vintage)
    case = read_yaml(inputs["business_case"])
    rule = costs.decision_constraints(case, authority)
    affordability, decision = costs.decide_appraisal(
        a, t["options"], rule, contingency=costs.contingency_share(case)
    )
    # each option against the next cheaper one offering value for money; the cash payback
    a.results = costs.with_incremental(
        a.results, decision.table, affordability, decision.baseline_option_id
    )
    for name in APPRAISAL_TABLES:
        write_csv(getattr(a, name), internal[name])
    write_csv(a.costs, internal["prepared_costs"])
    write_csv(affordability, internal["affordability"])
    write_csv(decision.table, internal["decision"])
    costs.write_workbook(a, t["options"], workbook, decision)
    log.info("%s", "\n".join(a.notes))
    log.info("%s: preferred way forward '%s' (%s); proposed '%s'", authority,
             decision.preferred_option_id, decision.reason, decision.proposed_option_id)  # fmt: skip


def analyse_uncertainty(inputs: Mapping, internal: Mapping, vintage, draws: int, seed: int):
    """One-way sensitivity, scenarios, switching values and the seeded Monte Carlo of each
    option (:func:`analysis.costs.analyse_options`, which decides which options get one)."""
    from analysis import costs

    t = costs.read_tables(inputs, (*costs.INGESTED_TABLES, "sources"))
    out = costs.analyse_options(
        t["parameters"], t["options"], t["costs"], t["benefits"], t["uncertainty"],
        vintage=vintage, draws=int(draws), seed=int(seed), sources=t["sources"],
    )  # fmt: skip
    for name in UNCERTAINTY_TABLES:
        write_csv(getattr(out, name), internal[name])
    for note in out.notes:
        log.info("%s", note)


def publish_council(paths: Mapping, published: Mapping, authority: str, settings: Mapping):
    """The rounded published tables, the three figures and the key figures
    (:func:`analysis.costs.publish_authority`, :func:`analysis.costs.authority_figures`).
    ``paths`` names the internal and ingested tables of ``AUTHORITY_INPUTS``, the
    business-case input and the key-figures schema."""
    from analysis import costs
    from analysis.core.contracts import write_key_figures
    from analysis.core.disclosure import rule_from_config, write_published_csv

    t = costs.read_tables(paths, costs.AUTHORITY_INPUTS)
    case = read_yaml(paths["business_case"])
    pub = costs.publish_authority(
        t, authority=authority,
        programme_price_base_year=settings["programme_price_base_year"],
        vintage=settings["vintage"], draws=int(settings["draws"]), seed=int(settings["seed"]),
        constraints=costs.decision_constraints(case, authority),
        contingency=costs.contingency_share(case),
    )  # fmt: skip
    for warning in pub.warnings:
        log.warning("%s", warning)
    rule = rule_from_config(settings["disclosure"])
    for name, df in pub.tables.items():
        write_published_csv(df, published[name], [], rule)
    costs.authority_figures(t, published)
    write_key_figures(pub.key_figures, published["key_figures"], read_yaml(paths["kf_schema"]))
    log.info("published costs outputs for %s", authority)


def run_costs(inputs: Mapping, internal: Mapping, published: Mapping, authority: str, settings):
    """The whole job. ``inputs``: the ingested tables, ``business_case`` and ``kf_schema``;
    ``internal``: a path for each of :data:`INTERNAL_TABLES`; ``published``: the published
    tables, ``fig_*`` / figure alt texts, ``key_figures`` and ``workbook``; ``settings``:
    ``vintage``, ``draws``, ``seed``, ``disclosure``, ``programme_price_base_year``."""
    vintage = settings["vintage"]
    appraise_council(inputs, internal, published["workbook"], authority, vintage)
    analyse_uncertainty(inputs, internal, vintage, settings["draws"], settings["seed"])
    publish_council({**inputs, **internal}, published, authority, settings)
