"""Load Trackii's fictional demo programme. Safe to run again: it updates, and creates nothing twice."""

from django.core.management.base import BaseCommand
from django.db import transaction

from trackii.accounts.models import User

DEMO_PASSWORD = "demo-trackii-2026"  # noqa: S105 - printed on purpose: demo data only, never in production

DEMO_LOGINS = [
    # (e-mail, what the person does, staff, superuser)
    ("convenor@example.org", "convenor", False, False),
    ("facilitator@example.org", "facilitator", False, False),
    ("participant@example.org", "participant", False, False),
    ("funder@example.org", "funder officer", False, False),
    ("auditor@example.org", "auditor", True, False),
    ("admin@example.org", "administrator", True, True),
]


class Command(BaseCommand):
    help = "Create or refresh the fictional demo programme and its demo logins."

    def handle(self, *args, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            self.stderr.write(
                "seed_demo refuses to run with TRACKII_ENV=production: demo logins share a password."
            )
            raise SystemExit(1)
        with transaction.atomic():
            for email, _role, staff, superuser in DEMO_LOGINS:
                user, _created = User.objects.get_or_create(email=email)
                user.is_staff, user.is_superuser, user.is_active = staff, superuser, True
                if not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                user.save()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role, _staff, _superuser in DEMO_LOGINS:
            self.stdout.write(f"  {role:<15} {email}")
