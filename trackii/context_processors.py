from django.urls import NoReverseMatch, reverse

from trackii import standing as standings


def _administration_url(standing) -> str | None:
    """Staff administration (staff:accounts); until those pages exist, the administrators' part of the home
    page."""
    try:
        return reverse("staff:accounts")
    except NoReverseMatch:
        return reverse("home") + "#administration" if standing.administrator else None


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
        if standing.staff and (url := _administration_url(standing)):
            items.append({"label": "Administration", "url": url})
        items.append({"label": "Your account", "url": reverse("accounts:account")})
    current = request.path
    for item in items:
        url = item["url"]
        # A part of a page (the home's administration) is never "the current page": its page already is.
        item["current"] = "#" not in url and (current == url or (url != "/" and current.startswith(url)))
    return {"nav_items": items}
