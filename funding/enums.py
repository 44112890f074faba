from django.db import models


class FunderKind(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    GOVERNMENT = "government", "Government"
    MULTILATERAL = "multilateral", "Multilateral"
    PRIVATE = "private", "Private"


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ConditionKind(models.TextChoices):
    REPORTING = "reporting", "Reporting"
    VISIBILITY = "visibility", "Visibility and acknowledgement"
    FINANCIAL = "financial", "Financial"
    PARTICIPANT_SELECTION = "participant_selection", "Participant selection"
    AGENDA = "agenda", "Agenda"
    CONTENT = "content", "Content of the dialogue"
    FUNDER_ATTENDANCE = "funder_attendance", "Attendance of funder staff"
    SUMMARY_ACCESS = "summary_access", "Access to summaries"
    OTHER = "other", "Other"


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
    PENDING = "pending", "Awaiting a ruling"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    NEGOTIATED = "negotiated", "Negotiated"


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", "Travel"
    VENUE = "venue", "Venue"
    ACCOMMODATION = "accommodation", "Accommodation"
    INTERPRETATION = "interpretation", "Interpretation"
    STAFF = "staff", "Staff"
    OTHER = "other", "Other"


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
