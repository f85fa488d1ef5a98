"""Constants and the error type shared by the renderer's modules."""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).with_name("assets")
FORMATS = ("html", "pdf")
RENDERERS = ("auto", "quarto", "pandoc")
CALLOUT_KINDS = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
}
REF_KINDS = {"fig": "Figure", "tbl": "Table", "sec": "Section"}
WIDE_TABLE_COLUMNS = 6
NBSP = "\u00a0"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
CLOCK_DATES = {"today", "now", "last-modified"}


class RenderError(ValueError):
    """A report source cannot be rendered; the message names the file (and line)."""
