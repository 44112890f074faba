"""The audit log's periodic upkeep (run by beat): leaves that each call the service of the same name."""

from celery import shared_task

from trackii.audit import services
from trackii.audit.models import ChainCheck
from trackii.audit.services import chain_checks


@shared_task(name="trackii.audit.tasks.write_checkpoint")
def write_checkpoint() -> str:
    """Sign the chain's head into a new checkpoint file (none if nothing was recorded since the last one).
    Fails, signing nothing, if the last signed row is no longer in the log as signed."""
    return str(services.write_checkpoint().path)


@shared_task(name="trackii.audit.tasks.apply_retention")
def apply_retention() -> dict:
    return services.apply_retention()


# Registered under its older name: the beat schedule, and messages already queued, carry it.
@shared_task(name="trackii.audit.tasks.verify_chain")
def check_chain() -> dict:
    report = services.check_chain()
    return {"ok": report.ok, "rows": report.rows, "bad_row_id": report.bad_row_id}


@shared_task(name="trackii.audit.tasks.run_chain_check")
def run_chain_check(check_id: int) -> str:
    """A verification asked for from the chain-status page, for whoever asked."""
    check = ChainCheck.objects.select_related("requested_by").filter(pk=check_id).first()
    if check is None:
        return "gone"
    return chain_checks.run_chain_check(check=check, by=check.requested_by).status
