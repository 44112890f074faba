from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "trackii.staff"
    label = "staff"
    verbose_name = "Staff administration"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Not sender=self: Django signals post_migrate only for apps with models, and the permission lives on
        # accounts.User. Cheap enough to run once per app.
        post_migrate.connect(ensure_administrators_group, dispatch_uid="trackii.staff.administrators")


def ensure_administrators_group(**kwargs) -> None:
    """The administrators group holds the one permission that opens staff administration. Like the auditors
    group it never holds a grant on dialogue content: administrators act on accounts, auditors watch."""
    from django.contrib.auth.models import Group, Permission

    from trackii.staff.roles import ADMINISTER_PERMISSION, GROUPS, Role

    app_label, codename = ADMINISTER_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is not None:
        Group.objects.get_or_create(name=GROUPS[Role.ADMINISTRATOR])[0].permissions.add(permission)
