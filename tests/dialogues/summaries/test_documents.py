"""The sealed summary's PDF: what its cover and pages say, and what they never carry. Real WeasyPrint."""

import datetime as dt
import io
import re
import subprocess

import pypdf
import pytest
from fontTools.ttLib import TTFont

from dialogues.enums import InvitationStatus, Sensitivity, SummaryStatus
from dialogues.models import CHATHAM_HOUSE_RULE, Summary
from dialogues.summaries.documents import summary_html
from participants.enums import FacilitatorRole
from tests import pdfcheck
from tests.factories import (
    DialogueFactory,
    FacilitatorFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    SummaryFactory,
    WorkshopFactory,
)
from trackii.sealing.pdf import RefusedURLError, render_pdf
from trackii.sealing.pdf_fonts import FONTS_DIR, unsupported_characters
from trackii.sealing.samples import sample_summary_markdown
from trackii.sealing.seal import stamp_copy

pytestmark = pytest.mark.django_db

SEALED_AT = dt.datetime(2026, 3, 20, 9, 12, tzinfo=dt.UTC)
# 23:30 UTC on 11 March is already 12 March in Tokyo: the cover must print the venue's day.
STARTS_AT = dt.datetime(2026, 3, 11, 23, 30, tzinfo=dt.UTC)

# Everything below is seeded where a careless template could reach it; none of it may reach the PDF.
TITLE = "Secret talks on the Kessar valley"
SERIES_TITLE = "Kessar water ministers"
WORKSHOP_TITLE = "Meeting at the lakeside"
VENUE = "Fjordhaven Conference House, room 3"
SIDE = "Northern delegation"
ATTENDEE = {
    "name": "Amira Haddad",
    "pseudonym": "P-17",
    "affiliation": "Ministry of Water",
    "email": "a@h.example",
}
FACILITATOR = {
    "name": "Jonas Berglund",
    "pseudonym": "F-2",
    "affiliation": "Halden staff",
    "email": "j@b.example",
}
NEVER_PRINTED = [
    TITLE, SERIES_TITLE, WORKSHOP_TITLE, VENUE, "Fjordhaven", SIDE, "Tokyo",
    *ATTENDEE.values(), *FACILITATOR.values(),
]  # fmt: skip
DASH = "\N{EN DASH}"


@pytest.fixture
def summary() -> Summary:
    """Version 2 of the summary of workshop 3, amending version 1, with attendees who could leak."""
    dialogue = DialogueFactory(
        title=TITLE, codename="blue-heron", sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL
    )
    workshop = WorkshopFactory(
        series=SeriesFactory(dialogue=dialogue, title=SERIES_TITLE),
        number=3,
        title=WORKSHOP_TITLE,
        venue=VENUE,
        timezone="Asia/Tokyo",
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + dt.timedelta(days=2, hours=8),
    )
    side = SideFactory(dialogue=dialogue, name=SIDE)
    attendee = PersonFactory(**ATTENDEE)
    MembershipFactory(person=attendee, dialogue=dialogue, side=side)
    InvitationFactory(workshop=workshop, person=attendee, status=InvitationStatus.ATTENDED)
    facilitator = PersonFactory(**FACILITATOR)
    FacilitatorFactory(person=facilitator, dialogue=dialogue, role=FacilitatorRole.RAPPORTEUR)
    InvitationFactory(workshop=workshop, person=facilitator, status=InvitationStatus.ATTENDED)
    first = SummaryFactory(
        workshop=workshop,
        version=1,
        status=SummaryStatus.SEALED,
        sealed_at=SEALED_AT - dt.timedelta(days=10),
        sealed_sha256="0" * 64,
    )
    return SummaryFactory(
        workshop=workshop,
        version=2,
        supersedes=first,
        body=(
            "## Opening\n\nParticipants discussed fisheries access without attribution.\n\n"
            "### Options\n\n- a joint technical committee\n- a hotline\n\n"
            "| Option | Stage |\n|---|---|\n| Joint committee | developed |\n"
        ),
    )


def _pages_text(pdf: bytes) -> list[str]:
    """Each page's text with whitespace runs collapsed, so wrapped lines compare as sentences."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _render(summary: Summary) -> tuple[str, list[str]]:
    html = summary_html(summary, sealed_at=SEALED_AT)
    return html, _pages_text(render_pdf(html))


def test_summary_pdf_cover_shows_what_identifies_the_document(summary):
    _, pages = _render(summary)

    cover = pages[0]
    assert "Halden Centre for Dialogue" in cover
    assert "blue-heron" in cover
    assert f"Workshop 3 · 12{DASH}14 March 2026" in cover  # the venue's days, not UTC's 11 March
    assert "Version 2 · Amends version 1" in cover
    assert "STRICTLY CONFIDENTIAL" in cover.upper()
    assert " ".join(CHATHAM_HOUSE_RULE.split()) in cover
    assert "Sealed 20 March 2026, 09:12 UTC" in cover
    assert "Any change to it, however small, breaks the seal" in cover
    assert "copy code in the bottom-left corner" in cover
    assert "identifies the copy, not the person" in cover
    assert "Page 1 of" not in cover


def test_summary_pdf_body_pages_carry_the_running_header_and_page_numbers(summary):
    _, pages = _render(summary)

    assert len(pages) == 2
    body = pages[1]
    assert "blue-heron · Series 1 · Workshop 3 · Version 2 · Strictly confidential" in body
    assert "Page 2 of 2" in body
    assert "Participants discussed fisheries access without attribution." in body
    assert "a joint technical committee" in body
    assert "Joint committee developed" in body


def test_summary_html_renders_the_markdown_body_as_structure(summary):
    html = summary_html(summary, sealed_at=SEALED_AT)

    assert "<h2>Opening</h2>" in html
    assert "<li>a hotline</li>" in html
    assert "<td>Joint committee</td>" in html


def test_summary_pdf_names_no_attendee_venue_place_or_title(summary):
    html, pages = _render(summary)

    text = " ".join(pages)
    for secret in NEVER_PRINTED:
        assert secret.lower() not in html.lower(), secret
        assert secret.lower() not in text.lower(), secret


def test_summary_pdf_of_a_first_version_amends_nothing(summary):
    original = summary.supersedes
    original.body = "Nothing attributed."
    html = summary_html(original, sealed_at=SEALED_AT)

    assert "Version 1" in html
    assert "Amends" not in html


def test_summary_pdf_uses_the_dialogues_own_ground_rules_and_sensitivity(summary):
    dialogue = summary.workshop.series.dialogue
    dialogue.ground_rules = "Nothing said here is repeated outside.\n\nNo phones in the room."
    dialogue.sensitivity = Sensitivity.RESTRICTED
    dialogue.save()

    _, pages = _render(Summary.objects.get(pk=summary.pk))

    assert "Nothing said here is repeated outside. No phones in the room." in pages[0]
    assert "Chatham House" not in pages[0]
    assert "blue-heron · Series 1 · Workshop 3 · Version 2 · Restricted" in pages[1]


def test_summary_pdf_with_an_empty_body_says_so(summary):
    summary.body = ""

    _, pages = _render(summary)

    assert "This summary has no text." in pages[1]


@pytest.mark.parametrize(
    ("starts", "ends", "printed"),
    [
        (dt.datetime(2026, 3, 12, 1, 0), dt.datetime(2026, 3, 12, 9, 0), "Workshop 3 · 12 March 2026"),
        (
            dt.datetime(2026, 3, 30, 1, 0),
            dt.datetime(2026, 4, 1, 9, 0),
            f"Workshop 3 · 30 March {DASH} 1 April 2026",
        ),
        (
            dt.datetime(2026, 12, 30, 1, 0),
            dt.datetime(2027, 1, 2, 9, 0),
            f"30 December 2026 {DASH} 2 January 2027",
        ),
    ],
)
def test_summary_html_prints_the_workshop_days_on_the_venues_clock(summary, starts, ends, printed):
    workshop = summary.workshop
    workshop.starts_at = starts.replace(tzinfo=dt.UTC)
    workshop.ends_at = ends.replace(tzinfo=dt.UTC)

    assert printed in summary_html(summary, sealed_at=SEALED_AT)


def test_summary_html_refuses_a_naive_sealing_time(summary):
    with pytest.raises(ValueError, match="aware"):
        summary_html(summary, sealed_at=dt.datetime(2026, 3, 20, 9, 12))


def test_summary_html_reads_nothing_more_when_relations_are_selected(summary, django_assert_num_queries):
    selected = (
        Summary.objects.select_related("workshop__series__dialogue__third_party", "supersedes")
        .prefetch_related("translations")
        .get(pk=summary.pk)
    )
    with django_assert_num_queries(0):
        summary_html(selected, sealed_at=SEALED_AT)


@pytest.mark.parametrize(
    "payload",
    [
        "![passwd](file:///etc/passwd)",
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        "<style>@import url(file:///etc/passwd); body { background: url(file:///etc/passwd) }</style>",
        '<p style="background: url(file:///etc/passwd)">styled</p>',
        '<object data="file:///etc/passwd"></object><iframe src="file:///etc/passwd"></iframe>',
        '<svg><image href="file:///etc/passwd" width="100" height="100"/></svg>',
        "[the passwd file](file:///etc/passwd)",
    ],
)
def test_summary_pdf_never_embeds_a_local_file_named_in_the_body(summary, payload):
    summary.body = f"## Opening\n\n{payload}\n\nThe discussion went on."
    html = summary_html(summary, sealed_at=SEALED_AT)

    # The sanitiser strips every element that could load something, and every attribute.
    for tag in ("<img", "<link", "<object", "<iframe", "<svg", "<image", "<a ", " style="):
        assert tag not in html
    assert html.count("<style") == 1  # the document's own stylesheet
    try:
        pdf = render_pdf(html)
    except RefusedURLError:
        return  # refusing to render is as good as stripping
    text = " ".join(_pages_text(pdf))
    assert "The discussion went on." in text
    assert "root:" not in text


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                yield descendant.get_object()


def test_summary_pdf_embeds_every_font(summary):
    fonts = list(_fonts(pypdf.PdfReader(io.BytesIO(render_pdf(summary_html(summary, sealed_at=SEALED_AT))))))

    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def _text_in_copy_code_corner(pdf: bytes) -> list[tuple[int, str]]:
    """Text drawn in the 45 by 10 mm bottom-left corner of each page, where seal.py stamps the copy code."""
    found = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and x < 45 / 25.4 * 72 and y < 10 / 25.4 * 72:
                found.append((number, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def test_summary_pdf_leaves_the_copy_code_corner_free_on_every_page(summary):
    summary.body = sample_summary_markdown(pages=3)
    rendered = render_pdf(summary_html(summary, sealed_at=SEALED_AT))

    assert _text_in_copy_code_corner(rendered) == []
    # The same measure finds the stamp once it is there, on every page.
    copy = stamp_copy(rendered, copy_code="C-7KQ2-M9XD-4HPT")
    pages = len(pypdf.PdfReader(io.BytesIO(rendered)).pages)
    assert pages >= 3
    assert _text_in_copy_code_corner(copy) == [(n, "Copy C-7KQ2-M9XD-4HPT") for n in range(1, pages + 1)]


def test_summary_pdf_of_a_long_summary_runs_to_twenty_pages(summary):
    summary.body = sample_summary_markdown(pages=20)

    pages = _render(summary)[1]

    # Exact: the fonts are Trackii's own (trackii/sealing/fonts), so the layout is the same on every machine.
    assert len(pages) == 20
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert all("blue-heron · Series 1 · Workshop 3 · Version 2" in page for page in pages[1:])
    assert "Options discussed" in " ".join(pages)


# The fonts WeasyPrint embeds, named after the @font-face families of trackii/sealing/pdf_fonts.py.
MAIN_FONTS = {"Trackii-Serif", "Trackii-Serif-Bold", "Trackii-Sans", "Trackii-Sans-Bold"}
NAMES = {
    "Latin": "Zoë Ó Briain",
    "Greek": "Ελένη Παπαδοπούλου",
    "Cyrillic": "Олена Шевченко",
    "Armenian": "Անահիտ Սարգսյան",
    "Georgian": "ნინო ბერიძე",
    "Hebrew": "שרה לוי",
    "Arabic": "ليلى حداد",
    "Devanagari": "प्रिया सिंह",  # the text layer loses a reph (शर्मा reads "शार्मा"): drawn right
}


def test_summary_pdf_embeds_exactly_the_vendored_fonts(summary):
    summary.body += "\n*Italic*, **bold**, ***both*** and `code`.\n\n> A quotation.\n"

    pdf = render_pdf(summary_html(summary, sealed_at=SEALED_AT))

    assert pdfcheck.font_names(pdf) == MAIN_FONTS | {
        "Trackii-Serif-Italic",
        "Trackii-Serif-Bold-Italic",
        "Trackii-Mono",
    }
    assert pdfcheck.notdef_glyphs(pdf) == []


def test_summary_pdf_renders_a_name_in_every_script_with_its_own_font(summary):
    summary.body = "## " + " · ".join(NAMES.values()) + "\n\n"  # bold sans
    summary.body += "\n".join(f"- {script}: **{name}**, {name}" for script, name in NAMES.items())
    summary.body += "\n\n| Script | Name |\n|---|---|\n" + "\n".join(
        f"| {s} | {n} |" for s, n in NAMES.items()
    )

    pdf = render_pdf(summary_html(summary, sealed_at=SEALED_AT))

    text = " ".join(_pages_text(pdf))
    for script, name in NAMES.items():
        # Hebrew and Arabic are drawn right to left: the text layer may hold them in either order.
        assert all(word in text or word[::-1] in text for word in name.split()), (script, name)
    scripts = {f"Trackii-{kind}-{script}{weight}" for kind in ("Serif", "Sans") for weight in ("", "-Bold")
               for script in ("Armenian", "Georgian", "Hebrew", "Arabic", "Devanagari")}  # fmt: skip
    assert pdfcheck.font_names(pdf) == MAIN_FONTS | scripts
    assert pdfcheck.notdef_glyphs(pdf) == []


@pytest.mark.parametrize("name", ["\U00013000", "\ue000"], ids=["hieroglyph", "private-use"])
def test_summary_pdf_has_no_font_for_other_scripts_or_private_use_characters(summary, name):
    # The fonts cover the scripts of docs/decisions/0008-pdf-fonts.md, not Egyptian hieroglyphs: such a name
    # is drawn as a missing-glyph box (or, on a host that has a font for it, in that host's font). Either way
    # the two checks above fail, as this shows; check_sealable refuses such text (test_views.py).
    summary.body = f"## Names\n\n- {name}\n"

    pdf = render_pdf(summary_html(summary, sealed_at=SEALED_AT))

    assert pdfcheck.notdef_glyphs(pdf) or pdfcheck.font_names(pdf) - MAIN_FONTS


EVERY_SCRIPT = {
    **NAMES,
    "Urdu": "پاکستان کے لوگ",
    "Persian": "گفتگوی ژرف",
    "Chinese": "王小明",
    "Japanese": "山田 ひらがな カタカナ",
    "Korean": "김민준",
}


def test_summary_pdf_draws_every_script_in_trackii_fonts_with_no_missing_glyph(summary, tmp_path):
    summary.body = "\n\n".join(f"## {script}\n\n{text} **{text}**" for script, text in EVERY_SCRIPT.items())
    assert unsupported_characters(summary.body) == []

    pdf = render_pdf(summary_html(summary, sealed_at=SEALED_AT))

    fonts = pdfcheck.font_names(pdf)
    assert all(name.startswith("Trackii-") for name in fonts), fonts  # no DejaVu, no host font
    assert {"Trackii-Serif-Devanagari", "Trackii-Serif-CJK", "Trackii-Serif-CJK-Bold"} <= fonts
    assert all("/FontFile2" in f or "/FontFile3" in f for f in _descriptors(pdf))  # every font embedded
    assert pdfcheck.notdef_glyphs(pdf) == []
    # The text layer (pdftotext reads each font's ToUnicode CMap) gives back every word, in logical order.
    (tmp_path / "s.pdf").write_bytes(pdf)
    command = ["/usr/bin/pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for script, words in EVERY_SCRIPT.items():
        for word in words.split():
            assert word in text, (script, word)
    # Arabic shaped: no presentation form is left in the text layer, and HarfBuzz drew the letters' joined
    # (initial, medial, final) glyphs: most Arabic glyphs drawn are not the letters' nominal, isolated ones.
    assert not any(0xFB50 <= ord(c) <= 0xFEFF for c in text)
    naskh = TTFont(FONTS_DIR / "NotoNaskhArabic-Regular.ttf")
    letters = {code: name for code, name in naskh.getBestCmap().items() if 0x0600 <= code <= 0x06FF}
    nominal = {naskh.getGlyphID(name) for name in letters.values()}
    drawn = [glyph for name, glyph in pdfcheck.glyphs(pdf) if name == "Trackii-Serif-Arabic"]
    assert len(drawn) > 20 and sum(glyph not in nominal for glyph in drawn) > len(drawn) / 2


def _descriptors(pdf: bytes):
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                yield descendant.get_object()["/FontDescriptor"].get_object()


def _words_left_to_right(pdf: bytes, tmp_path) -> list[list[str]]:
    """Each line's words as drawn, left to right (pdftotext -bbox: glyph order, so right-to-left words read
    reversed: they are turned back here)."""
    (tmp_path / "b.pdf").write_bytes(pdf)
    command = ["/usr/bin/pdftotext", "-bbox", str(tmp_path / "b.pdf"), "-"]
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', subprocess.run(
        command, capture_output=True, text=True, check=True).stdout)  # fmt: skip
    lines: dict[int, list] = {}
    for x, y, word in found:
        lines.setdefault(round(float(y)), []).append((float(x), word))
    return [[w if w.isascii() else w[::-1] for _, w in sorted(line)] for _, line in sorted(lines.items())]


def test_summary_pdf_lays_right_to_left_paragraphs_out_right_to_left_with_bold_inside(summary, tmp_path):
    summary.body = "ليلى حداد **تحدثت مع** الطرف الآخر\n\nשרה לוי **מדברת עם** הצד השני\n"

    lines = _words_left_to_right(render_pdf(summary_html(summary, sealed_at=SEALED_AT)), tmp_path)

    # Read right to left, each line gives the sentence in its order, the bold words in their place.
    assert ["ليلى", "حداد", "تحدثت", "مع", "الطرف", "الآخر"] in [line[::-1] for line in lines]
    assert ["שרה", "לוי", "מדברת", "עם", "הצד", "השני"] in [line[::-1] for line in lines]
