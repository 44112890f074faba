"""Dialogues' models, one module per concern; every model is importable from ``dialogues.models``."""

from dialogues.models.destruction import DialogueDestruction, RetentionNotice
from dialogues.models.dialogue import (
    CHATHAM_HOUSE_RULE,
    BreakGlassGrant,
    Dialogue,
    DialogueGroupObjectPermission,
    DialogueUserObjectPermission,
    Side,
)
from dialogues.models.insight import RipenessEntry
from dialogues.models.outcomes import OutcomeStep
from dialogues.models.personal import Notification, PersonalCalendar
from dialogues.models.scheduling import (
    AgendaItem,
    Invitation,
    Unavailability,
    Workshop,
    WorkshopGroupObjectPermission,
    WorkshopSeries,
    WorkshopUserObjectPermission,
)
from dialogues.models.summaries import (
    Outcome,
    ReviewComment,
    ReviewSignoff,
    Summary,
    SummaryCopy,
    SummaryGroupObjectPermission,
    SummaryReading,
    SummaryTranslation,
    SummaryUserObjectPermission,
)
from dialogues.validators import validate_timezone

__all__ = [
    "CHATHAM_HOUSE_RULE",
    "AgendaItem",
    "BreakGlassGrant",
    "Dialogue",
    "DialogueDestruction",
    "DialogueGroupObjectPermission",
    "DialogueUserObjectPermission",
    "Invitation",
    "Notification",
    "Outcome",
    "OutcomeStep",
    "PersonalCalendar",
    "RetentionNotice",
    "ReviewComment",
    "ReviewSignoff",
    "RipenessEntry",
    "Side",
    "Summary",
    "SummaryCopy",
    "SummaryGroupObjectPermission",
    "SummaryReading",
    "SummaryTranslation",
    "SummaryUserObjectPermission",
    "Unavailability",
    "Workshop",
    "WorkshopGroupObjectPermission",
    "WorkshopSeries",
    "WorkshopUserObjectPermission",
    "validate_timezone",  # the first migrations name the validator here
]
