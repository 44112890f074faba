from django.db import models


class Track(models.TextChoices):
    TRACK_2 = "track_2", "Track 2"
    TRACK_1_5 = "track_1_5", "Track 1.5"
    TRACK_3 = "track_3", "Track 3"


class Objective(models.TextChoices):
    MANAGEMENT = "management", "Conflict management"
    TRANSFORMATION = "transformation", "Conflict transformation"
    MIXED = "mixed", "Mixed"


class Sensitivity(models.TextChoices):
    RESTRICTED = "restricted", "Restricted"
    CONFIDENTIAL = "confidential", "Confidential"
    STRICTLY_CONFIDENTIAL = "strictly_confidential", "Strictly confidential"


class DialogueStatus(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    CONVENING = "convening", "Convening"
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    CONCLUDED = "concluded", "Concluded"


class WorkshopFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


class WorkshopStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SEALING = "sealing", "Sealing"
    SEALED = "sealed", "Sealed"
    SUPERSEDED = "superseded", "Superseded"


class ReviewCommentStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    ANSWERED = "answered", "Answered"


class OutcomeKind(models.TextChoices):
    CHANGED_PERCEPTIONS = "changed_perceptions", "Changed perceptions"
    NEW_CHANNEL = "new_channel", "New channel of communication"
    NEW_OPTION = "new_option", "New option for settlement"
    NETWORK = "network", "Network"
    TRANSFER = "transfer", "Transfer into official diplomacy"


class OutcomeStage(models.TextChoices):
    """How far an outcome has travelled towards Track One, in order: each stage follows the one before."""

    IDEA = "idea", "Idea raised"
    DEVELOPED = "developed", "Written up"
    SHARED = "shared", "Shared with officials"
    TAKEN_UP = "taken_up", "Taken up"
    REFLECTED = "reflected", "Reflected in an official outcome"


# The stages in the order an outcome passes them: a stage's position is its index here plus one.
OUTCOME_STAGES: tuple[str, ...] = tuple(OutcomeStage)


class DialogueRole(models.TextChoices):
    """What a person is in one dialogue. Each role is a named bundle of permissions."""

    CONVENOR = "convenor", "Convenor"
    FACILITATOR = "facilitator", "Facilitator"
    RAPPORTEUR = "rapporteur", "Rapporteur"
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"
    RESOURCE_PERSON = "resource_person", "Resource person"
    FUNDER = "funder", "Funder"
    AUDITOR = "auditor", "Auditor"


class Repeat(models.TextChoices):
    """How a run of workshops repeats, in the venue's wall-clock time."""

    NONE = "none", "Just this one"
    WEEKS = "weeks", "Every N weeks"
    MONTHS = "months", "Every N months, on the same date"
    MONTH_WEEKDAY = "month_weekday", "Every N months, on the same weekday (e.g. the second Tuesday)"


class NotificationKind(models.TextChoices):
    INVITED = "invited", "You are invited"
    REINVITED = "reinvited", "You are invited again"
    CHANGED = "changed", "The time or place changed"
    CANCELLED = "cancelled", "The workshop is cancelled"
    WITHDRAWN = "withdrawn", "Your invitation was withdrawn"
    REVIEW = "review", "A summary is ready for your review"
    REMINDER = "reminder", "A reminder: a summary still waits for your review"


class RipenessKind(models.TextChoices):
    """What happened in the official process, as a ripeness log entry records it (issue 21)."""

    TALKS_OPENED = "talks_opened", "Official talks opened"
    TALKS_BROKE_DOWN = "talks_broke_down", "Official talks broke down"
    ELECTION = "election", "Election"
    CEASEFIRE = "ceasefire", "Ceasefire"
    AGREEMENT_SIGNED = "agreement_signed", "Agreement signed"
    ESCALATION = "escalation", "Escalation"
    GOVERNMENT_CHANGED = "government_changed", "Change of government"
    OTHER = "other", "Other"
