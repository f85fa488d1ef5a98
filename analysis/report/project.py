"""Assembling the report project: copy the Quarto sources, write variables, generated Markdown, figures and case studies."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import formatting as fmt
from analysis.report.appraisal_sources import appraisal_conventions, benefit_sources
from analysis.report.business_case import (
    commercial,
    customer_expectations,
    economic_figures,
    strategic_gaps,
)
from analysis.report.case_findings import case_findings_markdown
from analysis.report.case_study import (
    flows_table,
    gaps_table,
    inventory_table,
    maturity_table,
    options_table,
    quotes,
    stages_table,
    survey_table,
    swot_table,
    tools_table,
)
from analysis.report.csf import csf_table
from analysis.report.economic_case import benefit_timing, economic_results, uplifts
from analysis.report.economic_risk import monte_carlo, monte_carlo_inputs, switching
from analysis.report.financial_case import (
    bridge,
    cashable_table,
    decisions_table,
    funding_markdown,
    requirement_table,
)
from analysis.report.five_case import five_case_markdown
from analysis.report.inputs import Published
from analysis.report.management_case import (
    evaluation,
    realisation_table,
    risk_evidence_table,
    risk_register,
)
from analysis.report.markdown import figure, markdown_table, md_escape
from analysis.report.national_case import national, national_intro
from analysis.report.outcomes import rq_outcomes, way_forward_outcomes
from analysis.report.references import references_markdown
from analysis.report.roadmap import (
    in_place_table,
    objectives_check,
    programme_rankings,
    programme_roadmap,
    roadmap_table,
    scoring_rubric,
    systems_summary_table,
)
from analysis.report.summaries import (
    SUMMARISED,
    add_to_captions,
    caption_note,
    distribution_table,
    league,
    league_table,
    programme_figure,
    summarised,
)
from analysis.report.user_research import (
    agreement,
    council_differences,
    every_question,
    reliability,
    rq_sections,
)
from analysis.report.variables import build_variables, case_study_variables, edition_date
from analysis.report.wording import DATE_PLACEHOLDER, PLACEHOLDER, short, tier_words

# ------------------------------------------------------------------------------ tables

#: Figures the ``.qmd`` prose places itself (the generated sections place their own): build
#: name, caption and cross-reference label; ``{a}`` is the authority, ``{short}`` its short name.
#: Each is written to ``_generated/figures/<name>.md`` and included on a line of its own, so the
#: caption, id and alt text are literal Markdown: correct for every Quarto from 1.7 (which
#: expands a shortcode inside an attribute before parsing it, breaking the figure) and for the
#: fallback renderer.
PROGRAMME_DOCUMENT_FIGURES = (
    ("programme_gaps", "Gaps found in each council's data journeys, by kind", "gaps"),
    ("programme_gantt", "The programme roadmap by phase", "programme-gantt"),
    (
        "programme_tool_scores",
        "The tools of each council's data journeys by impact, value added and criticality",
        "programme-tool-scores",
    ),
    (
        "programme_maturity",
        "Data maturity by theme and council (Data Maturity Assessment for Government levels)",
        "maturity",
    ),
    (
        "programme_comparison",
        "Central NPSV of each council's preferred way forward, with the Monte Carlo 5th to "
        "95th percentile range",
        "comparison",
    ),
    (
        "programme_agreement",
        "Inter-coder agreement by code (Krippendorff's alpha, all councils pooled)",
        "coding-agreement",
    ),
)
AUTHORITY_DOCUMENT_FIGURES = (
    (
        "{a}_journey_map",
        "Data journeys in {short}: one lane per stream, one column per stage; marked boxes have "
        "gaps",
        "journeys",
    ),
    ("{a}_cashflow", "Cumulative discounted net benefit of the preferred way forward", "cashflow"),
    (
        "{a}_tool_scores",
        "The tools of the data journeys in {short} by impact, value added and criticality",
        "tool-scores",
    ),
    ("{a}_gantt", "The roadmap of {short} by month", "gantt"),
)
#: The sensitivity charts of a case study: of the preferred way forward, so none when the
#: council's appraisal recommends business as usual (there is no option to chart). A
#: summarised business case leaves them to the case studies.
SENSITIVITY_FIGURES = (
    ("{a}_tornado", "One-way sensitivity of the NPSV of the preferred way forward", "tornado"),
    ("{a}_monte_carlo", "Monte Carlo distribution of the NPSV of the preferred way forward", "mc"),
)


def programme_markdown(p: Published) -> dict[str, str]:
    """Generated Markdown of the programme documents, keyed by path relative to
    ``_generated/``."""
    ids = [a["id"] for a in p.authorities]
    names = {a["id"]: a["name"] for a in p.authorities}
    out: dict[str, str] = {}
    out["case_study_links.md"] = (  # a whole list item: an include stands alone on its line
        "- a case study for each council: "
        + fmt.prose_list(f"[{md_escape(names[a])}](case-study-{a}.html)" for a in ids)
        + "."
    )
    areas = pd.DataFrame(
        [{"name": a["name"], "area": a["service_area"], "tier": tier_words(a.get("tier"))}
         for a in p.authorities]
    )  # fmt: skip
    cols = [("name", "Council", "l"), ("area", "Service area", "l"), ("tier", "Tier", "l")]
    caption = "The councils and the service each studied"
    if summarised(p):  # a count per service and tier; the case studies sit beside this report
        out["case_study_links.md"] = (
            f"- a case study for each of the {fmt.number(len(ids))} councils, beside this "
            "report as `case-study-<council id>.html` and `.pdf`."
        )
        areas = areas.groupby(["area", "tier"], sort=True).size().reset_index(name="n")
        cols, caption = [*cols[1:], ("n", "Councils", "r")], caption + ": councils by service"
    out["areas_table.md"] = markdown_table(areas, cols, caption=caption, label="areas")
    out |= shared_markdown(p)
    # above report.summarise_above councils the per-council tables show the league's councils
    # (analysis.report.summaries): `shown`, with `rest` in one row where a table has a total
    shown, rest = league(p, ids)
    out["league.md"] = distribution_table(p) + "\n" + league_table(p)
    out["decisions_table.md"] = decisions_table(p, shown, rest)
    out["bridge_table.md"] = bridge(p, shown, names, rest)
    out["cashable_table.md"] = cashable_table(p, shown, names, rest)
    out["funding.md"] = funding_markdown(p, shown, names)
    out["realisation_table.md"] = realisation_table(p, shown, names)
    out["risks_table.md"] = risk_register(p.business_case, names)
    out["risk_evidence_table.md"] = risk_evidence_table(p, shown, names)
    out["evaluation.md"] = evaluation(p.business_case)
    out["national_intro.md"] = national_intro(p)
    out["strategic_gaps_table.md"] = strategic_gaps(p, names)
    out["customer_expectations.md"] = customer_expectations(p)
    out["economic_results_table.md"] = economic_results(p, shown, names)
    out["csf_options_table.md"] = csf_table(p, shown, names)
    out["conventions_table.md"] = appraisal_conventions(p, shown, names)
    out["benefit_sources_table.md"] = benefit_sources(p, shown, names, rest)
    out["uplifts_table.md"] = uplifts(p, ids, names)
    out["benefit_timing_table.md"] = benefit_timing(p, shown, names, rest)
    out["switching_table.md"] = switching(p, shown, names)
    out["monte_carlo_inputs_table.md"] = monte_carlo_inputs(p, shown, names, rest)
    out["monte_carlo_table.md"] = monte_carlo(p, shown, names)
    out["economic_figures.md"] = economic_figures(p, shown, names, rest)
    out["national_table.md"] = national(p)
    out["commercial_table.md"] = commercial(p, shown, names)
    out["financial_table.md"] = requirement_table(p, shown, names, rest)
    out["reliability_table.md"] = reliability(p)
    out["agreement_table.md"] = agreement(p, ids, names)
    out["rq_sections.md"] = rq_sections(p, ids, names)
    out["every_question_table.md"] = every_question(p)
    out["council_differences.md"] = council_differences(p, names)
    out["outcomes_rq.md"] = rq_outcomes(p)
    out["outcomes_way_forward.md"] = way_forward_outcomes(p, shown)
    out["programme_roadmap_table.md"] = programme_roadmap(p)
    out["programme_rankings.md"] = programme_rankings(p)
    out["systems_summary_table.md"] = systems_summary_table(p, names, shown)
    out["objectives_check_table.md"] = objectives_check(
        p, "programme", "objectives-check", councils=shown
    )
    out["authority_roadmaps.md"] = "\n".join(
        f"### {md_escape(names[a])} {{#sec-roadmap-{a}}}\n\n"
        + roadmap_table(p, a, caption=f"Roadmap actions: {names[a]}", label=f"roadmap-{a}")
        + "\n"
        + in_place_table(p, a, f"in-place-{a}")
        for a in shown
    )
    if rest:  # say which councils the tables show, on every table that shows some
        for key in SUMMARISED:
            out[key] = add_to_captions(out[key], caption_note(p, ids, key))
        out["outcomes_way_forward.md"] = (
            f"The {fmt.word(len(shown))} councils of the business case's league table follow; "
            "every council's way forward is in its case study and in the programme workbook.\n\n"
            + out["outcomes_way_forward.md"]
        )
        out["authority_roadmaps.md"] = (
            f"The roadmaps of {fmt.word(len(shown))} of the {fmt.number(len(ids))} councils follow: "
            "the same councils as the business case's tables (of those that invest, the five with "
            "the highest and the five with the lowest NPSV of their preferred way forward). Every "
            "council's roadmap "
            "is in its case study and in the programme workbook.\n\n"
        ) + out["authority_roadmaps.md"]
    for name, caption, label in PROGRAMME_DOCUMENT_FIGURES:
        out[f"figures/{name}.md"] = programme_figure(p, name, caption, label)
    return out


def shared_markdown(p: Published) -> dict[str, str]:
    """Generated Markdown every document may include: references, the scoring rubric and the
    business case's own sections (spending objectives...)."""
    out = {"references.md": references_markdown(), "scoring_rubric.md": scoring_rubric()}
    return out | five_case_markdown(p.business_case, p.action_titles)


def case_study_markdown(p: Published, aid: str, compare_with_peers: bool = True) -> dict[str, str]:
    """Generated Markdown of council ``aid``'s case study (:func:`shared_markdown`, its figures
    and ``<aid>/`` tables and lists), from the case study's declared inputs."""
    a = aid
    subs = {"a": a, "short": short(p.authority(a)["name"])}
    out = shared_markdown(p)
    kf = p.kf[(a, "costs")]
    bau = kf["preferred_option_id"] == kf["baseline_option_id"]
    for name, caption, label in AUTHORITY_DOCUMENT_FIGURES + SENSITIVITY_FIGURES:
        chart = (name, caption, label) not in SENSITIVITY_FIGURES or not bau
        out[f"figures/{name.format(**subs)}.md"] = (
            figure(p, name.format(**subs), caption.format(**subs), label) if chart else ""
        )
    out[f"{a}/gaps_table.md"] = gaps_table(p, a)
    out[f"{a}/maturity_table.md"] = maturity_table(p, a)
    out[f"{a}/survey_table.md"] = survey_table(p, a)
    out[f"{a}/quotes.md"] = quotes(p, a)
    out[f"{a}/swot_table.md"] = swot_table(p, a)
    out[f"{a}/options_table.md"] = options_table(p, a)
    out[f"{a}/roadmap_table.md"] = roadmap_table(p, a, caption="Roadmap actions", label="roadmap")
    out[f"{a}/in_place_table.md"] = in_place_table(p, a, "in-place")
    out[f"{a}/objectives_table.md"] = objectives_check(p, a, "objectives")
    out[f"{a}/tools_table.md"] = tools_table(p, a)
    out[f"{a}/stages_table.md"] = stages_table(p, a)
    out[f"{a}/inventory_table.md"] = inventory_table(p, a)
    out[f"{a}/flows_table.md"] = flows_table(p, a)
    out |= {f"{a}/{k}": v for k, v in case_findings_markdown(p, a, compare_with_peers).items()}
    return out


def build_markdown(p: Published, compare_with_peers: bool = True) -> dict[str, str]:
    """All generated Markdown: the programme documents' and every case study's."""
    out = programme_markdown(p)
    for a in p.authorities:
        out |= case_study_markdown(p, a["id"], compare_with_peers)
    return out


# ------------------------------------------------------------------------------ config text

#: Text the council writes in its config that the reports print: programme and council fields.
CONFIG_TEXT = {
    "programme": ("title", "short_title", "lead_organisation", "notice"),
    "authorities": ("name", "service_area", "context"),
}
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_FRONT_VAR = re.compile(r"\{\{<\s*var\s+(\S+?)\s*>\}\}")


def md_literal(text) -> str:
    """``text`` as Markdown that both renderers print exactly as written: every ASCII
    punctuation character backslash-escaped (pandoc's markdown allows that for all of them), so
    nothing becomes emphasis, a citation (``@``), a heading, a shortcode or a curly quote;
    line breaks and runs of spaces become one space."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", re.sub(r"\s+", " ", str(text)).strip())


def literal_config_text(p: Published) -> Published:
    """``p`` with the config's free text (:data:`CONFIG_TEXT`) as literal Markdown, for the
    variables: a ``var`` value is read as Markdown by Quarto and by the fallback alike."""
    programme = dict(p.programme)
    for k in CONFIG_TEXT["programme"]:
        if programme.get(k):
            programme[k] = md_literal(programme[k])
    authorities = [
        {**a, **{k: md_literal(a[k]) for k in CONFIG_TEXT["authorities"] if a.get(k)}}
        for a in p.authorities
    ]
    return dataclasses.replace(p, programme=programme, authorities=authorities)


#: Characters that change what Markdown text means (emphasis, citations, headings, links,
#: table cells, raw HTML); config text holding one must reach generated Markdown escaped.
_MD_SPECIAL = set("\\*_`<>[]@#|")


def escape_config_text(text: str, p: Published) -> str:
    """Generated Markdown ``text`` with every verbatim occurrence of the config's free text
    (:data:`CONFIG_TEXT`, and each council name in its short form) that holds a Markdown
    special character escaped (:func:`~analysis.report.markdown.md_escape`).

    The one place config text is made safe in generated Markdown: a table cell escaped by
    :func:`~analysis.report.markdown.markdown_table` no longer holds the raw text (each special
    character has its backslash), so only the places that wrote the text raw, in a sentence,
    a caption or alt text, change. Without it a council called "Team @north" would be read
    as a citation and fail the PDF render, after everything else was published."""
    values = {str(p.programme.get(k)) for k in CONFIG_TEXT["programme"] if p.programme.get(k)}
    for a in p.authorities:
        for k in CONFIG_TEXT["authorities"]:
            if a.get(k):
                values |= {str(a[k]), short(str(a[k]))}
    for v in sorted(values, key=len, reverse=True):  # a full name before its short form
        if _MD_SPECIAL & set(v) and v in text:
            text = text.replace(v, md_escape(re.sub(r"\s+", " ", v)))
    return text


def resolve_front_matter(text: str, variables: dict) -> str:
    """A ``.qmd`` with the ``var`` shortcodes of its front matter replaced by their values and
    the front matter written again by a YAML library.

    Quarto resolves a ``var`` in front matter itself, but the value is then at the mercy of how
    it reaches the title page; resolved here, once, the title, subtitle and author are plain
    YAML strings (quotes, colons, ``#``, ``@`` and line breaks included) for both renderers.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}

    def value(m: re.Match) -> str:
        node = variables
        for part in m.group(1).split("."):
            node = node[part]  # a KeyError names an unknown variable of the front matter
        return str(node)

    def resolve(node):
        if isinstance(node, dict):
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return _FRONT_VAR.sub(value, node) if isinstance(node, str) else node

    front = yaml.safe_dump(resolve(meta), sort_keys=False, allow_unicode=True, width=10**6)
    return "\n".join(["---", front.rstrip("\n"), "---", *lines[end + 1 :]])


# ------------------------------------------------------------------------------ writing


#: The programme documents: every ``.qmd`` of ``report/`` but the case-study template.
CASE_STUDY_TEMPLATE = "_case-study.qmd"


def programme_documents(source: Path) -> list[str]:
    """The programme documents' names (``index``, ``business-case``...), from ``source``."""
    return sorted(f.stem for f in Path(source).glob("*.qmd") if f.name != CASE_STUDY_TEMPLATE)


def _start_project(source: Path, build: Path, docs: list[str]) -> list[Path]:
    """A fresh ``build`` with ``report/``'s shared files (``_quarto.yml`` listing ``docs``,
    styles, filters): what every document's project holds besides its own sources."""
    source, build = Path(source), Path(build)
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    written = []
    for f in sorted(source.iterdir()):
        if f.is_file() and f.suffix != ".qmd":
            if f.name == "_quarto.yml":  # the project renders exactly its own documents
                conf = yaml.safe_load(f.read_text(encoding="utf-8"))
                conf["project"]["render"] = [f"{d}.qmd" for d in docs]
                (build / f.name).write_text(
                    yaml.safe_dump(conf, sort_keys=False, allow_unicode=True), encoding="utf-8"
                )
            else:
                shutil.copy(f, build / f.name)
            written.append(build / f.name)
    return written


def _finish_project(
    build: Path, p: Published, variables: dict, markdown: dict[str, str], figures: list[str]
) -> list[Path]:
    """Write the variables, the generated Markdown (config text escaped) and the figures."""
    written = [build / "_variables.yml"]
    written[0].write_text(
        yaml.safe_dump(variables, sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    for rel, text in markdown.items():
        path = build / "_generated" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(escape_config_text(text, p), encoding="utf-8")
        written.append(path)
    (build / "figures").mkdir()
    for name in figures:
        shutil.copy(p.figures[name][0], build / "figures" / f"{name}.png")
        written.append(build / "figures" / f"{name}.png")
    return written


def _write_document(path: Path, text: str, date: str, variables: dict) -> Path:
    """A document's ``.qmd`` with the edition date and its front matter resolved."""
    text = resolve_front_matter(text.replace(DATE_PLACEHOLDER, date), variables)
    path.write_text(text, encoding="utf-8")
    return path


def write_programme_project(source: Path, build: Path, p: Published) -> list[Path]:
    """The programme documents' project: ``report/`` copied to ``build`` without the
    case-study template, with variables, generated Markdown and figures.

    The variables are serialised by a YAML library, with the config's free text as literal
    Markdown (:func:`literal_config_text`); each document's front matter is resolved and
    written the same way (:func:`resolve_front_matter`)."""
    source, build = Path(source), Path(build)
    docs = programme_documents(source)
    written = _start_project(source, build, docs)
    date, variables = edition_date(p), build_variables(literal_config_text(p))
    for d in docs:
        text = (source / f"{d}.qmd").read_text(encoding="utf-8")
        written.append(_write_document(build / f"{d}.qmd", text, date, variables))
    return written + _finish_project(build, p, variables, programme_markdown(p), list(p.figures))


def write_case_study_project(
    source: Path, build: Path, p: Published, aid: str, compare_with_peers: bool = True
) -> list[Path]:
    """Council ``aid``'s case study as a project of its own: ``case-study-<aid>.qmd`` from
    ``report/_case-study.qmd`` with the shared files, its variables, Markdown and figures,
    all from the case study's declared inputs (:func:`analysis.report.inputs.case_study_inputs`)."""
    source, build = Path(source), Path(build)
    doc = f"case-study-{aid}"
    written = _start_project(source, build, [doc])
    date = edition_date(p)
    variables = case_study_variables(literal_config_text(p), aid)
    text = (source / CASE_STUDY_TEMPLATE).read_text(encoding="utf-8").replace(PLACEHOLDER, aid)
    written.append(_write_document(build / f"{doc}.qmd", text, date, variables))
    figures = [n for n in p.figures if n.startswith(f"{aid}_")]
    markdown = case_study_markdown(p, aid, compare_with_peers)
    return written + _finish_project(build, p, variables, markdown, figures)


def assemble_report(
    paths: dict[str, str],
    config: dict,
    questionnaire: dict,
    codebook: dict,
    rule,
    source: Path,
    build: Path,
    *,
    case_study: str | None = None,
    compare_with_peers: bool = True,
    workbook: Path | None = None,
) -> list[Path]:
    """Load the declared published outputs, check their counts again, write the project: the
    programme documents' (and the programme workbook to ``workbook``), or council
    ``case_study``'s case study's."""
    from analysis.report.checks import check_counts
    from analysis.report.inputs import load_published
    from analysis.report.summaries import write_workbook

    published = load_published(paths, config, questionnaire, codebook, rule)
    check_counts(published)
    if case_study is None:
        if workbook is not None:
            write_workbook(published, workbook)
        return write_programme_project(source, build, published)
    return write_case_study_project(source, build, published, case_study, compare_with_peers)
