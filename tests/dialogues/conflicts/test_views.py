"""Clashes where facilitators act on them (the invitations page before inviting, moving a workshop, scheduling
one), and the roster's search of people on file."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Unavailability
from tests.dialogues.helpers import member, pseudonym_in
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
SECRETS = ("riverstone", "Tamsa", "Carrasco")


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2031, 3, day, hour, tzinfo=OSLO)


@pytest.fixture
def world():
    """Oslo's dialogue and its convenor; Pia Berg (account P-3) facilitates it and a dialogue the convenor
    does not see, which holds a workshop on 13-15 March; a member of Oslo's dialogue (account P-18) is
    unavailable on 12 March. Pages of Oslo's dialogue call the team by name and the member by their
    pseudonym there (decision 0026)."""
    oslo = DialogueFactory(codename="fjordline")
    north = SideFactory(dialogue=oslo, name="North")
    convenor = member(oslo, role=DialogueRole.CONVENOR, pseudonym="P-1")
    elsewhere = DialogueFactory(codename="riverstone", title="Tamsa river basin talks")
    p3 = PersonFactory(pseudonym="P-3", name="Pia Berg", user=UserFactory())
    for dialogue in (oslo, elsewhere):
        services.assign_role(dialogue=dialogue, person=p3, role=DialogueRole.FACILITATOR, by=None)
    there = WorkshopFactory(series__dialogue=elsewhere, starts_at=_at(13), ends_at=_at(15, 17),
                            venue="Hotel Carrasco")  # fmt: skip
    candidate = member(oslo, north, pseudonym="P-18")
    Unavailability.objects.create(
        person=candidate, starts_on=dt.date(2031, 3, 12), ends_on=dt.date(2031, 3, 12)
    )
    here = WorkshopFactory(series__dialogue=oslo, starts_at=_at(1), ends_at=_at(2, 17))
    return {"oslo": oslo, "convenor": convenor, "here": here, "there": there, "candidate": candidate}


def test_the_invite_form_shows_each_members_clashes_before_inviting(client, world):
    here, oslo = world["here"], world["oslo"]
    here.starts_at, here.ends_at = _at(12), _at(14, 17)
    here.save()
    client.force_login(world["convenor"].user)
    body = client.get(reverse("dialogues:invitations", args=[oslo.pk, here.pk])).content.decode()
    called = pseudonym_in(oslo, world["candidate"])
    assert f"({called}) · North · ⚠ unavailable 12 Mar 2031" in body
    assert "Pia Berg (facilitation team) is booked at another workshop on 13\u201315 Mar 2031." in body
    assert "P-18" not in body and "P-3 " not in body
    for secret in SECRETS:
        assert secret not in body


def test_moving_a_workshop_onto_a_clash_asks_before_saving_and_saves_anyway_when_told(client, world):
    here, oslo = world["here"], world["oslo"]
    client.force_login(world["convenor"].user)
    url = reverse("dialogues:workshop_edit", args=[oslo.pk, here.pk])
    data = {"title": "", "starts_at": "2031-03-14T09:00", "ends_at": "2031-03-14T17:00",
            "timezone": "Europe/Oslo", "venue": "", "format": "in_person", "scope": "one"}  # fmt: skip
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "Not saved yet: these dates bring clashes" in body
    assert "Pia Berg (facilitation team) is booked at another workshop on 13\u201315 Mar 2031." in body
    assert 'value="2031-03-14T09:00"' in body  # what was typed stays
    for secret in SECRETS:
        assert secret not in body
    here.refresh_from_db()
    assert here.starts_at == _at(1)

    # "Save anyway" for other dates than the ones warned about checks again.
    stale = {**data, "starts_at": "2031-03-15T09:00", "ends_at": "2031-03-15T17:00",
             "clashes_seen": "2031-03-14T09:00/2031-03-14T17:00/Europe/Oslo"}  # fmt: skip
    assert "Not saved yet" in client.post(url, stale).content.decode()

    response = client.post(url, {**data, "clashes_seen": "2031-03-14T09:00/2031-03-14T17:00/Europe/Oslo"})
    assert response.status_code == 302
    here.refresh_from_db()
    assert here.starts_at == _at(14)
    # The workshop page keeps saying so.
    body = client.get(reverse("dialogues:workshop_detail", args=[oslo.pk, here.pk])).content.decode()
    assert "Pia Berg (facilitation team) is booked at another workshop" in body and "riverstone" not in body


def test_a_move_onto_free_days_or_keeping_the_dates_saves_at_once(client, world):
    here, oslo = world["here"], world["oslo"]
    client.force_login(world["convenor"].user)
    url = reverse("dialogues:workshop_edit", args=[oslo.pk, here.pk])
    data = {"title": "Renamed", "starts_at": "2031-03-20T09:00", "ends_at": "2031-03-21T17:00",
            "timezone": "Europe/Oslo", "venue": "", "format": "in_person", "scope": "one"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    # A refused form is still refused (the service's rule), not a question about clashes.
    response = client.post(url, {**data, "ends_at": "2031-03-13T17:00", "starts_at": "2031-03-14T09:00"})
    assert response.status_code == 400 and "Not saved yet" not in response.content.decode()


def test_scheduling_a_workshop_says_at_once_who_of_the_team_is_booked_elsewhere(client, world):
    oslo = world["oslo"]
    series = SeriesFactory(dialogue=oslo)
    client.force_login(world["convenor"].user)
    data = {"title": "", "starts_at": "2031-03-14T09:00", "ends_at": "2031-03-14T17:00",
            "timezone": "Europe/Oslo", "venue": "", "format": "in_person", "repeat": "none", "interval": "1",
            "count": "", "until": ""}  # fmt: skip
    response = client.post(reverse("dialogues:series_detail", args=[oslo.pk, series.pk]), data, follow=True)
    body = response.content.decode()
    assert "Pia Berg (facilitation team) is booked at another workshop on 13\u201315 Mar 2031." in body
    assert "riverstone" not in body


# --- Finding people on file ---------------------------------------------------------------------------


@pytest.fixture
def roster():
    dialogue = DialogueFactory(codename="fjordline")
    convenor = member(dialogue, role=DialogueRole.CONVENOR, pseudonym="P-1")
    known = member(
        dialogue, pseudonym="P-17", name="José Ferreira", affiliation="Institute of Coastal Studies"
    )
    newcomer = PersonFactory(pseudonym="P-40", name="Joséphine Okafor", affiliation="Harbour Council")
    hidden_dialogue = DialogueFactory(codename="riverstone")
    hidden = member(hidden_dialogue, pseudonym="P-99", name="Josef Hidden", affiliation="Secret Ministry")
    return {
        "dialogue": dialogue,
        "convenor": convenor,
        "known": known,
        "newcomer": newcomer,
        "hidden": hidden,
    }


def _without_token(body: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def _search(client, roster, q):
    client.force_login(roster["convenor"].user)
    return client.get(reverse("dialogues:members", args=[roster["dialogue"].pk]), {"q": q})


def test_search_finds_people_on_file_by_name_fragment_pseudonym_or_affiliation(client, roster):
    body = _search(client, roster, "jose").content.decode()
    assert "José Ferreira" in body and "Joséphine Okafor" in body
    assert "Already in this dialogue" in body  # P-17 is a member already
    assert "?add=P-40#add-heading" in body
    assert "Josef" not in body and "P-99" not in body
    assert "Harbour Council" in _search(client, roster, "harbour c").content.decode()
    assert "Joséphine Okafor" in _search(client, roster, "p-40").content.decode()


def test_someone_outside_the_convenors_scope_reads_exactly_like_nobody(client, roster):
    hidden = _without_token(_search(client, roster, "Secret Ministry").content.decode())
    nobody = _without_token(_search(client, roster, "Nowhere Ministry").content.decode())
    assert "Nobody you can see on file matches “Secret Ministry”." in hidden
    assert hidden.replace("Secret", "Nowhere") == nobody
    assert "P-99" not in hidden and "Josef" not in hidden


def test_a_search_is_audited_with_whom_it_showed_but_not_what_was_typed(client, roster):
    _search(client, roster, "Ferreira")
    event = AuditEvent.objects.filter(action=Action.PEOPLE_SEARCHED).get()
    assert event.actor_id == roster["convenor"].user_id and event.dialogue_id == roster["dialogue"].pk
    assert event.detail == {"shown": ["P-17"], "more": False}
    assert "Ferreira" not in str(event.detail)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("j", "Type at least 2 characters."),
        (" j ", "Type at least 2 characters."),
        ("", "Type part of a name, a pseudonym or an affiliation."),
        ("x" * 101, "Type at most 100 characters."),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_a_bad_search_is_refused_next_to_its_field_and_searches_nothing(client, roster, q, message):
    response = _search(client, roster, q)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.PEOPLE_SEARCHED).exists()


def test_hostile_text_is_searched_as_text(client, roster):
    for q in ("<script>alert(1)</script>", "' OR 1=1 --", "%_%", ".*"):
        response = _search(client, roster, q)
        assert response.status_code == 200 and "<script>alert" not in response.content.decode()
        assert "Nobody you can see on file matches" in response.content.decode()


def test_more_than_the_limit_asks_for_a_narrower_search(client, roster):
    for n in range(21):
        PersonFactory(pseudonym=f"Q-{n:02}", name=f"Marit Solberg {n}")
    body = _search(client, roster, "marit").content.decode()
    assert body.count("Add to this dialogue<") == 20
    assert "More than 20 people match: type more of the name to narrow the search." in body


def test_add_from_a_result_prefills_the_pseudonym_and_adds_with_the_existing_flow(client, roster):
    client.force_login(roster["convenor"].user)
    url = reverse("dialogues:members", args=[roster["dialogue"].pk])
    body = client.get(url, {"add": "P-40"}).content.decode()
    assert 'name="pseudonym" value="P-40"' in body
    response = client.post(url, {"pseudonym": "P-40", "role": DialogueRole.OBSERVER, "side": ""})
    assert response.status_code == 302
    assert roster["newcomer"].memberships.filter(dialogue=roster["dialogue"]).exists()


def test_only_those_who_manage_the_roster_may_search(client, roster):
    facilitator = PersonFactory(user=UserFactory())
    services.assign_role(
        dialogue=roster["dialogue"], person=facilitator, role=DialogueRole.RAPPORTEUR, by=None
    )
    client.force_login(facilitator.user)
    response = client.get(reverse("dialogues:members", args=[roster["dialogue"].pk]), {"q": "jose"})
    assert response.status_code == 404 and "José" not in response.content.decode()
