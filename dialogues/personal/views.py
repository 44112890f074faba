"""A person's own pages: their workshops and answers, their unavailable dates, their calendar (month and
agenda), its settings, and the private .ics feed behind a revocable token."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import WorkshopStatus
from dialogues.http import GET, GET_POST, POST
from dialogues.models import PersonalCalendar, Unavailability
from dialogues.personal import ics, selectors, services
from dialogues.personal.forms import CalendarSettingsForm, RsvpForm, UnavailabilityForm
from dialogues.scheduling import services as scheduling_services
from trackii.accounts import zones
from trackii.accounts.languages import language_of
from trackii.inputs import in_range, parse_id
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, show_refusal

FEED_PAST_DAYS = 90
AGENDA_DAYS = 366


def _my_page(request, *, unavailability_form=None, status=200):
    person = dialogue_selectors.person_of(user=request.user)
    now = timezone.now()
    invitations = list(selectors.my_invitations(user=request.user)) if person else []
    upcoming = [i for i in invitations if i.workshop.ends_at >= now]
    past = [i for i in invitations if i.workshop.ends_at < now][::-1]
    context = {
        "person": person,
        "upcoming": upcoming,
        "past": past,
        "unavailabilities": person.unavailabilities.filter(ends_on__gte=now.date()) if person else (),
        "unavailability_form": unavailability_form or UnavailabilityForm(),
        "viewer_tz": dialogue_selectors.display_timezone(user=request.user),
        "cancelled": WorkshopStatus.CANCELLED,
    }
    return render(request, "dialogues/personal/my_workshops.html", context, status=status)


@login_required
@require_http_methods(GET)
def my_workshops(request):
    return _my_page(request)


@login_required
@require_http_methods(POST)
def rsvp(request, invitation_id: int):
    """One-click accept or decline, from the person's own page, with an optional availability note."""
    invitation = fetch_or_404(request, selectors.my_invitations(user=request.user), pk=invitation_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline. ") + " ".join(form.errors.get("note", [])))
    else:
        try:
            scheduling_services.respond_to_invitation(
                invitation=invitation,
                status=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            workshop = invitation.workshop
            messages.success(
                request,
                (
                    _("Thank you: you accepted %(workshop)s.")
                    if form.cleaned_data["answer"] == "accepted"
                    else _("Thank you: you declined %(workshop)s.")
                )
                % {"workshop": f"{workshop.series.dialogue.codename} · {workshop.label}"},
            )
    return redirect(reverse("dialogues:my_workshops") + f"#invitation-{invitation.pk}")


@login_required
@require_http_methods(POST)
def availability(request):
    """Add or remove dates on which the person cannot come to anything."""
    person = dialogue_selectors.person_of(user=request.user)
    if person is None:
        raise Http404
    if "remove" in request.POST:
        row = fetch_or_404(
            request, Unavailability.objects.filter(person=person), pk=parse_id(request.POST["remove"])
        )
        services.remove_unavailability(unavailability=row, by=request.user)
        messages.success(request, _("Those dates were removed."))
        return redirect("dialogues:my_workshops")
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.add_unavailability(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Noted: the facilitators will see a warning for workshops on those dates.")
            )
            return redirect("dialogues:my_workshops")
    return _my_page(request, unavailability_form=form, status=400)


def _month(value: str | None, today: dt.date) -> dt.date:
    """The month asked for, or this month for anything unreadable or outside the dates Trackii keeps (the
    grid's week either side of year 1 or 9999 would not exist)."""
    try:
        first = dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return first if in_range(first) else today.replace(day=1)


@login_required
@require_http_methods(GET)
def calendar_month(request):
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    tz = zoneinfo.ZoneInfo(tz_name)
    today = timezone.now().astimezone(tz).date()
    first = _month(request.GET.get("month"), today)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    # The grid shows whole weeks: up to six days either side of the month.
    start = dt.datetime.combine(first - dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(following + dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    # The calendar never shows a venue: leave it encrypted (the feed, which may, reads its own).
    workshops = list(selectors.calendar_workshops(user=request.user, start=start, end=end).defer("venue"))
    context = {
        "month": first,
        # No link out of the range: it would only lead back to this month.
        "previous": previous if in_range(previous) else None,
        "next": following if in_range(following) else None,
        "weeks": selectors.month_grid(
            year=first.year, month=first.month, workshops=workshops, tz_name=tz_name
        ),
        "today": today,
        "viewer_tz": tz_name,
    }
    return render(request, "dialogues/personal/calendar_month.html", context)


@login_required
@require_http_methods(GET)
def calendar_agenda(request):
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    now = timezone.now()
    workshops = selectors.calendar_workshops(
        user=request.user, start=now, end=now + dt.timedelta(days=AGENDA_DAYS)
    ).defer("venue")
    return render(
        request, "dialogues/personal/calendar_agenda.html", {"workshops": workshops, "viewer_tz": tz_name}
    )


@login_required
@require_http_methods(GET_POST)
def calendar_settings(request):
    """The zone times are shown in, and the private feed: issue (or replace), revoke, opt in to detail."""
    calendar = PersonalCalendar.objects.filter(user=request.user).first()
    form = CalendarSettingsForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "save" else None,
        initial={
            "timezone": calendar.timezone if calendar else "UTC",
            "feed_detail": calendar.feed_detail if calendar else False,
        },
        zones_in_use=dialogue_selectors.timezones_in_use(user=request.user),
    )
    new_feed_url, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            if form.is_valid():
                services.update_calendar_settings(
                    by=request.user,
                    timezone_name=form.cleaned_data["timezone"],
                    feed_detail=form.cleaned_data["feed_detail"],
                )
                zones.remember(request, form.cleaned_data["timezone"])  # the zone every page shows times in
                messages.success(request, _("Calendar settings saved."))
                return redirect("dialogues:calendar_settings")
            status = 400
        elif action == "issue":
            token = services.issue_feed_token(by=request.user)
            # Shown once, here: only its hash is stored.
            new_feed_url = request.build_absolute_uri(
                reverse("dialogues:calendar_feed", kwargs={"token": token})
            )
        elif action == "revoke":
            services.revoke_feed(by=request.user)
            messages.success(
                request, _("Your feed address no longer works. Calendars using it will stop updating.")
            )
            return redirect("dialogues:calendar_settings")
        else:
            return HttpResponse("Unknown action.", status=400, content_type="text/plain")
        calendar = PersonalCalendar.objects.filter(user=request.user).first()
    context = {"form": form, "calendar": calendar, "new_feed_url": new_feed_url}
    return render(request, "dialogues/personal/calendar_settings.html", context, status=status)


@require_http_methods(GET)
def calendar_feed(request, token: str):
    """The .ics feed. No login (calendar programs cannot log in): the token is the key. What it lists is
    worked out on every read from the owner's current access, and every read is audited."""
    now = timezone.now()
    feed = services.read_feed(
        token=token,
        start=now - dt.timedelta(days=FEED_PAST_DAYS),
        end=now + dt.timedelta(days=3650),
    )
    if feed is None:
        raise Http404
    calendar, workshops = feed
    # In the owner's language, not the calendar program's (its Accept-Language says nothing of the reader).
    person = getattr(calendar.user, "person", None)
    with translation.override(language_of(calendar.user, spoken=person.languages if person else None)):
        body = ics.render_feed(workshops=workshops, detail=calendar.feed_detail, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trackii.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
