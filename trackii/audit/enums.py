from django.db import models


class Action(models.TextChoices):
    """What an audit event records. The column is plain text without choices, so adding a member here
    needs no migration; record_event and bulk_append refuse anything that is not a member (issue 19)."""

    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    FEED = "feed", "Calendar feed read"
    DENIED = "denied", "Access denied"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Login failed"
    LOGOUT = "logout", "Logged out"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_CHANGED = "role_changed", "Role changed"
    ROLE_REVOKED = "role_revoked", "Role revoked"
    BREAK_GLASS_GRANTED = "break_glass_granted", "Break-glass granted"
    BREAK_GLASS_EXPIRED = "break_glass_expired", "Break-glass expired"
    SEAL_REQUESTED = "seal_requested", "Seal requested"
    SEALED = "sealed", "Sealed"
    SEAL_CANCELLED = "seal_cancelled", "Sealing abandoned, back to draft"
    COPY_ISSUED = "copy_issued", "Copy issued"
    AMENDED = "amended", "Amendment started"
    REVIEW_OPENED = "review_opened", "Review opened"
    REVIEW_CLOSED = "review_closed", "Review closed"
    MENTION_ACCEPTED = "mention_accepted", "Attribution accepted"
    GROUND_RULES_ACCEPTED = "ground_rules_accepted", "Ground rules accepted"
    PDF_VERIFIED = "pdf_verified", "PDF verified"
    DISCLOSURE_GENERATED = "disclosure_generated", "Disclosure generated"
    EXPORT = "export", "Exported"
    MFA_CHANGED = "mfa_changed", "MFA changed"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_DISABLED = "account_disabled", "Account disabled"
    ACCOUNT_INVITED = "account_invited", "Invited to create a login"
    ACCOUNT_INVITATION_REVOKED = "account_invitation_revoked", "Login invitation withdrawn"
    LOGIN_LOCKED = "login_locked", "Login locked after failures"
    LOGIN_UNLOCKED = "login_unlocked", "Login unlocked"
    SESSIONS_ENDED = "sessions_ended", "All sessions ended"
    RETENTION_PURGE = "retention_purge", "Old audit rows purged"
    ADDRESSES_DROPPED = "addresses_dropped", "Old client addresses dropped"
    CHECKPOINT = "checkpoint", "Chain checkpoint signed"
    CHAIN_VERIFIED = "chain_verified", "Chain verified"
    CHAIN_REBASELINED = "chain_rebaselined", "Chain re-baselined after a restore"
    # trackii, funding, participants: state changes (issue 15)
    ACCOUNT_INVITATION_SENT = "account_invitation_sent", "Login invitation e-mailed"
    PERSON_RECORDED = "person_recorded", "Person recorded"
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
    # dialogues: state changes (issue 15)
    DIALOGUE_CREATED = "dialogue_created", "Dialogue opened"
    DIALOGUE_CHANGED = "dialogue_changed", "Dialogue changed"
    DIALOGUE_STATUS_CHANGED = "dialogue_status_changed", "Dialogue status changed"
    SIDE_ADDED = "side_added", "Side added"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    SERIES_CREATED = "series_created", "Workshop series created"
    WORKSHOP_SCHEDULED = "workshop_scheduled", "Workshop scheduled"
    WORKSHOP_CLONED = "workshop_cloned", "Next workshop scheduled from another"
    WORKSHOP_RESCHEDULED = "workshop_rescheduled", "Workshop rescheduled"
    WORKSHOP_CANCELLED = "workshop_cancelled", "Workshop cancelled"
    AGENDA_ITEM_ADDED = "agenda_item_added", "Agenda item added"
    AGENDA_ITEM_MOVED = "agenda_item_moved", "Agenda item moved"
    AGENDA_ITEM_CHANGED = "agenda_item_changed", "Agenda item changed"
    AGENDA_ITEM_REMOVED = "agenda_item_removed", "Agenda item removed"
    WORKSHOP_INVITED = "workshop_invited", "Invited to a workshop"
    INVITATION_STATUS_CHANGED = "invitation_status_changed", "Invitation status changed"
    INVITATION_ANSWERED = "invitation_answered", "Invitation answered"
    INVITATION_RENEWED = "invitation_renewed", "Invited again after declining"
    INVITATION_WITHDRAWN = "invitation_withdrawn", "Workshop invitation withdrawn"
    ATTENDANCE_RECORDED = "attendance_recorded", "Attendance recorded"
    SUMMARY_STARTED = "summary_started", "Summary draft started"
    DRAFT_SAVED = "draft_saved", "Summary draft saved"
    REVIEW_COMMENTED = "review_commented", "Review comment added"
    REVIEW_SIGNED_OFF = "review_signed_off", "Review signed off"
    COMMENT_ANSWERED = "comment_answered", "Review comment accepted or answered"
    SUMMARY_FIRST_READ = "summary_first_read", "Sealed summary first read"
    FEED_ISSUED = "feed_issued", "Calendar feed address issued"
    FEED_REVOKED = "feed_revoked", "Calendar feed address revoked"
    CALENDAR_SETTINGS_CHANGED = "calendar_settings_changed", "Calendar settings changed"
    UNAVAILABILITY_ADDED = "unavailability_added", "Unavailable dates added"
    UNAVAILABILITY_REMOVED = "unavailability_removed", "Unavailable dates removed"
    NOTIFICATIONS_SENT = "notifications_sent", "Workshop e-mail sent"
    # trackii: backups (issue 16)
    BACKUP_MADE = "backup_made", "Backup made"
    BACKUP_RESTORED = "backup_restored", "Backup restored"
    # dialogues and accounts: removal that ends access, the emergency cut-off (issue 16)
    SUMMARY_ACCESS_WITHDRAWN = "summary_access_withdrawn", "Former member's summaries withdrawn"
    CUT_OFF = "cut_off", "Cut off from every dialogue"
    CUT_OFF_RESTORED = "cut_off_restored", "Cut-off lifted"
    LOGIN_REFUSED = "login_refused", "Login refused: cut off"
    # dialogues: people without a login (issue 18)
    INVITATION_ANSWER_RECORDED = "invitation_answer_recorded", "Invitation answer recorded by a facilitator"
    # dialogues: the facilitators steer a summary's review round (issue 18)
    REVIEW_CLOSED_EARLY = "review_closed_early", "Review closed early"
    REVIEW_EXTENDED = "review_extended", "Review deadline extended"
    REVIEW_REMINDED = "review_reminded", "Reviewers reminded"
    CORRECTION_APPLIED = "correction_applied", "Accepted correction applied to the draft"
    # dialogues: finding people on file from a roster (issue 18)
    PEOPLE_SEARCHED = "people_searched", "People on file searched"
    # dialogues: workshops that already happened, numbers settled at publication (issue 18)
    WORKSHOP_PUBLISHED = "workshop_published", "Draft workshop published"
    WORKSHOP_HELD = "workshop_held", "Workshop marked as held"
    WORKSHOP_RECORDED = "workshop_recorded", "Past workshop recorded"
    # issue 19: chain check in the browser
    CHAIN_CHECK_REQUESTED = "chain_check_requested", "Chain verification requested"

    # issue 19: saved searches (the auditors' own bookmarks of a search of the log)
    SAVED_SEARCH_CREATED = "saved_search_created", "Audit search saved"
    SAVED_SEARCH_RENAMED = "saved_search_renamed", "Saved audit search renamed"
    SAVED_SEARCH_DELETED = "saved_search_deleted", "Saved audit search deleted"

    # issue 19: staff administration (invitations and role changes confirmed by a second administrator)
    STAFF_INVITATION_REQUESTED = "staff_invitation_requested", "Staff invitation asked for"
    STAFF_INVITATION_SENT = "staff_invitation_sent", "Staff invitation e-mailed"
    STAFF_INVITATION_ACCEPTED = "staff_invitation_accepted", "Staff invitation accepted: login set up"
    STAFF_ROLE_REQUESTED = "staff_role_requested", "Staff role change asked for"
    STAFF_REQUEST_CONFIRMED = "staff_request_confirmed", "Staff request confirmed by a second administrator"
    STAFF_REQUEST_DECLINED = "staff_request_declined", "Staff request declined by a second administrator"
    STAFF_REQUEST_CANCELLED = "staff_request_cancelled", "Staff request cancelled"
    STAFF_ROLE_GRANTED = "staff_role_granted", "Staff role granted"
    STAFF_ROLE_REMOVED = "staff_role_removed", "Staff role removed"
    SECOND_FACTOR_RESET_REQUESTED = "second_factor_reset_requested", "Second-factor reset asked for"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"

    # issue 19: staff accounts (the administrators' list of logins, disabling, sessions)
    ACCOUNT_ENABLED = "account_enabled", "Account re-enabled"
    SESSION_ENDED = "session_ended", "One session ended by an administrator"
    ACCOUNTS_SEARCHED = "accounts_searched", "Logins searched by address, number or pseudonym"

    # issue 21: programme insight (charts and their tables)
    INSIGHT_EXPORTED = "insight_exported", "Insight table downloaded as CSV"

    # issue 21: ripeness log
    RIPENESS_ENTRY_ADDED = "ripeness_entry_added", "Ripeness log entry added"
    RIPENESS_ENTRY_CHANGED = "ripeness_entry_changed", "Ripeness log entry changed"
    RIPENESS_ENTRY_DELETED = "ripeness_entry_deleted", "Ripeness log entry deleted"
    # issue 21: the transfer pipeline
    OUTCOME_STAGE_RECORDED = "outcome_stage_recorded", "Outcome's next stage recorded"

    # issue 22: a person's name in several scripts
    PERSON_NAME_ADDED = "person_name_added", "Another form of a person's name recorded"
    PERSON_NAME_REMOVED = "person_name_removed", "Another form of a person's name removed"
    # issue 22: many languages
    LANGUAGE_CHANGED = "language_changed", "Interface language chosen"
    # issue 22: summaries in more than one language
    SUMMARY_LANGUAGE_SET = "summary_language_set", "Summary's main language changed"
    SUMMARY_VERSION_SAVED = "summary_version_saved", "Summary's parallel version in another language saved"
    SUMMARY_VERSION_REMOVED = (
        "summary_version_removed",
        "Summary's parallel version in another language removed",
    )


class ChainCheckStatus(models.TextChoices):
    """Where one chain verification asked for from the chain-status page stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PASSED = "passed", "Intact"
    FAILED = "failed", "Broken"
    ERROR = "error", "Did not finish"


ACTIVE_CHAIN_CHECK = (ChainCheckStatus.QUEUED, ChainCheckStatus.RUNNING)


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"
    FAILED = "failed", "Failed"


# The group that holds the auditor role (trackii/staff/roles.py).
AUDITORS_GROUP = "auditors"
