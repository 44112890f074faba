from django.apps import AppConfig

# Named in enums.py, so that modules which only name the group (trackii/staff/roles.py) import no signals.
from trackii.audit.enums import AUDITORS_GROUP


class AuditConfig(AppConfig):
    name = "trackii.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401 - checks register themselves

        signals.connect()
        post_migrate.connect(ensure_auditors_group, sender=self)


def ensure_auditors_group(**kwargs) -> None:
    """The auditors group holds the one permission that opens the audit pages. People join it through staff
    administration (`/staff/requests/`: one administrator asks, a second confirms; decision 0020). It never
    holds a grant on dialogue content."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.filter(
        content_type__app_label="audit", codename="view_auditevent"
    ).first()
    if permission is not None:
        Group.objects.get_or_create(name=AUDITORS_GROUP)[0].permissions.add(permission)
