"""Charts in a PDF: WeasyPrint (the PDFs' renderer, real) draws every kind, with its text and only the
vendored fonts."""

import io

import pypdf

from tests import pdfcheck
from tests.chartpages import page
from trackii.sealing.pdf import render_pdf


def test_every_chart_kind_renders_into_a_pdf_with_its_text_and_the_vendored_fonts():
    pdf = render_pdf(page(pdf=True))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for words in (
        "Attended seats by proximity to officialdom",  # the figure's caption
        "W1 Lisbon",  # a category under the bars
        "12,345,678",  # a value beside its bar
        "withheld",  # a withheld count's place
        "66.7",  # a point's value
        "Reflected in an official outcome",  # a funnel's stage
        "Talks broke down",  # a timeline mark's label
        "Mar 2026",  # the timeline's axis
    ):
        assert words in text, words
    assert "Download as CSV" not in text  # no link on paper
    assert pdfcheck.font_names(pdf) <= {
        "Trackii-Sans",
        "Trackii-Sans-Bold",
        "Trackii-Serif",
        "Trackii-Serif-Bold",
    }
    assert pdfcheck.notdef_glyphs(pdf) == []
