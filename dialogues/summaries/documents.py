"""The documents Trackii seals for a dialogue: today, a workshop summary's PDF.

The template gets plain strings computed here, never a model instance, so it cannot reach what a sealed
copy must never carry: the venue (and the venue's time zone, which names a city), the attendees, the
dialogue's title.
See docs/decisions/0002-sealing.md for how the PDF is rendered and sealed.
"""

from __future__ import annotations

import datetime
import re

from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from dialogues import languages
from dialogues.models import Summary
from dialogues.templatetags.trackii_text import markdown
from trackii.dates import localised
from trackii.sealing.bidi import direct_blocks, text_direction
from trackii.sealing.pdf import inline_stylesheet

# The sealing pipeline's name for a summary (settings.TRACKII_SEALERS, SealJob.kind).
SEAL_KIND = "summary"
SUMMARY_TEMPLATE = "dialogues/pdf/summary.html"
SUMMARY_STYLESHEET = "pdf/summary.css"
DASH = "\N{EN DASH}"


def document_id(summary: Summary) -> str:
    """The id written into the sealed PDF ("summary:12:v3"), which verify_pdf reads back."""
    return f"summary:{summary.pk}:v{summary.version}"


def summary_context(summary: Summary) -> bytes:
    """The encryption context of a sealed summary's PDF: a token moved to another row will not decrypt."""
    return document_id(summary).encode()


def copy_context(copy_code: str) -> bytes:
    """The encryption context of one reader's copy, tied to its copy code."""
    return f"summary-copy:{copy_code}".encode()


def _date_span(start: datetime.datetime, end: datetime.datetime) -> str:
    """The days from start to end, sharing month and year where they can: "12 March 2026", "12-14 March 2026",
    "30 March - 1 April 2026", "30 December 2026 - 2 January 2027" (with en dashes). In the active language,
    with a month's name in the form it takes after a day's number ("7 декабря 2026", not "7 Декабрь")."""
    first, last = start.date(), end.date()
    day_month, day_month_year = localised("j F"), localised("j F Y")
    if last <= first:
        return dateformat.format(first, day_month_year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{dateformat.format(last, day_month_year)}"
    if first.year == last.year:
        return f"{dateformat.format(first, day_month)} {DASH} {dateformat.format(last, day_month_year)}"
    return f"{dateformat.format(first, day_month_year)} {DASH} {dateformat.format(last, day_month_year)}"


def _css_string(text: str) -> str:
    """`text` as a CSS string: quotes, backslashes, line breaks and "<" (which could end the style element)
    escaped."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\\n\r<>' else char for char in text)
    return f'"{escaped}"'


def page_numbers_css() -> str:
    """The body pages' "Page 2 of 5", in the active language (the stylesheet's own is English)."""
    template = _("Page %(page)s of %(pages)s")
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts = [
        counters.get(part) or _css_string(part) for part in re.split(r"(%\(pages?\)s)", template) if part
    ]
    return "@page { @bottom-right { content: " + " ".join(parts) + "; } }"


def _versions(summary: Summary, texts: list[tuple[str, str]] | None) -> list[dict]:
    """Each version of the text, the main one first, as the template shows it: its language (code, name,
    direction), its heading in its own language where Trackii is translated into it, its sanitised HTML."""
    if texts is None:
        # .all(), sorted here: a prefetch of `translations` (sealing.render) then saves the query.
        parallel = sorted(summary.translations.all(), key=lambda row: (row.created_at, row.pk))
        texts = [(summary.language, summary.body)] + [(row.language, row.body) for row in parallel]
    versions = []
    for code, text in texts:
        language = languages.language(code)
        body = markdown(text)  # the web page's sanitiser: the same text, nothing it could load
        body = mark_safe(direct_blocks(body))  # noqa: S308 - adds only dir="rtl" to the sanitised blocks
        title_lang = languages.interface_language(code)
        with translation.override(title_lang):
            title = _("Summary of workshop %(number)s") % {"number": summary.workshop.number}
        versions.append(
            {
                "code": language.code,
                "name": language.name,
                "dir": language.direction,
                "title": title,
                # English where Trackii has no translation into the version's language.
                "title_lang": title_lang,
                "body": body,
                "has_body": bool(body.strip()),
            }
        )
    return versions


def summary_html(
    summary: Summary, *, sealed_at: datetime.datetime, texts: list[tuple[str, str]] | None = None
) -> str:
    """The HTML WeasyPrint turns into the sealed PDF of `summary`: its versions one after another, the main
    one first, each on a new page under its language's name. Uses nothing but the summary, its versions, its
    workshop and dialogue (no names, no venue, no attendee list). The PDF's own labels are in the main
    version's language where Trackii is translated into it, else in English.

    `sealed_at` must be aware; it is printed in UTC. Reads the workshop, series, dialogue, Third Party and any
    superseded version through the summary's relations: select_related them to save the queries. `texts`,
    each version's (language code, text), the main one first, stand in for the saved ones: the text about to
    be sealed, read once by a caller that checks it (services/sealing.py).
    """
    if not timezone.is_aware(sealed_at):
        raise ValueError("sealed_at must be an aware datetime.")
    labels = languages.interface_language(summary.language)
    with translation.override(labels):
        return _summary_html(summary, sealed_at=sealed_at, labels=labels, texts=texts)


def _summary_html(
    summary: Summary, *, sealed_at: datetime.datetime, labels: str, texts: list[tuple[str, str]] | None
) -> str:
    workshop = summary.workshop
    dialogue = workshop.series.dialogue
    sealed_utc = sealed_at.astimezone(datetime.UTC)
    versions = _versions(summary, texts)
    context = {
        "stylesheet": mark_safe(inline_stylesheet(SUMMARY_STYLESHEET)),  # noqa: S308 - our own file, not user input
        "page_numbers_css": mark_safe(page_numbers_css()),  # noqa: S308 - our catalogue's words, escaped
        "labels_lang": labels,
        "labels_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "third_party": dialogue.third_party.name,
        # The codename, never the title: a title often names the conflict, the sides or the place.
        "codename": dialogue.codename,
        "sensitivity": dialogue.sensitivity,
        "sensitivity_label": dialogue.get_sensitivity_display(),
        "ground_rules": dialogue.ground_rules,
        "ground_rules_dir": text_direction(dialogue.ground_rules),
        "third_party_dir": text_direction(dialogue.third_party.name),
        "workshop_number": workshop.number,
        # The series by its position, as e-mails and file names name it: two series each have a workshop 1.
        "series_position": workshop.series.position,
        # Dates on the venue's clock, so the day printed is the day the room met; the zone itself is left out
        # because its name ("Europe/Oslo") would say where the workshop was held.
        "workshop_dates": _date_span(workshop.local_starts_at, workshop.local_ends_at),
        "version": summary.version,
        "amends_version": summary.supersedes.version if summary.supersedes_id else None,
        "sealed_on": dateformat.format(sealed_utc, localised("j F Y, H:i")) + " UTC",
        "sealed_iso": sealed_utc.replace(microsecond=0).isoformat(),
        "versions": versions,
        "several_versions": len(versions) > 1,
        "version_names": get_text_list([version["name"] for version in versions], _("and")),
    }
    return render_to_string(SUMMARY_TEMPLATE, context)
