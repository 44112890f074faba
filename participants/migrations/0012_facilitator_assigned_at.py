"""Since when a facilitator holds their role (decision 0027: a destruction is confirmed only by a convenor who
held the role before it was requested). Existing roles take the time of the grant the audit log still holds
(the first `role_granted`/`role_changed` of that role to that person in that dialogue after their last
`role_revoked`), else the dialogue's creation: a role older than what the log keeps, or made without it (the
demo), is older than any request made since."""

import django.utils.timezone
from django.db import migrations, models

ROLE_ACTIONS = ("role_granted", "role_changed", "role_revoked")


def fill_assigned_at(apps, schema_editor):
    Facilitator = apps.get_model("participants", "Facilitator")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    since: dict[tuple[int, str, str], object] = {}
    events = (
        AuditEvent.objects.filter(action__in=ROLE_ACTIONS, dialogue_id__isnull=False)
        .order_by("id")
        .values_list("action", "occurred_at", "dialogue_id", "detail")
        .iterator()
    )
    for action, occurred_at, dialogue_id, detail in events:
        if not isinstance(detail, dict):
            continue
        key = (dialogue_id, str(detail.get("role", "")), str(detail.get("person", "")))
        if action == "role_revoked":
            since.pop(key, None)
        else:
            since.setdefault(key, occurred_at)  # granting it again keeps the first grant
    # Columns only: the rows' encrypted fields are not read (they would need their keys).
    rows = Facilitator.objects.values_list(
        "pk", "dialogue_id", "role", "person__pseudonym", "dialogue__created_at"
    ).iterator()
    changed = []
    for pk, dialogue_id, role, pseudonym, created_at in rows:
        changed.append(Facilitator(pk=pk, assigned_at=since.get((dialogue_id, role, pseudonym), created_at)))
        if len(changed) >= 1000:
            Facilitator.objects.bulk_update(changed, ["assigned_at"])
            changed = []
    Facilitator.objects.bulk_update(changed, ["assigned_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0011_membership_pseudonym"),
        ("audit", "0005_saved_searches"),
    ]

    operations = [
        migrations.AddField(
            model_name="facilitator",
            name="assigned_at",
            field=models.DateTimeField(null=True, editable=False),
        ),
        migrations.RunPython(fill_assigned_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="facilitator",
            name="assigned_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
