"""A refused form, as a keyboard or screen-reader user meets it: "Error: " first in the title, a summary at
the top of the form that takes the focus and links to each field, and every error tied to its field
(aria-invalid, aria-describedby), the ones that used to float free included: the login's, "A side needs a
name." and "Choose whom to invite."."""

import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory
from tests.helpers import refused_form

pytestmark = pytest.mark.django_db


def _convenor(dialogue):
    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=None)
    return person.user


def test_a_refused_login_names_both_fields_and_starts_the_title_with_error(client):
    UserFactory(email="real@example.org")
    response = client.post(reverse("account_login"), {"login": "real@example.org", "password": "wrong-one"})
    page = refused_form(response.content.decode())
    assert page.title.startswith("Error: Log in")
    general = page.text_of["error-summary-general"]
    assert "not correct" in general
    assert dict(page.invalid) == {
        "id_login": ["error-summary-general"],
        "id_password": ["error-summary-general"],
    }


def test_a_side_without_a_name_comes_back_with_the_error_at_its_field(client):
    dialogue = DialogueFactory()
    client.force_login(_convenor(dialogue))
    response = client.post(reverse("dialogues:side_add", args=[dialogue.pk]), {"name": "  "})
    assert response.status_code == 400
    page = refused_form(response.content.decode())
    assert page.text_of["id_name_error"].strip() == "A side needs a name."
    assert ("id_name", ["id_name_error"]) in page.invalid
    assert page.summary_links == ["#id_name"]
    assert not dialogue.sides.exists()


def test_inviting_nobody_to_set_up_a_login_ties_the_error_to_the_choice(client):
    dialogue = DialogueFactory()
    side = SideFactory(dialogue=dialogue)
    for name in ("Amira Haddad", "Corvin Asteli"):
        person = PersonFactory(name=name, email=f"{name.split()[0].lower()}@example.org")
        dialogue_services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
    client.force_login(_convenor(dialogue))
    response = client.post(reverse("accounts:invitations", args=[dialogue.pk]), {})
    assert response.status_code == 400
    page = refused_form(response.content.decode())
    assert page.text_of["id_person_error"].strip() == "Choose whom to invite."
    assert [name for name, _ in page.invalid] == ["id_person_0", "id_person_1"]  # each radio, by its fieldset
    assert page.summary_links == ["#id_person_0"]


def test_a_new_dialogue_with_mistakes_links_each_error_from_the_summary(client):
    client.force_login(_convenor(DialogueFactory()))
    response = client.post(reverse("dialogues:dialogue_create"), {"title": "Isles", "sides": "Only one"})
    assert response.status_code == 400
    page = refused_form(response.content.decode())
    assert "#id_sides" in page.summary_links and "#id_codename" in page.summary_links
    assert "Name at least two sides" in page.text_of["id_sides_error"]


def test_allauths_own_forms_get_the_summary_too(client):
    response = client.post(reverse("account_reset_password"), {"email": "not an address"})
    page = refused_form(response.content.decode())
    assert page.summary_links == ["#id_email"]


def test_a_page_without_a_refused_form_has_no_error_title(client):
    dialogue = DialogueFactory()
    client.force_login(_convenor(dialogue))
    html = client.get(reverse("dialogues:dialogue_edit", args=[dialogue.pk])).content.decode()
    assert "<title>Edit" in html and "error-summary" not in html


def test_a_refusal_shown_as_a_message_after_a_redirect_starts_the_title_with_error_too(client):
    dialogue = DialogueFactory()
    client.force_login(_convenor(dialogue))
    response = client.post(
        reverse("dialogues:dialogue_status", args=[dialogue.pk]), {"status": "nonsense"}, follow=True
    )
    html = response.content.decode()
    assert "<title>Error: " in html and "Choose the status to move the dialogue to." in html
    assert (
        "<title>Error: "
        not in client.get(reverse("dialogues:dashboard", args=[dialogue.pk])).content.decode()
    )
