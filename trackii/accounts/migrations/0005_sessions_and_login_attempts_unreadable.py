"""What logging in left in clear goes at the upgrade (docs/decisions/0006).

- Sessions were signed, not encrypted: a pending login held the address typed, a pending authenticator its
  secret, and messages the login. The new store (trackii/accounts/sessions.py) cannot read them, so they would
  log no one in anyway; they are deleted, and everyone logs in once more.
- django-axes' table (the embedded default) kept the form of every failed login, address included. The
  counters stay (a running lockout keeps running); the forms and query strings are blanked.

Not reversible in content (nothing to restore), so going back does nothing.
"""

from django.db import migrations


def forget_clear_values(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("sessions", "Session").objects.using(alias).all().delete()
    apps.get_model("axes", "AccessAttempt").objects.using(alias).update(get_data="", post_data="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_login_email_encrypted"),
        ("sessions", "0001_initial"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_clear_values, migrations.RunPython.noop)]
