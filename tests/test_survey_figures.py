"""Tests of analysis.survey.figures: files written, alt text content, and that a suppressed
cell never appears as a small number (inspecting the Axes' artists, not pixels)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

import analysis.survey as sv
from analysis.core.disclosure import DisclosureError, rule_from_config
from analysis.core.formatting import pct
from analysis.survey import figures as sf

RULE = rule_from_config({"rule": "nhs"})
Q = {
    "scales": {
        "agreement": {
            "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
            "positive": [4, 5],
            "negative": [1, 2],
        }
    },
    "respondent_groups": [{"id": "manager", "label": "Managers"}],
    "constructs": [{"id": "data_use", "label": "Using data"}],
    "items": [
        {
            "id": "Q01",
            "type": "likert",
            "scale": "agreement",
            "construct": "data_use",
            "reverse": False,
            "text": "I use data to plan my work, and this item text is long enough that it "
            "has to be wrapped to fit the width of an A4 page",
        },
        {
            "id": "Q02",
            "type": "likert",
            "scale": "agreement",
            "construct": "data_use",
            "reverse": True,
            "text": "Reports are hard to get",
        },
    ],
}


def _survey() -> pd.DataFrame:
    # lambeth Q01: level 2 answered by 3 people -> suppressed; leicester all levels >= 10
    counts = {
        "lambeth": {"Q01": [20, 3, 15, 30, 25], "Q02": [12, 14, 16, 18, 20]},
        "leicester": {"Q01": [10, 12, 14, 30, 40], "Q02": [20, 18, 16, 14, 12]},
    }
    rows = []
    for auth, items in counts.items():
        q1 = np.repeat(np.arange(1, 6), items["Q01"])
        q2 = np.repeat(np.arange(1, 6), items["Q02"])
        q2 = np.resize(q2, len(q1))  # same number of rows; values still all 1..5
        for a, b in zip(q1, q2, strict=True):
            rows.append({"authority": auth, "Q01": a, "Q02": b})
    df = pd.DataFrame(rows)
    df.insert(1, "response_id", [f"r{i}" for i in range(len(df))])
    df.insert(2, "respondent_group", "manager")
    df.insert(3, "wave", 1)
    df["Q01"] = df["Q01"].astype("Int64")
    df["Q02"] = df["Q02"].astype("Int64")
    return df


def _controlled():
    return sv.controlled_distributions(sv.item_distributions(_survey(), Q, by="authority"), RULE)


def test_writes_png_and_alt_text(tmp_path):
    path = tmp_path / "fig" / "data_use.png"
    alt = sf.plot_likert_construct(_controlled(), Q, "data_use", RULE, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    alt_file = path.with_suffix(".alt.txt")
    assert alt_file.read_text(encoding="utf-8").strip() == alt.strip()
    assert "Using data" in alt and "data_use" not in alt  # the label, never the raw id
    for name in ("Lambeth", "Leicester", "All"):
        assert name in alt
    assert "Q01" in alt and "Q02" in alt


def test_suppressed_cell_is_not_drawn_as_a_number():
    ctl = _controlled()
    raw_small_pct = 100 * 3 / 93  # what the suppressed lambeth cell would have shown
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    # the suppressed cell shows as the marker, never as its count or a percentage of it
    assert RULE.marker in texts
    assert "3" not in texts and pct(raw_small_pct) not in texts
    # bars drawn = published non-zero segments, plus one hatched segment per bar with any
    # suppressed answer, as wide as the suppressed answers together (100% less the published
    # shares of that bar), so the bar does not look as if nobody gave them (issue 12, point 9)
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0.5]
    solid = [b for b in bars if not b.get_hatch()]
    hatched = [b for b in bars if b.get_hatch()]
    auth = ctl[ctl["group_by"] == "authority"]
    published = auth[auth["percent"].notna() & (auth["percent"] > 0)]
    assert len(solid) == len(published)
    widths = sorted(round(b.get_width(), 9) for b in solid)
    assert widths == sorted(round(float(p), 9) for p in published["percent"])
    expected_hidden = sorted(
        round(100 - g["percent"].sum(), 6)
        for _, g in auth.groupby(["item_id", "group"])
        if g["percent"].isna().any()
    )
    assert expected_hidden  # the fixture has suppressed cells
    assert sorted(round(b.get_width(), 6) for b in hatched) == expected_hidden
    lam = ctl[(ctl["group"] == "lambeth") & (ctl["item_id"] == "Q01")].set_index("level")
    assert pd.isna(lam.loc["2", "count"])  # sanity: the cell is indeed suppressed
    # every percentage label printed equals a published (controlled) percentage
    printed = {t for t in texts if t.endswith("%")}
    # formatted by the project's one percentage format (halves away from zero: 32.5 -> 33%)
    allowed = {pct(float(p)) for p in published["percent"]}
    assert printed <= allowed
    plt.close(fig)


def test_neutral_centred_and_labels_contrast():
    ctl = _controlled()
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE, groups=["leicester"])
    ax = fig.axes[0]
    grey = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0.5]
    grey_rgb = (0xBF / 255,) * 3  # plotting.NEUTRAL_GREY
    neutral = [p for p in grey if p.get_facecolor()[:3] == pytest.approx(grey_rgb)]
    lei = ctl[(ctl["group"] == "leicester") & (ctl["level"] == "3")]
    assert len(neutral) == lei["percent"].notna().sum() >= 1  # published neutral segments
    for p in neutral:
        assert p.get_x() + p.get_width() / 2 == pytest.approx(0.0)
    # text on the darkest segments is white (plotting.text_colour_on)
    dark = [t for t in ax.texts if t.get_text().endswith("%") and t.get_color() == "#FFFFFF"]
    assert dark
    plt.close(fig)


def test_refuses_uncontrolled_counts():
    raw = sv.item_distributions(_survey(), Q, by="authority")
    with pytest.raises(DisclosureError):
        sf.draw_likert_construct(raw, Q, "data_use", RULE)
