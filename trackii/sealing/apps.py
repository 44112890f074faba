from django.apps import AppConfig


class SealingConfig(AppConfig):
    name = "trackii.sealing"
    label = "sealing"
    verbose_name = "Sealing"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - checks register themselves
