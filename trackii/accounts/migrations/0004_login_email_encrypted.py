"""The login e-mail leaves the database's clear text: encrypted in ``email``, found through ``email_index``
(docs/decisions/0006). allauth's EmailAddress rows, which copied the address in clear, are deleted: Trackii
keeps the login on the User alone.

Existing rows are converted in place, in batches. Reversible: going back decrypts the addresses into a clear
column again.
"""

from django.db import migrations, models

import trackii.accounts.fields

BATCH = 500


def _index(email: str) -> str:
    # Frozen here rather than imported, so the migration keeps meaning what it meant when it was written.
    from trackii.crypto import blind_index

    return blind_index(email.strip().lower(), purpose="user.email")


def encrypt_logins(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    last_pk = 0
    while batch := list(users.filter(pk__gt=last_pk).order_by("pk").only("pk", "email_clear")[:BATCH]):
        for user in batch:
            address = user.email_clear.strip().lower()
            user.email, user.email_index, user.email_clear = address, _index(address), None
        users.bulk_update(batch, ["email", "email_index", "email_clear"])
        last_pk = batch[-1].pk


def decrypt_logins(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    last_pk = 0
    while batch := list(users.filter(pk__gt=last_pk).order_by("pk").only("pk", "email")[:BATCH]):
        for user in batch:
            user.email_clear = user.email
        users.bulk_update(batch, ["email_clear"])
        last_pk = batch[-1].pk


def forget_email_addresses(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_open_per_dialogue"),
        # allauth's own data migrations read User.email in clear: they run before it is encrypted.
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AlterModelOptions(name="user", options={"ordering": ["pk"]}),
        migrations.RenameField(model_name="user", old_name="email", new_name="email_clear"),
        migrations.AlterField(
            model_name="user",
            name="email_clear",
            field=models.EmailField(max_length=254, null=True, verbose_name="e-mail address"),
        ),
        migrations.AddField(
            model_name="user",
            name="email",
            field=trackii.accounts.fields.LoginEmailField(null=True, verbose_name="e-mail address"),
        ),
        migrations.AddField(
            model_name="user",
            name="email_index",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(encrypt_logins, decrypt_logins, elidable=False),
        migrations.RemoveField(model_name="user", name="email_clear"),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=trackii.accounts.fields.LoginEmailField(verbose_name="e-mail address"),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RunPython(forget_email_addresses, migrations.RunPython.noop, elidable=False),
    ]
