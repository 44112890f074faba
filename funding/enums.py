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


class FundingAction(models.TextChoices):
    """Audit actions of the funding pages (trackii.audit accepts any lower-case slug)."""

    FUNDER_RECORDED = "funder_recorded", "Funder recorded"
    FUNDER_CHANGED = "funder_changed", "Funder changed"
    FUNDER_OFFICER_ADDED = "funder_officer_added", "Funder officer added"
    FUNDER_OFFICER_REMOVED = "funder_officer_removed", "Funder officer removed"
    GRANT_RECORDED = "grant_recorded", "Grant recorded"
    GRANT_CHANGED = "grant_changed", "Grant changed"
    GRANT_STATUS_CHANGED = "grant_status_changed", "Grant status changed"
    CONDITION_RECORDED = "condition_recorded", "Funder's condition recorded"
    CONDITION_RULED = "condition_ruled", "Ruling on a funder's condition"
    CONDITION_CONFIRMED = "condition_confirmed", "Ruling confirmed by a second convenor"
    EXPENSE_RECORDED = "expense_recorded", "Expense recorded"
    EXPENSE_REMOVED = "expense_removed", "Expense removed"
    FUNDING_ANSWERED = "funding_answered", "Member answered on the funding arrangements"
