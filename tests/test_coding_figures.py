"""Tests of analysis.coding.figures: files and alt text written, only controlled counts
accepted, suppressed cells marked, reference lines drawn at 0.667 and 0.800."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis.coding as cd
from analysis.coding import figures as cf
from analysis.core.disclosure import DisclosureError, DisclosureRule

NHS = DisclosureRule(name="nhs", min_count=8, rounding_base=5)


@pytest.fixture
def captured(monkeypatch):
    """Record each figure as it is saved (the real save still runs)."""
    figures = []
    real = cf.plotting.save_figure

    def spy(fig, path, alt_text):
        figures.append(fig)
        return real(fig, path, alt_text)

    monkeypatch.setattr(cf.plotting, "save_figure", spy)
    return figures


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_code_frequency_figure(tmp_path, captured):
    table = pd.DataFrame(
        {
            "code": ["silo", "sharing", "rekeying"],
            "label": ["Siloed systems", "Sharing with partners", pd.NA],
            "n_excerpts": pd.array([25, pd.NA, 0], dtype="Int64"),
        }
    )
    path = tmp_path / "freq.png"
    alt = cf.code_frequency_figure(table, path, NHS, title="Leicester")
    assert path.exists() and path.with_suffix(".alt.txt").read_text().strip() == alt
    assert "Siloed systems (25)" in alt and "1 code(s) suppressed" in alt
    texts = _texts(captured[0])
    assert "[c]" in texts and "25" in texts
    bars = [p.get_width() for p in captured[0].axes[0].patches]
    assert bars == [25, 0, 0]  # the suppressed code has no bar
    labels = [t.get_text() for t in captured[0].axes[0].get_yticklabels()]
    assert labels == ["Siloed systems", "Sharing with partners", "rekeying"]


def test_code_frequency_figure_refuses_raw_counts(tmp_path):
    table = pd.DataFrame({"code": ["a", "b"], "n_excerpts": [3, 12]})
    with pytest.raises(DisclosureError):
        cf.code_frequency_figure(table, tmp_path / "raw.png", NHS)
    assert not (tmp_path / "raw.png").exists()


def test_cooccurrence_heatmap_marks_suppressed_cells(tmp_path, captured):
    specs = []
    for i in range(30):
        specs.append(("S1", f"E{i}", "fp", "C1", "a"))
        if i < 20:
            specs.append(("S1", f"E{i}", "fp", "C1", "b"))
        if i < 3:
            specs.append(("S1", f"E{i}", "fp", "C1", "c"))
    coding = pd.DataFrame(
        specs, columns=["session_id", "excerpt_id", "participant_role", "coder", "code"]
    ).assign(authority="leicester", is_adjudication=False)
    # broken down by role, the counts narrow to a group of participants: controlled
    by_role = cd.code_cooccurrence(
        cd.consensus_coding(coding), by=["authority", "participant_role"]
    )
    tidy = cd.controlled_cooccurrence(by_role, NHS)
    matrix = cd.cooccurrence_matrix(tidy.drop(columns=["authority", "participant_role"]))
    path = tmp_path / "cooc.png"
    alt = cf.cooccurrence_heatmap(matrix, path, NHS, labels={"a": "Alpha code"})
    assert path.exists()
    # a-b co-occur in 20 excerpts; a-c and b-c in 3 (suppressed), c alone 3 (suppressed)
    assert "Alpha code with b (20)" in alt and "2 pair(s) suppressed" in alt
    texts = _texts(captured[0])
    assert texts.count("[c]") == 5  # a-c, c-a, b-c, c-b, c-c
    hatched = [p for p in captured[0].axes[0].patches if p.get_hatch() == "///"]
    assert len(hatched) == 5
    raw = cd.cooccurrence_matrix(cd.code_cooccurrence(cd.consensus_coding(coding)).drop(
        columns="authority"))  # fmt: skip
    with pytest.raises(DisclosureError):
        cf.cooccurrence_heatmap(raw, tmp_path / "raw.png", NHS)


def test_agreement_figure_reference_lines_and_undefined(tmp_path, captured):
    agreement = pd.DataFrame(
        {
            "scope": ["code", "code", "code", "code", "overall"],
            "code": ["a", "b", "c", "d", pd.NA],
            "alpha": [0.9, 0.7, 0.4, np.nan, 0.72],
            "alpha_band": ["reliable", "tentative", "not reliable", pd.NA, "tentative"],
            "reason": [pd.NA, pd.NA, pd.NA, "code never applied", pd.NA],
        }
    )
    path = tmp_path / "agree.png"
    alt = cf.agreement_figure(agreement, path)
    assert path.with_suffix(".alt.txt").exists()
    assert "1 reliable" in alt and "1 tentative" in alt and "1 not reliable" in alt
    assert "below 0.667): c" in alt and "1 code(s) have no defined alpha" in alt
    assert "Overall alpha across codes: 0.72" in alt
    ax = captured[0].axes[0]
    vlines = sorted(
        line.get_xdata()[0] for line in ax.get_lines() if len(set(line.get_xdata())) == 1
        and len(line.get_xdata()) == 2
    )  # fmt: skip
    assert vlines == pytest.approx([0.667, 0.800])
    assert any(t.startswith("not defined: code never applied") for t in _texts(captured[0]))
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sorted(float(d.get_xdata()[0]) for d in dots) == pytest.approx([0.4, 0.7, 0.9])


def test_agreement_figure_from_intercoder_agreement(tmp_path):
    rng = np.random.default_rng(3)
    specs = []
    for e in range(30):
        for coder in ("C1", "C2"):
            applied = [c for c in "ab" if rng.random() < 0.4] or [""]
            specs += [("S1", f"E{e}", "fp", coder, c) for c in applied]
    coding = pd.DataFrame(
        specs, columns=["session_id", "excerpt_id", "participant_role", "coder", "code"]
    ).assign(authority="leicester", is_adjudication=False)
    agreement = cd.intercoder_agreement(coding, codes=["a", "b", "never"])
    alt = cf.agreement_figure(agreement, tmp_path / "agree.png")
    assert "3 codes" in alt and "1 code(s) have no defined alpha" in alt


def test_text_count_figures_show_counts_as_they_are(tmp_path, captured):
    """Council-wide excerpt counts are text (analysis.coding.scope): 3 is drawn as 3."""
    table = pd.DataFrame(
        {"code": ["a", "b"], "label": ["A", "B"], "n_excerpts": pd.array([3, 12], dtype="Int64")}
    )
    alt = cf.code_frequency_figure(table, tmp_path / "freq.png", NHS, text=True)
    assert "B (12), A (3)" in alt and "shown as they are" in alt
    assert "3" in _texts(captured[0]) and "[c]" not in _texts(captured[0])
    matrix = pd.DataFrame([[3, 1], [1, 12]], index=["a", "b"], columns=["a", "b"])
    alt = cf.cooccurrence_heatmap(matrix, tmp_path / "cooc.png", NHS, text=True)
    assert "a with b (1)" in alt and "suppressed" not in alt
    with pytest.raises(ValueError):
        cf.code_frequency_figure(
            table.assign(n_excerpts=[-1, 2]), tmp_path / "x.png", NHS, text=True
        )
