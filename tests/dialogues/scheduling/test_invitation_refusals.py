"""Invitations go only to current members who are not cut off (issue 16 §1): `invite()` created an inert
invitation for someone who had left the dialogue, and would have for someone cut off. The invitations page
never offers either, and one ticked who has left since is a form error next to the list, not an invitation."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Invitation
from dialogues.removal.services import cut_off_person
from dialogues.scheduling import services as scheduling
from tests.dialogues.helpers import member, pseudonym_in, two_sided
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    dialogue, north, south = two_sided()
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    stays, left, cut = member(dialogue, north), member(dialogue, north), member(dialogue, south)
    services.revoke_role(dialogue=dialogue, person=left, role=DialogueRole.PARTICIPANT, by=convenor.user)
    cut_off_person(person=cut, dialogue=dialogue, reason="Laptop stolen from the hotel.", by=convenor.user)
    workshop = WorkshopFactory(series__dialogue=dialogue)
    return SimpleNamespace(
        dialogue=dialogue,
        north=north,
        south=south,
        convenor=convenor,
        stays=stays,
        left=left,
        cut=cut,
        workshop=workshop,
    )


def test_invite_refuses_someone_who_has_left_or_is_cut_off(people):
    p = people
    with pytest.raises(ValidationError, match="has left this dialogue"):
        scheduling.invite(workshop=p.workshop, person=p.left, by=p.convenor.user)
    with pytest.raises(ValidationError, match="is cut off"):
        scheduling.invite(workshop=p.workshop, person=p.cut, by=p.convenor.user)
    assert not Invitation.objects.exists()
    assert scheduling.invite(workshop=p.workshop, person=p.stays, by=p.convenor.user).person == p.stays


def test_invite_people_names_every_refusal_at_once_and_invites_nobody(people):
    p = people
    with pytest.raises(ValidationError) as refused:
        scheduling.invite_people(workshop=p.workshop, people=[p.stays, p.left, p.cut], by=p.convenor.user)
    left, cut = pseudonym_in(p.dialogue, p.left), pseudonym_in(p.dialogue, p.cut)
    assert refused.value.message_dict["people"] == [
        f"{left} has left this dialogue. Add them back on the roster first.",
        f"{cut} is cut off. A convenor must restore their access on the roster first.",
    ]
    assert not Invitation.objects.exists()


def test_the_invitations_page_never_offers_them_and_refuses_one_ticked_as_a_form_error(client, people):
    p = people
    client.force_login(p.convenor.user)
    url = reverse("dialogues:invitations", args=[p.dialogue.pk, p.workshop.pk])
    page = client.get(url).content.decode()
    assert f'value="{p.stays.pk}"' in page
    for gone in (p.left, p.cut):
        assert f'value="{gone.pk}"' not in page and pseudonym_in(p.dialogue, gone) not in page

    for gone in (p.left, p.cut):
        response = client.post(url, {"people": [str(p.stays.pk), str(gone.pk)]})
        assert response.status_code == 400
        assert "can no longer be invited" in response.content.decode()
    assert client.post(url, {"side": p.north.pk}).status_code == 302
    assert list(p.workshop.invitations.values_list("person", flat=True)) == [p.stays.pk]


def test_the_next_workshop_is_cloned_without_someone_cut_off_since(people):
    p = people
    other = member(p.dialogue, p.south)
    scheduling.invite_people(workshop=p.workshop, people=[p.stays, other], by=p.convenor.user)
    cut_off_person(person=other, dialogue=p.dialogue, reason="Detained for questioning.", by=p.convenor.user)
    clone = scheduling.clone_next_workshop(workshop=p.workshop, by=p.convenor.user)
    assert list(clone.invitations.values_list("person", flat=True)) == [p.stays.pk]
