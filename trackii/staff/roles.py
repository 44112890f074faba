"""Trackii's two staff roles. Auditors read the audit log (and see client addresses); administrators act on
accounts (invite staff, grant and remove staff roles with a second administrator, disable, reset a second
factor, end sessions). Neither holds any grant on dialogue content. Superuser status is set only from the
command line (`manage.py createsuperuser`) and implies both.

Each role is a group holding one permission, so asking is `user.has_perm(...)`, which Django answers from the
user's permission cache: one query per request whatever the number of questions."""

from trackii.audit.enums import AUDITORS_GROUP
from trackii.staff.enums import Role

AUDIT_PERMISSION = "audit.view_auditevent"
ADMINISTER_PERMISSION = "accounts.administer_accounts"


GROUPS = {Role.AUDITOR: AUDITORS_GROUP, Role.ADMINISTRATOR: "administrators"}
PERMISSIONS = {Role.AUDITOR: AUDIT_PERMISSION, Role.ADMINISTRATOR: ADMINISTER_PERMISSION}


def is_auditor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(AUDIT_PERMISSION))


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(ADMINISTER_PERMISSION))
