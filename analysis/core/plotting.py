"""Shared chart conventions: the Analysis Function palette, A4 sizing, saving with alt text.

Follows the UK Government Analysis Function guidance on data visualisation: the accessible
categorical palette (in its published order), direct labels over legends, and alt text for
every figure. Source: https://analysisfunction.civilservice.gov.uk/policy-store/data-visualisation-colours-in-charts/
(categorical palette, 2023). Every figure module in ``analysis`` draws through here so that
the style lives in one place.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on the machines that run the pipeline
import matplotlib.pyplot as plt

from analysis.core.page import (  # noqa: F401  (the page's measures, for the chart modules)
    A4_TEXT_HEIGHT_IN,
    A4_TEXT_WIDTH_IN,
    FIGURE_MAX_HEIGHT_IN,
)

#: Analysis Function categorical palette, in the order the guidance says to use it.
CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Sequential shades of the first categorical colour (dark to light).
SEQUENTIAL = ("#12436D", "#2073BC", "#6BACE6", "#BBD7F3")
#: Two-sided scale for diverging charts (negative ... neutral ... positive).
DIVERGING = ("#801650", "#C77CA0", "#BFBFBF", "#6BACE6", "#12436D")
NEUTRAL_GREY = "#BFBFBF"
TEXT = "#0B0C0C"


_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.edgecolor": "#6F777B",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=CATEGORICAL),
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "svg.hashsalt": "council-data-roadmap",  # stable SVG ids: same inputs, same bytes
    "pdf.compression": 6,
}


def new_figure(height_in: float, width_in: float = A4_TEXT_WIDTH_IN):
    """Return ``(fig, ax)`` sized for the A4 text block with the house style applied."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(width_in, height_in), layout="constrained")
    return fig, ax


def style():
    """Context manager applying the house style (for figures with several axes)."""
    return plt.rc_context(_RC)


def text_colour_on(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with ``hex_colour`` (WCAG relative luminance)."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return "#FFFFFF" if contrast_white >= contrast_black else TEXT


def save_figure(fig, path: str | Path, alt_text: str) -> tuple[Path, Path]:
    """Save ``fig`` as PNG (200 dpi, no timestamp metadata) and its alt text beside it.

    The alt text goes to ``<path without suffix>.alt.txt``; reports read it from there.
    Returns the two paths written.
    """
    path = Path(path)
    if not alt_text or not alt_text.strip():
        raise ValueError("every figure needs alt text")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=200, metadata={"Software": None})
    plt.close(fig)
    alt_path = path.with_suffix(".alt.txt")
    alt_path.write_text(alt_text.strip() + "\n", encoding="utf-8")
    return path, alt_path
