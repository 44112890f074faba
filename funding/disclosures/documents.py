"""The funder-disclosure report's PDF: the grant's terms, the rulings on its conditions, the participants'
answers and the spend, and the funded dialogue's activity in aggregate only (two charts with their tables,
drawn by trackii.charts as inline SVG, which WeasyPrint draws; pdf/charts.css styles them).

The template gets plain values computed here (funding.disclosures.selectors.disclosure_data), never a
dialogue, workshop or person, so it cannot reach names, pseudonyms, venues, agendas or summaries.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from funding.disclosures.selectors import disclosure_data
from funding.enums import ConditionRuling
from funding.models import Disclosure
from trackii.sealing.pdf import inline_stylesheet

DISCLOSURE_TEMPLATE = "funding/pdf/disclosure.html"
STYLESHEETS = ("pdf/summary.css", "pdf/disclosure.css", "pdf/charts.css")


def _money(amount, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


def disclosure_html(disclosure: Disclosure, *, sealed_at: datetime.datetime) -> str:
    if not timezone.is_aware(sealed_at):
        raise ValueError("sealed_at must be an aware datetime.")
    data = disclosure_data(grant=disclosure.grant)
    grant, funder, budget = data.grant, data.funder, data.budget
    sealed_utc = sealed_at.astimezone(datetime.UTC)
    context = {
        "stylesheet": mark_safe("\n".join(inline_stylesheet(name) for name in STYLESHEETS)),  # noqa: S308 - our files
        "third_party": grant.third_party.name,
        "funder": funder.name,
        "funder_kind": funder.get_kind_display(),
        "funder_country": funder.country,
        "version": disclosure.version,
        "sealed_on": dateformat.format(sealed_utc, "j F Y, H:i") + " UTC",
        "recipient": data.recipient,
        "reference": grant.reference,
        "amount": _money(grant.amount, grant.currency),
        "period": f"{dateformat.format(grant.starts_on, 'j F Y')} to "
        f"{dateformat.format(grant.ends_on, 'j F Y')}",
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
