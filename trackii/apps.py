from django.apps import AppConfig


class TrackiiConfig(AppConfig):
    """The project package is an app too, so its tasks, checks and management commands are found."""

    name = "trackii"
    verbose_name = "Trackii"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(record_new_keys, sender=self)


def record_new_keys(**kwargs) -> None:
    """After every migrate (each deploy, each `make run`), record the key-check value of a key added to the
    ring since (a rotation), once the values already written under it decrypt (trackii/keycheck.py)."""
    from trackii.keycheck import record_missing

    record_missing()
