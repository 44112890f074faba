from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trackii.accounts.models import User
from trackii.audit.context import command_context
from trackii.audit.services import AuditChainError, rebaseline_chain


class Command(BaseCommand):
    help = (
        "After restoring an older backup of the database: accept the audit log as it now stands. Needs the "
        "signing key. Records a chain_rebaselined row, and signs a re-baseline record into the checkpoint "
        "folder naming the last row kept, the reason, and each signed record the restore left behind, which "
        "verify_audit then accepts as superseded (and only those). Refuses any other kind of damage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason", required=True, help="why (signed and audited): the backup restored and when"
        )
        parser.add_argument(
            "--accept-start",
            action="store_true",
            help="also accept a chain start no signed purge anchors (a purge made before purges were signed)",
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the administrator's own login, for the audit log (default: recorded as the system)",
        )
        parser.add_argument("--checkpoint-dir", type=Path, help="Default: TRACKII_AUDIT_CHECKPOINT_DIR.")

    def handle(self, *args, reason, accept_start=False, by=None, checkpoint_dir=None, **options):
        actor = None
        if by:
            actor = User.objects.filter(email=by, is_active=True, is_staff=True).first()
            if actor is None:
                raise CommandError("--by must be the login of an active administrator (staff).")
        try:
            with command_context("rebaseline_audit"):
                record = rebaseline_chain(
                    reason=reason, by=actor, accept_start=accept_start, directory=checkpoint_dir
                )
        except (AuditChainError, ValueError) as error:
            raise CommandError(str(error)) from None
        payload = record.payload
        self.stdout.write(
            f"Re-baselined the audit chain: rows up to {payload['last_kept_id']} kept, "
            f"{len(payload['supersedes'])} signed record(s) superseded"
            f"{', the chain start accepted' if payload['start'] else ''}; "
            f"recorded as row {payload['row_id']} and signed as {record.name}."
        )
