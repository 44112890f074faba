"""Deploy check: the signing key a deployment was given is there and opens with its passphrase.

Before this check, `check --deploy` passed with a key path that pointed nowhere or a wrong passphrase, and the
first seal failed in the worker instead (or an audit checkpoint could not be signed).
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def check_signing_key(app_configs=None, **kwargs) -> list[Error]:
    from trackii.sealing.keys import identity_from_p12

    configured = str(getattr(settings, "TRACKII_SIGNING_P12", "") or "")
    if not configured:
        return [
            Error(
                "TRACKII_SIGNING_P12 is not set: a deployment seals with the Third Party's own key, not with "
                "one generated under var/.",
                hint="`manage.py create_signing_key` makes one; set TRACKII_SIGNING_P12 to it and "
                "TRACKII_SIGNING_P12_PASSPHRASE to its passphrase.",
                id="trackii.E121",
            )
        ]
    try:
        data = Path(configured).read_bytes()
    except OSError as error:
        return [
            Error(
                f"TRACKII_SIGNING_P12={configured} cannot be read: {error.strerror}.",
                hint="Point it at the PKCS#12 file of the Third Party's signing key (a Docker secret in "
                "docker-compose.yml).",
                id="trackii.E122",
            )
        ]
    try:
        identity = identity_from_p12(
            data, str(getattr(settings, "TRACKII_SIGNING_P12_PASSPHRASE", "") or ""), source=configured
        )
    except ImproperlyConfigured as error:
        return [Error(str(error), id="trackii.E123")]
    if identity.certificate.not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        return [
            Error(
                f"The signing certificate in {configured} expired on "
                f"{identity.certificate.not_valid_after_utc:%Y-%m-%d}: nothing sealed with it would verify.",
                id="trackii.E124",
            )
        ]
    return []
