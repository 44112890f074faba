"""Say whether a PDF is an intact document sealed by the Third Party. Exit 0 if it is, 1 if not."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trackii.audit.context import command_context
from trackii.sealing.services import CheckedPdf, check_sealed_pdf
from trackii.sealing.verify import verdict_lines


class Command(BaseCommand):
    help = "Verify a sealed PDF: intact, sealed with the Third Party's key, which document and copy."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def report(self, checked: CheckedPdf) -> None:
        for line in verdict_lines(checked.verification):
            self.stdout.write(line)
        document = checked.document
        if document:
            self.stdout.write(f"Sealed document: {document['title']}")
            if document.get("known"):
                self.stdout.write(f"Sealed on: {document['sealed']}")
                if document.get("superseded_by"):
                    self.stdout.write(f"Superseded by version {document['superseded_by']}")
                self.stdout.write(
                    "This is the file Trackii issued."
                    if document["issued_file"]
                    else "This file is not byte for byte one Trackii issued."
                )
                if document.get("holder"):
                    self.stdout.write(
                        f"Copy issued to: {document['holder']} (audit record {document['audit_event_id']})"
                    )

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        # Whoever runs this on the server can read the database anyway: the holder is shown (and audited).
        with command_context("verify_pdf"):
            checked = check_sealed_pdf(data=data, show_holder=True, by=None)
        self.report(checked)
        if not checked.verification.ok:
            raise SystemExit(1)
