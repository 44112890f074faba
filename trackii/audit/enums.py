from django.db import models


class Action(models.TextChoices):
    """What an audit event records. The column is plain text without choices, so adding a member here
    needs no migration; record_event also accepts any other lower-case slug (see services.ACTION_PATTERN)."""

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


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"
    FAILED = "failed", "Failed"
