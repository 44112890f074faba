"""Generate many fictional dialogues in bulk, for benchmarks: ``manage.py seed_scale --dialogues 2000``."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trackii.demo.scale import BENCH_PASSWORD, seed_scale


class Command(BaseCommand):
    help = (
        "Add N generated dialogues (2-3 sides, 20 people of whom 14 with a login, about 38 members, 10 "
        "workshops and 80 invitations, summaries in review and sealed, a grant) with their grant rows, and "
        "the heavy benchmark logins, for benchmarks. Use another --prefix to add more to a database that has "
        "some already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dialogues", type=int, default=2000, help="How many dialogues to add (default 2000)."
        )
        parser.add_argument(
            "--prefix",
            default="scale",
            help="Codenames are <prefix>-00001...; must be new (default 'scale').",
        )
        parser.add_argument(
            "--bench-password",
            default=BENCH_PASSWORD,
            help=f"The heavy logins' password (default '{BENCH_PASSWORD}'); other scale logins have none.",
        )

    def handle(self, *args, dialogues: int, prefix: str, bench_password: str, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_scale refuses to run with TRACKII_ENV=production: it adds fictional data."
            )
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2 or done == total:
                self.stdout.write(f"  {done}/{total} dialogues, {time.monotonic() - started:.1f} s")

        try:
            counts = seed_scale(
                dialogues=dialogues, prefix=prefix, bench_password=bench_password, progress=progress
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(f"Added in {elapsed:.1f} s:")
        for label, count in counts.items():
            self.stdout.write(f"  {label:<14} {count:>9,}")
