"""The project app's tables: the key-check values of the encryption key ring (trackii/keycheck.py) and
the data keys it wraps (trackii/datakeys.py)."""

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


class DataKey(models.Model):
    """A dialogue's or a person's data key, as the database knows it: never the key itself.

    The key lives wrapped by the key ring in the keystore, outside the database (trackii/datakeys.py,
    decision 0025). Destroying it deletes that file; this row stays, saying when, so pages can say
    "destroyed on …" and so a restored backup learns which of its keys no longer exist."""

    id = models.CharField(max_length=16, primary_key=True, editable=False)
    # What it encrypts: "dialogue" (everything of one dialogue) or "person" (who someone is).
    purpose = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    # Destroyed here, by the service that decided it (its file deleted when that committed).
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # Not destroyed here, but its file is not in the keystore: destroyed after the backup this database was
    # restored from, or a keystore that is not this database's. Cleared if the file comes back; never a
    # reason to delete anything.
    found_missing_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Data key {self.id} ({self.purpose})"

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None

    @property
    def gone(self) -> bool:
        """Its values cannot be read: destroyed here, or found missing from the keystore."""
        return self.destroyed_at is not None or self.found_missing_at is not None
