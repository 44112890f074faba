from celery import shared_task


@shared_task(name="trackii.ping", ignore_result=False)
def ping() -> str:
    """The smallest real task: proves that a worker takes work from the broker and reports back."""
    return "pong"
