"""`make bench`: requests per second and p50/p95/p99 of Trackii's key pages, through gunicorn, per data scale.

For each database given (default: trackii_bench_1x and trackii_bench_10x, seeded as docs/benchmarks.md says):
    python manage.py bench_http --duration 10
    python manage.py bench_http --db 1x=trackii_bench_1x --db 10x=trackii_bench_10x --duration 5
it prepares the benchmark's logins in that database (see trackii/benchmarks/logins.py), starts gunicorn as
`make run` does on a free loopback port, logs each role in over HTTP (TOTP included) and loads each page with
wrk at 4 and 16 connections. It prints one table per database, then the databases side by side with the
10x/1x ratio of p95, and the load average before and after. Any page that answers anything but 2xx (a
redirect to the login included) fails the run. TRACKII_VAR_DIR must be the one the databases were seeded
with: it holds their encryption keys.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from trackii.audit.context import command_context
from trackii.benchmarks import browser, server, wrk
from trackii.benchmarks.logins import BENCH_PASSWORD, prepare_logins

DEFAULT_DATABASES = ["1x=trackii_bench_1x", "10x=trackii_bench_10x"]
CONCURRENCY = (4, 16)
WARM_UP_REQUESTS = 4


def database_url(name_or_url: str) -> str:
    """A full URL as given, or a database name on the server of DATABASE_URL (PostgreSQL on 127.0.0.1 if
    DATABASE_URL is not PostgreSQL)."""
    if "://" in name_or_url:
        return name_or_url
    current = os.environ.get("DATABASE_URL", "")
    if not current.startswith(("postgres://", "postgresql://")):
        current = "postgres://postgres@127.0.0.1:5432/postgres"
    return urllib.parse.urlsplit(current)._replace(path=f"/{name_or_url}").geturl()


def parse_scale(value: str) -> tuple[str, str]:
    """'10x=trackii_bench_10x' → ('10x', url); a bare name is its own label."""
    label, _, name = value.rpartition("=")
    return (label or name.rsplit("/", 1)[-1]), database_url(name)


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


class Scale:
    """One database's run: who logged in, each page's figures at each concurrency, what failed."""

    def __init__(self, label: str, url: str):
        self.label, self.url = label, url
        self.results: dict[tuple[str, str], dict[int, wrk.WrkResult]] = {}
        self.failures: list[str] = []
        self.load_before = self.load_after = ""

    def fail(self, what: str) -> None:
        self.failures.append(f"{self.label}: {what}")


class Command(BaseCommand):
    help = "Load Trackii's key pages through gunicorn with wrk at each data scale (see docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--db",
            action="append",
            dest="databases",
            metavar="[LABEL=]NAME_OR_URL",
            help="A database to measure, repeatable; the first is the base of the ratios "
            "(default: 1x=trackii_bench_1x 10x=trackii_bench_10x).",
        )
        parser.add_argument(
            "--duration", type=int, default=10, help="Seconds of wrk per page and concurrency."
        )
        parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
        parser.add_argument(
            "--password", default=BENCH_PASSWORD, help="Password of the heavy benchmark logins."
        )
        parser.add_argument(
            "--roles", help="Only these roles, comma-separated (e.g. participant,typical participant)."
        )
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, databases, duration, threads, password, roles, prepare, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_http refuses to run with TRACKII_ENV=production: it changes logins.")
        if prepare:
            self._prepare(password)
            return
        wrk.wrk_path()  # fail before anything starts if wrk is missing
        wanted = {role.strip() for role in roles.split(",")} if roles else None
        scales = [Scale(*parse_scale(value)) for value in databases or DEFAULT_DATABASES]
        with tempfile.TemporaryDirectory() as scratch:
            script = Path(scratch) / "report.lua"
            script.write_text(wrk.REPORT_SCRIPT)
            for scale in scales:
                self._run(
                    scale, wanted=wanted, password=password, duration=duration, threads=threads, script=script
                )
                self._write_table(scale)
        if len(scales) > 1:
            self._write_comparison(scales)
        failures = [failure for scale in scales for failure in scale.failures]
        if failures:
            self.stdout.write("\nFAILED:\n" + "\n".join(f"  {failure}" for failure in failures))
            raise CommandError(
                f"{len(failures)} page(s) or login(s) failed; the figures above are not valid."
            )

    def _prepare(self, password: str) -> None:
        """Runs in the database being measured: make sure the logins exist, print them as JSON."""
        with command_context("bench_http"), transaction.atomic():
            logins, missing = prepare_logins(password=password)
        self.stdout.write(json.dumps({"logins": [login.__dict__ for login in logins], "missing": missing}))

    def _logins(self, scale: Scale, password: str) -> dict:
        environment = {**os.environ, "DATABASE_URL": scale.url}
        command = [sys.executable, "manage.py", "bench_http", "--prepare", "--password", password]
        completed = subprocess.run(  # noqa: S603 - this very command, in the database being measured
            command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            reason = "\n".join(completed.stderr.strip().splitlines()[-3:])
            raise CommandError(f"{scale.label}: preparing the logins failed:\n{reason}")
        return json.loads(completed.stdout.strip().splitlines()[-1])

    def _run(self, scale: Scale, *, wanted, password: str, duration: int, threads: int, script: Path) -> None:
        self.stdout.write(f"\n== {scale.label}: {urllib.parse.urlsplit(scale.url).path.lstrip('/')}")
        prepared = self._logins(scale, password)
        for missing in prepared["missing"]:
            if wanted is None or missing.split(":")[0] in wanted:
                scale.fail(f"no login for {missing}")
        logins = [login for login in prepared["logins"] if wanted is None or login["role"] in wanted]
        for login in logins:
            kind = {"heavy": "heavy benchmark login", "demo": "demo login", "scale": "scale participant"}
            self.stdout.write(f"  {login['role']}: {login['email']} ({kind[login['source']]})")
        log_path = Path(settings.VAR_DIR) / "bench" / f"gunicorn-{scale.label}.log"
        with server.running_gunicorn(database_url=scale.url, log_path=log_path) as base_url:
            scale.load_before = load_average()
            self.stdout.write(f"  gunicorn at {base_url} (log: {log_path}); {scale.load_before}")
            for login in logins:
                self._measure_login(scale, base_url, login, duration=duration, threads=threads, script=script)
            scale.load_after = load_average()

    def _measure_login(self, scale: Scale, base_url: str, login: dict, *, duration, threads, script) -> None:
        visitor = browser.Browser(base_url)
        try:
            visitor.log_in(email=login["email"], password=login["password"], totp_secret=login["totp_secret"])
        except browser.LoginFailed as error:
            scale.fail(f"login as {login['role']}: {error}")
            return
        for label, path in login["pages"]:
            key = (label, login["role"])
            for _ in range(WARM_UP_REQUESTS):
                answer = visitor.get(path)
                if answer.status != 200:
                    where = f" to {answer.location}" if answer.location else ""
                    scale.fail(f"{label} ({path}) as {login['role']} answered {answer.status}{where}")
                    break
            else:
                figures = {}
                for connections in CONCURRENCY:
                    result = wrk.run_wrk(
                        base_url + path,
                        cookie=visitor.cookie_header(),
                        connections=connections,
                        threads=threads,
                        duration=duration,
                        script=str(script),
                    )
                    figures[connections] = result
                    if result.failure:
                        scale.fail(f"{label} ({path}) as {login['role']} at c{connections}: {result.failure}")
                scale.results[key] = figures
                low, high = figures[CONCURRENCY[0]], figures[CONCURRENCY[-1]]
                self.stdout.write(
                    f"  {label} as {login['role']}: {high.per_second:.0f} req/s at c{CONCURRENCY[-1]}, "
                    f"p95 {low.p95_ms:.0f} ms at c{CONCURRENCY[0]}"
                )

    def _write_table(self, scale: Scale) -> None:
        low, high = CONCURRENCY[0], CONCURRENCY[-1]
        self.stdout.write(
            f"\n{scale.label}: {scale.load_before} before, {scale.load_after} after\n\n"
            f"| page | as | req/s c{high} | p50 ms c{low} | p95 ms c{low} | p99 ms c{low} |\n"
            "|---|---|---:|---:|---:|---:|"
        )
        for (label, role), figures in scale.results.items():
            at_low = figures[low]
            flag = " ✗" if any(result.failure for result in figures.values()) else ""
            self.stdout.write(
                f"| {label}{flag} | {role} | {figures[high].per_second:.0f} | {at_low.p50_ms:.0f} | "
                f"{at_low.p95_ms:.0f} | {at_low.p99_ms:.0f} |"
            )

    def _write_comparison(self, scales: list[Scale]) -> None:
        low, high = CONCURRENCY[0], CONCURRENCY[-1]
        base, last = scales[0], scales[-1]
        labels = [scale.label for scale in scales]
        header = (
            ["page", "as"]
            + [f"req/s c{high} {label}" for label in labels]
            + [f"p95 ms c{low} {label}" for label in labels]
            + [f"p95 {last.label}/{base.label}"]
        )
        self.stdout.write("\n| " + " | ".join(header) + " |\n|---|---|" + "---:|" * (len(header) - 2))
        keys = list(dict.fromkeys(key for scale in scales for key in scale.results))
        for key in keys:
            per_second = [scale.results.get(key, {}).get(high) for scale in scales]
            p95 = [scale.results.get(key, {}).get(low) for scale in scales]
            ratio = f"{p95[-1].p95_ms / p95[0].p95_ms:.2f}" if p95[0] and p95[-1] and p95[0].p95_ms else "-"
            cells = (
                [*key]
                + [f"{result.per_second:.0f}" if result else "-" for result in per_second]
                + [f"{result.p95_ms:.0f}" if result else "-" for result in p95]
                + [ratio]
            )
            self.stdout.write("| " + " | ".join(cells) + " |")
        for scale in scales:
            self.stdout.write(f"{scale.label}: {scale.load_before} before, {scale.load_after} after")
