"""Per-dialogue pseudonyms (issue 23, decision 0026): a person in two dialogues goes by unrelated pseudonyms,
no page of one shows the other's, a convenor of both sees the link, auditors see the account pseudonym."""

import datetime as dt
import importlib
import re

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from participants.models import Membership
from participants.selectors import DIALOGUE_PSEUDONYM_ALPHABET
from tests.dialogues.helpers import member
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.domain_labels import object_labels

pytestmark = pytest.mark.django_db
PATTERN = re.compile(rf"^P-[{DIALOGUE_PSEUDONYM_ALPHABET}]{{4}}$")


def _staff(dialogue, role):
    person = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=person, role=role, side=None, by=None)
    return person


@pytest.fixture
def world():
    a, b = DialogueFactory(codename="orchid"), DialogueFactory(codename="lotus")
    for d in (a, b):
        SideFactory(dialogue=d)
    both = member(a)  # in A first, then B
    services.assign_role(
        dialogue=b, person=both, role=DialogueRole.PARTICIPANT, side=b.sides.first(), by=None
    )
    viewer = member(a)  # a member of B who is also in A
    services.assign_role(
        dialogue=b, person=viewer, role=DialogueRole.PARTICIPANT, side=b.sides.first(), by=None
    )
    pseudonym = {d: Membership.objects.get(person=both, dialogue=d).pseudonym for d in (a, b)}
    return {"a": a, "b": b, "both": both, "viewer": viewer, "in_a": pseudonym[a], "in_b": pseudonym[b]}


def test_pseudonyms_of_one_person_differ_between_dialogues(world):
    assert world["in_a"] != world["in_b"]
    assert PATTERN.match(world["in_a"]) and PATTERN.match(world["in_b"])
    assert world["both"].pseudonym not in (world["in_a"], world["in_b"])


def test_rejoining_a_dialogue_keeps_the_pseudonym_there(world):
    b, both = world["b"], world["both"]
    services.revoke_role(dialogue=b, person=both, role=DialogueRole.PARTICIPANT, by=None)
    services.assign_role(
        dialogue=b, person=both, role=DialogueRole.PARTICIPANT, side=b.sides.first(), by=None
    )
    assert Membership.objects.get(person=both, dialogue=b).pseudonym == world["in_b"]


def _hidden(content: str, world) -> None:
    assert world["in_a"] not in content
    assert world["both"].pseudonym not in content


def test_member_of_both_sees_only_the_pseudonym_of_dialogue_b_on_its_pages(client, world):
    client.force_login(world["viewer"].user)
    response = client.get(reverse("dialogues:dialogue_detail", args=[world["b"].pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert world["in_b"] in content
    _hidden(content, world)


def test_facilitator_of_b_sees_only_the_pseudonym_of_dialogue_b(client, world):
    b = world["b"]
    facilitator = _staff(b, DialogueRole.FACILITATOR)
    workshop = WorkshopFactory(series=SeriesFactory(dialogue=b))
    InvitationFactory(workshop=workshop, person=world["both"], status=InvitationStatus.INVITED)
    client.force_login(facilitator.user)
    for url in (
        reverse("dialogues:dialogue_detail", args=[b.pk]),
        reverse("dialogues:invitations", args=[b.pk, workshop.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert world["in_b"] in content, url
        _hidden(content, world)


def test_convenor_of_both_sees_the_link_on_the_roster_and_names_page(client, world):
    a, b = world["a"], world["b"]
    convenor = _staff(a, DialogueRole.CONVENOR)
    services.assign_role(dialogue=b, person=convenor, role=DialogueRole.CONVENOR, side=None, by=None)
    client.force_login(convenor.user)
    roster = client.get(reverse("dialogues:members", args=[b.pk])).content.decode()
    assert world["in_b"] in roster
    assert f"also in <bdi>orchid</bdi> as <bdi>{world['in_a']}</bdi>" in roster
    assert world["both"].pseudonym not in roster
    names = client.get(reverse("dialogues:person_names", args=[b.pk, world["both"].pk])).content.decode()
    assert world["in_a"] in names and world["in_b"] in names


def test_convenor_of_one_dialogue_only_sees_no_link(client, world):
    b = world["b"]
    convenor = _staff(b, DialogueRole.CONVENOR)
    other = DialogueFactory(codename="secret-elsewhere")
    _staff(other, DialogueRole.FACILITATOR)  # a dialogue the convenor has nothing to do with
    client.force_login(convenor.user)
    roster = client.get(reverse("dialogues:members", args=[b.pk])).content.decode()
    assert world["in_b"] in roster
    assert "also in" not in roster
    _hidden(roster, world)
    assert "orchid" not in roster


def test_facilitator_of_both_sees_no_link(client, world):
    """Only convenors see the link: a facilitator of both reads each dialogue's pages apart."""
    facilitator = _staff(world["a"], DialogueRole.FACILITATOR)
    services.assign_role(
        dialogue=world["b"], person=facilitator, role=DialogueRole.FACILITATOR, side=None, by=None
    )
    client.force_login(facilitator.user)
    content = client.get(reverse("dialogues:dialogue_detail", args=[world["b"].pk])).content.decode()
    _hidden(content, world)


def test_auditors_read_the_account_pseudonym(world):
    membership = Membership.objects.get(person=world["both"], dialogue=world["b"])
    labels = object_labels([("participants.membership", str(membership.pk))])
    assert world["both"].pseudonym in next(iter(labels.values()))


# The migration's assigning function, on rows made here.
migration = importlib.import_module("participants.migrations.0011_membership_pseudonym")


def test_migration_keeps_the_account_pseudonym_in_the_first_dialogue_only():
    first, second, third = DialogueFactory(), DialogueFactory(), DialogueFactory()
    person = PersonFactory(pseudonym="P-5")
    other = PersonFactory(pseudonym="P-6")
    day = dt.date(2024, 1, 1)
    rows = [
        Membership.objects.create(
            person=person, dialogue=second, side=SideFactory(dialogue=second), joined_on=day, pseudonym=""
        ),
        Membership.objects.create(
            person=person,
            dialogue=first,
            side=SideFactory(dialogue=first),
            joined_on=day - dt.timedelta(days=30),
            pseudonym="",
        ),
        # Already assigned: kept, and its value is taken in its dialogue.
        Membership.objects.create(
            person=other, dialogue=third, side=SideFactory(dialogue=third), joined_on=day, pseudonym="P-5"
        ),
        Membership.objects.create(
            person=person, dialogue=third, side=third.sides.first(), joined_on=day, pseudonym=""
        ),
    ]
    assert migration.assign_pseudonyms(Membership) == 3
    in_second, in_first, of_other, in_third = (Membership.objects.get(pk=row.pk).pseudonym for row in rows)
    assert in_first == "P-5"  # the dialogue they were first in reads as before
    assert PATTERN.match(in_second) and PATTERN.match(in_third)
    assert of_other == "P-5"
    assert migration.assign_pseudonyms(Membership) == 0  # safe to run twice


def test_a_new_member_gets_a_pseudonym_nobody_in_the_dialogue_holds():
    dialogue = DialogueFactory()
    people = [member(dialogue) for _ in range(30)]
    pseudonyms = set(Membership.objects.filter(dialogue=dialogue).values_list("pseudonym", flat=True))
    assert len(pseudonyms) == len(people)
    assert all(PATTERN.match(p) for p in pseudonyms)


def test_the_attribution_guard_flags_every_pseudonym_of_the_dialogues_people(world):
    """A summary of B that names someone by their pseudonym in A (or their account's) still attributes."""
    from dialogues.summaries.selectors import attribution_findings
    from tests.factories import SummaryFactory

    summary = SummaryFactory(workshop=WorkshopFactory(series=SeriesFactory(dialogue=world["b"])))
    for said in (world["in_a"], world["in_b"], world["both"].pseudonym):
        body = f"## Opening\n\nAs {said} put it, the quota holds."
        found = attribution_findings(summary=summary, body=body)
        assert [f.term.text for f in found] == [said], said
    assert attribution_findings(summary=summary, body="## Opening\n\nThe quota holds.") == []
