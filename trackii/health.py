"""Checks behind /healthz. Each returns None when its part is up, or a short reason when it is not.

Every check has settings.HEALTH_CHECK_TIMEOUT seconds; with Redis down Celery's own client would retry for
about 20 seconds, so the checks open their own connections with retries turned off.
"""

import uuid

from celery import current_app
from django.conf import settings
from django.db import connection
from kombu import Connection

PING_TASK = "trackii.ping"


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return type(error).__name__
    return None


def _broker_connection() -> Connection:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS}
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        options.update(socket_connect_timeout=timeout, socket_timeout=timeout, max_retries=0)
    return Connection(
        settings.CELERY_BROKER_URL,
        transport=getattr(settings, "CELERY_BROKER_TRANSPORT", None),
        connect_timeout=timeout,
        transport_options=options,
    )


def check_broker() -> str | None:
    try:
        with _broker_connection() as conn:
            # Opening a channel makes a round trip (kombu's Redis channel sends PING).
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTH_CHECK_TIMEOUT)
            conn.default_channel  # noqa: B018
    except Exception as error:
        return type(error).__name__
    return None


def check_worker() -> str | None:
    """Send the ping task and wait for a worker to answer. It expires unanswered, so no backlog builds up."""
    timeout = settings.HEALTH_CHECK_TIMEOUT
    try:
        with _broker_connection() as conn:
            # By name, like every caller of a task (tasks are leaves that nothing imports).
            result = current_app.send_task(
                PING_TASK, connection=conn, retry=False, expires=timeout, task_id=f"healthz-{uuid.uuid4()}"
            )
            answer = result.get(timeout=timeout, interval=0.05, propagate=True)
            result.forget()
    except Exception as error:
        return "no worker answered" if type(error).__name__ == "TimeoutError" else type(error).__name__
    return None if answer == "pong" else "unexpected answer"


def check_keystore() -> str | None:
    """The keystore answers, holds the newest data keys the database knows and the ring unwraps the newest of
    them (decision 0025): a keystore folder that is not this database's would show every new value as
    destroyed, a ring that lost a key would make every page fail. And no destroyed key's file is left (a
    process stopped between a destruction's commit and the file's deletion; the daily upkeep deletes it).
    The whole keystore is checked by `reencrypt --check`."""
    from trackii.datakeys import data_key, destroyed_since, key_path, keystore_dir
    from trackii.models import DataKey

    try:
        known = DataKey.objects.filter(destroyed_at=None, found_missing_at=None)  # missing ones are known
        newest = list(known.order_by("-created_at").values_list("pk", flat=True)[:20])
        if newest and not keystore_dir().is_dir():
            return "keystore folder missing"
        if missing := sum(not key_path(key_id).exists() for key_id in newest):
            return f"{missing} of the newest data keys missing"
        if newest:
            data_key(newest[0])  # the ring unwraps it
        if left := [key_id for key_id in destroyed_since(days=30) if key_path(key_id).exists()]:
            return f"{len(left)} destroyed data keys still in the keystore"
    except Exception as error:
        return type(error).__name__
    return None


CHECKS = {
    "database": check_database,
    "keystore": check_keystore,
    "broker": check_broker,
    "worker": check_worker,
}


def run_checks() -> dict[str, str]:
    """Run every check; the worker is only asked when the broker is reachable."""
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "worker" and report.get("broker") != "ok":
            report[name] = "not checked: broker unreachable"
            continue
        problem = check()
        report[name] = "ok" if problem is None else problem
    return report
