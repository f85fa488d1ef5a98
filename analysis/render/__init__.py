"""The fallback renderer: the Quarto report sources rendered with pandoc (HTML) and typst (PDF)."""

from analysis.render.engine import RenderError, choose_renderer, render_document

__all__ = ["RenderError", "choose_renderer", "render_document"]
