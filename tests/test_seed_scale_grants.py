"""seed_scale writes its grant rows in bulk; they must be exactly those Trackii's services would write for the
same roles, invitations, reviews, sealed audiences and funders, and the selectors must read them as such."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.core.management import call_command

from dialogues import selectors as dialogue_selectors
from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus
from dialogues.models import (
    Dialogue,
    DialogueGroupObjectPermission,
    Summary,
    SummaryUserObjectPermission,
    Workshop,
    WorkshopUserObjectPermission,
)
from funding.enums import GrantStatus
from funding.funders import services as funder_services
from funding.grants.selectors import grants_for_user
from funding.models import Funder, Grant, GrantGroupObjectPermission
from participants.models import Person
from trackii.accounts.models import User
from trackii.demo import scale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grant_rows(users) -> dict[str, set]:
    """Every grant row that concerns these logins, by names and ids that survive rebuilding the groups."""
    groups = Group.objects.filter(user__in=users).distinct()
    return {
        "role holders": set(
            User.groups.through.objects.filter(user__in=users).values_list("user", "group__name")
        ),
        "role grants": set(
            DialogueGroupObjectPermission.objects.filter(group__in=groups).values_list(
                "group__name", "permission__codename", "content_object"
            )
        ),
        "funder grants": set(
            GrantGroupObjectPermission.objects.filter(group__in=groups).values_list(
                "group__name", "permission__codename", "content_object"
            )
        ),
        "workshop grants": set(
            WorkshopUserObjectPermission.objects.filter(user__in=users).values_list(
                "user", "permission__codename", "content_object"
            )
        ),
        "summary grants": set(
            SummaryUserObjectPermission.objects.filter(user__in=users).values_list(
                "user", "permission__codename", "content_object"
            )
        ),
    }


def test_seed_scale_writes_the_grant_rows_the_services_write():
    call_command("seed_scale", dialogues=3, prefix="eq", stdout=StringIO())
    users = User.objects.filter(person__pseudonym__startswith="eq-")
    seeded = grant_rows(users)
    codenames = {codename for _, codename, _ in seeded["summary grants"]}
    assert codenames == {"view_summary", "review_summary"}
    assert {name.rsplit("-", 1)[1] for _, name in seeded["role holders"] if name.startswith("dialogue-")} == {
        "convenor",
        "participant",
        "funder",
    }
    assert seeded["funder grants"] and seeded["workshop grants"]

    # Throw every one of them away and let the services give them again.
    Group.objects.filter(user__in=users).delete()
    WorkshopUserObjectPermission.objects.filter(user__in=users).delete()
    SummaryUserObjectPermission.objects.filter(user__in=users).delete()
    assert not any(grant_rows(users).values())
    for person in Person.objects.filter(pseudonym__startswith="eq-", user__isnull=False):
        dialogue_services.sync_person_grants(person=person)
    convenor = User.objects.get(email=scale.HEAVY_CONVENOR)
    for funder in Funder.objects.filter(name__endswith="(eq)"):
        funder_services.sync_funder_access(funder=funder)
        # The funder role in each dialogue the funder pays for, as seed_demo gives it.
        for grant in funder.grants.filter(status=GrantStatus.ACTIVE):
            for officer in funder.officers.exclude(user=None):
                dialogue_services.assign_role(
                    dialogue=grant.dialogue, person=officer, role=DialogueRole.FUNDER, by=convenor
                )

    assert grant_rows(users) == seeded


def test_seed_scale_participants_see_their_dialogues_workshops_and_summaries_and_no_others():
    call_command("seed_scale", dialogues=3, prefix="sel", stdout=StringIO())
    # Participant 1 of dialogue 1 has a login and also takes part in dialogue 2; participant 1 of dialogue 3
    # only in dialogue 3.
    traveller = Person.objects.get(pseudonym="sel-p0000002")
    local = Person.objects.get(pseudonym="sel-p0000042")

    def codenames(user) -> set[str]:
        return set(dialogue_selectors.dialogues_for_user(user=user).values_list("codename", flat=True))

    assert codenames(traveller.user) == {"sel-00001", "sel-00002"}
    assert codenames(local.user) == {"sel-00003"}
    invited = set(Workshop.objects.filter(invitations__person=traveller).values_list("pk", flat=True))
    assert invited
    assert (
        set(dialogue_selectors.workshops_for_user(user=traveller.user).values_list("pk", flat=True))
        == invited
    )
    visible = set(dialogue_selectors.summaries_for_user(user=traveller.user).values_list("pk", flat=True))
    audience = set(
        Summary.objects.filter(status=SummaryStatus.SEALED, copies__holder=traveller).values_list(
            "pk", flat=True
        )
    )
    reviews = set(
        Summary.objects.filter(
            status=SummaryStatus.IN_REVIEW,
            workshop__invitations__person=traveller,
            workshop__invitations__status=InvitationStatus.ATTENDED,
        ).values_list("pk", flat=True)
    )
    assert audience and visible == audience | reviews
    assert not dialogue_selectors.summaries_for_user(user=local.user).filter(
        workshop__series__dialogue__codename="sel-00001"
    )
    # Most people without a login have no account to see anything with.
    assert Person.objects.get(pseudonym="sel-p0000004").user is None


def test_seed_scale_heavy_logins_hold_the_worst_cases_with_a_real_password():
    call_command("seed_scale", dialogues=3, prefix="hv", bench_password="s3cret-bench", stdout=StringIO())
    convenor = User.objects.get(email=scale.HEAVY_CONVENOR)
    participant = User.objects.get(email=scale.HEAVY_PARTICIPANT)
    funder = User.objects.get(email=scale.HEAVY_FUNDER)

    assert all(check_password("s3cret-bench", user.password) for user in (convenor, participant, funder))
    assert not User.objects.get(person__pseudonym="hv-p0000002").has_usable_password()
    every = set(Dialogue.objects.filter(codename__startswith="hv-").values_list("codename", flat=True))
    managed = dialogue_selectors.dialogues_for_user(user=convenor, codename="manage_members")
    assert set(managed.values_list("codename", flat=True)) == every
    assert (
        set(dialogue_selectors.dialogues_for_user(user=participant).values_list("codename", flat=True))
        == every
    )
    assert dialogue_selectors.workshops_for_user(user=participant).count() == 30
    assert (
        dialogue_selectors.summaries_for_user(user=participant).filter(status=SummaryStatus.SEALED).exists()
    )
    heavy_grants = Grant.objects.filter(funder__officers__user=funder)
    assert heavy_grants.count() == 3
    assert set(grants_for_user(user=funder)) == set(heavy_grants)
    assert not dialogue_selectors.dialogues_for_user(user=funder).exists()

    # A second run under another prefix leaves the heavy logins as they are.
    call_command("seed_scale", dialogues=1, prefix="hv2", stdout=StringIO())
    assert check_password("s3cret-bench", User.objects.get(email=scale.HEAVY_CONVENOR).password)
    assert not Dialogue.objects.filter(codename="hv2-00001", facilitators__person__user=convenor).exists()
