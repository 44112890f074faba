"""The run sheet: the facilitation team's timetable of one workshop (every item with its times, length and
notes, the facilitators-only items marked), as a printable page and as a PDF to download. It is not sealed:
it is a working paper, rendered through Trackii's PDF renderer (no network, no files but its own fonts).

It names the workshop as whatever leaves Trackii does (`Workshop.neutral_label`: the codename and positions,
never the series title) and leaves the venue out, so a printed copy left on a table says as little as
possible; the file name carries the codename, the series' position and the workshop's number, never a name or
place.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dialogues.models import AgendaItem, Workshop
from dialogues.scheduling.timetable import lay_out
from trackii.sealing.pdf import inline_stylesheet, render_pdf

PDF_TEMPLATE = "dialogues/pdf/run_sheet.html"
STYLESHEET = "pdf/run_sheet.css"


def run_sheet_filename(workshop: Workshop) -> str:
    series = workshop.series
    return f"{series.dialogue.codename}-series-{series.position}-workshop-{workshop.number}-run-sheet.pdf"


def run_sheet_context(*, workshop: Workshop, items: list[AgendaItem]) -> dict:
    return {
        "workshop": workshop,
        "codename": workshop.series.dialogue.codename,
        "timetable": lay_out(workshop=workshop, items=items),
    }


def run_sheet_pdf(*, workshop: Workshop, items: list[AgendaItem]) -> bytes:
    context = run_sheet_context(workshop=workshop, items=items)
    context["stylesheet"] = mark_safe(inline_stylesheet(STYLESHEET))  # noqa: S308 - our own file
    return render_pdf(render_to_string(PDF_TEMPLATE, context))
