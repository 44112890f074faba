from django.apps import AppConfig


class TrackiiConfig(AppConfig):
    """The project package is an app too, so its tasks, checks and management commands are found."""

    name = "trackii"
    verbose_name = "Trackii"
