import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trackii.audit.context import command_context
from trackii.audit.services import record_verification
from trackii.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain against every signed record in the checkpoint folder "
        "(checkpoints, purges, re-baselines). Exits non-zero naming what is wrong: a row edited, deleted, "
        "inserted or reordered, a signed row missing or different (tail truncated, ids used again, log "
        "replaced), a purge that is not signed or not allowed by the retention policy, a signed record "
        "removed or signed by another key, or no signed checkpoint at all outside a first start."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Check the chain alone, not against the signed records (it then cannot see truncation).",
        )
        parser.add_argument("--checkpoint-dir", type=Path, help="Default: TRACKII_AUDIT_CHECKPOINT_DIR.")
        parser.add_argument(
            "--record",
            action="store_true",
            help="Record the outcome in the log (a chain_verified row, as the daily check and the "
            "chain-status page write), so the auditors' pages show it. Off by default: checking a restored "
            "backup must not write to it.",
        )

    def handle(self, *args, no_checkpoint=False, checkpoint_dir=None, record=False, **options):
        if record and (no_checkpoint or checkpoint_dir):
            raise CommandError("--record checks against the configured checkpoint folder only.")
        started = time.perf_counter()
        report = verify_chain(checkpoints=not no_checkpoint, directory=checkpoint_dir)
        elapsed = time.perf_counter() - started
        if record:
            with command_context("verify_audit"):
                record_verification(report=report, by=None, source="command")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            where = f" at row {report.bad_row_id}" if report.bad_row_id is not None else ""
            raise CommandError(f"Audit chain BROKEN{where}. {report.problem}.", returncode=1)
        rate = report.rows / elapsed if elapsed > 0 else 0
        span = f"rows {report.first_id}-{report.last_id}" if report.rows else "no rows"
        self.stdout.write(
            f"Audit chain intact: {report.rows} rows ({span}) in {elapsed:.2f} s, {rate:,.0f} rows/s."
        )
        if no_checkpoint:
            self.stdout.write("Signed records not checked (--no-checkpoint): truncation cannot be seen.")
        elif report.checkpoint:
            self.stdout.write(report.checkpoint[0].upper() + report.checkpoint[1:] + ".")
