"""The summaries of the scale data and the grant rows of everything it writes.

The grant rows are computed here rather than made by the services (one guardian call per row would take
hours at this size), but they are the same rows: a group per dialogue role holding that role's permissions
on the dialogue (dialogues.services.assign_role), view_workshop to invitees with a login, review_summary to
the attendees of a draft in review, view_summary to a sealed summary's frozen audience
(dialogues.services.sync_person_grants), and a group per funder with view_grant on its grants
(funding.funders.services.sync_funder_access). tests/test_seed_scale_grants.py rebuilds them through those
services and compares.
"""

import datetime as dt
import hashlib

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from dialogues.enums import (
    DialogueRole,
    SummaryStatus,
    WorkshopStatus,
)
from dialogues.models import (
    Dialogue,
    DialogueGroupObjectPermission,
    Summary,
    SummaryUserObjectPermission,
    Workshop,
    WorkshopUserObjectPermission,
)
from dialogues.permissions import ROLE_PERMISSIONS, role_group_name
from funding.models import Grant, GrantGroupObjectPermission
from participants.models import Person
from trackii.accounts.models import User
from trackii.demo.scale.plan import SCALE_BATCH_SIZE, SCALE_UNSEALED_EVERY, Run


def permission_ids() -> dict[tuple[type, str], int]:
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


def copy_rows(model, columns: tuple[str, ...], rows) -> int:
    """Write rows of plain values (ids, text, dates) with PostgreSQL's COPY: for the tables whose rows need no
    id back and nothing Python-side (encrypt a value before: COPY skips the fields), several times faster
    than bulk_create."""
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    written = 0
    sql = f"COPY {model._meta.db_table} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def summaries_of(numbers: range, *, workshops: dict, convenors: dict, now: dt.datetime) -> list[Summary]:
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


def write_grant_rows(
    run: Run,
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
        counts[label] = counts.get(label, 0) + copy_rows(model, columns, rows)

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
