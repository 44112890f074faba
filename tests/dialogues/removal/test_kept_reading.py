"""Removal with the convenor's choice to leave read access (issue 16 §1): off by default, everything of the
dialogue ends on the next request of a session opened before; ticked, the former member still reads the
sealed summaries of the workshops they attended (the page and their copy), and nothing else of the
dialogue. The choice is audited, shown on the roster and can be withdrawn there, audited too."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.models import Notification, SummaryCopy
from dialogues.scheduling import services as scheduling
from dialogues.summaries import services as summaries
from participants.models import Membership
from tests.dialogues.helpers import pseudonym_in
from tests.dialogues.test_permissions import AGENDA, VENUE, _lists, _object_urls, _seal
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _membership(p):
    return Membership.objects.get(person=p.amira, dialogue=p.dialogue)


def _remove(convenor_client, p, **data):
    url = reverse("dialogues:member_remove", args=[p.dialogue.pk, _membership(p).pk])
    response = convenor_client.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def _sealed(p) -> str:
    return reverse("dialogues:summary_detail", args=[p.dialogue.pk, p.sealed.pk])


def _download(p) -> str:
    return reverse("dialogues:summary_download", args=[p.dialogue.pk, p.sealed.pk])


def _revoked(p) -> AuditEvent:
    return AuditEvent.objects.filter(action=Action.ROLE_REVOKED, dialogue_id=p.dialogue.pk).latest("id")


def test_removal_by_default_ends_the_sealed_summaries_too(client, programme, convenor, convenor_client):
    p = programme
    client.force_login(p.amira.user)  # opened before the removal
    assert client.get(_sealed(p)).status_code == 200

    said = _remove(convenor_client, p)  # the box left unticked

    called = pseudonym_in(p.dialogue, p.amira)
    assert said == [
        f"{called} was removed from this dialogue. Their access ended now. To undo, add them "
        "again with “Add a person” below."
    ]
    for what, address in _object_urls(p).items():
        assert client.get(address).status_code == 404, what
    assert '<li class="reading-row' not in client.get(reverse("dialogues:reading_room")).content.decode()
    event = _revoked(p)
    assert event.actor_id == convenor.user.pk and event.detail["kept_sealed_summaries"] is False


def test_ticked_removal_leaves_the_sealed_summaries_of_attended_workshops_and_nothing_else(
    client, programme, convenor, convenor_client
):
    p = programme
    client.force_login(p.amira.user)
    dialogue_page = reverse("dialogues:dialogue_detail", args=[p.dialogue.pk])
    ahead = reverse("dialogues:workshop_detail", args=[p.dialogue.pk, p.ahead.pk])
    ground_rules = reverse("dialogues:ground_rules", args=[p.dialogue.pk])
    for address in (dialogue_page, ahead, ground_rules, *_object_urls(p).values()):
        assert client.get(address).status_code == 200, address

    said = _remove(convenor_client, p, keep_sealed_summaries="on")

    called = pseudonym_in(p.dialogue, p.amira)
    assert said == [
        f"{called} was removed from this dialogue and keeps read access to 1 sealed summary of "
        "workshops they attended. Everything else of the dialogue ended for them now. To undo, add them "
        "again with “Add a person” below."
    ]
    # The same session: the sealed summary reads, and its copy downloads...
    page = client.get(_sealed(p))
    body = page.content.decode()
    assert page.status_code == 200 and "A board." in body
    copy = client.get(_download(p))
    assert copy.status_code == 200 and copy["Content-Type"] == "application/pdf"
    room = client.get(reverse("dialogues:reading_room")).content.decode()
    assert room.count('<li class="reading-row') == 1 and _sealed(p) in room
    # ...and the page links to nothing that would now be missing.
    for address in (
        dialogue_page,
        ground_rules,
        reverse("dialogues:workshop_detail", args=[p.dialogue.pk, p.held.pk]),
    ):
        assert f'href="{address}"' not in body, address
    # Nothing else of the dialogue: workshops (the one attended too), agenda, venue, the draft in review, the
    # dialogue page, its ground rules, /me/, the calendar and its feed.
    urls = _object_urls(p)
    for what in ("held workshop", "reviewed workshop", "draft in review"):
        assert client.get(urls[what]).status_code == 404, what
    for address in (dialogue_page, ahead, ground_rules):
        assert client.get(address).status_code == 404, address
    everything = _lists(client, p, p.amira)
    assert VENUE not in everything and AGENDA not in everything and "BEGIN:VEVENT" not in everything
    assert _revoked(p).detail["kept_sealed_summaries"] is True
    roster = convenor_client.get(reverse("dialogues:members", args=[p.dialogue.pk])).content.decode()
    assert "Kept read access to 1 sealed summary" in roster


def test_kept_reading_follows_the_attendance_as_recorded(client, programme, convenor_client):
    """A corrected attendance (she was not in the room after all) ends it on the next request."""
    p = programme
    client.force_login(p.amira.user)
    _remove(convenor_client, p, keep_sealed_summaries="on")
    assert client.get(_sealed(p)).status_code == 200
    invitation = p.held.invitations.get(person=p.amira)
    scheduling.record_attendance(invitation=invitation, status=InvitationStatus.ABSENT, by=p.rapporteur.user)
    assert client.get(_sealed(p)).status_code == 404
    assert client.get(_download(p)).status_code == 404


def test_convenor_withdraws_what_was_kept_later_audited(client, programme, convenor, convenor_client):
    p = programme
    client.force_login(p.amira.user)
    _remove(convenor_client, p, keep_sealed_summaries="on")
    withdraw = reverse("dialogues:kept_summaries_withdraw", args=[p.dialogue.pk, _membership(p).pk])

    asked = convenor_client.get(withdraw)
    assert asked.status_code == 200 and "cannot be given back" in asked.content.decode()
    assert convenor_client.post(withdraw).status_code == 200  # without the confirmation: asked again
    assert client.get(_sealed(p)).status_code == 200 and not AuditEvent.objects.filter(
        action=Action.SUMMARY_ACCESS_WITHDRAWN
    )

    response = convenor_client.post(withdraw, {"confirmed": "yes"})

    assert response.status_code == 302
    assert client.get(_sealed(p)).status_code == 404 and client.get(_download(p)).status_code == 404
    event = AuditEvent.objects.get(action=Action.SUMMARY_ACCESS_WITHDRAWN)
    assert event.actor_id == convenor.user.pk and event.dialogue_id == p.dialogue.pk
    assert event.detail == {"person": p.amira.pseudonym}
    roster = convenor_client.get(reverse("dialogues:members", args=[p.dialogue.pk])).content.decode()
    assert "Kept read access" not in roster and withdraw not in roster
    # Again: nothing left to withdraw, nothing audited.
    convenor_client.post(withdraw, {"confirmed": "yes"})
    assert AuditEvent.objects.filter(action=Action.SUMMARY_ACCESS_WITHDRAWN).count() == 1


def test_coming_back_clears_the_choice(client, programme, convenor):
    """Added back, then removed without the choice: the earlier choice does not linger."""
    p = programme
    client.force_login(p.amira.user)
    by = convenor.user
    services.revoke_role(
        dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, by=by, keep_sealed_summaries=True
    )
    side = p.dialogue.sides.first()
    services.assign_role(dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, side=side, by=by)
    assert _membership(p).keeps_sealed_summaries is False
    services.revoke_role(dialogue=p.dialogue, person=p.amira, role=DialogueRole.PARTICIPANT, by=by)
    assert client.get(_sealed(p)).status_code == 404


def test_only_someone_who_left_keeps_anything_in_the_database(programme):
    with pytest.raises(IntegrityError):
        Membership.objects.filter(pk=_membership(programme).pk).update(keeps_sealed_summaries=True)


def test_the_removal_drops_unsent_e_mails_even_when_summaries_are_kept(programme, convenor_client):
    p = programme
    assert Notification.objects.filter(person=p.amira, sent_at__isnull=True).exists()
    _remove(convenor_client, p, keep_sealed_summaries="on")
    assert not Notification.objects.filter(person=p.amira, sent_at__isnull=True).exists()


def test_what_is_kept_is_what_was_sealed_before_the_removal(client, programme, convenor, convenor_client):
    """Summaries sealed after she left, a first sealing of a workshop she attended or an amendment of one she
    keeps, are new text of the dialogue: they reach neither her page nor her copies, and the roster's count
    stays what the convenor chose from. The version she was left stays readable."""
    p = programme
    client.force_login(p.amira.user)
    _remove(convenor_client, p, keep_sealed_summaries="on")
    writer = p.rapporteur.user
    closed = summaries.close_review(summary=p.in_review, by=writer, now=timezone.now() + dt.timedelta(days=6))
    first = _seal(closed, writer)
    amendment = summaries.save_draft(
        summary=summaries.amend_summary(summary=p.sealed, by=writer), body="## Added later\n\nB.\n", by=writer
    )
    amendment = _seal(amendment, writer)

    for later in (first, amendment):
        assert not SummaryCopy.objects.filter(summary=later, holder=p.amira).exists()
        for view in ("dialogues:summary_detail", "dialogues:summary_download"):
            assert client.get(reverse(view, args=[p.dialogue.pk, later.pk])).status_code == 404, view
        # Bo, still a member and in the same rooms, is in both audiences.
        assert SummaryCopy.objects.filter(summary=later, holder=p.bo, audience=True).exists()
    assert client.get(_sealed(p)).status_code == 200  # the version she was left, now superseded
    roster = convenor_client.get(reverse("dialogues:members", args=[p.dialogue.pk])).content.decode()
    assert "Kept read access to 1 sealed summary" in roster
