"""The owndata tests' world: Amira, whose data is read and erased, belongs to tidewater (A) and lanternfield
(B); Omar sits beside her in A and writes his own comments, availability notes and name forms, none of which
may reach Amira's page or file."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus
from dialogues.personal import services as personal_services
from dialogues.scheduling import services as scheduling
from dialogues.summaries import services as summaries
from participants import services as participant_services
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.sealing.models import SealJob
from trackii.sealing.services import run_seal_job


def client_of(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _seal(summary, by):
    summaries.request_seal(summary=summary, by=by)
    run_seal_job(job_id=SealJob.objects.get(kind="summary", object_id=summary.pk).pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED


@pytest.fixture
def world(db):
    now = timezone.now()
    a, b = DialogueFactory(codename="tidewater"), DialogueFactory(codename="lanternfield")
    convenor_a = PersonFactory(name="Ingrid Alvestad", user=UserFactory())
    convenor_b = PersonFactory(name="Bashir Okonjo", user=UserFactory())
    amira = PersonFactory(
        name="Amira Haddad",
        email="amira.contact@example.org",
        phone="+47 555 0101",
        affiliation="Harbour Institute",
        notes="Confidential: met the minister's aide in March.",
        languages=["ar", "en"],
        user=UserFactory(email="amira@example.org"),
    )
    omar = PersonFactory(name="Omar Lindqvist", affiliation="Omar's Secret Bureau", user=UserFactory())
    north = SideFactory(dialogue=a, name="North")
    for dialogue, convenor in ((a, convenor_a), (b, convenor_b)):
        services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    services.assign_role(dialogue=a, person=amira, role=DialogueRole.PARTICIPANT, side=north, by=None)
    services.assign_role(dialogue=a, person=omar, role=DialogueRole.PARTICIPANT, side=north, by=None)
    services.assign_role(
        dialogue=b, person=amira, role=DialogueRole.PARTICIPANT, side=SideFactory(dialogue=b), by=None
    )
    by = convenor_a.user
    series = SeriesFactory(dialogue=a)
    held = WorkshopFactory(series=series, number=1, starts_at=now + dt.timedelta(days=1))
    for person in (amira, omar):
        invitation = scheduling.invite(workshop=held, person=person, by=by)
        scheduling.set_invitation_status(invitation=invitation, status=InvitationStatus.ACCEPTED, by=by)
        scheduling.set_invitation_status(
            invitation=invitation,
            status=InvitationStatus.ATTENDED,
            now=now + dt.timedelta(days=1, hours=1),
            by=by,
        )
    type(held).objects.filter(pk=held.pk).update(
        starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1)
    )
    sealed = SummaryFactory(workshop=held, version=1, body="What was said, never who.")
    _seal(sealed, by)
    in_review = summaries.amend_summary(summary=sealed, by=by)
    in_review = summaries.save_draft(summary=in_review, body="## Water\nAmended text.", by=by)
    summaries.open_review(summary=in_review, deadline=now + dt.timedelta(days=7), by=by)
    summaries.add_review_comment(
        summary=in_review, person=amira, by=amira.user, section="Water", body="Amira's own remark"
    )
    summaries.add_review_comment(
        summary=in_review, person=omar, by=omar.user, section="Water", body="Omar's private remark"
    )
    ahead = WorkshopFactory(series=series, number=2, starts_at=now + dt.timedelta(days=10))
    for person, note in ((amira, "Amira can come after noon"), (omar, "Omar's travel secret")):
        invitation = scheduling.invite(workshop=ahead, person=person, by=by)
        scheduling.respond_to_invitation(invitation=invitation, status="accepted", note=note, by=person.user)
    participant_services.add_name_form(person=amira, name="أميرة حداد", by=by, dialogue_id=a.pk)
    participant_services.add_name_form(person=omar, name="Омар Линдквист", by=by, dialogue_id=a.pk)
    return SimpleNamespace(
        a=a,
        b=b,
        convenor_a=convenor_a,
        convenor_b=convenor_b,
        amira=amira,
        omar=omar,
        held=held,
        ahead=ahead,
        sealed=sealed,
        feed=personal_services.issue_feed_token(by=amira.user),
    )
