"""Per-request CPU of Trackii's key pages in this process, and where it goes, for docs/benchmarks.md.

    python manage.py profile_pages --requests 60                  # CPU and wall ms per page (medians)
    python manage.py profile_pages --page dashboard --profile 25  # and cProfile's top 25 by own time

The same logins and pages as bench_pages, through Django's test client, inside a transaction that is rolled
back. CPU is this process's (time.process_time): the app's Python, not PostgreSQL's work, which the wall time
includes together with waiting for the other processes on the machine.
"""

import cProfile
import pstats
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trackii.accounts.middleware import MFA_STATE
from trackii.accounts.models import User
from trackii.audit.context import command_context
from trackii.management.commands.bench_pages import key_pages

# The pages of bench_pages (key_pages) that are profiled: one of each kind, the heaviest of each role.
PROFILED = (
    "dialogue page",
    "workshop page",
    "own workshops (/me/)",
    "dashboard",
    "audit overview",
    "audit search, newest",
    "programme insight",
    "insight: composition (tidewater)",
    "insight: ripeness log (tidewater)",
    "insight: transfers (tidewater)",
)


class Command(BaseCommand):
    help = "Per-request CPU of key pages, optionally with a cProfile (see docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=60)
        parser.add_argument("--page", default="", help="only the pages whose label contains this")
        parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N by own time")

    def handle(self, *args, requests: int, page: str, profile: int, **options):
        with command_context("profile_pages"), transaction.atomic():
            for label, user, url in self._pages():
                if page in label:
                    self._measure(label, user, url, requests, profile)
            transaction.set_rollback(True)

    def _pages(self) -> list[tuple[str, User, str]]:
        pages = [(label, user, url) for label, _, user, url in key_pages() if label in PROFILED]
        if len(pages) < len(PROFILED):
            raise CommandError("Seed the demo first (seed_demo): the convenor and auditor log in.")
        return pages

    def _measure(self, label: str, user: User, url: str, requests: int, profile: int) -> None:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        session = client.session
        session[MFA_STATE] = "ok"  # as a real login with its second factor would
        session.save()
        for _ in range(3):  # warm up: templates, content types, the connection
            if client.get(url).status_code != 200:
                raise CommandError(f"{url} did not answer 200 for {label}")
        profiler = cProfile.Profile() if profile else None
        cpu, wall = [], []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started_cpu, started = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                client.get(url)
                if profiler:
                    profiler.disable()
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"| {label} | {len(captured)} | {statistics.median(cpu):.1f} | {statistics.median(wall):.1f} |"
        )
        if profiler:
            pstats.Stats(profiler, stream=self.stdout).sort_stats("tottime").print_stats(profile)
