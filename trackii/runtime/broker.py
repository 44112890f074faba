"""The embedded broker: kombu's SQLAlchemy transport on a SQLite file, with acknowledgements that last.

Used when no REDIS_URL is set (decision 0009). Each message is one row written in one transaction, so a
consumer can never read half a message: the flaw that stopped the worker on kombu's filesystem transport.

kombu's own SQLAlchemy channel marks a row invisible when it hands the message out and never looks at it
again, so a worker killed mid-task loses the task even though Celery acknowledges late. This channel keeps
the row until the task is acknowledged, deletes it then, and `requeue_unacknowledged` puts back whatever a
dead worker held when the next one starts. That is the same promise Redis gives ("handed back if a worker
dies"), for the one worker the embedded runtime runs.

A row whose payload is not a kombu message (hand-written, truncated, or corrupted on disk) is moved to the
dead letters instead of stopping the worker.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from queue import Empty

from kombu.transport import sqlalchemy as kombu_sqlalchemy
from kombu.utils.encoding import bytes_to_str
from sqlalchemy import create_engine, delete, event, select, update
from sqlalchemy.exc import IntegrityError

logger = logging.getLogger("trackii.runtime")

BUSY_TIMEOUT_MS = 30_000
CHANNEL_OPTIONS = {
    "polling_interval",
    "queue_tablename",
    "message_tablename",
    "callback",
    "errback",
    "max_retries",
    "interval_start",
    "interval_step",
    "interval_max",
    "retry_errors",
    "connect_timeout",
}


def _sqlite_connect(dbapi_connection, _record) -> None:
    # WAL: producers (web, beat) and the worker write without blocking readers; a busy writer is waited
    # for instead of failing the publish.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _set_visible(table, row_id: int, visible: bool):
    # Naming the timestamp keeps kombu's onupdate=now from moving a handed-back message to the end of
    # the queue: messages leave in the order they came.
    return update(table).where(table.c.id == row_id).values(visible=visible, timestamp=table.c.timestamp)


class Channel(kombu_sqlalchemy.Channel):
    # The consumer takes messages in its own thread while the pool's result thread acknowledges them, so
    # everything added here runs as short Core transactions on pooled connections, never on kombu's
    # shared ORM session.

    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        self._rows: dict[str, int] = {}  # delivery tag → message row, until acknowledged

    def _engine_from_config(self):
        # kombu hands every transport option to create_engine; the channel's own options are not for it.
        client = self.connection.client
        options = {key: val for key, val in client.transport_options.items() if key not in CHANNEL_OPTIONS}
        engine = create_engine(client.hostname, **options)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_connect)
        return engine

    def _get_or_create(self, queue):
        # kombu's lock keeps two threads from creating one queue, not two processes: beat, the web server and
        # the worker declare the same queues as they start (beat sends a task at once), and the one that
        # inserts second hits the queue's unique name. The row is there then: take it.
        try:
            return super()._get_or_create(queue)
        except IntegrityError:
            self.session.rollback()
            return self.session.query(self.queue_cls).filter(self.queue_cls.name == queue).one()

    @property
    def _table(self):
        return self.message_cls.__table__

    def _transaction(self):
        engine, _ = self._open()
        return engine.begin()

    def _get(self, queue):
        # As kombu's, but the row id is remembered for the acknowledgement, and a payload that does not
        # decode is dead-lettered instead of raising into the consumer (which would stop the worker).
        queue_id = self._get_or_create(queue).id
        table = self._table
        engine, _ = self._open()
        while True:
            with engine.connect() as conn:
                if engine.dialect.name == "sqlite":
                    # Take the write lock before reading, so two takers can never hand out one row.
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                row = conn.execute(
                    select(table.c.id, table.c.payload)
                    .where(table.c.queue_id == queue_id, table.c.visible.is_(True))
                    .order_by(table.c.timestamp, table.c.id)
                    .limit(1)
                    .with_for_update()
                ).first()
                if row is None:
                    conn.rollback()
                    raise Empty()
                conn.execute(_set_visible(table, row.id, False))
                conn.commit()
            try:
                payload = json.loads(bytes_to_str(row.payload))
                tag = payload["properties"]["delivery_tag"]
            except (ValueError, TypeError, KeyError) as error:
                self._dead_letter(row.id, row.payload, f"{type(error).__name__}: {error}")
                continue
            self._rows[tag] = row.id
            return payload

    def _dead_letter(self, row_id: int, raw, reason: str) -> None:
        from trackii.runtime.services import record_dead_letter

        record_dead_letter(source="broker", reason=f"undecodable message: {reason}", body=raw or "")
        self._delete_row(row_id)

    def _delete_row(self, row_id: int) -> None:
        with self._transaction() as conn:
            conn.execute(delete(self._table).where(self._table.c.id == row_id))

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple=multiple)
        row_id = self._rows.pop(delivery_tag, None)
        if row_id is not None:
            self._delete_row(row_id)

    def basic_reject(self, delivery_tag, requeue=False):
        # A requeue goes through _restore below, which makes the same row visible again.
        super().basic_reject(delivery_tag, requeue=requeue)
        row_id = self._rows.pop(delivery_tag, None)
        if row_id is not None:
            self._delete_row(row_id)

    def _restore(self, message):
        row_id = self._rows.pop(message.delivery_tag, None)
        if row_id is None:
            return super()._restore(message)
        # Hand the message back in its old place (the same row), not as a copy at the end of the queue.
        with self._transaction() as conn:
            conn.execute(_set_visible(self._table, row_id, True))
        return None


class Transport(kombu_sqlalchemy.Transport):
    Channel = Channel


def requeue_unacknowledged(url: str) -> int:
    """Make every message a previous worker took but never acknowledged deliverable again.

    Call it once when the (single) worker of the embedded runtime starts, before it consumes: the worker
    that held those messages is gone, and its tasks are safe to run twice by design.
    """
    path = url.removeprefix("sqlite:///")
    try:
        with sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000) as db:
            moved = db.execute("UPDATE kombu_message SET visible = 1 WHERE visible = 0").rowcount
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return 0
        raise
    if moved:
        logger.warning("Handed back %s message(s) that a stopped worker had taken but not finished.", moved)
    return moved
