from celery import shared_task

from trackii.staff.requests import services


@shared_task(name=services.INVITATION_TASK)
def send_staff_invitation_email(invitation_id: int, base_url: str) -> bool:
    return services.send_staff_invitation(invitation_id=invitation_id, base_url=base_url)
