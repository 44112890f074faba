"""A task for the soak test only: it appends its number to a file, so the test can count every run.

The worker under test loads it with `--include tests.runtime.soak_tasks`; Trackii itself never imports it.
"""

import os

from celery import shared_task


@shared_task(name="soak.record", ignore_result=True)
def record(number: int) -> None:
    # One short write with O_APPEND is atomic, so lines from the two pool processes never interleave.
    fd = os.open(os.environ["TRACKII_SOAK_RECORD"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number}\n".encode())
    finally:
        os.close(fd)
