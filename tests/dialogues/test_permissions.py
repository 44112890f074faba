"""Removal ends access (issue 16 §1): once `revoke_role` takes a person out of a dialogue, the next request of
a session opened before the removal finds nothing of that dialogue, whatever grant rows remain: not the
workshops they were invited to (past ones included), not their agenda or venue, not /me/, the calendar or its
feed, not drafts in review, sealed summaries, the reading room or downloads. They get the page someone never
invited gets."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus, WorkshopStatus
from dialogues.models import PersonalCalendar
from dialogues.personal import services as personal_services
from dialogues.scheduling import services as scheduling
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from participants.models import Membership
from tests.factories import (
    AgendaItemFactory,
    InvitationFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.sealing.services import run_seal_job

pytestmark = pytest.mark.django_db

VENUE = "Fjordhaven House, room 4"
AGENDA = "Fisheries access"
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _page(content: bytes, user) -> bytes:
    """The page without what differs between any two requests: the CSRF token and whose e-mail is shown."""
    return CSRF.sub(rb"\1", content).replace(user.email.encode(), b"")


def _seal(summary, by):
    summaries.request_seal(summary=summary, by=by)
    run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED
    return summary


@pytest.fixture
def programme():
    """A dialogue with two held workshops Amira attended (one summary sealed, one in review), one ahead she is
    invited to, and a colleague, Bo, in the same rooms who is not removed."""
    now = timezone.now()
    series = SeriesFactory(title="Phase 2: fisheries")
    dialogue = series.dialogue
    side = SideFactory(dialogue=dialogue)
    rapporteur = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=rapporteur, role=DialogueRole.RAPPORTEUR, by=None)
    amira, bo = (PersonFactory(user=UserFactory()) for _ in range(2))
    for person in (amira, bo):
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
    held, reviewed = (
        WorkshopFactory(
            series=series,
            venue=VENUE,
            starts_at=now - dt.timedelta(days=days),
            ends_at=now - dt.timedelta(days=days - 1),
            status=WorkshopStatus.HELD,
        )
        for days in (30, 3)
    )
    ahead = WorkshopFactory(series=series, venue=VENUE, starts_at=now + dt.timedelta(days=3))
    for workshop in (held, reviewed, ahead):
        AgendaItemFactory(workshop=workshop, title=AGENDA)
    for workshop in (held, reviewed):
        for person in (amira, bo):
            InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    for person in (amira, bo):
        scheduling.invite_people(workshop=ahead, people=[person], by=None)
        services.sync_person_grants(person=person)  # the invitation factory writes no grant
        membership = Membership.objects.get(person=person, left_on__isnull=True)
        summaries.accept_ground_rules_before_reading(membership=membership, by=person.user)
        PersonalCalendar.objects.update_or_create(user=person.user, defaults={"feed_detail": True})
    writer = rapporteur.user
    sealed = _seal(
        summaries.save_draft(
            summary=summaries.start_summary(workshop=held, by=writer),
            body=f"## {AGENDA}\n\nA board.\n",
            by=writer,
        ),
        writer,
    )
    in_review = summaries.open_review(
        summary=summaries.save_draft(
            summary=summaries.start_summary(workshop=reviewed, by=writer),
            body=f"## {AGENDA}\n\nA.\n",
            by=writer,
        ),
        deadline=now + dt.timedelta(days=5),
        by=writer,
    )
    return SimpleNamespace(
        dialogue=dialogue,
        amira=amira,
        bo=bo,
        rapporteur=rapporteur,
        held=held,
        reviewed=reviewed,
        ahead=ahead,
        sealed=sealed,
        in_review=in_review,
        feed={p.pk: personal_services.issue_feed_token(by=p.user) for p in (amira, bo)},
    )


def _object_urls(p) -> dict[str, str]:
    d = p.dialogue.pk
    return {
        "held workshop": reverse("dialogues:workshop_detail", args=[d, p.held.pk]),
        "reviewed workshop": reverse("dialogues:workshop_detail", args=[d, p.reviewed.pk]),
        "sealed summary": reverse("dialogues:summary_detail", args=[d, p.sealed.pk]),
        "download": reverse("dialogues:summary_download", args=[d, p.sealed.pk]),
        "draft in review": reverse("dialogues:summary_detail", args=[d, p.in_review.pk]),
    }


def _lists(client, p, person) -> str:
    """Everything the person's own pages and feed say, run together."""
    month = p.held.starts_at.strftime("%Y-%m")
    pages = [
        reverse("dialogues:my_workshops"),
        reverse("dialogues:reading_room"),
        reverse("dialogues:calendar_month") + f"?month={month}",
        reverse("dialogues:calendar_agenda"),
    ]
    text = "".join(client.get(page).content.decode() for page in pages)
    return text + client.get(reverse("dialogues:calendar_feed", args=[p.feed[person.pk]])).content.decode()


def test_removal_ends_every_object_of_the_dialogue_on_the_next_request_of_an_open_session(client, programme):
    p = programme
    client.force_login(p.amira.user)  # the session is opened before the removal
    urls = _object_urls(p)
    for what, address in urls.items():
        assert client.get(address).status_code == 200, what
    before = _lists(client, p, p.amira)
    assert VENUE in before and AGENDA in before and "BEGIN:VEVENT" in before

    services.revoke_role(
        dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, by=p.rapporteur.user
    )

    outsider = PersonFactory(user=UserFactory())  # never invited, never a member
    stranger = Client()
    stranger.force_login(outsider.user)
    for what, address in urls.items():
        response, never_invited = client.get(address), stranger.get(address)
        assert response.status_code == 404 and never_invited.status_code == 404, what
        assert _page(response.content, p.amira.user) == _page(never_invited.content, outsider.user), what
    after = _lists(client, p, p.amira)
    assert VENUE not in after and AGENDA not in after and "BEGIN:VEVENT" not in after


def test_removal_changes_nothing_for_the_people_who_stay(client, programme):
    p = programme
    client.force_login(p.bo.user)
    before = _lists(client, p, p.bo)
    services.revoke_role(
        dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, by=p.rapporteur.user
    )
    for what, address in _object_urls(p).items():
        assert client.get(address).status_code == 200, what
    after = _lists(client, p, p.bo)
    assert VENUE in after and AGENDA in after
    for mark in ("BEGIN:VEVENT", VENUE, AGENDA, '<li class="reading-row'):
        assert after.count(mark) == before.count(mark), mark
    client.force_login(p.rapporteur.user)
    for what, address in _object_urls(p).items():
        if what != "download":
            assert client.get(address).status_code == 200, what


def test_coming_back_restores_what_the_grants_still_hold(client, programme):
    """The grants were left in place: a person added back sees their workshops and summaries again."""
    p = programme
    client.force_login(p.amira.user)
    services.revoke_role(
        dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, by=p.rapporteur.user
    )
    side = p.dialogue.sides.first()
    services.assign_role(
        dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, side=side, by=p.rapporteur.user
    )
    urls = _object_urls(p)
    for what in ("held workshop", "sealed summary"):
        assert client.get(urls[what]).status_code == 200, what
