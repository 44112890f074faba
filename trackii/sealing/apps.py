from django.apps import AppConfig


class SealingConfig(AppConfig):
    name = "trackii.sealing"
    label = "sealing"
    verbose_name = "Sealing"
