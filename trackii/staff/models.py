"""What one administrator asks and a second one confirms (docs/decisions/0020)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from trackii.accounts.fields import LoginEmailField
from trackii.crypto import EncryptedTextField
from trackii.staff.enums import RequestKind, RequestStatus, Role

DECIDED = [RequestStatus.CONFIRMED, RequestStatus.DECLINED]


class StaffInvitation(models.Model):
    """A single-use, expiring link that lets a new member of staff set up their login. Like an
    AccountInvitation, only a SHA-256 of the token is stored and the token is an HMAC of the stored nonce
    under SECRET_KEY. It names an e-mail address instead of a person: staff need no person record. The link
    is e-mailed, and starts to run, only once a second administrator has confirmed its request."""

    email = LoginEmailField("e-mail address")
    email_index = models.CharField(max_length=64, editable=False)
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)  # set when the link is issued
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language the invitation e-mail is written in, chosen by the administrator who asks (there is no
    # login yet to have chosen one); the new login starts with it (issue 22). Blank: Trackii's default.
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email_index"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="staff_invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="staff_invitation_used_or_revoked",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(account__isnull=False),
                name="staff_invitation_used_names_account",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff invitation #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        from trackii.accounts.fields import login_index, normalise_login

        self.email = normalise_login(self.email)
        self.email_index = login_index(self.email)
        super().save(*args, **kwargs)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.used_at is None
            and self.revoked_at is None
            and self.expires_at is not None
            and self.expires_at > now
        )


class StaffRequest(models.Model):
    """A change to staff that one administrator asks for and a different one confirms: an invitation to a
    staff role, granting or removing a role on an existing account, or resetting its second factor."""

    kind = models.CharField(max_length=32, choices=RequestKind.choices)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.OneToOneField(
        StaffInvitation, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    # Who confirmed or declined it (never the requester), or the requester who cancelled it.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED)
                | (Q(decided_by__isnull=False) & ~Q(decided_by=F("requested_by"))),
                name="staff_request_second_administrator_decides",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequestKind.INVITE, invitation__isnull=False)
                | (~Q(kind=RequestKind.INVITE) & Q(account__isnull=False, invitation__isnull=True)),
                name="staff_request_names_account_or_invitation",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequestKind.RESET_SECOND_FACTOR, role="")
                | (~Q(kind=RequestKind.RESET_SECOND_FACTOR) & ~Q(role="")),
                name="staff_request_role_where_it_belongs",
            ),
            models.UniqueConstraint(
                fields=["account", "kind", "role"],
                condition=Q(status=RequestStatus.PENDING),
                name="staff_request_one_pending_per_change",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff request #{self.pk}"

    def is_pending(self, now=None) -> bool:
        return self.status == RequestStatus.PENDING and self.expires_at > (now or timezone.now())

    @property
    def shown_status(self) -> str:
        """The status in words, an expired request named as such before anyone touched it."""
        if self.status == RequestStatus.PENDING and not self.is_pending():
            return RequestStatus.EXPIRED.label
        invitation = self.invitation if self.invitation_id else None
        if self.status == RequestStatus.CONFIRMED and invitation is not None:
            if invitation.used_at:
                return "Confirmed: login set up"
            if not invitation.is_open():
                return "Confirmed: the link was not used in time"
            return "Confirmed: link e-mailed" if invitation.sent_at else "Confirmed: e-mail on its way"
        return self.get_status_display()
