"""Destroying a concluded dialogue (issue 23, docs/decisions/0027): one convenor asks with a reason, a
different convenor confirms, and the dialogue's data key is destroyed. The request stays as the record of who
destroyed it, when and why: its reason is plain text on purpose, so that it survives the destruction."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class DialogueDestruction(models.Model):
    """A request to destroy a dialogue: asked by one convenor, confirmed by another (or withdrawn by either).
    A withdrawn request stays as history; at most one request per dialogue is open or done at a time. A
    destruction by the retention setting has no convenor behind it (requested_by and confirmed_by empty)."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.PROTECT, related_name="destructions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Plain text, not encrypted: it must stay readable once the dialogue's key is gone. The form says it may
    # not contain names or anything confidential.
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When the convenors were e-mailed that it was destroyed (once).
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue"],
                condition=Q(withdrawn_at__isnull=True),
                name="dialogue_destruction_one_open_or_done",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="dialogue_destruction_has_reason"),
            models.CheckConstraint(
                condition=Q(destroyed_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="dialogue_destruction_destroyed_or_withdrawn",
            ),
            # A second convenor confirms: never the one who asked (retention has neither).
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | (Q(requested_by__isnull=False) & ~Q(confirmed_by=F("requested_by"))),
                name="dialogue_destruction_second_convenor_confirms",
            ),
        ]

    def __str__(self) -> str:
        return f"Destruction #{self.pk}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id

    @property
    def is_open(self) -> bool:
        return self.destroyed_at is None and self.withdrawn_at is None

    @property
    def by_retention(self) -> bool:
        return self.requested_by_id is None


class RetentionNotice(models.Model):
    """The e-mail that tells a dialogue's convenors, 30 days ahead, that the retention setting will destroy it
    on `destroy_on`: sent once per dialogue."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.PROTECT, related_name="retention_notice"
    )
    destroy_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Retention notice #{self.pk}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id
