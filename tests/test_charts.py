"""trackii.charts: SVG charts drawn on the server, each with its table; the CSV of a table."""

import csv
import datetime as dt
import io

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
    assert chart.svg.count("<rect x=") == 3  # 6, 7 and 8: nothing drawn for the withheld count


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


def test_values_over_bars_draw_their_white_outline_as_a_copy_underneath_for_print():
    # WeasyPrint ignores paint-order: a stroke on the text itself would blank the letters out in a PDF.
    chart = bar_chart(
        key="p", title="T", description="", categories=["Q1"], series=[Series("Held", (4,))], unit="workshops"
    )
    outline, value = chart.svg.split("<text", 3)[1:3]
    assert 'fill="none" stroke="#fff"' in outline and 'aria-hidden="true">4</text>' in outline
    assert 'fill="#1c2429">4</text>' in value and "stroke" not in value
    assert "paint-order" not in chart.svg


def test_a_solid_series_is_filled_with_its_colour_and_the_others_with_their_pattern():
    # A tiled pattern shows hairline seams in some PDF viewers (poppler): solid needs no tile.
    chart = bar_chart(
        key="s",
        title="T",
        description="",
        categories=["Q1"],
        series=[Series("A", (4,)), Series("B", (3,))],
        unit="workshops",
    )
    assert 'fill="#1f4e5f"' in chart.svg and 'fill="url(#s-p1)"' in chart.svg
    assert 'fill="url(#s-p0)"' not in chart.svg and '<pattern id="s-p0"' in chart.svg  # the legend's swatch


def test_a_withheld_bar_says_so_where_it_would_stand_so_it_is_not_read_as_zero():
    chart = bar_chart(
        key="w",
        title="Participants per side",
        description="",
        categories=["East", "North"],
        series=[Series("Participants", (None, 8))],
        unit="participants",
    )
    assert chart.svg.count(f">{WITHHELD}</text>") == 1 and chart.svg.count("<rect x=") == 1
