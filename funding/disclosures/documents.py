"""The funder-disclosure report's PDF: the grant's terms, the rulings on its conditions, the participants'
answers and the spend, and the funded dialogue's activity in aggregate only (two charts with their tables,
drawn by trackii.charts as inline SVG, which WeasyPrint draws; pdf/charts.css styles them).

The template gets plain values computed here (funding.disclosures.selectors.disclosure_data), never a
dialogue, workshop or person, so it cannot reach names, pseudonyms, venues, agendas or summaries.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import dateformat, formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from funding.disclosures.selectors import disclosure_data
from funding.enums import ConditionRuling
from funding.models import Disclosure
from trackii.sealing.pdf import inline_stylesheet

DISCLOSURE_TEMPLATE = "funding/pdf/disclosure.html"
STYLESHEETS = ("pdf/summary.css", "pdf/disclosure.css", "pdf/charts.css")


def _money(amount, currency: str) -> str:
    """An amount in the language being rendered: "EUR 90,000.00", "EUR 90 000,00" (a no-break space)."""
    return (
        f"{currency}\N{NO-BREAK SPACE}{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)}"
    )


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;-·" else f"\\{ord(ch):x} " for ch in text) + '"'


def _page_numbers_css() -> str:
    """The footer's "Page 2 of 5" in the report's language (pdf/summary.css has it in English)."""
    words = _("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"}
    before, rest = words.split("\0", 1)
    between, after = rest.split("\1", 1)
    content = " ".join(
        [_css_string(before), "counter(page)", _css_string(between), "counter(pages)", _css_string(after)]
    )
    # Physically right whatever the direction: the bottom-left corner is kept for the copy code.
    return "@page { @bottom-right { content: %s; text-align: right; } }" % content  # noqa: UP031


def disclosure_html(disclosure: Disclosure, *, sealed_at: datetime.datetime) -> str:
    """The report's HTML in the language it is written in (`disclosure.language`), whoever renders it: its
    labels, dates and numbers, with `lang` and `dir` on the page (issue 22)."""
    if not timezone.is_aware(sealed_at):
        raise ValueError("sealed_at must be an aware datetime.")
    with translation.override(disclosure.language):
        return _disclosure_html(disclosure, sealed_at=sealed_at)


def _disclosure_html(disclosure: Disclosure, *, sealed_at: datetime.datetime) -> str:
    data = disclosure_data(grant=disclosure.grant)
    grant, funder, budget = data.grant, data.funder, data.budget
    sealed_utc = sealed_at.astimezone(datetime.UTC)
    context = {
        "stylesheet": mark_safe(  # noqa: S308 - our files, and our catalogues' words escaped for CSS
            "\n".join([*(inline_stylesheet(name) for name in STYLESHEETS), _page_numbers_css()])
        ),
        "third_party": grant.third_party.name,
        "funder": funder.name,
        "funder_kind": funder.get_kind_display(),
        "funder_country": funder.country,
        "version": disclosure.version,
        "language": translation.get_language(),
        "bidi": translation.get_language_bidi(),
        "sealed_on": _("%(day)s, %(time)s UTC")
        % {"day": formats.date_format(sealed_utc, "j E Y"), "time": dateformat.format(sealed_utc, "H:i")},
        "recipient": data.recipient,
        "reference": grant.reference,
        "amount": _money(grant.amount, grant.currency),
        "period": _("%(start)s to %(end)s")
        % {
            "start": formats.date_format(grant.starts_on, "j E Y"),
            "end": formats.date_format(grant.ends_on, "j E Y"),
        },
        "purpose": grant.purpose,
        "status": grant.get_status_display(),
        "conditions": [
            {
                "kind": condition.get_kind_display(),
                "text": condition.text,
                "flagged": condition.flagged,
                "ruling": condition.get_ruling_display(),
                # A flagged condition's proposed ruling is not a ruling until a second convenor confirms it.
                "rationale": condition.rationale if condition.ruling != ConditionRuling.PENDING else "",
                "confirmed": bool(condition.confirmed_by_id),
            }
            for condition in data.conditions
        ],
        "answers": data.answers,
        "spend": [
            (label, _money(amount, grant.currency), percent) for label, amount, percent in budget.by_category
        ],
        "spent": _money(budget.spent, grant.currency),
        "remaining": _money(budget.remaining, grant.currency),
        "percent_spent": budget.percent_spent,
        "activity": data.activity,
    }
    return render_to_string(DISCLOSURE_TEMPLATE, context)
