"""Two convenors means two people (decision 0027): the convenor who confirms a destruction must have held the
role since before it was requested, so one convenor cannot ask and then make a second account of theirs a
convenor to confirm. `Facilitator.assigned_at` says since when; participants 0012 fills it from the audit
log."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.destruction import services
from dialogues.enums import DialogueRole
from participants.enums import FacilitatorRole
from participants.models import Facilitator
from tests.dialogues.destruction.conftest import REASON, client_for, convenor_of
from tests.factories import PersonFactory
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TOO_NEW = b"You became a convenor of this dialogue after this destruction was requested"


def _url(name, dialogue):
    return reverse(f"dialogues:{name}", args=[dialogue.pk])


def test_a_convenor_made_after_the_request_cannot_confirm_it(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    # The requester makes a second account of theirs a convenor, to confirm alone.
    sock = convenor_of(place.dialogue, pseudonym="C-3")
    client = client_for(sock)

    page = client.get(_url("destruction", place.dialogue))
    refused = client.post(_url("destruction_confirm", place.dialogue), {"confirmed": "yes"}, follow=True)

    assert TOO_NEW in page.content
    assert _url("destruction_confirm", place.dialogue).encode() not in page.content
    assert TOO_NEW in refused.content
    destruction.refresh_from_db()
    assert destruction.destroyed_at is None
    with pytest.raises(ValidationError, match="after this destruction was requested"):
        services.confirm_destruction(destruction=destruction, by=sock.user)
    # A convenor from before the request still confirms it.
    page = client_for(place.second).get(_url("destruction", place.dialogue))
    assert TOO_NEW not in page.content
    assert _url("destruction_confirm", place.dialogue).encode() in page.content
    services.confirm_destruction(destruction=destruction, by=place.second.user)
    destruction.refresh_from_db()
    assert destruction.destroyed_at is not None


def test_a_role_taken_away_and_given_again_after_the_request_starts_anew(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    for change in (dialogue_services.revoke_role, dialogue_services.assign_role):
        change(dialogue=place.dialogue, person=place.second, role=DialogueRole.CONVENOR, by=place.first.user)

    with pytest.raises(ValidationError, match="after this destruction was requested"):
        services.confirm_destruction(destruction=destruction, by=place.second.user)


def test_giving_a_role_again_keeps_since_when_it_is_held(place):
    held = Facilitator.objects.get(person=place.second, role=FacilitatorRole.CONVENOR)
    dialogue_services.assign_role(
        dialogue=place.dialogue, person=place.second, role=DialogueRole.CONVENOR, by=place.first.user
    )

    assert Facilitator.objects.get(pk=held.pk).assigned_at == held.assigned_at


def test_the_migration_takes_since_when_from_the_audit_log(place):
    fill = importlib.import_module("participants.migrations.0012_facilitator_assigned_at").fill_assigned_at
    first = Facilitator.objects.get(person=place.first, role=FacilitatorRole.CONVENOR)
    # The second convenor lost the role and got it back: the grant after the revocation counts.
    for change in (dialogue_services.revoke_role, dialogue_services.assign_role):
        change(dialogue=place.dialogue, person=place.second, role=DialogueRole.CONVENOR, by=place.first.user)
    second = Facilitator.objects.get(person=place.second, role=FacilitatorRole.CONVENOR)
    regranted = (
        AuditEvent.objects.filter(action="role_granted", detail__person=place.second.pseudonym)
        .latest("id")
        .occurred_at
    )
    # A role with no grant left in the log (older than the log keeps, or made without it, as the demo's
    # scale data does) counts from the dialogue's creation.
    unlogged = Facilitator.objects.create(
        dialogue=place.other, person=PersonFactory(pseudonym="C-8"), role=FacilitatorRole.CONVENOR
    )
    logged_first = (
        AuditEvent.objects.filter(action="role_granted", detail__person="C-1").earliest("id").occurred_at
    )
    Facilitator.objects.update(assigned_at=timezone.now() + dt.timedelta(days=1))

    fill(apps, None)

    assert Facilitator.objects.get(pk=first.pk).assigned_at == logged_first
    assert Facilitator.objects.get(pk=second.pk).assigned_at == regranted
    assert Facilitator.objects.get(pk=second.pk).assigned_at > logged_first
    assert Facilitator.objects.get(pk=unlogged.pk).assigned_at == place.other.created_at
