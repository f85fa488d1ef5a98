"""The PDF page the charts are drawn for (A4, the reports' margins), without matplotlib.

The one place for the page's measures: the charts are drawn at the text width
(:mod:`analysis.core.plotting`), and the report scales down a chart drawn taller than
:data:`FIGURE_MAX_HEIGHT_IN` (:func:`analysis.report.markdown.figure`).
"""

#: Width of the text block of an A4 page with 2 cm margins, in inches.
A4_TEXT_WIDTH_IN = 6.7
#: Height of the PDF's text block (A4, 2 cm top and 2.2 cm bottom margins: 25.5 cm), in inches.
A4_TEXT_HEIGHT_IN = (29.7 - 2.0 - 2.2) / 2.54
#: The tallest a chart may be drawn: the text block less room for a two-line caption and the
#: space around a figure, so a chart and its caption always fit on one page (a chart never
#: breaks from its caption; the report scales down anything taller,
#: :func:`analysis.report.markdown.figure`).
FIGURE_MAX_HEIGHT_IN = A4_TEXT_HEIGHT_IN - 1.0
