from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class RequestKind(models.TextChoices):
    INVITE = "invite", _("Invite to a staff role")
    GRANT_ROLE = "grant_role", _("Grant a staff role")
    REMOVE_ROLE = "remove_role", _("Remove a staff role")
    RESET_SECOND_FACTOR = "reset_second_factor", _("Reset the second factor")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", pgettext_lazy("staff request status", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("staff request status", "Cancelled")
    EXPIRED = "expired", _("Expired")
