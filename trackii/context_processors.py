from django.urls import reverse
from django.utils.translation import gettext as _

from trackii import standing as standings


def navigation(request):
    """The main navigation: each entry appears only for the people whose work needs it. What the person is
    comes from trackii.standing, which costs no query beyond what the page itself read (once per session)."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        standing = standings.of(request)
        home_label = _("Your dialogues") if standing.takes_part else _("Home")
        items.append({"label": home_label, "url": reverse("home")})
        if standing.takes_part:
            items.append({"label": _("Your workshops"), "url": reverse("dialogues:my_workshops")})
            items.append({"label": _("Calendar"), "url": reverse("dialogues:calendar_month")})
            items.append({"label": _("Summaries"), "url": reverse("dialogues:reading_room")})
        if standing.funding:
            items.append({"label": _("Funding"), "url": reverse("funding:grant_list")})
        if standing.auditor:
            items.append({"label": _("Audit log"), "url": reverse("audit:overview")})
        if user.is_superuser:
            items.append({"label": _("Break-glass"), "url": reverse("dialogues:break_glass")})
        if (
            standing.administrator or standing.auditor
        ):  # auditors see staff administration, administrators act
            items.append({"label": _("Administration"), "url": reverse("staff:account_list")})
        items.append({"label": _("Your account"), "url": reverse("accounts:account")})
    current = request.path
    for item in items:
        url = item["url"]
        item["current"] = current == url or (url != "/" and current.startswith(url))
    return {"nav_items": items}
