import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trackii.audit.conf import address_days
from trackii.audit.context import command_context
from trackii.audit.services import drop_addresses


class Command(BaseCommand):
    help = "Forget the client address of audit rows older than TRACKII_AUDIT_ADDRESS_DAYS, and record it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", help="Default: TRACKII_AUDIT_ADDRESS_DAYS (90)."
        )

    def handle(self, *args, older_than=None, **options):
        days = address_days() if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than cannot be negative.")
        with command_context("drop_audit_addresses"):
            event = drop_addresses(before=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(
            f"Dropped the client address of {event.detail['rows']} audit rows older than {days} days "
            f"(recorded as row {event.id})."
        )
