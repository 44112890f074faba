import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trackii.audit.conf import retention_days
from trackii.audit.context import command_context
from trackii.audit.services import purge_events


class Command(BaseCommand):
    help = (
        "Delete audit rows older than the retention period (the only way rows are deleted) and record the "
        "purge, with the chain's new anchor, in the chain itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", help="Default: TRACKII_AUDIT_RETENTION_DAYS (730)."
        )

    def handle(self, *args, older_than=None, **options):
        days = retention_days() if older_than is None else older_than
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        with command_context("purge_audit"):
            event = purge_events(before=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(
            f"Deleted {event.detail['deleted']} audit rows older than {days} days; "
            f"the chain now starts at row {event.detail['first_id']} (recorded as row {event.id})."
        )
