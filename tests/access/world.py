"""A small world with everything that could leak: two dialogues, each with a sealed summary, a draft in
review, a venue, a facilitators-only agenda item and a grant; and one account per role the matrix checks."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone

from dialogues import services
from dialogues.enums import (
    DialogueRole,
    InvitationStatus,
    OutcomeKind,
    OutcomeStage,
    RipenessKind,
    SummaryStatus,
)
from dialogues.insight.ripeness import services as ripeness_services
from dialogues.models import AgendaItem, Dialogue, Invitation, Outcome, RipenessEntry, Summary, Workshop
from dialogues.outcomes import services as outcome_services
from dialogues.owndata import services as owndata_services
from dialogues.personal import services as personal_services
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summaries
from funding.enums import ConditionKind
from funding.funders import services as funder_services
from funding.models import Condition, Disclosure, Expense, Grant
from participants import services as participant_services
from participants.models import ErasureRequest, Membership, PersonName
from tests.factories import (
    AgendaItemFactory,
    ConditionFactory,
    DialogueFactory,
    ExpenseFactory,
    FunderFactory,
    GrantFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.apps import AUDITORS_GROUP
from trackii.sealing.models import SealJob
from trackii.sealing.services import request_seal_job, run_seal_job
from trackii.staff.roles import GROUPS, Role

ROLES = [
    "anonymous",
    "participant_attended",
    "participant_absent",
    "participant_other",
    "facilitator",
    "facilitator_other",
    "funder",
    "funder_other",
    "auditor",
    "administrator",  # holds the administrator staff role (trackii/staff/roles.py), no dialogue role
    "superuser",
    "superuser_break_glass",
]


@dataclass
class Place:
    """One dialogue's objects."""

    dialogue: Dialogue
    workshop: Workshop
    sealed: Summary
    in_review: Summary
    draft: Summary
    membership: Membership
    grant: Grant
    # Added for the facilitator workspace's rows (tests/access/matrix_scheduling.py).
    agenda_item: AgendaItem | None = None
    invitation: Invitation | None = None  # the attended participant's
    feed_token: str = ""  # the attended participant's calendar feed
    # Added for the funding rows (tests/access/matrix_funding.py).
    condition: Condition | None = None  # flagged, on the grant
    expense: Expense | None = None  # on the grant, with a description a funder must not see
    disclosure: Disclosure | None = None  # sealed, of the grant
    # Added for the ripeness log (tests/access/matrix_insight_ripeness.py).
    ripeness_entry: RipenessEntry | None = None  # its words must reach nobody outside the facilitation team
    # Added for the transfer pipeline's rows (tests/access/matrix_insight_transfers.py).
    outcome: Outcome | None = None  # a transfer shared with officials, carried by the attended participant
    # Added for the names page (tests/access/matrix_names.py): another form of the attended one's name.
    person_name: PersonName | None = None
    # Added for the own-data rows (tests/access/matrix_owndata.py): the attended one asks to be erased.
    erasure_request: ErasureRequest | None = None
    # The funder's officer is in no dialogue (a funder's role is no membership): an administrator answers.
    unplaced_erasure_request: ErasureRequest | None = None


@dataclass
class World:
    users: dict = field(default_factory=dict)
    a: Place | None = None  # "this dialogue"
    b: Place | None = None  # "another dialogue"


def _person(email: str, **fields):
    return PersonFactory(user=UserFactory(email=email, **fields))


def _place(tag: str, *, attended, absent, convenor, funder_person, by) -> Place:
    dialogue = DialogueFactory(title=f"Secret {tag} talks", codename=f"secret-{tag}")
    north, south = SideFactory(dialogue=dialogue, name="North"), SideFactory(dialogue=dialogue, name="South")
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=by)
    services.assign_role(dialogue=dialogue, person=attended, role=DialogueRole.PARTICIPANT, side=north, by=by)
    if absent is not None:
        services.assign_role(
            dialogue=dialogue, person=absent, role=DialogueRole.PARTICIPANT, side=south, by=by
        )
    now = timezone.now()
    workshop = WorkshopFactory(
        series=SeriesFactory(dialogue=dialogue),
        number=1,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=2),
        venue=f"Hidden venue {tag}",
    )
    AgendaItemFactory(workshop=workshop, title=f"Open session {tag}")
    AgendaItemFactory(workshop=workshop, title=f"Facilitators' huddle {tag}", facilitators_only=True)
    invitation = scheduling_services.invite(workshop=workshop, person=attended, by=by)
    scheduling_services.set_invitation_status(invitation=invitation, status=InvitationStatus.ACCEPTED, by=by)
    if absent is not None:
        declined = scheduling_services.invite(workshop=workshop, person=absent, by=by)
        scheduling_services.set_invitation_status(
            invitation=declined, status=InvitationStatus.DECLINED, by=by
        )
    later = now + dt.timedelta(days=1, hours=1)
    scheduling_services.set_invitation_status(
        invitation=invitation, status=InvitationStatus.ATTENDED, now=later, by=by
    )
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1)
    )

    sealed = SummaryFactory(workshop=workshop, version=1, body=f"Sealed record {tag}")
    summaries.request_seal(summary=sealed, by=by)
    run_seal_job(job_id=SealJob.objects.get(kind="summary", object_id=sealed.pk).pk)
    sealed.refresh_from_db()
    assert sealed.status == SummaryStatus.SEALED, "the world's summary must really be sealed"
    in_review = summaries.amend_summary(summary=sealed, by=by)
    in_review = summaries.save_draft(summary=in_review, body=f"Draft in review {tag}", by=by)
    summaries.open_review(summary=in_review, deadline=now + dt.timedelta(days=7), by=by)
    # One version is written at a time per workshop, so the private draft belongs to the next workshop.
    draft = SummaryFactory(workshop=WorkshopFactory(series=workshop.series), body=f"Private draft {tag}")

    grant = GrantFactory(dialogue=dialogue, funder=FunderFactory(name=f"Foundation {tag}"))
    grant.funder.officers.add(funder_person)
    funder_services.sync_funder_access(funder=grant.funder)
    services.assign_role(dialogue=dialogue, person=funder_person, role=DialogueRole.FUNDER, by=by)
    condition = ConditionFactory(grant=grant, kind=ConditionKind.AGENDA, text=f"Funder sets agenda {tag}")
    expense = ExpenseFactory(grant=grant, description=f"Deposit for hidden venue {tag}")
    # A sealed disclosure report through the real pipeline (the grant is still proposed, which the service
    # would refuse; the world wants one to download).
    disclosure = Disclosure.objects.create(grant=grant, version=1)
    run_seal_job(job_id=request_seal_job(kind="disclosure", object_id=disclosure.pk).pk)
    disclosure.refresh_from_db()
    assert disclosure.sealed_at, "the world's disclosure must really be sealed"
    ripeness_entry = ripeness_services.add_ripeness_entry(
        dialogue=dialogue,
        occurred_on=now.date() - dt.timedelta(days=30),
        kind=RipenessKind.CEASEFIRE,
        text=f"Ceasefire brokered in secret {tag}",
        by=convenor.user,
    )
    outcome = outcome_services.record_outcome(
        dialogue=dialogue,
        kind=OutcomeKind.TRANSFER,
        title=f"Secret proposal {tag}",
        transfer_to=f"Hidden ministry {tag}",
        reached_on=now.date() - dt.timedelta(days=30),
        carriers=[attended],
        by=by,
    )
    outcome_services.record_outcome_stage(
        outcome=outcome,
        stage=OutcomeStage.DEVELOPED,
        reached_on=now.date() - dt.timedelta(days=10),
        channel=f"Hidden channel {tag}",
        carriers=[attended],
        note=f"Secret note {tag}",
        by=by,
    )
    person_name = participant_services.add_name_form(
        person=attended, name=f"Qorvina Zeltan {tag}", by=convenor.user, dialogue_id=dialogue.pk
    )
    return Place(
        dialogue=dialogue,
        workshop=workshop,
        sealed=sealed,
        in_review=in_review,
        draft=draft,
        membership=Membership.objects.get(dialogue=dialogue, person=attended),
        grant=grant,
        agenda_item=workshop.agenda_items.order_by("position").first(),
        invitation=Invitation.objects.get(pk=invitation.pk),
        feed_token=personal_services.issue_feed_token(by=attended.user),
        condition=condition,
        expense=expense,
        disclosure=disclosure,
        ripeness_entry=ripeness_entry,
        outcome=outcome,
        person_name=person_name,
        erasure_request=owndata_services.request_erasure(
            person=attended, message=f"Erase me {tag}", by=attended.user
        ),
        unplaced_erasure_request=owndata_services.request_erasure(
            person=funder_person, message=f"Erase the officer {tag}", by=funder_person.user
        ),
    )


def build_world() -> World:
    world = World()
    people = {
        role: _person(f"{role}@example.org")
        for role in ROLES
        if role not in {"anonymous", "auditor", "administrator", "superuser", "superuser_break_glass"}
    }
    auditor = _person("auditor@example.org", is_staff=True)
    auditor.user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    administrator = _person("administrator@example.org", is_staff=True).user
    administrator.groups.add(Group.objects.get(name=GROUPS[Role.ADMINISTRATOR]))
    superuser = UserFactory(email="superuser@example.org", is_staff=True, is_superuser=True)
    glass = UserFactory(email="superuser_break_glass@example.org", is_staff=True, is_superuser=True)
    world.a = _place(
        "a",
        attended=people["participant_attended"],
        absent=people["participant_absent"],
        convenor=people["facilitator"],
        funder_person=people["funder"],
        by=superuser,
    )
    world.b = _place(
        "b",
        attended=people["participant_other"],
        absent=None,
        convenor=people["facilitator_other"],
        funder_person=people["funder_other"],
        by=superuser,
    )
    services.assign_role(dialogue=world.a.dialogue, person=auditor, role=DialogueRole.AUDITOR, by=superuser)
    services.grant_break_glass(
        by=glass,
        dialogue=world.a.dialogue,
        reason="Participant safety emergency reported by phone",
        minutes=60,
    )
    world.users = {role: person.user for role, person in people.items()}
    world.users.update(
        anonymous=None,
        auditor=auditor.user,
        administrator=administrator,
        superuser=superuser,
        superuser_break_glass=glass,
    )
    return world
