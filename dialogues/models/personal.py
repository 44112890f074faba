"""What belongs to one person: their calendar feed and their notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as django_timezone

from dialogues.enums import NotificationKind
from dialogues.models.scheduling import Workshop
from dialogues.validators import validate_timezone


class PersonalCalendar(models.Model):
    """A user's calendar settings: the time zone pages show times in, and their private .ics feed. Only a
    SHA-256 of the feed token is stored, so a copy of the database cannot be used to read anyone's feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_calendar"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    feed_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    feed_detail = models.BooleanField(
        default=False,
        help_text="Also put workshop titles and venues in the feed. Your calendar provider will see them.",
    )
    feed_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar of user {self.user_id}"


class Notification(models.Model):
    """A change waiting to be e-mailed. A person's changes of a few minutes are sent as one message."""

    person = models.ForeignKey("participants.Person", on_delete=models.CASCADE, related_name="notifications")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    created_at = models.DateTimeField(default=django_timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Where Trackii is served, from the request that queued the change: the e-mail to someone without a login
    # carries a link to set one up, and a beat task has no request to build it from.
    base_url = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["person", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["person", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.workshop_id})"
