from django.db import models


class Role(models.TextChoices):
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class RequestKind(models.TextChoices):
    INVITE = "invite", "Invite to a staff role"
    GRANT_ROLE = "grant_role", "Grant a staff role"
    REMOVE_ROLE = "remove_role", "Remove a staff role"
    RESET_SECOND_FACTOR = "reset_second_factor", "Reset the second factor"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
