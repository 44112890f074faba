"""The project app's one table: the key-check values of the encryption key ring (trackii/keycheck.py)."""

from django.db import models


class KeyCheck(models.Model):
    """What one key of the ring made of a known plaintext, recorded the first time this database met the key.

    A ring whose key of that id does not give the same answer is not the ring this database was written with:
    the system check refuses it before it writes anything (docs/decisions/0016)."""

    key_id = models.CharField(max_length=32, primary_key=True)
    # An AES-GCM token of the known plaintext, or for the blind-index key its HMAC (hex, ASCII).
    value = models.BinaryField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Key check {self.key_id}"
