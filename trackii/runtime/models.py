from django.db import models


class DeadLetter(models.Model):
    """A message no worker could read. It is kept aside for an operator instead of stopping the worker."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=32)  # where it was caught: "broker" (the transport) or "worker"
    reason = models.CharField(max_length=200)
    # Task messages carry ids only (no names, no content), so keeping the raw body exposes nothing;
    # it is cut at 64 KB so a hostile message cannot fill the database.
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"dead letter {self.pk} ({self.source}: {self.reason})"


class WorkerStart(models.Model):
    """One row each time a Celery worker becomes ready; more than one per run means it was restarted."""

    started_at = models.DateTimeField(auto_now_add=True)
    run = models.CharField(max_length=64, db_index=True)  # TRACKII_RUN_ID of the `make run` that started it
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.hostname} (pid {self.pid}) at {self.started_at:%Y-%m-%d %H:%M:%S %Z}"
