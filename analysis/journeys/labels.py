"""Text in the stage's figures: wrapped labels and counted nouns, one rule for all of them."""

from __future__ import annotations

import textwrap

from analysis.core import formatting as fmt


def wrap_label(text: str, width: int, lines: int = 2) -> str:
    """``text`` wrapped at ``width`` characters on at most ``lines`` lines ("…" if cut)."""
    parts = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(width - 1, 1)] + "…"
    return "\n".join(parts)


def council_label(authority: str) -> str:
    """A council's id in words ("milton_keynes" -> "Milton Keynes"), for charts and alt text."""
    return str(authority).replace("_", " ").title()


plural = fmt.plural  # "1 stream", "2 streams": one definition, in analysis.core.formatting
