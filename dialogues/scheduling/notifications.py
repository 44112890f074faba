"""E-mail about workshops: invitations, changes, cancellations, withdrawals, and requests to review a summary.

A change is first written to the `Notification` table, in the transaction that made it. A beat task
(`dialogues.deliver_notifications`, every minute) sends each person one message per dialogue once their
changes have been quiet for `QUIET` (or have waited `MAX_WAIT`), so a facilitator who edits a workshop three
times in two minutes sends one e-mail, not three. A person who no longer belongs to the dialogue (removed
since the change), or who is cut off, is sent nothing about it. Mail leaves the building: subjects and bodies
carry the dialogue's codename, the series' position, the workshop's number and times
(`Workshop.neutral_label`), and nothing else (no title of dialogue, series or workshop, no venue or names).

Someone invited who has no login cannot "sign in to Trackii": their invitation e-mail carries instead the link
to set up a login that the invitation opened for them (`trackii.accounts.services.issue_login_link`, with the
login invitations' own token, expiry and audit rows), and without one it asks them to answer the facilitators,
who record the answer for them.
"""

import datetime as dt
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext, pgettext_lazy

from dialogues.enums import NotificationKind
from dialogues.models import Notification, Workshop
from dialogues.permissions import person_belongs_to_dialogue
from participants.selectors import is_cut_off
from trackii.accounts.languages import language_of
from trackii.accounts.models import AccountInvitation
from trackii.accounts.selectors import invitation_link
from trackii.accounts.services import record_invitation_sent
from trackii.audit.enums import Action
from trackii.audit.services import record_event

QUIET = dt.timedelta(minutes=2)
# The news that asks for an answer: only its e-mail carries a link to set up a login.
INVITING = frozenset({NotificationKind.INVITED, NotificationKind.REINVITED})
MAX_WAIT = dt.timedelta(minutes=10)

# One whole subject per kind, the workshop's label inside it, so a translation can order and inflect it.
SUBJECTS = {
    NotificationKind.INVITED: pgettext_lazy("e-mail subject", "%(workshop)s: invitation"),
    NotificationKind.REINVITED: pgettext_lazy("e-mail subject", "%(workshop)s: invitation"),
    NotificationKind.CHANGED: pgettext_lazy("e-mail subject", "%(workshop)s: changed"),
    NotificationKind.CANCELLED: pgettext_lazy("e-mail subject", "%(workshop)s: cancelled"),
    NotificationKind.WITHDRAWN: pgettext_lazy(
        "e-mail subject", "%(workshop)s: your invitation was withdrawn"
    ),
    NotificationKind.REVIEW: pgettext_lazy(
        "e-mail subject", "%(workshop)s: the summary is ready for your review"
    ),
    NotificationKind.REMINDER: pgettext_lazy(
        "e-mail subject", "%(workshop)s: reminder: the summary waits for your review"
    ),
}
# A request to review a summary, or a reminder of one: news of its own, never folded into a workshop's.
REVIEW_KINDS = frozenset({NotificationKind.REVIEW, NotificationKind.REMINDER})


def queue_notifications(
    *, workshop: Workshop, people, kind: str, now: dt.datetime | None = None, base_url: str = ""
) -> int:
    """Record that these people must hear about `kind` on this workshop. Returns how many were queued.
    `base_url` (where Trackii is served, from the request) lets the e-mail carry a link to set up a login."""
    now = now or timezone.now()
    rows = [
        Notification(person=person, workshop=workshop, kind=kind, created_at=now, base_url=base_url)
        for person in people
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def _address(person) -> str | None:
    return person.email or (person.user.email if person.user_id else None)


def _login_link(person, rows: list[Notification], now: dt.datetime) -> AccountInvitation | None:
    """The open link to set up a login that an invitation e-mail to someone without one carries, if any."""
    base_url = next((row.base_url for row in reversed(rows) if row.base_url), "")
    if person.user_id or not base_url or not any(row.kind in INVITING for row in rows):
        return None
    invitation = (
        AccountInvitation.objects.filter(
            person=person,
            dialogue_id=rows[0].workshop.series.dialogue_id,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )
    if invitation is not None:
        invitation.link = invitation_link(invitation=invitation, base_url=base_url)
    return invitation


def _message(
    person, codename: str, rows: list[Notification], login: AccountInvitation | None = None
) -> EmailMessage | None:
    address = _address(person)
    if not address:
        return None
    # One line per workshop: its latest news (a change then a cancellation is just a cancellation); a request
    # to review its summary is news of its own, never folded into a change of time or place.
    latest: dict[tuple[int, bool], Notification] = {}
    for row in rows:
        latest[(row.workshop_id, row.kind in REVIEW_KINDS)] = row
    items = sorted(latest.values(), key=lambda r: r.workshop.starts_at)
    # In the language the person reads (their choice, else one they speak, else English); still codename-only.
    with translation.override(language_of(person.user, spoken=person.languages)):
        return _compose(address, codename, items, login, has_login=bool(person.user_id))


def _compose(address: str, codename: str, items: list, login, *, has_login: bool) -> EmailMessage:
    if len(items) == 1:
        subject = SUBJECTS[items[0].kind] % {"workshop": items[0].workshop.neutral_label_translated}
    else:
        subject = ngettext(
            "%(codename)s: %(count)d update about your workshops",
            "%(codename)s: %(count)d updates about your workshops",
            len(items),
        ) % {"codename": codename, "count": len(items)}
    body = render_to_string(
        "emails/workshop_updates.txt",
        {
            "codename": codename,
            "items": items,
            "reviews": any(item.kind in REVIEW_KINDS for item in items),
            "workshop_news": any(item.kind not in REVIEW_KINDS for item in items),
            "site_url": getattr(settings, "TRACKII_SITE_URL", "").rstrip("/"),
            "has_login": has_login,
            "login": login,
        },
    )
    return EmailMessage(subject=subject, body=body, to=[address])


def deliver_notifications(*, now: dt.datetime | None = None) -> int:
    """Send every batch that is due: one message per person and dialogue. Returns how many were sent.

    Rows are locked (SKIP LOCKED) and marked sent in the transaction that sends them, so two workers never
    send the same batch; a failure to send rolls the marks back and the next run tries again."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .annotate(
                belongs=ExpressionWrapper(
                    person_belongs_to_dialogue(person_ref="person", ref="workshop__series__dialogue")
                    & ~Q(is_cut_off(person_ref="person")),
                    output_field=BooleanField(),
                )
            )
            .select_related("person__user", "workshop__series__dialogue")
            .order_by("person_id", "workshop__series__dialogue_id", "created_at", "id")
        )
        done: list[int] = []
        batches: list[tuple[list[Notification], bool]] = []
        links: list[AccountInvitation] = []
        for _, group in groupby(pending, key=lambda n: (n.person_id, n.workshop.series.dialogue_id)):
            rows = list(group)
            newest, oldest = rows[-1].created_at, rows[0].created_at
            if newest > now - QUIET and oldest > now - MAX_WAIT:
                continue  # still changing: wait for the dust to settle
            # Someone removed from the dialogue since, or cut off, hears nothing more of it: closed unsent.
            message = login = None
            if rows[0].belongs:
                login = _login_link(rows[0].person, rows, now)
                message = _message(rows[0].person, rows[0].workshop.series.dialogue.codename, rows, login)
            if message is not None:
                message.send()
                sent += 1
                if login is not None:
                    links.append(login)
            done.extend(row.pk for row in rows)
            batches.append((rows, message is not None))
        Notification.objects.filter(pk__in=done).update(sent_at=now)
        # After the sending: the first audit row holds the chain's lock until this transaction commits.
        for rows, mailed in batches:
            record_event(
                actor=None,
                action=Action.NOTIFICATIONS_SENT,
                target_type="participants.person",
                target_id=rows[0].person_id,
                dialogue_id=rows[0].workshop.series.dialogue_id,
                detail={"notifications": len(rows), "mailed": mailed},
            )
        for login in links:
            record_invitation_sent(invitation=login)
    return sent
