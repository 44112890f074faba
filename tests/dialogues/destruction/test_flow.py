"""Destroying a concluded dialogue through its pages (issue 23): one convenor asks with a reason, a
different convenor confirms on the confirmation page, either may withdraw; every refusal in words."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues.destruction import services
from dialogues.enums import DialogueStatus
from dialogues.models import AgendaItem, DialogueDestruction, Notification, Outcome, Side, WorkshopSeries
from tests.dialogues.destruction.conftest import REASON, client_for, convenor_of
from tests.factories import DialogueFactory
from trackii.accounts.models import AccountInvitation
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.crypto import Shredded
from trackii.datakeys import key_path
from trackii.models import DataKey

pytestmark = pytest.mark.django_db


def _url(name, dialogue):
    return reverse(f"dialogues:{name}", args=[dialogue.pk])


def _ask(client, dialogue, reason=REASON):
    return client.post(_url("destruction", dialogue), {"reason": reason})


def test_dialogue_page_offers_destruction_to_a_concluded_dialogues_convenor(place):
    page = client_for(place.first).get(_url("dialogue_detail", place.dialogue))

    assert _url("destruction", place.dialogue).encode() in page.content
    assert b"Destroy this dialogue" in page.content


def test_dialogue_page_offers_nothing_to_a_participant(place):
    page = client_for(place.participant).get(_url("dialogue_detail", place.dialogue))

    assert page.status_code == 200
    assert b"Destroy this dialogue" not in page.content


def test_two_convenors_destroy_the_dialogue(place, django_capture_on_commit_callbacks):
    first, second = client_for(place.first), client_for(place.second)

    asked = _ask(first, place.dialogue)
    assert asked.status_code == 302
    page = second.get(_url("destruction", place.dialogue))
    assert REASON.encode() in page.content and b"C-1" in page.content
    question = second.get(_url("destruction_confirm", place.dialogue))
    assert question.status_code == 200
    assert b"This cannot be undone." in question.content
    assert b"not from a backup" in question.content
    assert DialogueDestruction.objects.get().destroyed_at is None  # asking destroys nothing
    with django_capture_on_commit_callbacks(execute=False) as queued:
        done = second.post(_url("destruction_confirm", place.dialogue), {"confirmed": "yes"})

    assert done.status_code == 302
    assert len(queued) == 2  # the key's file removed and the convenors' e-mail, once it has committed
    destruction = DialogueDestruction.objects.get()
    assert destruction.destroyed_at is not None
    assert (destruction.requested_by, destruction.confirmed_by) == (place.first.user, place.second.user)
    # Its key is destroyed; the file goes once the transaction commits (test_pages reads the words then).
    assert DataKey.objects.get(pk=place.dialogue.data_key_id).destroyed
    assert sorted(Side.objects.filter(dialogue=place.dialogue).values_list("name", flat=True)) == [
        "Side 1",
        "Side 2",
    ]
    assert not Outcome.objects.filter(transfer_to__contains="Ministry").exists()
    assert not Notification.objects.filter(workshop=place.workshop, sent_at__isnull=True).exists()
    place.link.refresh_from_db()
    assert place.link.revoked_at is not None
    row = AuditEvent.objects.get(action=Action.DIALOGUE_DESTROYED)
    assert row.detail["dialogue"] == place.dialogue.pk and row.detail["destruction"] == destruction.pk
    assert REASON not in str(row.detail) and "Serran" not in str(row.detail)
    # The other dialogue is untouched.
    place.other.refresh_from_db()
    assert place.other.title == "Other talks"


def test_convenors_are_told_by_codename_only(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    services.confirm_destruction(destruction=destruction, by=place.second.user)

    assert services.tell_convenors_of_destruction(destruction_id=destruction.pk) == 2
    assert services.tell_convenors_of_destruction(destruction_id=destruction.pk) == 0  # once
    assert sorted(m.to[0] for m in mail.outbox) == sorted([place.first.user.email, place.second.user.email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert "tidewater" in message.body
        for secret in ("Serran", "fisheries", "Northern", "Quota", "Fjordhaven", "Amira", REASON):
            assert secret not in text


def test_the_same_convenor_cannot_confirm(place):
    client = client_for(place.first)
    _ask(client, place.dialogue)

    page = client.get(_url("destruction", place.dialogue))
    refused = client.post(_url("destruction_confirm", place.dialogue), {"confirmed": "yes"}, follow=True)

    assert b"A different convenor of this dialogue must confirm it." in page.content
    assert b"a different convenor of the dialogue must confirm it" in refused.content
    assert DialogueDestruction.objects.get().destroyed_at is None


def test_either_convenor_withdraws_and_one_may_ask_again(place):
    _ask(client_for(place.first), place.dialogue)

    withdrawn = client_for(place.second).post(_url("destruction_withdraw", place.dialogue), follow=True)

    assert b"Nothing was destroyed" in withdrawn.content
    assert b"Withdrawn requests" in withdrawn.content
    assert _ask(client_for(place.second), place.dialogue).status_code == 302
    assert DialogueDestruction.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert client_for(place.first).get(_url("destruction_confirm", place.dialogue)).status_code == 200
    assert list(
        AuditEvent.objects.filter(action__startswith="dialogue_destruction")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        Action.DIALOGUE_DESTRUCTION_REQUESTED,
        Action.DIALOGUE_DESTRUCTION_WITHDRAWN,
        Action.DIALOGUE_DESTRUCTION_REQUESTED,
    ]


def test_a_dialogue_not_concluded_is_refused(place):
    open_one = DialogueFactory(codename="riverstone", status=DialogueStatus.ACTIVE)
    convenor = convenor_of(open_one)
    convenor_of(open_one)

    page = client_for(convenor).get(_url("destruction", open_one))
    refused = _ask(client_for(convenor), open_one)

    assert b"Only a concluded dialogue can be destroyed" in page.content
    assert refused.status_code == 400
    assert b"Only a concluded dialogue can be destroyed" in refused.content
    assert not DialogueDestruction.objects.exists()


def test_a_dialogue_with_one_convenor_is_refused(place):
    lonely = DialogueFactory(codename="riverstone", status=DialogueStatus.CONCLUDED)
    convenor = convenor_of(lonely)

    refused = _ask(client_for(convenor), lonely)

    assert refused.status_code == 400
    assert b"has only one convenor who can sign in" in refused.content


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("", b"Say why the dialogue is destroyed"),
        ("   \n ", b"Say why the dialogue is destroyed"),
        ("Ended\u202e gnp.exe", b"invisible control characters"),
        ("Ended\x00", b"Null characters are not allowed"),
        ("x" * 1001, b"1000 characters"),
    ],
)
def test_a_hostile_or_missing_reason_is_refused_next_to_its_field(place, reason, words):
    refused = _ask(client_for(place.first), place.dialogue, reason)

    assert refused.status_code == 400
    assert words in refused.content
    assert not DialogueDestruction.objects.exists()


def test_markup_in_the_reason_is_shown_as_text(place):
    _ask(client_for(place.first), place.dialogue, "<script>alert(1)</script> ended")

    page = client_for(place.second).get(_url("destruction", place.dialogue))

    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;" in page.content


def test_an_already_destroyed_dialogue_is_refused(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    services.confirm_destruction(destruction=destruction, by=place.second.user)

    with pytest.raises(Exception, match="already destroyed"):
        services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    with pytest.raises(Exception, match="already destroyed"):
        services.confirm_destruction(destruction=destruction, by=place.first.user)
    with pytest.raises(Exception, match="already destroyed"):
        services.withdraw_destruction(destruction=destruction, by=place.first.user)
    again = client_for(place.first).post(_url("destruction_confirm", place.dialogue), {"confirmed": "yes"})
    assert again.status_code == 410


def test_a_convenor_of_another_dialogue_gets_the_missing_page(place):
    _ask(client_for(place.first), place.dialogue)
    stranger = client_for(place.other_convenor)

    for name in ("destruction", "destruction_confirm"):
        assert stranger.get(_url(name, place.dialogue)).status_code == 404
    assert stranger.post(_url("destruction_withdraw", place.dialogue)).status_code == 404
    assert client_for(place.participant).get(_url("destruction", place.dialogue)).status_code == 404
    assert DialogueDestruction.objects.get().withdrawn_at is None


def test_a_pending_login_link_and_mail_of_another_dialogue_stay(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    other_link = AccountInvitation.objects.create(
        person=place.participant,
        dialogue=place.other,
        nonce="m" * 64,
        token_hash="k" * 64,
        expires_at=place.link.expires_at,
    )

    services.confirm_destruction(destruction=destruction, by=place.second.user)

    other_link.refresh_from_db()
    assert other_link.revoked_at is None


def test_the_dialogues_values_are_unreadable_after_destruction(place, django_capture_on_commit_callbacks):
    key_id = place.dialogue.data_key_id
    assert key_path(key_id).exists()
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_destruction(destruction=destruction, by=place.second.user)

    assert DataKey.objects.get(pk=key_id).destroyed_at is not None
    assert not key_path(key_id).exists()
    venue = type(place.workshop).objects.get(pk=place.workshop.pk).venue
    assert isinstance(venue, Shredded) and not venue
    place.dialogue.refresh_from_db()
    words = [
        place.dialogue.title,
        place.dialogue.conflict,
        *AgendaItem.objects.filter(workshop__series__dialogue=place.dialogue).values_list("title", flat=True),
        *WorkshopSeries.objects.filter(dialogue=place.dialogue).values_list("title", flat=True),
        *Outcome.objects.filter(dialogue=place.dialogue).values_list("evidence", flat=True),
    ]
    assert len(words) >= 5 and all(isinstance(word, Shredded) for word in words)
    # The other dialogue's values still read.
    other = type(place.other_workshop).objects.get(pk=place.other_workshop.pk)
    assert other.venue == "Fjordhaven Conference House, room 3"


def test_confirmation_checks_again_that_the_dialogue_is_concluded(place):
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    # Conclusion is final (DIALOGUE_TRANSITIONS); the confirmation does not take that on trust.
    type(place.dialogue).objects.filter(pk=place.dialogue.pk).update(status=DialogueStatus.ACTIVE)

    refused = client_for(place.second).post(
        _url("destruction_confirm", place.dialogue), {"confirmed": "yes"}, follow=True
    )

    assert b"Only a concluded dialogue can be destroyed" in refused.content
    destruction.refresh_from_db()
    assert destruction.destroyed_at is None


def test_the_confirmation_says_what_is_blanked_and_which_backups_to_retire(place):
    _ask(client_for(place.first), place.dialogue)

    page = client_for(place.second).get(_url("destruction_confirm", place.dialogue)).content.decode()

    assert "the sides become “Side 1”, “Side 2”" in page
    assert "its title, conflict and ground rules" in page  # under the key, not overwritten
    assert "replaced by neutral placeholders" not in page
    assert "Backups made before that move still hold everything" in page and "retire them" in page


def test_a_dialogue_whose_values_are_not_under_its_key_is_not_destroyed(place):
    """A database administrator swapped two dialogues' keys: destroying this one would leave its values
    readable and take the other's. Refused, nothing destroyed (attack, issue 23)."""
    Dialogue = type(place.dialogue)
    mine, theirs = place.dialogue.data_key_id, place.other.data_key_id
    Dialogue.objects.filter(pk=place.dialogue.pk).update(data_key_id=theirs)
    Dialogue.objects.filter(pk=place.other.pk).update(data_key_id=mine)
    place.dialogue.refresh_from_db()
    destruction = services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)
    with pytest.raises(ValidationError, match="not all under its own key"):
        services.confirm_destruction(destruction=destruction, by=place.second.user)
    assert not DataKey.objects.filter(pk__in=[mine, theirs], destroyed_at__isnull=False).exists()
