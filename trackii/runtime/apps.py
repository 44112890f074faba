from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """What keeps Trackii's processes running: the embedded broker, dead letters, worker starts."""

    name = "trackii.runtime"
    label = "runtime"
    verbose_name = "Runtime"
    default_auto_field = "django.db.models.BigAutoField"
