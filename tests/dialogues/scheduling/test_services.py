"""The facilitator workspace: cloning, rescheduling, warnings, invitations and notifications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues import selectors, services
from dialogues.enums import DialogueRole, InvitationStatus, NotificationKind, WorkshopStatus
from dialogues.models import Invitation, Notification, Unavailability
from dialogues.personal import services as personal_services
from dialogues.scheduling import notifications
from dialogues.scheduling import selectors as scheduling_selectors
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member as _member
from tests.dialogues.helpers import two_sided as _two_sided
from tests.factories import AgendaItemFactory, DialogueFactory, SeriesFactory, SideFactory, WorkshopFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()


# --- Cloning and editing --------------------------------------------------------------------------------


def test_clone_next_copies_venue_agenda_and_invitations_one_gap_later():
    dialogue, north, south = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    start = dt.datetime(2030, 1, 15, 9, 0)
    _first, second = scheduling_services.schedule_run(
        series=series,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        timezone_name="Asia/Singapore",
        repeat="months",
        interval=4,
        count=2,
        venue="Marrowbay Harbour Hotel",
        by=None,
    )
    AgendaItemFactory(workshop=second, position=1, title="Opening", duration_minutes=60)
    AgendaItemFactory(workshop=second, position=2, title="Team huddle", facilitators_only=True)
    stays, leaves = _member(dialogue, north), _member(dialogue, south)
    scheduling_services.invite_people(workshop=second, people=[stays, leaves], by=None)
    services.revoke_role(dialogue=dialogue, person=leaves, role=DialogueRole.PARTICIPANT, by=None)

    new = scheduling_services.clone_next_workshop(workshop=second, by=None)

    assert new.number == 3 and new.venue == "Marrowbay Harbour Hotel" and new.timezone == "Asia/Singapore"
    assert new.local_starts_at.replace(tzinfo=None) == dt.datetime(2030, 9, 15, 9, 0)
    assert new.ends_at - new.starts_at == dt.timedelta(hours=8)
    assert [(i.title, i.facilitators_only) for i in new.agenda_items.order_by("position")] == [
        ("Opening", False),
        ("Team huddle", True),
    ]
    assert list(new.invitations.values_list("person", "status")) == [(stays.pk, InvitationStatus.INVITED)]
    assert Notification.objects.filter(workshop=new, person=stays, kind=NotificationKind.INVITED).count() == 1
    assert stays.user.has_perm("dialogues.view_workshop", new)


def test_reschedule_following_moves_later_workshops_by_the_same_wall_clock_shift_and_notifies():
    dialogue, north, _ = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    start = dt.datetime(2030, 3, 5, 9, 0)
    workshops = scheduling_services.schedule_run(
        series=series, starts_at=start, ends_at=start + dt.timedelta(hours=6), timezone_name="Europe/Oslo",
        repeat="months", interval=2, count=3, by=None,
    )  # fmt: skip
    person = _member(dialogue, north)
    scheduling_services.invite_people(workshop=workshops[2], people=[person], by=None)
    Notification.objects.all().delete()

    changed = scheduling_services.reschedule_workshop(
        workshop=workshops[1],
        starts_at=dt.datetime(2030, 5, 6, 10, 0),
        ends_at=dt.datetime(2030, 5, 6, 18, 0),
        timezone_name="Europe/Oslo",
        venue="Kijani Retreat Centre",
        format="hybrid",
        following=True,
        by=None,
    )

    assert [w.number for w in changed] == [2, 3]
    for w in workshops:
        w.refresh_from_db()
    assert workshops[0].local_starts_at.replace(tzinfo=None) == start  # earlier ones stay
    assert workshops[2].local_starts_at.replace(tzinfo=None) == dt.datetime(2030, 7, 6, 10, 0)
    assert workshops[2].local_ends_at.hour == 18 and workshops[2].venue == "Kijani Retreat Centre"
    assert list(Notification.objects.values_list("person", "kind")) == [(person.pk, NotificationKind.CHANGED)]


def test_cancel_notifies_everyone_still_expected_and_refuses_a_held_workshop():
    dialogue, north, south = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    coming, declined = _member(dialogue, north), _member(dialogue, south)
    scheduling_services.invite_people(workshop=workshop, people=[coming, declined], by=None)
    scheduling_services.respond_to_invitation(
        invitation=Invitation.objects.get(person=declined), status="declined", by=None
    )
    Notification.objects.all().delete()
    scheduling_services.cancel_workshop(workshop=workshop, by=None)
    scheduling_services.cancel_workshop(workshop=workshop, by=None)  # twice: nothing more
    assert list(Notification.objects.values_list("person", "kind")) == [
        (coming.pk, NotificationKind.CANCELLED)
    ]
    held = WorkshopFactory(series__dialogue=dialogue, status=WorkshopStatus.HELD)
    with pytest.raises(Exception, match="has been held"):
        scheduling_services.cancel_workshop(workshop=held, by=None)


def test_withdraw_removes_access_and_reinvite_asks_again():
    dialogue, north, _ = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    person = _member(dialogue, north)
    [invitation] = scheduling_services.invite_people(workshop=workshop, people=[person], by=None)
    scheduling_services.respond_to_invitation(
        invitation=invitation, status="declined", note="Exams that week", by=None
    )
    invitation = scheduling_services.reinvite(invitation=Invitation.objects.get(pk=invitation.pk), by=None)
    assert invitation.status == InvitationStatus.INVITED
    scheduling_services.withdraw_workshop_invitation(invitation=invitation, by=None)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not selectors.workshops_for_user(user=person.user).filter(pk=workshop.pk).exists()
    kinds = list(Notification.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == [NotificationKind.INVITED, NotificationKind.REINVITED, NotificationKind.WITHDRAWN]


def test_attendance_marks_the_workshop_held_even_for_someone_who_never_replied():
    dialogue, north, _ = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    person = _member(dialogue, north)
    [invitation] = scheduling_services.invite_people(workshop=workshop, people=[person], by=None)
    with pytest.raises(Exception, match="once the workshop has started"):
        scheduling_services.record_attendance(
            invitation=invitation, status=InvitationStatus.ATTENDED, by=None
        )
    later = workshop.starts_at + dt.timedelta(hours=1)
    scheduling_services.record_attendance(
        invitation=invitation, status=InvitationStatus.ATTENDED, now=later, by=None
    )
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.HELD


def test_agenda_items_move_and_stay_numbered():
    workshop = WorkshopFactory()
    a, _b, c = (scheduling_services.add_agenda_item(workshop=workshop, title=t, by=None) for t in "ABC")
    scheduling_services.move_agenda_item(item=c, steps=-1, by=None)
    scheduling_services.move_agenda_item(item=a, steps=-1, by=None)  # already first: nothing moves
    assert list(workshop.agenda_items.order_by("position").values_list("title", "position")) == [
        ("A", 1), ("C", 2), ("B", 3),
    ]  # fmt: skip
    scheduling_services.remove_agenda_item(item=a, by=None)
    assert list(workshop.agenda_items.order_by("position").values_list("position", flat=True)) == [1, 2]


# --- Audit -----------------------------------------------------------------------------------------------


def test_each_change_in_the_workspace_writes_one_audit_row_that_names_no_content():
    dialogue, north, _ = _two_sided()
    by = _member(dialogue, role=DialogueRole.CONVENOR).user
    person = _member(dialogue, north)
    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 2: fisheries", by=by)
    start = dt.datetime(2030, 3, 5, 9, 0)
    times = {"starts_at": start, "ends_at": start + dt.timedelta(hours=6), "timezone_name": "Europe/Oslo"}
    workshop = scheduling_services.schedule_workshop(series=series, venue="Fjordhaven House", by=by, **times)
    opening = scheduling_services.add_agenda_item(workshop=workshop, title="Opening", by=by)
    huddle = scheduling_services.add_agenda_item(workshop=workshop, title="Security huddle", by=by)
    scheduling_services.move_agenda_item(item=huddle, steps=-1, by=by)
    scheduling_services.set_agenda_item_facilitators_only(item=huddle, facilitators_only=True, by=by)
    opening_id = opening.pk
    scheduling_services.remove_agenda_item(item=opening, by=by)
    [invitation] = scheduling_services.invite_people(workshop=workshop, people=[person], by=by)
    invitation = scheduling_services.respond_to_invitation(
        invitation=invitation, status="declined", note="Exams that week", by=person.user
    )
    invitation = scheduling_services.reinvite(invitation=invitation, by=by)
    scheduling_services.reschedule_workshop(
        workshop=workshop, venue="Kijani Retreat Centre", format=workshop.format, by=by, **times
    )
    clone = scheduling_services.clone_next_workshop(workshop=workshop, by=by)
    cloned_invitation = clone.invitations.get()
    cloned_id = cloned_invitation.pk
    scheduling_services.withdraw_workshop_invitation(invitation=cloned_invitation, by=by)
    scheduling_services.cancel_workshop(workshop=clone, by=by)
    scheduling_services.record_attendance(
        invitation=invitation, status=InvitationStatus.ATTENDED, now=workshop.starts_at, by=by
    )

    rows = list(AuditEvent.objects.filter(id__gt=since).order_by("id"))
    assert [(row.action, row.target_id) for row in rows] == [
        (Action.SERIES_CREATED, str(series.pk)),
        (Action.WORKSHOP_SCHEDULED, str(workshop.pk)),
        (Action.AGENDA_ITEM_ADDED, str(opening_id)),
        (Action.AGENDA_ITEM_ADDED, str(huddle.pk)),
        (Action.AGENDA_ITEM_MOVED, str(huddle.pk)),
        (Action.AGENDA_ITEM_CHANGED, str(huddle.pk)),
        (Action.AGENDA_ITEM_REMOVED, str(opening_id)),
        (Action.WORKSHOP_INVITED, str(invitation.pk)),
        (Action.INVITATION_ANSWERED, str(invitation.pk)),
        (Action.INVITATION_RENEWED, str(invitation.pk)),
        (Action.WORKSHOP_RESCHEDULED, str(workshop.pk)),
        (Action.WORKSHOP_CLONED, str(clone.pk)),
        (Action.WORKSHOP_INVITED, str(cloned_id)),
        (Action.INVITATION_WITHDRAWN, str(cloned_id)),
        (Action.WORKSHOP_CANCELLED, str(clone.pk)),
        (Action.ATTENDANCE_RECORDED, str(invitation.pk)),
    ]
    assert {row.dialogue_id for row in rows} == {dialogue.pk}
    assert [row.actor_id for row in rows if row.action == Action.INVITATION_ANSWERED] == [person.user.pk]
    answered = next(row for row in rows if row.action == Action.INVITATION_ANSWERED)
    assert answered.detail == {"from": "invited", "to": "declined", "fields": ["status", "availability_note"]}
    details = str([row.detail for row in rows])
    for secret in ("Phase 2", "Fjordhaven", "Kijani", "Opening", "Security", "Exams"):
        assert secret not in details


# --- Warnings --------------------------------------------------------------------------------------------


def _warnings(dialogue, workshop):
    return [
        w.problem
        for w in scheduling_selectors.workshop_warnings(
            dialogue=dialogue, workshops=[workshop], today=NOW.date()
        )[workshop.pk]
    ]


def test_warning_when_a_side_has_nobody_invited_or_nobody_accepted():
    dialogue, north, _south = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    scheduling_services.invite_people(workshop=workshop, people=[_member(dialogue, north)], by=None)
    problems = _warnings(dialogue, workshop)
    assert "Nobody from South is invited." in problems
    assert "Nobody from North has accepted yet (1 invited)." in problems
    [advice] = [
        w.advice
        for w in scheduling_selectors.workshop_warnings(
            dialogue=dialogue, workshops=[workshop], today=NOW.date()
        )[workshop.pk]
        if "South" in w.problem
    ]
    assert advice.startswith("Invite members of South")


def test_warnings_union_runs_on_the_embedded_sqlite(monkeypatch):
    """`make run` uses SQLite, which refuses an ORDER BY inside a part of a UNION (the parts' models order
    themselves by default): Django's own feature flag says so, and the warnings must still come out."""
    monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)
    dialogue, north, _south = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    scheduling_services.invite_people(workshop=workshop, people=[_member(dialogue, north)], by=None)
    assert "Nobody from South is invited." in _warnings(dialogue, workshop)


def test_warning_when_sides_are_out_of_balance():
    dialogue, north, south = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    people = [_member(dialogue, north) for _ in range(4)] + [_member(dialogue, south)]
    for invitation in scheduling_services.invite_people(workshop=workshop, people=people, by=None):
        scheduling_services.respond_to_invitation(invitation=invitation, status="accepted", by=None)
    assert "The sides are out of balance: 4 accepted from North, 1 from South." in _warnings(
        dialogue, workshop
    )


def test_double_booking_across_dialogues_is_flagged_without_naming_the_other_dialogue(client):
    dialogue, north, _ = _two_sided()
    other = DialogueFactory(codename="riverstone", title="Tamsa river basin talks")
    person = _member(dialogue, north, pseudonym="P-77")
    services.assign_role(
        dialogue=other,
        person=person,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=other),
        by=None,
    )
    start = NOW + dt.timedelta(days=40)
    here = WorkshopFactory(series__dialogue=dialogue, starts_at=start, ends_at=start + dt.timedelta(days=2))
    there = WorkshopFactory(
        series__dialogue=other, starts_at=start + dt.timedelta(days=1), ends_at=start + dt.timedelta(days=3)
    )
    scheduling_services.invite_people(workshop=here, people=[person], by=None)
    scheduling_services.invite_people(workshop=there, people=[person], by=None)
    problems = _warnings(dialogue, here)
    here_called, there_called = (person.memberships.get(dialogue=d).pseudonym for d in (dialogue, other))
    assert f"{here_called} is double-booked: another commitment elsewhere overlaps this workshop." in problems
    # Neither the account pseudonym nor the other dialogue's (decision 0026).
    assert not any("P-77" in p or there_called in p for p in problems)
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    body = client.get(reverse("dialogues:invitations", args=[dialogue.pk, here.pk])).content.decode()
    # The page reads the clashes with their days (dialogues/conflicts/): still without naming the dialogue.
    assert f"{here_called} is booked at another workshop on" in body
    assert "riverstone" not in body and "Tamsa" not in body and there_called not in body


def test_warning_when_a_workshop_falls_on_dates_someone_gave_as_unavailable():
    dialogue, north, _ = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    person = _member(dialogue, north, pseudonym="P-78")
    scheduling_services.invite_people(workshop=workshop, people=[person], by=None)
    day = workshop.local_starts_at.date()
    Unavailability.objects.create(
        person=person, starts_on=day + dt.timedelta(days=10), ends_on=day + dt.timedelta(days=12)
    )
    assert not any("unavailable" in p for p in _warnings(dialogue, workshop))
    personal_services.add_unavailability(
        person=person, starts_on=day - dt.timedelta(days=1), ends_on=day, by=None
    )
    called = person.memberships.get(dialogue=dialogue).pseudonym
    assert any(p.startswith(f"{called} said they are unavailable") for p in _warnings(dialogue, workshop))


# --- Notifications ---------------------------------------------------------------------------------------


def test_several_changes_within_minutes_go_out_as_one_message(mailoutbox):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north, email="veloria@example.org")
    first = WorkshopFactory(series__dialogue=dialogue, number=1, venue="Secret venue")
    second = WorkshopFactory(series__dialogue=dialogue, number=2)
    t0 = NOW
    notifications.queue_notifications(workshop=first, people=[person], kind=NotificationKind.INVITED, now=t0)
    notifications.queue_notifications(
        workshop=second, people=[person], kind=NotificationKind.INVITED, now=t0 + dt.timedelta(seconds=40)
    )
    notifications.queue_notifications(
        workshop=first, people=[person], kind=NotificationKind.CHANGED, now=t0 + dt.timedelta(seconds=90)
    )

    assert notifications.deliver_notifications(now=t0 + dt.timedelta(seconds=120)) == 0  # still changing
    assert notifications.deliver_notifications(now=t0 + dt.timedelta(minutes=4)) == 1
    assert notifications.deliver_notifications(now=t0 + dt.timedelta(minutes=9)) == 0  # sent once
    [message] = mailoutbox
    assert message.to == ["veloria@example.org"]
    assert message.subject == "tidewater: 2 updates about your workshops"
    # Two series, each with its own workshop 1, 2…: the body tells them apart by the series' place.
    assert "Series 1 · workshop 1" in message.body and "changed" in message.body
    assert "Series 2 · workshop 2" in message.body
    for secret in ("Serran", "Secret venue", "North", person.name):
        assert secret not in message.subject + message.body


def test_a_single_change_has_its_own_subject_and_each_dialogue_its_own_message(mailoutbox):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    workshop = WorkshopFactory(series__dialogue=dialogue, number=3)
    other = DialogueFactory(codename="lanternfield")
    services.assign_role(dialogue=other, person=person, role=DialogueRole.OBSERVER, by=None)
    notifications.queue_notifications(
        workshop=workshop, people=[person], kind=NotificationKind.CANCELLED, now=NOW
    )
    notifications.queue_notifications(
        workshop=WorkshopFactory(series__dialogue=other, number=1),
        people=[person],
        kind=NotificationKind.INVITED,
        now=NOW,
    )
    assert notifications.deliver_notifications(now=NOW + dt.timedelta(minutes=3)) == 2
    assert sorted(m.subject for m in mailoutbox) == [
        "lanternfield · series 1 · workshop 1: invitation",
        "tidewater · series 1 · workshop 3: cancelled",
    ]


def test_the_beat_task_sends_what_is_due(mailoutbox):
    from dialogues.tasks import deliver_notifications

    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    notifications.queue_notifications(
        workshop=WorkshopFactory(series__dialogue=dialogue, number=4),
        people=[person],
        kind=NotificationKind.INVITED,
        now=timezone.now() - dt.timedelta(minutes=5),
    )
    assert deliver_notifications.apply().get() == 1
    assert [m.subject for m in mailoutbox] == ["tidewater · series 1 · workshop 4: invitation"]


def test_each_message_sent_is_audited_per_person_and_dialogue_without_its_content(mailoutbox):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    workshop = WorkshopFactory(series__dialogue=dialogue, venue="Secret venue")
    for kind in (NotificationKind.INVITED, NotificationKind.CHANGED):
        notifications.queue_notifications(workshop=workshop, people=[person], kind=kind, now=NOW)
    assert notifications.deliver_notifications(now=NOW + dt.timedelta(minutes=3)) == 1
    [row] = AuditEvent.objects.filter(action=Action.NOTIFICATIONS_SENT)
    assert (row.actor_id, row.target_type, row.target_id, row.dialogue_id) == (
        None,
        "participants.person",
        str(person.pk),
        dialogue.pk,
    )
    assert row.detail == {"notifications": 2, "mailed": True}


def test_removal_drops_the_e_mails_not_yet_sent_about_that_dialogue_only(mailoutbox):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    other = DialogueFactory(codename="lanternfield")
    services.assign_role(dialogue=other, person=person, role=DialogueRole.OBSERVER, by=None)
    held = WorkshopFactory(series__dialogue=dialogue, number=2, starts_at=NOW - dt.timedelta(days=9))
    scheduling_services.invite_people(
        workshop=WorkshopFactory(series__dialogue=dialogue, number=3), people=[person], by=None
    )
    notifications.queue_notifications(workshop=held, people=[person], kind=NotificationKind.REVIEW)
    notifications.queue_notifications(
        workshop=WorkshopFactory(series__dialogue=other, number=1),
        people=[person],
        kind=NotificationKind.INVITED,
    )

    services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)

    assert notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=15)) == 1
    assert [m.subject for m in mailoutbox] == ["lanternfield · series 1 · workshop 1: invitation"]
    revoked = AuditEvent.objects.get(action=Action.ROLE_REVOKED)
    assert revoked.detail["notifications_dropped"] == 2


def test_delivery_sends_nothing_to_someone_no_longer_in_the_dialogue(mailoutbox):
    """Whatever is still queued when a person has left (a change saved as they were removed) stays unsent."""
    dialogue, north, _ = _two_sided()
    person, stays = _member(dialogue, north), _member(dialogue, north)
    services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
    workshop = WorkshopFactory(series__dialogue=dialogue, number=5, venue="Secret venue")
    notifications.queue_notifications(
        workshop=workshop, people=[person, stays], kind=NotificationKind.CHANGED, now=NOW
    )
    assert notifications.deliver_notifications(now=NOW + dt.timedelta(minutes=3)) == 1
    [message] = mailoutbox
    assert message.to == [stays.email or stays.user.email]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()  # closed, never retried
    mailed = dict(
        AuditEvent.objects.filter(action=Action.NOTIFICATIONS_SENT).values_list("target_id", "detail__mailed")
    )
    assert mailed == {str(person.pk): False, str(stays.pk): True}


def test_reschedule_following_never_drags_a_later_workshop_into_the_past_and_leaves_held_ones():
    series = SeriesFactory()
    now = timezone.now()
    held = WorkshopFactory(
        series=series,
        number=1,
        status=WorkshopStatus.HELD,
        timezone="UTC",
        starts_at=now - dt.timedelta(days=5),
        ends_at=now - dt.timedelta(days=5, hours=-6),
    )
    ahead = WorkshopFactory(series=series, number=2, timezone="UTC", starts_at=now + dt.timedelta(days=10),
                            ends_at=now + dt.timedelta(days=10, hours=6))  # fmt: skip
    earlier = (held.starts_at - dt.timedelta(days=30)).replace(tzinfo=None)
    with pytest.raises(ValidationError, match="would put workshop 2 in the past"):
        scheduling_services.reschedule_workshop(
            workshop=held, starts_at=earlier, ends_at=earlier + dt.timedelta(hours=6), timezone_name="UTC",
            venue=None, format=held.format, following=True, by=None,
        )  # fmt: skip
    ahead.refresh_from_db()
    held.refresh_from_db()
    assert ahead.starts_at > now and held.starts_at > earlier.replace(tzinfo=dt.UTC)
    # A held workshop after the one moved stays where it happened.
    later_held = WorkshopFactory(
        series=series,
        number=3,
        status=WorkshopStatus.HELD,
        timezone="UTC",
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2, hours=-6),
    )
    scheduling_services.reschedule_workshop(
        workshop=held, starts_at=(held.starts_at - dt.timedelta(hours=1)).replace(tzinfo=None),
        ends_at=(held.ends_at - dt.timedelta(hours=1)).replace(tzinfo=None), timezone_name="UTC",
        venue=None, format=held.format, following=True, by=None,
    )  # fmt: skip
    before = later_held.starts_at
    later_held.refresh_from_db()
    assert later_held.starts_at == before
