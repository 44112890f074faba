import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trackii.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and compare its head with the latest signed checkpoint. "
        "Exits non-zero naming the first bad row when a row was edited, deleted, inserted or reordered, "
        "or the tail was truncated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-checkpoint", action="store_true", help="Check the chain only.")
        parser.add_argument("--checkpoint-dir", type=Path, help="Default: TRACKII_AUDIT_CHECKPOINT_DIR.")

    def handle(self, *args, no_checkpoint=False, checkpoint_dir=None, **options):
        started = time.perf_counter()
        report = verify_chain(checkpoints=not no_checkpoint, directory=checkpoint_dir)
        elapsed = time.perf_counter() - started
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN at row {report.bad_row_id}. {report.problem}")
        rate = report.rows / elapsed if elapsed > 0 else 0
        span = f"rows {report.first_id}-{report.last_id}" if report.rows else "no rows"
        self.stdout.write(
            f"Audit chain intact: {report.rows} rows ({span}) in {elapsed:.2f} s, {rate:,.0f} rows/s."
        )
        if report.checkpoint:
            self.stdout.write(report.checkpoint[0].upper() + report.checkpoint[1:] + ".")
