"""After destruction (issue 23): every URL that names the dialogue answers "destroyed on …" to those who held
a role in it (410 Gone; its own page 200), the ordinary 404 to anyone else; lists leave it out; the audit
chain still verifies."""

import re

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from dialogues import services as dialogue_services
from dialogues.destruction import services
from dialogues.enums import DialogueRole
from tests.access.test_access_matrix import url_names
from tests.dialogues.destruction.conftest import REASON, client_for
from tests.factories import UserFactory
from trackii.audit.verification import verify_chain
from trackii.datakeys import key_path, reconcile_missing
from trackii.models import DataKey

pytestmark = pytest.mark.django_db
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "x"}


@pytest.fixture
def destroyed(place, django_capture_on_commit_callbacks):
    """Destroyed as in production: the key's file is gone once the destruction commits."""
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_destruction(destruction=destruction, by=place.second.user)
    return place


def dialogue_urls(dialogue_id: int) -> list[str]:
    """Every URL of the project that names a dialogue, with sample values for its other parts."""
    urls = []
    for name, (route, _module) in url_names().items():
        kwargs = {
            key: (dialogue_id if key == "dialogue_id" else SAMPLE[kind or "str"])
            for kind, key in ARGUMENT.findall(route)
        }
        if "dialogue_id" not in kwargs:
            continue
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            pytest.fail(f"{name} could not be reversed with {kwargs}")
    return urls


def test_every_page_of_the_dialogue_is_gone_for_its_members(destroyed):
    urls = dialogue_urls(destroyed.dialogue.pk)
    assert len(urls) > 40  # the walk found the dialogue's pages (workshops, summaries, insight, logins…)
    own_page = reverse("dialogues:dialogue_detail", args=[destroyed.dialogue.pk])
    destruction_page = reverse("dialogues:destruction", args=[destroyed.dialogue.pk])
    for who in (destroyed.first, destroyed.participant):
        client = client_for(who)
        for url in urls:
            answer = client.get(url)
            wanted = 200 if url == own_page or (url == destruction_page and who is destroyed.first) else 410
            assert answer.status_code == wanted, (url, answer.status_code)
            assert b"was destroyed" in answer.content
            assert b"Serran" not in answer.content and b"Northern" not in answer.content
        assert client.post(urls[0], {}).status_code in {200, 410}


def test_the_destroyed_page_says_when_who_and_why(destroyed):
    page = client_for(destroyed.participant).get(
        reverse("dialogues:workshop_detail", args=[destroyed.dialogue.pk, destroyed.workshop.pk])
    )

    assert page.status_code == 410
    assert b"C-1" in page.content and b"C-2" in page.content
    assert REASON.encode() in page.content
    assert b"names, notes, venues, agendas, summaries, comments and PDFs are unreadable" in page.content


def test_anyone_without_a_role_gets_the_missing_page(destroyed):
    for client in (client_for(destroyed.other_convenor), _login(UserFactory())):
        for url in dialogue_urls(destroyed.dialogue.pk):
            answer = client.get(url)
            assert answer.status_code in {404, 405}, (url, answer.status_code)
            assert b"was destroyed" not in answer.content


def _login(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name", ["home", "dialogues:calendar_month", "dialogues:calendar_agenda", "dialogues:my_workshops"]
)
def test_lists_leave_the_destroyed_dialogue_out(destroyed, name):
    for who in (destroyed.first, destroyed.participant):
        page = client_for(who).get(reverse(name))
        assert page.status_code == 200
        assert f"/dialogues/{destroyed.dialogue.pk}/".encode() not in page.content
        assert b"Quota talks" not in page.content


def test_programme_insight_and_reading_room_leave_it_out(destroyed):
    for name in ("dialogues:programme_insight", "dialogues:reading_room"):
        page = client_for(destroyed.first).get(reverse(name))
        assert f"/dialogues/{destroyed.dialogue.pk}/".encode() not in page.content, name


def test_the_other_dialogue_reads_as_before(destroyed):
    page = client_for(destroyed.other_convenor).get(
        reverse("dialogues:dialogue_detail", args=[destroyed.other.pk])
    )

    assert page.status_code == 200
    assert b"Other talks" in page.content


def test_audit_chain_verifies_after_destruction(destroyed, capsys):
    report = verify_chain(checkpoints=False)

    assert report.ok, report.problem
    call_command("verify_audit", "--no-checkpoint")
    assert "Audit chain intact" in capsys.readouterr().out


def test_a_dialogue_whose_key_a_restored_backup_lacks_says_it_was_destroyed_since(place):
    """A database restored from a backup made before the destruction holds no destruction record, only a key
    the keystore no longer has (`restore` marks it destroyed, decision 0025): its pages say so."""
    key_path(place.dialogue.data_key_id).unlink()  # the keystore lost it after the backup was made
    assert reconcile_missing() == [place.dialogue.data_key_id]  # what restore does
    client = client_for(place.participant)
    page = client.get(reverse("dialogues:dialogue_detail", args=[place.dialogue.pk]))
    assert page.status_code == 200
    assert b"destroyed after the backup this installation was restored from was made" in page.content
    members = client.get(reverse("dialogues:members", args=[place.dialogue.pk]))
    assert members.status_code == 410
    stranger = client_for(place.other_convenor)
    assert stranger.get(reverse("dialogues:dialogue_detail", args=[place.dialogue.pk])).status_code == 404


def test_a_destruction_on_record_counts_even_if_the_key_row_was_reset(destroyed):
    """A database administrator who sets the key's row back to "not destroyed" does not revive the dialogue's
    pages: the destruction's own row still says so (attack, issue 23)."""
    DataKey.objects.filter(pk=destroyed.dialogue.data_key_id).update(destroyed_at=None)
    client = client_for(destroyed.participant)
    assert client.get(reverse("dialogues:members", args=[destroyed.dialogue.pk])).status_code == 410


def test_a_value_under_a_destroyed_key_answers_gone_not_an_error(client, settings):
    """The safety net behind every view (DataKeyScopeMiddleware): a value under a destroyed key that a view
    reaches after letting the user in is 410 Gone with a page that says so, never a 500."""
    settings.ROOT_URLCONF = "tests.destroyed_urls"
    client.force_login(UserFactory())
    response = client.get("/test/destroyed/")
    assert response.status_code == 410 and b"This was destroyed" in response.content


def test_a_removed_convenors_open_session_gets_not_found_on_the_destruction_pages(place):
    """A convenor removed while their session stays open: the destruction's pages answer 404 on the very next
    request, GET and POST alike, as for a dialogue that does not exist (decision 0017)."""
    client = client_for(place.first)
    page = reverse("dialogues:destruction", args=[place.dialogue.pk])
    assert client.get(page).status_code == 200
    dialogue_services.revoke_role(
        dialogue=place.dialogue, person=place.first, role=DialogueRole.CONVENOR, by=place.second.user
    )
    for name in ("destruction", "destruction_confirm", "destruction_withdraw"):
        url = reverse(f"dialogues:{name}", args=[place.dialogue.pk])
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"reason": REASON, "confirmed": "yes"}).status_code == 404, url
