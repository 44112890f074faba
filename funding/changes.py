"""One way for funding's services to save what changed and audit which fields changed (not their values)."""

from django.db.models import Model

from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


def apply_changes(*, obj: Model, values: dict, action: Action, by: User) -> Model:
    """Save the fields whose value differs, and audit which fields changed (not their values)."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        record_event(actor=by, action=action, target=obj, detail={"fields": changed})
    return obj
