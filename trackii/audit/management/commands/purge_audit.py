import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trackii.audit.conf import retention_days
from trackii.audit.context import command_context
from trackii.audit.services import AuditChainError, purge_events


class Command(BaseCommand):
    help = (
        "Delete audit rows older than the retention period (the only way rows are deleted), record the "
        "purge in the chain and sign a purge record (the chain's new anchor, the cut-off, the time, the "
        "policy) into the checkpoint folder. Refuses while the chain does not verify."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Default and least: TRACKII_AUDIT_RETENTION_DAYS (730); verify_audit rejects less.",
        )
        parser.add_argument("--checkpoint-dir", type=Path, help="Default: TRACKII_AUDIT_CHECKPOINT_DIR.")

    def handle(self, *args, older_than=None, checkpoint_dir=None, **options):
        policy = retention_days()
        days = policy if older_than is None else older_than
        if days < policy:
            raise CommandError(
                f"--older-than {days} is shorter than the retention policy, "
                f"TRACKII_AUDIT_RETENTION_DAYS={policy}: a purge may only keep rows longer."
            )
        try:
            with command_context("purge_audit"):
                event = purge_events(
                    before=timezone.now() - datetime.timedelta(days=days), directory=checkpoint_dir
                )
        except (AuditChainError, ValueError) as error:
            raise CommandError(str(error)) from None
        signed = " and signed the purge" if event.detail["deleted"] else ""
        self.stdout.write(
            f"Deleted {event.detail['deleted']} audit rows older than {days} days{signed}; "
            f"the chain now starts at row {event.detail['first_id']} (recorded as row {event.id})."
        )
