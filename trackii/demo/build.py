"""The builders that load the demo programme through the services, idempotently."""

import datetime as dt
import zoneinfo
from collections import deque

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    ReviewCommentStatus,
    SummaryStatus,
    WorkshopStatus,
)
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Invitation,
    ReviewComment,
    Summary,
    Workshop,
)
from dialogues.permissions import role_group_name
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summary_services
from funding.approval import services as approval_services
from funding.disclosures import selectors as disclosure_selectors
from funding.disclosures import services as disclosure_services
from funding.enums import ConditionRuling, GrantStatus
from funding.funders import services as funder_services
from funding.grants import services as grant_services
from funding.models import Condition, Expense, Funder, Grant
from participants import services as participant_services
from participants.enums import FundingConsent
from participants.models import Person, ThirdParty
from participants.selectors import same_name
from trackii.accounts.models import User
from trackii.demo.funders import FUNDERS, GRANTS
from trackii.demo.lanternfield import LANTERNFIELD
from trackii.demo.outcomes import seed_outcome, seed_transfers
from trackii.demo.people import LOGINS, PEOPLE, THIRD_PARTY
from trackii.demo.ripeness import seed_ripeness
from trackii.demo.riverstone import RIVERSTONE
from trackii.demo.specs import (
    DEMO_PASSWORD,
    OBSERVER,
    PARTICIPANT,
    DialogueSpec,
    SeedReport,
    SummarySpec,
    WorkshopSpec,
    days_after,
)
from trackii.demo.tidewater import TIDEWATER
from trackii.sealing.services import run_seal_job
from trackii.staff.roles import GROUPS, Role

DIALOGUES = (TIDEWATER, RIVERSTONE, LANTERNFIELD)
NAME_FORMS = {spec.pseudonym: spec.other_names for spec in PEOPLE}
# The invitation steps a person with a login takes themselves (the rest are the facilitators').
ANSWERS = {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}

# --- Builders ---------------------------------------------------------------------------------------------


def _set_fields(obj, values: dict) -> bool:
    """Assign the values that differ and save them; True if anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def seed_users(report: SeedReport) -> dict[str, User]:
    users = {}
    for login in LOGINS:
        user, created = User.objects.get_or_create(email=login.email)
        report.count("users", created)
        user.is_staff, user.is_superuser, user.is_active = login.staff, login.superuser, True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        users[login.email] = user
    # The demo auditor reads the audit log (nothing else); the second administrator confirms what the first
    # asks for (trackii/staff/requests).
    for email, role in (("auditor@example.org", Role.AUDITOR), ("admin2@example.org", Role.ADMINISTRATOR)):
        Group.objects.get_or_create(name=GROUPS[role])[0].user_set.add(users[email])
    return users


def seed_third_party(report: SeedReport) -> ThirdParty:
    third_party, created = ThirdParty.objects.get_or_create(
        name=THIRD_PARTY["name"], defaults={k: v for k, v in THIRD_PARTY.items() if k != "name"}
    )
    report.count("third parties", created)
    return third_party


def seed_people(report: SeedReport, users: dict[str, User]) -> dict[str, Person]:
    people = {
        person.pseudonym: person
        for person in Person.objects.filter(pseudonym__in=[p.pseudonym for p in PEOPLE])
    }
    for spec in PEOPLE:
        user = users.get(spec.email)
        values = {
            "proximity": spec.proximity,
            "risk": spec.risk,
            "languages": list(spec.languages),
            "affiliation": spec.affiliation,
            "user": user,
        }
        person = people.get(spec.pseudonym)
        if person is None:
            person = participant_services.create_person(
                name=spec.name, email=spec.contact_email, pseudonym=spec.pseudonym, by=None, **values
            )
            people[spec.pseudonym] = person
            report.count("people", True)
        else:
            # Encrypted values compare as plaintext: the model decrypts them on load.
            _set_fields(person, {"name": spec.name, "email": spec.contact_email, **values})
    return people


# The statuses an object passes through, from its initial one, to reach each target status.
DIALOGUE_STEPS = {
    DialogueStatus.SCOPING: (),
    DialogueStatus.CONVENING: (DialogueStatus.CONVENING,),
    DialogueStatus.ACTIVE: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE),
    DialogueStatus.DORMANT: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE, DialogueStatus.DORMANT),
    DialogueStatus.CONCLUDED: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE, DialogueStatus.CONCLUDED),
}
GRANT_STEPS = {
    GrantStatus.PROPOSED: (),
    GrantStatus.ACCEPTED: (GrantStatus.ACCEPTED,),
    GrantStatus.DECLINED: (GrantStatus.DECLINED,),
    GrantStatus.ACTIVE: (GrantStatus.ACCEPTED, GrantStatus.ACTIVE),
    GrantStatus.CLOSED: (GrantStatus.ACCEPTED, GrantStatus.ACTIVE, GrantStatus.CLOSED),
}


def _remaining_steps(current: str, steps: tuple[str, ...]) -> tuple[str, ...]:
    """The steps still to take: none once the object is at (or past) its target, all from the start."""
    if current in steps:
        return steps[steps.index(current) + 1 :]
    return steps


def _workshop_times(spec: WorkshopSpec, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """09:00 on the first day to 17:00 on the last, in the venue's time zone."""
    zone = zoneinfo.ZoneInfo(spec.timezone)
    first = days_after(today, spec.days_from_today)
    last = days_after(first, spec.days - 1)
    return (
        dt.datetime.combine(first, dt.time(9), tzinfo=zone),
        dt.datetime.combine(last, dt.time(17), tzinfo=zone),
    )


def _invitation_path(current: str, target: str) -> list[str]:
    """The shortest walk through the allowed invitation transitions from current to target."""
    transitions = scheduling_services.INVITATION_TRANSITIONS
    queue, previous = deque([current]), {current: None}
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for following in transitions[InvitationStatus(state)]:
            if following not in previous:
                previous[following] = state
                queue.append(following)
    if target not in previous:
        raise RuntimeError(f"An invitation cannot go from {current} to {target}: reset the demo database.")
    path, state = [], target
    while state != current:
        path.append(state)
        state = previous[state]
    return path[::-1]


def _drive_invitation(invitation: Invitation, target: str, now: dt.datetime, *, by: User) -> Invitation:
    workshop = invitation.workshop
    for step in _invitation_path(invitation.status, target):
        if step in scheduling_services.ATTENDANCE:
            at = now
        elif workshop.ends_at < now:
            # The reply to a workshop that is now over was given before it: two weeks ahead.
            at = workshop.starts_at - dt.timedelta(days=14)
        else:
            at = now
        person = invitation.person
        if step in ANSWERS and person.user_id:
            # Their own answer, audited as theirs (issue 19: the log says what each person did).
            invitation = scheduling_services.respond_to_invitation(
                invitation=invitation, status=step, now=at, by=person.user
            )
        else:
            invitation = scheduling_services.set_invitation_status(
                invitation=invitation, status=step, now=at, by=by
            )
    return invitation


def seed_dialogue(
    spec: DialogueSpec,
    *,
    report: SeedReport,
    third_party: ThirdParty,
    people: dict[str, Person],
    users: dict[str, User],
    now: dt.datetime,
) -> Dialogue:
    today = now.date()
    fields = {
        "title": spec.title,
        "track": spec.track,
        "objective": spec.objective,
        "sensitivity": spec.sensitivity,
        "conflict": spec.conflict,
        "third_party": third_party,
    }
    dialogue = Dialogue.objects.filter(codename=spec.codename).first()
    if dialogue is None:
        dialogue = dialogue_services.create_dialogue(
            codename=spec.codename, sides=list(spec.sides), by=users["convenor@example.org"], **fields
        )
        report.count("dialogues", True)
    else:
        _set_fields(dialogue, fields)
        for name in spec.sides:
            dialogue_services.add_side(dialogue=dialogue, name=name, by=users["convenor@example.org"])
    sides = {side.name: side for side in dialogue.sides.all()}

    # assign_role records who gave the role in the audit log, so it runs only for a role not yet given;
    # a second run finds the roles and leaves the log alone.
    convenor = users["convenor@example.org"]
    for pseudonym, role in spec.facilitators:
        person = people[pseudonym]
        if not person.facilitator_roles.filter(dialogue=dialogue, role=role).exists():
            dialogue_services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole(role), by=convenor
            )

    joined_on = days_after(today, -240)
    for pseudonym, side_name, role in spec.members:
        person, side = people[pseudonym], sides[side_name] if side_name else None
        is_new = not person.memberships.filter(dialogue=dialogue).exists()
        membership = participant_services.add_member(
            dialogue=dialogue, person=person, side=side, role=role, joined_on=joined_on
        )
        for other in NAME_FORMS.get(pseudonym, ()):  # recorded on this dialogue's roster (Lanternfield's)
            if not same_name(person=person, name=other, dialogue_id=dialogue.pk):
                participant_services.add_name_form(
                    person=person, name=other, by=None, dialogue_id=dialogue.pk
                )
                report.count("other forms of names", True)
        # Resource persons have no role bundle: they take part through their invitations only.
        if is_new and role in {PARTICIPANT, OBSERVER}:
            dialogue_services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole(role), side=side, by=convenor
            )
        if pseudonym in spec.undecided:
            continue
        consent = FundingConsent.OBJECTED if pseudonym in spec.objections else FundingConsent.APPROVED
        if person.user_id:
            # Through the pages' own services, as the member: their acceptance and answer are in the log.
            summary_services.accept_ground_rules_before_reading(membership=membership, by=person.user)
            approval_services.answer_funding(membership=membership, consent=consent, by=person.user)
        else:
            participant_services.mark_ground_rules_accepted(membership=membership)
            participant_services.set_funding_consent(membership=membership, consent=consent)

    # scoping → convening → active (→ dormant): the steps a convenor takes.
    for status in _remaining_steps(dialogue.status, DIALOGUE_STEPS[spec.status]):
        dialogue = dialogue_services.change_dialogue_status(dialogue=dialogue, status=status, by=convenor)

    summary_author = users[spec.summary_author]
    workshops = {}
    for series_spec in spec.series:
        series = scheduling_services.create_series(
            dialogue=dialogue, title=series_spec.title, description=series_spec.description, by=convenor
        )
        for workshop_spec in series_spec.workshops:
            workshop = _seed_workshop(series, workshop_spec, today=today, now=now, report=report, by=convenor)
            workshops[(series_spec.title, workshop_spec.number)] = workshop
            for pseudonym, status in workshop_spec.invitations.items():
                invitation = scheduling_services.invite(
                    workshop=workshop, person=people[pseudonym], by=convenor
                )
                _drive_invitation(invitation, status, now, by=convenor)
            if workshop.ends_at < now:
                # Over: marked held with who attended, as a facilitator does after the workshop.
                attended = [
                    people[p] for p, s in workshop_spec.invitations.items() if s == InvitationStatus.ATTENDED
                ]
                scheduling_services.mark_workshop_held(
                    workshop=workshop, attended=attended, now=now, by=convenor
                )
            if workshop_spec.summary:
                _seed_summary(workshop, workshop_spec.summary, people=people, by=summary_author, now=now)

    for outcome_spec in spec.outcomes:
        seed_outcome(
            dialogue, outcome_spec, workshops=workshops, by=users["convenor@example.org"], today=today
        )
    return dialogue


def _seed_workshop(
    series, spec: WorkshopSpec, *, today: dt.date, now: dt.datetime, report: SeedReport, by: User
) -> Workshop:
    starts_at, ends_at = _workshop_times(spec, today)
    status = WorkshopStatus.HELD if ends_at < now else WorkshopStatus.SCHEDULED
    values = {
        "title": spec.title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": spec.timezone,
        "venue": spec.venue,
        "format": spec.format,
        "status": status,
    }
    workshop = series.workshops.filter(number=spec.number).first()
    if workshop is None:
        # The service numbers workshops itself; the specs are listed in order, so the numbers agree. A past
        # workshop was scheduled a month before it (the demo plays its history), then marked held.
        workshop = scheduling_services.schedule_workshop(
            series=series,
            timezone_name=spec.timezone,
            by=by,
            now=min(now, starts_at - dt.timedelta(days=30)),
            **{k: v for k, v in values.items() if k not in {"timezone", "status"}},
        )
        if workshop.number != spec.number:
            raise RuntimeError(f"Demo workshops of {series} are out of order: got {workshop.number}.")
        report.count("workshops", True)
    else:
        _set_fields(workshop, values)
    for position, (title, minutes, facilitators_only) in enumerate(spec.agenda, start=1):
        AgendaItem.objects.update_or_create(
            workshop=workshop,
            position=position,
            defaults={"title": title, "duration_minutes": minutes, "facilitators_only": facilitators_only},
        )
    workshop.agenda_items.filter(position__gt=len(spec.agenda)).delete()
    return workshop


def _seed_summary(workshop: Workshop, spec: SummarySpec, *, people, by: User, now: dt.datetime) -> Summary:
    summary, _ = Summary.objects.get_or_create(
        workshop=workshop, version=1, defaults={"body": spec.body, "created_by": by}
    )
    if summary.status == SummaryStatus.DRAFT:
        _set_fields(summary, {"body": spec.body})
        for language_code, body in spec.versions:
            summary_services.save_parallel_version(
                summary=summary, language_code=language_code, body=body, by=by
            )
    if spec.status == SummaryStatus.SEALED and summary.status == SummaryStatus.DRAFT:
        summary_services.request_seal(summary=summary, by=by)
        run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
        summary.refresh_from_db()
    if spec.status == SummaryStatus.IN_REVIEW:
        summary = summary_services.open_review(
            summary=summary, deadline=now + dt.timedelta(days=14), now=now, by=by
        )
    for author, section, body, suggested, status, response, *quote in spec.comments:
        person = people[author]
        text = {"body": body, "suggested_text": suggested, "quote": (quote or [""])[0]}
        # The section is encrypted under the dialogue's key: matched in Python, not in SQL (issue 23).
        existing = next(
            (c for c in ReviewComment.objects.filter(summary=summary, author=person) if c.section == section),
            None,
        )
        new = existing is None
        if new and person.user_id and summary.status == SummaryStatus.IN_REVIEW:
            # Written by the reviewer, answered by the facilitator: each their own row in the log (issue 19).
            comment = summary_services.add_review_comment(
                summary=summary, person=person, by=person.user, section=section, **text
            )
            if status != ReviewCommentStatus.OPEN:
                summary_services.respond_to_comment(comment=comment, status=status, response=response, by=by)
            continue
        values = {**text, "status": status, "response": response}
        if existing is None:
            ReviewComment.objects.create(summary=summary, author=person, section=section, **values)
        else:
            _set_fields(existing, values)
    return summary


def seed_funding(
    *,
    report: SeedReport,
    third_party: ThirdParty,
    people: dict[str, Person],
    users: dict[str, User],
    today: dt.date,
) -> None:
    funders, convenor = {}, users["convenor@example.org"]
    for spec in FUNDERS:
        funder, created = Funder.objects.update_or_create(
            name=spec.name, defaults={"kind": spec.kind, "country": spec.country}
        )
        report.count("funders", created)
        funder.officers.add(*(people[p] for p in spec.officers))
        funders[spec.name] = funder

    for spec in GRANTS:
        starts_on = days_after(today, spec.starts_days_from_today)
        grant, created = Grant.objects.update_or_create(
            funder=funders[spec.funder],
            reference=spec.reference,
            defaults={
                "dialogue": Dialogue.objects.get(codename=spec.dialogue) if spec.dialogue else None,
                "third_party": third_party,
                "amount": spec.amount,
                "currency": spec.currency,
                "starts_on": starts_on,
                "ends_on": days_after(starts_on, round(spec.months * 30.4)),
                "purpose": spec.purpose,
            },
        )
        report.count("grants", created)
        for condition_spec in spec.conditions:
            condition, _ = Condition.objects.get_or_create(
                grant=grant, kind=condition_spec.kind, defaults={"text": condition_spec.text}
            )
            _set_fields(condition, {"text": condition_spec.text})
            if condition_spec.ruling == ConditionRuling.PENDING:
                continue
            condition = grant_services.rule_on_condition(
                condition=condition,
                ruling=condition_spec.ruling,
                rationale=condition_spec.rationale,
                by=users[condition_spec.ruled_by],
            )
            if condition_spec.confirmed_by:
                grant_services.confirm_condition(condition=condition, by=users[condition_spec.confirmed_by])
        for status in _remaining_steps(grant.status, GRANT_STEPS[spec.status]):
            grant = grant_services.change_grant_status(grant=grant, status=status, by=convenor)
        # The funder's officers with an account get the funder role (aggregates only) in a dialogue the
        # funder pays for.
        if grant.dialogue_id and grant.status in {
            GrantStatus.ACCEPTED,
            GrantStatus.ACTIVE,
            GrantStatus.CLOSED,
        }:
            group_name = role_group_name(grant.dialogue_id, DialogueRole.FUNDER)
            for officer in grant.funder.officers.exclude(user=None).exclude(user__groups__name=group_name):
                dialogue_services.assign_role(
                    dialogue=grant.dialogue, person=officer, role=DialogueRole.FUNDER, by=convenor
                )
        for category, amount, days_ago, description in spec.expenses:
            Expense.objects.update_or_create(
                grant=grant,
                category=category,
                description=description,
                defaults={"amount": amount, "spent_on": days_after(today, -days_ago)},
            )
        # Every grant the funder already pays for has a sealed disclosure report, as a convenor would have
        # generated it (through the real pipeline, run here rather than by a worker).
        if grant.status in {GrantStatus.ACTIVE, GrantStatus.CLOSED} and not grant.disclosures.exists():
            disclosure = disclosure_services.request_disclosure(grant=grant, by=convenor)
            run_seal_job(job_id=disclosure_selectors.disclosure_job(disclosure=disclosure).pk)
            report.count("disclosure reports", True)
    for funder in funders.values():
        funder_services.sync_funder_access(funder=funder)


@transaction.atomic
def seed_demo(*, now: dt.datetime | None = None) -> SeedReport:
    """Create or refresh the whole demo programme in one transaction; running it again changes nothing but
    the dates, which follow the day of seeding."""
    now = now or timezone.now()
    report = SeedReport()
    users = seed_users(report)
    third_party = seed_third_party(report)
    people = seed_people(report, users)
    for spec in DIALOGUES:
        seed_dialogue(spec, report=report, third_party=third_party, people=people, users=users, now=now)
    seed_transfers(people=people, by=users["convenor@example.org"], today=now.date())
    seed_funding(report=report, third_party=third_party, people=people, users=users, today=now.date())
    seed_ripeness(report=report, users=users, today=now.date())
    # Grants that follow from invitations and review rounds, for accounts that came after them.
    for person in people.values():
        if person.user_id:
            dialogue_services.sync_person_grants(person=person)
    return report
