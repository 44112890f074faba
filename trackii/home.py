"""The home page ("/"): one part for each thing the person is (trackii.standing), so a convenor who is also a
funder's officer sees both. It lives on the composition floor because its parts come from every app:
participants' and facilitators' dialogues, a funder's grants and reports, the auditors' glance at the log,
the administrators' accounts needing action and open break-glass grants. Each part is read through its own
app's selectors and services; this module only chooses which parts to read."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.permissions import dialogue_access, insight_dialogues
from funding.disclosures.selectors import newest_reports_for_officer
from funding.grants.selectors import grants_of_officer
from trackii import standing as standings
from trackii.audit import selectors as audit_selectors
from trackii.audit import services as audit_services
from trackii.audit.logins import login_hash
from trackii.staff import selectors as staff_selectors
from trackii.staff.requests import selectors as request_selectors
from trackii.staff.roles import GROUPS

REPORTS_SHOWN = 5
# The page's title when it has one part; with several it is "Home" and each part has its own heading.
TITLES = {
    "part_dialogues": _("Your dialogues"),
    "part_funder": _("Your grants"),
    "part_audit": _("Audit"),
    "part_admin": _("Administration"),
}
GRANTS_SHOWN = 20


def _dialogues_part(user) -> dict:
    dialogues = list(dialogue_selectors.dialogues_with_convenor_flag(user=user))
    # A convenor may open new dialogues for the same Third Party (docs/decisions/0004-scheduling.md).
    return {
        "dialogues": dialogues,
        "can_create": any(d.convenes for d in dialogues),
        # Convenors and facilitators see the programme-wide insight (no query: the access is read already).
        "programme_insight": bool(insight_dialogues(dialogue_access(user))),
    }


def _funder_part(user) -> dict:
    grants = list(grants_of_officer(user=user)[: GRANTS_SHOWN + 1])
    reports = list(newest_reports_for_officer(user=user))
    return {
        "grants": grants[:GRANTS_SHOWN],
        "more_grants": len(grants) > GRANTS_SHOWN,
        "reports": reports[:REPORTS_SHOWN],
        "unread": [report for report in reports if not report.downloaded],
    }


def _staff_logins() -> dict[str, int]:
    """Each staff account's login hash, as lockouts are recorded (read only when some login is locked)."""
    staff = staff_selectors.staff_accounts(role_groups=GROUPS.values()).only("id", "email")
    return {login_hash(user.email): user.pk for user in staff}


def _administrator_part(user, now) -> dict:
    # What a second administrator must confirm: asked by someone else, and not about this administrator.
    awaiting = [
        item
        for item in request_selectors.pending_requests(now=now)
        if item.requested_by_id != user.pk and item.account_id != user.pk
    ]
    grants = list(dialogue_selectors.open_break_glass(now=now))
    holders = audit_selectors.labels_for(actor_ids={grant.user_id for grant in grants}).accounts
    return {
        "requests": awaiting,
        "locked": staff_selectors.locked_logins(now=now, staff_logins=_staff_logins),
        "without_factor": staff_selectors.staff_without_second_factor(role_groups=GROUPS.values()),
        "disabled": staff_selectors.recently_disabled(now=now),
        "break_glass": [(grant, holders.get(grant.user_id, f"#{grant.user_id}")) for grant in grants],
        "disabled_days": staff_selectors.RECENTLY_DISABLED_DAYS,
        # Only where the Django admin is served at all (TRACKII_DJANGO_ADMIN, off outside DEBUG by default).
        "django_admin": reverse("admin:index") if settings.TRACKII_DJANGO_ADMIN else None,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    standing = standings.fresh(request)
    user = request.user
    context = {"standing": standing}
    # Someone who is nothing else (yet) gets the participant's home, which says how dialogues appear.
    if standing.takes_part or not (standing.officer or standing.staff):
        context["part_dialogues"] = _dialogues_part(user)
    if standing.officer:
        context["part_funder"] = _funder_part(user)
    if standing.auditor:
        context["part_audit"] = audit_services.view_home(by=user)
    if standing.administrator:
        context["part_admin"] = _administrator_part(user, timezone.now())
    parts = [key for key in ("part_dialogues", "part_funder", "part_audit", "part_admin") if key in context]
    context["single"] = parts[0] if len(parts) == 1 else None
    context["title"] = TITLES[context["single"]] if context["single"] else _("Home")
    return render(request, "home.html", context)
