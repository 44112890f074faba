"""Create the Third Party's signing key and self-signed certificate as a PKCS#12 file (mode 0600)."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trackii.sealing import keys


class Command(BaseCommand):
    help = (
        "Create a new signing key and self-signed certificate for the Third Party's seal, as PKCS#12. "
        "The passphrase is TRACKII_SIGNING_P12_PASSPHRASE, or generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="where to write the PKCS#12 file (default: TRACKII_SIGNING_P12, else the development key "
            "under TRACKII_VAR_DIR/signing/)",
        )
        parser.add_argument("--force", action="store_true", help="replace an existing file")
        parser.add_argument(
            "--common-name", default=keys.DEFAULT_COMMON_NAME, help="the certificate's subject"
        )
        parser.add_argument("--key-type", choices=keys.KEY_TYPES, default="ec-p256")

    def handle(self, *args, out=None, force=False, common_name, key_type, **options):
        development_path = keys.development_key_path()
        configured = getattr(settings, "TRACKII_SIGNING_P12", None) or os.environ.get("TRACKII_SIGNING_P12")
        path = Path(out or configured or development_path)
        if path.exists() and not force:
            raise CommandError(
                f"{path} already exists. Documents sealed with it verify only against it: "
                "pass --force to replace it anyway."
            )
        passphrase = os.environ.get("TRACKII_SIGNING_P12_PASSPHRASE", "")
        generated = not passphrase
        if generated:
            passphrase = secrets.token_urlsafe(24)
        data = keys.generate_identity_p12(common_name=common_name, key_type=key_type, passphrase=passphrase)
        keys.write_private_file(path, data, overwrite=force)
        # The development key is found without configuration, so its passphrase lives beside it.
        if generated and path.resolve() == development_path.resolve() and not settings.PRODUCTION:
            keys.write_private_file(keys.passphrase_path_for(path), passphrase.encode(), overwrite=True)
        keys.load_identity.cache_clear()

        identity = keys.identity_from_p12(data, passphrase, source=str(path))
        self.stdout.write(f"Wrote {path} ({key_type}, mode 0600).")
        self.stdout.write(f"Certificate SHA-256 fingerprint: {identity.fingerprint}")
        if generated:
            self.stdout.write(
                f"Passphrase (shown once; set TRACKII_SIGNING_P12_PASSPHRASE to it): {passphrase}"
            )
