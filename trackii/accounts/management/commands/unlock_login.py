import ipaddress

from django.core.management.base import BaseCommand, CommandError

from trackii.accounts.models import User
from trackii.accounts.throttle import unlock_login
from trackii.audit.context import command_context


class Command(BaseCommand):
    help = (
        "Lift a login lockout before it runs out (TRACKII_LOGIN_LOCKOUT_HOURS): for a login e-mail address, "
        "a client address, or both. Recorded in the audit log as login_unlocked. The answer is the same "
        "whether or not an account uses the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="the e-mail address that was typed at the login page")
        parser.add_argument("--address", metavar="IP", help="the client address that is locked out")
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the administrator's own login, for the audit log (default: recorded as the system)",
        )

    def handle(self, *args, email=None, address=None, by=None, **options):
        email = (email or "").strip()
        if not (email or address):
            raise CommandError("Name the login e-mail address, --address IP, or both.")
        if address:
            try:
                address = ipaddress.ip_address(address.strip()).compressed
            except ValueError:
                raise CommandError(f"--address {address!r} is not an IP address.") from None
        actor = None
        if by:
            actor = User.objects.filter(email=by, is_active=True, is_staff=True).first()
            if actor is None:
                raise CommandError("--by must be the login of an active administrator (staff).")
        with command_context("unlock_login"):
            cleared = unlock_login(by=actor, login=email or None, ip_address=address)
        what = " and ".join(
            part for part in (email and "that login", address and f"address {address}") if part
        )
        if cleared:
            self.stdout.write(
                f"Unlocked {what}: {cleared} failure counter(s) cleared. Recorded in the audit log."
            )
        else:
            self.stdout.write(f"Nothing was locked or counted for {what}. Recorded in the audit log.")
