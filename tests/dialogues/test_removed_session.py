"""A convenor removed from a dialogue keeps an open session: every page issue 18 added for that dialogue
answers 404 on their next request, for GET and POST alike, the same as for something that does not exist."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def test_a_removed_convenor_gets_404_on_every_page_of_the_facilitators_week(client):
    dialogue = DialogueFactory()
    convenor = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    now = timezone.now()
    past = WorkshopFactory(series__dialogue=dialogue, starts_at=now - dt.timedelta(days=3),
                           ends_at=now - dt.timedelta(days=2))  # fmt: skip
    ahead = WorkshopFactory(series=past.series, number=2, starts_at=now + dt.timedelta(days=9),
                            ends_at=now + dt.timedelta(days=10))  # fmt: skip
    item = AgendaItemFactory(workshop=ahead)
    member = PersonFactory()
    membership = MembershipFactory(person=member, dialogue=dialogue)
    invitation = InvitationFactory(workshop=ahead, person=member)
    InvitationFactory(workshop=past, person=member, status=InvitationStatus.ATTENDED)
    summary = SummaryFactory(workshop=past, status=SummaryStatus.IN_REVIEW,
                             review_deadline=now + dt.timedelta(days=3))  # fmt: skip
    d, w, p = dialogue.pk, ahead.pk, past.pk
    urls = [
        reverse("dialogues:workshop_held", args=[d, p]),
        reverse("dialogues:agenda_item_edit", args=[d, w, item.pk]),
        reverse("dialogues:run_sheet", args=[d, w]),
        reverse("dialogues:run_sheet_pdf", args=[d, w]),
        reverse("dialogues:invitation_logins", args=[d, w]),
        reverse("dialogues:invitation_answer", args=[d, w, invitation.pk]),
        reverse("dialogues:invitation_action", args=[d, w, invitation.pk]),
        reverse("dialogues:workshop_cancel", args=[d, w]),
        reverse("dialogues:dialogue_status", args=[d]) + "?status=concluded",
        reverse("dialogues:member_remove", args=[d, membership.pk]),
        reverse("dialogues:summary_extend_review", args=[d, summary.pk]),
        reverse("dialogues:summary_remind", args=[d, summary.pk]),
        reverse("dialogues:summary_close_review", args=[d, summary.pk]),
        reverse("dialogues:summary_apply_correction", args=[d, summary.pk]),
        reverse("dialogues:summary_seal", args=[d, summary.pk]),
        reverse("dialogues:members", args=[d]) + "?q=ab",
    ]
    client.force_login(convenor.user)
    assert client.get(reverse("dialogues:run_sheet", args=[d, w])).status_code == 200  # before: they plan it

    services.revoke_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    # A method a URL does not serve is 405 for everyone (the access matrix's NOT_ALLOWED); the one it serves
    # is the ordinary 404.
    for url in urls:
        answers = (client.get(url).status_code, client.post(url, {"confirmed": "yes"}).status_code)
        assert set(answers) <= {404, 405} and 404 in answers, (url, answers)
