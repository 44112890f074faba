import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.factories import DialogueFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_page_shows_own_data_dialogues_and_sessions(client, dialogue, side, convenor):
    person = PersonFactory(
        name="Layla Mansour", email="layla@example.org", user=UserFactory(email="layla@example.org")
    )
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=convenor
    )
    DialogueFactory(title="Another secret table")
    client.post(
        reverse("account_login"), {"login": "layla@example.org", "password": "a-long-test-passphrase-42"}
    )

    page = client.get(reverse("accounts:account")).content.decode()

    assert "Layla Mansour" in page and "layla@example.org" in page
    assert "Riverside talks" in page and "North" in page
    assert "Another secret table" not in page
    # What the dialogue calls them (decision 0026), beside their own account pseudonym.
    assert person.memberships.get().pseudonym in page and person.pseudonym in page
    assert "This device" in page
    assert "Log out everywhere" in page


def test_account_page_needs_login(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_security_txt_names_a_contact_and_an_expiry(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("Contact: ") and "\nExpires: " in text


def test_log_out_everywhere_also_stops_the_calendar_feed_address(client, dialogue, side, convenor):
    from dialogues.personal import services as personal_services
    from trackii.audit.enums import Action
    from trackii.audit.models import AuditEvent

    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=convenor
    )
    feed = reverse("dialogues:calendar_feed", args=[personal_services.issue_feed_token(by=person.user)])
    client.force_login(person.user)
    assert client.get(feed).status_code == 200

    client.post(reverse("accounts:log_out_everywhere"))

    assert client.get(feed).status_code == 404
    [revoked] = AuditEvent.objects.filter(action=Action.FEED_REVOKED)
    assert (revoked.actor_id, revoked.target_type) == (person.user.pk, "dialogues.personalcalendar")
    # Nothing to revoke the second time: no feed, no row.
    client.force_login(person.user)
    client.post(reverse("accounts:log_out_everywhere"))
    assert AuditEvent.objects.filter(action=Action.FEED_REVOKED).count() == 1
