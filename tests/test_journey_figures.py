"""Tests of analysis.journeys.figures: the figures render, mark what they should, carry alt text."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
import pytest

from analysis import journeys as jm
from analysis.core.plotting import A4_TEXT_WIDTH_IN, FIGURE_MAX_HEIGHT_IN, save_figure
from analysis.core.vocabulary import STAGES
from analysis.journeys import figures as jf
from analysis.journeys import roadmap as rm

ROOT = Path(__file__).resolve().parents[1]


def _register(n_streams: int) -> pd.DataFrame:
    rows = []
    for i in range(n_streams):
        sid = f"S{i + 1:02d}"
        for k, stage in enumerate(STAGES):
            if i % 3 == 1 and stage == "aggregation":
                continue  # every third stream lacks aggregation -> G03
            rows.append(
                {
                    "authority": "testshire",
                    "stream_id": sid,
                    "stream_name": f"Referral stream number {i + 1}",
                    "stage": stage,
                    "source": "police" if i % 2 else "council",
                    "channel": "online_form",
                    "system": f"System {k}",
                    "dq_audit": "no" if (i == 0 and stage == "validation") else "yes",
                    "security_controls": "access control",
                    "manual_rekeying": False,
                    "sharing_agreement": "yes" if i % 2 else "not_applicable",
                    "frequency": "daily",
                    "volume_per_year": 100,
                    "last_reviewed": "within_1_year",
                    "notes": "",
                }
            )
    return pd.DataFrame(rows)


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize("n_streams", [6, 12])
def test_journey_map_marks_every_gap_and_fits_a4(tmp_path, n_streams):
    j = jm.journey_table(_register(n_streams))
    gaps = jm.find_gaps(j, jm.read_gap_rules(ROOT / "survey" / "gap_rules.csv"))
    # G01 on S01 validation; G03 on streams 2, 5, 8, 11 (index 1, 4, 7, 10)
    n_g03 = len(range(1, n_streams, 3))
    assert len(gaps) == 1 + n_g03
    fig, alt = jf.journey_map(j, gaps, "testshire")
    texts = _texts(fig)
    # one "!" badge per marked stage plus one per gap kind in the key
    assert texts.count("!") == (1 + n_g03) + 2
    assert texts.count("G03") == n_g03
    assert any(t.startswith("G01 No data-quality audit") for t in texts)
    w, h = fig.get_size_inches()
    assert w == pytest.approx(A4_TEXT_WIDTH_IN)
    # the A4 text block (25.5 cm) less room for the caption: a chart never breaks from its
    # caption, so a taller one pushed the caption into the page footer (Lambeth's 9 streams)
    assert h <= FIGURE_MAX_HEIGHT_IN
    png, alt_path = save_figure(fig, tmp_path / "map.png", alt)
    assert mpimg.imread(png).shape[1] == round(A4_TEXT_WIDTH_IN * 200)
    assert f"{n_streams} data streams of Testshire" in alt
    assert f"; No aggregation or warehouse: {n_g03} streams" in alt_path.read_text()
    assert "G0" not in alt  # the figure keys its marks by id; the alt text names the gaps
    # the alt text counts gaps as the report's text does (one per gap rule and stream), and
    # says how many marks they make (a gap showing at two stages is marked twice): review
    # finding 33, "86 gap marks" in the alt text against "37 gaps" in the text
    marks = sum(len(str(s).split(";")) for s in gaps["stages"])
    assert f"{1 + n_g03} gaps (a gap rule found on a stream" in alt
    assert f"{marks} marks in all" in alt


def _box_codes_and_key(fig) -> tuple[set, set]:
    """Gap codes printed in the map's boxes, and codes the key spells out ("G01 label")."""
    boxes, key = set(), set()
    for t in _texts(fig):
        words = t.split()
        if words and all(re.fullmatch(r"G\d\d", w) for w in words):
            boxes |= set(words)
        elif words and re.fullmatch(r"G\d\d", words[0]) and len(words) > 1:
            key.add(words[0])
    return boxes, key


def test_every_code_on_the_map_is_in_its_key():
    """Review finding 25: the boxes keep their gap codes only because the key spells them
    out, so every code a box shows must be in the key. A register with several kinds of gap on
    several stages (no audit, no security control, re-keying, spreadsheets, no aggregation)."""
    reg = _register(8)
    reg.loc[reg["stage"] == "processing", "manual_rekeying"] = True
    reg.loc[(reg["stage"] == "storage") & (reg["stream_id"] == "S02"), "system"] = "Spreadsheet"
    reg.loc[(reg["stage"] == "capture") & (reg["stream_id"] == "S03"), "security_controls"] = "none"
    j = jm.journey_table(reg)
    gaps = jm.find_gaps(j, jm.read_gap_rules(ROOT / "survey" / "gap_rules.csv"))
    assert gaps["gap_id"].nunique() >= 4
    fig, _ = jf.journey_map(j, gaps, "testshire")
    boxes, key = _box_codes_and_key(fig)
    assert boxes == set(gaps["gap_id"]) and boxes <= key


def test_journey_map_unknown_authority():
    j = jm.journey_table(_register(6))
    with pytest.raises(ValueError, match="no journeys"):
        jf.journey_map(j, j.iloc[0:0], "elsewhere")


def test_gap_overview_and_maturity_heatmap(tmp_path):
    rules = jm.read_gap_rules(ROOT / "survey" / "gap_rules.csv")
    j = jm.journey_table(_register(6))
    summ = jm.gap_summary(jm.find_gaps(j, rules), j, rules)
    fig, alt = jf.gap_overview(summ)
    texts = _texts(fig)
    assert texts.count("2 of 6") == 1  # G03 on streams 2 and 5
    assert texts.count("0 of 6") == len(rules) - 2
    assert "No aggregation or warehouse in Testshire (2 of 6)" in alt
    assert "G0" not in alt and "G0" not in " ".join(texts)  # names, never gap ids
    save_figure(fig, tmp_path / "gaps.png", alt)

    levels = pd.DataFrame(
        {
            "authority": ["a"] * 6 + ["b"] * 6,
            "theme": list(jm.MATURITY_THEMES) * 2,
            "level": pd.array([1, 2, 3, 4, 5, None] * 2, dtype="Int64"),
        }
    )
    fig, alt = jf.maturity_heatmap(levels)
    texts = _texts(fig)
    for label in ("1 beginning", "2 emerging", "3 learning", "4 developing", "5 mastering"):
        assert texts.count(label) == 2
    assert texts.count("no evidence") == 2
    # council and theme in words, never their ids (issue 12, point 9)
    assert "A: Uses 1, Data 2, Leadership 3, Culture 4, Tools 5, Skills no evidence" in alt
    save_figure(fig, tmp_path / "maturity.png", alt)


def test_roadmap_gantt(tmp_path):
    sched = rm.schedule_actions(rm.read_roadmap_actions(ROOT / "survey" / "roadmap_actions.csv"))
    fig, alt = jf.roadmap_gantt(sched, title="Test roadmap")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.62)]
    assert len(bars) == len(sched)
    spans = sorted((b.get_x(), b.get_x() + b.get_width()) for b in bars)
    assert spans == sorted(zip(sched["start_month"], sched["end_month"], strict=True))
    assert f"Gantt chart of {len(sched)} actions" in alt
    save_figure(fig, tmp_path / "gantt.png", alt)


# ----------------------------------------------------------------------------- issue 12

TOOLS = pd.DataFrame(
    {
        "authority": ["a", "a", "a", "b"],
        "system": ["Warehouse", "Case system", "Spreadsheet", "Portal"],
        "impact": [5, 5, 2, 3],
        "value_added": [4, 2, 3, 3],
        "criticality": [5, 5, 1, 3],
        "total": [14, 12, 6, 9],
        "rank": [1, 2, 3, 1],
    }
)


def test_tool_score_chart_one_marker_per_measure_ranked(tmp_path):
    """Three tools -> three markers per measure, at the scores, rank 1 at the top; totals at
    the right; the alt text lists every tool with its three scores."""
    fig, alt = jf.tool_score_chart(TOOLS[TOOLS["authority"] == "a"], title="Tool scores: A")
    ax = fig.axes[0]
    offsets = [c.get_offsets() for c in ax.collections]
    assert len(offsets) == 3  # impact, value added, criticality
    impact = sorted((float(y), float(x)) for x, y in offsets[0])
    assert [x for _, x in impact] == [5, 5, 2]  # y grows downwards: rank 1, 2, 3
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "1. Warehouse",
        "2. Case system",
        "3. Spreadsheet",
    ]
    assert {"14", "12", "6"} <= set(_texts(fig))
    assert "1 Warehouse: impact 5, value added 4, criticality 5 (total 14)" in alt
    assert "decision use is scored as a stage, not a tool" in alt
    w, _h = fig.get_size_inches()
    assert w == pytest.approx(A4_TEXT_WIDTH_IN)
    png, _ = save_figure(fig, tmp_path / "tools.png", alt)
    assert mpimg.imread(png).shape[1] == round(A4_TEXT_WIDTH_IN * 200)


def test_programme_tool_chart_has_a_panel_per_council_and_fits_a4(tmp_path):
    names = {"a": "Council A", "b": "Council B"}
    fig, alt = jf.programme_tool_chart(TOOLS, names, title="Tool scores by council")
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Council A", "Council B"]
    assert fig.get_size_inches()[1] <= FIGURE_MAX_HEIGHT_IN
    assert "Council B: 1 Portal: impact 3, value added 3, criticality 3 (total 9)." in alt
    save_figure(fig, tmp_path / "prog_tools.png", alt)


def test_council_spans_merge_and_the_programme_gantt_shows_them():
    """A09 at 6-12 in two councils and 24-30 in two others: spans 6-12 and 24-30, drawn
    solid over a pale 6-30 window; A07 at 12-24 and 18-30 overlap: one span 12-30."""
    roads = pd.DataFrame(
        {
            "authority": ["k", "l", "m", "n", "m", "n"],
            "action_id": ["A09", "A09", "A09", "A09", "A07", "A07"],
            "start_month": [6, 6, 24, 24, 12, 18],
            "end_month": [12, 12, 30, 30, 24, 30],
        }
    )
    spans = jf.council_spans(roads)
    assert spans == {"A07": [(12, 30)], "A09": [(6, 12), (24, 30)]}
    prog = pd.DataFrame(
        {
            "action_id": ["A09"],
            "title": ["Reports"],
            "lifecycle_stage": ["mine"],
            "start_month": [6],
            "end_month": [30],
            "phase": ["next"],
        }
    )
    fig, alt = jf.roadmap_gantt(prog, bars=jf.PROGRAMME_BARS, spans=spans)
    bars = [p for p in fig.axes[0].patches if p.get_height() == pytest.approx(0.62)]
    drawn = sorted((b.get_x(), b.get_x() + b.get_width(), b.get_alpha()) for b in bars)
    assert drawn == [(6, 12, None), (6, 30, 0.25), (24, 30, None)]
    assert "A09 Reports: months 6–12 and 24–30" in alt
    assert "first council's start to the last council's end" in alt
