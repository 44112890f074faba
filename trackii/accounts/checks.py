"""System checks that keep a deployment from starting with a weak CSP, without its encryption keys, or with
keys that are not the ones its database was written with."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:", "data:")
# data: is harmless for images (the favicon and QR codes are data URIs), never for scripts or frames.
DATA_ALLOWED = {"img-src", "font-src"}


def _text(source) -> str:
    return str(getattr(source, "value", source)).strip().lower()


def csp_errors(policy) -> list[Error]:
    errors = []
    if not policy:
        return [
            Error("SECURE_CSP is empty: every response needs a Content Security Policy.", id="trackii.E101")
        ]
    default = [_text(s) for s in policy.get("default-src", [])]
    if default != ["'self'"]:
        errors.append(
            Error(
                "SECURE_CSP needs default-src 'self' and nothing else: pages load nothing from other hosts.",
                id="trackii.E102",
            )
        )
    for directive, sources in policy.items():
        for source in (_text(s) for s in sources):
            if source == "data:" and directive in DATA_ALLOWED:
                continue
            if source in UNSAFE_SOURCES or (source.startswith(("http://", "https://")) and "*" in source):
                errors.append(
                    Error(
                        f"SECURE_CSP {directive} allows {source}, which lets injected code run.",
                        id="trackii.E103",
                    )
                )
    return errors


@register(Tags.security, deploy=False)
def check_csp(app_configs=None, **kwargs) -> list[Error]:
    return csp_errors(getattr(settings, "SECURE_CSP", None))


@register(Tags.security)
def check_key_ring(app_configs=None, **kwargs) -> list[Error]:
    from trackii.crypto import KeyRing

    text = getattr(settings, "TRACKII_ENCRYPTION_KEYS", "")
    if not text:
        return [
            Error(
                "TRACKII_ENCRYPTION_KEYS is not set: nothing encrypted at rest could be read or written.",
                id="trackii.E111",
            )
        ]
    try:
        KeyRing.parse(text)
    except ImproperlyConfigured as error:
        return [Error(f"TRACKII_ENCRYPTION_KEYS is unusable: {error}", id="trackii.E112")]
    return []


@register(Tags.security)
def check_key_ring_fits_database(app_configs=None, **kwargs) -> list[Error]:
    """Every command, `migrate` on start included: a ring with the right key ids but other keys would write
    values no one can read with the right ring, and read none of the old ones (decision 0016)."""
    from trackii.crypto import KeyRing
    from trackii.keycheck import database_problems

    try:
        ring = KeyRing.parse(getattr(settings, "TRACKII_ENCRYPTION_KEYS", ""))
    except ImproperlyConfigured:
        return []  # check_key_ring says what is wrong with it
    return [
        Error(
            f"TRACKII_ENCRYPTION_KEYS is not the key ring of this database: {problem}.",
            hint="Set the ring this database was written with (kept apart from the database backup: "
            "README, Backups). Without it nothing encrypted can be read.",
            id="trackii.E113",
        )
        for problem in database_problems(ring) or []
    ]
