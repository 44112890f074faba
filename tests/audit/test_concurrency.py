import itertools
import threading

import pytest
from django.db import connection, transaction

from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import record_event
from trackii.audit.verification import verify_chain

THREADS = 4
EVENTS_EACH = 50


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers are tested on PostgreSQL (SQLite serialises whole transactions)")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(EVENTS_EACH):
                # Each in its own transaction that does other work too, like a real view.
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.0005)")
                    record_event(
                        actor=None, action=Action.VIEW, target_type="test.writer", target_id=f"{number}-{n}"
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == THREADS * EVENTS_EACH
    assert len(set(prev_hashes)) == len(prev_hashes)
    report = verify_chain(checkpoints=False)
    assert report.ok, report.problem
    assert (report.first_id, report.last_id) == (1, THREADS * EVENTS_EACH)
    # The writers really interleaved.
    owners = [t.split("-")[0] for t in AuditEvent.objects.order_by("id").values_list("target_id", flat=True)]
    assert sum(1 for a, b in itertools.pairwise(owners) if a != b) > THREADS
