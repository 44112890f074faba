"""Small helpers for tests that need an account with a second factor or a live invitation link."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def totp_code(secret: str, *, at: float | None = None, period: int = 30) -> str:
    """RFC 6238 with SHA-1 and 6 digits, written out so the test does not trust the code it tests."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp_code(secret: str, used: set[str], *, margin: float = 8.0, period: int = 30) -> str:
    """A code not used yet whose 30-second window has at least `margin` seconds left. allauth allows no clock
    drift, so a code typed near the end of its window can reach the server in the next one on a busy machine;
    a browser test that waits for a fresh window never fails on the clock."""
    while True:
        now = time.time()
        code = totp_code(secret, at=now, period=period)
        if code not in used and period - now % period >= margin:
            used.add(code)
            return code
        time.sleep(0.5)


def enrol_totp(user) -> str:
    """Give an account an authenticator app; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
