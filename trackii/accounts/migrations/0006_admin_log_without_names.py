"""The admin's log (django_admin_log) named each object by its str(): a login by its e-mail address, a funder
or a role group by its name. From now on a login is "Login <id>" (User.__str__) and only logins and the Third
Party are in the admin (docs/decisions/0013-admin.md); the rows already written are rewritten the same way,
so the admin's "Recent actions" and a copy of the database show no address or name from before.

Not reversible in content: going back leaves the rewritten names as they are.
"""

from django.db import migrations
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, Concat

# Its rows name the Third Party, which its own admin page shows anyway.
KEPT = {("participants", "thirdparty")}


def forget_names(apps, schema_editor):
    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    entries = LogEntry.objects.using(alias)
    used = ContentType.objects.using(alias).filter(pk__in=entries.values("content_type"))
    for content_type in used:
        key = (content_type.app_label, content_type.model)
        if key in KEPT:
            continue
        label = "Login" if key == ("accounts", "user") else f"{content_type.app_label}.{content_type.model}"
        entries.filter(content_type=content_type).update(
            object_repr=Concat(
                Value(f"{label} "), Coalesce("object_id", Value(""), output_field=TextField()), output_field=TextField()
            )
        )
    entries.filter(content_type__isnull=True).update(object_repr="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_sessions_and_login_attempts_unreadable"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forget_names, migrations.RunPython.noop)]
