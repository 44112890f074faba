"""A table as CSV a spreadsheet opens safely: the chart's numbers, downloadable beside every chart."""

import csv
import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from trackii.charts import WITHHELD, Table

# A spreadsheet runs a cell that starts like a formula (CSV injection); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """The table as an attachment named ``filename`` (codenames only, never a title or a name)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    # In English whatever the viewer's language: a column or a label given lazily (gettext_lazy) is
    # written as programs reading the CSV expect it, and "withheld" is the same word in every export.
    with translation.override("en-gb"):
        writer.writerow([csv_safe(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([WITHHELD if value is None else csv_safe(value) for value in row])
    return response


def in_source_language(view):
    """A CSV view's table built and written in Trackii's source language (English), whoever asks: its
    column headers and words are what other programs and the accountant's sheets parse (issue 22)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapped
