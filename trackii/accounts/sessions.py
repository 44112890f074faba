"""The session store (settings.SESSION_ENGINE): Django's database sessions, each session's data encrypted with
the key ring (docs/decisions/0006).

Django signs session data but does not encrypt it, and what sits in a session is sensitive until the login is
complete: allauth keeps the address typed in the pending login while it asks for the second factor, the new
authenticator secret while it waits for a first code, and the messages shown after a redirect. Encrypted with
AES-GCM (which also authenticates it), none of that is readable in a copy of the database.
"""

import base64
import binascii
import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from trackii import crypto

CONTEXT = b"django_session.session_data"

logger = logging.getLogger("django.security.SuspiciousSession")


class SessionStore(DatabaseSessionStore):
    def encode(self, session_dict) -> str:
        token = crypto.encrypt(self.serializer().dumps(session_dict), context=CONTEXT)
        return base64.urlsafe_b64encode(token).decode("ascii")

    def decode(self, session_data: str) -> dict:
        """The session's data; an empty session for anything that does not decrypt (altered, written before
        sessions were encrypted, or under a key no longer in the ring), as Django does for a bad signature."""
        try:
            token = base64.urlsafe_b64decode(session_data.encode("ascii"))
            return self.serializer().loads(crypto.decrypt(token, context=CONTEXT))
        except (binascii.Error, UnicodeError, ValueError, crypto.DecryptionError):
            logger.warning("Session data could not be decrypted: the session starts empty.")
            return {}
