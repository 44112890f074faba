"""Who keeps the ripeness log: those who see the dialogue's insight and may change the dialogue (its
convenors and facilitators). Someone who sees the insight without managing the dialogue reads the log only."""

from dialogues.permissions import DialogueAccess, can_view_insight


def can_write_ripeness(access: DialogueAccess, dialogue_id: int) -> bool:
    return can_view_insight(access, dialogue_id) and access.has(dialogue_id, "manage_dialogue")
