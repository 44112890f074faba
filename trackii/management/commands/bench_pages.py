"""Time Trackii's key pages and count their queries, for docs/benchmarks.md.

Run it on a database seeded with `seed_demo` and, for the scale figures, `seed_scale --dialogues 2000`:
    python manage.py bench_pages --requests 200
    python manage.py bench_pages --requests 100 --language ar   # the same pages in another interface language
It logs in as a participant who is in several dialogues (giving a scale person an account if needed), as the
demo convenor, and requests each page through Django's test client (no network), reporting p50 / p95 and the
number of queries per request. Everything it creates is rolled back.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues import services
from dialogues.models import Dialogue, Workshop
from participants.models import Person
from trackii.accounts.middleware import MFA_STATE
from trackii.accounts.models import User
from trackii.audit.context import command_context
from trackii.demo.scale import HEAVY_CONVENOR


class Command(BaseCommand):
    help = "Measure p50/p95 and query counts of key pages (see docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument(
            "--language", default="", help="ask for the pages in this interface language (Accept-Language)"
        )

    def handle(self, *args, requests: int, language: str, **options):
        self.stdout.write(
            f"{Dialogue.objects.count():,} dialogues, {Person.objects.count():,} people, "
            f"{Workshop.objects.count():,} workshops"
        )
        self.stdout.write("| page | as | queries | p50 ms | p95 ms |\n|---|---|---|---|---|")
        with command_context("bench_pages"), transaction.atomic():
            self._measure(requests, language)
            transaction.set_rollback(True)

    def _measure(self, requests: int, language: str) -> None:
        for label, who, user, url in key_pages():
            client = Client(HTTP_HOST="localhost", **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
            client.force_login(user)
            # force_login skips the login flow; mark the second factor as done, as a real login would.
            session = client.session
            session[MFA_STATE] = "ok"
            session.save()
            client.get(url)  # warm up
            timings, queries = [], set()
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code} for {label}")
                queries.add(len(captured))
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            self.stdout.write(
                f"| {label} | {who} | {'/'.join(map(str, sorted(queries)))} | "
                f"{statistics.median(timings):.1f} | {p95:.1f} |"
            )


def bench_participant() -> Person:
    """The participant in the most dialogues (the heavy one on the scale data), given a login if needed."""
    person = (
        Person.objects.filter(memberships__role="participant", invitations__isnull=False)
        .annotate(n=Count("memberships", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if person.user_id is None:
        person.user = User.objects.create_user(email=f"bench-{person.pk}@example.org", password=None)
        person.save(update_fields=["user"])
        services.sync_person_grants(person=person)
    return person


def insight_pages(who: str, user: User, dialogue: Dialogue) -> list[tuple[str, str, User, str]]:
    """A dialogue's insight pages (issue 21) and its outcomes, as its convenor reads them."""
    return [
        (f"insight: {name} ({dialogue.codename})", who, user, reverse(f"dialogues:{url}", args=[dialogue.pk]))
        for name, url in (
            ("hub", "insight"),
            ("composition", "insight_composition"),
            ("continuity", "insight_continuity"),
            ("ripeness log", "insight_ripeness"),
            ("transfers", "insight_transfers"),
            ("outcomes", "outcome_list"),
        )
    ]


def key_pages() -> list[tuple[str, str, User, str]]:
    """The key pages as (label, role, login, URL): the participant's, and the demo convenor's and auditor's
    where the demo is seeded. bench_pages times them all; profile_pages profiles some."""
    participant = bench_participant()
    membership = participant.memberships.select_related("dialogue").first()
    workshop = Workshop.objects.filter(invitations__person=participant).select_related("series").first()
    user = participant.user
    pages = [
        ("dialogue list", "participant", user, reverse("home")),
        (
            "dialogue page",
            "participant",
            user,
            reverse("dialogues:dialogue_detail", args=[membership.dialogue_id]),
        ),
        (
            "workshop page",
            "participant",
            user,
            reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk]),
        ),
        ("own workshops (/me/)", "participant", user, reverse("dialogues:my_workshops")),
        ("calendar, month", "participant", user, reverse("dialogues:calendar_month")),
        ("calendar, agenda", "participant", user, reverse("dialogues:calendar_agenda")),
    ]
    convenor = User.objects.filter(email="convenor@example.org").first()
    if convenor is not None:
        dialogue = Dialogue.objects.get(codename="tidewater")
        pages += [
            ("dialogue list", "convenor", convenor, reverse("home")),
            ("members (roster)", "convenor", convenor, reverse("dialogues:members", args=[dialogue.pk])),
            ("dashboard", "convenor", convenor, reverse("dialogues:dashboard", args=[dialogue.pk])),
            ("programme insight", "convenor", convenor, reverse("dialogues:programme_insight")),
            *insight_pages("convenor", convenor, dialogue),
        ]
    # The programme-wide insight counts over every dialogue convened: the scale data's heavy convenor holds
    # the most (HEAVY_CONVENES).
    heavy = User.objects.filter(email=HEAVY_CONVENOR).first()
    if heavy is not None:
        pages.append(("programme insight", "heavy convenor", heavy, reverse("dialogues:programme_insight")))
        # A scale dialogue of theirs with the most held workshops: the per-dialogue pages read only it.
        busiest = (
            Dialogue.objects.filter(facilitators__person__user=heavy)
            .annotate(held=Count("series__workshops", filter=Q(series__workshops__status="held")))
            .order_by("-held", "pk")
            .first()
        )
        if busiest is not None:
            pages += insight_pages("heavy convenor", heavy, busiest)
    auditor = User.objects.filter(email="auditor@example.org").first()
    if auditor is not None:
        events = reverse("audit:events")
        pages += [
            ("audit overview", "auditor", auditor, reverse("audit:overview")),
            ("audit search, newest", "auditor", auditor, events),
            ("audit search, one account", "auditor", auditor, f"{events}?person=%23{user.pk}"),
            (
                "audit search, one object",
                "auditor",
                auditor,
                f"{events}?target_type=dialogues.summary&target_id=5",
            ),
            (
                "audit search, one dialogue",
                "auditor",
                auditor,
                f"{events}?dialogue={membership.dialogue.codename}",
            ),
        ]
    return pages
