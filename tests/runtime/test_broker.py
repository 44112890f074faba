"""The embedded broker keeps late acknowledgement through a dead worker; nothing unreadable stops a worker.

The transport runs on a real SQLite file; the Celery-level test runs a real worker on Redis, like the suite.
"""

import sqlite3

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from kombu import Connection, Exchange, Producer, Queue

from trackii.celery import EMBEDDED_TRANSPORT, app
from trackii.runtime.broker import requeue_unacknowledged
from trackii.runtime.models import DeadLetter
from trackii.tasks import ping


@pytest.fixture
def broker(tmp_path):
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport=EMBEDDED_TRANSPORT, transport_options={"polling_interval": 0.01}) as conn:
        yield conn, url, tmp_path / "broker.sqlite3"


def rows(path) -> list[tuple[int, bool]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, visible FROM kombu_message ORDER BY id").fetchall()


def test_embedded_broker_deletes_a_message_once_it_is_acknowledged(broker):
    conn, _, path = broker
    queue = conn.SimpleQueue("work")
    queue.put({"n": 1})
    message = queue.get(timeout=2)
    assert rows(path) == [(1, False)]  # taken, kept until acknowledged
    message.ack()
    assert rows(path) == []


def test_embedded_broker_hands_back_what_a_dead_worker_held(broker, tmp_path):
    conn, url, path = broker
    conn.SimpleQueue("work").put({"n": 1})
    # A worker takes the message and dies before acknowledging: its connection is simply never closed.
    dying = Connection(url, transport=EMBEDDED_TRANSPORT)
    assert dying.SimpleQueue("work").get(timeout=2).payload == {"n": 1}
    assert rows(path) == [(1, False)]

    assert requeue_unacknowledged(url) == 1  # what the next worker does when it starts
    message = conn.SimpleQueue("work").get(timeout=2)
    assert message.payload == {"n": 1}
    message.ack()
    assert rows(path) == []
    dying.release()


def test_embedded_broker_requeues_a_rejected_message_in_its_place(broker):
    conn, _, path = broker
    queue = conn.SimpleQueue("work")
    queue.put({"n": 1})
    queue.put({"n": 2})
    queue.get(timeout=2).requeue()
    assert rows(path) == [(1, True), (2, True)]  # the same row again, still first in line
    assert queue.get(timeout=2).payload == {"n": 1}


def test_requeue_on_a_new_broker_file_is_a_no_op(tmp_path):
    assert requeue_unacknowledged(f"sqlite:///{tmp_path / 'new.sqlite3'}") == 0


@pytest.mark.django_db
def test_embedded_broker_dead_letters_unreadable_rows_and_delivers_the_next_message(broker):
    conn, _, path = broker
    queue = conn.SimpleQueue("work")
    queue.put({"n": 0})
    queue.get(timeout=2).ack()  # the queue and its tables exist now
    with sqlite3.connect(path) as db:
        (queue_id,) = db.execute("SELECT id FROM kombu_queue WHERE name = 'work'").fetchone()
        for payload in ('{"body": "half a mess', "", "null", '{"properties": {}}', "\x00"):
            db.execute(
                "INSERT INTO kombu_message (visible, timestamp, payload, version, queue_id) "
                "VALUES (1, NULL, ?, 1, ?)",
                (payload, queue_id),
            )
    queue.put({"n": 1})

    assert queue.get(timeout=2).payload == {"n": 1}
    assert DeadLetter.objects.filter(source="broker").count() == 5
    assert all(letter.reason.startswith("undecodable message") for letter in DeadLetter.objects.all())
    assert "\x00" not in DeadLetter.objects.get(body__startswith="\ufffd").body
    assert [visible for _, visible in rows(path)] == [False]  # the unreadable rows are gone from the queue


# transaction=True: the worker's Django fix-up closes the connection when it starts (see test_healthz.py).
@pytest.mark.django_db(transaction=True)
def test_worker_keeps_undecodable_and_unknown_messages_aside_and_goes_on(client):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with app.connection_for_write() as conn:
            producer = Producer(conn.default_channel)
            task_queue = Queue("celery", Exchange("celery", type="direct"), routing_key="celery")
            # A JSON body cut in half, as a crashed producer or a hostile writer could leave it.
            producer.publish(
                b'{"args": [1, 2',
                content_type="application/json",
                content_encoding="utf-8",
                serializer=None,
                headers={"task": "trackii.ping", "id": "cut-in-half"},
                exchange=task_queue.exchange,
                routing_key="celery",
                declare=[task_queue],
            )
        app.send_task("trackii.no_such_task")
        assert ping.delay().get(timeout=10) == "pong"  # the worker is still taking work

        reasons = sorted(DeadLetter.objects.values_list("reason", flat=True))
        assert len(reasons) == 2, reasons
        assert reasons[0].startswith("cannot decode")
        assert reasons[1].startswith("unknown task")
        response = client.get(reverse("healthz"))
    assert response.json()["dead_letters"] == 2


def test_a_queue_another_process_created_meanwhile_is_taken_not_an_error(broker, monkeypatch):
    # Beat, web and worker declare the same queues as they start; kombu's lock is per process. Here the other
    # process (a second connection) creates "work" after this one looked and found nothing.
    conn, url, _ = broker
    channel = conn.default_channel
    found_nothing = type("Nothing", (), {"first": lambda self: None})()
    looked = []

    def look_then_race(*args):
        if len(looked) < 2:  # kombu looks twice before it inserts: both miss, as in the race
            looked.append(args)
            with Connection(url, transport=EMBEDDED_TRANSPORT) as other:
                other.SimpleQueue("work").put({"n": 1})
            return type("Filtered", (), {"filter": lambda self, *a: found_nothing})()
        return real_query(*args)

    real_query = channel.session.query
    monkeypatch.setattr(channel.session, "query", look_then_race)

    queue = channel._get_or_create("work")

    assert queue.name == "work" and len(looked) == 2
    assert conn.SimpleQueue("work").get(timeout=2).payload == {"n": 1}
