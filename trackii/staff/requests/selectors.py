"""Reads for staff requests and staff invitations."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trackii.accounts.models import User
from trackii.accounts.selectors import token_hash  # the same hash as the dialogue login links'
from trackii.staff.enums import RequestStatus
from trackii.staff.models import StaffInvitation, StaffRequest
from trackii.staff.roles import GROUPS

RECENT = 50  # decided requests shown under the pending ones


def invitation_token(*, invitation: StaffInvitation) -> str:
    """The secret in a staff invitation's link, rebuilt from its stored nonce (the token is never stored)."""
    return salted_hmac("trackii.staff.invitation", invitation.nonce, algorithm="sha256").hexdigest()


def invitation_link(*, invitation: StaffInvitation, base_url: str) -> str:
    token = invitation_token(invitation=invitation)
    return base_url.rstrip("/") + reverse("staff:welcome", kwargs={"token": token})


def open_invitation(*, token: str, now=None) -> StaffInvitation | None:
    """The invitation behind a link, if it may still be used: confirmed by a second administrator, issued,
    not expired, not used, not withdrawn. None for every other case alike."""
    if not token or len(token) > 128:
        return None
    now = now or timezone.now()
    return (
        StaffInvitation.objects.filter(
            token_hash=token_hash(token=token),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            request__status=RequestStatus.CONFIRMED,
        )
        .select_related("request")
        .first()
    )


def staff_roles_of(*, user: User) -> set[str]:
    """The staff roles the account holds through its groups (a superuser's are implied, not listed)."""
    names = set(user.groups.filter(name__in=GROUPS.values()).values_list("name", flat=True))
    return {role for role, group in GROUPS.items() if group in names}


def _listed() -> QuerySet[StaffRequest]:
    return StaffRequest.objects.select_related(
        "account", "account__person", "invitation", "requested_by", "decided_by"
    )


def pending_requests(*, now=None) -> QuerySet[StaffRequest]:
    return _listed().filter(status=RequestStatus.PENDING, expires_at__gt=now or timezone.now())


def recent_requests(*, now=None) -> QuerySet[StaffRequest]:
    """Decided, cancelled and expired requests, newest first."""
    now = now or timezone.now()
    return _listed().exclude(status=RequestStatus.PENDING, expires_at__gt=now)[:RECENT]


def current_staff() -> QuerySet[User]:
    """Accounts that hold a staff role through a group, and superusers (shown, never changed from here)."""
    return (
        User.objects.filter(Q(groups__name__in=GROUPS.values()) | Q(is_superuser=True))
        .distinct()
        .select_related("person")
        .prefetch_related("groups")
        .order_by("pk")
    )
