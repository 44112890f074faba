"""trackii.charts in the viewer's language (issue 22): numbers with the language's separators, "withheld"
and the table's own words translated, Arabic text written right to left inside a drawing that keeps its
axes; and the CSV of a table in English whatever the language, as programs read it."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import translation

from trackii.charts import WITHHELD, Series, bar_chart
from trackii.charts.base import number
from trackii.charts.export import csv_response


def _chart(series_name="Seats"):
    return bar_chart(
        key="seats",
        title="Seats",
        description="",
        categories=["W1", "W2"],
        series=[Series(series_name, (12345, None)), Series("B", (2, 3))],
        unit="seats",
        stacked=True,
    )


def test_numbers_follow_the_language_and_keep_western_digits():
    assert number(12345) == "12,345" and number(1234.5) == "1,234.5"
    with translation.override("fr"):
        assert number(12345).replace("\u202f", " ").replace("\xa0", " ") == "12 345"
        assert "," in number(1234.5)
        assert number(None) == "non communiqué"
    with translation.override("ru"):
        assert number(None) == "скрыто"
    with translation.override("ar"):
        assert all(char.isascii() for char in number(12345) if char.isdigit())


def test_table_words_and_figure_are_translated():
    with translation.override("fr"):
        chart = _chart()
        html = render_to_string("charts/figure.html", {"chart": chart, "csv_url": "/x.csv"})
    assert "Les chiffres" in html and "Télécharger en CSV" in html and "non communiqué" in html
    assert "12\u202f345" in html or "12\xa0345" in html or "12 345" in html
    assert [str(column) for column in chart.table.columns][-1] == "Total"  # same word in French


def test_arabic_text_in_the_svg_reads_right_to_left_with_its_anchor_flipped():
    with translation.override("ar"):
        chart = _chart(series_name="مقاعد")
        svg = str(chart.svg)
    assert 'direction="ltr"' in svg  # the drawing, its axes and numbers
    assert 'direction="rtl"' in svg and "محجوب" in svg  # "withheld", written in Arabic


def test_csv_of_a_table_is_english_whatever_the_language():
    outputs = []
    for language in ("en-gb", "fr", "ru", "ar"):
        with translation.override(language):
            chart = _chart()
            outputs.append(csv_response(chart.table, filename="heron-seats.csv").content)
    assert len(set(outputs)) == 1
    rows = list(csv.reader(io.StringIO(outputs[0].decode())))
    assert rows[0] == ["Category", "Seats", "B", "Total"]
    assert rows[1] == ["W1", "12345", "2", "12347"] and rows[2] == ["W2", WITHHELD, "3", WITHHELD]
