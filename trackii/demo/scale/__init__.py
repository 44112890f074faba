"""Scale data for the benchmarks (`seed_scale`): many dialogues, people and workshops, written in bulk, with
the logins and the grant rows a real Third Party of that size would hold. `plan.py` says what it is made of
(sizes, the heavy logins, `scale_counts`); `grants.py` writes the summaries and the grant rows, the same rows
the services would write (tests/test_seed_scale_grants.py rebuilds them through the services and compares).
"""

import datetime as dt
import hashlib
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dialogues.enums import (
    DialogueStatus,
    Objective,
    Sensitivity,
    SummaryStatus,
    Track,
    WorkshopFormat,
    WorkshopStatus,
)
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Invitation,
    Side,
    Summary,
    SummaryCopy,
    Workshop,
    WorkshopSeries,
)
from funding.enums import FunderKind, GrantStatus
from funding.funders.services import _funder_group_name as funder_group_name
from funding.models import Funder, Grant
from participants.enums import FundingConsent, Proximity, Risk
from participants.models import EMAIL_INDEX_PURPOSE, Facilitator, Membership, Person, ThirdParty
from participants.selectors import free_dialogue_pseudonym
from trackii.accounts.fields import login_index
from trackii.accounts.models import User
from trackii.crypto import blind_index, encrypt
from trackii.demo.scale.grants import copy_rows, permission_ids, summaries_of, write_grant_rows
from trackii.demo.scale.plan import (
    BENCH_PASSWORD,
    HEAVY_CONVENES,
    HEAVY_CONVENOR,
    HEAVY_FUNDED,
    HEAVY_FUNDER,
    HEAVY_PARTICIPANT,
    HEAVY_TAKES_PART,
    SCALE_AGENDA_ITEMS_PER_WORKSHOP,
    SCALE_BATCH_SIZE,
    SCALE_DIALOGUES_PER_TRANSACTION,
    SCALE_FUNDERS,
    SCALE_FUTURE_STATUSES,
    SCALE_INVITATIONS_PER_WORKSHOP,
    SCALE_OFFICERS_PER_FUNDER,
    SCALE_PAST_STATUSES,
    SCALE_PEOPLE_PER_DIALOGUE,
    SCALE_PREFIX_MAX_LENGTH,
    SCALE_THIRD_PARTY,
    SCALE_UNUSABLE_PASSWORD,
    SCALE_WORKSHOPS_PER_DIALOGUE,
    SCALE_ZONES,
    Heavy,
    Run,
    has_login,
    reach,
    scale_counts,
    spread,
)
from trackii.demo.specs import (
    ACCEPTED,
    ATTENDED,
    CONVENOR,
    INVITED,
    PARTICIPANT,
    days_after,
)

__all__ = [
    "BENCH_PASSWORD",
    "HEAVY_CONVENOR",
    "HEAVY_FUNDER",
    "HEAVY_PARTICIPANT",
    "SCALE_INVITATIONS_PER_WORKSHOP",
    "SCALE_THIRD_PARTY",
    "scale_counts",
    "seed_scale",
]


def _login_person(*, pseudonym: str, name: str, email: str, user: User) -> Person:
    return Person.objects.create(
        pseudonym=pseudonym,
        name=name,
        email=email,
        affiliation="Scale benchmarks",
        languages=["en"],
        user=user,
    )


def _setup(*, dialogues: int, prefix: str, third_party: ThirdParty, password: str, now: dt.datetime) -> Run:
    """The funders with their officers and groups, and the heavy logins unless they exist already."""
    heavy = Heavy()
    if not User.objects.filter(email=HEAVY_CONVENOR).exists():
        hashed = make_password(password)
        users = {
            email: User.objects.create(email=email, password=hashed)
            for email in (HEAVY_CONVENOR, HEAVY_PARTICIPANT, HEAVY_FUNDER)
        }
        heavy = Heavy(
            convenor=_login_person(
                pseudonym=f"{prefix}-hc",
                name="Heavy Convenor",
                email=HEAVY_CONVENOR,
                user=users[HEAVY_CONVENOR],
            ),
            participant=_login_person(
                pseudonym=f"{prefix}-hp",
                name="Heavy Participant",
                email=HEAVY_PARTICIPANT,
                user=users[HEAVY_PARTICIPANT],
            ),
            officer=_login_person(
                pseudonym=f"{prefix}-hf", name="Heavy Funder", email=HEAVY_FUNDER, user=users[HEAVY_FUNDER]
            ),
            convenes=spread(dialogues, HEAVY_CONVENES),
            takes_part=spread(dialogues, HEAVY_TAKES_PART),
            funded=spread(dialogues, HEAVY_FUNDED),
        )
        heavy.funder = Funder.objects.create(
            name=f"Scale heavy funder ({prefix})", kind=FunderKind.FOUNDATION
        )
        heavy.funder.officers.add(heavy.officer)
    funders = [
        Funder.objects.create(name=f"Scale funder {n} ({prefix})", kind=list(FunderKind)[n % len(FunderKind)])
        for n in range(1, SCALE_FUNDERS + 1)
    ]
    officer_users: dict[int, list[int]] = {}
    for n, funder in enumerate(funders, start=1):
        officers = []
        for m in range(1, SCALE_OFFICERS_PER_FUNDER + 1):
            email = f"{prefix}-o{n}-{m}@scale.example.org"
            user = User.objects.create(email=email, password=SCALE_UNUSABLE_PASSWORD)
            officers.append(
                _login_person(
                    pseudonym=f"{prefix}-o{n}-{m}", name=f"Scale Officer {n}-{m}", email=email, user=user
                )
            )
        funder.officers.add(*officers)
        officer_users[funder.pk] = [officer.user_id for officer in officers]
    if heavy.funder is not None:
        funders_with_groups = [*funders, heavy.funder]
        officer_users[heavy.funder.pk] = [heavy.officer.user_id]
    else:
        funders_with_groups = funders
    funder_groups = {}
    for funder in funders_with_groups:
        group = Group.objects.create(name=funder_group_name(funder.pk))
        group.user_set.add(*officer_users[funder.pk])
        funder_groups[funder.pk] = group.pk
    return Run(
        prefix=prefix,
        third_party=third_party,
        now=now,
        heavy=heavy,
        funders=funders,
        officer_users=officer_users,
        funder_groups=funder_groups,
        perms=permission_ids(),
    )


def _scale_chunk(numbers: range, *, run: Run) -> dict[str, int]:
    counts: dict[str, int] = {}
    prefix, now, heavy = run.prefix, run.now, run.heavy
    tracks, sensitivities, proximities = list(Track), list(Sensitivity), list(Proximity)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def create(label: str, model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=SCALE_BATCH_SIZE)
        counts[label] = counts.get(label, 0) + len(rows)
        return rows

    dialogues = create(
        "dialogues",
        Dialogue,
        [
            Dialogue(
                title=f"Scale dialogue {i}",
                codename=f"{prefix}-{i:05d}",
                track=tracks[i % len(tracks)],
                objective=Objective.MIXED,
                sensitivity=sensitivities[i % len(sensitivities)],
                status=DialogueStatus.ACTIVE,
                conflict=f"Generated for benchmarks ({prefix}).",
                third_party=run.third_party,
            )
            for i in numbers
        ],
    )
    dialogue_of = dict(zip(numbers, dialogues, strict=True))
    sides = {
        i: [Side(dialogue=dialogue, name=f"Side {letter}") for letter in "ABC"[: 3 if i % 3 == 0 else 2]]
        for i, dialogue in dialogue_of.items()
    }
    create("sides", Side, [side for group in sides.values() for side in group])

    people: dict[int, list[Person]] = {}
    users: list[User] = []
    for i in numbers:
        people[i] = []
        for k in range(SCALE_PEOPLE_PER_DIALOGUE):
            n = (i - 1) * SCALE_PEOPLE_PER_DIALOGUE + k + 1
            pseudonym = f"{prefix}-p{n:07d}"
            email = f"{pseudonym}@scale.example.org"
            person = Person(
                pseudonym=pseudonym,
                name=f"Scale Person {n}",
                email=email,
                # bulk_create skips Person.save(), which would set the blind index (and User.save() its own).
                email_index=blind_index(email, purpose=EMAIL_INDEX_PURPOSE),
                affiliation=f"Scale organisation {n % 97}",
                proximity=proximities[n % len(proximities)],
                risk=Risk.ELEVATED if n % 10 == 0 else Risk.NORMAL,
                languages=["en"],
            )
            if has_login(k):
                person.user = User(
                    email=email, email_index=login_index(email), password=SCALE_UNUSABLE_PASSWORD
                )
                users.append(person.user)
            people[i].append(person)
    create("logins", User, users)
    for group in people.values():
        for person in group:
            if person.user is not None:
                person.user_id = person.user.pk  # bulk_create set the pk after the person took the user
    create("people", Person, [person for group in people.values() for person in group])

    convenors = {i: [people[i][0]] + ([heavy.convenor] if i in heavy.convenes else []) for i in numbers}
    create(
        "facilitators",
        Facilitator,
        [
            Facilitator(person=person, dialogue=dialogue_of[i], role=CONVENOR)
            for i in numbers
            for person in convenors[i]
        ],
    )

    joined_on = days_after(now.date(), -400)
    members: dict[int, list[Person]] = {}
    memberships = []
    for i in numbers:
        own = people[i][1:]
        members[i] = own + [person for person, last in run.travellers if last >= i]
        extra = [heavy.participant] if i in heavy.takes_part else []
        taken: set[str] = set()  # a pseudonym per member, random and once per dialogue (decision 0026)
        for k, person in enumerate(members[i] + extra):
            taken.add(pseudonym := free_dialogue_pseudonym(dialogue_id=dialogue_of[i].pk, taken=taken))
            memberships.append(
                Membership(
                    person=person,
                    dialogue=dialogue_of[i],
                    pseudonym=pseudonym,
                    side=sides[i][k % len(sides[i])],
                    role=PARTICIPANT,
                    joined_on=joined_on,
                    ground_rules_accepted_at=midnight - dt.timedelta(days=390),
                    funding_consent=FundingConsent.APPROVED if k % 7 else FundingConsent.PENDING,
                )
            )
        run.travellers = [(person, last) for person, last in run.travellers if last > i]
        run.travellers += [(person, i + reach(k)) for k, person in enumerate(people[i]) if reach(k)]
    create("memberships", Membership, memberships)

    series = {}
    for i, dialogue in dialogue_of.items():
        titles = ["Main series"] if i % 2 == 0 else ["Series A", "Series B"]
        series[i] = [
            WorkshopSeries(dialogue=dialogue, title=t, position=p) for p, t in enumerate(titles, start=1)
        ]
    create("series", WorkshopSeries, [s for group in series.values() for s in group])

    workshops = {}
    for i in numbers:
        workshops[i] = []
        per_series = SCALE_WORKSHOPS_PER_DIALOGUE // len(series[i])
        for k in range(SCALE_WORKSHOPS_PER_DIALOGUE):
            # Spread over about a year and a half, most of it past: a few upcoming workshops per dialogue.
            starts_at = midnight + dt.timedelta(days=-300 + (i % 60) + 40 * k, hours=7 + i % 5)
            workshops[i].append(
                Workshop(
                    series=series[i][k // per_series],
                    number=k % per_series + 1,
                    title=f"Workshop {k + 1}",
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(days=1, hours=8),
                    timezone=SCALE_ZONES[(i + k) % len(SCALE_ZONES)],
                    venue=f"Scale venue {k + 1}, room {i % 7 + 1}",
                    format=list(WorkshopFormat)[k % 3],
                    status=WorkshopStatus.HELD if starts_at < now else WorkshopStatus.SCHEDULED,
                )
            )
    create("workshops", Workshop, [w for group in workshops.values() for w in group])

    agenda, invitations = [], []
    # COPY skips the fields' encryption: the agenda's words are encrypted here, as AgendaItem's fields would.
    agenda_title, agenda_description = (
        AgendaItem._meta.get_field(name).encryption_context for name in ("title", "description")
    )
    attended: dict[Workshop, list[Person]] = {}
    for i in numbers:
        for k, workshop in enumerate(workshops[i]):
            key_id = workshop.encryption_key_id  # the dialogue's data key, as AgendaItem.save() would use
            agenda.extend(
                (
                    workshop.pk,
                    p,
                    1,
                    encrypt(f"Agenda item {p}".encode(), context=agenda_title, data_key=key_id),
                    encrypt(b"", context=agenda_description, data_key=key_id),
                    60 + 30 * p,
                    p == SCALE_AGENDA_ITEMS_PER_WORKSHOP,
                )
                for p in range(1, SCALE_AGENDA_ITEMS_PER_WORKSHOP + 1)
            )
            past = workshop.starts_at < now
            statuses = SCALE_PAST_STATUSES if past else SCALE_FUTURE_STATUSES
            invited = [
                (members[i][(3 * k + j) % len(members[i])], statuses[(i + k + j) % len(statuses)])
                for j in range(SCALE_INVITATIONS_PER_WORKSHOP)
            ]
            if i in heavy.takes_part:
                invited.append((heavy.participant, ATTENDED if past else ACCEPTED))
            attended[workshop] = [person for person, status in invited if status == ATTENDED]
            invitations.extend((workshop, person, status) for person, status in invited)
    counts["agenda items"] = copy_rows(
        AgendaItem,
        ("workshop", "position", "day", "title", "description", "duration_minutes", "facilitators_only"),
        agenda,
    )
    counts["invitations"] = copy_rows(
        Invitation,
        ("workshop", "person", "status", "responded_at", "created_at"),
        (
            (
                workshop.pk,
                person.pk,
                status,
                None if status == INVITED else workshop.starts_at - dt.timedelta(days=10),
                now,
            )
            for workshop, person, status in invitations
        ),
    )

    summaries = summaries_of(numbers, workshops=workshops, convenors=convenors, now=now)
    create("summaries", Summary, summaries)
    create(
        "summary copies",
        SummaryCopy,
        [
            SummaryCopy(
                summary=summary,
                holder=person,
                audience=True,
                copy_code=hashlib.sha256(f"{summary.pk}:{person.pseudonym}".encode()).hexdigest(),
                sha256=hashlib.sha256(f"copy {summary.pk} {person.pk}".encode()).hexdigest(),
                # No stamped PDF: the pages and the reading room never read it; only a download does, and
                # fails on these copies (decision in docs/benchmarks.md, "Scale data").
                pdf=b"",
                audit_event_id=0,
            )
            for summary in summaries
            if summary.status == SummaryStatus.SEALED
            for person in attended[summary.workshop]
        ],
    )

    grants = []
    for i, dialogue in dialogue_of.items():
        funders = [run.funders[i % len(run.funders)]] + ([heavy.funder] if i in heavy.funded else [])
        grants.extend(
            Grant(
                funder=funder,
                dialogue=dialogue,
                third_party=run.third_party,
                reference=f"{prefix.upper()}-{i:05d}-{funder.pk}",
                amount=Decimal(50_000 + 1_000 * (i % 50)),
                currency="EUR",
                starts_on=days_after(now.date(), -400 + i % 30),
                ends_on=days_after(now.date(), 330 + i % 30),
                purpose="Generated for benchmarks.",
                status=GrantStatus.ACTIVE,
            )
            for funder in funders
        )
    create("grants", Grant, grants)

    write_grant_rows(
        run,
        counts=counts,
        dialogue_of=dialogue_of,
        convenors=convenors,
        members={i: members[i] + ([heavy.participant] if i in heavy.takes_part else []) for i in numbers},
        invitations=invitations,
        summaries=summaries,
        attended=attended,
        grants=grants,
    )
    return counts


def seed_scale(
    *,
    dialogues: int,
    prefix: str = "scale",
    bench_password: str = BENCH_PASSWORD,
    now: dt.datetime | None = None,
    progress=None,
) -> dict:
    """Add ``dialogues`` generated dialogues with their people, logins, workshops, invitations, summaries,
    grants and the grant rows of all of them, in bulk.

    Codenames are ``<prefix>-00001``...; a prefix already used is refused, so a second run needs another
    prefix. The heavy logins (HEAVY_*) are made by the first run only, with `bench_password`; a later run
    leaves them as they are and gives them no role in its dialogues. Each block of
    SCALE_DIALOGUES_PER_TRANSACTION dialogues is one transaction. Returns the counts.
    """
    if dialogues < 0:
        raise ValidationError("The number of dialogues cannot be negative.")
    if slugify(prefix) != prefix or not prefix or len(prefix) > SCALE_PREFIX_MAX_LENGTH:
        raise ValidationError(
            f"The prefix must be a lower-case slug of at most {SCALE_PREFIX_MAX_LENGTH} characters, "
            "e.g. 'scale2'."
        )
    if (
        Dialogue.objects.filter(codename__startswith=f"{prefix}-").exists()
        or Person.objects.filter(pseudonym__startswith=f"{prefix}-").exists()
    ):
        raise ValidationError(f"Scale data with the prefix “{prefix}” exists already: choose another prefix.")
    now = now or timezone.now()
    third_party, _ = ThirdParty.objects.get_or_create(name=SCALE_THIRD_PARTY)
    with transaction.atomic():
        run = _setup(
            dialogues=dialogues, prefix=prefix, third_party=third_party, password=bench_password, now=now
        )
    totals: dict[str, int] = {
        "people": len(run.funders) * SCALE_OFFICERS_PER_FUNDER + (3 if run.heavy.convenor else 0),
        "funders": len(run.funders) + (1 if run.heavy.funder else 0),
    }
    totals["logins"] = totals["people"]
    for start in range(1, dialogues + 1, SCALE_DIALOGUES_PER_TRANSACTION):
        numbers = range(start, min(start + SCALE_DIALOGUES_PER_TRANSACTION, dialogues + 1))
        with transaction.atomic():
            counts = _scale_chunk(numbers, run=run)
        for label, count in counts.items():
            totals[label] = totals.get(label, 0) + count
        if progress:
            progress(numbers[-1], dialogues)
    return totals
