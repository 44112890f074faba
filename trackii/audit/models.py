from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from .enums import ACTIVE_CHAIN_CHECK, ChainCheckStatus, Outcome


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained access log. Written only by trackii.audit.services.

    Database triggers (migration 0002) refuse UPDATE and DELETE, except forgetting the client address and the
    retention purge. ``id`` is the chain order: each new row takes the head's id + 1 under a lock, so ids
    have no gaps and two writers can never fork the chain (they would collide on the primary key).
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    # PROTECT: accounts are disabled, never deleted, and a row must keep pointing at the account that acted
    # (a SET_NULL would also be an UPDATE, which the trigger refuses).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_actor_id_idx (actor, -id) serves look-ups by actor
    )
    actor_label = models.CharField(max_length=64, blank=True)
    # Plain text, no choices: new actions (enums.Action) need no migration.
    action = models.CharField(max_length=64)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.ALLOWED)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # No foreign key: the audit app imports no domain app, and a row outlives what it names.
    dialogue_id = models.BigIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # Not hashed: the hash covers client_ip_hash = SHA-256(salt || address); address and salt are dropped
    # together after TRACKII_AUDIT_ADDRESS_DAYS.
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    client_ip_salt = models.CharField(max_length=32, null=True, blank=True)
    client_ip_hash = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["actor", "-id"], name="audit_actor_id_idx"),
            models.Index(fields=["target_type", "target_id", "-id"], name="audit_target_id_idx"),
            models.Index(fields=["dialogue_id", "-id"], name="audit_dialogue_id_idx"),
            models.Index(fields=["action", "-id"], name="audit_action_id_idx"),
            models.Index(fields=["occurred_at"], name="audit_occurred_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="audit_event_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.outcome}"


class ChainCheck(models.Model):
    """One verification of the whole chain asked for from the chain-status page and run by a worker
    (services.run_chain_check). The run reports its progress on a connection of its own, so the page can show
    it while the walk runs; ``progress_at`` going quiet for TRACKII_AUDIT_CHAIN_CHECK_STALL_SECONDS means the
    worker died, and the page offers to start again."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life: queued, claimed by a worker, or rows checked.
    progress_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ChainCheckStatus.choices, default=ChainCheckStatus.QUEUED)
    rows_checked = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    # What it found: ok, problem, bad_row_id, problems, warnings, summary and each checkpoint's verdict
    # (verification.checkpoint_verdicts), or the error that stopped it.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        default_permissions = ()  # the auditors' pages open on audit.view_auditevent
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ChainCheckStatus.values), name="chain_check_status_valid"
            ),
            # One run queued or running at a time: a second click shows the first (request_chain_check).
            models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(status__in=ACTIVE_CHAIN_CHECK),
                name="chain_check_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Chain check {self.pk} ({self.status})"


class SavedSearch(models.Model):
    """An auditor's own bookmark of a search of the log: a name and the search's query string, normalised to
    the search form's fields (trackii.audit.forms.search_query). Seen and changed by its owner only."""

    NAME_LENGTH = 80

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=NAME_LENGTH)
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # One name per auditor, whatever its case: "Denials" and "denials" would be two bookmarks that
            # look like one in the list.
            models.UniqueConstraint(Lower("name"), "owner", name="audit_saved_search_name_unique"),
            models.CheckConstraint(condition=~models.Q(name=""), name="audit_saved_search_name_given"),
        ]

    def __str__(self) -> str:
        return self.name
