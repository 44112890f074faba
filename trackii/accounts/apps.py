from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trackii.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from trackii.accounts import checks, signals  # noqa: F401 - checks register themselves

        signals.connect()
