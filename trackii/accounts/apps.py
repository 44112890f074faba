from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trackii.accounts"
    label = "accounts"
    verbose_name = "Accounts"
