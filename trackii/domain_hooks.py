"""The domain apps' answers to what the foundation asks (trackii/hooks.py explains the door).

This module is on the composition floor: it may import every app, and only the foundation calls it, through
`trackii.hooks.domain()`. Each function answers one question in the domain's own terms; none writes the
audit log (the foundation's caller does).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from dialogues import selectors as dialogue_selectors
from dialogues.models import Dialogue, PersonalCalendar
from dialogues.selectors import dialogues_for_user
from dialogues.services import sync_person_grants
from dialogues.summaries.services import accept_ground_rules_before_reading
from participants.models import Facilitator, Membership, Person
from participants.selectors import called_in, standing_cut_offs
from trackii import domain_labels, standing

# --- Accounts --------------------------------------------------------------------------------------------


def in_facilitation_team() -> Exists:
    """On User rows: the account belongs to someone with a role in some dialogue's facilitation team."""
    return Exists(Facilitator.objects.filter(person__user=OuterRef("pk")))


def people_of_dialogue(*, dialogue) -> QuerySet[Person]:
    """Current members and the facilitation team of a dialogue."""
    in_dialogue = Q(
        Exists(Membership.objects.filter(person=OuterRef("pk"), dialogue=dialogue, left_on__isnull=True))
    ) | Q(Exists(Facilitator.objects.filter(person=OuterRef("pk"), dialogue=dialogue)))
    return Person.objects.filter(in_dialogue)


def called_in_dialogue(*, dialogue, person_ref: str = "pk"):
    """On rows that lead to a person (`person_ref`): what the dialogue's pages call them (decision 0026), the
    pseudonym of their membership there, or "T-<id>" for someone of its facilitation team who is no member.
    Never the account pseudonym, which would tie the dialogue to every other one the person is in."""
    return called_in(dialogue_ref=dialogue.pk, person_ref=person_ref)


def membership_in(*, person, dialogue) -> Membership | None:
    """The person's current membership of the dialogue (facilitators have none): it carries the ground rules
    they accept when they take up an invitation."""
    return person.memberships.filter(dialogue=dialogue, left_on__isnull=True).first()


def person_onboarded(*, person, membership: Membership | None) -> None:
    """An invited person has a login now: their acceptance of the ground rules is recorded with its audit row
    (the reading room's own service), and their account receives the grants their places in dialogues call
    for. Runs inside the caller's transaction."""
    if membership is not None:
        accept_ground_rules_before_reading(membership=membership, by=person.user)
    sync_person_grants(person=person)


def people_cut_off() -> QuerySet[Person]:
    """People under an emergency cut-off (dialogues/removal): their login is refused, and they cannot be
    invited to set one up, until a convenor restores them."""
    return Person.objects.filter(pk__in=standing_cut_offs().values("person"))


def end_feeds(*, user) -> list[int]:
    """Stop the user's private calendar feed: its token no longer opens anything. Returns the calendars whose
    token was cleared (none without a feed) for the caller's audit rows, in the caller's transaction."""
    calendars = list(
        PersonalCalendar.objects.select_for_update()
        .filter(user=user, feed_token_hash__isnull=False)
        .values_list("pk", flat=True)
    )
    PersonalCalendar.objects.filter(pk__in=calendars).update(feed_token_hash=None)
    return calendars


def dialogues_managing_members(user) -> QuerySet[Dialogue]:
    """The dialogues whose members the user manages: where a convenor invites people to set up a login."""
    return dialogues_for_user(user=user, codename="manage_members")


def display_timezone(*, user) -> str:
    """The zone the user reads times in (their calendar setting), UTC until they choose."""
    return dialogue_selectors.display_timezone(user=user)


def own_places(*, user) -> tuple[list[Membership], list[Facilitator]]:
    """The dialogues a person belongs to, as members or in the facilitation team."""
    memberships = (
        Membership.objects.filter(person__user=user, left_on__isnull=True)
        .select_related("dialogue", "side")
        .order_by("dialogue__codename")
    )
    roles = (
        Facilitator.objects.filter(person__user=user)
        .select_related("dialogue")
        .order_by("dialogue__codename")
    )
    return list(memberships), list(roles)


# --- Audit -----------------------------------------------------------------------------------------------


def dialogue_id_for_codename(codename: str) -> int | None:
    return Dialogue.objects.filter(codename__iexact=codename.strip()).values_list("pk", flat=True).first()


def dialogue_codenames(dialogue_ids) -> dict[int, str]:
    """A codename per dialogue id, in one query: how auditors see a dialogue (never its title)."""
    return dict(Dialogue.objects.filter(pk__in=dialogue_ids).values_list("pk", "codename"))


def audit_object_labels(targets: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """How auditors read the objects of a page of audit rows ("tidewater · series 1 · workshop 2 · summary
    v1"), in one query per type of object, from codenames, numbers, versions and pseudonyms only
    (trackii.domain_labels). Targets the domain does not know, or that no longer exist, are left out."""
    return domain_labels.object_labels(targets)


def remember_standing(*, request, user) -> None:
    """At login: what the person is, kept in the session for the navigation (trackii/standing.py)."""
    standing.fresh(request, user)
