"""Who keeps the ripeness log: those who see the dialogue's insight and may change the dialogue (its
convenors and facilitators). Someone who sees the insight without managing the dialogue reads the log only."""

from django.db.models import Q

from dialogues.permissions import DialogueAccess, can_view_insight, insight_dialogues


def can_write_ripeness(access: DialogueAccess, dialogue_id: int) -> bool:
    return can_view_insight(access, dialogue_id) and access.has(dialogue_id, "manage_dialogue")


def ripeness_readable(access: DialogueAccess) -> Q:
    """The dialogues whose ripeness log the viewer may read, as a filter on Dialogue."""
    return Q(pk__in=insight_dialogues(access))


def ripeness_writable(access: DialogueAccess) -> Q:
    """The dialogues whose ripeness log the viewer may add to, change and delete from."""
    return Q(pk__in=[pk for pk in insight_dialogues(access) if access.has(pk, "manage_dialogue")])
