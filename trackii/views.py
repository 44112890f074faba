from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trackii.health import run_checks
from trackii.runtime.selectors import dead_letter_count, worker_restarts


@require_GET
@never_cache
def healthz(request):
    """For operators and load balancers: 200 when every part is up, 503 naming the parts that are not.

    Dead letters (messages no worker could read, kept aside) and worker restarts in this run are reported
    for the operator; neither makes Trackii unhealthy by itself.
    """
    report = run_checks()
    healthy = all(value == "ok" for value in report.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": report}
    if report["database"] == "ok":
        body.update(dead_letters=dead_letter_count(), worker_restarts=worker_restarts())
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    """The same page for a missing object and a refused one: it says nothing about what was asked for, not
    even its address (the language menu leads home rather than back to it)."""
    return render(request, "404.html", {"next_page": "/"}, status=404)


def server_error(request):
    # No request context: whatever failed (a context processor, the session) must not fail this page too.
    return HttpResponseServerError(loader.render_to_string("500.html"))
