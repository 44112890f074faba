"""Scale data for the benchmarks: many dialogues, people and workshops, written in bulk, with the logins and
the grant rows a real Third Party of that size would hold.

The grant rows are computed here rather than made by the services (one guardian call per row would take
hours at this size), but they are the same rows: a group per dialogue role holding that role's permissions
on the dialogue (dialogues.services.assign_role), view_workshop to invitees with a login, review_summary to
the attendees of a draft in review, view_summary to a sealed summary's frozen audience
(dialogues.services.sync_person_grants), and a group per funder with view_grant on its grants
(funding.funders.services.sync_funder_access). tests/test_seed.py rebuilds them through those services and
compares.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from dialogues.enums import (
    DialogueRole,
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
    DialogueGroupObjectPermission,
    Invitation,
    Side,
    Summary,
    SummaryCopy,
    SummaryUserObjectPermission,
    Workshop,
    WorkshopSeries,
    WorkshopUserObjectPermission,
)
from dialogues.permissions import ROLE_PERMISSIONS, role_group_name
from funding.enums import FunderKind, GrantStatus
from funding.funders.services import _funder_group_name as funder_group_name
from funding.models import Funder, Grant, GrantGroupObjectPermission
from participants.enums import FundingConsent, Proximity, Risk
from participants.models import EMAIL_INDEX_PURPOSE, Facilitator, Membership, Person, ThirdParty
from trackii.accounts.fields import login_index
from trackii.accounts.models import User
from trackii.crypto import blind_index
from trackii.demo.specs import (
    ABSENT,
    ACCEPTED,
    ATTENDED,
    CONVENOR,
    DECLINED,
    INVITED,
    MONTEVIDEO,
    NAIROBI,
    OSLO,
    PARTICIPANT,
    SINGAPORE,
    days_after,
)

# --- Scale data for benchmarks ----------------------------------------------------------------------------

SCALE_THIRD_PARTY = "Scale Test Third Party"
SCALE_PEOPLE_PER_DIALOGUE = 20  # the first is the dialogue's convenor, the others its participants
# Participants k = 1..19 of each dialogue: those with k % 3 == 0 have no login (not yet invited to make one);
# the others, like every convenor, have one. A participant with a login also takes part in the next
# k % 4 dialogues, so most are in 2-4 dialogues and a dialogue has about 38 members.
SCALE_NO_LOGIN_EVERY = 3
SCALE_REACH_CYCLE = 4
SCALE_WORKSHOPS_PER_DIALOGUE = 10  # one series of 10 (even dialogues) or two of 5 (odd ones)
SCALE_AGENDA_ITEMS_PER_WORKSHOP = 3
SCALE_INVITATIONS_PER_WORKSHOP = 8
SCALE_UNSEALED_EVERY = 3  # of the held workshops before the last, every third has no summary yet
SCALE_FUNDERS = 4  # each dialogue has one grant from one of them (round robin)
SCALE_OFFICERS_PER_FUNDER = 2
SCALE_BATCH_SIZE = 5000
SCALE_DIALOGUES_PER_TRANSACTION = 250  # bounds the memory a run holds and what an interruption loses
SCALE_ZONES = (OSLO, SINGAPORE, NAIROBI, MONTEVIDEO, "Europe/Vienna", "Asia/Tokyo")
SCALE_PAST_STATUSES = (ATTENDED, ATTENDED, ATTENDED, ABSENT, ATTENDED, DECLINED, ATTENDED, ATTENDED)
SCALE_FUTURE_STATUSES = (ACCEPTED, INVITED, ACCEPTED, DECLINED, INVITED, ACCEPTED, ACCEPTED, INVITED)
SCALE_PREFIX_MAX_LENGTH = 22  # pseudonyms are "<prefix>-p0000001" in 32 characters
# Scale logins cannot log in: an unusable password (Django's "!" prefix), written as is, since hashing one
# per row would take most of the run. Only the heavy logins below have a real password.
SCALE_UNUSABLE_PASSWORD = "!scale-login-without-password"  # noqa: S105 (not a password: unusable)

# The worst cases the HTTP benchmark logs in as (make bench): fixed e-mails, a real password.
HEAVY_CONVENOR = "heavy-convenor@bench.trackii.test"
HEAVY_PARTICIPANT = "heavy-participant@bench.trackii.test"
HEAVY_FUNDER = "heavy-funder@bench.trackii.test"
HEAVY_CONVENES = 200  # dialogues, spread over the run
HEAVY_TAKES_PART = 30
HEAVY_FUNDED = 200
BENCH_PASSWORD = "trackii-bench-password"  # noqa: S105 (fictional benchmark logins)


def _has_login(k: int) -> bool:
    return k == 0 or k % SCALE_NO_LOGIN_EVERY != 0


def _reach(k: int) -> int:
    """How many dialogues after their own a participant with a login also takes part in."""
    return k % SCALE_REACH_CYCLE if k and _has_login(k) else 0


def _spread(dialogues: int, count: int) -> frozenset[int]:
    """`count` dialogue numbers out of 1..dialogues, evenly spread (all of them if there are fewer)."""
    step = max(1, dialogues // count) if count else 1
    return frozenset(range(1, dialogues + 1, step)[:count])


def scale_counts(dialogues: int, *, heavy: bool = True) -> dict[str, int]:
    """The rows seed_scale adds for this many dialogues (`heavy`: the heavy logins are new, as on a fresh
    database). The grant rows depend on attendance and are counted by the run itself."""
    n, workshops = dialogues, dialogues * SCALE_WORKSHOPS_PER_DIALOGUE
    members = SCALE_PEOPLE_PER_DIALOGUE - 1
    travelling = sum(
        min(_reach(k), n - i) for i in range(1, n + 1) for k in range(1, SCALE_PEOPLE_PER_DIALOGUE)
    )
    logins_per_dialogue = sum(_has_login(k) for k in range(SCALE_PEOPLE_PER_DIALOGUE))
    officers = SCALE_FUNDERS * SCALE_OFFICERS_PER_FUNDER
    takes_part = len(_spread(n, HEAVY_TAKES_PART)) if heavy else 0
    return {
        "dialogues": n,
        "sides": sum(3 if i % 3 == 0 else 2 for i in range(1, n + 1)),
        "people": n * SCALE_PEOPLE_PER_DIALOGUE + officers + (3 if heavy else 0),
        "logins": n * logins_per_dialogue + officers + (3 if heavy else 0),
        "facilitators": n + (len(_spread(n, HEAVY_CONVENES)) if heavy else 0),
        "memberships": n * members + travelling + takes_part,
        "series": sum(1 if i % 2 == 0 else 2 for i in range(1, n + 1)),
        "workshops": workshops,
        "agenda items": workshops * SCALE_AGENDA_ITEMS_PER_WORKSHOP,
        "invitations": workshops * SCALE_INVITATIONS_PER_WORKSHOP + takes_part * SCALE_WORKSHOPS_PER_DIALOGUE,
        "funders": SCALE_FUNDERS + (1 if heavy else 0),
        "grants": n + (len(_spread(n, HEAVY_FUNDED)) if heavy else 0),
    }


@dataclass
class _Heavy:
    """The heavy logins' people, and where they hold their roles (nothing if they existed already)."""

    convenor: Person | None = None
    participant: Person | None = None
    officer: Person | None = None
    funder: Funder | None = None
    convenes: frozenset[int] = frozenset()
    takes_part: frozenset[int] = frozenset()
    funded: frozenset[int] = frozenset()


@dataclass
class _Run:
    """What every block of dialogues shares."""

    prefix: str
    third_party: ThirdParty
    now: dt.datetime
    heavy: _Heavy
    funders: list[Funder]
    # Funder id → the users of its officers (its group's members) and its group.
    officer_users: dict[int, list[int]]
    funder_groups: dict[int, int]
    # (model, codename) → Permission id.
    perms: dict[tuple[type, str], int]
    # Participants with a login still taking part in later dialogues: (person, last dialogue number).
    travellers: list[tuple[Person, int]] = field(default_factory=list)


def _permissions() -> dict[tuple[type, str], int]:
    wanted = {
        Dialogue: {codename for codenames in ROLE_PERMISSIONS.values() for codename in codenames},
        Workshop: {"view_workshop"},
        Summary: {"view_summary", "review_summary"},
        Grant: {"view_grant"},
    }
    found = {}
    for model, codenames in wanted.items():
        content_type = ContentType.objects.get_for_model(model)
        for pk, codename in Permission.objects.filter(
            content_type=content_type, codename__in=codenames
        ).values_list("pk", "codename"):
            found[model, codename] = pk
    return found


def _copy(model, columns: tuple[str, ...], rows) -> int:
    """Write rows of plain values (ids, text, dates) with PostgreSQL's COPY: for the tables whose rows need no
    id back and nothing Python-side (no encryption), several times faster than bulk_create."""
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    written = 0
    sql = f"COPY {model._meta.db_table} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _login_person(*, pseudonym: str, name: str, email: str, user: User) -> Person:
    return Person.objects.create(
        pseudonym=pseudonym,
        name=name,
        email=email,
        affiliation="Scale benchmarks",
        languages=["en"],
        user=user,
    )


def _setup(*, dialogues: int, prefix: str, third_party: ThirdParty, password: str, now: dt.datetime) -> _Run:
    """The funders with their officers and groups, and the heavy logins unless they exist already."""
    heavy = _Heavy()
    if not User.objects.filter(email=HEAVY_CONVENOR).exists():
        hashed = make_password(password)
        users = {
            email: User.objects.create(email=email, password=hashed)
            for email in (HEAVY_CONVENOR, HEAVY_PARTICIPANT, HEAVY_FUNDER)
        }
        heavy = _Heavy(
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
            convenes=_spread(dialogues, HEAVY_CONVENES),
            takes_part=_spread(dialogues, HEAVY_TAKES_PART),
            funded=_spread(dialogues, HEAVY_FUNDED),
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
    return _Run(
        prefix=prefix,
        third_party=third_party,
        now=now,
        heavy=heavy,
        funders=funders,
        officer_users=officer_users,
        funder_groups=funder_groups,
        perms=_permissions(),
    )


def _scale_chunk(numbers: range, *, run: _Run) -> dict[str, int]:
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
            if _has_login(k):
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
        for k, person in enumerate(members[i] + extra):
            memberships.append(
                Membership(
                    person=person,
                    dialogue=dialogue_of[i],
                    side=sides[i][k % len(sides[i])],
                    role=PARTICIPANT,
                    joined_on=joined_on,
                    ground_rules_accepted_at=midnight - dt.timedelta(days=390),
                    funding_consent=FundingConsent.APPROVED if k % 7 else FundingConsent.PENDING,
                )
            )
        run.travellers = [(person, last) for person, last in run.travellers if last > i]
        run.travellers += [(person, i + _reach(k)) for k, person in enumerate(people[i]) if _reach(k)]
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
    attended: dict[Workshop, list[Person]] = {}
    for i in numbers:
        for k, workshop in enumerate(workshops[i]):
            agenda.extend(
                (workshop.pk, p, f"Agenda item {p}", "", 60 + 30 * p, p == SCALE_AGENDA_ITEMS_PER_WORKSHOP)
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
    counts["agenda items"] = _copy(
        AgendaItem,
        ("workshop", "position", "title", "description", "duration_minutes", "facilitators_only"),
        agenda,
    )
    counts["invitations"] = _copy(
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

    summaries = _summaries(numbers, workshops=workshops, convenors=convenors, now=now)
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

    _grant_rows(
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


def _summaries(numbers: range, *, workshops: dict, convenors: dict, now: dt.datetime) -> list[Summary]:
    """The held workshops' summaries: the last one held in review, most earlier ones sealed."""
    rows = []
    for i in numbers:
        held = [workshop for workshop in workshops[i] if workshop.status == WorkshopStatus.HELD]
        author = convenors[i][0].user
        for k, workshop in enumerate(held):
            body = f"## Agenda item 1\n\nWhat was said at {workshop.title.lower()}, without names.\n"
            if k == len(held) - 1:
                rows.append(
                    Summary(
                        workshop=workshop,
                        status=SummaryStatus.IN_REVIEW,
                        body=body,
                        review_deadline=now + dt.timedelta(days=7),
                        created_by=author,
                    )
                )
            elif k % SCALE_UNSEALED_EVERY != SCALE_UNSEALED_EVERY - 1:
                sealed_at = workshop.ends_at + dt.timedelta(days=14)
                rows.append(
                    Summary(
                        workshop=workshop,
                        status=SummaryStatus.SEALED,
                        body=body,
                        sealed_at=sealed_at,
                        # No sealed PDF: the pages defer it; only making a copy reads it.
                        sealed_sha256=hashlib.sha256(f"{workshop.pk}:{sealed_at}".encode()).hexdigest(),
                        created_by=author,
                    )
                )
    return rows


def _grant_rows(
    run: _Run,
    *,
    counts: dict[str, int],
    dialogue_of: dict[int, Dialogue],
    convenors: dict[int, list[Person]],
    members: dict[int, list[Person]],
    invitations: list[tuple[Workshop, Person, str]],
    summaries: list[Summary],
    attended: dict[Workshop, list[Person]],
    grants: list[Grant],
) -> None:
    """The rows the services would have written for these dialogues (module docstring)."""
    perms = run.perms
    funded_by: dict[int, set[int]] = {}
    for grant in grants:
        # As seed_demo does: a funder's officers with a login hold the funder role (aggregates only) in each
        # dialogue the funder pays for.
        funded_by.setdefault(grant.dialogue_id, set()).update(run.officer_users[grant.funder_id])
    holders: dict[tuple[int, str], list[int]] = {}
    for i, dialogue in dialogue_of.items():
        holders[dialogue.pk, DialogueRole.CONVENOR] = [person.user_id for person in convenors[i]]
        holders[dialogue.pk, DialogueRole.PARTICIPANT] = [
            person.user_id for person in members[i] if person.user_id
        ]
        holders[dialogue.pk, DialogueRole.FUNDER] = sorted(funded_by.get(dialogue.pk, ()))
    # A role's group exists once someone with a login holds the role (services._role_group).
    holders = {key: users for key, users in holders.items() if users}
    groups = {key: Group(name=role_group_name(*key)) for key in holders}
    Group.objects.bulk_create(groups.values(), batch_size=SCALE_BATCH_SIZE)
    counts["role groups"] = counts.get("role groups", 0) + len(groups)

    def copy(label: str, model, columns: tuple[str, ...], rows) -> None:
        counts[label] = counts.get(label, 0) + _copy(model, columns, rows)

    copy(
        "role grants",
        DialogueGroupObjectPermission,
        ("group", "permission", "content_object"),
        (
            (group.pk, perms[Dialogue, codename], dialogue_id)
            for (dialogue_id, role), group in groups.items()
            for codename in sorted(ROLE_PERMISSIONS[role])
        ),
    )
    copy(
        "role holders",
        User.groups.through,
        ("user", "group"),
        ((user_id, groups[key].pk) for key, user_ids in holders.items() for user_id in user_ids),
    )
    view_workshop = perms[Workshop, "view_workshop"]
    copy(
        "workshop grants",
        WorkshopUserObjectPermission,
        ("user", "permission", "content_object"),
        (
            (person.user_id, view_workshop, workshop.pk)
            for workshop, person, _ in invitations
            if person.user_id
        ),
    )
    codename = {SummaryStatus.SEALED: "view_summary", SummaryStatus.IN_REVIEW: "review_summary"}
    copy(
        "summary grants",
        SummaryUserObjectPermission,
        ("user", "permission", "content_object"),
        (
            (person.user_id, perms[Summary, codename[summary.status]], summary.pk)
            for summary in summaries
            for person in attended[summary.workshop]
            if person.user_id
        ),
    )
    copy(
        "funder grants",
        GrantGroupObjectPermission,
        ("group", "permission", "content_object"),
        ((run.funder_groups[grant.funder_id], perms[Grant, "view_grant"], grant.pk) for grant in grants),
    )


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
