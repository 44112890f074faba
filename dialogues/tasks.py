"""Celery tasks of dialogues: leaves that take ids (or nothing), fetch, and call one service."""

from celery import shared_task

from dialogues import services
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
