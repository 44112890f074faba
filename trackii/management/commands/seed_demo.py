"""Load Trackii's fictional demo programme. Safe to run again: it updates, and creates nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand

from trackii.audit.context import command_context
from trackii.demo.build import seed_demo
from trackii.demo.people import LOGINS
from trackii.demo.specs import DEMO_PASSWORD

# Kept importable from here: (e-mail, what the person does, staff, superuser).
DEMO_LOGINS = [(login.email, login.role, login.staff, login.superuser) for login in LOGINS]

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = "Create or refresh the fictional demo programme and its demo logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            self.stderr.write(
                "seed_demo refuses to run with TRACKII_ENV=production: demo logins share a password."
            )
            raise SystemExit(1)
        with command_context("seed_demo"):
            report = seed_demo()
        made = ", ".join(f"{count} {label}" for label, count in report.created.items() if count)
        self.stdout.write(f"Demo programme loaded ({'created ' + made if made else 'already up to date'}).")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.email) for login in LOGINS)
        for login in LOGINS:
            self.stdout.write(f"  {login.role:<15} {login.email:<{width}}  {login.can}")
