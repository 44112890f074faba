"""Workshops that already happened (issue 18): marking one held with who attended, recording one held before
Trackii was used, numbers settled at publication, and no summary without someone who was in the room."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogues import selectors
from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, Notification, Summary, Workshop
from dialogues.scheduling import selectors as scheduling_selectors
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summary_services
from tests.dialogues.helpers import member as _member
from tests.dialogues.helpers import two_sided as _two_sided
from tests.factories import DialogueFactory, PersonFactory, SeriesFactory, SummaryFactory, WorkshopFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _past(series, days_ago=10, **fields):
    return WorkshopFactory(
        series=series,
        starts_at=NOW - dt.timedelta(days=days_ago),
        ends_at=NOW - dt.timedelta(days=days_ago - 1),
        **fields,
    )


def _wall(days: int) -> dt.datetime:
    """A naive time on the venue's clock, `days` from now."""
    return (NOW + dt.timedelta(days=days)).replace(tzinfo=None, microsecond=0)


def _counts():
    return (Workshop.objects.count(), Invitation.objects.count(), Notification.objects.count())


# --- Scheduling in the past ----------------------------------------------------------------------------


def test_scheduling_a_start_in_the_past_is_refused_next_to_the_start():
    series = SeriesFactory()
    with pytest.raises(ValidationError) as refused:
        scheduling_services.schedule_run(
            series=series, starts_at=_wall(-3), ends_at=_wall(-2), timezone_name="UTC", by=None
        )
    assert refused.value.message_dict["starts_at"][0].startswith("This date is in the past. To record a")
    assert not series.workshops.exists()


def test_recording_a_past_workshop_creates_it_held_with_attendees_and_sends_nothing():
    dialogue, north, south = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    came, also = _member(dialogue, north), _member(dialogue, south)
    workshop = scheduling_services.record_held_workshop(
        series=series,
        starts_at=_wall(-400),
        ends_at=_wall(-399),
        timezone_name="Europe/Oslo",
        attended=[came, also, came],
        by=None,
    )
    assert workshop.status == WorkshopStatus.HELD and workshop.number == 1
    assert sorted(workshop.invitations.values_list("status", flat=True)) == ["attended", "attended"]
    assert not Notification.objects.exists()
    assert AuditEvent.objects.filter(action=Action.WORKSHOP_RECORDED, target_id=str(workshop.pk)).exists()
    # The attendee reads the workshop (and later its summary): the record opened it to them.
    assert selectors.workshops_for_user(user=came.user).filter(pk=workshop.pk).exists()


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("ends_at", {"ends_at": _wall(2)}),
        ("attended", {"attended": []}),
        ("attended", {"attended": "outsider"}),
    ],
)
def test_recording_a_past_workshop_refuses_bad_input_and_writes_nothing(field, change):
    dialogue, north, _south = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    values = {"starts_at": _wall(-4), "ends_at": _wall(-3), "attended": [_member(dialogue, north)]}
    values.update(change)
    if values["attended"] == "outsider":
        values["attended"] = [_member(DialogueFactory()), PersonFactory()]
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        scheduling_services.record_held_workshop(series=series, timezone_name="UTC", by=None, **values)
    assert field in refused.value.message_dict
    assert _counts() == before


# --- Marking a workshop held ---------------------------------------------------------------------------


def test_marking_held_records_attendance_keeps_declines_and_adds_walk_ins():
    dialogue, north, south = _two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    came, stayed_away, declined, walked_in = (
        _member(dialogue, side) for side in (north, south, south, north)
    )
    scheduling_services.invite_people(workshop=workshop, people=[came, stayed_away, declined], by=None)
    declined_invitation = Invitation.objects.get(workshop=workshop, person=declined)
    scheduling_services.respond_to_invitation(
        invitation=declined_invitation, status=InvitationStatus.DECLINED, by=None
    )
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=NOW - dt.timedelta(days=2), ends_at=NOW - dt.timedelta(days=1)
    )
    queued = Notification.objects.count()

    scheduling_services.mark_workshop_held(workshop=workshop, attended=[came, walked_in], by=None)

    statuses = dict(workshop.invitations.values_list("person__pseudonym", "status"))
    assert statuses == {
        came.pseudonym: "attended",
        stayed_away.pseudonym: "absent",
        declined.pseudonym: "declined",
        walked_in.pseudonym: "attended",
    }
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.HELD
    assert Notification.objects.count() == queued, "nobody is e-mailed about a workshop that is over"
    [held] = AuditEvent.objects.filter(action=Action.WORKSHOP_HELD)
    assert held.detail == {"from": "scheduled", "attended": 2, "absent": 1}
    rows = AuditEvent.objects.count()
    scheduling_services.mark_workshop_held(workshop=workshop, attended=[walked_in, came], by=None)
    assert AuditEvent.objects.count() == rows, "the same attendance again writes nothing"


def test_a_workshop_that_has_not_ended_cannot_be_marked_held():
    dialogue, north, _south = _two_sided()
    person = _member(dialogue, north)
    workshop = WorkshopFactory(
        series__dialogue=dialogue, starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW + dt.timedelta(hours=5)
    )
    scheduling_services.invite_people(workshop=workshop, people=[person], by=None)
    with pytest.raises(ValidationError, match="has not ended yet"):
        scheduling_services.mark_workshop_held(workshop=workshop, attended=[person], by=None)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SCHEDULED
    assert workshop.invitations.get().status == InvitationStatus.INVITED


def test_marking_held_refuses_non_members_nobody_and_cancelled_and_writes_nothing():
    dialogue, north, _south = _two_sided()
    member = _member(dialogue, north)
    workshop = _past(SeriesFactory(dialogue=dialogue))
    outsider = _member(DialogueFactory())
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        scheduling_services.mark_workshop_held(workshop=workshop, attended=[member, outsider], by=None)
    # Neither their account pseudonym nor the one of their own dialogue may show here (decision 0026).
    assert refused.value.message_dict["attended"] == [
        "This person is not a member of this dialogue, so cannot be recorded as attending."
    ]
    with pytest.raises(ValidationError, match="Tick at least one person"):
        scheduling_services.mark_workshop_held(workshop=workshop, attended=[], by=None)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SCHEDULED and _counts() == before
    cancelled = _past(workshop.series, status=WorkshopStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        scheduling_services.mark_workshop_held(workshop=cancelled, attended=[member], by=None)


def test_a_workshop_that_is_over_has_no_invitation_warnings():
    dialogue, _north, _south = _two_sided()
    workshop = _past(SeriesFactory(dialogue=dialogue))
    assert not scheduling_selectors.workshop_warnings(
        dialogue=dialogue, workshops=[workshop], today=NOW.date()
    )
    coming = WorkshopFactory(series=workshop.series)
    found = scheduling_selectors.workshop_warnings(dialogue=dialogue, workshops=[coming], today=NOW.date())
    assert any(w.advice.startswith("Invite members of") for w in found[coming.pk])


def test_a_scheduled_workshop_cannot_be_moved_into_the_past():
    workshop = WorkshopFactory()
    with pytest.raises(ValidationError) as refused:
        scheduling_services.reschedule_workshop(
            workshop=workshop,
            starts_at=_wall(-5),
            ends_at=_wall(-4),
            timezone_name="UTC",
            venue=None,
            format=workshop.format,
            by=None,
        )
    assert "mark it as held" in refused.value.message_dict["starts_at"][0]


# --- Numbers -------------------------------------------------------------------------------------------


def _numbers(series):
    return list(series.workshops.order_by("starts_at").values_list("number", "status"))


def _schedule(series, days, status=WorkshopStatus.SCHEDULED):
    return scheduling_services.schedule_workshop(
        series=series,
        starts_at=_wall(days),
        ends_at=_wall(days) + dt.timedelta(hours=6),
        timezone_name="UTC",
        status=status,
        by=None,
    )


def test_workshops_nobody_was_told_of_are_numbered_by_date_and_announced_numbers_never_change():
    dialogue, north, _south = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    middle = _schedule(series, 60)
    late = _schedule(series, 90, WorkshopStatus.DRAFT)
    early = _schedule(series, 30, WorkshopStatus.DRAFT)
    # Nobody is invited to any of them yet: numbers follow the dates, scheduled or not.
    assert _numbers(series) == [(1, "draft"), (2, "scheduled"), (3, "draft")]

    # Once someone is invited, the number is theirs to keep.
    scheduling_services.invite(workshop=middle, person=_member(dialogue, north), by=None)
    # A workshop that already took place, recorded now: the first number free, by its date.
    scheduling_services.record_held_workshop(
        series=series,
        starts_at=_wall(-100),
        ends_at=_wall(-99),
        timezone_name="UTC",
        attended=[_member(dialogue, north)],
        by=None,
    )
    assert _numbers(series) == [(1, "held"), (3, "draft"), (2, "scheduled"), (4, "draft")]

    # Publishing a draft nobody is invited to changes nothing; moving the other draft after the rest
    # renumbers only the workshops nobody was told of.
    scheduling_services.publish_workshop(workshop=late, by=None)
    scheduling_services.reschedule_workshop(
        workshop=early,
        starts_at=_wall(120),
        ends_at=_wall(120) + dt.timedelta(hours=6),
        timezone_name="UTC",
        venue=None,
        format=early.format,
        by=None,
    )
    assert _numbers(series) == [(1, "held"), (2, "scheduled"), (3, "scheduled"), (4, "draft")]
    assert AuditEvent.objects.filter(action=Action.WORKSHOP_PUBLISHED).count() == 1


def test_two_drafts_swap_numbers_when_their_dates_cross():
    series = SeriesFactory()
    first = _schedule(series, 10, WorkshopStatus.DRAFT)
    _schedule(series, 20, WorkshopStatus.DRAFT)
    scheduling_services.reschedule_workshop(
        workshop=first,
        starts_at=_wall(30),
        ends_at=_wall(30) + dt.timedelta(hours=6),
        timezone_name="UTC",
        venue=None,
        format=first.format,
        by=None,
    )
    assert _numbers(series) == [(1, "draft"), (2, "draft")]


def test_nobody_is_invited_to_a_draft():
    dialogue, north, _south = _two_sided()
    draft = _schedule(SeriesFactory(dialogue=dialogue), 10, WorkshopStatus.DRAFT)
    with pytest.raises(ValidationError, match="draft"):
        scheduling_services.invite_people(workshop=draft, people=[_member(dialogue, north)], by=None)
    assert not Notification.objects.exists()


# --- No summary without an attendee --------------------------------------------------------------------


def test_a_summary_is_not_started_reviewed_or_sealed_without_an_attendee():
    dialogue, north, _south = _two_sided()
    absent = _member(dialogue, north)
    workshop = _past(SeriesFactory(dialogue=dialogue), status=WorkshopStatus.HELD)
    Invitation.objects.create(workshop=workshop, person=absent, status=InvitationStatus.ABSENT)
    with pytest.raises(ValidationError, match="Record attendance first"):
        summary_services.start_summary(workshop=workshop, by=None)
    assert not Summary.objects.exists()
    draft = SummaryFactory(workshop=workshop)
    with pytest.raises(ValidationError, match="Record attendance first"):
        summary_services.open_review(summary=draft, deadline=NOW + dt.timedelta(days=7), by=None)
    with pytest.raises(ValidationError, match="Record attendance first"):
        summary_services.request_seal(summary=draft, by=None)
    draft.refresh_from_db()
    assert draft.status == "draft"

    scheduling_services.mark_workshop_held(workshop=workshop, attended=[absent], by=None)
    assert summary_services.start_summary(workshop=workshop, by=None) == draft
    assert summary_services.request_seal(summary=draft, by=None).status == "sealing"


def test_a_workshop_whose_invitations_were_all_withdrawn_keeps_its_number():
    """The withdrawal e-mail named the number: it stays, even with nobody invited any more."""
    dialogue, north, _south = _two_sided()
    series = SeriesFactory(dialogue=dialogue)
    later = _schedule(series, 60)
    person = _member(dialogue, north)
    scheduling_services.invite(workshop=later, person=person, by=None)
    invitation = Invitation.objects.get(workshop=later, person=person)
    scheduling_services.withdraw_workshop_invitation(invitation=invitation, by=None)
    assert not Invitation.objects.filter(workshop=later).exists()
    _schedule(series, 30)
    assert _numbers(series) == [(2, "scheduled"), (1, "scheduled")]


def test_a_draft_cannot_be_marked_held():
    """Nobody was invited to a draft; marking it held would invite people to it behind its back."""
    dialogue, north, _south = _two_sided()
    draft = _schedule(SeriesFactory(dialogue=dialogue), 10, WorkshopStatus.DRAFT)
    Workshop.objects.filter(pk=draft.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="draft"):
        scheduling_services.mark_workshop_held(workshop=draft, attended=[_member(dialogue, north)], by=None)
    assert not Invitation.objects.filter(workshop=draft).exists()
