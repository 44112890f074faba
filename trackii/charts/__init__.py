"""Charts drawn on the server as accessible SVG, each with the table of its numbers.

Why a small module of our own rather than a chart library: docs/decisions/0021-charts.md. A chart is built
from plain numbers by one of the functions below (``bar_chart``, ``line_chart``, ``funnel_chart``,
``timeline_chart``) and shown with ``{% include "charts/figure.html" with chart=chart %}``, which puts the SVG
(``role="img"`` with a <title> and <desc>), a legend in words and the table of every number in one <figure>.
The same include works in the PDFs (WeasyPrint draws inline SVG; base.py says what it needs).

Readable without colour: every series has its own texture (bars) or dash and point shape (lines) as well as
its colour, values are written beside their bars and points where there is room, and the table says
everything the picture does. No script, no style attribute (the CSP allows neither inline), nothing loaded
from anywhere.

A value of ``None`` is withheld (a small count suppressed so that nobody can be singled out): nothing is drawn
for it, its place says "withheld" (or an en dash where the word does not fit), and so does the table.
"""

from trackii.charts.bars import bar_chart, funnel_chart
from trackii.charts.base import WITHHELD, Chart, Lane, Mark, Series, Table
from trackii.charts.lines import line_chart, timeline_chart

__all__ = [
    "WITHHELD",
    "Chart",
    "Lane",
    "Mark",
    "Series",
    "Table",
    "bar_chart",
    "funnel_chart",
    "line_chart",
    "timeline_chart",
]
