"""What a dialogue is: the dialogue itself, its sides, and break-glass access to it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dialogues.enums import DialogueStatus, Objective, Sensitivity, Track
from trackii.crypto import EncryptedTextField
from trackii.datakeys import create_data_key, data_key_of

CHATHAM_HOUSE_RULE = (
    "When a meeting, or part thereof, is held under the Chatham House Rule, participants are free to use the "
    "information received, but neither the identity nor the affiliation of the speaker(s), nor that of any "
    "other participant, may be revealed."
)


class Dialogue(models.Model):
    """One Track Two programme. Outside Trackii (e-mails, feeds, file names) only its codename is used."""

    # The dialogue's own words are under its data key (decision 0025), so destroying it leaves only the
    # codename: the neutral name, plain because e-mails, feeds, file names and audit labels use it.
    title = EncryptedTextField(max_length=200)
    codename = models.SlugField(
        max_length=40, unique=True, help_text="Neutral name used in e-mails, calendar feeds and file names."
    )
    track = models.CharField(max_length=12, choices=Track.choices, default=Track.TRACK_2)
    objective = models.CharField(max_length=16, choices=Objective.choices, default=Objective.MIXED)
    conflict = EncryptedTextField(
        blank=True, default="", help_text="The conflict this dialogue addresses, in your own words."
    )
    sensitivity = models.CharField(
        max_length=24, choices=Sensitivity.choices, default=Sensitivity.CONFIDENTIAL
    )
    status = models.CharField(max_length=12, choices=DialogueStatus.choices, default=DialogueStatus.SCOPING)
    ground_rules = EncryptedTextField(default=CHATHAM_HOUSE_RULE)
    third_party = models.ForeignKey(
        "participants.ThirdParty", on_delete=models.PROTECT, related_name="dialogues"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it became concluded: the retention setting counts from here (issue 23).
    concluded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Everything of the dialogue that is encrypted is under this key (decision 0025); destroying the
    # dialogue destroys it. Made with the dialogue.
    data_key = models.ForeignKey(
        "trackii.DataKey", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

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

    def save(self, *args, **kwargs) -> None:
        if self.data_key_id is None:
            self.data_key = create_data_key(purpose="dialogue")
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "data_key"}
        super().save(*args, **kwargs)  # the key exists before its fields are encrypted under it

    @property
    def encryption_key_id(self) -> str:
        """The dialogue's own data key: its title, conflict and ground rules are under it. Made here when
        missing, for ``bulk_create`` (which skips ``save()`` but encrypts each field through this)."""
        if self.data_key_id is None:
            self.data_key = create_data_key(purpose="dialogue")
        return self.data_key_id

    @property
    def audit_dialogue_id(self) -> int:
        return self.pk


class EncryptedInItsDialogue:
    """For a model whose encrypted fields belong to one dialogue: they are encrypted under that dialogue's
    data key (decision 0025), the dialogue ``encryption_dialogue_id`` names (by default the one its audit
    rows name, ``audit_dialogue_id``)."""

    @property
    def encryption_dialogue_id(self) -> int | None:
        return self.audit_dialogue_id

    @property
    def encryption_key_id(self) -> str | None:
        cached = self.__dict__.get("_encryption_key_id")
        if cached is None:
            cached = data_key_of(Dialogue, self.encryption_dialogue_id, purpose="dialogue")
            self.__dict__["_encryption_key_id"] = cached
        return cached


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
