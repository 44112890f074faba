"""Every URL pattern of the project with made-up arguments: enough to reach the middleware, which is where
CSRF and the security headers are decided."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PARAMETER = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def routes(resolver=None, prefix="") -> list[tuple[str, str]]:
    """(path, name) for every route-style pattern; regex patterns (a few of the admin's) are left out."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            if isinstance(entry, URLResolver) and str(pattern) in {"^", ""}:
                found += routes(entry, prefix)
            continue
        route = PARAMETER.sub(lambda match: SAMPLE[match.group(1) or "str"], str(pattern))
        if isinstance(entry, URLResolver):
            found += routes(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append(("/" + prefix + route, entry.name or ""))
    return found
