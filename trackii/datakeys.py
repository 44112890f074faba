"""Data keys: one random key per dialogue and per person, wrapped by the key ring, kept outside the database.

Envelope encryption (decision 0025). Every value that belongs to a dialogue (its summaries, comments, venues,
notes, names recorded in it, sealed PDFs) is encrypted under that dialogue's data key, every value about a
person that belongs to no dialogue (their name and contacts) under the person's. The key ring (decision 0001)
only wraps data keys: rotating the ring re-wraps a few hundred small files, never the rows.

**The keystore** is a folder (``settings.TRACKII_KEYSTORE_DIR``, by default ``var/keystore``) with one file
per data key, ``<id>.key``: the key wrapped by the ring (an AES-GCM ring token bound to the key's id). It is
not in the database, so no database backup holds a data key: destroying a key (deleting its file) makes
every value under it unreadable in the database and in every backup of it (crypto-shredding). The ``DataKey``
row keeps only what is not secret: the id, what the key is for, when it was made and destroyed.

**In memory only.** A data key is unwrapped when a value needs it and kept for the rest of the request or task
(``data_key_scope``, opened by ``DataKeyScopeMiddleware`` and by the Celery task signals), never written to
disk in clear and never kept across requests, so a key destroyed by one process is unusable in every other
from its next request on. Outside a scope (a shell, a migration) each use reads the keystore again.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import fcntl
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.utils import timezone

from trackii.keyring import KEY_BYTES, DecryptionError, KeyDestroyed, KeyRing, key_id_of

logger = logging.getLogger(__name__)

DATA_KEY_ID = re.compile(r"[0-9a-f]{16}")
SUFFIX = ".key"
DOOMED = ".destroying."  # a key file being erased, renamed so that no reader finds it half done
_WRAP_CONTEXT = b"trackii.datakey:"

_scope: contextvars.ContextVar[dict[str, AESGCM] | None] = contextvars.ContextVar(
    "trackii_data_keys", default=None
)


class KeystoreError(Exception):
    """The keystore cannot be written or read (a missing folder, a full disk, a file that is not a key)."""


def keystore_dir() -> Path:
    from django.conf import settings

    return Path(settings.TRACKII_KEYSTORE_DIR)


def key_path(key_id: str) -> Path:
    if not DATA_KEY_ID.fullmatch(key_id):
        raise DecryptionError(f"{key_id!r} is not a data key id.")
    return keystore_dir() / f"{key_id}{SUFFIX}"


def _wrap(ring: KeyRing, key_id: str, key: bytes) -> bytes:
    return ring.encrypt(key, context=_WRAP_CONTEXT + key_id.encode("ascii"))


def unwrap(ring: KeyRing, key_id: str, wrapped: bytes) -> bytes:
    key = ring.decrypt(wrapped, context=_WRAP_CONTEXT + key_id.encode("ascii"))
    if len(key) != KEY_BYTES:
        raise DecryptionError(f"Data key {key_id} is not a {KEY_BYTES}-byte key.")
    return key


def _write_file(path: Path, data: bytes, *, replace: bool) -> None:
    """``data`` at ``path``, whole or not at all, on disk before this returns (mode 0600)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".writing.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if replace:
                os.replace(temporary, path)
            else:
                os.link(temporary, path)  # FileExistsError rather than overwrite another key
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _sync_folder(folder)
    except FileExistsError:
        raise
    except OSError as error:
        raise KeystoreError(f"The keystore {folder} cannot be written: {error}") from error


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- Keys in use ----------------------------------------------------------------------------------------


def create_data_key(*, purpose: str, model=None):
    """A new data key for ``purpose`` ("dialogue", "person"): its file written, its row saved (through
    ``model``, the migration's own ``DataKey`` in a migration: the table as it is at that step)."""
    from trackii.models import DataKey

    model = model or DataKey
    ring = KeyRing.from_setting()
    while True:
        key_id = secrets.token_hex(8)
        key = secrets.token_bytes(KEY_BYTES)
        try:
            _write_file(key_path(key_id), _wrap(ring, key_id, key), replace=False)
        except FileExistsError:
            continue  # 64 random bits met an existing id: draw again
        break
    return model.objects.create(id=key_id, purpose=purpose)


def data_key_of(model, pk, *, purpose: str) -> str | None:
    """The data key id of the ``model`` row ``pk`` (a dialogue, a person: any model with a ``data_key``
    foreign key), created on first need for a row made without one (``bulk_create`` skips ``save()``)."""
    if pk is None:
        return None
    rows = model._base_manager.filter(pk=pk)
    key_id = rows.values_list("data_key_id", flat=True).first()
    if key_id is None:
        rows.filter(data_key__isnull=True).update(data_key=create_data_key(purpose=purpose))
        key_id = rows.values_list("data_key_id", flat=True).first()  # another process may have won
    return key_id


def data_key(key_id: str) -> AESGCM:
    """The data key ``key_id``, unwrapped (from the request's scope when it was already read).

    Raises KeyDestroyed when its file is gone: destroyed here, or after the backup this database came from."""
    cache = _scope.get()
    if cache is not None and key_id in cache:
        return cache[key_id]
    try:
        wrapped = key_path(key_id).read_bytes()
    except FileNotFoundError:
        raise KeyDestroyed(f"Data key {key_id} is not in the keystore: it was destroyed.") from None
    except OSError as error:
        raise KeystoreError(f"Data key {key_id} cannot be read: {error}") from error
    aead = AESGCM(unwrap(KeyRing.from_setting(), key_id, wrapped))
    if cache is not None:
        cache[key_id] = aead
    return aead


@contextlib.contextmanager
def data_key_scope() -> Iterator[None]:
    """Keep each data key unwrapped once for the duration (a request, a task, a command's batch)."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def enter_scope() -> None:
    """Open a scope with no ``with`` around it (a Celery task: its pre- and post-run signals)."""
    _scope.set({})


def leave_scope() -> None:
    _scope.set(None)


class DataKeyScopeMiddleware:
    """One scope per request: each data key a page needs is unwrapped once, and forgotten with the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with data_key_scope():
            return self.get_response(request)

    def process_exception(self, request, exception):
        """A page or download that reaches a value under a destroyed key (a PDF of a destroyed dialogue, say)
        answers 410 Gone with a page that says so, not 500. Only a view that already let the user in can
        get this far: a refusal is the ordinary 404 before anything is decrypted."""
        if not isinstance(exception, KeyDestroyed):
            return None
        from django.shortcuts import render

        return render(request, "410.html", status=410)


# --- Destroying ---------------------------------------------------------------------------------------


def destroy_data_key(key_id: str) -> None:
    """Crypto-shred a data key: its row marked destroyed now, its file deleted when the transaction commits.

    Every value under it becomes unreadable, here and in every database backup. Idempotent; audits nothing
    (the service that decides records its own row). Undo is impossible by design."""
    from trackii.models import DataKey

    DataKey.objects.filter(pk=key_id, destroyed_at__isnull=True).update(destroyed_at=timezone.now())
    cache = _scope.get()
    if cache is not None:
        cache.pop(key_id, None)
    # Robust: a file that cannot be deleted now must not undo the committed destruction or the steps after
    # it; the daily upkeep (`upkeep`) deletes it.
    transaction.on_commit(lambda: remove_key_file(key_id), robust=True)


@contextlib.contextmanager
def keystore_lock() -> Iterator[None]:
    """One writer at a time among those that replace or delete a key file (rotation's re-wrap, destruction):
    a re-wrap must never write back a key that a destruction has just taken away. Readers need no lock."""
    folder = keystore_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_key_file(key_id: str) -> bool:
    """Delete a data key's file (overwritten first, for the file systems where that reaches the disk)."""
    path = key_path(key_id)
    # Renamed first (atomic), so a process reading the key at this moment finds it gone, never half-erased.
    doomed = path.with_name(f"{DOOMED}{key_id}")
    with keystore_lock():
        try:
            path.rename(doomed)
        except FileNotFoundError:
            return False
        _erase(doomed)
    logger.info("Data key %s destroyed.", key_id)
    return True


def _erase(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(secrets.token_bytes(path.stat().st_size))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    _sync_folder(path.parent)


def destroyed_ids() -> set[str]:
    from trackii.models import DataKey

    return set(DataKey.objects.filter(destroyed_at__isnull=False).values_list("pk", flat=True))


def destroyed_since(*, days: int) -> list[str]:
    """The keys destroyed here in the last ``days`` days (what /healthz looks for in the keystore)."""
    from trackii.models import DataKey

    since = timezone.now() - datetime.timedelta(days=days)
    return list(DataKey.objects.filter(destroyed_at__gte=since).values_list("pk", flat=True))


def sweep_destroyed() -> int:
    """Delete the files of keys destroyed here that are still in the keystore (a process stopped, or the
    file system refused, between the commit and the deletion) and what a stopped deletion left half done;
    the number deleted. Only ever a key this database destroyed: a key found missing is never deleted."""
    removed = sum(remove_key_file(key_id) for key_id in sorted(destroyed_ids() & present_ids()))
    with keystore_lock():
        for leftover in keystore_dir().glob(f"{DOOMED}*"):
            _erase(leftover)
            removed += 1
    return removed


def present_ids() -> set[str]:
    folder = keystore_dir()
    return (
        {path.name.removesuffix(SUFFIX) for path in folder.glob(f"*{SUFFIX}")} if folder.is_dir() else set()
    )


def missing_keys() -> list[str]:
    """The ids of keys the database holds as usable whose file is not in the keystore: destroyed after the
    backup this database was restored from, or a keystore that is not this database's."""
    from trackii.models import DataKey

    present = present_ids()
    usable = DataKey.objects.filter(destroyed_at__isnull=True).values_list("pk", flat=True)
    return [key_id for key_id in usable.iterator() if key_id not in present]


def reconcile_missing() -> list[str]:
    """Record which usable keys have no file (`found_missing_at`: after a restore from a backup made before
    their destruction, their pages then say so instead of showing blanks), and forget it for those whose file
    is back (a keystore mounted late). Deletes nothing. Returns the ids missing now."""
    from trackii.models import DataKey

    missing = missing_keys()
    usable = DataKey.objects.filter(destroyed_at__isnull=True)
    usable.filter(pk__in=missing, found_missing_at__isnull=True).update(found_missing_at=timezone.now())
    usable.exclude(pk__in=missing).filter(found_missing_at__isnull=False).update(found_missing_at=None)
    return missing


def upkeep() -> dict[str, int]:
    """The keystore's daily upkeep (beat, `trackii.keystore_upkeep`): files of destroyed keys deleted, keys
    missing from the keystore recorded."""
    return {"deleted": sweep_destroyed(), "missing": len(reconcile_missing())}


def rewrap_all(ring: KeyRing | None = None) -> tuple[int, int]:
    """Wrap every data key under the ring's newest key (rotation step 2 of decision 0001; the rows stay
    as they are). Returns (re-wrapped, already under the newest key)."""
    ring = ring or KeyRing.from_setting()
    rewrapped = current = 0
    destroyed = destroyed_ids()
    for path in sorted(keystore_dir().glob(f"*{SUFFIX}")):
        key_id = path.name.removesuffix(SUFFIX)
        if not DATA_KEY_ID.fullmatch(key_id) or key_id in destroyed:
            continue  # a destroyed key's file is the sweep's, never re-wrapped
        with keystore_lock():
            try:
                wrapped = path.read_bytes()
            except FileNotFoundError:
                continue  # destroyed while we walked
            if key_id_of(wrapped) == ring.newest_id:
                current += 1
                continue
            _write_file(path, _wrap(ring, key_id, unwrap(ring, key_id, wrapped)), replace=True)
        rewrapped += 1
    return rewrapped, current


def wrapping_key_ids() -> dict[str, int]:
    """Ring key id -> how many data keys it wraps (what `reencrypt --check` reports)."""
    from collections import Counter

    return dict(Counter(key_id_of(path.read_bytes()) for path in keystore_dir().glob(f"*{SUFFIX}")))


__all__ = [
    "DataKeyScopeMiddleware",
    "KeyDestroyed",
    "KeystoreError",
    "create_data_key",
    "data_key",
    "data_key_scope",
    "destroy_data_key",
    "missing_keys",
    "reconcile_missing",
    "rewrap_all",
    "sweep_destroyed",
]
