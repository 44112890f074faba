import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(name="trackii.audit.tasks.write_checkpoint")
def write_checkpoint() -> str:
    """Sign the chain's head into a new checkpoint file (run by beat). Running it twice writes two."""
    from .checkpoints import write_checkpoint as write

    return str(write().path)


@shared_task(name="trackii.audit.tasks.apply_retention")
def apply_retention() -> dict:
    """Drop old client addresses and purge rows past retention (run daily by beat); each records itself."""
    from .conf import address_days, retention_days
    from .services import drop_addresses, purge_events

    now = timezone.now()
    dropped = drop_addresses(before=now - datetime.timedelta(days=address_days()))
    purged = purge_events(before=now - datetime.timedelta(days=retention_days()))
    return {"addresses_dropped": dropped.detail["rows"], "rows_deleted": purged.detail["deleted"]}


@shared_task(name="trackii.audit.tasks.verify_chain")
def verify_chain() -> dict:
    """Walk the whole chain against the latest checkpoint (run daily by beat) and record the result, which
    the auditors' chain status panel shows."""
    from .services import record_verification
    from .verification import verify_chain as verify

    report = verify()
    record_verification(report=report)
    return {"ok": report.ok, "rows": report.rows, "bad_row_id": report.bad_row_id}
