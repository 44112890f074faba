"""Scheduling: series, workshops, their agendas and invitations, and when people cannot come."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.templatetags.tz import do_timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dialogues.enums import InvitationStatus, WorkshopFormat, WorkshopStatus
from dialogues.models.dialogue import Dialogue, EncryptedInItsDialogue
from dialogues.validators import validate_timezone
from trackii.crypto import EncryptedTextField


class WorkshopSeries(EncryptedInItsDialogue, models.Model):
    """An ordered run of workshops within a dialogue: a phase, or a sub-group. Its title is unique in its
    dialogue (create_series checks it: an encrypted title cannot be a database constraint)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="series")
    title = EncryptedTextField(max_length=200)
    description = EncryptedTextField(blank=True, default="")
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["dialogue", "position", "id"]
        verbose_name_plural = "workshop series"
        constraints = [
            # E-mails and calendar feeds tell series apart by position alone (Workshop.neutral_label).
            models.UniqueConstraint(
                fields=["dialogue", "position"], name="series_position_unique_in_dialogue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.title}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class Workshop(EncryptedInItsDialogue, models.Model):
    """One problem-solving workshop. Times are stored in UTC; `timezone` is the venue's, for display."""

    series = models.ForeignKey(WorkshopSeries, on_delete=models.CASCADE, related_name="workshops")
    number = models.PositiveIntegerField()
    title = EncryptedTextField(max_length=200, blank=True, default="")
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
        return self.neutral_label

    @property
    def label(self) -> str:
        """How a page names the workshop for someone who may see its series: "Listening circles · workshop 1".
        Numbers start again in every series, so "workshop 1" alone can mean two workshops."""
        return _("%(series)s · workshop %(number)s") % {"series": self.series.title, "number": self.number}

    @property
    def neutral_label(self) -> str:
        """How whatever leaves Trackii names it (e-mail subjects, calendar feeds, phones, mail servers):
        "lanternfield · series 2 · workshop 1". The series goes by its position, never its title, which can
        say what the dialogue is about (decision 0004)."""
        return f"{self.series.dialogue.codename} · series {self.series.position} · workshop {self.number}"

    @property
    def neutral_label_translated(self) -> str:
        """`neutral_label` in the active language, for what a person reads (an e-mail, their calendar feed).
        `neutral_label` itself stays English: it goes into seals and audit labels."""
        return _("%(codename)s · series %(position)s · workshop %(number)s") % {
            "codename": self.series.dialogue.codename,
            "position": self.series.position,
            "number": self.number,
        }

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


class AgendaItem(EncryptedInItsDialogue, models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField()
    title = EncryptedTextField(max_length=200)
    description = EncryptedTextField(blank=True, default="")
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    facilitators_only = models.BooleanField(
        default=False, help_text="Hidden from participants: for the facilitation team's own planning."
    )
    # Which day of the workshop (1 = the day it starts, on the venue's clock) and, if set, the time of day it
    # starts on the venue's clock. Without a time an item follows the one before it on the same day.
    day = models.PositiveSmallIntegerField(default=1)
    starts_at_time = models.TimeField(null=True, blank=True)

    class Meta:
        # The agenda's order: by day, then by time (items without one after the timed ones, in the order the
        # facilitators gave them), then by position.
        ordering = ["workshop", "day", F("starts_at_time").asc(nulls_last=True), "position", "id"]
        indexes = [models.Index(fields=["workshop", "position"])]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=1), name="agenda_item_day_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="agenda_item_duration_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def encryption_dialogue_id(self) -> int | None:
        """Its workshop's dialogue: from the workshop already loaded, else in one query."""
        if AgendaItem.workshop.is_cached(self):
            return self.workshop.audit_dialogue_id
        return (
            Workshop.objects.filter(pk=self.workshop_id).values_list("series__dialogue_id", flat=True).first()
        )


class Invitation(EncryptedInItsDialogue, models.Model):
    """A person invited to one workshop: invited → accepted / declined → attended / absent."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("participants.Person", on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(
        max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    availability_note = EncryptedTextField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Set when a facilitator recorded the answer of someone without a login; their own answer clears it.
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
