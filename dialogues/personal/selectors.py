"""Reads for a person's own pages: their invitations, their calendar (month grid and agenda) and the feed
behind a token. What they list is worked out from the person's current access on every read."""

import calendar
import datetime as dt
import hashlib
import zoneinfo
from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from dialogues.enums import InvitationStatus
from dialogues.models import AgendaItem, Invitation, PersonalCalendar, Workshop
from dialogues.permissions import visible_workshops
from dialogues.scheduling.selectors import AGENDA_ORDER
from dialogues.selectors import workshops_for_user


def my_invitations(*, user) -> QuerySet[Invitation]:
    """The user's own invitations to workshops they can still see, with the agenda they may read."""
    shared_agenda = Prefetch(
        "workshop__agenda_items",
        queryset=AgendaItem.objects.filter(facilitators_only=False).order_by(*AGENDA_ORDER),
        to_attr="shared_agenda",
    )
    return (
        Invitation.objects.filter(person__user=user)
        .filter(Exists(Workshop.objects.filter(visible_workshops(user), pk=OuterRef("workshop"))))
        .select_related("workshop__series__dialogue")
        .prefetch_related(shared_agenda)
        .order_by("workshop__starts_at")
    )


def calendar_workshops(*, user, start: dt.datetime, end: dt.datetime) -> QuerySet[Workshop]:
    """Workshops the user may see that overlap [start, end), without those they declined."""
    declined = Invitation.objects.filter(
        workshop=OuterRef("pk"), person__user=user, status=InvitationStatus.DECLINED
    )
    return (
        workshops_for_user(user=user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(Exists(declined))
        .order_by("starts_at", "id")
    )


def feed_token_hash(*, token: str) -> str:
    """How a feed token is stored and looked up: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_for_token(*, token: str) -> PersonalCalendar | None:
    return (
        PersonalCalendar.objects.select_related("user")
        .filter(feed_token_hash=feed_token_hash(token=token), user__is_active=True)
        .first()
    )


def month_grid(*, year: int, month: int, workshops, tz_name: str) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the workshops running on it in the viewer's zone."""
    tz = zoneinfo.ZoneInfo(tz_name)
    days: dict[dt.date, list] = defaultdict(list)
    for workshop in workshops:
        day, last = workshop.starts_at.astimezone(tz).date(), workshop.ends_at.astimezone(tz).date()
        while day <= last:
            days[day].append(workshop)
            day += dt.timedelta(days=1)
    return [
        [{"date": d, "in_month": d.month == month, "workshops": days.get(d, [])} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
