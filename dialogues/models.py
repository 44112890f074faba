import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.templatetags.tz import do_timezone
from django.utils import timezone as django_timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dialogues.enums import (
    DialogueStatus,
    InvitationStatus,
    NotificationKind,
    Objective,
    OutcomeKind,
    OutcomeStage,
    ReviewCommentStatus,
    Sensitivity,
    SummaryStatus,
    Track,
    WorkshopFormat,
    WorkshopStatus,
)
from trackii.crypto import EncryptedTextField

CHATHAM_HOUSE_RULE = (
    "When a meeting, or part thereof, is held under the Chatham House Rule, participants are free to use the "
    "information received, but neither the identity nor the affiliation of the speaker(s), nor that of any "
    "other participant, may be revealed."
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Vienna or Asia/Singapore.")


class Dialogue(models.Model):
    """One Track Two programme. Outside Trackii (e-mails, feeds, file names) only its codename is used."""

    title = models.CharField(max_length=200)
    codename = models.SlugField(
        max_length=40, unique=True, help_text="Neutral name used in e-mails, calendar feeds and file names."
    )
    track = models.CharField(max_length=12, choices=Track.choices, default=Track.TRACK_2)
    objective = models.CharField(max_length=16, choices=Objective.choices, default=Objective.MIXED)
    conflict = models.TextField(
        blank=True, help_text="The conflict this dialogue addresses, in your own words."
    )
    sensitivity = models.CharField(
        max_length=24, choices=Sensitivity.choices, default=Sensitivity.CONFIDENTIAL
    )
    status = models.CharField(max_length=12, choices=DialogueStatus.choices, default=DialogueStatus.SCOPING)
    ground_rules = models.TextField(default=CHATHAM_HOUSE_RULE)
    third_party = models.ForeignKey(
        "participants.ThirdParty", on_delete=models.PROTECT, related_name="dialogues"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["codename"]
        indexes = [models.Index(fields=["status"])]
        # Dialogue-wide permissions: held by the dialogue's role groups (dialogues/permissions.py).
        permissions = [
            ("manage_dialogue", "Edit the dialogue, its sides and its status"),
            ("manage_members", "Add, change and remove members"),
            ("view_roster", "See members' names and roles"),
            ("view_all_workshops", "See every workshop, venue and facilitators-only agenda item"),
            ("schedule_workshops", "Schedule workshops and build agendas"),
            ("draft_summaries", "Draft summaries and run their review"),
            ("view_all_summaries", "Read every summary of the dialogue"),
            ("view_outcomes", "See the dialogue's outcomes and transfers"),
            ("view_funding", "See who funds the dialogue and on what terms"),
            ("manage_funding", "Record grants, conditions and expenses"),
            ("view_aggregates", "See the dialogue's activity in aggregate"),
            ("view_audit", "Read the dialogue's audit trail"),
        ]

    def __str__(self) -> str:
        return self.codename

    @property
    def audit_dialogue_id(self) -> int:
        return self.pk


class DialogueUserObjectPermission(UserObjectPermissionBase):
    """Per-user grants on a dialogue: only break-glass grants live here (roles use groups)."""

    content_object = models.ForeignKey(Dialogue, on_delete=models.CASCADE)


class DialogueGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Dialogue, on_delete=models.CASCADE)


class BreakGlassGrant(models.Model):
    """An administrator's emergency, time-limited read access to one dialogue, with a stated reason. Its
    convenors see it on their dashboard; it is flagged in the audit log and ends by itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at")), name="break_glass_expires_later"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="break_glass_has_reason"),
        ]
        indexes = [models.Index(fields=["user", "dialogue", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-glass on {self.dialogue} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class Side(models.Model):
    """A party to the conflict, as represented in one dialogue."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="sides")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["dialogue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "name"], name="side_name_unique_in_dialogue")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class WorkshopSeries(models.Model):
    """An ordered run of workshops within a dialogue: a phase, or a sub-group."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["dialogue", "position", "id"]
        verbose_name_plural = "workshop series"
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "title"], name="series_title_unique_in_dialogue")
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.title}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class Workshop(models.Model):
    """One problem-solving workshop. Times are stored in UTC; `timezone` is the venue's, for display."""

    series = models.ForeignKey(WorkshopSeries, on_delete=models.CASCADE, related_name="workshops")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    venue = EncryptedTextField(null=True, blank=True, help_text="Confidential: shown only to those invited.")
    format = models.CharField(max_length=12, choices=WorkshopFormat.choices, default=WorkshopFormat.IN_PERSON)
    status = models.CharField(max_length=12, choices=WorkshopStatus.choices, default=WorkshopStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="workshop_number_unique_in_series"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(number__gte=1), name="workshop_number_positive"),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["series", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.series.dialogue.codename} workshop {self.number}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.series.dialogue_id

    @property
    def local_starts_at(self):
        """The start on the venue's clock; templates show it as is, not converted to the viewer's zone."""
        return do_timezone(self.starts_at, self.timezone)

    @property
    def local_ends_at(self):
        return do_timezone(self.ends_at, self.timezone)


class WorkshopUserObjectPermission(UserObjectPermissionBase):
    """A workshop's invitees: access narrower than the dialogue."""

    content_object = models.ForeignKey(Workshop, on_delete=models.CASCADE)


class WorkshopGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Workshop, on_delete=models.CASCADE)


class AgendaItem(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    facilitators_only = models.BooleanField(
        default=False, help_text="Hidden from participants: for the facilitation team's own planning."
    )

    class Meta:
        ordering = ["workshop", "position", "id"]
        indexes = [models.Index(fields=["workshop", "position"])]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A person invited to one workshop: invited → accepted / declined → attended / absent."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("participants.Person", on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(
        max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    availability_note = EncryptedTextField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "person"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="invitation_once_per_workshop")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.workshop}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.workshop.series.dialogue_id


class Summary(models.Model):
    """A versioned, non-attributed record of a workshop. Once sealed it never changes: an amendment is a new
    version that supersedes it (enforced here and by a database trigger, migration 0002)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="summaries")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    body = EncryptedTextField(blank=True, default="", help_text="Markdown. Never name who said what.")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    review_deadline = models.DateTimeField(null=True, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    sealed_sha256 = models.CharField(max_length=64, blank=True)
    # The sealed PDF, encrypted at rest (trackii.crypto, context "summary:<id>:v<version>").
    sealed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    # Blind indexes (trackii.crypto.blind_index) of the names the attribution guard found and a facilitator
    # accepted, so the guard stops flagging them without the database holding the names in clear.
    accepted_mentions = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    FROZEN_FIELDS = (
        "workshop_id",
        "version",
        "body",
        "sealed_at",
        "sealed_sha256",
        "sealed_pdf",
        "supersedes_id",
    )

    class Meta:
        ordering = ["workshop", "-version"]
        verbose_name_plural = "summaries"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "version"], name="summary_version_unique"),
            # One version at a time is being written: a new draft or amendment waits for the last to seal.
            models.UniqueConstraint(
                fields=["workshop"],
                condition=Q(status__in=[SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW, SummaryStatus.SEALING]),
                name="summary_one_open_version",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[SummaryStatus.SEALED, SummaryStatus.SUPERSEDED])
                | (Q(sealed_at__isnull=False) & ~Q(sealed_sha256="")),
                name="summary_sealed_has_seal",
            ),
        ]
        indexes = [models.Index(fields=["status"])]
        permissions = [("review_summary", "Read and comment on the draft during its review")]

    def __str__(self) -> str:
        return f"Summary v{self.version} of {self.workshop}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Summary.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            sealed = {SummaryStatus.SEALED, SummaryStatus.SUPERSEDED}
            if stored in sealed:
                # Only the move to "superseded" may be saved, by name: a full save would write the body again,
                # freshly encrypted, which the database trigger refuses even when the text is the same.
                fields = kwargs.get("update_fields")
                frozen = {*self.FROZEN_FIELDS, *(name.removesuffix("_id") for name in self.FROZEN_FIELDS)}
                if fields is None or set(fields) & frozen or self.status not in sealed:
                    raise ValidationError(
                        "A sealed summary cannot be changed. Amend it with a new version instead."
                    )
        super().save(*args, **kwargs)

    @property
    def audit_dialogue_id(self) -> int:
        return self.workshop.series.dialogue_id


class SummaryUserObjectPermission(UserObjectPermissionBase):
    """A summary's audience: its reviewers while in review, its frozen audience once sealed."""

    content_object = models.ForeignKey(Summary, on_delete=models.CASCADE)


class SummaryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Summary, on_delete=models.CASCADE)


class ReviewComment(models.Model):
    """A participant's comment or suggested correction on a draft, anchored to a section."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="review_comments"
    )
    section = models.CharField(max_length=200, blank=True, help_text="The heading the comment refers to.")
    # A participant's own words about what was said in the room: encrypted like the summary itself.
    body = EncryptedTextField()
    suggested_text = EncryptedTextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=ReviewCommentStatus.choices, default=ReviewCommentStatus.OPEN
    )
    response = EncryptedTextField(blank=True, default="")
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summary", "created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.summary}"


class ReviewSignoff(models.Model):
    """A reviewer saying they have nothing (more) to add: with a comment, it counts as having responded."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="signoffs")
    person = models.ForeignKey("participants.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "person"], name="signoff_once_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.person} signed off {self.summary}"


class SummaryCopy(models.Model):
    """One person's copy of a sealed summary: the sealed PDF with an opaque copy code on every page, sealed
    again. The code names no one; only this row (and the audit record it points to) says whose copy it is.
    The audience's copies are made at sealing, also for attendees who have no login yet."""

    summary = models.ForeignKey(Summary, on_delete=models.PROTECT, related_name="copies")
    holder = models.ForeignKey("participants.Person", on_delete=models.PROTECT, related_name="+")
    # True for the frozen audience (the people in the room, copied at sealing); false for a copy a member of
    # the facilitation team made later. Only the audience's copies open the summary to their holder.
    audience = models.BooleanField(default=False)
    copy_code = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField(max_length=64)
    # Encrypted at rest like the sealed summary (context "summary-copy:<copy code>").
    pdf = models.BinaryField(editable=False)
    # The audit event that issued the copy. A plain id, not a foreign key: the audit retention purge may
    # remove old events, and must not be blocked by the copies they describe.
    audit_event_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summary", "created_at", "id"]
        verbose_name_plural = "summary copies"
        constraints = [
            models.UniqueConstraint(fields=["summary", "holder"], name="summary_copy_once_per_holder")
        ]
        indexes = [models.Index(fields=["sha256"])]

    def __str__(self) -> str:
        return f"Copy {self.copy_code}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.summary.workshop.series.dialogue_id


class SummaryReading(models.Model):
    """The "seen" mark: when a reader first opened a sealed summary, and when they last downloaded it."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField()
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["summary", "user"], name="summary_read_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.summary_id}"


class Outcome(models.Model):
    """What the process produced; a transfer records an idea or a person moving into official diplomacy."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="outcomes")
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    kind = models.CharField(max_length=24, choices=OutcomeKind.choices)
    stage = models.CharField(max_length=12, choices=OutcomeStage.choices, default=OutcomeStage.IDEA)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    transfer_to = models.CharField(
        max_length=200, blank=True, help_text="Who in official diplomacy received it."
    )
    transfer_via = models.CharField(max_length=200, blank=True, help_text="Through whom it travelled.")
    transferred_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OutcomeKind.TRANSFER) | ~Q(transfer_to=""),
                name="outcome_transfer_names_recipient",
            )
        ]
        indexes = [models.Index(fields=["dialogue", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class Unavailability(models.Model):
    """Dates a person has said they cannot come to anything. Workshops on those dates raise a warning."""

    person = models.ForeignKey(
        "participants.Person", on_delete=models.CASCADE, related_name="unavailabilities"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="unavailability_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} unavailable {self.starts_on} to {self.ends_on}"


class PersonalCalendar(models.Model):
    """A user's calendar settings: the time zone pages show times in, and their private .ics feed. Only a
    SHA-256 of the feed token is stored, so a copy of the database cannot be used to read anyone's feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_calendar"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    feed_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    feed_detail = models.BooleanField(
        default=False,
        help_text="Also put workshop titles and venues in the feed. Your calendar provider will see them.",
    )
    feed_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar of user {self.user_id}"


class Notification(models.Model):
    """A change waiting to be e-mailed. A person's changes of a few minutes are sent as one message."""

    person = models.ForeignKey("participants.Person", on_delete=models.CASCADE, related_name="notifications")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    created_at = models.DateTimeField(default=django_timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["person", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.workshop_id})"
