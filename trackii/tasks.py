from celery import shared_task

from trackii.datakeys import upkeep


@shared_task(name="trackii.ping", ignore_result=False)
def ping() -> str:
    """The smallest real task: proves that a worker takes work from the broker and reports back."""
    return "pong"


@shared_task(name="trackii.keystore_upkeep")
def keystore_upkeep() -> dict[str, int]:
    """Daily: the files of destroyed data keys deleted, keys missing from the keystore recorded (0025)."""
    return upkeep()
