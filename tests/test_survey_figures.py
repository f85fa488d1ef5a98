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
    return sv.collapsed_distributions(sv.item_distributions(_survey(), Q, by="authority"), Q, RULE)


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0.5]


def test_writes_png_and_alt_text(tmp_path):
    path = tmp_path / "fig" / "data_use.png"
    alt = sf.plot_likert_construct(_controlled(), Q, "data_use", RULE, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    alt_file = path.with_suffix(".alt.txt")
    assert alt_file.read_text(encoding="utf-8").strip() == alt.strip()
    assert "Using data" in alt and "data_use" not in alt  # the label, never the raw id
    for name in ("Lambeth", "Leicester", "All"):
        assert name in alt
    assert "Q01" in alt and "Q02" in alt and "reverse-keyed" in alt


def test_collapsing_before_control_leaves_fewer_cells_suppressed():
    """Lambeth Q01 has 3 answers at level 2: the five-level table suppresses that cell and
    a second one of its row; collapsed, disagree is 20 + 3 = 23 and nothing is suppressed."""
    five = sv.controlled_distributions(sv.item_distributions(_survey(), Q, by="authority"), RULE)
    lam5 = five[(five["group"] == "lambeth") & (five["item_id"] == "Q01")]
    assert lam5["count"].isna().sum() >= 2
    three = _controlled().set_index(["group", "item_id"])
    assert (
        three.loc[("lambeth", "Q01"), ["n_unfavourable", "n_neutral", "n_favourable"]].notna().all()
    )
    assert three.loc[("lambeth", "Q01"), "n_unfavourable"] == 25  # 23 rounded to 5
    # a reverse-keyed item counts disagreement as favourable. Leicester Q02 (the fixture
    # resizes Q02 to Q01's 106 answers): levels [40, 24, 16, 14, 12]; favourable = 40 + 24 = 64,
    # rounded 65, of n = 106 rounded 105 (percentages from rounded counts)
    assert three.loc[("leicester", "Q02"), "pct_favourable"] == pytest.approx(100 * 65 / 105)
    assert three.loc[("leicester", "Q02"), "n_unfavourable"] == 25  # 14 + 12 = 26


def _with_suppression():
    """The collapsed fixture with Lambeth Q01's favourable and neutral cells suppressed (as a
    small council's would be), the rest as published."""
    ctl = _controlled().copy()
    hit = (ctl["group"] == "lambeth") & (ctl["item_id"] == "Q01")
    ctl.loc[hit, ["n_favourable", "n_neutral"]] = pd.NA
    ctl.loc[hit, ["pct_favourable", "pct_neutral"]] = pd.NA
    ctl.loc[hit, "pct_suppressed"] = 100 - ctl.loc[hit, "pct_unfavourable"].astype(float)
    return ctl, hit


def test_suppressed_answers_are_drawn_apart_never_on_either_side():
    """Review finding 9: Canterbury Q02 drew a hatched 47% block on the agree side, so a bar
    25.8% favourable looked 70% positive. Now the main chart draws only published categories,
    and the suppressed share is a hatched bar in its own column, on the second axes."""
    ctl, hit = _with_suppression()
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE)
    main, side = fig.axes[0], fig.axes[1]
    assert not [b for b in _bars(main) if b.get_hatch()]  # nothing hatched beside the bars
    hatched = [b for b in _bars(side) if b.get_hatch()]
    assert [round(b.get_width(), 9) for b in hatched] == [
        round(float(ctl.loc[hit, "pct_suppressed"].iloc[0]), 9)
    ]
    assert side.get_title(loc="left") == f"{RULE.marker} suppressed"
    # and no unsuppressed bar reaches past the published shares on the favourable side
    texts = [t.get_text() for t in main.texts]
    assert RULE.marker not in texts
    plt.close(fig)


def test_the_share_drawn_as_favourable_is_the_tables():
    """Chart and table agree: for every bar the width drawn on the favourable side equals the
    table's ``pct_favourable`` where published (none where it is suppressed), the reverse-keyed
    item included (its favourable side is disagreement)."""
    ctl, _hit = _with_suppression()
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE)
    main = fig.axes[0]
    fav_colour = plotting_colour("favourable")
    drawn = sorted(round(b.get_width(), 9) for b in _bars(main)
                   if b.get_facecolor()[:3] == pytest.approx(fav_colour) and b.get_x() >= -1e-9)  # fmt: skip
    table = sorted(round(float(v), 9) for v in ctl["pct_favourable"].dropna() if v > 0)
    assert drawn == table
    for _, row in ctl.iterrows():
        shares = sf.drawn_shares(row)
        if pd.isna(row["pct_favourable"]):
            assert shares["favourable"] is None
        else:
            assert shares["favourable"][1] == pytest.approx(float(row["pct_favourable"]))
    plt.close(fig)


def plotting_colour(category: str):
    from matplotlib.colors import to_rgb

    from analysis.core import plotting

    d = plotting.DIVERGING
    return to_rgb({"unfavourable": d[0], "neutral": d[len(d) // 2], "favourable": d[-1]}[category])


def test_neutral_centred_and_labels_contrast():
    ctl = _controlled()
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE, groups=["leicester"])
    ax = fig.axes[0]
    neutral = [
        p for p in _bars(ax) if p.get_facecolor()[:3] == pytest.approx(plotting_colour("neutral"))
    ]
    lei = ctl[ctl["group"] == "leicester"]
    assert len(neutral) == int((lei["pct_neutral"].fillna(0) > 0).sum()) >= 1
    for p in neutral:
        assert p.get_x() + p.get_width() / 2 == pytest.approx(0.0)
    dark = [t for t in ax.texts if t.get_text().endswith("%") and t.get_color() == "#FFFFFF"]
    assert dark
    plt.close(fig)


def test_refuses_uncontrolled_counts():
    raw = sv.collapsed_distributions(sv.item_distributions(_survey(), Q, by="authority"), Q, RULE)
    raw["n_favourable"] = raw["n_favourable"].astype("Float64") + 1  # 26, 31: not rounded
    with pytest.raises(DisclosureError):
        sf.draw_likert_construct(raw, Q, "data_use", RULE)


def test_no_suppressed_column_when_nothing_is_suppressed():
    ctl = _controlled()
    assert not (ctl["pct_suppressed"].fillna(0) > 0).any()  # the fixture collapses cleanly
    fig, _ = sf.draw_likert_construct(ctl, Q, "data_use", RULE)
    assert len(fig.axes) == 1
    plt.close(fig)
    fig, _ = sf.draw_likert_construct(_with_suppression()[0], Q, "data_use", RULE)
    assert len(fig.axes) == 2
    plt.close(fig)
