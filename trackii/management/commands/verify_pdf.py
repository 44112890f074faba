"""Say whether a PDF is an intact document sealed by the Third Party. Exit 0 if it is, 1 if not."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trackii.sealing.verify import Verification, describe, verify_pdf


class Command(BaseCommand):
    help = "Verify a sealed PDF: intact, sealed with the Third Party's key, which document and copy."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def report(self, verification: Verification) -> None:
        """Print the verification; a subclass or later version may name the sealed document too."""
        for line in describe(verification):
            self.stdout.write(line)

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        verification = verify_pdf(data)
        self.report(verification)
        if not verification.ok:
            raise SystemExit(1)
