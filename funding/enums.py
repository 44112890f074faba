from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FunderKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    GOVERNMENT = "government", _("Government")
    MULTILATERAL = "multilateral", _("Multilateral")
    PRIVATE = "private", _("Private")


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", pgettext_lazy("grant status", "Accepted")
    DECLINED = "declined", pgettext_lazy("grant status", "Declined")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ConditionKind(models.TextChoices):
    REPORTING = "reporting", _("Reporting")
    VISIBILITY = "visibility", _("Visibility and acknowledgement")
    FINANCIAL = "financial", _("Financial")
    PARTICIPANT_SELECTION = "participant_selection", _("Participant selection")
    AGENDA = "agenda", pgettext_lazy("a funder's condition about the workshops' agenda", "Agenda")
    CONTENT = "content", _("Content of the dialogue")
    FUNDER_ATTENDANCE = "funder_attendance", _("Attendance of funder staff")
    SUMMARY_ACCESS = "summary_access", _("Access to summaries")
    OTHER = "other", _("Other")


# Conditions that would give a funder a say over the process itself: they are flagged and cannot be
# accepted silently (DESIGN.md §2).
FLAGGED_CONDITION_KINDS = frozenset(
    {
        ConditionKind.PARTICIPANT_SELECTION,
        ConditionKind.AGENDA,
        ConditionKind.CONTENT,
        ConditionKind.FUNDER_ATTENDANCE,
        ConditionKind.SUMMARY_ACCESS,
    }
)


class ConditionRuling(models.TextChoices):
    PENDING = "pending", _("Awaiting a ruling")
    ACCEPTED = "accepted", pgettext_lazy("condition ruling", "Accepted")
    REJECTED = "rejected", _("Rejected")
    NEGOTIATED = "negotiated", _("Negotiated")


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    VENUE = "venue", _("Venue")
    ACCOMMODATION = "accommodation", _("Accommodation")
    INTERPRETATION = "interpretation", _("Interpretation")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


# A ruling the first convenor may only propose on a flagged condition: a second convenor confirms it.
RULINGS_NEEDING_CONFIRMATION = frozenset({ConditionRuling.ACCEPTED, ConditionRuling.NEGOTIATED})

# Where a grant is in its life decides what may still change: its terms and conditions while it is being
# agreed, its spend while the money runs.
GRANT_TERMS_OPEN = frozenset({GrantStatus.PROPOSED, GrantStatus.ACCEPTED})
GRANT_SPENDING = frozenset({GrantStatus.ACTIVE})

# A grant's life: proposed → accepted / declined → active → closed.
GRANT_TRANSITIONS = {
    GrantStatus.PROPOSED: frozenset({GrantStatus.ACCEPTED, GrantStatus.DECLINED}),
    GrantStatus.ACCEPTED: frozenset({GrantStatus.ACTIVE, GrantStatus.DECLINED}),
    GrantStatus.DECLINED: frozenset(),
    GrantStatus.ACTIVE: frozenset({GrantStatus.CLOSED}),
    GrantStatus.CLOSED: frozenset(),
}
