from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from funding import selectors
from trackii.permissions import fetch_or_404


@login_required
@require_http_methods(["GET", "HEAD"])
def grant_list(request):
    """A funder's own grants; a dialogue's members see who funds their dialogue."""
    grants = selectors.grants_for_user(request.user)
    return render(request, "funding/grant_list.html", {"grants": grants})


@login_required
@require_http_methods(["GET", "HEAD"])
def grant_detail(request, grant_id: int):
    grant = fetch_or_404(request, selectors.grants_for_user(request.user), pk=grant_id)
    context = {
        "grant": grant,
        "conditions": selectors.conditions_of(grant),
        "activity": selectors.dialogue_activity(grant),
        "threshold": settings.TRACKII_SMALL_COUNT_THRESHOLD,
    }
    return render(request, "funding/grant_detail.html", context)
