"""Reads for the account pages and the onboarding of invited people."""

import hashlib

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trackii.accounts.models import AccountInvitation, User
from trackii.hooks import domain

# Every Third Party role, staff and administrators must sign in with a second factor.
AUDITOR_GROUP = r"^dialogue-[0-9]+-auditor$"


def invitation_token(*, invitation: AccountInvitation) -> str:
    """The secret in an invitation's link, rebuilt from its stored nonce (the token is never stored)."""
    return salted_hmac("trackii.accounts.invitation", invitation.nonce, algorithm="sha256").hexdigest()


def invitation_link(*, invitation: AccountInvitation, base_url: str) -> str:
    """The address a person opens to set up their login (the token rebuilt from the stored nonce)."""
    token = invitation_token(invitation=invitation)
    return base_url.rstrip("/") + reverse("accounts:welcome", kwargs={"token": token})


def token_hash(*, token: str) -> str:
    """What is stored of a link's token, and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitation(*, token: str, now=None) -> AccountInvitation | None:
    """The invitation behind a link, if the link may still be used; None for every other case alike."""
    if not token or len(token) > 128:
        return None
    now = now or timezone.now()
    return (
        AccountInvitation.objects.filter(
            token_hash=token_hash(token=token),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("person", "dialogue")
        .first()
    )


def requires_mfa(*, user) -> bool:
    """Convenors, facilitators, rapporteurs, auditors and administrators: one query."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(domain().in_facilitation_team()) | Q(groups__name__regex=AUDITOR_GROUP))
        .exists()
    )


def invitable_members(*, dialogue):
    """Members and facilitation team of a dialogue who have no login yet and are not cut off, with any open
    invitation, each with what the dialogue's pages call them (`called`: never the account pseudonym, which
    would tie this dialogue to the person's others)."""
    now = timezone.now()
    # Only this dialogue's invitations: another dialogue's would show the person belongs to it too.
    pending = AccountInvitation.objects.filter(
        person=OuterRef("pk"),
        dialogue=dialogue,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    return (
        domain()
        .people_of_dialogue(dialogue=dialogue)
        .filter(user__isnull=True)
        .exclude(pk__in=domain().people_cut_off())
        .annotate(invited=Exists(pending), called=domain().called_in_dialogue(dialogue=dialogue))
        .order_by("called", "pk")
    )


def open_invitations(*, dialogue) -> QuerySet[AccountInvitation]:
    """The dialogue's unused links, each with what the dialogue calls the person (`called`)."""
    return (
        AccountInvitation.objects.filter(
            dialogue=dialogue, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .annotate(called=domain().called_in_dialogue(dialogue=dialogue, person_ref="person"))
        .order_by("expires_at")
    )


def own_memberships(*, user):
    """The dialogues a person belongs to, as members or in the facilitation team."""
    return domain().own_places(user=user)


def invitation_membership(*, invitation: AccountInvitation):
    """The invited person's current membership of the invitation's dialogue, if any: its ground rules are
    what they accept on the way in."""
    return domain().membership_in(person=invitation.person, dialogue=invitation.dialogue)


def invitation_dialogues(*, user):
    """Where the user may invite people to set up a login: the dialogues whose members they manage (a 404
    anywhere else)."""
    return domain().dialogues_managing_members(user)


def own_sessions(*, user) -> list:
    """The account's signed-in sessions that still exist, newest first (allauth.usersessions)."""
    from allauth.usersessions.models import UserSession

    return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at, reverse=True)


def login_refused(*, user) -> bool:
    """Whether the account's person is cut off (trackii.domain_hooks.people_cut_off): asked once per login,
    after every factor, never per request (the cut-off ended the sessions already)."""
    return domain().people_cut_off().filter(user=user).exists()
