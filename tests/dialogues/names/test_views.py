# ruff: noqa: RUF001  (names in Cyrillic and Armenian, and look-alike letters, are what is tested)
"""The person's names page (issue 22) through the browser path: a convenor adds and removes other forms of a
member's name; hostile values are refused with a message that names the character; nobody else reaches it;
the audit rows carry ids, never a name; the names are encrypted at rest."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from participants.models import PersonName
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.helpers import submitted_values
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    dialogue = DialogueFactory()
    side = SideFactory(dialogue=dialogue)
    convenor = PersonFactory(name="Cora Convenor", user=UserFactory())
    member = PersonFactory(name="Korvin Asteli", user=UserFactory())
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    services.assign_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, side=side, by=None)
    return dialogue, convenor, member


def page_url(dialogue, person) -> str:
    return reverse("dialogues:person_names", kwargs={"dialogue_id": dialogue.pk, "person_id": person.pk})


def test_convenor_adds_forms_in_two_scripts_and_sees_them(client, roster):
    dialogue, convenor, member = roster
    client.force_login(convenor.user)
    for name in ["Корвин  Астели", "Կորվին Աստելի"]:
        response = client.post(page_url(dialogue, member), {"name": name})
        assert response.status_code == 302
    forms = {form.name: form.script for form in member.other_names.all()}
    assert forms == {"Корвин Астели": "Cyrillic", "Կորվին Աստելի": "Armenian"}  # white space collapsed
    page = client.get(page_url(dialogue, member)).content.decode()
    assert ">Корвин Астели</td>" in page and ">Կորվին Աստելի</td>" in page and "Armenian" in page
    rows = AuditEvent.objects.filter(action=Action.PERSON_NAME_ADDED)
    assert rows.count() == 2
    for row in rows:
        assert row.target_id == str(member.pk) and row.dialogue_id == dialogue.pk
        assert "Корвин" not in str(row.detail) and "Կորվին" not in str(row.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM participants_personname")
        stored = b"".join(
            bytes(value) if not isinstance(value, str) else value.encode() for (value,) in cursor
        )
    assert "Корвин".encode() not in stored


def test_roster_links_to_the_names_page(client, roster):
    dialogue, convenor, member = roster
    client.force_login(convenor.user)
    page = client.get(reverse("dialogues:members", kwargs={"dialogue_id": dialogue.pk})).content.decode()
    assert page_url(dialogue, member) in page


@pytest.mark.parametrize(
    "hostile, words",
    [
        ("Korvin\u202eilets", "U+202E right-to-left override"),
        ("Kor\u2066vin", "U+2066 left-to-right isolate"),
        ("Kor\u200bvin", "U+200B zero width space"),
        ("Kor\u200dvin", "U+200D zero width joiner"),
        ("Kor\u2060vin", "U+2060 word joiner"),
        ("\ufeffKorvin", "U+FEFF zero width no-break space"),
        ("Kor\u00advin", "U+00AD soft hyphen"),
        ("Kor\x00vin", "Null characters are not allowed"),
        ("K\u043ervin Asteli", "mixes Latin and Cyrillic letters in one word"),
        ("Korvin Ast\u03b5li", "mixes Latin and Greek letters in one word"),
        ("korvin   ASTELI", "already has this form"),
        ("Kórvin Asteli", "already has this form"),
        ("   ", "Type the name"),
    ],
)
def test_hostile_forms_are_refused_with_a_reason(client, roster, hostile, words):
    dialogue, convenor, member = roster
    client.force_login(convenor.user)
    response = client.post(page_url(dialogue, member), {"name": hostile})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not PersonName.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PERSON_NAME_ADDED).exists()


def test_a_form_held_already_in_another_script_is_refused_after_normalisation(client, roster):
    dialogue, convenor, member = roster
    client.force_login(convenor.user)
    client.post(page_url(dialogue, member), {"name": "Корвин Астели"})
    response = client.post(page_url(dialogue, member), {"name": "КОРВИН АСТЕЛИ"})
    assert response.status_code == 400 and "already has this form" in response.content.decode()
    assert member.other_names.count() == 1


def test_convenor_removes_a_form(client, roster):
    dialogue, convenor, member = roster
    form = PersonName.objects.create(
        person=member, name="Корвин Астели", script="Cyrillic", recorded_in=dialogue
    )
    client.force_login(convenor.user)
    url = reverse(
        "dialogues:person_name_remove",
        kwargs={"dialogue_id": dialogue.pk, "person_id": member.pk, "name_id": form.pk},
    )
    assert client.post(url).status_code == 302
    assert not PersonName.objects.exists()
    row = AuditEvent.objects.get(action=Action.PERSON_NAME_REMOVED)
    assert row.detail == {"name_form": form.pk} and row.dialogue_id == dialogue.pk


def test_nobody_else_reaches_the_page_nor_anyone_outside_the_dialogue(client, roster):
    dialogue, convenor, member = roster
    other = DialogueFactory()
    outsider = PersonFactory(name="Ani Martirosyan")
    services.assign_role(
        dialogue=other,
        person=outsider,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=other),
        by=None,
    )
    form = PersonName.objects.create(
        person=outsider, name="Անի Մարտիրոսյան", script="Armenian", recorded_in=other
    )
    client.force_login(member.user)  # a participant: no manage_members
    assert client.get(page_url(dialogue, member)).status_code == 404
    client.force_login(convenor.user)
    assert client.get(page_url(dialogue, outsider)).status_code == 404
    assert client.post(page_url(dialogue, outsider), {"name": "Ani M"}).status_code == 404
    remove = reverse(
        "dialogues:person_name_remove",
        kwargs={"dialogue_id": dialogue.pk, "person_id": member.pk, "name_id": form.pk},
    )
    assert client.post(remove).status_code == 404  # another person's form through a member's page
    assert PersonName.objects.filter(pk=form.pk).exists()


def test_a_new_persons_name_on_the_roster_is_refused_when_hostile(client, roster):
    dialogue, convenor, _member = roster
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:members", kwargs={"dialogue_id": dialogue.pk}),
        {"name": "Ani\u202eMart", "email": "ani@example.org", "role": DialogueRole.OBSERVER},
    )
    assert response.status_code == 400
    assert "U+202E right-to-left override" in response.content.decode()
    response = client.post(
        reverse("dialogues:members", kwargs={"dialogue_id": dialogue.pk}),
        {"name": "Аni Martirosyan", "email": "ani@example.org", "role": DialogueRole.OBSERVER},
    )
    assert response.status_code == 400
    assert "mixes Cyrillic and Latin letters in one word" in response.content.decode()


@pytest.mark.parametrize(
    "codename",
    [
        "tidewater\u202e",
        "tid\u0435water",
        "tide\u200bwater",
        "\uff54idewater",
        "tidewater talks",
        "тайдвотер",
    ],
)
def test_hostile_codenames_are_refused(client, roster, codename):
    """Codenames keep their rule (ASCII letters, digits, hyphens and underscores: a slug), which no invisible,
    look-alike, full-width or non-Latin character passes."""
    dialogue, convenor, _member = roster
    client.force_login(convenor.user)
    url = reverse("dialogues:dialogue_edit", kwargs={"dialogue_id": dialogue.pk})
    data = {**submitted_values(client.get(url).content.decode(), action=""), "codename": codename}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Enter a valid “slug”" in response.content.decode()
    dialogue.refresh_from_db()
    assert dialogue.codename.isascii()


@pytest.mark.parametrize(
    "language, heading, refusal",
    [
        (
            "fr",
            "Formes du nom dans ce dialogue",
            "mêle dans un même mot des lettres de deux écritures (latin et cyrillique)",
        ),
        ("ru", "Формы имени в этом диалоге", "буквы двух письменностей (латиница и кириллица)"),
        ("ar", "صيغ الاسم في هذا الحوار", "بين حروف خطّين (اللاتيني والسيريلي)"),
    ],
)
def test_the_page_and_its_refusals_read_in_the_viewers_language(client, roster, language, heading, refusal):
    dialogue, convenor, member = roster
    client.force_login(convenor.user)
    page = client.get(page_url(dialogue, member), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page and "<bdi>Korvin Asteli</bdi>" in page
    response = client.post(page_url(dialogue, member), {"name": "K\u043ervin"}, HTTP_ACCEPT_LANGUAGE=language)
    assert refusal in response.content.decode()


@pytest.fixture
def two_dialogues(roster):
    """The member of A is in B too, with B's own convenor; A's convenor has recorded a Cyrillic form."""
    dialogue_a, _convenor_a, member = roster
    workshop = WorkshopFactory(
        starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2)
    )
    dialogue_b = workshop.series.dialogue
    convenor_b = PersonFactory(name="Bela Convenor", user=UserFactory())
    services.assign_role(dialogue=dialogue_b, person=convenor_b, role=DialogueRole.CONVENOR, by=None)
    services.assign_role(
        dialogue=dialogue_b,
        person=member,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue_b),
        by=None,
    )
    form = PersonName.objects.create(
        person=member, name="Корвин Астели", script="Cyrillic", recorded_in=dialogue_a
    )
    return dialogue_a, dialogue_b, convenor_b, member, form, workshop


def test_another_dialogues_forms_are_neither_shown_nor_removable(client, two_dialogues):
    _dialogue_a, dialogue_b, convenor_b, member, form, _workshop = two_dialogues
    client.force_login(convenor_b.user)
    page = client.get(page_url(dialogue_b, member)).content.decode()
    assert ">Корвин Астели</td>" not in page
    assert "No other form of the name has been recorded in this dialogue" in page
    remove = reverse(
        "dialogues:person_name_remove",
        kwargs={"dialogue_id": dialogue_b.pk, "person_id": member.pk, "name_id": form.pk},
    )
    assert client.post(remove).status_code == 404
    assert PersonName.objects.filter(pk=form.pk).exists()
    denied = AuditEvent.objects.filter(target_id=str(form.pk), target_type="participants.personname")
    assert denied.filter(outcome="denied").exists(), list(denied.values())
    assert not AuditEvent.objects.filter(action=Action.PERSON_NAME_REMOVED).exists()
    # B records the same form for itself (not refused as already held: that would tell B what A holds).
    assert client.post(page_url(dialogue_b, member), {"name": "КОРВИН АСТЕЛИ"}).status_code == 302
    added = PersonName.objects.get(recorded_in=dialogue_b)
    assert AuditEvent.objects.get(action=Action.PERSON_NAME_ADDED).dialogue_id == dialogue_b.pk
    page = client.get(page_url(dialogue_b, member)).content.decode()
    assert ">КОРВИН АСТЕЛИ</td>" in page and ">Корвин Астели</td>" not in page
    assert added.pk != form.pk


def test_the_guard_of_another_dialogue_still_reads_every_form(two_dialogues):
    _dialogue_a, _dialogue_b, convenor_b, member, _form, workshop = two_dialogues
    services.assign_role(
        dialogue=workshop.series.dialogue, person=convenor_b, role=DialogueRole.FACILITATOR, by=None
    )
    InvitationFactory(workshop=workshop, person=member, status=InvitationStatus.ATTENDED)
    summary = summaries.start_summary(workshop=workshop, by=convenor_b.user)
    summary = summaries.save_draft(
        summary=summary, body="## Notes\n\nДоговорились с Корвином.\n", by=convenor_b.user
    )
    found = summary_selectors.attribution_findings(summary=summary)
    assert [mention.match for finding in found for mention in finding.mentions] == ["Корвином"]


def test_a_former_members_forms_are_added_and_listed(client, roster):
    dialogue, convenor, member = roster
    services.revoke_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, by=convenor.user)
    assert member.memberships.get(dialogue=dialogue).left_on is not None
    client.force_login(convenor.user)
    roster_page = client.get(reverse("dialogues:members", kwargs={"dialogue_id": dialogue.pk}))
    assert page_url(dialogue, member) in roster_page.content.decode()
    assert client.post(page_url(dialogue, member), {"name": "Корвин Астели"}).status_code == 302
    assert "Корвин Астели" in client.get(page_url(dialogue, member)).content.decode()
    assert PersonName.objects.get().recorded_in == dialogue
