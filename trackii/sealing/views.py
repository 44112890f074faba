"""The verification page: anyone signed in uploads a PDF and learns whether Trackii sealed it, unchanged."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from trackii.sealing.forms import VerifyForm
from trackii.sealing.services import check_sealed_pdf
from trackii.sealing.verify import verdict_lines


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    checked = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            checked = check_sealed_pdf(
                data=upload.read(),
                # Whose copy it is: auditors only (it names a person's pseudonym).
                show_holder=request.user.has_perm("audit.view_auditevent"),
                by=request.user,
            )
            form = VerifyForm()
        else:
            status = 400
    context = {
        "form": form,
        "checked": checked,
        "lines": verdict_lines(checked.verification) if checked else [],
    }
    return render(request, "sealing/verify.html", context, status=status)
