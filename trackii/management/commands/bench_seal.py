"""Seal a long summary through the real pipeline, for docs/benchmarks.md:
    python manage.py bench_seal --pages 20 --attendees 20 --runs 5 --copies 20

Each run creates a held workshop with `--attendees` people in the room and a summary of about `--pages`
pages, then runs the sealing job exactly as the Celery worker does (render, sign, encrypt, complete with one
stamped, sealed copy per attendee). It reports the job beside WeasyPrint alone on the same HTML, the cost per
copy made later (copy_for, `--copies` per run, wall and CPU time), and this process's peak memory.
Everything it creates is rolled back.
"""

import datetime as dt
import resource
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dialogues.enums import InvitationStatus
from dialogues.models import Dialogue, Invitation, Summary, Workshop, WorkshopSeries
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from dialogues.summaries.documents import document_id, summary_html
from participants.models import Person, ThirdParty
from trackii.audit.context import command_context
from trackii.sealing.pdf import render_pdf
from trackii.sealing.samples import sample_summary_markdown
from trackii.sealing.seal import copy_master, seal_pdf
from trackii.sealing.services import run_seal_job


class Command(BaseCommand):
    help = "Time the summary sealing job against WeasyPrint alone (see docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=20)
        parser.add_argument("--attendees", type=int, default=20)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--copies", type=int, default=20, help="later copies (copy_for) timed per run")

    def handle(self, *args, pages: int, attendees: int, runs: int, copies: int, **options):
        body = sample_summary_markdown(pages=pages)
        rows = []
        with command_context("bench_seal"), transaction.atomic():
            for run in range(runs + 1):  # the first run warms up imports, fonts and the key
                rows.append(self._run(run, body, attendees, copies))
            transaction.set_rollback(True)
        rows = rows[1:]
        weasy = statistics.median(row["weasyprint"] for row in rows)
        render_sign = statistics.median(row["render_sign"] for row in rows)
        job = statistics.median(row["job"] for row in rows)
        per_copy = statistics.median(seconds for row in rows for seconds in row["copies"])
        per_copy_cpu = statistics.median(seconds for row in rows for seconds in row["copies_cpu"])
        cold_copy = statistics.median(seconds for row in rows for seconds in row["cold"])
        cold_cpu = statistics.median(seconds for row in rows for seconds in row["cold_cpu"])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"summary of ~{pages} pages, {attendees} attendees, median of {runs} runs")
        self.stdout.write(f"WeasyPrint alone on the summary's HTML   {weasy * 1000:8.0f} ms")
        self.stdout.write(
            f"render + seal (the sealed version)        {render_sign * 1000:8.0f} ms = "
            f"{render_sign / weasy:.2f}x WeasyPrint (target <= 1.30x)"
        )
        self.stdout.write(
            f"whole job incl. {attendees} copies, storage   {job * 1000:8.0f} ms = "
            f"{job / weasy:.2f}x WeasyPrint"
        )
        self.stdout.write(
            f"per recipient copy (copy_for: stamp, seal, encrypt, store, audit) {per_copy * 1000:6.1f} ms, "
            f"CPU {per_copy_cpu * 1000:.1f} ms (median of {runs * copies}; target <= 100 ms)"
        )
        self.stdout.write(
            f"first copy of the version in a process (master parsed again) {cold_copy * 1000:6.1f} ms, "
            f"CPU {cold_cpu * 1000:.1f} ms (median of {runs * copies})"
        )
        self.stdout.write(f"peak memory of this process               {peak:8.0f} MiB")

    def _run(self, run: int, body: str, attendees: int, copies: int) -> dict:
        now = timezone.now()
        third_party = ThirdParty.objects.get_or_create(name="Benchmark Third Party")[0]
        dialogue = Dialogue.objects.create(
            title="Benchmark", codename=f"bench-seal-{run}", third_party=third_party
        )
        series = WorkshopSeries.objects.create(dialogue=dialogue, title="Benchmark series")
        workshop = Workshop.objects.create(
            series=series, number=1, starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1)
        )
        for number in range(attendees):
            person = Person.objects.create(pseudonym=f"B-{run}-{number}", name=f"Bench Person {number}")
            Invitation.objects.create(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
        summary = Summary.objects.create(workshop=workshop, body=body)

        html = summary_html(summary, sealed_at=now)
        started = time.perf_counter()
        rendered = render_pdf(html)
        weasyprint = time.perf_counter() - started
        started = time.perf_counter()
        seal_pdf(render_pdf(html), reason="benchmark", document_id=document_id(summary))
        render_sign = time.perf_counter() - started

        summaries.request_seal(summary=summary, by=None)
        started = time.perf_counter()
        job = run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
        whole = time.perf_counter() - started
        assert job.state == "done", job.error
        assert rendered
        # A copy made later (for a member of the facilitation team) costs what each copy in the job costs.
        summary.refresh_from_db()
        wall, cpu = [], []
        for number in range(copies):
            person = Person.objects.create(pseudonym=f"F-{run}-{number}", name=f"Bench Facilitator {number}")
            started, started_cpu = time.perf_counter(), time.process_time()
            summaries.copy_for(summary=summary, person=person, by=None)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        # The first download in a web process that has not made a copy of this version: the master is parsed
        # and laid out again (copy_master's cache is per process).
        cold, cold_cpu = [], []
        for number in range(copies):
            person = Person.objects.create(pseudonym=f"G-{run}-{number}", name=f"Bench Facilitator {number}")
            copy_master.cache_clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            summaries.copy_for(summary=summary, person=person, by=None)
            cold.append(time.perf_counter() - started)
            cold_cpu.append(time.process_time() - started_cpu)
        return {
            "weasyprint": weasyprint,
            "render_sign": render_sign,
            "job": whole,
            "copies": wall,
            "copies_cpu": cpu,
            "cold": cold,
            "cold_cpu": cold_cpu,
        }
