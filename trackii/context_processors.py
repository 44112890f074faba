from django.urls import reverse

from trackii import standing as standings


def navigation(request):
    """The main navigation: each entry appears only for the people whose work needs it. What the person is
    comes from trackii.standing, which costs no query beyond what the page itself read (once per session)."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        standing = standings.of(request)
        items.append({"label": "Your dialogues" if standing.takes_part else "Home", "url": reverse("home")})
        if standing.takes_part:
            items.append({"label": "Your workshops", "url": reverse("dialogues:my_workshops")})
            items.append({"label": "Calendar", "url": reverse("dialogues:calendar_month")})
            items.append({"label": "Summaries", "url": reverse("dialogues:reading_room")})
        if standing.funding:
            items.append({"label": "Funding", "url": reverse("funding:grant_list")})
        if standing.auditor:
            items.append({"label": "Audit log", "url": reverse("audit:overview")})
        if user.is_superuser:
            items.append({"label": "Break-glass", "url": reverse("dialogues:break_glass")})
        if (
            standing.administrator or standing.auditor
        ):  # auditors see staff administration, administrators act
            items.append({"label": "Administration", "url": reverse("staff:account_list")})
        items.append({"label": "Your account", "url": reverse("accounts:account")})
    current = request.path
    for item in items:
        url = item["url"]
        item["current"] = current == url or (url != "/" and current.startswith(url))
    return {"nav_items": items}
