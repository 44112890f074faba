import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueStatus, InvitationStatus, OutcomeKind, SummaryStatus
from dialogues.outcomes import services as outcome_services
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summaries
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    SummaryFactory,
    ThirdPartyFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_dialogue_with_its_sides():
    dialogue = services.create_dialogue(
        title="Maritime boundary",
        codename="Tidewater",
        third_party=ThirdPartyFactory(),
        sides=["Veloria", "Kessar"],
        by=None,
    )
    assert dialogue.codename == "tidewater"
    assert sorted(dialogue.sides.values_list("name", flat=True)) == ["Kessar", "Veloria"]


def test_create_dialogue_refuses_a_taken_codename_clearly():
    DialogueFactory(codename="tidewater")
    with pytest.raises(ValidationError, match="already taken"):
        services.create_dialogue(
            title="Another", codename="tidewater", third_party=ThirdPartyFactory(), by=None
        )


def test_create_dialogue_refuses_duplicate_side_names():
    with pytest.raises(ValidationError, match="same name"):
        services.create_dialogue(
            title="T", codename="t1", third_party=ThirdPartyFactory(), sides=["A", "a"], by=None
        )


def test_dialogue_cannot_become_active_with_fewer_than_two_sides():
    dialogue = DialogueFactory(status=DialogueStatus.CONVENING)
    SideFactory(dialogue=dialogue)
    with pytest.raises(ValidationError, match="at least 2 sides"):
        services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.ACTIVE, by=None)
    SideFactory(dialogue=dialogue)
    assert (
        services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.ACTIVE, by=None).status
        == "active"
    )


def test_dialogue_status_refuses_skipping_and_repeating_is_harmless():
    dialogue = DialogueFactory(status=DialogueStatus.CONCLUDED)
    with pytest.raises(ValidationError, match="concluded cannot become active"):
        services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.ACTIVE, by=None)
    assert (
        services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.CONCLUDED, by=None).status
        == "concluded"
    )


def test_schedule_workshop_reads_naive_times_in_the_venue_time_zone_and_numbers_them():
    series = SeriesFactory()
    first = scheduling_services.schedule_workshop(
        series=series,
        starts_at=dt.datetime(2027, 3, 28, 9, 0),  # the morning after Oslo moves to summer time
        ends_at=dt.datetime(2027, 3, 29, 17, 0),
        timezone_name="Europe/Oslo",
        by=None,
    )
    second = scheduling_services.schedule_workshop(
        series=series,
        starts_at=dt.datetime(2027, 7, 1, 9, 0),
        ends_at=dt.datetime(2027, 7, 2, 17, 0),
        timezone_name="Asia/Singapore",
        by=None,
    )
    assert (first.number, second.number) == (1, 2)
    assert first.starts_at == dt.datetime(2027, 3, 28, 7, 0, tzinfo=dt.UTC)
    assert second.starts_at == dt.datetime(2027, 7, 1, 1, 0, tzinfo=dt.UTC)
    assert first.local_starts_at.tzinfo == zoneinfo.ZoneInfo("Europe/Oslo")


def test_schedule_workshop_refuses_bad_time_zone_and_reversed_times():
    series = SeriesFactory()
    with pytest.raises(ValidationError, match="does not know the time zone “Mars/Olympus”"):
        scheduling_services.schedule_workshop(
            series=series,
            starts_at=dt.datetime(2027, 1, 1, 9),
            ends_at=dt.datetime(2027, 1, 1, 17),
            timezone_name="Mars/Olympus",
            by=None,
        )
    with pytest.raises(ValidationError, match="end after it starts"):
        scheduling_services.schedule_workshop(
            series=series,
            starts_at=dt.datetime(2027, 1, 1, 17),
            ends_at=dt.datetime(2027, 1, 1, 9),
            timezone_name="UTC",
            by=None,
        )


def test_invite_only_members_of_the_dialogue():
    workshop = WorkshopFactory()
    outsider = PersonFactory()
    with pytest.raises(ValidationError, match="Only members"):
        scheduling_services.invite(workshop=workshop, person=outsider, by=None)
    member = MembershipFactory(dialogue=workshop.series.dialogue).person
    first = scheduling_services.invite(workshop=workshop, person=member, by=None)
    assert scheduling_services.invite(workshop=workshop, person=member, by=None) == first


def test_invitation_flow_and_refused_transitions():
    now = timezone.now()
    invitation = InvitationFactory(
        workshop=WorkshopFactory(starts_at=now + dt.timedelta(days=3), ends_at=now + dt.timedelta(days=4))
    )
    invitation = scheduling_services.set_invitation_status(
        invitation=invitation, status=InvitationStatus.ACCEPTED, by=None
    )
    assert invitation.responded_at is not None
    with pytest.raises(ValidationError, match="once the workshop has started"):
        scheduling_services.set_invitation_status(
            invitation=invitation, status=InvitationStatus.ATTENDED, by=None
        )
    later = now + dt.timedelta(days=3, hours=1)
    invitation = scheduling_services.set_invitation_status(
        invitation=invitation, status=InvitationStatus.ATTENDED, now=later, by=None
    )
    assert invitation.status == InvitationStatus.ATTENDED
    with pytest.raises(ValidationError, match="attended cannot become declined"):
        scheduling_services.set_invitation_status(
            invitation=invitation, status=InvitationStatus.DECLINED, now=later, by=None
        )


def test_replies_cannot_change_after_the_workshop():
    now = timezone.now()
    invitation = InvitationFactory(
        workshop=WorkshopFactory(starts_at=now - dt.timedelta(days=4), ends_at=now - dt.timedelta(days=3))
    )
    with pytest.raises(ValidationError, match="This workshop is over"):
        scheduling_services.set_invitation_status(
            invitation=invitation, status=InvitationStatus.ACCEPTED, by=None
        )


def test_review_opens_with_a_future_deadline_and_closes_back_to_draft():
    summary = SummaryFactory()
    # Someone was in the room: a review without an attendee is refused (issue 18).
    InvitationFactory(workshop=summary.workshop, status=InvitationStatus.ATTENDED)
    with pytest.raises(ValidationError, match="in the future"):
        summaries.open_review(summary=summary, deadline=timezone.now() - dt.timedelta(hours=1), by=None)
    deadline = timezone.now() + dt.timedelta(days=7)
    summary = summaries.open_review(summary=summary, deadline=deadline, by=None)
    assert summary.status == SummaryStatus.IN_REVIEW
    assert (
        summaries.open_review(summary=summary, deadline=deadline, by=None).status == SummaryStatus.IN_REVIEW
    )
    # Closes once the deadline has passed (the attendee has not responded).
    after = deadline + dt.timedelta(minutes=1)
    assert summaries.close_review(summary=summary, by=None, now=after).status == SummaryStatus.DRAFT


def test_review_refuses_an_empty_draft():
    with pytest.raises(ValidationError, match="empty"):
        summaries.open_review(
            summary=SummaryFactory(body="  "), deadline=timezone.now() + dt.timedelta(days=1), by=None
        )


def test_record_transfer_outcome_needs_recipient_and_same_dialogue_workshop():
    dialogue = DialogueFactory()
    with pytest.raises(ValidationError, match="to whom"):
        outcome_services.record_outcome(
            dialogue=dialogue, kind=OutcomeKind.TRANSFER, title="Fisheries hotline", by=None
        )
    with pytest.raises(ValidationError, match="another dialogue"):
        outcome_services.record_outcome(
            dialogue=dialogue, kind=OutcomeKind.NETWORK, title="x", workshop=WorkshopFactory(), by=None
        )
    outcome = outcome_services.record_outcome(
        dialogue=dialogue,
        kind=OutcomeKind.TRANSFER,
        title="Fisheries hotline",
        transfer_to="Ministry of the Sea",
        by=None,
    )
    assert outcome.pk


def test_each_change_of_a_dialogue_writes_one_audit_row_that_names_no_content():
    by = UserFactory()
    dialogue = services.create_dialogue(
        title="Serran Strait talks",
        codename="tidewater",
        third_party=ThirdPartyFactory(),
        sides=["Veloria"],
        by=by,
    )
    for _ in range(2):  # the second time changes nothing, so it writes nothing
        side = services.add_side(dialogue=dialogue, name="Kessar", by=by)
        services.update_dialogue(dialogue=dialogue, conflict="The Serran Strait fisheries", by=by)
        services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.CONVENING, by=by)
    outcome = outcome_services.record_outcome(
        dialogue=dialogue, kind=OutcomeKind.NETWORK, title="A quiet channel", by=by
    )

    rows = list(AuditEvent.objects.filter(actor_id=by.pk).order_by("id"))
    assert [(row.action, row.target_id, row.dialogue_id) for row in rows] == [
        (Action.DIALOGUE_CREATED, str(dialogue.pk), dialogue.pk),
        (Action.SIDE_ADDED, str(side.pk), dialogue.pk),
        (Action.DIALOGUE_CHANGED, str(dialogue.pk), dialogue.pk),
        (Action.DIALOGUE_STATUS_CHANGED, str(dialogue.pk), dialogue.pk),
        (Action.OUTCOME_RECORDED, str(outcome.pk), dialogue.pk),
    ]
    assert rows[2].detail == {"fields": ["conflict"]}
    assert rows[3].detail == {"from": DialogueStatus.SCOPING, "to": DialogueStatus.CONVENING}
    details = str([row.detail for row in rows])
    for secret in ("Serran", "Veloria", "Kessar", "quiet channel"):
        assert secret not in details
