"""Programme documents at scale: above ``report.summarise_above`` councils they summarise.

Up to that number every per-council table lists every council. Above it (a regional or
national programme of many councils' own runs) a table of 64 rows per council, or 128 charts,
is no longer something a board reads, so the programme documents:

- rank the councils by the net present social value of their preferred way forward (the
  decision rule's choice; business as usual counts as zero) and show the
  :data:`LEAGUE_SIZE` highest and lowest in every per-council table (:func:`league`), with an
  "other councils" row wherever a table has a total, so its rows still add up to it;
- open the economic case with the distribution over every council (:func:`distribution_table`)
  and the league table itself (:func:`league_table`);
- publish every council's rows in the programme workbook (:func:`workbook_sheets`), beside
  the documents, and in each council's case study.

Which councils are shown is decided here, by tested functions; the captions only report it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.economic_case import bcr_text
from analysis.report.inputs import Published
from analysis.report.markdown import figure_scale, markdown_table
from analysis.report.wording import short, vfm

#: Councils shown at each end of a league table.
LEAGUE_SIZE = 5
#: The programme workbook, written beside the documents.
WORKBOOK = "programme-tables.xlsx"
#: The smallest a chart may be printed, as a share of the size it was drawn at (its labels are
#: drawn at 7 to 9 pt, so below this they fall under 4 to 5 pt): a chart with a row per
#: council that a summarised programme would have to shrink further is left out of the
#: documents, with a sentence saying where its data are.
MIN_FIGURE_SCALE = 0.6
#: Programme charts with a row or a column per council (build-name prefixes): left out of a
#: summarised programme's documents whatever their size, as the league, the distribution and
#: the workbook carry their data (a 64-column heatmap is not read, whatever it is printed at).
PER_COUNCIL_FIGURES = (
    "programme_gaps",
    "programme_maturity",
    "programme_tool_scores",
    "programme_comparison",
    "programme_likert_",
)


def summarised(p: Published) -> bool:
    """Whether the programme documents summarise: more councils than ``summarise_above``."""
    above = getattr(p, "summarise_above", None)  # None: a stand-in without the setting
    return above is not None and len(p.authorities) > int(above)


def ranking(p: Published) -> pd.DataFrame:
    """Every council with its preferred way forward, ranked by its NPSV (highest first; ties
    in config order). Business as usual, recommended when no option offers value for money,
    has an NPSV of zero by definition."""
    comp = p.table("programme", "costs", "comparison").copy()
    order = {a["id"]: i for i, a in enumerate(p.authorities)}
    comp["npsv"] = comp["npsv"].astype(float).fillna(0.0)
    comp["config_order"] = comp["authority"].map(order)
    comp = comp.sort_values(["npsv", "config_order"], ascending=[False, True], kind="stable")
    return comp.assign(rank=np.arange(1, len(comp) + 1)).reset_index(drop=True)


def league(p: Published, ids: list[str]) -> tuple[list[str], list[str]]:
    """``(shown, rest)``: when :func:`summarised`, of the councils whose preferred way forward
    is an investment, the :data:`LEAGUE_SIZE` with the highest and the lowest NPSV in rank
    order; ``rest`` is the others, business as usual included (no option to tabulate, so
    they are counted in the distribution and the "other councils" rows, not shown); else
    every council, none left."""
    if not summarised(p):
        return list(ids), []
    r = ranking(p)
    ranked = [a for a in r.loc[r["option_category"] != "bau", "authority"] if a in set(ids)]
    shown = (
        ranked if len(ranked) <= 2 * LEAGUE_SIZE else (ranked[:LEAGUE_SIZE] + ranked[-LEAGUE_SIZE:])
    )
    rest = [a for a in r["authority"] if a in set(ids) and a not in shown]
    return shown, rest


def caption_note(p: Published, ids: list[str], key: str = "") -> str:
    """What a summarised table's caption adds (empty when every council is shown), with the
    workbook sheet that has every council's rows where :data:`SUMMARISED` names one for the
    generated file ``key``."""
    shown, rest = league(p, ids)
    if not rest:
        return ""
    sheet = SUMMARISED.get(key)
    where = f"; every council is in the programme workbook, sheet {sheet}" if sheet else ""
    return (
        f" ({fmt.word(len(shown))} of {fmt.number(len(ids))} councils: of those that invest, "
        f"the {fmt.word(LEAGUE_SIZE)} with the highest and the {fmt.word(LEAGUE_SIZE)} with the "
        f"lowest NPSV{where})"
    )


#: The generated files whose per-council tables show only the league's councils, each with the
#: programme workbook's sheet that holds every council's rows (:data:`WORKBOOK_TABLES`), or
#: None for a table the report works out from several results for the councils it shows (the
#: options against the critical success factors, the appraisal conventions, the risk
#: evidence): its caption then does not say the workbook has the others.
SUMMARISED = {
    "decisions_table.md": "Decisions",
    "bridge_table.md": "Financial requirement",
    "funding.md": "Funding sources",
    "realisation_table.md": "Benefits realisation",
    "risk_evidence_table.md": None,
    "economic_results_table.md": "Options",
    "csf_options_table.md": None,
    "conventions_table.md": None,
    "benefit_timing_table.md": "Benefit timing",
    "switching_table.md": "Switching values",
    "monte_carlo_table.md": "Monte Carlo",
    "commercial_table.md": "Cost lines",
    "financial_table.md": "Financial requirement",
    "objectives_check_table.md": "Objectives",
    "systems_summary_table.md": "Systems",
}
_TABLE_CAPTION = re.compile(r"^(: .*?)((?: \{#tbl-[^}]*\})?)$", re.M)


def add_to_captions(markdown: str, note: str) -> str:
    """``markdown`` with ``note`` added to the caption of every table in it, or, where it has
    no table (a run of figures), as a sentence before them."""
    out, n = _TABLE_CAPTION.subn(lambda m: m.group(1) + note + m.group(2), markdown)
    if n:
        return out
    return f"The figures that follow are of {note.strip().strip('()')}.\n\n" + markdown


def programme_figure(p: Published, name: str, caption: str, label: str) -> str:
    """A programme figure (:func:`~analysis.report.markdown.figure`), or, in a
    :func:`summarised` programme where it would print below :data:`MIN_FIGURE_SCALE` of its
    size, a sentence instead: the chart is still published beside the tables, but a page
    cannot hold it legibly."""
    from analysis.report.markdown import figure, md_escape

    per_council = name.startswith(PER_COUNCIL_FIGURES)
    if summarised(p) and (per_council or figure_scale(p.figures[name][0]) < MIN_FIGURE_SCALE):
        return (
            f"*{md_escape(caption)}:* this chart has a row or a column per council; with "
            f"{fmt.number(len(p.authorities))} councils a page cannot hold it legibly, so it is "
            f"left out here. Its data are in the programme workbook, [{WORKBOOK}]({WORKBOOK}).\n"
        )
    return figure(p, name, caption, label)


def distribution_table(p: Published) -> str:
    """The spread over every council of the preferred way forward's NPSV and BCR, and how
    many councils offer each value-for-money category (empty when not :func:`summarised`)."""
    if not summarised(p):
        return ""
    r = ranking(p)
    vfm_cat = r["vfm_category"].where(r["option_category"] != "bau", "bau")
    q = r["npsv"].quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
    bcr = r.loc[r["option_category"] != "bau", "bcr"].astype(float)
    rows = [
        {"measure": "Councils", "value": fmt.number(len(r))},
        {"measure": "NPSV: lowest", "value": fmt.money(q[0])},
        {"measure": "NPSV: lower quartile", "value": fmt.money(q[1])},
        {"measure": "NPSV: median", "value": fmt.money(q[2])},
        {"measure": "NPSV: upper quartile", "value": fmt.money(q[3])},
        {"measure": "NPSV: highest", "value": fmt.money(q[4])},
        {"measure": "NPSV: all councils together", "value": fmt.money(r["npsv"].sum())},
        {"measure": "BCR: median (councils investing)",
         "value": fmt.ratio(bcr.median()) if len(bcr) else "none"},
    ]  # fmt: skip
    counts = vfm_cat.value_counts()
    for cat in ("very_high", "high", "medium", "low", "poor", "very_poor", "bau"):
        if counts.get(cat, 0):
            label = "Business as usual recommended" if cat == "bau" else f"Offering {vfm(cat)}"
            rows.append({"measure": label, "value": fmt.number(int(counts[cat]))})
    return markdown_table(
        pd.DataFrame(rows),
        [("measure", "Across every council", "l"), ("value", "Value", "r")],
        caption="The preferred ways forward of every council in the programme: the spread of "
        "their NPSV (£, present value) and how many offer each value-for-money category",
        label="distribution",
    )


def league_table(p: Published) -> str:
    """The councils with the highest and lowest NPSV, with rank, service, option and BCR
    (empty when not :func:`summarised`)."""
    if not summarised(p):
        return ""
    r = ranking(p)
    shown, _ = league(p, list(r["authority"]))
    t = r[r["authority"].isin(shown)].copy()
    n_invest = int((r["option_category"] != "bau").sum())
    t["council"] = [short(p.authority(a)["name"]) for a in t["authority"]]
    t["way_forward"] = [
        "Business as usual" if c == "bau" else str(n)
        for c, n in zip(t["option_category"], t["option_name"], strict=True)
    ]
    t["bcr_text"] = [
        "" if c == "bau" else bcr_text(b, k)
        for c, b, k in zip(t["option_category"], t["pv_benefits"], t["pv_costs"], strict=True)
    ]
    lead = (
        f"With {fmt.number(len(r))} councils, the per-council tables of the programme's documents "
        f"(this business case, the final report, the user-research report and the roadmap) "
        f"show {fmt.word(2 * LEAGUE_SIZE)} of them: the {fmt.word(LEAGUE_SIZE)} whose "
        "preferred way forward has the highest NPSV and "
        f"the {fmt.word(LEAGUE_SIZE)} with the lowest. Every council's rows are in the programme "
        "workbook, "
        f"[{WORKBOOK}]({WORKBOOK}), and in its case study.\n\n"
    )
    return lead + markdown_table(
        t,
        [
            ("rank", "Rank", "r"),
            ("council", "Council", "l"),
            ("service_area", "Service", "l"),
            ("way_forward", "Preferred way forward", "l"),
            ("npsv", "NPSV (£)", "r"),
            ("bcr_text", "BCR", "r"),
        ],
        caption=f"League table: the {fmt.word(LEAGUE_SIZE)} councils whose preferred way forward "
        f"has the highest NPSV and the {fmt.word(LEAGUE_SIZE)} with the lowest, of the "
        f"{fmt.number(n_invest)} that invest (every council is in the programme workbook)",
        label="league",
        formatters={"npsv": fmt.money, "rank": fmt.number},
    )


#: The programme workbook's sheets: (sheet, scope, stage, table); ``*`` stacks every council's.
WORKBOOK_TABLES = (
    ("Ranking", "programme", "costs", "comparison"),
    ("Options", "*", "costs", "options_results"),
    ("Decisions", "*", "costs", "options_decision"),
    ("Switching values", "*", "costs", "switching_values"),
    ("Monte Carlo", "*", "costs", "monte_carlo_summary"),
    ("Monte Carlo inputs", "*", "costs", "monte_carlo_inputs"),
    ("Benefit sources", "*", "costs", "benefit_sources"),
    ("Benefit timing", "*", "journeys", "benefit_timing"),
    ("Affordability", "*", "costs", "affordability"),
    ("Cost lines", "*", "costs", "cost_lines"),
    ("Funding status", "programme", "costs", "funding_status"),
    ("Funding sources", "programme", "costs", "funding_sources"),
    ("Financial requirement", "programme", "costs", "financial_requirement"),
    ("Benefits realisation", "programme", "costs", "benefits_realisation"),
    ("National scale", "programme", "costs", "national_scale"),
    ("Roadmaps", "*", "journeys", "roadmap"),
    ("Tools", "*", "journeys", "tool_ranking"),
    ("Systems", "programme", "journeys", "systems_summary"),
    ("Objectives", "*", "journeys", "objectives_check"),
    ("Maturity", "*", "journeys", "maturity_levels"),
    ("Gaps", "*", "journeys", "gap_summary"),
    ("Survey constructs", "*", "survey", "construct_summary"),
    ("Survey answers", "programme", "survey", "distributions"),
)


def workbook_sheets(p: Published) -> dict[str, pd.DataFrame]:
    """Every council's rows of the per-council tables, one sheet each (:data:`WORKBOOK_TABLES`),
    as published (controlled counts, suppression markers kept as empty cells)."""
    ids = [a["id"] for a in p.authorities]
    sheets = {}
    for sheet, scope, stage, name in WORKBOOK_TABLES:
        if scope == "*":
            frames = [p.table(a, stage, name).assign(authority=a) for a in ids]
            df = pd.concat(frames, ignore_index=True)
            df = df[["authority", *[c for c in df.columns if c != "authority"]]]
        else:
            df = p.table(scope, stage, name)
        sheets[sheet] = df
    return sheets


def write_workbook(p: Published, path) -> None:
    """The programme workbook at ``path``: an About sheet, then :func:`workbook_sheets`
    (byte-identical for the same tables, :func:`analysis.core.xlsx.save_deterministic`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from analysis.core.xlsx import save_deterministic

    wb = Workbook()
    about = wb.active
    about.title = "About"
    about.append([str(p.programme["title"])])
    about.append(["Every council's rows of the programme documents' per-council tables, as "
                  "published (suppressed counts are empty cells)."])  # fmt: skip
    about.append([f"Councils: {len(p.authorities)}"])
    about["A1"].font = Font(bold=True)
    for sheet, df in workbook_sheets(p).items():
        ws = wb.create_sheet(sheet)
        ws.append([str(c) for c in df.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in df.itertuples(index=False):
            ws.append([None if _empty(v) else _plain(v) for v in row])
    wb.properties.creator = "council-data-roadmap"
    save_deterministic(wb, path)


def _empty(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _plain(v):
    """A cell value openpyxl writes: numpy scalars as Python numbers, the rest as they are."""
    return v.item() if isinstance(v, np.generic) else v


# ------------------------------------------------------------------------------ sentences


def _counted(counts: dict[str, int]) -> str:
    return fmt.prose_list(
        f"{words} in {fmt.word(n)} council{'s' if n != 1 else ''}"
        for words, n in counts.items()
        if n
    )


def summary_sentences(p: Published) -> dict[str, str]:
    """The summaries' sentences that list every council (the preferred ways forward, their
    value for money, the decisions sought, affordability, the brief), as counts over every
    council, for a :func:`summarised` programme; the league table names the councils."""
    r = ranking(p)
    n = len(r)
    kfs = {a: p.kf[(a, "costs")] for a in r["authority"]}
    invest = r[r["option_category"] != "bau"]
    bau = n - len(invest)
    agree = int((r["proposal_agrees"] == "yes").sum())
    limited = [a for a in r["authority"] if kfs[a]["decision_affordability_limit"] is not None]
    gaps = [a for a in invest["authority"] if (kfs[a]["affordability_gap"] or 0) > 0]
    vfm_counts = invest["vfm_category"].value_counts()
    return {
        "costs_sentence": (
            "The preferred way forward, the option with the highest net present social value of "
            "those that offer value for money within the council's constraints, is an "
            f"investment in {fmt.word(len(invest))} of the {fmt.number(n)} councils and business "
            f"as usual in {fmt.word(bau)}, where no option offers value for money. It is the "
            f"option the council proposed in {fmt.word(agree)} of the {fmt.number(n)}. Together "
            f"their preferred ways forward have an NPSV of {fmt.money(r['npsv'].sum())}; the "
            "economic case ranks the councils by theirs."
        ),
        "vfm_sentence": (
            "By the Department for Transport's value-for-money categories, the preferred ways "
            "forward offer "
            + _counted({vfm(c): int(vfm_counts.get(c, 0)) for c in vfm_counts.index})
            + "."
            if len(invest)
            else ""
        ),
        "decisions_sentence": (
            f"proceed to an outline business case for the preferred way forward of "
            f"{fmt.word(len(invest))} councils"
            + (
                f"; keep business as usual for now in {fmt.word(bau)}, where no option is both "
                "affordable and value for money"
                if bau
                else ""
            )
            + " (each council's decision is in the programme workbook and its case study)"
        ),
        "affordability_sentence": (
            "Only cashable benefits (budgets that can actually be released) count towards "
            "affordability. In nominal cash, with the risk allowance of the economic case, "
            f"{fmt.of_all(len(gaps), len(invest), True)} of the {fmt.word(len(invest))} councils "
            "that invest have an "
            "affordability gap (cashable benefits below the costs of the preferred way forward "
            f"in some year). {fmt.of_all(len(limited), n, True).capitalize()} of the "
            f"{fmt.number(n)} state "
            "an affordability limit, and the decision rule keeps their gaps within it. The "
            "funding plan below shows which sources meet the whole requirement, year by year."
        ),
        "brief_sentence": (
            f"{fmt.number(n)} councils each reviewed how data flows through one service, as "
            "proofs of concept for a roadmap and business case any council can reuse (the "
            "table of councils lists them)."
        ),
    }
