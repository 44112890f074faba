from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Track(models.TextChoices):
    TRACK_2 = "track_2", _("Track 2")
    TRACK_1_5 = "track_1_5", _("Track 1.5")
    TRACK_3 = "track_3", _("Track 3")


class Objective(models.TextChoices):
    MANAGEMENT = "management", _("Conflict management")
    TRANSFORMATION = "transformation", _("Conflict transformation")
    MIXED = "mixed", _("Mixed")


class Sensitivity(models.TextChoices):
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictly confidential")


class DialogueStatus(models.TextChoices):
    SCOPING = "scoping", _("Scoping")
    CONVENING = "convening", _("Convening")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CONCLUDED = "concluded", _("Concluded")


class WorkshopFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class WorkshopStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("workshop status", "Cancelled")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", pgettext_lazy("invitation answer", "Accepted")
    DECLINED = "declined", pgettext_lazy("invitation answer", "Declined")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SEALING = "sealing", _("Sealing")
    SEALED = "sealed", _("Sealed")
    SUPERSEDED = "superseded", _("Superseded")


class ReviewCommentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review comment status", "Open")
    ACCEPTED = "accepted", pgettext_lazy("review comment status", "Accepted")
    ANSWERED = "answered", _("Answered")


class OutcomeKind(models.TextChoices):
    CHANGED_PERCEPTIONS = "changed_perceptions", _("Changed perceptions")
    NEW_CHANNEL = "new_channel", _("New channel of communication")
    NEW_OPTION = "new_option", _("New option for settlement")
    NETWORK = "network", _("Network")
    TRANSFER = "transfer", _("Transfer into official diplomacy")


class OutcomeStage(models.TextChoices):
    """How far an outcome has travelled towards Track One, in order: each stage follows the one before."""

    IDEA = "idea", _("Idea raised")
    DEVELOPED = "developed", _("Written up")
    SHARED = "shared", _("Shared with officials")
    TAKEN_UP = "taken_up", _("Taken up")
    REFLECTED = "reflected", _("Reflected in an official outcome")


# The stages in the order an outcome passes them: a stage's position is its index here plus one.
OUTCOME_STAGES: tuple[str, ...] = tuple(OutcomeStage)


class DialogueRole(models.TextChoices):
    """What a person is in one dialogue. Each role is a named bundle of permissions."""

    CONVENOR = "convenor", _("Convenor")
    FACILITATOR = "facilitator", _("Facilitator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")
    RESOURCE_PERSON = "resource_person", _("Resource person")
    FUNDER = "funder", _("Funder")
    AUDITOR = "auditor", _("Auditor")


class Repeat(models.TextChoices):
    """How a run of workshops repeats, in the venue's wall-clock time."""

    NONE = "none", _("Just this one")
    WEEKS = "weeks", _("Every N weeks")
    MONTHS = "months", _("Every N months, on the same date")
    MONTH_WEEKDAY = "month_weekday", _("Every N months, on the same weekday (e.g. the second Tuesday)")


class NotificationKind(models.TextChoices):
    INVITED = "invited", _("You are invited")
    REINVITED = "reinvited", _("You are invited again")
    CHANGED = "changed", _("The time or place changed")
    CANCELLED = "cancelled", _("The workshop is cancelled")
    WITHDRAWN = "withdrawn", _("Your invitation was withdrawn")
    REVIEW = "review", _("A summary is ready for your review")
    REMINDER = "reminder", _("A reminder: a summary still waits for your review")


class RipenessKind(models.TextChoices):
    """What happened in the official process, as a ripeness log entry records it (issue 21)."""

    TALKS_OPENED = "talks_opened", _("Official talks opened")
    TALKS_BROKE_DOWN = "talks_broke_down", _("Official talks broke down")
    ELECTION = "election", _("Election")
    CEASEFIRE = "ceasefire", _("Ceasefire")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    ESCALATION = "escalation", _("Escalation")
    GOVERNMENT_CHANGED = "government_changed", _("Change of government")
    OTHER = "other", _("Other")
