"""trackii.charts: SVG charts drawn on the server, each with its table; the CSV of a table."""

import csv
import datetime as dt
import io

from django.template.loader import render_to_string

from tests.chartpages import every_kind
from trackii.charts import WITHHELD, Lane, Mark, Series, bar_chart, funnel_chart, line_chart, timeline_chart
from trackii.charts.export import csv_response


def test_bar_chart_escapes_names_and_labels_itself_for_screen_readers():
    chart = bar_chart(
        key="seats",
        title="Seats <script>",
        description="Side B has <b>no</b> former officials.",
        categories=["W1 <i>"],
        series=[Series("Serving & former", (3,))],
        unit="seats",
    )
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    assert "<b>" not in chart.svg and "<i>" not in chart.svg
    assert 'role="img"' in chart.svg and 'aria-labelledby="seats-svg-title seats-svg-desc"' in chart.svg
    assert "<style" not in chart.svg and " style=" not in chart.svg and "<script" not in chart.svg


def test_stacked_bar_chart_draws_nothing_for_a_withheld_value_and_its_total_is_withheld():
    chart = bar_chart(
        key="sides",
        title="Participants per side",
        description="",
        categories=["Q1", "Q2"],
        series=[Series("North", (6, None)), Series("South", (7, 8))],
        unit="participants",
        stacked=True,
    )
    assert chart.table.rows == (("Q1", 6, 7, 13), ("Q2", None, 8, None))
    assert chart.table.cells()[1] == ["Q2", WITHHELD, 8, WITHHELD]
    assert chart.svg.count("<g><title>") == 3  # 6, 7 and 8: nothing drawn for the withheld count
    assert chart.withheld and ">withheld</text>" in chart.svg  # its stack's total says so


def test_line_funnel_and_timeline_charts_keep_their_numbers_in_the_table():
    line = line_chart(
        key="r",
        title="Retention",
        description="",
        categories=["1", "2"],
        series=[Series("Kept", (100, 40.0))],
        unit="%",
        maximum=100,
    )
    funnel = funnel_chart(
        key="f",
        title="Transfers",
        description="",
        stages=["Idea raised", "Taken up"],
        counts=[4, 1],
        unit="outcomes",
    )
    timeline = timeline_chart(
        key="t",
        title="Ripeness",
        description="",
        lanes=[
            Lane("Workshops", (Mark(dt.date(2026, 2, 1), "W1"),)),
            Lane("Official", (Mark(dt.date(2026, 1, 5), "Talks"),)),
        ],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 1),
    )
    assert line.table.rows == (("1", 100), ("2", 40.0))
    assert funnel.table.rows == (("Idea raised", 4), ("Taken up", 1))
    assert [row[0] for row in timeline.table.rows] == [dt.date(2026, 1, 5), dt.date(2026, 2, 1)]


def test_csv_of_a_table_defuses_formulas_and_says_withheld():
    chart = bar_chart(
        key="x",
        title="T",
        description="",
        categories=["=HYPERLINK(1)"],
        series=[Series("@s", (None,))],
        unit="u",
    )
    response = csv_response(chart.table, filename="heron-x.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Category", "'@s"], ["'=HYPERLINK(1)", WITHHELD]]
    assert response["Content-Disposition"] == 'attachment; filename="heron-x.csv"'


def test_every_text_has_its_halo_drawn_first_and_no_paint_order_which_weasyprint_ignores():
    for chart in every_kind():
        assert "paint-order" not in chart.svg and " style=" not in chart.svg
        assert (
            'font-size="1' in chart.svg
            and 'font-size="9' not in chart.svg
            and 'font-size="10' not in chart.svg
        )


def test_legend_swatches_carry_their_own_pattern_and_the_figure_shows_them():
    chart = bar_chart(
        key="k",
        title="T",
        description="",
        categories=["a"],
        series=[Series("One", (1,)), Series("Two", (2,))],
        unit="u",
    )
    solid, hatched = chart.swatches
    assert (
        "<pattern" not in solid and '<pattern id="k-p1-legend"' in hatched and "url(#k-p1-legend)" in hatched
    )
    html = render_to_string("charts/figure.html", {"chart": chart})
    assert hatched in html and html.count('<pattern id="k-p1"') == 1  # the chart's own, once


def test_zero_and_withheld_data_say_that_nothing_is_drawn():
    zero = bar_chart(
        key="z", title="T", description="", categories=["a"], series=[Series("s", (0,))], unit="u"
    )
    hidden = bar_chart(
        key="h", title="T", description="", categories=["a"], series=[Series("s", (None,))], unit="u"
    )
    assert "Nothing to draw: every value is zero" in zero.svg and not zero.withheld
    assert (
        "every value is withheld or zero" in hidden.svg
        and hidden.withheld
        and ">withheld</text>" in hidden.svg
    )
    html = render_to_string("charts/figure.html", {"chart": hidden})
    assert "a count too small to show without singling someone out" in html


def test_huge_and_negative_values_get_a_scale_that_holds_them_and_readable_numbers():
    chart = bar_chart(
        key="n",
        title="T",
        description="",
        categories=["neg", "huge"],
        series=[Series("s", (-4_000_000, 12_345_678))],
        unit="u",
    )
    assert ">12,345,678</text>" in chart.svg and ">-4,000,000</text>" in chart.svg
    assert ">15M</text>" in chart.svg and ">-5M</text>" in chart.svg  # the axis, compact
    assert chart.table.shown()[1] == [("huge", False), ("12,345,678", True)]


def test_a_withheld_point_breaks_its_line_and_text_columns_stay_text():
    line = line_chart(
        key="l",
        title="T",
        description="",
        categories=["1", "2", "3", "4"],
        series=[Series("s", (10, 20, None, 30))],
        unit="%",
    )
    assert line.svg.count("<polyline") == 1 and line.withheld  # 10-20, then 30 alone
    timeline = timeline_chart(
        key="t",
        title="T",
        description="",
        lanes=[Lane("Official", (Mark(dt.date(2026, 1, 5), "Talks"),))],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 1),
    )
    assert timeline.table.numeric == (False, False, False)


def test_the_figure_can_leave_its_table_to_the_page_and_keeps_the_csv_link_out_of_the_summary():
    chart = funnel_chart(
        key="f", title="T", description="", stages=["a", "b"], counts=[4, 1], unit="outcomes"
    )
    html = render_to_string("charts/figure.html", {"chart": chart, "csv_url": "/x.csv"})
    assert "<table>" in html and "<summary>The numbers</summary>" in html and 'href="/x.csv"' in html
    assert ">1 (25%)</text>" in chart.svg
    html = render_to_string("charts/figure.html", {"chart": chart, "show_table": False})
    assert "<table>" not in html and 'role="img"' in html
