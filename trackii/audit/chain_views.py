"""The chain-status page (issue 19): the chain's head, the last verification, each signed checkpoint's
verdict, and a button that has a worker run the same verification as verify_audit. Auditors only (holders of
audit.view_auditevent); everyone else gets the ordinary 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from trackii.audit import selectors
from trackii.audit.enums import ACTIVE_CHAIN_CHECK
from trackii.audit.services import chain_checks
from trackii.audit.views import require_auditor
from trackii.inputs import parse_id

TEMPLATE = "audit/chain.html"


@require_http_methods(["GET", "POST"])
def chain(request):
    """GET: the page (recorded). POST: start a verification, or show the one already under way."""
    require_auditor(request)
    if request.method == "POST":
        check, created = chain_checks.request_chain_check(by=request.user)
        if created:
            messages.success(
                request,
                _("Verification %(run)s is queued; this page shows its progress.") % {"run": check.pk},
            )
        else:
            messages.info(
                request,
                _("Verification %(run)s is already under way: here is its progress.") % {"run": check.pk},
            )
        return redirect("audit:chain")
    status = chain_checks.view_chain_status(by=request.user)
    return render(request, TEMPLATE, {"status": status, "run": status.active, "stalled": status.stalled})


@require_GET
def chain_progress(request):
    """What htmx polls every 2 s while a run is under way: its progress. Once it is over (or stalled), the
    whole page reloads to show the verdict. Without htmx, the page itself."""
    require_auditor(request)
    run = selectors.chain_check(check_id=parse_id(request.GET.get("run")))
    if run is None:
        raise Http404
    if not request.htmx:
        return redirect("audit:chain")
    stalled = selectors.chain_check_stalled(run, now=timezone.now())
    if run.status not in ACTIVE_CHAIN_CHECK or stalled:
        return HttpResponseClientRefresh()
    return render(request, TEMPLATE + "#progress", {"run": run, "stalled": stalled})
