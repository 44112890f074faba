"""Celery tasks of dialogues: leaves that take ids (or nothing), fetch, and call one service."""

from celery import shared_task

from dialogues import services
from dialogues.destruction import services as destruction
from dialogues.scheduling import notifications


@shared_task(name="dialogues.deliver_notifications")
def deliver_notifications() -> int:
    """Send the workshop e-mails that are due (beat, every minute). Safe to run twice: rows are locked and
    marked sent in the transaction that sends them."""
    return notifications.deliver_notifications()


@shared_task(name="dialogues.end_expired_break_glass")
def end_expired_break_glass() -> int:
    """Tidy up break-glass grants that have run out (beat, every minute). Access itself ended at the expiry
    time, since every check compares it with the clock; this removes the grant rows and audits the end."""
    return services.end_expired_break_glass()


@shared_task(name="dialogues.tell_convenors_of_destruction")
def tell_convenors_of_destruction(destruction_id: int) -> int:
    """E-mail a destroyed dialogue's convenors (queued when the destruction commits). Safe to run twice: the
    destruction is marked told in the transaction that picks it."""
    return destruction.tell_convenors_of_destruction(destruction_id=destruction_id)


@shared_task(name="dialogues.apply_destruction_retention")
def apply_destruction_retention() -> dict:
    """The retention setting's daily run (beat): notices 30 days ahead, then destructions whose day came."""
    return destruction.apply_destruction_retention()
