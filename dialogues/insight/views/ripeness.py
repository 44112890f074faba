"""The ripeness log's pages (issue 21): the series' workshops beside the official process on one timeline,
the entries newest first, adding, changing and deleting one (after asking), and the entries as CSV. Every
page opens its dialogue through `insight_dialogue`, and an entry only within that dialogue: for anyone but
the dialogue's convenors and facilitators, who both read and keep the log, it is the ordinary 404, audited
as denied."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD, GET, GET_POST
from dialogues.insight import services as insight_services
from dialogues.insight.ripeness import selectors, services
from dialogues.insight.ripeness.forms import RipenessEntryForm
from dialogues.insight.views.common import insight_dialogue
from dialogues.models import Dialogue, RipenessEntry
from trackii.charts import Lane, Mark, Table, timeline_chart
from trackii.charts.export import csv_response, in_source_language
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status

TEMPLATES = "dialogues/insight/ripeness"
# Room either side of the first and last mark, so that neither sits on the plot's edge.
MARGIN = dt.timedelta(days=14)


def _entry(request, dialogue_id: int, entry_id: int) -> RipenessEntry:
    """An entry of the dialogue, if the user keeps its log; one of another dialogue is the same 404."""
    dialogue = insight_dialogue(request, dialogue_id)
    entry = fetch_or_404(request, RipenessEntry.objects.filter(dialogue=dialogue), pk=entry_id)
    entry.dialogue = dialogue
    return entry


def _page_url(dialogue_id: int) -> str:
    return reverse("dialogues:insight_ripeness", args=[dialogue_id])


def _event(entry: RipenessEntry) -> str:
    return gettext("%(kind)s, %(day)s") % {
        "kind": entry.get_kind_display().lower(),
        "day": date_format(entry.occurred_on, "j F Y"),
    }


def _chart(dialogue: Dialogue, entries: list[RipenessEntry]):
    workshops = selectors.workshop_days(dialogue=dialogue)
    official = sorted(entries, key=lambda entry: (entry.occurred_on, entry.pk))
    days = [day for day, _, _ in workshops] + [entry.occurred_on for entry in official]
    if not days:
        return None
    lanes = [
        Lane(
            gettext("Workshops"),
            tuple(
                Mark(day, gettext("series %(position)s · workshop %(number)s") % {"position": p, "number": n})
                for day, p, n in workshops
            ),
        ),
        Lane(gettext("Official process"), tuple(Mark(e.occurred_on, e.get_kind_display()) for e in official)),
    ]
    counted = {
        "workshops": ngettext("%(n)s workshop", "%(n)s workshops", len(workshops)) % {"n": len(workshops)},
        "n": len(official),
        "start": date_format(min(days), "j F Y"),
        "end": date_format(max(days), "j F Y"),
    }
    reading = (
        ngettext(
            "%(workshops)s and %(n)s event of the official process, from %(start)s to %(end)s.",
            "%(workshops)s and %(n)s events of the official process, from %(start)s to %(end)s.",
            len(official),
        )
        % counted
    )
    today = timezone.localdate()
    past = [entry for entry in official if entry.occurred_on <= today]
    ahead = [entry for entry in official if entry.occurred_on > today]
    if past:
        reading += " " + gettext("Latest in the official process: %(event)s.") % {"event": _event(past[-1])}
    if ahead:
        reading += " " + gettext("Ahead: %(event)s.") % {"event": _event(ahead[0])}
    return timeline_chart(
        key="ripeness",
        title=gettext("The series beside the official process"),
        description=reading,
        lanes=lanes,
        start=min(days) - MARGIN,
        end=max(days) + MARGIN,
    )


def _page(request, dialogue: Dialogue, *, form=None):
    entries = list(selectors.ripeness_entries(dialogue=dialogue))
    context = {
        "dialogue": dialogue,
        "entries": entries,
        "chart": _chart(dialogue, entries),
        "form": form or RipenessEntryForm(),
        "today": timezone.localdate(),
    }
    return render(request, f"{TEMPLATES}/log.html", context, status=form_status(form))


@login_required
@require_http_methods(GET)
def ripeness(request, dialogue_id: int):
    return _page(request, insight_dialogue(request, dialogue_id))


@login_required
@require_http_methods(GET_POST)
def ripeness_new(request, dialogue_id: int):
    """Add an entry. The log's page carries the same form; a refused one comes back on the log's page."""
    dialogue = insight_dialogue(request, dialogue_id)
    if request.method != "POST":
        return redirect(_page_url(dialogue.pk) + "#add-entry")
    form = RipenessEntryForm(request.POST)
    if form.is_valid():
        try:
            services.add_ripeness_entry(dialogue=dialogue, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Entry added to the ripeness log."))
            return redirect(_page_url(dialogue.pk))
    return _page(request, dialogue, form=form)


@login_required
@require_http_methods(GET_POST)
def ripeness_edit(request, dialogue_id: int, entry_id: int):
    entry = _entry(request, dialogue_id, entry_id)
    form = RipenessEntryForm(
        request.POST if request.method == "POST" else None,
        initial={"occurred_on": entry.occurred_on, "kind": entry.kind, "text": entry.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_ripeness_entry(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Entry saved."))
            return redirect(_page_url(entry.dialogue_id))
    context = {"dialogue": entry.dialogue, "entry": entry, "form": form}
    return render(request, f"{TEMPLATES}/edit.html", context, status=form_status(form))


@login_required
@require_http_methods(GET_POST)
def ripeness_delete(request, dialogue_id: int, entry_id: int):
    entry = _entry(request, dialogue_id, entry_id)
    page = _page_url(entry.dialogue_id)
    if not confirmed(request):
        day = date_format(entry.occurred_on, "j F Y")
        return ask(
            request,
            Confirmation(
                title=gettext("Delete the entry “%(kind)s”, %(day)s?")
                % {"kind": entry.get_kind_display(), "day": day},
                action=request.path,
                button=gettext("Yes, delete the entry"),
                back=page,
                back_label=gettext("No, keep it"),
                happens=(
                    gettext(
                        "The entry and its words leave the ripeness log and its timeline for the whole "
                        "facilitation team."
                    ),
                ),
                told=gettext(
                    "Nobody is told. The audit log keeps that it was deleted, with its kind and date only."
                ),
                final=gettext("Its words cannot be brought back: copy them first if you may need them."),
                breadcrumbs=(
                    (reverse("dialogues:dashboard", args=[entry.dialogue_id]), entry.dialogue.codename),
                    (page, pgettext("breadcrumb", "ripeness log")),
                ),
            ),
            template=f"{TEMPLATES}/delete.html",
            entry=entry,
        )
    services.delete_ripeness_entry(entry=entry, by=request.user)
    messages.success(request, gettext("Entry deleted."))
    return redirect(page)


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def ripeness_csv(request, dialogue_id: int):
    dialogue = insight_dialogue(request, dialogue_id)
    insight_services.record_export(by=request.user, dialogue=dialogue, table="ripeness_entries")
    rows = tuple(
        (entry.occurred_on.isoformat(), entry.get_kind_display(), entry.text, entry.writer or "")
        for entry in selectors.ripeness_entries(dialogue=dialogue)
    )
    table = Table(
        caption=f"Ripeness log of {dialogue.codename}",
        columns=("Date", "What happened", "In the facilitators' words", "Last written by"),
        rows=rows,
    )
    return csv_response(table, filename=f"{dialogue.codename}-ripeness-log.csv")
