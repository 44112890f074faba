from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trackii.accounts.fields import LoginEmailField, login_index, normalise_login


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An account needs an e-mail address to log in with.")
        user = self.model(email=normalise_login(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email_index=login_index(email))


class User(AbstractBaseUser, PermissionsMixin):
    """A login. It holds no name: who a person is lives, encrypted, on participants.Person.

    The login e-mail is encrypted like a person's contact details; logins are found through its keyed blind
    index, so a copy of the database shows nobody's address (docs/decisions/0006). ``filter(email=...)``
    still works: it compares indexes. Superuser and staff status open the administration pages, never
    confidential content (docs/architecture.md).
    """

    email = LoginEmailField("e-mail address")
    # Unique here rather than on the ciphertext, which differs every time it is written.
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May open the administration pages (housekeeping, not dialogue content)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of every session's auth hash: raising it ends every session of the account at its next request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The interface language this person chose (a code of settings.LANGUAGES); blank: the browser's. E-mails
    # to them are written in it too (trackii/accounts/languages.py).
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["pk"]  # not the e-mail: its stored form is random
        # Held by the administrators group (trackii/staff/roles.py): opens staff administration.
        permissions = [("administer_accounts", "Administer staff and accounts")]

    def __str__(self) -> str:
        # Its number, not its address: Django writes str(user) wherever it names an account (the admin's
        # pages, its log in django_admin_log, flash messages, reprs in tracebacks and logs), and the address
        # must be in none of them.
        return f"Login {self.pk}"

    def save(self, *args, **kwargs) -> None:
        # Stored lower-case, so uniqueness and look-ups ignore case; the index always follows the address.
        self.email = normalise_login(self.email)
        self.email_index = login_index(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_index"}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's own check (the password hash) plus the epoch: "log out everywhere" raises the epoch, and
        # AuthenticationMiddleware then refuses every older session, tracked or not, in any process.
        return salted_hmac(
            "trackii.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AccountInvitation(models.Model):
    """A single-use, expiring link that lets a person known to a dialogue set up their own login.

    Only a SHA-256 of the token is stored. The token itself is an HMAC of a random nonce under
    SECRET_KEY, so the e-mail task can rebuild it from the row (nothing secret travels through the broker) and
    a copy of the database alone cannot.
    """

    person = models.ForeignKey("participants.Person", on_delete=models.CASCADE, related_name="+")
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live link per person and dialogue: inviting again withdraws the previous one. Links from
            # two dialogues may both be open; the first one used makes the other unusable.
            models.UniqueConstraint(
                fields=["person", "dialogue"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="account_invitation_one_open_per_person_and_dialogue",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="account_invitation_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"Account invitation #{self.pk}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
