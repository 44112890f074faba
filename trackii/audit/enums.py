from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an audit event records. The column is plain text without choices, so adding a member here
    needs no migration; record_event and bulk_append refuse anything that is not a member (issue 19)."""

    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    FEED = "feed", _("Calendar feed read")
    DENIED = "denied", _("Access denied")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    BREAK_GLASS_GRANTED = "break_glass_granted", _("Break-glass granted")
    BREAK_GLASS_EXPIRED = "break_glass_expired", _("Break-glass expired")
    SEAL_REQUESTED = "seal_requested", _("Seal requested")
    SEALED = "sealed", _("Sealed")
    SEAL_CANCELLED = "seal_cancelled", _("Sealing abandoned, back to draft")
    COPY_ISSUED = "copy_issued", _("Copy issued")
    AMENDED = "amended", _("Amendment started")
    REVIEW_OPENED = "review_opened", _("Review opened")
    REVIEW_CLOSED = "review_closed", _("Review closed")
    MENTION_ACCEPTED = "mention_accepted", _("Attribution accepted")
    GROUND_RULES_ACCEPTED = "ground_rules_accepted", _("Ground rules accepted")
    PDF_VERIFIED = "pdf_verified", _("PDF verified")
    DISCLOSURE_GENERATED = "disclosure_generated", _("Disclosure generated")
    EXPORT = "export", _("Exported")
    MFA_CHANGED = "mfa_changed", _("MFA changed")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_DISABLED = "account_disabled", _("Account disabled")
    ACCOUNT_INVITED = "account_invited", _("Invited to create a login")
    ACCOUNT_INVITATION_REVOKED = "account_invitation_revoked", _("Login invitation withdrawn")
    LOGIN_LOCKED = "login_locked", _("Login locked after failures")
    LOGIN_UNLOCKED = "login_unlocked", _("Login unlocked")
    SESSIONS_ENDED = "sessions_ended", _("All sessions ended")
    RETENTION_PURGE = "retention_purge", _("Old audit rows purged")
    ADDRESSES_DROPPED = "addresses_dropped", _("Old client addresses dropped")
    CHECKPOINT = "checkpoint", _("Chain checkpoint signed")
    CHAIN_VERIFIED = "chain_verified", _("Chain verified")
    CHAIN_REBASELINED = "chain_rebaselined", _("Chain re-baselined after a restore")
    # trackii, funding, participants: state changes (issue 15)
    ACCOUNT_INVITATION_SENT = "account_invitation_sent", _("Login invitation e-mailed")
    PERSON_RECORDED = "person_recorded", _("Person recorded")
    FUNDER_RECORDED = "funder_recorded", _("Funder recorded")
    FUNDER_CHANGED = "funder_changed", _("Funder changed")
    FUNDER_OFFICER_ADDED = "funder_officer_added", _("Funder officer added")
    FUNDER_OFFICER_REMOVED = "funder_officer_removed", _("Funder officer removed")
    GRANT_RECORDED = "grant_recorded", _("Grant recorded")
    GRANT_CHANGED = "grant_changed", _("Grant changed")
    GRANT_STATUS_CHANGED = "grant_status_changed", _("Grant status changed")
    CONDITION_RECORDED = "condition_recorded", _("Funder's condition recorded")
    CONDITION_RULED = "condition_ruled", _("Ruling on a funder's condition")
    CONDITION_CONFIRMED = "condition_confirmed", _("Ruling confirmed by a second convenor")
    EXPENSE_RECORDED = "expense_recorded", _("Expense recorded")
    EXPENSE_REMOVED = "expense_removed", _("Expense removed")
    FUNDING_ANSWERED = "funding_answered", _("Member answered on the funding arrangements")
    # dialogues: state changes (issue 15)
    DIALOGUE_CREATED = "dialogue_created", _("Dialogue opened")
    DIALOGUE_CHANGED = "dialogue_changed", _("Dialogue changed")
    DIALOGUE_STATUS_CHANGED = "dialogue_status_changed", _("Dialogue status changed")
    SIDE_ADDED = "side_added", _("Side added")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    SERIES_CREATED = "series_created", _("Workshop series created")
    WORKSHOP_SCHEDULED = "workshop_scheduled", _("Workshop scheduled")
    WORKSHOP_CLONED = "workshop_cloned", _("Next workshop scheduled from another")
    WORKSHOP_RESCHEDULED = "workshop_rescheduled", _("Workshop rescheduled")
    WORKSHOP_CANCELLED = "workshop_cancelled", _("Workshop cancelled")
    AGENDA_ITEM_ADDED = "agenda_item_added", _("Agenda item added")
    AGENDA_ITEM_MOVED = "agenda_item_moved", _("Agenda item moved")
    AGENDA_ITEM_CHANGED = "agenda_item_changed", _("Agenda item changed")
    AGENDA_ITEM_REMOVED = "agenda_item_removed", _("Agenda item removed")
    WORKSHOP_INVITED = "workshop_invited", _("Invited to a workshop")
    INVITATION_STATUS_CHANGED = "invitation_status_changed", _("Invitation status changed")
    INVITATION_ANSWERED = "invitation_answered", _("Invitation answered")
    INVITATION_RENEWED = "invitation_renewed", _("Invited again after declining")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("Workshop invitation withdrawn")
    ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance recorded")
    SUMMARY_STARTED = "summary_started", _("Summary draft started")
    DRAFT_SAVED = "draft_saved", _("Summary draft saved")
    REVIEW_COMMENTED = "review_commented", _("Review comment added")
    REVIEW_SIGNED_OFF = "review_signed_off", _("Review signed off")
    COMMENT_ANSWERED = "comment_answered", _("Review comment accepted or answered")
    SUMMARY_FIRST_READ = "summary_first_read", _("Sealed summary first read")
    FEED_ISSUED = "feed_issued", _("Calendar feed address issued")
    FEED_REVOKED = "feed_revoked", _("Calendar feed address revoked")
    CALENDAR_SETTINGS_CHANGED = "calendar_settings_changed", _("Calendar settings changed")
    UNAVAILABILITY_ADDED = "unavailability_added", _("Unavailable dates added")
    UNAVAILABILITY_REMOVED = "unavailability_removed", _("Unavailable dates removed")
    NOTIFICATIONS_SENT = "notifications_sent", _("Workshop e-mail sent")
    # trackii: backups (issue 16)
    BACKUP_MADE = "backup_made", _("Backup made")
    BACKUP_RESTORED = "backup_restored", _("Backup restored")
    # dialogues and accounts: removal that ends access, the emergency cut-off (issue 16)
    SUMMARY_ACCESS_WITHDRAWN = "summary_access_withdrawn", _("Former member's summaries withdrawn")
    CUT_OFF = "cut_off", _("Cut off from every dialogue")
    CUT_OFF_RESTORED = "cut_off_restored", _("Cut-off lifted")
    LOGIN_REFUSED = "login_refused", _("Login refused: cut off")
    # dialogues: people without a login (issue 18)
    INVITATION_ANSWER_RECORDED = (
        "invitation_answer_recorded",
        _("Invitation answer recorded by a facilitator"),
    )
    # dialogues: the facilitators steer a summary's review round (issue 18)
    REVIEW_CLOSED_EARLY = "review_closed_early", _("Review closed early")
    REVIEW_EXTENDED = "review_extended", _("Review deadline extended")
    REVIEW_REMINDED = "review_reminded", _("Reviewers reminded")
    CORRECTION_APPLIED = "correction_applied", _("Accepted correction applied to the draft")
    # dialogues: finding people on file from a roster (issue 18)
    PEOPLE_SEARCHED = "people_searched", _("People on file searched")
    # dialogues: workshops that already happened, numbers settled at publication (issue 18)
    WORKSHOP_PUBLISHED = "workshop_published", _("Draft workshop published")
    WORKSHOP_HELD = "workshop_held", _("Workshop marked as held")
    WORKSHOP_RECORDED = "workshop_recorded", _("Past workshop recorded")
    # issue 19: chain check in the browser
    CHAIN_CHECK_REQUESTED = "chain_check_requested", _("Chain verification requested")

    # issue 19: saved searches (the auditors' own bookmarks of a search of the log)
    SAVED_SEARCH_CREATED = "saved_search_created", _("Audit search saved")
    SAVED_SEARCH_RENAMED = "saved_search_renamed", _("Saved audit search renamed")
    SAVED_SEARCH_DELETED = "saved_search_deleted", _("Saved audit search deleted")

    # issue 19: staff administration (invitations and role changes confirmed by a second administrator)
    STAFF_INVITATION_REQUESTED = "staff_invitation_requested", _("Staff invitation asked for")
    STAFF_INVITATION_SENT = "staff_invitation_sent", _("Staff invitation e-mailed")
    STAFF_INVITATION_ACCEPTED = "staff_invitation_accepted", _("Staff invitation accepted: login set up")
    STAFF_ROLE_REQUESTED = "staff_role_requested", _("Staff role change asked for")
    STAFF_REQUEST_CONFIRMED = (
        "staff_request_confirmed",
        _("Staff request confirmed by a second administrator"),
    )
    STAFF_REQUEST_DECLINED = "staff_request_declined", _("Staff request declined by a second administrator")
    STAFF_REQUEST_CANCELLED = "staff_request_cancelled", _("Staff request cancelled")
    STAFF_ROLE_GRANTED = "staff_role_granted", _("Staff role granted")
    STAFF_ROLE_REMOVED = "staff_role_removed", _("Staff role removed")
    SECOND_FACTOR_RESET_REQUESTED = "second_factor_reset_requested", _("Second-factor reset asked for")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")

    # issue 19: staff accounts (the administrators' list of logins, disabling, sessions)
    ACCOUNT_ENABLED = "account_enabled", _("Account re-enabled")
    SESSION_ENDED = "session_ended", _("One session ended by an administrator")
    ACCOUNTS_SEARCHED = "accounts_searched", _("Logins searched by address, number or pseudonym")

    # issue 21: programme insight (charts and their tables)
    INSIGHT_EXPORTED = "insight_exported", _("Insight table downloaded as CSV")

    # issue 21: ripeness log
    RIPENESS_ENTRY_ADDED = "ripeness_entry_added", _("Ripeness log entry added")
    RIPENESS_ENTRY_CHANGED = "ripeness_entry_changed", _("Ripeness log entry changed")
    RIPENESS_ENTRY_DELETED = "ripeness_entry_deleted", _("Ripeness log entry deleted")
    # issue 21: the transfer pipeline
    OUTCOME_STAGE_RECORDED = "outcome_stage_recorded", _("Outcome's next stage recorded")

    # issue 22: a person's name in several scripts
    PERSON_NAME_ADDED = "person_name_added", _("Another form of a person's name recorded")
    PERSON_NAME_REMOVED = "person_name_removed", _("Another form of a person's name removed")
    # issue 22: many languages
    LANGUAGE_CHANGED = "language_changed", _("Interface language chosen")
    # issue 22: summaries in more than one language
    SUMMARY_LANGUAGE_SET = "summary_language_set", _("Summary's main language changed")
    SUMMARY_VERSION_SAVED = "summary_version_saved", _("Summary's parallel version in another language saved")
    SUMMARY_VERSION_REMOVED = (
        "summary_version_removed",
        _("Summary's parallel version in another language removed"),
    )
    # issue 23: destroying a dialogue
    DIALOGUE_DESTRUCTION_REQUESTED = "dialogue_destruction_requested", _("Dialogue's destruction requested")
    DIALOGUE_DESTRUCTION_WITHDRAWN = "dialogue_destruction_withdrawn", _("Dialogue's destruction withdrawn")
    DIALOGUE_DESTROYED = "dialogue_destroyed", _("Dialogue destroyed")
    DIALOGUE_DESTRUCTION_NOTICE_SENT = (
        "dialogue_destruction_notice_sent",
        _("Convenors told of a dialogue's destruction by retention"),
    )
    # issue 23: a person's own data (export and erasure request)
    OWN_DATA_VIEWED = "own_data_viewed", _("Own data page read by its person")
    OWN_DATA_EXPORTED = "own_data_exported", _("Own data downloaded as JSON by its person")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure of a person's data asked for")
    ERASURE_WITHDRAWN = "erasure_withdrawn", _("Erasure request withdrawn by its person")
    ERASURE_DECLINED = "erasure_declined", _("Erasure request declined")
    PERSON_ERASED = "person_erased", _("Person's data erased")


class ChainCheckStatus(models.TextChoices):
    """Where one chain verification asked for from the chain-status page stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PASSED = "passed", _("Intact")
    FAILED = "failed", _("Broken")
    ERROR = "error", _("Did not finish")


ACTIVE_CHAIN_CHECK = (ChainCheckStatus.QUEUED, ChainCheckStatus.RUNNING)


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


# The group that holds the auditor role (trackii/staff/roles.py).
AUDITORS_GROUP = "auditors"
