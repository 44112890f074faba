"""A page holding one chart of each kind, with awkward data too, for the tests that render charts in a browser
(tests/a11y/test_charts_axe.py) and in a PDF (tests/test_charts_render.py)."""

import datetime as dt

from django.template.loader import render_to_string

from trackii.charts import Lane, Mark, Series, bar_chart, funnel_chart, line_chart, timeline_chart
from trackii.sealing.pdf import inline_stylesheet


def every_kind():
    yield bar_chart(
        key="composition",
        title="Attended seats by proximity to officialdom",
        description="Side B has no former officials.",
        categories=["W1 Lisbon", "W2", "W3"],
        series=[
            Series("Serving official", (4, 3, None)),
            Series("Former official", (2, 0, 1)),
            Series("Civil society", (3, 3, 4)),
        ],
        unit="seats",
        stacked=True,
        category_label="Workshop",
    )
    yield bar_chart(
        key="sides",
        title="Participants per side",
        description="Both sides sent about as many.",
        categories=["2025 Q1", "2025 Q2"],
        series=[Series("North", (6, None)), Series("South", (7, 12345678))],
        unit="participants",
    )
    yield line_chart(
        key="retention",
        title="Retention across the series",
        description="Two in three return.",
        categories=["W1", "W2", "W3"],
        series=[Series("Returned", (None, 80, 66.7)), Series("Newcomers", (100, 20, 33.3))],
        unit="%",
        maximum=100,
    )
    yield funnel_chart(
        key="transfers",
        title="Transfer pipeline",
        description="Of 14 ideas raised, 2 reached an official outcome.",
        stages=["Idea raised", "Shared with officials", "Reflected in an official outcome"],
        counts=[14, 6, 2],
        unit="outcomes",
    )
    yield timeline_chart(
        key="ripeness",
        title="Ripeness",
        description="Workshops went on while talks broke down.",
        lanes=[
            Lane("Workshops", (Mark(dt.date(2026, 1, 10), "W1"), Mark(dt.date(2026, 5, 10), "W2"))),
            Lane("Official process", (Mark(dt.date(2026, 3, 1), "Talks broke down"),)),
        ],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
    )
    yield bar_chart(
        key="days",
        title="Fifty days",
        description="Many narrow bars.",
        categories=[f"{n + 1} Jan" if n < 31 else f"{n - 30} Feb" for n in range(50)],
        series=[Series("Allowed", tuple(n % 9 for n in range(50))), Series("Denied", (1,) * 50)],
        unit="rows",
        stacked=True,
    )


def page(*, pdf: bool = False) -> str:
    """Every chart in the figure include, styled as on the site or, with ``pdf``, as in the PDFs."""
    figures = "".join(
        render_to_string("charts/figure.html", {"chart": c, "csv_url": "#"}) for c in every_kind()
    )
    if pdf:
        style = (
            render_to_string("sealing/pdf/fonts.css")
            + inline_stylesheet("pdf/summary.css")
            + inline_stylesheet("pdf/charts.css")
        )
    else:
        style = inline_stylesheet("css/trackii.css")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>'
        f"<style>{style}</style></head>"
        f'<body><main class="site-main"><h1>Charts</h1>{figures}</main></body></html>'
    )
