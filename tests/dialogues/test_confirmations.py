"""Steps that cannot be taken back ask first, on a page that works without JavaScript
(trackii/confirmation.py): concluding a dialogue (and opening it, which cannot go back to convening),
sealing a summary, removing a member, withdrawing a workshop invitation and cancelling a workshop. For each:
a GET shows the consequence and changes nothing, a POST without the confirmation changes nothing, a confirmed
POST takes the step, and anyone without the right gets the same 404 on GET and POST. The dashboard offers
moves that follow the status."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, DialogueStatus, InvitationStatus, SummaryStatus, WorkshopStatus
from dialogues.models import Invitation, Notification, Workshop
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summaries
from participants.models import Membership
from tests.dialogues.helpers import member, two_sided
from tests.factories import InvitationFactory, SeriesFactory, WorkshopFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.sealing.models import SealJob

pytestmark = pytest.mark.django_db

YES = {"confirmed": "yes"}
BODY = "## Fisheries access\n\nThe group explored a joint licensing board.\n"


@pytest.fixture
def place():
    """Tidewater with its convenor, a participant invited to a workshop ahead, a held workshop with a draft
    summary the participant attended, and two people who may do none of it: the convenor of another dialogue
    and the participant."""
    dialogue, north, _south = two_sided()
    convenor = member(dialogue, role=DialogueRole.CONVENOR, name="Cora Convenor")
    participant = member(dialogue, north, name="Amira Haddad")
    outsider = member(SeriesFactory().dialogue, role=DialogueRole.CONVENOR)
    series = SeriesFactory(dialogue=dialogue, title="Phase 1")
    now = timezone.now()
    ahead = WorkshopFactory(series=series, starts_at=now + dt.timedelta(days=10))
    invitation = scheduling_services.invite(workshop=ahead, person=participant, by=None)
    held = WorkshopFactory(
        series=series,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=2),
        status=WorkshopStatus.HELD,
    )
    InvitationFactory(workshop=held, person=participant, status=InvitationStatus.ATTENDED)
    summary = summaries.start_summary(workshop=held, by=convenor.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=convenor.user)
    return SimpleNamespace(
        dialogue=dialogue,
        convenor=convenor,
        participant=participant,
        outsider=outsider,
        ahead=ahead,
        invitation=invitation,
        summary=summary,
        membership=Membership.objects.get(dialogue=dialogue, person=participant),
    )


def _urls(p) -> dict[str, str]:
    d = p.dialogue.pk
    return {
        "conclude": reverse("dialogues:dialogue_status", args=[d]) + "?status=concluded",
        "seal": reverse("dialogues:summary_seal", args=[d, p.summary.pk]),
        "remove": reverse("dialogues:member_remove", args=[d, p.membership.pk]),
        "withdraw": reverse("dialogues:invitation_action", args=[d, p.ahead.pk, p.invitation.pk]),
        "cancel": reverse("dialogues:workshop_cancel", args=[d, p.ahead.pk]),
    }


# What each step's POST carries besides the confirmation (the status travels in the query for a GET).
POSTED = {"conclude": {"status": "concluded"}, "withdraw": {"action": "withdraw"}}


def _state(p) -> tuple:
    """Everything the five steps would change, read afresh."""
    p.dialogue.refresh_from_db()
    p.summary.refresh_from_db()
    p.membership.refresh_from_db()
    return (
        p.dialogue.status,
        p.summary.status,
        p.membership.left_on,
        Invitation.objects.filter(pk=p.invitation.pk).exists(),
        Workshop.objects.get(pk=p.ahead.pk).status,
        SealJob.objects.count(),
        Notification.objects.count(),
    )


def _post_url(url: str) -> str:
    return url.split("?", 1)[0]


# What the confirmation page says of each step: what happens, what cannot be undone or how to undo it.
SAYS = {
    "conclude": ["Conclude tidewater?", "cannot be reopened", "1 workshop ahead stays scheduled"],
    "seal": [
        "Seal version 1",
        "The 1 person who attended",
        "cannot be changed or unsealed",
        "joint licensing",
    ],
    "remove": ["Remove Amira Haddad", "invitations to workshops still ahead (1)", "Add them again"],
    "withdraw": ["invitation to workshop", "no longer sees this", "is told by e-mail", "Invite them again"],
    "cancel": ["Cancel workshop", "The 1 person still expected", "cannot be brought back"],
}


@pytest.mark.parametrize("step", list(SAYS))
def test_get_shows_the_consequence_and_changes_nothing(client, place, step):
    before = _state(place)
    client.force_login(place.convenor.user)
    response = client.get(_urls(place)[step])
    text = response.content.decode()
    assert response.status_code == 200
    for words in SAYS[step]:
        assert words in text, words
    assert 'name="confirmed" value="yes"' in text and "button--danger" in text
    assert _state(place) == before


@pytest.mark.parametrize("step", list(SAYS))
def test_post_without_confirmation_asks_again_and_changes_nothing(client, place, step):
    before = _state(place)
    client.force_login(place.convenor.user)
    response = client.post(_post_url(_urls(place)[step]), POSTED.get(step, {}))
    assert response.status_code == 200 and SAYS[step][0] in response.content.decode()
    assert _state(place) == before


def test_confirmed_conclude_concludes_and_the_dashboard_stops_planning(client, place):
    client.force_login(place.convenor.user)
    Workshop.objects.filter(pk=place.ahead.pk).update(status=WorkshopStatus.CANCELLED)
    response = client.post(_post_url(_urls(place)["conclude"]), {**POSTED["conclude"], **YES}, follow=True)
    place.dialogue.refresh_from_db()
    assert place.dialogue.status == DialogueStatus.CONCLUDED
    text = response.content.decode()
    assert "The dialogue is concluded" in text and "schedule the next ones" not in text
    assert "New workshop series" not in text and "Conclude…" not in text


def test_confirmed_seal_queues_the_text_that_was_confirmed(client, place):
    client.force_login(place.convenor.user)
    edited = BODY + "\nA correction typed before sealing.\n"
    asked = client.post(_urls(place)["seal"], {"body": edited})
    assert asked.status_code == 200 and "A correction typed before sealing." in asked.content.decode()
    assert 'name="body"' in asked.content.decode()  # the text travels on to the final button
    response = client.post(_urls(place)["seal"], {"body": edited, **YES})
    assert response.status_code == 302
    place.summary.refresh_from_db()
    assert place.summary.status == SummaryStatus.SEALING and place.summary.body == edited


def test_seal_that_would_be_refused_is_refused_before_asking(client, place):
    client.force_login(place.convenor.user)
    response = client.post(_urls(place)["seal"], {"body": BODY + "\nAmira Haddad disagreed.\n"})
    assert response.status_code == 400 and "before sealing" in response.content.decode()
    assert "Yes, seal" not in response.content.decode() and not SealJob.objects.exists()


def test_confirmed_remove_removes_with_the_choice_made_on_the_page(client, place):
    client.force_login(place.convenor.user)
    page = client.get(_urls(place)["remove"]).content.decode()
    assert 'name="keep_sealed_summaries"' in page
    response = client.post(_urls(place)["remove"], {"keep_sealed_summaries": "on", **YES})
    assert response.status_code == 302
    place.membership.refresh_from_db()
    assert place.membership.left_on is not None and place.membership.keeps_sealed_summaries
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "add them again" in said
    assert not Invitation.objects.filter(pk=place.invitation.pk).exists()


def test_confirmed_withdraw_withdraws_and_tells_them(client, place):
    client.force_login(place.convenor.user)
    response = client.post(_urls(place)["withdraw"], {**POSTED["withdraw"], **YES})
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=place.invitation.pk).exists()
    assert Notification.objects.filter(person=place.participant).exists()
    assert "invite them again" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_withdraw_of_a_workshop_over_is_refused_before_asking(client, place):
    Workshop.objects.filter(pk=place.ahead.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(place.convenor.user)
    response = client.get(_urls(place)["withdraw"], follow=True)
    assert "record attendance instead" in response.content.decode()
    assert Invitation.objects.filter(pk=place.invitation.pk).exists()


def test_other_invitation_actions_need_no_confirmation(client, place):
    scheduling_services.respond_to_invitation(
        invitation=place.invitation, status=InvitationStatus.DECLINED, by=place.participant.user
    )
    client.force_login(place.convenor.user)
    assert client.post(_urls(place)["withdraw"], {"action": "reinvite"}).status_code == 302
    place.invitation.refresh_from_db()
    assert place.invitation.status == InvitationStatus.INVITED


def test_confirmed_cancel_cancels_and_tells_those_expected(client, place):
    client.force_login(place.convenor.user)
    response = client.post(_urls(place)["cancel"], YES)
    assert response.status_code == 302
    assert Workshop.objects.get(pk=place.ahead.pk).status == WorkshopStatus.CANCELLED
    assert Notification.objects.filter(person=place.participant).exists()
    assert AuditEvent.objects.filter(action=Action.WORKSHOP_CANCELLED).exists()


@pytest.mark.parametrize("who", ["outsider", "participant"])
@pytest.mark.parametrize("step", list(SAYS))
def test_without_the_right_it_is_404_for_get_and_post(client, place, step, who):
    before = _state(place)
    client.force_login(getattr(place, who).user)
    url = _urls(place)[step]
    assert client.get(url).status_code == 404
    assert client.post(_post_url(url), {**POSTED.get(step, {}), **YES}).status_code == 404
    assert _state(place) == before


# --- the dashboard's status buttons -------------------------------------------------------------------


def _dashboard(client, p) -> str:
    client.force_login(p.convenor.user)
    return client.get(reverse("dialogues:dashboard", args=[p.dialogue.pk])).content.decode()


def _status_panel(page: str) -> str:
    return page.split('id="status-heading"', 1)[1].split("</section>", 1)[0]


def test_a_new_dialogue_offers_start_convening_first_and_no_conclude(client, place):
    panel = _status_panel(_dashboard(client, place))
    assert "Start convening" in panel and "Conclude" not in panel and "Move to" not in panel
    assert panel.index("Start convening") < panel.index("Edit dialogue and sides")


def test_an_active_dialogue_offers_conclude_last_as_a_quiet_link_to_its_confirmation(client, place):
    services.change_dialogue_status(dialogue=place.dialogue, status=DialogueStatus.CONVENING, by=None)
    services.change_dialogue_status(dialogue=place.dialogue, status=DialogueStatus.ACTIVE, by=None)
    panel = _status_panel(_dashboard(client, place))
    assert "Mark dormant" in panel and panel.index("Edit dialogue and sides") < panel.index("Conclude…")
    conclude = panel[panel.rindex("<a", 0, panel.index("Conclude…")) : panel.index("Conclude…")]
    assert "?status=concluded" in conclude and "button--quiet" in conclude and "danger" not in conclude
    assert panel.index("Mark dormant") < panel.index("Conclude…")


def test_opening_the_dialogue_cannot_go_back_so_it_asks_first(client, place):
    services.change_dialogue_status(dialogue=place.dialogue, status=DialogueStatus.CONVENING, by=None)
    client.force_login(place.convenor.user)
    url = reverse("dialogues:dialogue_status", args=[place.dialogue.pk])
    asked = client.post(url, {"status": "active"})
    assert asked.status_code == 200 and "cannot go back to convening" in asked.content.decode()
    place.dialogue.refresh_from_db()
    assert place.dialogue.status == DialogueStatus.CONVENING
    assert client.post(url, {"status": "active", **YES}).status_code == 302
    place.dialogue.refresh_from_db()
    assert place.dialogue.status == DialogueStatus.ACTIVE
    # Marking it dormant can be undone: one click, no question.
    assert client.post(url, {"status": "dormant"}).status_code == 302
    place.dialogue.refresh_from_db()
    assert place.dialogue.status == DialogueStatus.DORMANT


def test_a_get_of_a_move_that_can_be_undone_changes_nothing(client, place):
    client.force_login(place.convenor.user)
    url = reverse("dialogues:dialogue_status", args=[place.dialogue.pk]) + "?status=convening"
    assert client.get(url).status_code == 302
    place.dialogue.refresh_from_db()
    assert place.dialogue.status == DialogueStatus.SCOPING


# --- the pages link to the confirmation instead of rows of red buttons ---------------------------------


def test_roster_invitations_and_workshop_pages_offer_quiet_links_not_red_buttons(client, place):
    client.force_login(place.convenor.user)
    d, urls = place.dialogue.pk, _urls(place)
    roster = client.get(reverse("dialogues:members", args=[d])).content.decode()
    invitations = client.get(reverse("dialogues:invitations", args=[d, place.ahead.pk])).content.decode()
    workshop = client.get(reverse("dialogues:workshop_detail", args=[d, place.ahead.pk])).content.decode()
    for page, url in ((roster, urls["remove"]), (invitations, urls["withdraw"]), (workshop, urls["cancel"])):
        assert f'href="{url}"' in page and "button--danger" not in page
