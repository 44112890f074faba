"""The worker's consumer: a message it cannot decode or run is kept aside as a dead letter, never fatal."""

from celery.worker.consumer import Consumer as CeleryConsumer
from kombu.utils.encoding import safe_repr

from trackii.runtime.services import record_dead_letter


def _body(message) -> bytes | str:
    return message.body if isinstance(message.body, bytes | str) else safe_repr(message.body)


class Consumer(CeleryConsumer):
    def on_decode_error(self, message, exc):
        reason = f"cannot decode: {type(exc).__name__}"
        record_dead_letter(source="worker", reason=reason, body=_body(message))
        super().on_decode_error(message, exc)  # logs and acknowledges

    def on_unknown_message(self, body, message):
        record_dead_letter(source="worker", reason="not a task message", body=_body(message))
        super().on_unknown_message(body, message)

    def on_unknown_task(self, body, message, exc):
        record_dead_letter(source="worker", reason=f"unknown task: {exc}", body=_body(message))
        super().on_unknown_task(body, message, exc)

    def on_invalid_task(self, body, message, exc):
        record_dead_letter(source="worker", reason=f"invalid task: {exc}", body=_body(message))
        super().on_invalid_task(body, message, exc)
