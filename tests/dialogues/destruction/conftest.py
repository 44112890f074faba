"""A concluded dialogue with two convenors, a participant with a workshop invitation, agenda, outcomes, an
e-mail waiting to go out and an open link to set up a login; a second dialogue beside it that must not
move."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, DialogueStatus, NotificationKind
from dialogues.models import Notification
from tests.dialogues.helpers import member
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    InvitationFactory,
    OutcomeFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.accounts.models import AccountInvitation

REASON = "Programme ended; agreed with the funder to keep nothing."


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def convenor_of(dialogue, **person):
    person = PersonFactory(user=UserFactory(), **person)
    services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=None)
    return person


@pytest.fixture
def place():
    dialogue = DialogueFactory(
        codename="tidewater", title="Serran Strait talks", conflict="The Serran Strait fisheries dispute"
    )
    north = SideFactory(dialogue=dialogue, name="Northern coast fishers")
    SideFactory(dialogue=dialogue, name="Southern islands council")
    first = convenor_of(dialogue, pseudonym="C-1", name="Ingrid Convenor")
    second = convenor_of(dialogue, pseudonym="C-2", name="Halvard Convenor")
    participant = member(dialogue, side=north, pseudonym="P-9", name="Amira Qassem")
    series = SeriesFactory(dialogue=dialogue, title="Fisheries track")
    workshop = WorkshopFactory(series=series, title="Quota talks", venue="Fjordhaven House, room 3")
    AgendaItemFactory(workshop=workshop, title="Quota secrets", description="Who proposed what")
    InvitationFactory(workshop=workshop, person=participant)
    OutcomeFactory(dialogue=dialogue, title="Joint patrol idea", evidence="Minister X said so")
    # A transfer must name its recipient (a constraint): the placeholder keeps one.
    OutcomeFactory(
        dialogue=dialogue, kind="transfer", title="Patrol memo", transfer_to="Ministry of Fisheries"
    )
    Notification.objects.create(person=participant, workshop=workshop, kind=NotificationKind.INVITED)
    newcomer = PersonFactory(pseudonym="P-10", email="newcomer@example.org")
    link = AccountInvitation.objects.create(
        person=newcomer,
        dialogue=dialogue,
        nonce="n" * 64,
        token_hash="h" * 64,
        expires_at=timezone.now() + dt.timedelta(days=5),
    )
    services.change_dialogue_status(dialogue=dialogue, status=DialogueStatus.CONCLUDED, by=first.user)
    other = DialogueFactory(codename="lanternfield", title="Other talks")
    other_convenor = convenor_of(other, pseudonym="C-7")
    other_workshop = WorkshopFactory(series=SeriesFactory(dialogue=other), title="Other workshop")
    dialogue.refresh_from_db()
    return SimpleNamespace(
        dialogue=dialogue,
        first=first,
        second=second,
        participant=participant,
        workshop=workshop,
        link=link,
        other=other,
        other_convenor=other_convenor,
        other_workshop=other_workshop,
    )
