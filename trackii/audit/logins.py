"""The keyed hash that names an attempted login in the audit log and in django-axes' counters. A module of
its own, importing nothing that writes, so reads (the staff's list of locked logins) can use it too."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def login_hash(login: str) -> str:
    """A short keyed hash of an attempted login: repeated attempts on one address can be told apart and
    matched against a known address by someone holding SECRET_KEY, but the address is never stored."""
    normalised = login.strip().lower()
    return salted_hmac(
        "trackii.audit.login", normalised, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()[:16]
