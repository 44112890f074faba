"""A convenor's week with people who have no login, in Chromium: from a workshop's invitations page, send
login invitations to everyone invited who can have one, and record the answer of someone with no e-mail on
file. Screenshots go to artifacts/screenshots/without-login-*.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.models import Invitation
from dialogues.scheduling import services as scheduling
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory
from trackii.accounts.models import AccountInvitation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place():
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    north = SideFactory(dialogue=dialogue, name="Northern coast")
    convenor = PersonFactory(pseudonym="P-1", user=UserFactory(email="convenor@example.org"))
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    people = [
        PersonFactory(pseudonym="P-20", name="Ailsa Brennock", email="ailsa@example.org"),
        PersonFactory(pseudonym="P-21", name="Tomas Ferreira", email=None),
    ]
    for person in people:
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=north, by=None
        )
    workshop = WorkshopFactory(
        series__dialogue=dialogue, number=3, starts_at=timezone.now() + dt.timedelta(days=14)
    )
    scheduling.invite_people(workshop=workshop, people=people, by=None)
    return dialogue, workshop, people


def test_convenor_sends_login_invitations_and_records_an_answer(live_server, page: Page, place, screenshot):
    dialogue, workshop, (with_email, without_email) = place
    # The pages call them by their pseudonyms in this dialogue, not their accounts' (decision 0026).
    p20, p21 = (Membership.objects.get(person=p, dialogue=dialogue).pseudonym for p in place[2])
    log_in(page, live_server.url, "convenor@example.org")
    page.goto(f"{live_server.url}/dialogues/{dialogue.pk}/workshops/{workshop.pk}/invitations/")
    expect(page.get_by_text("no e-mail on file: record their answer yourself")).to_be_visible()
    screenshot("without-login-1-invitations")

    page.get_by_role("button", name="Send login invitations to the 1 invited person without a login").click()
    expect(page.get_by_text(f"1 login invitation sent ({p20}).")).to_be_visible()
    assert AccountInvitation.objects.filter(person=with_email, revoked_at__isnull=True).count() == 1

    page.get_by_role("link", name=f"Record the answer of {p21}").click()
    page.get_by_label("Accepted: they will come").check()
    page.get_by_label("Note (optional)").fill("Will come by ferry on the first morning.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_text(f"{p21}: answer recorded.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bP-2[01]\b"))
    row = page.locator(f"#invitation-{Invitation.objects.get(person=without_email).pk}")
    expect(row.get_by_text("recorded by the facilitators")).to_be_visible()
    screenshot("without-login-2-recorded")
    assert Invitation.objects.get(person=without_email).status == InvitationStatus.ACCEPTED
