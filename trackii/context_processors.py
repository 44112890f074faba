from django.urls import reverse

from trackii.staff.roles import is_administrator, is_auditor


def navigation(request):
    """The main navigation: each entry appears only for the people whose work needs it."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append({"label": "Your dialogues", "url": reverse("home")})
        if not user.is_staff:  # auditors and administrators attend no workshops
            items.append({"label": "Your workshops", "url": reverse("dialogues:my_workshops")})
            items.append({"label": "Calendar", "url": reverse("dialogues:calendar_month")})
            # Always listed (it explains itself when empty): a query here would cost every page.
            items.append({"label": "Summaries", "url": reverse("dialogues:reading_room")})
        items.append({"label": "Funding", "url": reverse("funding:grant_list")})
        # Auditors are staff; asking only staff for the permission keeps everyone else's pages cheaper.
        if user.is_staff and user.has_perm("audit.view_auditevent"):
            items.append({"label": "Audit log", "url": reverse("audit:overview")})
        if user.is_superuser:
            items.append({"label": "Break-glass", "url": reverse("dialogues:break_glass")})
        if user.is_staff and (is_administrator(user) or is_auditor(user)):
            items.append({"label": "Administration", "url": reverse("staff:account_list")})
        items.append({"label": "Your account", "url": reverse("accounts:account")})
    current = request.path
    for item in items:
        item["current"] = current == item["url"] or (item["url"] != "/" and current.startswith(item["url"]))
    return {"nav_items": items}
