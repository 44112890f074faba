"""Every state change is its own audit action (issue 19). The test walks every URL of Trackii whose view
accepts POST, found from the URL resolver as the access matrix finds them, takes one real step through each
as the person who may take it, and checks that the request wrote an audit row of its own: an `Action` member
that says what changed (not view, download, feed or denied), with that person as actor and the object it
touched as target. A POST URL without a recipe here fails, so a new one cannot be added without its action.

RECIPES reads as the list "state change -> action"; docs/audit-actions.md prints it as a table, and the
test checks that every recipe's URL and action are in that table.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.destruction import services as destruction_services
from dialogues.enums import DialogueRole, DialogueStatus, InvitationStatus
from dialogues.models import Summary, Workshop
from dialogues.personal import services as personal_services
from dialogues.removal import services as removal_services
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summary_services
from funding.enums import ConditionRuling, GrantStatus
from funding.grants import services as grant_services
from funding.models import Grant
from participants.models import Membership, Person
from tests.access.matrix import EXCLUDED_MODULES, EXCLUDED_ROUTES, MATRIX
from tests.access.test_access_matrix import url_names
from tests.access.world import build_world
from tests.accounts.helpers import enrol_totp
from tests.factories import PersonFactory, UserFactory
from tests.helpers import submitted_values
from tests.staff.helpers import staff
from trackii.accounts import services as account_services
from trackii.accounts.models import User
from trackii.accounts.selectors import invitation_token
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import saved as saved_searches
from trackii.confirmation import CONFIRM_FIELD, CONFIRM_VALUE
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.staff.accounts import services as staff_account_services
from trackii.staff.enums import RequestKind, Role
from trackii.staff.requests import services as staff_services
from trackii.staff.requests.selectors import invitation_token as staff_invitation_token

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit-actions.md"
# Rows every page writes or that record a look, a refusal or a read: never the row of a state change.
NOT_A_CHANGE = {
    Action.VIEW,
    Action.DOWNLOAD,
    Action.FEED,
    Action.DENIED,
    Action.PEOPLE_SEARCHED,
    Action.OWN_DATA_VIEWED,
}
CONFIRMED = {CONFIRM_FIELD: CONFIRM_VALUE}

# POST URLs that change nothing, and why. Keep this tiny: anything that writes belongs in RECIPES.
EXEMPT = {
    "dialogues:summary_preview": "the editor's live preview: renders the posted text, stores nothing",
}


@dataclass(frozen=True)
class Recipe:
    """One state change: the URL it is posted to, in words what changes, the action it is audited as, who
    takes it, and how to build the request. `target` gives the object the row must name: a saved instance,
    the model label alone for an object the request creates, or "label[]" for a set (an export)."""

    url: str
    changes: str
    action: Action
    who: str
    target: Callable
    kwargs: Callable = lambda s: {}
    data: Callable | dict = field(default_factory=dict)
    page: Callable | None = None  # (url name, kwargs) of the page whose form is submitted, if not the URL
    setup: Callable | None = None  # runs before the request, inside the same rolled-back transaction
    files: Callable | None = None
    actor: Callable | None = None  # the account the row names, when it is not `who` (a login just created)
    method: str = "POST"  # GET for the few reads that change something (a copy issued, an export)


def _d(s):
    return {"dialogue_id": s.a.dialogue.pk}


def _w(workshop):
    return lambda s: {"dialogue_id": s.a.dialogue.pk, "workshop_id": workshop(s).pk}


def _sum(summary):
    return lambda s: {"dialogue_id": s.a.dialogue.pk, "summary_id": summary(s).pk}


def _ripeness_entry(s):
    return {"dialogue_id": s.a.dialogue.pk, "entry_id": s.a.ripeness_entry.pk}


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _next_workshop(s) -> Workshop:
    """A's workshop ahead (the private draft's), for steps that need a future workshop."""
    return s.a.draft.workshop


# Setups: each builds what its step needs, through the services, and leaves it on the scene.


def _newcomer(s):
    """A member of A without a login, invited to the workshop ahead."""
    s.newcomer = PersonFactory(user=None)
    dialogue_services.assign_role(
        dialogue=s.a.dialogue,
        person=s.newcomer,
        role=DialogueRole.PARTICIPANT,
        side=s.a.dialogue.sides.first(),
        by=s.users["facilitator"],
    )
    s.newcomer_invitation = scheduling_services.invite(
        workshop=_next_workshop(s), person=s.newcomer, by=s.users["facilitator"]
    )


def _attended_invited_ahead(s):
    s.ahead = scheduling_services.invite(
        workshop=_next_workshop(s), person=s.users["participant_attended"].person, by=s.users["facilitator"]
    )


def _declined_ahead(s):
    _attended_invited_ahead(s)
    scheduling_services.set_invitation_status(
        invitation=s.ahead, status=InvitationStatus.DECLINED, by=s.users["facilitator"]
    )


def _left_keeping_summaries(s):
    dialogue_services.revoke_role(
        dialogue=s.a.dialogue,
        person=s.a.membership.person,
        role=s.a.membership.role,
        by=s.users["facilitator"],
        keep_sealed_summaries=True,
    )


def _absent_cut_off(s):
    s.cut = s.users["participant_absent"].person
    removal_services.cut_off_person(
        person=s.cut, dialogue=s.a.dialogue, reason="Threat reported by phone", by=s.users["facilitator"]
    )


def _comment(s, *, correction=False):
    s.comment = summary_services.add_review_comment(
        summary=s.a.in_review,
        person=s.users["participant_attended"].person,
        by=s.users["participant_attended"],
        section="",
        body="The second point was put the other way round.",
        suggested_text="Sealed record a" if correction else "",
        quote="Draft in review a" if correction else "",
    )


def _accepted_correction(s):
    _comment(s, correction=True)
    summary_services.respond_to_comment(
        comment=s.comment, status="accepted", response="Agreed.", by=s.users["facilitator"]
    )
    summary_services.close_review(
        summary=s.a.in_review, reason="Everyone has answered by phone", by=s.users["facilitator"]
    )


def _with_a_parallel_version(s):
    _back_to_draft(s)
    summary_services.save_parallel_version(
        summary=s.a.in_review,
        language_code="ru",
        body="Version russe.",
        by=s.users["facilitator"],
    )


def _back_to_draft(s):
    summary_services.close_review(
        summary=s.a.in_review, reason="Everyone has answered by phone", by=s.users["facilitator"]
    )


def _mention_flagged(s):
    _back_to_draft(s)
    name = s.users["participant_attended"].person.name
    summary_services.save_draft(
        summary=s.a.in_review, body=f"## Opening\n\n{name} said so.", by=s.users["facilitator"]
    )
    s.term = name


def _seal_failed(s):
    _back_to_draft(s)
    summary_services.request_seal(summary=s.a.in_review, by=s.users["facilitator"])
    job = SealJob.objects.get(kind="summary", object_id=s.a.in_review.pk)
    job.state, job.error, job.finished_at = (
        SealJobState.FAILED,
        "The signing service did not answer.",
        timezone.now(),
    )
    job.save()
    s.a.in_review.refresh_from_db()


def _no_open_version(s):
    Summary.objects.filter(pk=s.a.in_review.pk).delete()


def _not_yet_accepted_ground_rules(s):
    Membership.objects.filter(pk=s.a.membership.pk).update(ground_rules_accepted_at=None)


def _ground_rules_accepted(s):
    summary_services.accept_ground_rules_before_reading(
        membership=s.a.membership, by=s.users["participant_attended"]
    )


def _unavailable(s):
    s.unavailability = personal_services.add_unavailability(
        person=s.users["participant_attended"].person,
        starts_on=timezone.localdate() + dt.timedelta(days=40),
        ends_on=timezone.localdate() + dt.timedelta(days=41),
        by=s.users["participant_attended"],
    )


def _ruled_by_another_convenor(s):
    other = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(
        dialogue=s.a.dialogue, person=other, role=DialogueRole.CONVENOR, by=s.users["superuser"]
    )
    grant_services.rule_on_condition(
        condition=s.a.condition,
        ruling=ConditionRuling.ACCEPTED,
        rationale="Agreed with the funder.",
        by=other.user,
    )


def _active_grant(s):
    # Straight to active: the world's grant carries a flagged condition that would first need two rulings.
    Grant.objects.filter(pk=s.a.grant.pk).update(status=GrantStatus.ACTIVE)
    s.a.grant.refresh_from_db()


def _login_invited(s):
    _newcomer(s)
    s.login_invitation = account_services.invite_person(
        dialogue=s.a.dialogue, person=s.newcomer, by=s.users["facilitator"], base_url="http://testserver/"
    )


def _login_invited_token(s):
    _login_invited(s)
    s.token = invitation_token(invitation=s.login_invitation)


def _in_future(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# Staff administration: a change waits for a second administrator, so most steps need a colleague's request.


def _colleague(s):
    """A second administrator, who asks for the changes the world's administrator then decides."""
    s.colleague = staff(Role.ADMINISTRATOR, email="second.administrator@example.org")
    return s.colleague


def _staff_invitation_asked(s):
    s.staff_request = staff_services.invite_staff(
        email="new.auditor@example.org", role=Role.AUDITOR, reason="Joins the audit team", by=_colleague(s)
    )


def _auditor_role_asked(s):
    s.account = UserFactory(email="future.auditor@example.org")
    s.staff_request = staff_services.request_change(
        account=s.account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=_colleague(s)
    )


def _auditor_removal_asked(s):
    s.account = s.users["auditor"]
    s.staff_request = staff_services.request_change(
        account=s.account, kind=RequestKind.REMOVE_ROLE, role=Role.AUDITOR, by=_colleague(s)
    )


def _auditor_enrolled(s):
    enrol_totp(s.users["auditor"])


def _reset_asked(s):
    _auditor_enrolled(s)
    s.account = s.users["auditor"]
    s.staff_request = staff_services.request_change(
        account=s.account, kind=RequestKind.RESET_SECOND_FACTOR, reason="Lost phone", by=_colleague(s)
    )


def _own_request(s):
    s.staff_request = staff_services.invite_staff(
        email="new.auditor@example.org", role=Role.AUDITOR, by=s.users["administrator"]
    )


def _staff_invitation_confirmed(s):
    _staff_invitation_asked(s)
    staff_services.confirm_request(
        staff_request=s.staff_request, by=s.users["administrator"], base_url="http://testserver/"
    )
    s.token = staff_invitation_token(invitation=s.staff_request.invitation)


def _new_staff_login(s):
    return User.objects.get(email="new.auditor@example.org")


def _disabled(s):
    staff_account_services.disable_login(user=s.users["participant_attended"], by=s.users["administrator"])


def _logged_in_twice(s):
    from allauth.usersessions.models import UserSession

    for key in ("laptop", "phone"):
        UserSession.objects.create(
            user=s.users["participant_attended"], session_key=key * 4, ip="198.51.100.23", user_agent=key
        )
    s.session = UserSession.objects.get(session_key="laptop" * 4)


def _search_saved(s):
    s.saved = saved_searches.save_search(by=s.users["auditor"], name="Denials", query="outcome=denied")


# Destroying a dialogue (issue 23): only a concluded one, and a second convenor confirms a request.


def _concluded_with_a_second_convenor(s):
    """A's dialogue concluded, with a second convenor beside the world's, who holds a login: a request
    needs two convenors who can sign in."""
    s.second_convenor = PersonFactory(user=UserFactory(email="second.convenor@example.org"))
    dialogue_services.assign_role(
        dialogue=s.a.dialogue, person=s.second_convenor, role=DialogueRole.CONVENOR, by=s.users["superuser"]
    )
    dialogue_services.change_dialogue_status(
        dialogue=s.a.dialogue, status=DialogueStatus.CONCLUDED, by=s.users["facilitator"]
    )


def _destruction_asked_by_the_second_convenor(s):
    """An open request by the second convenor: the world's convenor, who has held the role since before it
    (`Facilitator.assigned_at`), may confirm or withdraw it."""
    _concluded_with_a_second_convenor(s)
    s.destruction = destruction_services.request_destruction(
        dialogue=s.a.dialogue,
        reason="Programme ended; agreed with the funder to keep nothing.",
        by=s.second_convenor.user,
    )


def _erasure(s):
    return {"dialogue_id": s.a.dialogue.pk, "request_id": s.a.erasure_request.pk}


def _unplaced_erasure(s):
    return {"request_id": s.a.unplaced_erasure_request.pk}


RECIPES = [
    # --- dialogues: the dialogue, its roster and roles ----------------------------------------------------
    Recipe(
        "dialogues:dialogue_create",
        "a convenor opens a new dialogue",
        Action.DIALOGUE_CREATED,
        "facilitator",
        target=lambda s: "dialogues.dialogue",
        data={"title": "Walk talks", "codename": "walk-talks", "sides": "East\nWest"},
    ),
    Recipe(
        "dialogues:dialogue_edit",
        "the dialogue's title, objective or ground rules change",
        Action.DIALOGUE_CHANGED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=_d,
        data={"title": "Secret a talks, renamed"},
    ),
    Recipe(
        "dialogues:dialogue_status",
        "the dialogue's status moves (conclude: after confirming)",
        Action.DIALOGUE_STATUS_CHANGED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=_d,
        data={"status": "concluded", **CONFIRMED},
    ),
    Recipe(
        "dialogues:side_add",
        "a side is added to the dialogue",
        Action.SIDE_ADDED,
        "facilitator",
        target=lambda s: "dialogues.side",
        kwargs=_d,
        data={"name": "Observers' side"},
        page=lambda s: ("dialogues:dialogue_edit", _d(s)),
    ),
    Recipe(
        "dialogues:outcome_create",
        "an outcome is recorded, with its first step (an idea raised)",
        Action.OUTCOME_RECORDED,
        "facilitator",
        target=lambda s: "dialogues.outcome",
        kwargs=_d,
        data={"title": "A joint survey of the banks", "kind": "new_option"},
    ),
    Recipe(
        "dialogues:outcome_detail",
        "an outcome reaches its next stage (when, through which channel, carried by whom)",
        Action.OUTCOME_STAGE_RECORDED,
        "facilitator",
        target=lambda s: s.a.outcome,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "outcome_id": s.a.outcome.pk},
        data=lambda s: {
            "channel": "briefing to the foreign ministry",
            "carriers": [str(s.users["participant_attended"].person.pk)],
        },
    ),
    Recipe(
        "dialogues:members",
        "a person gets a role in the dialogue (new on file or known)",
        Action.ROLE_GRANTED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=_d,
        data=lambda s: {
            "name": "Walk Newcomer",
            "email": "walk@example.org",
            "role": "participant",
            "side": str(s.a.dialogue.sides.first().pk),
        },
    ),
    Recipe(
        "dialogues:member_change",
        "a member's role or side changes",
        Action.ROLE_CHANGED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "membership_id": s.a.membership.pk},
        data={"role": "observer", "side": ""},
    ),
    Recipe(
        "dialogues:member_remove",
        "a member is removed from the dialogue (after confirming)",
        Action.ROLE_REVOKED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "membership_id": s.a.membership.pk},
        data=CONFIRMED,
    ),
    Recipe(
        "dialogues:kept_summaries_withdraw",
        "a former member's kept read access is withdrawn",
        Action.SUMMARY_ACCESS_WITHDRAWN,
        "facilitator",
        target=lambda s: s.a.membership,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "membership_id": s.a.membership.pk},
        data=CONFIRMED,
        setup=_left_keeping_summaries,
    ),
    Recipe(
        "dialogues:person_cut_off",
        "a person is cut off from every dialogue",
        Action.CUT_OFF,
        "facilitator",
        target=lambda s: "participants.cutoff",
        kwargs=lambda s: {
            "dialogue_id": s.a.dialogue.pk,
            "person_id": s.users["participant_absent"].person.pk,
        },
        data={"reason": "Threat reported by phone"},
    ),
    Recipe(
        "dialogues:person_names",
        "another form of a person's name is recorded (detail: its id and script, never the name)",
        Action.PERSON_NAME_ADDED,
        "facilitator",
        target=lambda s: s.a.membership.person,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "person_id": s.a.membership.person_id},
        data={"name": "Кворвина Зелтан"},
    ),
    Recipe(
        "dialogues:person_name_remove",
        "another form of a person's name is removed (detail: its id)",
        Action.PERSON_NAME_REMOVED,
        "facilitator",
        target=lambda s: s.a.membership.person,
        kwargs=lambda s: {
            "dialogue_id": s.a.dialogue.pk,
            "person_id": s.a.membership.person_id,
            "name_id": s.a.person_name.pk,
        },
        page=lambda s: (
            "dialogues:person_names",
            {"dialogue_id": s.a.dialogue.pk, "person_id": s.a.membership.person_id},
        ),
    ),
    Recipe(
        "dialogues:person_restore",
        "a cut-off is lifted",
        Action.CUT_OFF_RESTORED,
        "facilitator",
        target=lambda s: "participants.cutoff",
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "person_id": s.cut.pk},
        setup=_absent_cut_off,
    ),
    Recipe(
        "dialogues:break_glass",
        "an administrator takes time-limited emergency access",
        Action.BREAK_GLASS_GRANTED,
        "superuser",
        target=lambda s: "dialogues.breakglassgrant",
        data=lambda s: {
            "dialogue": str(s.b.dialogue.pk),
            "reason": "Participant safety emergency",
            "minutes": "30",
        },
    ),
    # --- dialogues: series, workshops, agenda -------------------------------------------------------------
    Recipe(
        "dialogues:series_create",
        "a workshop series is started",
        Action.SERIES_CREATED,
        "facilitator",
        target=lambda s: "dialogues.workshopseries",
        kwargs=_d,
        data={"title": "Phase 2"},
    ),
    Recipe(
        "dialogues:series_detail",
        "a workshop (or a run of them) is scheduled",
        Action.WORKSHOP_SCHEDULED,
        "facilitator",
        target=lambda s: "dialogues.workshop",
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "series_id": s.a.workshop.series_id},
        data=lambda s: {
            "starts_at": _local(timezone.now() + dt.timedelta(days=60)),
            "ends_at": _local(timezone.now() + dt.timedelta(days=61)),
            "venue": "Somewhere",
        },
    ),
    Recipe(
        "dialogues:series_detail",
        "a workshop that already took place is recorded, with who attended",
        Action.WORKSHOP_RECORDED,
        "facilitator",
        target=lambda s: "dialogues.workshop",
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "series_id": s.a.workshop.series_id},
        data=lambda s: {
            "starts_at": _local(timezone.now() - dt.timedelta(days=60)),
            "ends_at": _local(timezone.now() - dt.timedelta(days=59)),
            "already_held": "on",
            "attended": [str(s.users["participant_attended"].person.pk)],
        },
    ),
    Recipe(
        "dialogues:workshop_edit",
        "a workshop's dates, venue or format change",
        Action.WORKSHOP_RESCHEDULED,
        "facilitator",
        target=_next_workshop,
        kwargs=_w(_next_workshop),
        data={"venue": "Another house"},
    ),
    Recipe(
        "dialogues:workshop_clone",
        "the next workshop is scheduled like this one",
        Action.WORKSHOP_CLONED,
        "facilitator",
        target=lambda s: "dialogues.workshop",
        kwargs=_w(_next_workshop),
    ),
    Recipe(
        "dialogues:workshop_cancel",
        "a workshop is cancelled (after confirming)",
        Action.WORKSHOP_CANCELLED,
        "facilitator",
        target=_next_workshop,
        kwargs=_w(_next_workshop),
        data=CONFIRMED,
    ),
    Recipe(
        "dialogues:workshop_held",
        "a workshop is marked held, with who attended",
        Action.WORKSHOP_HELD,
        "facilitator",
        target=lambda s: s.a.workshop,
        kwargs=_w(lambda s: s.a.workshop),
    ),
    Recipe(
        "dialogues:agenda",
        "an agenda item is added",
        Action.AGENDA_ITEM_ADDED,
        "facilitator",
        target=lambda s: "dialogues.agendaitem",
        kwargs=_w(lambda s: s.a.workshop),
        data={"title": "Coffee", "day": "1"},
    ),
    Recipe(
        "dialogues:agenda_item",
        "an agenda item moves up or down",
        Action.AGENDA_ITEM_MOVED,
        "facilitator",
        target=lambda s: s.a.agenda_item,
        kwargs=lambda s: {**_w(lambda s: s.a.workshop)(s), "item_id": s.a.agenda_item.pk},
        data={"action": "down"},
    ),
    Recipe(
        "dialogues:agenda_item",
        "an agenda item is hidden from participants or shown to them",
        Action.AGENDA_ITEM_CHANGED,
        "facilitator",
        target=lambda s: s.a.agenda_item,
        kwargs=lambda s: {**_w(lambda s: s.a.workshop)(s), "item_id": s.a.agenda_item.pk},
        data={"action": "hide"},
    ),
    Recipe(
        "dialogues:agenda_item",
        "an agenda item is removed",
        Action.AGENDA_ITEM_REMOVED,
        "facilitator",
        target=lambda s: s.a.agenda_item,
        kwargs=lambda s: {**_w(lambda s: s.a.workshop)(s), "item_id": s.a.agenda_item.pk},
        data={"action": "delete"},
    ),
    Recipe(
        "dialogues:agenda_item_edit",
        "an agenda item's title, time, notes or audience change",
        Action.AGENDA_ITEM_CHANGED,
        "facilitator",
        target=lambda s: s.a.agenda_item,
        kwargs=lambda s: {**_w(lambda s: s.a.workshop)(s), "item_id": s.a.agenda_item.pk},
        data={"title": "Opening, renamed"},
    ),
    # --- dialogues: invitations and answers ---------------------------------------------------------------
    Recipe(
        "dialogues:invitations",
        "people are invited to a workshop",
        Action.WORKSHOP_INVITED,
        "facilitator",
        target=lambda s: "dialogues.invitation",
        kwargs=_w(_next_workshop),
        data=lambda s: {"people": [str(s.users["participant_attended"].person.pk)]},
    ),
    Recipe(
        "dialogues:invitation_action",
        "an invitation is withdrawn (after confirming)",
        Action.INVITATION_WITHDRAWN,
        "facilitator",
        target=lambda s: s.ahead,
        kwargs=lambda s: {**_w(_next_workshop)(s), "invitation_id": s.ahead.pk},
        data={"action": "withdraw", **CONFIRMED},
        setup=_attended_invited_ahead,
    ),
    Recipe(
        "dialogues:invitation_action",
        "someone who declined is invited again",
        Action.INVITATION_RENEWED,
        "facilitator",
        target=lambda s: s.ahead,
        kwargs=lambda s: {**_w(_next_workshop)(s), "invitation_id": s.ahead.pk},
        data={"action": "reinvite"},
        setup=_declined_ahead,
    ),
    Recipe(
        "dialogues:invitation_action",
        "attendance is recorded (attended or absent)",
        Action.ATTENDANCE_RECORDED,
        "facilitator",
        target=lambda s: s.a.invitation,
        kwargs=lambda s: {**_w(lambda s: s.a.workshop)(s), "invitation_id": s.a.invitation.pk},
        data={"action": "absent"},
    ),
    Recipe(
        "dialogues:invitation_logins",
        "login invitations go to every invited person without a login",
        Action.ACCOUNT_INVITED,
        "facilitator",
        target=lambda s: "accounts.accountinvitation",
        kwargs=_w(_next_workshop),
        setup=_newcomer,
    ),
    Recipe(
        "dialogues:invitation_answer",
        "a facilitator records the answer of someone without a login",
        Action.INVITATION_ANSWER_RECORDED,
        "facilitator",
        target=lambda s: s.newcomer_invitation,
        kwargs=lambda s: {**_w(_next_workshop)(s), "invitation_id": s.newcomer_invitation.pk},
        data={"answer": "accepted"},
        setup=_newcomer,
    ),
    Recipe(
        "dialogues:rsvp",
        "a participant accepts or declines a workshop invitation (RSVP)",
        Action.INVITATION_ANSWERED,
        "participant_attended",
        target=lambda s: s.ahead,
        kwargs=lambda s: {"invitation_id": s.ahead.pk},
        data={"answer": "accepted", "note": ""},
        setup=_attended_invited_ahead,
    ),
    Recipe(
        "dialogues:availability",
        "a person adds dates they cannot come",
        Action.UNAVAILABILITY_ADDED,
        "participant_attended",
        target=lambda s: "dialogues.unavailability",
        data={"starts_on": _in_future(50), "ends_on": _in_future(52)},
    ),
    Recipe(
        "dialogues:availability",
        "a person removes dates they cannot come",
        Action.UNAVAILABILITY_REMOVED,
        "participant_attended",
        target=lambda s: s.unavailability,
        data=lambda s: {"remove": str(s.unavailability.pk)},
        setup=_unavailable,
    ),
    Recipe(
        "dialogues:calendar_settings",
        "a person's calendar zone or feed detail changes",
        Action.CALENDAR_SETTINGS_CHANGED,
        "participant_attended",
        target=lambda s: "dialogues.personalcalendar",
        data={"action": "save", "timezone": "Asia/Tokyo", "feed_detail": "on"},
    ),
    Recipe(
        "dialogues:calendar_settings",
        "a private calendar feed address is issued (or replaced)",
        Action.FEED_ISSUED,
        "participant_attended",
        target=lambda s: "dialogues.personalcalendar",
        data={"action": "issue"},
    ),
    Recipe(
        "dialogues:calendar_settings",
        "a private calendar feed address is revoked",
        Action.FEED_REVOKED,
        "participant_attended",
        target=lambda s: "dialogues.personalcalendar",
        data={"action": "revoke"},
    ),
    # --- dialogues: summaries, review, sealing ------------------------------------------------------------
    Recipe(
        "dialogues:ground_rules",
        "a member accepts the dialogue's ground rules",
        Action.GROUND_RULES_ACCEPTED,
        "participant_attended",
        target=lambda s: s.a.dialogue,
        kwargs=_d,
        setup=_not_yet_accepted_ground_rules,
    ),
    Recipe(
        "dialogues:summary_start",
        "a summary draft is started for a workshop",
        Action.SUMMARY_STARTED,
        "facilitator",
        target=lambda s: "dialogues.summary",
        kwargs=_w(lambda s: s.past),
        page=None,
        setup=lambda s: setattr(
            s,
            "past",
            scheduling_services.record_held_workshop(
                series=s.a.workshop.series,
                starts_at=timezone.now() - dt.timedelta(days=9),
                ends_at=timezone.now() - dt.timedelta(days=8),
                timezone_name="UTC",
                venue=None,
                format="in_person",
                title="",
                attended=[s.users["participant_attended"].person],
                by=s.users["facilitator"],
            ),
        ),
    ),
    Recipe(
        "dialogues:summary_save",
        "a summary draft is saved",
        Action.DRAFT_SAVED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data={"body": "## New\n\nText."},
        setup=_back_to_draft,
    ),
    Recipe(
        "dialogues:summary_language",
        "the language a summary draft is written in is changed",
        Action.SUMMARY_LANGUAGE_SET,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data={"language": "fr"},
        setup=_back_to_draft,
    ),
    Recipe(
        "dialogues:summary_version_save",
        "a summary draft's parallel version in another language is added or saved",
        Action.SUMMARY_VERSION_SAVED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data={"adding": "1", "language": "fr", "body": "## Bilan\n\nTexte."},
        setup=_back_to_draft,
    ),
    Recipe(
        "dialogues:summary_version_remove",
        "a summary draft's parallel version in another language is removed",
        Action.SUMMARY_VERSION_REMOVED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data={"language": "ru"},
        setup=_with_a_parallel_version,
    ),
    Recipe(
        "dialogues:summary_accept_mention",
        "a flagged mention is accepted in the attribution check",
        Action.MENTION_ACCEPTED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data=lambda s: {"term": s.term},
        setup=_mention_flagged,
    ),
    Recipe(
        "dialogues:summary_open_review",
        "a draft goes out for review to those who attended",
        Action.REVIEW_OPENED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data=lambda s: {"review_deadline": _local(timezone.now() + dt.timedelta(days=5))},
        setup=_back_to_draft,
    ),
    Recipe(
        "dialogues:summary_close_review",
        "a review is closed (early: with a reason)",
        Action.REVIEW_CLOSED_EARLY,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data={"reason": "Everyone answered by phone"},
    ),
    Recipe(
        "dialogues:summary_extend_review",
        "a review's deadline is extended",
        Action.REVIEW_EXTENDED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data=lambda s: {"review_deadline": _local(timezone.now() + dt.timedelta(days=12))},
    ),
    Recipe(
        "dialogues:summary_remind",
        "reviewers who have not responded are reminded",
        Action.REVIEW_REMINDED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
    ),
    Recipe(
        "dialogues:summary_comment",
        "a reviewer comments on a draft or suggests a correction",
        Action.REVIEW_COMMENTED,
        "participant_attended",
        target=lambda s: "dialogues.reviewcomment",
        kwargs=_sum(lambda s: s.a.in_review),
        data={"body": "The second point was put the other way round."},
    ),
    Recipe(
        "dialogues:summary_respond",
        "a facilitator accepts or answers a review comment",
        Action.COMMENT_ANSWERED,
        "facilitator",
        target=lambda s: s.comment,
        kwargs=_sum(lambda s: s.a.in_review),
        data=lambda s: {"comment": str(s.comment.pk), "status": "answered", "response": "Thank you."},
        setup=_comment,
    ),
    Recipe(
        "dialogues:summary_apply_correction",
        "an accepted correction is applied to the draft",
        Action.CORRECTION_APPLIED,
        "facilitator",
        target=lambda s: s.comment,
        kwargs=_sum(lambda s: s.a.in_review),
        data=lambda s: {"comment": str(s.comment.pk)},
        setup=_accepted_correction,
    ),
    Recipe(
        "dialogues:summary_signoff",
        "a reviewer signs off: nothing more to add",
        Action.REVIEW_SIGNED_OFF,
        "participant_attended",
        target=lambda s: "dialogues.reviewsignoff",
        kwargs=_sum(lambda s: s.a.in_review),
    ),
    Recipe(
        "dialogues:summary_seal",
        "a summary is sent to be sealed (after confirming)",
        Action.SEAL_REQUESTED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        data=CONFIRMED,
        setup=_back_to_draft,
    ),
    Recipe(
        "dialogues:summary_seal_retry",
        "a failed sealing is started again",
        Action.SEAL_REQUESTED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        setup=_seal_failed,
    ),
    Recipe(
        "dialogues:summary_seal_cancel",
        "a failed sealing is abandoned, back to draft",
        Action.SEAL_CANCELLED,
        "facilitator",
        target=lambda s: s.a.in_review,
        kwargs=_sum(lambda s: s.a.in_review),
        setup=_seal_failed,
    ),
    Recipe(
        "dialogues:summary_amend",
        "a new version of a sealed summary is started",
        Action.AMENDED,
        "facilitator",
        target=lambda s: "dialogues.summary",
        kwargs=_sum(lambda s: s.a.sealed),
        setup=_no_open_version,
    ),
    # --- funding ------------------------------------------------------------------------------------------
    Recipe(
        "funding:funder_create",
        "a funder is recorded",
        Action.FUNDER_RECORDED,
        "facilitator",
        target=lambda s: "funding.funder",
        data={"name": "Walk Foundation", "kind": "foundation"},
    ),
    Recipe(
        "funding:funder_detail",
        "a funder's name, kind or country changes",
        Action.FUNDER_CHANGED,
        "facilitator",
        target=lambda s: s.a.grant.funder,
        kwargs=lambda s: {"funder_id": s.a.grant.funder_id},
        data={"country": "Norway"},
    ),
    Recipe(
        "funding:officer_add",
        "a funder officer is added",
        Action.FUNDER_OFFICER_ADDED,
        "facilitator",
        target=lambda s: s.a.grant.funder,
        kwargs=lambda s: {"funder_id": s.a.grant.funder_id},
        data={"officer-name": "Walk Officer", "officer-email": "officer@example.org"},
        page=lambda s: ("funding:funder_detail", {"funder_id": s.a.grant.funder_id}),
    ),
    Recipe(
        "funding:officer_remove",
        "a funder officer is removed",
        Action.FUNDER_OFFICER_REMOVED,
        "facilitator",
        target=lambda s: s.a.grant.funder,
        kwargs=lambda s: {"funder_id": s.a.grant.funder_id, "person_id": s.users["funder"].person.pk},
    ),
    Recipe(
        "funding:grant_create",
        "a grant is recorded",
        Action.GRANT_RECORDED,
        "facilitator",
        target=lambda s: "funding.grant",
        data=lambda s: {
            "funder": str(s.a.grant.funder_id),
            "recipient": str(s.a.dialogue.pk),
            "reference": "W-1",
            "amount": "1000",
            "currency": "EUR",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "purpose": "Travel",
        },
    ),
    Recipe(
        "funding:grant_edit",
        "a grant's terms change",
        Action.GRANT_CHANGED,
        "facilitator",
        target=lambda s: s.a.grant,
        kwargs=lambda s: {"grant_id": s.a.grant.pk},
        data={"purpose": "Venues"},
    ),
    Recipe(
        "funding:grant_status",
        "a grant's status moves",
        Action.GRANT_STATUS_CHANGED,
        "facilitator",
        target=lambda s: s.a.grant,
        kwargs=lambda s: {"grant_id": s.a.grant.pk},
        data={"status": "declined"},
    ),
    Recipe(
        "funding:condition_add",
        "a funder's condition is recorded",
        Action.CONDITION_RECORDED,
        "facilitator",
        target=lambda s: "funding.condition",
        kwargs=lambda s: {"grant_id": s.a.grant.pk},
        data={"kind": "reporting", "text": "A yearly report"},
    ),
    Recipe(
        "funding:condition_rule",
        "a convenor rules on a funder's condition",
        Action.CONDITION_RULED,
        "facilitator",
        target=lambda s: s.a.condition,
        kwargs=lambda s: {"grant_id": s.a.grant.pk, "condition_id": s.a.condition.pk},
        data=lambda s: {
            f"condition-{s.a.condition.pk}-ruling": "rejected",
            f"condition-{s.a.condition.pk}-rationale": "The agenda stays ours.",
        },
    ),
    Recipe(
        "funding:condition_confirm",
        "a second convenor confirms a ruling on a flagged condition",
        Action.CONDITION_CONFIRMED,
        "facilitator",
        target=lambda s: s.a.condition,
        kwargs=lambda s: {"grant_id": s.a.grant.pk, "condition_id": s.a.condition.pk},
        setup=_ruled_by_another_convenor,
    ),
    Recipe(
        "funding:expense_add",
        "an expense is recorded on a grant",
        Action.EXPENSE_RECORDED,
        "facilitator",
        target=lambda s: s.a.grant,
        kwargs=lambda s: {"grant_id": s.a.grant.pk},
        data={"category": "travel", "amount": "120", "spent_on": "2026-03-02", "description": "Train"},
        setup=_active_grant,
    ),
    Recipe(
        "funding:expense_remove",
        "an expense is removed",
        Action.EXPENSE_REMOVED,
        "facilitator",
        target=lambda s: s.a.grant,
        kwargs=lambda s: {"grant_id": s.a.grant.pk, "expense_id": s.a.expense.pk},
        setup=_active_grant,
    ),
    Recipe(
        "funding:disclosures",
        "a new funder-disclosure report is requested",
        Action.SEAL_REQUESTED,
        "facilitator",
        target=lambda s: "funding.disclosure",
        kwargs=lambda s: {"grant_id": s.a.grant.pk},
        setup=_active_grant,
    ),
    Recipe(
        "funding:approval",
        "a member answers on the dialogue's funding",
        Action.FUNDING_ANSWERED,
        "participant_attended",
        target=lambda s: s.a.membership,
        kwargs=_d,
        data={"consent": "approved", "note": ""},
    ),
    # --- the foundation: logins, accounts, sealing --------------------------------------------------------
    Recipe(
        "accounts:invitations",
        "a convenor sends someone a login invitation",
        Action.ACCOUNT_INVITED,
        "facilitator",
        target=lambda s: "accounts.accountinvitation",
        kwargs=_d,
        data=lambda s: {"person": str(s.newcomer.pk)},
        setup=_newcomer,
    ),
    Recipe(
        "accounts:withdraw_invitation",
        "a login invitation is withdrawn",
        Action.ACCOUNT_INVITATION_REVOKED,
        "facilitator",
        target=lambda s: s.login_invitation,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "invitation_id": s.login_invitation.pk},
        setup=_login_invited,
    ),
    Recipe(
        "accounts:welcome",
        "an invited person sets up their login (and accepts the ground rules)",
        Action.ACCOUNT_CREATED,
        "anonymous",
        target=lambda s: s.login_invitation,
        actor=lambda s: Person.objects.get(pk=s.newcomer.pk).user,
        kwargs=lambda s: {"token": s.token},
        data={
            "password1": "a-long-walk-passphrase-42",
            "password2": "a-long-walk-passphrase-42",
            "accept_ground_rules": "on",
        },
        setup=_login_invited_token,
    ),
    Recipe(
        "accounts:log_out_everywhere",
        "a person logs out on every device",
        Action.SESSIONS_ENDED,
        "participant_attended",
        target=lambda s: s.users["participant_attended"],
    ),
    Recipe(
        "set_language",
        "a person chooses the language of their pages and e-mails",
        Action.LANGUAGE_CHANGED,
        "participant_attended",
        target=lambda s: s.users["participant_attended"],
        data={"language": "fr", "next": "/"},
    ),
    Recipe(
        "sealing:verify",
        "a PDF is checked against Trackii's seal",
        Action.PDF_VERIFIED,
        "participant_attended",
        target=lambda s: "sealing.pdf",
        files=lambda s: {"file": s.sealed_pdf},
    ),
    # --- the foundation: staff administration (a second administrator confirms) --------------------------
    Recipe(
        "staff:invite",
        "an administrator asks to invite a new member of staff (nothing is sent yet)",
        Action.STAFF_INVITATION_REQUESTED,
        "administrator",
        target=lambda s: "staff.staffrequest",
        data={"email": "walk.auditor@example.org", "role": "auditor", "reason": "Joins the audit team"},
    ),
    Recipe(
        "staff:request_new",
        "an administrator asks for a staff role to be granted or removed on a login",
        Action.STAFF_ROLE_REQUESTED,
        "administrator",
        target=lambda s: "staff.staffrequest",
        kwargs=lambda s: {"account_id": s.users["auditor"].pk},
        data={"kind": "grant_role", "role": "administrator", "reason": "Covers the summer"},
    ),
    Recipe(
        "staff:request_new",
        "an administrator asks for a login's second factor to be reset",
        Action.SECOND_FACTOR_RESET_REQUESTED,
        "administrator",
        target=lambda s: "staff.staffrequest",
        kwargs=lambda s: {"account_id": s.users["auditor"].pk},
        data={"kind": "reset_second_factor", "role": "", "reason": "Lost phone"},
        setup=_auditor_enrolled,
    ),
    Recipe(
        "staff:request_confirm",
        "a second administrator confirms a staff invitation (the link is e-mailed after)",
        Action.STAFF_REQUEST_CONFIRMED,
        "administrator",
        target=lambda s: s.staff_request,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        data=CONFIRMED,
        setup=_staff_invitation_asked,
    ),
    Recipe(
        "staff:request_confirm",
        "a second administrator confirms a staff role granted: the login holds it",
        Action.STAFF_ROLE_GRANTED,
        "administrator",
        target=lambda s: s.account,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        data=CONFIRMED,
        setup=_auditor_role_asked,
    ),
    Recipe(
        "staff:request_confirm",
        "a second administrator confirms a staff role removed: the login loses it",
        Action.STAFF_ROLE_REMOVED,
        "administrator",
        target=lambda s: s.account,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        data=CONFIRMED,
        setup=_auditor_removal_asked,
    ),
    Recipe(
        "staff:request_confirm",
        "a second administrator confirms a second-factor reset: the login's authenticators are removed",
        Action.SECOND_FACTOR_RESET,
        "administrator",
        target=lambda s: s.account,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        data=CONFIRMED,
        setup=_reset_asked,
    ),
    Recipe(
        "staff:request_decline",
        "a second administrator declines a staff request",
        Action.STAFF_REQUEST_DECLINED,
        "administrator",
        target=lambda s: s.staff_request,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        setup=_staff_invitation_asked,
    ),
    Recipe(
        "staff:request_cancel",
        "an administrator cancels their own staff request",
        Action.STAFF_REQUEST_CANCELLED,
        "administrator",
        target=lambda s: s.staff_request,
        kwargs=lambda s: {"request_id": s.staff_request.pk},
        setup=_own_request,
    ),
    Recipe(
        "staff:welcome",
        "an invited member of staff sets up their login, holding the role confirmed",
        Action.STAFF_INVITATION_ACCEPTED,
        "anonymous",
        target=_new_staff_login,
        actor=_new_staff_login,
        kwargs=lambda s: {"token": s.token},
        data={"password1": "a-long-walk-passphrase-42", "password2": "a-long-walk-passphrase-42"},
        setup=_staff_invitation_confirmed,
    ),
    Recipe(
        "staff:account_disable",
        "an administrator disables a login (after confirming)",
        Action.ACCOUNT_DISABLED,
        "administrator",
        target=lambda s: s.users["participant_attended"],
        kwargs=lambda s: {"account_id": s.users["participant_attended"].pk},
        data=CONFIRMED,
    ),
    Recipe(
        "staff:account_enable",
        "an administrator enables a disabled login again",
        Action.ACCOUNT_ENABLED,
        "administrator",
        target=lambda s: s.users["participant_attended"],
        kwargs=lambda s: {"account_id": s.users["participant_attended"].pk},
        setup=_disabled,
    ),
    Recipe(
        "staff:account_sessions_end",
        "an administrator logs a login out on every device",
        Action.SESSIONS_ENDED,
        "administrator",
        target=lambda s: s.users["participant_attended"],
        kwargs=lambda s: {"account_id": s.users["participant_attended"].pk},
    ),
    Recipe(
        "staff:account_session_end",
        "an administrator ends one of a login's sessions",
        Action.SESSION_ENDED,
        "administrator",
        target=lambda s: s.users["participant_attended"],
        kwargs=lambda s: {"account_id": s.users["participant_attended"].pk, "session_id": s.session.pk},
        setup=_logged_in_twice,
    ),
    # --- dialogues: programme insight, the ripeness log (issue 21) ---------------------------------------
    Recipe(
        "dialogues:insight_ripeness_new",
        "a convenor or facilitator adds a ripeness log entry (detail: kind and date, never the words)",
        Action.RIPENESS_ENTRY_ADDED,
        "facilitator",
        target=lambda s: "dialogues.ripenessentry",
        kwargs=_d,
        data={"occurred_on": "2026-01-05", "kind": "election", "text": "Snap election called"},
        page=lambda s: ("dialogues:insight_ripeness", _d(s)),
    ),
    Recipe(
        "dialogues:insight_ripeness_edit",
        "a ripeness log entry's date, kind or words change (detail: the fields' names, kind and date)",
        Action.RIPENESS_ENTRY_CHANGED,
        "facilitator",
        target=lambda s: s.a.ripeness_entry,
        kwargs=_ripeness_entry,
        data={"kind": "agreement_signed"},
    ),
    Recipe(
        "dialogues:insight_ripeness_delete",
        "a ripeness log entry is deleted (after confirming; detail: kind and date)",
        Action.RIPENESS_ENTRY_DELETED,
        "facilitator",
        target=lambda s: s.a.ripeness_entry,
        kwargs=_ripeness_entry,
        data=CONFIRMED,
    ),
    # --- the foundation: the auditors' pages --------------------------------------------------------------
    Recipe(
        "audit:chain",
        "an auditor has a worker verify the whole audit chain",
        Action.CHAIN_CHECK_REQUESTED,
        "auditor",
        target=lambda s: "audit.chaincheck",
    ),
    Recipe(
        "audit:save_search",
        "an auditor saves a search of the log under a name",
        Action.SAVED_SEARCH_CREATED,
        "auditor",
        target=lambda s: "audit.savedsearch",
        data={"name": "Everything"},
    ),
    Recipe(
        "audit:saved_rename",
        "an auditor renames a saved search",
        Action.SAVED_SEARCH_RENAMED,
        "auditor",
        target=lambda s: s.saved,
        kwargs=lambda s: {"saved_id": s.saved.pk},
        data={"name": "Refusals"},
        setup=_search_saved,
    ),
    Recipe(
        "audit:saved_delete",
        "an auditor deletes a saved search (after confirming)",
        Action.SAVED_SEARCH_DELETED,
        "auditor",
        target=lambda s: s.saved,
        kwargs=lambda s: {"saved_id": s.saved.pk},
        data=CONFIRMED,
        setup=_search_saved,
    ),
    # --- dialogues: destroying a dialogue, a person's own data (issue 23) ---------------------------------
    Recipe(
        "dialogues:destruction",
        "a convenor asks for a concluded dialogue's destruction, with a reason (nothing is destroyed yet)",
        Action.DIALOGUE_DESTRUCTION_REQUESTED,
        "facilitator",
        target=lambda s: "dialogues.dialoguedestruction",
        kwargs=_d,
        data={"reason": "Programme ended; agreed with the funder to keep nothing."},
        setup=_concluded_with_a_second_convenor,
    ),
    Recipe(
        "dialogues:destruction_confirm",
        "a second convenor, one since before the request, confirms: the dialogue's data key is destroyed "
        "(after confirming; detail: ids and counts only)",
        Action.DIALOGUE_DESTROYED,
        "facilitator",
        target=lambda s: s.destruction,
        kwargs=_d,
        data=CONFIRMED,
        setup=_destruction_asked_by_the_second_convenor,
    ),
    Recipe(
        "dialogues:destruction_withdraw",
        "either convenor withdraws a destruction request not yet confirmed",
        Action.DIALOGUE_DESTRUCTION_WITHDRAWN,
        "facilitator",
        target=lambda s: s.destruction,
        kwargs=_d,
        page=lambda s: ("dialogues:destruction", _d(s)),
        setup=_destruction_asked_by_the_second_convenor,
    ),
    Recipe(
        "dialogues:erasure_request",
        "a person asks for their own data to be erased (after confirming; detail: their pseudonym, never "
        "the message)",
        Action.ERASURE_REQUESTED,
        "participant_absent",
        target=lambda s: "participants.erasurerequest",
        data={"message": "Please erase what you hold about me.", **CONFIRMED},
    ),
    Recipe(
        "dialogues:erasure_withdraw",
        "a person takes back their open erasure request (the request is deleted)",
        Action.ERASURE_WITHDRAWN,
        "participant_attended",
        target=lambda s: s.a.erasure_request,
        page=lambda s: ("dialogues:own_data", {}),
    ),
    Recipe(
        "dialogues:erasure_answer",
        "a convenor of the person's dialogue declines their erasure request, with a reason they read",
        Action.ERASURE_DECLINED,
        "facilitator",
        target=lambda s: s.a.erasure_request,
        kwargs=_erasure,
        data={"reason": "Your sealed summaries must be kept for the programme's evaluation."},
    ),
    Recipe(
        "dialogues:erasure_erase",
        "a convenor of the person's dialogue erases them, answering their request (after confirming; "
        "detail: the request, pseudonym and counts)",
        Action.PERSON_ERASED,
        "facilitator",
        target=lambda s: s.a.erasure_request.person,
        kwargs=_erasure,
        data=CONFIRMED,
    ),
    Recipe(
        "dialogues:staff_erasure_answer",
        "an administrator declines the erasure request of someone in no dialogue, with a reason",
        Action.ERASURE_DECLINED,
        "administrator",
        target=lambda s: s.a.unplaced_erasure_request,
        kwargs=_unplaced_erasure,
        data={"reason": "The grant's records must be kept until the audit of the grant."},
    ),
    Recipe(
        "dialogues:staff_erasure_erase",
        "an administrator erases someone in no dialogue, answering their request (after confirming)",
        Action.PERSON_ERASED,
        "administrator",
        target=lambda s: s.a.unplaced_erasure_request.person,
        kwargs=_unplaced_erasure,
        data=CONFIRMED,
    ),
    # --- reads that change something: a copy issued, an export -------------------------------------------
    Recipe(
        "dialogues:summary_download",
        "a reader first downloads their stamped copy of a sealed summary (GET; the copy itself is issued at "
        "sealing, or then for a reader who has none: COPY_ISSUED)",
        Action.SUMMARY_FIRST_READ,
        "participant_attended",
        target=lambda s: s.a.sealed,
        kwargs=_sum(lambda s: s.a.sealed),
        method="GET",
        setup=_ground_rules_accepted,
    ),
    Recipe(
        "dialogues:insight_ripeness_csv",
        "the ripeness log's entries are downloaded as CSV (GET; detail: the table's name)",
        Action.INSIGHT_EXPORTED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=_d,
        method="GET",
    ),
    Recipe(
        "funding:grant_export",
        "the accountant's CSV of every grant managed and its expenses is exported (GET)",
        Action.EXPORT,
        "facilitator",
        target=lambda s: "funding.grant[]",
        method="GET",
    ),
    Recipe(
        "dialogues:insight_composition_csv",
        "a table of a dialogue's composition is downloaded as CSV (GET; `detail` names the table)",
        Action.INSIGHT_EXPORTED,
        "facilitator",
        target=lambda s: s.a.dialogue,
        kwargs=lambda s: {"dialogue_id": s.a.dialogue.pk, "table": "roster"},
        method="GET",
    ),
    Recipe(
        "dialogues:programme_insight_csv",
        "a convenor downloads a table of the programme-wide insight as CSV (GET)",
        Action.INSIGHT_EXPORTED,
        "facilitator",
        target=lambda s: "dialogues.programme_insight[]",
        kwargs=lambda s: {"table": "newcomers"},
        method="GET",
    ),
    Recipe(
        "dialogues:own_data_export",
        "a person downloads their own data as JSON (GET; detail: the format)",
        Action.OWN_DATA_EXPORTED,
        "participant_attended",
        target=lambda s: s.users["participant_attended"].person,
        method="GET",
    ),
]


def _allowed_methods(callback) -> set[str] | None:
    """The methods a view serves, read from its require_http_methods wrapper (None: it names none, so it
    serves every method). Class-based views answer what they define a handler for."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    function = callback
    while function is not None:
        for cell in function.__closure__ or ():
            value = cell.cell_contents
            if (
                isinstance(value, list | tuple | set)
                and value
                and all(isinstance(m, str) and m.isupper() for m in value)
            ):
                return set(value)
        function = getattr(function, "__wrapped__", None)
    return None


def _patterns(resolver=None, prefix="", namespace=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, space)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else route), route, entry.callback


def post_urls() -> set[str]:
    """Every URL of Trackii's own whose view accepts POST (allauth's pages and the admin left out, as the
    access matrix leaves them out)."""
    ours = url_names()
    found = set()
    for name, route, callback in _patterns():
        _, module = ours[name]
        if module.startswith(tuple(EXCLUDED_MODULES)) or route.startswith(EXCLUDED_ROUTES):
            continue
        methods = _allowed_methods(callback)
        if methods is None or "POST" in methods:
            found.add(name)
    return found


def test_post_urls_agree_with_the_access_matrix():
    """The reading of each view's methods, checked against the matrix: a URL that answers a POST with
    anything but 405 for someone is a POST URL here too."""
    answered = {
        name
        for name, methods in MATRIX.items()
        if "POST" in methods and set(" ".join(methods["POST"].values()).split()) - {"405", "302"}
    }
    assert answered - post_urls() == set()


def test_every_post_url_has_a_recipe():
    recipes = {recipe.url for recipe in RECIPES if recipe.method == "POST"}
    missing = post_urls() - recipes - EXEMPT.keys()
    assert not missing, (
        "These URLs accept POST but have no recipe in tests/audit/test_every_write_audited.py: add one "
        "(who, which object, what form data, the Action it must write) and a row in docs/audit-actions.md, "
        f"or, if it truly changes nothing, an EXEMPT entry with the reason: {sorted(missing)}"
    )
    assert recipes - post_urls() == set(), "these recipes name URLs that no longer accept POST"
    assert EXEMPT.keys() - post_urls() == set(), "these EXEMPT entries name URLs that no longer accept POST"
    assert not EXEMPT.keys() & recipes, "an EXEMPT URL has a recipe: it changes something after all"


def test_every_recipe_writes_a_state_change_action():
    for recipe in RECIPES:
        assert recipe.action not in NOT_A_CHANGE, f"{recipe.url}: {recipe.action} says nothing changed"
        assert isinstance(recipe.action, Action)


TABLE_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*`([A-Z_]+)`\s*\|(.*)\|\s*$")


def test_every_recipe_is_in_the_docs_table():
    rows = {(match[1], match[3]) for line in DOC.read_text().splitlines() if (match := TABLE_ROW.match(line))}
    missing = [f"{r.url} | {r.action.name}" for r in RECIPES if (r.url, r.action.name) not in rows]
    assert not missing, f"add these rows to {DOC.name}: {missing}"
    unknown = [member for _, member in rows if member not in Action.__members__]
    assert not unknown, f"{DOC.name} names actions that are not Action members: {unknown}"


def _scene(world) -> SimpleNamespace:
    return SimpleNamespace(world=world, a=world.a, b=world.b, users=world.users)


def _form_data(client, recipe: Recipe, s, url: str) -> dict:
    """What a browser would send from the page that shows the form (the URL's own page, or `page`), with the
    recipe's values typed in."""
    sent = {}
    page = recipe.page(s) if recipe.page else (recipe.url, recipe.kwargs(s))
    if recipe.page is None and "GET" not in (_allowed_methods(resolve(url).func) or {"GET"}):
        page = None
    response = client.get(reverse(page[0], kwargs=page[1])) if page else None
    if (
        response is not None
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
    ):
        html = response.content.decode()
        for action in (url, "") if recipe.page is None else (url,):
            try:
                sent = submitted_values(html, action=action)
            except IndexError:
                continue
            break
    data = recipe.data(s) if callable(recipe.data) else recipe.data
    return {**sent, **data}


def _take_step(client, recipe: Recipe, s) -> tuple[list[AuditEvent], str]:
    url = reverse(recipe.url, kwargs=recipe.kwargs(s))
    data = _form_data(client, recipe, s, url) if recipe.method == "POST" else {}
    if recipe.files:
        data.update(recipe.files(s))
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url) if recipe.method == "GET" else client.post(url, data)
    rows = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
    answer = f"{response.status_code} {response.get('Location', '')}".strip()
    if response.status_code == 400:
        answer += (
            " "
            + " ".join(
                re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
            )[:400]
        )
    return rows, answer


def _matches(row: AuditEvent, recipe: Recipe, s, actor) -> bool:
    target = recipe.target(s)
    if isinstance(target, str) and target.endswith("[]"):
        target_ok = row.target_type == target.removesuffix("[]")
    elif isinstance(target, str):
        target_ok = row.target_type == target and row.target_id != ""
    else:
        target_ok = (row.target_type, row.target_id) == (target._meta.label_lower, str(target.pk))
    return row.action == recipe.action and row.actor_id == getattr(actor, "pk", None) and bool(target_ok)


@pytest.mark.django_db
def test_every_state_change_writes_its_own_audit_row(client, capsys):
    world = build_world()
    sealed_pdf = Summary.objects.get(pk=world.a.sealed.pk).sealed_pdf
    failures = []
    for recipe in RECIPES:
        client.logout()
        client.cookies.clear()
        with transaction.atomic():
            s = _scene(world)
            s.sealed_pdf = _upload(sealed_pdf)
            if recipe.setup:
                recipe.setup(s)
            user = s.users.get(recipe.who)
            if user is not None:
                user.refresh_from_db()  # the session a step before this one ended was rolled back
                client.force_login(user)
            try:
                rows, answer = _take_step(client, recipe, s)
                actor = recipe.actor(s) if recipe.actor else user
                if not any(_matches(row, recipe, s, actor) for row in rows):
                    written = [(r.action, r.actor_id, r.target_type, r.target_id) for r in rows] or "no row"
                    failures.append(
                        f"{recipe.url} ({recipe.changes}) as {recipe.who}: answered {answer}, expected "
                        f"{recipe.action.name} by {getattr(actor, 'pk', None)} on "
                        f"{_label(recipe.target(s))}; wrote {written}"
                    )
            finally:
                transaction.set_rollback(True)
    with capsys.disabled():
        print(
            f"\nevery write audited: {len(RECIPES)} state changes walked, {len(failures)} without their row"
        )
    assert not failures, "\n".join(failures)


def _label(target) -> str:
    return target if isinstance(target, str) else f"{target._meta.label_lower} {target.pk}"


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("summary.pdf", bytes(data), content_type="application/pdf")
