"""What data keys cost a page (issue 23, decision 0025), for docs/benchmarks.md.

Run it on a database seeded with `seed_demo`:
    python manage.py bench_data_keys --requests 200
It adds 50 members with names and affiliations to the demo's Tidewater dialogue (50 people: 50 person keys,
the worst case of a page) and 50 ripeness-log entries (one dialogue key), then times the roster and the
ripeness log as the demo convenor reads them, twice in the same run: with every value under its data key
(as Trackii stores it), then with the same values moved back under the key ring (as before issue 23). It
reports p50 / p95, the queries per request and the ratio, and a count of decryptions per key. Everything it
creates or changes is rolled back.
"""

import datetime as dt
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues.models import Dialogue, RipenessEntry
from participants.models import Person
from participants.services import add_member
from trackii import datakeys
from trackii.accounts.middleware import MFA_STATE
from trackii.accounts.models import User
from trackii.audit.context import command_context
from trackii.crypto import decrypt, encrypt
from trackii.rekeying import field_contexts, rekey, under_the_ring

ROWS = 50


class Command(BaseCommand):
    help = "Time a page of 50 encrypted values under data keys and under the ring (docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args, requests: int, **options):
        convenor = User.objects.filter(email="convenor@example.org").first()
        if convenor is None:
            raise CommandError("Run `manage.py seed_demo` first: this measures the demo convenor's pages.")
        with command_context("bench_data_keys"), transaction.atomic():
            dialogue = Dialogue.objects.get(codename="tidewater")
            self.add_rows(dialogue, convenor)
            self.micro()
            pages = {
                f"roster ({ROWS} more people, a person key each)": reverse(
                    "dialogues:members", args=[dialogue.pk]
                ),
                f"ripeness log ({ROWS} entries, one dialogue key)": reverse(
                    "dialogues:insight_ripeness", args=[dialogue.pk]
                ),
            }
            client = Client(HTTP_HOST="localhost")
            client.force_login(convenor)
            session = client.session
            session[MFA_STATE] = "ok"  # force_login skips the second factor a real login asks
            session.save()
            under_keys = {label: self.time(client, url, requests) for label, url in pages.items()}
            self.move_under_the_ring(dialogue)
            under_ring = {label: self.time(client, url, requests) for label, url in pages.items()}
            self.stdout.write("| page | queries | p50 ms, data keys | p50 ms, ring | p95 ms, data keys | "
                              "p95 ms, ring | ratio (p50) |\n|---|---|---|---|---|---|---|")  # fmt: skip
            for label in pages:
                keys, ring = under_keys[label], under_ring[label]
                ratio = keys[0] / ring[0]
                self.stdout.write(
                    f"| {label} | {keys[2]} | {keys[0]:.1f} | {ring[0]:.1f} | {keys[1]:.1f} | {ring[1]:.1f} "
                    f"| {ratio:.2f} |"
                )
            transaction.set_rollback(True)

    def add_rows(self, dialogue: Dialogue, convenor: User) -> None:
        sides = list(dialogue.sides.all())
        for n in range(ROWS):
            person = Person.objects.create(
                pseudonym=f"P-bench-{n}", name=f"Bench Person {n}", affiliation=f"Ministry {n}"
            )
            add_member(dialogue=dialogue, person=person, side=sides[n % len(sides)])
        RipenessEntry.objects.bulk_create(
            [
                RipenessEntry(
                    dialogue=dialogue,
                    occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                    kind="other",
                    text=f"Entry {n}: what the official process did that week, in the facilitators' words.",
                    written_by=convenor,
                )
                for n in range(ROWS)
            ]
        )

    def move_under_the_ring(self, dialogue: Dialogue) -> None:
        members = Person.objects.filter(memberships__dialogue=dialogue)
        rekey(
            members.model,
            field_contexts(Person, ["name", "email", "phone", "affiliation", "notes"]),
            key_of=under_the_ring,
        )
        rekey(RipenessEntry, field_contexts(RipenessEntry, ["text"]), key_of=under_the_ring)

    def micro(self) -> None:
        """50 values decrypted under the ring, under one data key, and under 50 data keys, per scope."""
        people = list(
            Person.objects.filter(pseudonym__startswith="P-bench-").values_list("data_key_id", flat=True)
        )
        text = b"Entry 1: what the official process did that week, in the facilitators' words."
        ring = [encrypt(text, context=b"bench") for _ in range(ROWS)]
        one = [encrypt(text, context=b"bench", data_key=people[0]) for _ in range(ROWS)]
        many = [encrypt(text, context=b"bench", data_key=key_id) for key_id in people]
        self.stdout.write(f"| {ROWS} values decrypted, one request | µs, median of 200 |\n|---|---|")
        for label, tokens in (
            ("under the ring", ring),
            ("under one data key", one),
            (f"under {ROWS} data keys", many),
        ):
            runs = []
            for _ in range(200):
                with datakeys.data_key_scope():
                    started = time.perf_counter()
                    for token in tokens:
                        decrypt(token, context=b"bench")
                    runs.append((time.perf_counter() - started) * 1e6)
            self.stdout.write(f"| {label} | {statistics.median(runs):.0f} |")

    @staticmethod
    def time(client: Client, url: str, requests: int) -> tuple[float, float, int]:
        client.get(url)  # warm up
        timings, queries = [], set()
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            queries.add(len(captured))
        timings.sort()
        return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], max(queries)
