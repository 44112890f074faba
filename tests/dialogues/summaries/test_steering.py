"""The facilitators steer a review round (issue 18): close early with a reason, a later deadline, a reminder
by e-mail (codename only, once a day at most), who has responded, an accepted correction applied in one step,
and attendees without a login who no longer hold the round up. Services, then pages through the test
client."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import (
    DialogueRole,
    InvitationStatus,
    NotificationKind,
    ReviewCommentStatus,
    SummaryStatus,
    WorkshopStatus,
)
from dialogues.models import Notification, ReviewComment, Summary
from dialogues.scheduling import notifications
from dialogues.summaries import selectors
from dialogues.summaries import services as summaries
from dialogues.summaries.steering import services as steering
from tests.dialogues.helpers import pseudonym_in, shows
from tests.factories import (
    AgendaItemFactory,
    InvitationFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BODY = (
    "## Fisheries access\n\nThe group explored a joint licensing\nboard for the banks.\n\n"
    "## Next steps\n\nA paper.\n"
)


@pytest.fixture
def room():
    """A held workshop: a rapporteur, two attendees with logins, one without, one absent; an outsider."""
    now = timezone.now()
    workshop = WorkshopFactory(
        starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=2), status=WorkshopStatus.HELD
    )
    dialogue = workshop.series.dialogue
    side = SideFactory(dialogue=dialogue)
    AgendaItemFactory(workshop=workshop, title="Fisheries access")
    rapporteur = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=rapporteur, role=DialogueRole.RAPPORTEUR, by=None)
    people = {}
    for key, name, login in (
        ("amira", "Amira Haddad", True),
        ("bo", "Bo Lindqvist", True),
        ("chen", "Chen Wei", False),
        ("absent", "Dara Okafor", True),
    ):
        person = PersonFactory(name=name, user=UserFactory() if login else None)
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
        status = InvitationStatus.ABSENT if key == "absent" else InvitationStatus.ATTENDED
        InvitationFactory(workshop=workshop, person=person, status=status)
        people[key] = person
    outsider = PersonFactory(user=UserFactory())
    summary = summaries.save_draft(
        summary=summaries.start_summary(workshop=workshop, by=rapporteur.user), body=BODY, by=rapporteur.user
    )
    summary = summaries.open_review(summary=summary, deadline=now + dt.timedelta(days=5), by=rapporteur.user)
    return SimpleNamespace(
        workshop=workshop,
        dialogue=dialogue,
        rapporteur=rapporteur,
        outsider=outsider,
        summary=summary,
        **people,
    )


def url(name: str, summary: Summary) -> str:
    return reverse(f"dialogues:{name}", args=[summary.workshop.series.dialogue_id, summary.pk])


def actions(summary: Summary) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(summary.pk), target_type="dialogues.summary")
        .order_by("id")
        .values_list("action", flat=True)
    )


def accepted_correction(room, *, quote="joint licensing board", suggested="shared licensing office"):
    comment = summaries.add_review_comment(
        summary=room.summary,
        person=room.amira,
        section="Fisheries access",
        body="Not a board.",
        suggested_text=suggested,
        quote=quote,
        by=room.amira.user,
    )
    summaries.respond_to_comment(
        comment=comment, status=ReviewCommentStatus.ACCEPTED, by=room.rapporteur.user
    )
    return comment


# --- Who counts, and who has responded ----------------------------------------------------------------------


def test_progress_counts_only_attendees_who_can_respond(room):
    roster = {row.pseudonym: row.state for row in selectors.review_roster(summary=room.summary)}
    called = {person: pseudonym_in(room.dialogue, person) for person in (room.amira, room.bo, room.chen)}
    assert roster == {
        called[room.amira]: "waiting",
        called[room.bo]: "waiting",
        called[room.chen]: "cannot",
    }
    summaries.sign_off_review(summary=room.summary, person=room.amira, by=room.amira.user)
    progress = selectors.review_progress(summary=room.summary)
    assert (progress.reviewers, progress.responded, progress.attendees) == (2, 1, 3)
    summaries.sign_off_review(summary=room.summary, person=room.bo, by=room.bo.user)
    # Chen has no login and has not responded: the round may close all the same, without a reason.
    assert selectors.review_progress(summary=room.summary).complete
    closed = summaries.close_review(summary=room.summary, by=room.rapporteur.user)
    assert closed.status == SummaryStatus.DRAFT and closed.review_closed_early_at is None


def test_a_removed_attendee_no_longer_holds_the_round_up(room):
    summaries.sign_off_review(summary=room.summary, person=room.amira, by=room.amira.user)
    services.revoke_role(dialogue=room.dialogue, person=room.bo, role=DialogueRole.PARTICIPANT, by=None)
    assert selectors.review_progress(summary=room.summary).complete


# --- Close early --------------------------------------------------------------------------------------------


def test_close_early_needs_a_reason_and_keeps_it(room):
    with pytest.raises(ValidationError, match="now with a reason"):
        summaries.close_review(summary=room.summary, reason="   ", by=room.rapporteur.user)
    with pytest.raises(ValidationError) as too_long:
        summaries.close_review(summary=room.summary, reason="x" * 1001, by=room.rapporteur.user)
    assert "reason" in too_long.value.message_dict
    assert Summary.objects.get(pk=room.summary.pk).status == SummaryStatus.IN_REVIEW
    closed = summaries.close_review(
        summary=room.summary, reason="Most attendees have no login.", by=room.rapporteur.user
    )
    assert closed.status == SummaryStatus.DRAFT and closed.review_closed_early_at is not None
    assert Summary.objects.get(pk=room.summary.pk).review_close_reason == "Most attendees have no login."
    assert not room.amira.user.has_perm("dialogues.review_summary", closed)
    event = AuditEvent.objects.filter(action=Action.REVIEW_CLOSED_EARLY).get()
    assert event.detail == {"reviewers": 2, "responded": 0} and event.actor_id == room.rapporteur.user.pk
    # A new round starts unsteered.
    reopened = summaries.open_review(
        summary=closed, deadline=timezone.now() + dt.timedelta(days=2), by=room.rapporteur.user
    )
    assert reopened.review_closed_early_at is None and reopened.review_close_reason == ""


# --- Extend -------------------------------------------------------------------------------------------------


def test_extend_moves_the_deadline_later_only(room):
    current = room.summary.review_deadline
    for bad in (timezone.now() - dt.timedelta(hours=1), current - dt.timedelta(hours=1)):
        with pytest.raises(ValidationError) as refused:
            steering.extend_review(summary=room.summary, deadline=bad, by=room.rapporteur.user)
        assert list(refused.value.message_dict) == ["review_deadline"]
    later = current + dt.timedelta(days=3)
    assert (
        steering.extend_review(summary=room.summary, deadline=later, by=room.rapporteur.user).review_deadline
        == later
    )
    steering.extend_review(summary=room.summary, deadline=later, by=room.rapporteur.user)
    assert actions(room.summary).count(Action.REVIEW_EXTENDED) == 1


# --- Remind -------------------------------------------------------------------------------------------------


def test_remind_tells_only_who_can_respond_and_has_not_once_a_day(room, mailoutbox):
    summaries.sign_off_review(summary=room.summary, person=room.bo, by=room.bo.user)
    now = timezone.now()
    assert steering.remind_reviewers(summary=room.summary, by=room.rapporteur.user, now=now) == 1
    reminded = Notification.objects.filter(kind=NotificationKind.REMINDER).values_list("person", flat=True)
    assert list(reminded) == [room.amira.pk]
    with pytest.raises(ValidationError, match=r"A reminder went on .* The next one can go from"):
        steering.remind_reviewers(
            summary=room.summary, by=room.rapporteur.user, now=now + dt.timedelta(hours=2)
        )
    assert steering.remind_reviewers(
        summary=room.summary, by=room.rapporteur.user, now=now + dt.timedelta(hours=25)
    )
    assert actions(room.summary).count(Action.REVIEW_REMINDED) == 2


def test_reminder_e_mail_names_only_the_codename(room, mailoutbox):
    Notification.objects.all().delete()  # the review's own invitations
    now = timezone.now()
    steering.remind_reviewers(summary=room.summary, by=room.rapporteur.user, now=now)
    assert notifications.deliver_notifications(now=now + dt.timedelta(minutes=3)) == 2
    for message in mailoutbox:
        subject = f"{room.workshop.neutral_label}: reminder: the summary waits for your review"
        assert message.subject == subject
        assert "/summaries/" in message.body or "Summaries" in message.body
        for secret in ("Amira", "Haddad", "Bo", "licensing", room.dialogue.title, room.amira.pseudonym):
            assert secret not in message.subject and secret not in message.body


def test_nobody_to_remind_is_refused(room):
    for person in (room.amira, room.bo):
        summaries.sign_off_review(summary=room.summary, person=person, by=person.user)
    with pytest.raises(ValidationError, match="nobody to remind"):
        steering.remind_reviewers(summary=room.summary, by=room.rapporteur.user)
    assert not Notification.objects.filter(kind=NotificationKind.REMINDER).exists()


# --- Apply a correction -------------------------------------------------------------------------------------


def test_a_quote_must_be_in_the_draft_and_come_with_a_replacement(room):
    for quote, suggested, field in (("joint board", "x", "quote"), ("joint licensing", "", "suggested_text")):
        with pytest.raises(ValidationError) as refused:
            summaries.add_review_comment(
                summary=room.summary,
                person=room.amira,
                section="",
                body="b",
                quote=quote,
                suggested_text=suggested,
                by=room.amira.user,
            )
        assert list(refused.value.message_dict) == [field]
    assert not ReviewComment.objects.exists()


def test_apply_correction_replaces_the_passage_once_as_a_saved_draft(room):
    comment = accepted_correction(room)
    with pytest.raises(ValidationError, match="once the review is closed"):
        steering.apply_correction(comment=comment, by=room.rapporteur.user)
    summaries.close_review(summary=room.summary, reason="Enough said.", by=room.rapporteur.user)
    summary, flagged = steering.apply_correction(comment=comment, by=room.rapporteur.user)
    # The quote spans a line break of the Markdown: it is found all the same, and replaced once.
    assert "The group explored a shared licensing office for the banks." in summary.body and flagged == 0
    again, _ = steering.apply_correction(comment=comment, by=room.rapporteur.user)
    assert again.body == summary.body
    assert actions(room.summary).count(Action.DRAFT_SAVED) == 2  # the first draft, and this change
    assert AuditEvent.objects.filter(action=Action.CORRECTION_APPLIED, target_id=str(comment.pk)).count() == 1


def test_apply_correction_refuses_what_it_cannot_do(room):
    comment = accepted_correction(room)
    answered = summaries.add_review_comment(
        summary=room.summary,
        person=room.bo,
        section="",
        body="b",
        quote="A paper",
        suggested_text="Two",
        by=room.bo.user,
    )
    summaries.close_review(summary=room.summary, reason="Enough said.", by=room.rapporteur.user)
    with pytest.raises(ValidationError, match="Accept the correction"):
        steering.apply_correction(comment=answered, by=room.rapporteur.user)
    summaries.save_draft(
        summary=room.summary, body="## Fisheries access\n\nRewritten.\n", by=room.rapporteur.user
    )
    with pytest.raises(ValidationError, match="no longer in the draft"):
        steering.apply_correction(comment=comment, by=room.rapporteur.user)
    assert ReviewComment.objects.get(pk=comment.pk).applied_at is None


def test_apply_correction_reports_what_the_attribution_check_flags(room):
    comment = accepted_correction(room, suggested="board proposed by Amira Haddad")
    summaries.close_review(summary=room.summary, reason="Enough said.", by=room.rapporteur.user)
    _, flagged = steering.apply_correction(comment=comment, by=room.rapporteur.user)
    assert flagged >= 1


# --- The pages ----------------------------------------------------------------------------------------------


def test_review_page_lists_who_has_responded_by_pseudonym(client, room):
    summaries.sign_off_review(summary=room.summary, person=room.amira, by=room.amira.user)
    client.force_login(room.rapporteur.user)
    page = client.get(url("summary_detail", room.summary)).content.decode()
    assert "<strong>1 of 2</strong>" in page
    for person, state in ((room.amira, "responded"), (room.bo, "waiting"), (room.chen, "cannot")):
        called = pseudonym_in(room.dialogue, person)
        assert f'<tr class="reviewer reviewer--{state}"><td><bdi>{called}</bdi></td>' in page
        assert not shows(page, person.pseudonym)
    assert "Cannot respond in Trackii" in page and "Chen" not in page and "Amira" not in page
    assert 'name="reason"' in page and 'name="review_deadline"' in page and "Send a reminder" in page


def test_close_early_form_refuses_a_missing_reason_and_writes_nothing(client, room):
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_close_review", room.summary), {"reason": "  "})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert Summary.objects.get(pk=room.summary.pk).status == SummaryStatus.IN_REVIEW
    response = client.post(url("summary_close_review", room.summary), {"reason": "x" * 1001})
    assert response.status_code == 400 and "under 1000 characters" in response.content.decode()


def test_close_early_shows_the_reason_to_the_reviewers_only(client, room):
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_close_review", room.summary), {"reason": "Most have no login."})
    assert response.status_code == 302
    draft_page = client.get(url("summary_detail", room.summary)).content.decode()
    assert "Most have no login." in draft_page
    client.force_login(room.amira.user)
    page = client.get(url("summary_detail", room.summary)).content.decode()
    assert "The facilitators closed the review early on" in page and "Most have no login." in page
    assert "licensing" not in page  # the reason, never the draft
    for user in (room.absent.user, room.outsider.user):
        client.force_login(user)
        assert client.get(url("summary_detail", room.summary)).status_code == 404
    services.revoke_role(dialogue=room.dialogue, person=room.amira, role=DialogueRole.PARTICIPANT, by=None)
    client.force_login(room.amira.user)
    assert client.get(url("summary_detail", room.summary)).status_code == 404


def test_extend_form_ties_its_error_to_the_field_and_reviewers_see_the_new_deadline(client, room):
    client.force_login(room.rapporteur.user)
    before = room.summary.review_deadline
    response = client.post(
        url("summary_extend_review", room.summary), {"review_deadline": "2001-01-01T10:00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_review_deadline_error"' in page and "must be in the future" in page
    assert 'value="2001-01-01T10:00"' in page  # kept as typed
    assert Summary.objects.get(pk=room.summary.pk).review_deadline == before
    later = timezone.localtime(before + dt.timedelta(days=10), dt.UTC).replace(second=0, microsecond=0)
    response = client.post(
        url("summary_extend_review", room.summary), {"review_deadline": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    assert Summary.objects.get(pk=room.summary.pk).review_deadline == later
    client.force_login(room.amira.user)
    assert (
        later.strftime("%-d %b %Y, %H:%M") in client.get(url("summary_detail", room.summary)).content.decode()
    )


def test_remind_twice_is_refused_with_when_the_last_one_went(client, room):
    client.force_login(room.rapporteur.user)
    assert client.post(url("summary_remind", room.summary)).status_code == 302
    response = client.post(url("summary_remind", room.summary), follow=True)
    page = response.content.decode()
    assert "A reminder went on" in page and "The next reminder can go from" in page
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 2  # Amira and Bo, once


def test_apply_button_applies_an_accepted_correction(client, room):
    comment = accepted_correction(room)
    client.force_login(room.rapporteur.user)
    assert "Once the review is closed" in client.get(url("summary_detail", room.summary)).content.decode()
    summaries.close_review(summary=room.summary, reason="Enough said.", by=room.rapporteur.user)
    assert "Apply to the draft" in client.get(url("summary_detail", room.summary)).content.decode()
    response = client.post(
        url("summary_apply_correction", room.summary), {"comment": comment.pk}, follow=True
    )
    assert "correction is applied to the draft" in response.content.decode()
    assert "shared licensing office" in Summary.objects.get(pk=room.summary.pk).body
    assert "Apply to the draft" not in response.content.decode()


def test_reviewer_can_propose_an_exact_replacement(client, room):
    client.force_login(room.amira.user)
    data = {"section": "", "body": "Wrong word.", "quote": "joint board", "suggested_text": "office"}
    response = client.post(url("summary_comment", room.summary), data)
    assert response.status_code == 400 and 'id="id_quote_error"' in response.content.decode()
    assert not ReviewComment.objects.exists()
    response = client.post(url("summary_comment", room.summary), {**data, "quote": "joint licensing board"})
    assert response.status_code == 302
    assert ReviewComment.objects.get().quote == "joint licensing board"


@pytest.mark.parametrize("name", ["summary_extend_review", "summary_remind", "summary_apply_correction"])
def test_steering_urls_are_404_for_reviewers_outsiders_and_removed_facilitators(client, room, name):
    comment = accepted_correction(room)
    data = {"review_deadline": "2099-01-01T10:00", "comment": comment.pk}
    for user in (room.amira.user, room.outsider.user):
        client.force_login(user)
        assert client.post(url(name, room.summary), data).status_code == 404
        assert client.get(url(name, room.summary)).status_code in (404, 405)
    services.revoke_role(
        dialogue=room.dialogue, person=room.rapporteur, role=DialogueRole.RAPPORTEUR, by=None
    )
    client.force_login(room.rapporteur.user)
    assert client.post(url(name, room.summary), data).status_code == 404
    assert client.post(url("summary_close_review", room.summary), {"reason": "Now."}).status_code == 404
    assert Summary.objects.get(pk=room.summary.pk).review_deadline == room.summary.review_deadline
    assert not Notification.objects.filter(kind=NotificationKind.REMINDER).exists()
