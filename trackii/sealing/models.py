from django.conf import settings
from django.db import models
from django.db.models import Q

from trackii.sealing.enums import SealJobState


class SealJob(models.Model):
    """The outbox row of one request to seal a document (a summary version, a funder disclosure).

    It is written in the transaction that changes the document's state, so a broker outage or a crash between
    the request and the worker loses nothing: the relay (trackii.sealing.services.relay_seal_jobs) sends it
    again. The worker locks this row to finish, so a second delivery never seals a second, different version.
    """

    kind = models.CharField(max_length=24, help_text="Which sealer handles it (settings.TRACKII_SEALERS).")
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(max_length=12, choices=SealJobState.choices, default=SealJobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(
        blank=True, help_text="Why the last attempt failed, in words for the facilitator."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # When it was last handed to the broker, and the earliest the relay may hand it over again.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)
    # A worker that takes the job holds it until this time; after it, the worker is presumed dead.
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="Render, sign and store, in seconds.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="seal_job_once_per_document"),
            models.CheckConstraint(
                condition=~Q(state=SealJobState.DONE) | Q(finished_at__isnull=False),
                name="seal_job_done_has_finish",
            ),
        ]
        indexes = [
            models.Index(
                fields=["state", "not_before"],
                condition=~Q(state__in=[SealJobState.DONE, SealJobState.FAILED]),
                name="seal_job_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Seal {self.kind} {self.object_id} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in {SealJobState.DONE, SealJobState.FAILED}
