"""Summaries: drafts under review, sealed copies, who read them, and the outcomes recorded from them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dialogues.enums import OutcomeKind, OutcomeStage, ReviewCommentStatus, SummaryStatus
from dialogues.languages import CHOICES as LANGUAGE_CHOICES
from dialogues.languages import DEFAULT as DEFAULT_LANGUAGE
from dialogues.models.dialogue import Dialogue, EncryptedInItsDialogue
from dialogues.models.scheduling import Workshop
from trackii.crypto import EncryptedTextField


class Summary(EncryptedInItsDialogue, models.Model):
    """A versioned, non-attributed record of a workshop. Once sealed it never changes: an amendment is a new
    version that supersedes it (enforced here and by a database trigger, migration 0002)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="summaries")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    body = EncryptedTextField(blank=True, default="", help_text="Markdown. Never name who said what.")
    # The language `body` is written in (dialogues/languages.py); parallel versions in other languages are
    # SummaryTranslation rows, sealed with it under the one seal.
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    review_deadline = models.DateTimeField(null=True, blank=True)
    # The facilitators' steering of the review round (dialogues/summaries/steering/): an early close and
    # its reason (encrypted: it is free text, shown to the reviewers), and the last reminder sent.
    review_closed_early_at = models.DateTimeField(null=True, blank=True)
    review_close_reason = EncryptedTextField(blank=True, default="")
    review_reminded_at = models.DateTimeField(null=True, blank=True)
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
        "language",
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


class SummaryTranslation(EncryptedInItsDialogue, models.Model):
    """A parallel version of a summary in another language: drafted, reviewed and sealed with it, never on its
    own. Frozen with its summary once sealed (an amendment copies it into the new version)."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    body = EncryptedTextField(blank=True, default="", help_text="Markdown. Never name who said what.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summary", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "language"], name="summary_translation_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} version of {self.summary}"

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_sealed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_sealed()
        return super().delete(*args, **kwargs)

    def _refuse_if_sealed(self) -> None:
        stored = Summary.objects.filter(pk=self.summary_id).values_list("status", flat=True).first()
        if stored in {SummaryStatus.SEALING, SummaryStatus.SEALED, SummaryStatus.SUPERSEDED}:
            raise ValidationError(
                _("A sealed summary cannot be changed. Amend it with a new version instead.")
            )

    @property
    def encryption_dialogue_id(self) -> int:
        return self.summary.workshop.series.dialogue_id


class SummaryUserObjectPermission(UserObjectPermissionBase):
    """A summary's audience: its reviewers while in review, its frozen audience once sealed."""

    content_object = models.ForeignKey(Summary, on_delete=models.CASCADE)


class SummaryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Summary, on_delete=models.CASCADE)


class ReviewComment(EncryptedInItsDialogue, models.Model):
    """A participant's comment or suggested correction on a draft, anchored to a section."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="review_comments"
    )
    # Under the dialogue's key like the rest of the comment (a heading quotes the summary; dialogues 0019).
    section = EncryptedTextField(
        max_length=200, blank=True, default="", help_text="The heading the comment refers to."
    )
    # Which version the comment is about: the summary's main language, or one of its parallel versions.
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, blank=True, default="")
    # A participant's own words about what was said in the room: encrypted like the summary itself.
    body = EncryptedTextField()
    suggested_text = EncryptedTextField(blank=True, default="")
    # The passage of the draft that `suggested_text` replaces, word for word: with both, a facilitator
    # applies an accepted correction in one step (`applied_at`).
    quote = EncryptedTextField(blank=True, default="")
    applied_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def encryption_dialogue_id(self) -> int:
        return self.summary.workshop.series.dialogue_id


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


class SummaryCopy(EncryptedInItsDialogue, models.Model):
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


class Outcome(EncryptedInItsDialogue, models.Model):
    """What the process produced; a transfer records an idea or a person moving into official diplomacy."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="outcomes")
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    kind = models.CharField(max_length=24, choices=OutcomeKind.choices)
    stage = models.CharField(max_length=12, choices=OutcomeStage.choices, default=OutcomeStage.IDEA)
    title = EncryptedTextField(max_length=200)
    description = EncryptedTextField(blank=True, default="")
    # Plain: the check constraint below reads it.
    transfer_to = models.CharField(
        max_length=200, blank=True, help_text="Who in official diplomacy received it."
    )
    transfer_via = EncryptedTextField(
        max_length=200, blank=True, default="", help_text="Through whom it travelled."
    )
    transferred_on = models.DateField(null=True, blank=True)
    evidence = EncryptedTextField(blank=True, default="")
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
