"""Show the SQL and PostgreSQL's plan of the permission-filtered lists that grow with the data, for
docs/benchmarks.md ("Permission filters"):

    python manage.py bench_explain --login heavy-participant@bench.trackii.test --login heavy-convenor@…

For each login: the dialogue list, the calendar's month (this month, as the page asks it) and the funding
list, each with its SQL size, planning and execution time from `EXPLAIN (ANALYZE, BUFFERS)`, and the plan's
first lines (`--plan` for all of it). It reads only; the queries run as the pages run them, through the same
selectors, outside any request (so what the user holds is read afresh, as on a request's first check).
"""

import datetime as dt
import re

from django.core.exceptions import EmptyResultSet
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from dialogues.personal.selectors import calendar_workshops
from dialogues.selectors import dialogues_for_user
from funding.grants.selectors import grants_for_user
from trackii.accounts.models import User


def _lists(user) -> dict:
    today = timezone.localdate()
    first = today.replace(day=1)
    start = dt.datetime.combine(first - dt.timedelta(days=7), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(first + dt.timedelta(days=39), dt.time.min, tzinfo=dt.UTC)
    return {
        "dialogue list": lambda: dialogues_for_user(user=user),
        "calendar, month": lambda: calendar_workshops(user=user, start=start, end=end),
        "funding list": lambda: grants_for_user(user=user),
    }


class Command(BaseCommand):
    help = "SQL and EXPLAIN ANALYZE of the permission-filtered lists (see docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--login", action="append", required=True, help="a login's e-mail (repeatable)")
        parser.add_argument("--plan", action="store_true", help="print each whole plan and its SQL")
        parser.add_argument("--runs", type=int, default=5, help="runs per query; the median is shown")

    def handle(self, *args, login: list[str], plan: bool, runs: int, **options):
        self.stdout.write("| list | as | rows | SQL bytes | plan ms | run ms | what the plan starts from |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for email in login:
            try:
                user = User.objects.get_by_natural_key(email)
            except User.DoesNotExist:
                raise CommandError(f"No login {email!r} in this database.") from None
            for name, build in _lists(user).items():
                timings = []
                for _ in range(runs):
                    # Built afresh each run, as each request builds it (reading what the user holds).
                    try:
                        sql, params = build().query.sql_with_params()
                    except EmptyResultSet:
                        break  # the user holds nothing that could match: Django sends no query at all
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                        lines = [row[0] for row in cursor.fetchall()]
                    timings.append((_ms(lines, "Planning Time"), _ms(lines, "Execution Time"), lines))
                if not timings:
                    self.stdout.write(f"| {name} | {email} | 0 | 0 | 0 | 0 | no query: nothing held |")
                    continue
                timings.sort(key=lambda t: t[0] + t[1])
                planning, execution, lines = timings[len(timings) // 2]
                found = re.search(r"rows=(\d+) loops", lines[0])
                rows = found.group(1) if found else "?"
                self.stdout.write(
                    f"| {name} | {email} | {rows} | {len(sql):,} | {planning:.2f} | {execution:.2f} | "
                    f"{_start(lines)} |"
                )
                if plan:
                    self.stdout.write(f"\n```sql\n{sql}\n```\n```\n" + "\n".join(lines) + "\n```\n")


def _ms(lines: list[str], label: str) -> float:
    for line in lines:
        if line.strip().startswith(label):
            return float(line.split(":")[1].split()[0])
    return float("nan")


def _start(lines: list[str]) -> str:
    """The deepest scan of the plan's first branch: where PostgreSQL starts reading."""
    scans = [line.strip().lstrip("-> ").split("  (")[0] for line in lines if "Scan" in line]
    return scans[0] if scans else lines[0].split("  (")[0]
