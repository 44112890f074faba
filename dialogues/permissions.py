"""Who may see and do what in a dialogue.

Each dialogue role is a group per dialogue ("dialogue-12-convenor") holding one grant row per permission on
the Dialogue: dialogue-wide access costs one row per role, not one per workshop. Per-object grants exist only
where access is narrower than the dialogue: a workshop's invitees, a summary's reviewers and frozen audience,
a funder's own grants, and an administrator's break-glass grant (valid only while it has not expired).
"""

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus
from dialogues.models import (
    BreakGlassGrant,
    Dialogue,
    DialogueDestruction,
    DialogueGroupObjectPermission,
    DialogueUserObjectPermission,
    Invitation,
    Summary,
    SummaryGroupObjectPermission,
    SummaryUserObjectPermission,
    Workshop,
    WorkshopGroupObjectPermission,
    WorkshopSeries,
    WorkshopUserObjectPermission,
)
from participants.models import Facilitator, Membership, Person
from trackii.models import DataKey
from trackii.permissions import codename_of, decided_by, held, held_already, may_hold, within

_FACILITATION = {
    "view_dialogue",
    "view_roster",
    "view_all_workshops",
    "draft_summaries",
    "view_all_summaries",
    "view_outcomes",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    DialogueRole.CONVENOR: frozenset(
        _FACILITATION
        | {
            "manage_dialogue",
            "manage_members",
            "schedule_workshops",
            "view_funding",
            "manage_funding",
            "view_aggregates",
        }
    ),
    DialogueRole.FACILITATOR: frozenset(
        _FACILITATION | {"manage_dialogue", "schedule_workshops", "view_funding", "view_aggregates"}
    ),
    DialogueRole.RAPPORTEUR: frozenset(_FACILITATION),
    DialogueRole.PARTICIPANT: frozenset({"view_dialogue", "view_funding"}),
    DialogueRole.OBSERVER: frozenset({"view_dialogue"}),
    DialogueRole.RESOURCE_PERSON: frozenset({"view_dialogue"}),
    DialogueRole.FUNDER: frozenset({"view_aggregates"}),
    DialogueRole.AUDITOR: frozenset({"view_audit"}),
}
# Roles held through a Membership (one at a time per person and dialogue).
MEMBER_ROLES = frozenset({DialogueRole.PARTICIPANT, DialogueRole.OBSERVER, DialogueRole.RESOURCE_PERSON})
FACILITATION_ROLES = frozenset({DialogueRole.CONVENOR, DialogueRole.FACILITATOR, DialogueRole.RAPPORTEUR})
# Break-glass reads; it never lets anyone change anything.
BREAK_GLASS_PERMISSIONS = frozenset(
    {
        "view_dialogue",
        "view_roster",
        "view_all_workshops",
        "view_all_summaries",
        "view_outcomes",
        "view_funding",
    }
)


SEALED_STATUSES = frozenset({SummaryStatus.SEALED, SummaryStatus.SUPERSEDED})
# The version being written: at most one per workshop (a database constraint).
OPEN_STATUSES = frozenset({SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW, SummaryStatus.SEALING})


def role_group_name(dialogue_id: int, role: str) -> str:
    return f"dialogue-{dialogue_id}-{role}"


@dataclass(frozen=True)
class DialogueAccess:
    """What the user holds in dialogues, read once per request (`dialogue_access`): the permission filters
    below and the per-row checks in templates both answer from it.

    - `by_dialogue`: the dialogue-wide permissions, through their roles or a break-glass grant still running;
    - `workshops`: the workshops they are invited to, in dialogues they still belong to;
    - `sealed_summaries`: the sealed summaries whose frozen audience they are in, while they still belong to
      the dialogue, or after leaving it where the convenor left them those of workshops they attended (as
      attendance is recorded now);
    - `review_summaries`: the drafts they were asked to review, while they still count as having been in the
      room and are still a member;
    - `destroyed`: the destroyed dialogues in which they hold a role, with that role's permissions (issue 23):
      those whose data key is destroyed, by its convenors or, in a database restored from an older backup,
      since that backup was made (decision 0025).
      A destroyed dialogue grants nothing else: it is in none of the above, so every list leaves it out and
      every page of it is not found, but for the "destroyed on …" page (dialogues/destruction/).
    A corrected attendance, a removal or a withdrawn choice ends each of these on the next request, whatever
    the grant tables still hold.
    """

    by_dialogue: dict[int, frozenset[str]] = field(default_factory=dict)
    workshops: frozenset[int] = frozenset()
    sealed_summaries: frozenset[int] = frozenset()
    review_summaries: frozenset[int] = frozenset()
    destroyed: dict[int, frozenset[str]] = field(default_factory=dict)

    def has(self, dialogue_id: int, codename: str) -> bool:
        return codename in self.by_dialogue.get(dialogue_id, ())

    def __call__(self, dialogue_id: int) -> frozenset[str]:
        return self.by_dialogue.get(dialogue_id, frozenset())

    def dialogues_with(self, codename: str) -> list[int]:
        return sorted(pk for pk, codenames in self.by_dialogue.items() if codename in codenames)


def dialogue_access(user) -> DialogueAccess:
    """Everything the user holds in dialogues, in one query, once per request (trackii.permissions.held)."""
    if not may_hold(user):
        return DialogueAccess()
    return held(("dialogues", user.pk), lambda: _read_access(user.pk))


def dialogue_access_if_read(user) -> DialogueAccess | None:
    """What `dialogue_access` has already read in this request, or None if the page has not asked (no query):
    for what every page shows, such as the navigation, which must not cost a query of its own."""
    if not may_hold(user):
        return DialogueAccess()
    return held_already(("dialogues", user.pk))


def takes_part(access: DialogueAccess) -> bool:
    """Whether the user belongs to some dialogue's work: a role that opens a dialogue, an invitation to one of
    its workshops, or sealed summaries kept after leaving. A funder's role (aggregates only) and a dialogue
    auditor's are not taking part."""
    return bool(access.dialogues_with("view_dialogue") or access.workshops or access.sealed_summaries)


@cache
def _access_sql() -> str:
    """One round trip for every grant of a user, each row tagged with what it is. The tables are named from
    the models, so the SQL follows their `db_table`; standard SQL, so the embedded SQLite of `make run` reads
    it as PostgreSQL does."""
    t = {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in (
            Dialogue,
            DataKey,
            DialogueDestruction,
            DialogueGroupObjectPermission,
            DialogueUserObjectPermission,
            BreakGlassGrant,
            Workshop,
            WorkshopSeries,
            WorkshopGroupObjectPermission,
            WorkshopUserObjectPermission,
            Summary,
            SummaryGroupObjectPermission,
            SummaryUserObjectPermission,
            Membership,
            Facilitator,
            Invitation,
            Person,
        )
    }
    user_groups = connection.ops.quote_name(get_user_model().groups.through._meta.db_table)

    def grants(kind: str) -> str:
        """The (object, permission) grant rows of one protected model, personal and through groups."""
        return f"""
            SELECT content_object_id AS id, permission_id FROM {t[kind + "UserObjectPermission"]}
             WHERE user_id = %(user)s
            UNION ALL
            SELECT content_object_id, permission_id FROM {t[kind + "GroupObjectPermission"]} g
              JOIN {user_groups} ug ON ug.group_id = g.group_id WHERE ug.user_id = %(user)s"""  # noqa: S608 (table names come from the models)

    # Permissions come back as ids (trackii.permissions.codename_of names them): a join to auth_permission
    # in each branch cost more planning than the whole read.
    return f"""
        SELECT 'role', g.content_object_id, g.permission_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
          FROM {t["DialogueGroupObjectPermission"]} g
          JOIN {user_groups} ug ON ug.group_id = g.group_id
         WHERE ug.user_id = %(user)s
        UNION ALL
        SELECT 'role', g.content_object_id, g.permission_id, NULL, NULL
          FROM {t["DialogueUserObjectPermission"]} g
         WHERE g.user_id = %(user)s AND EXISTS (
               SELECT 1 FROM {t["BreakGlassGrant"]} b
                WHERE b.dialogue_id = g.content_object_id AND b.user_id = %(user)s
                  AND b.expires_at > %(now)s AND b.ended_at IS NULL)
        UNION ALL
        SELECT 'workshop', w.id, w.permission_id, s.dialogue_id, NULL
          FROM ({grants("Workshop")}) w
          JOIN {t["Workshop"]} ws ON ws.id = w.id
          JOIN {t["WorkshopSeries"]} s ON s.id = ws.series_id
        UNION ALL
        SELECT 'summary', g.id, g.permission_id, s.dialogue_id, su.workshop_id
          FROM ({grants("Summary")}) g
          JOIN {t["Summary"]} su ON su.id = g.id
          JOIN {t["Workshop"]} ws ON ws.id = su.workshop_id
          JOIN {t["WorkshopSeries"]} s ON s.id = ws.series_id
        UNION ALL
        SELECT CASE WHEN m.left_on IS NULL THEN 'member' ELSE 'kept' END, m.dialogue_id, NULL, NULL, NULL
          FROM {t["Membership"]} m JOIN {t["Person"]} pe ON pe.id = m.person_id
         WHERE pe.user_id = %(user)s AND (m.left_on IS NULL OR m.keeps_sealed_summaries)
        UNION ALL
        SELECT 'facilitator', f.dialogue_id, NULL, NULL, NULL
          FROM {t["Facilitator"]} f JOIN {t["Person"]} pe ON pe.id = f.person_id
         WHERE pe.user_id = %(user)s
        UNION ALL
        SELECT 'attended', i.workshop_id, NULL, NULL, NULL
          FROM {t["Invitation"]} i JOIN {t["Person"]} pe ON pe.id = i.person_id
         WHERE pe.user_id = %(user)s AND i.status = %(attended)s
        UNION ALL
        SELECT 'destroyed', x.id, NULL, NULL, NULL
          FROM {t["Dialogue"]} x JOIN {t["DataKey"]} k ON k.id = x.data_key_id
         WHERE (k.destroyed_at IS NOT NULL OR k.found_missing_at IS NOT NULL OR EXISTS (
                SELECT 1 FROM {t["DialogueDestruction"]} dd
                 WHERE dd.dialogue_id = x.id AND dd.destroyed_at IS NOT NULL)) AND (x.id IN (
               SELECT g.content_object_id FROM {t["DialogueGroupObjectPermission"]} g
                 JOIN {user_groups} ug ON ug.group_id = g.group_id WHERE ug.user_id = %(user)s
               UNION ALL
               SELECT g.content_object_id FROM {t["DialogueUserObjectPermission"]} g
                WHERE g.user_id = %(user)s
               UNION ALL
               SELECT m.dialogue_id FROM {t["Membership"]} m JOIN {t["Person"]} pe ON pe.id = m.person_id
                WHERE pe.user_id = %(user)s))
    """  # noqa: S608 (table names come from the models; every value is a bound parameter)


def _read_access(user_id: int) -> DialogueAccess:
    codenames: dict[int, set[str]] = {}
    member, kept, facilitator, attended, destroyed = set(), set(), set(), set(), set()
    workshops: list[tuple[int, int]] = []
    summaries: list[tuple[int, str, int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            _access_sql(),
            {
                "user": user_id,
                "now": connection.ops.adapt_datetimefield_value(timezone.now()),
                "attended": InvitationStatus.ATTENDED.value,
            },
        )
        rows = cursor.fetchall()
    plain = {
        "member": member,
        "kept": kept,
        "facilitator": facilitator,
        "attended": attended,
        "destroyed": destroyed,
    }
    for kind, pk, permission_id, dialogue_id, workshop_id in rows:
        if kind == "role":
            codenames.setdefault(pk, set()).add(codename_of(permission_id))
        elif kind == "workshop":
            if codename_of(permission_id) == "view_workshop":
                workshops.append((pk, dialogue_id))
        elif kind == "summary":
            summaries.append((pk, codename_of(permission_id), dialogue_id, workshop_id))
        else:
            plain[kind].add(pk)
    # A destroyed dialogue grants nothing but its "destroyed on …" page (dialogues/destruction/).
    member -= destroyed
    facilitator -= destroyed
    kept -= destroyed
    belongs = member | facilitator
    return DialogueAccess(
        by_dialogue={pk: frozenset(names) for pk, names in codenames.items() if pk not in destroyed},
        destroyed={pk: frozenset(codenames[pk]) for pk in destroyed if pk in codenames},
        workshops=frozenset(pk for pk, dialogue_id in workshops if dialogue_id in belongs),
        sealed_summaries=frozenset(
            pk
            for pk, codename, dialogue_id, workshop_id in summaries
            if codename == "view_summary"
            and (dialogue_id in belongs or (dialogue_id in kept and workshop_id in attended))
        ),
        review_summaries=frozenset(
            pk
            for pk, codename, dialogue_id, workshop_id in summaries
            if codename == "review_summary" and dialogue_id in member and workshop_id in attended
        ),
    )


def on_dialogue(user, codename: str, *, ref: str = "pk") -> Q:
    """Rows whose dialogue (reached by `ref`) grants `codename` to the user: through one of their roles, or
    through a break-glass grant that is still running."""
    return within(ref, dialogue_access(user).dialogues_with(codename))


def person_belongs_to_dialogue(*, person_ref: str, ref: str) -> Q:
    """Rows that name a person (e-mails waiting to go out) whose person at `person_ref` still belongs to the
    dialogue at `ref`: a membership they have not left, or a facilitation role (the rule `DialogueAccess`
    applies to a user's own grants)."""
    return _belongs(OuterRef(ref), person=OuterRef(person_ref))


def belongs_now(dialogue: Dialogue) -> Q:
    """Person rows who belong to the dialogue now, by the same rule: whom a sealing may add to an audience."""
    return _belongs(dialogue, person=OuterRef("pk"))


def _belongs(dialogue, **person) -> Q:
    member = Membership.objects.filter(dialogue=dialogue, left_on__isnull=True, **person)
    facilitator = Facilitator.objects.filter(dialogue=dialogue, **person)
    return Q(Exists(member)) | Q(Exists(facilitator))


def visible_dialogues(user) -> Q:
    return on_dialogue(user, "view_dialogue")


def visible_workshops(user) -> Q:
    """Every workshop for the facilitation team; otherwise only those the user is invited to, while they
    still belong to the dialogue."""
    access = dialogue_access(user)
    return within("series__dialogue", access.dialogues_with("view_all_workshops")) | within(
        "pk", access.workshops
    )


def visible_summaries(user) -> Q:
    """Sealed summaries for the facilitation team and for their frozen audience (`DialogueAccess` says for
    how long); drafts for their authors; a draft in review also for the attendees asked to review it. Nobody
    else, superusers included."""
    access = dialogue_access(user)
    dialogue = "workshop__series__dialogue"
    sealed = Q(status__in=SEALED_STATUSES) & (
        within(dialogue, access.dialogues_with("view_all_summaries")) | within("pk", access.sealed_summaries)
    )
    unsealed = Q(status__in=OPEN_STATUSES) & within(dialogue, access.dialogues_with("draft_summaries"))
    in_review = Q(status=SummaryStatus.IN_REVIEW) & within("pk", access.review_summaries)
    return sealed | unsealed | in_review


# Every table whose rows decide what `dialogue_access` reads: a write to one during a request reads it again.
decided_by(
    DialogueGroupObjectPermission,
    DialogueUserObjectPermission,
    BreakGlassGrant,
    WorkshopGroupObjectPermission,
    WorkshopUserObjectPermission,
    SummaryGroupObjectPermission,
    SummaryUserObjectPermission,
    Membership,
    Facilitator,
    Invitation,
    Person,
    Workshop,
    WorkshopSeries,
    Summary,
    DataKey,
    DialogueDestruction,
)


def can_manage_members(access: DialogueAccess, dialogue: Dialogue) -> bool:
    return access.has(dialogue.pk, "manage_members")


def can_open_dialogues(access: DialogueAccess) -> bool:
    """A convenor may open new dialogues for the Third Parties they convene for (the same test as
    selectors.third_parties_for_creator, answered from the access already fetched)."""
    return any("manage_members" in codenames for codenames in access.by_dialogue.values())


def can_see_names(access: DialogueAccess, dialogue: Dialogue) -> bool:
    """Facilitators see names; everyone else sees pseudonyms unless the person agreed to be named."""
    return access.has(dialogue.pk, "view_roster")


def can_see_facilitators_only(access: DialogueAccess, dialogue_id: int) -> bool:
    return access.has(dialogue_id, "view_all_workshops")


def can_view_insight(access: DialogueAccess, dialogue_id: int) -> bool:
    """A dialogue's insight (composition, continuity, ripeness, transfers: pseudonyms, who came when) is for
    its convenors and facilitators: the only roles that hold `manage_dialogue`, asked for with the aggregates.
    Break-glass never grants `manage_dialogue`, so a rapporteur (roster), a funder's officer (aggregates), a
    break-glass reader (roster) and anyone holding two of these at once (a rapporteur who is also the funder's
    officer, a break-glass superuser who is also one) do not see it."""
    return access.has(dialogue_id, "manage_dialogue") and access.has(dialogue_id, "view_aggregates")


def insight_dialogues(access: DialogueAccess) -> list[int]:
    """The dialogues whose insight the viewer may see (`can_view_insight`): what the programme-wide figures
    count over."""
    return [pk for pk in access.dialogues_with("manage_dialogue") if access.has(pk, "view_aggregates")]
