from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from participants.enums import ErasureOutcome, FacilitatorRole, FundingConsent, MemberRole, Proximity, Risk
from trackii.crypto import EncryptedTextField, blind_index
from trackii.datakeys import create_data_key, data_key_of
from trackii.scripts import script_label

EMAIL_INDEX_PURPOSE = "person.email"


class ThirdParty(models.Model):
    """The impartial organisation that convenes dialogues."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "third parties"

    def __str__(self) -> str:
        return self.short_name or self.name


class Person(models.Model):
    """Anyone Trackii knows. Who they are (name, contacts, notes) is encrypted at rest; the pseudonym is
    what shared views show. Most people have no login until they are invited."""

    pseudonym = models.CharField(
        max_length=32, unique=True, help_text='Used wherever a name is not needed, e.g. "P-17".'
    )
    name = EncryptedTextField()
    email = EncryptedTextField(null=True, blank=True)
    # Keyed hash of the normalised e-mail, so a person can be found by e-mail without storing it in clear.
    email_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = EncryptedTextField(null=True, blank=True)
    affiliation = EncryptedTextField(null=True, blank=True)
    notes = EncryptedTextField(null=True, blank=True)
    proximity = models.CharField(max_length=24, choices=Proximity.choices, default=Proximity.OTHER)
    risk = models.CharField(max_length=12, choices=Risk.choices, default=Risk.NORMAL)
    languages = models.JSONField(default=list, blank=True, help_text="Language codes, e.g. ['en', 'fr'].")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who the person is (name, contacts, notes, cut-off reasons) is encrypted under this key, which erasing
    # them destroys (decision 0025). Last of the fields: a bulk insert reads it after the encrypted fields
    # have made it (encryption_key_id).
    data_key = models.ForeignKey(
        "trackii.DataKey", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pseudonym"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs, admin lists and error reports.
        return self.pseudonym

    def save(self, *args, **kwargs) -> None:
        self.email_index = blind_index(self.email, purpose=EMAIL_INDEX_PURPOSE) if self.email else None
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_index"}
        if self.data_key_id is None and self.pk is None:
            self.data_key = create_data_key(purpose="person")
        super().save(*args, **kwargs)

    @property
    def encryption_key_id(self) -> str | None:
        """The person's data key, made here for a person inserted without save() (a bulk insert)."""
        if self.data_key_id is None:
            if self.pk is None:
                self.data_key = create_data_key(purpose="person")
            else:
                self.data_key_id = data_key_of(Person, self.pk, purpose="person")
        return self.data_key_id

    @classmethod
    def email_lookup(cls, email: str) -> Q:
        """A filter for the person with this e-mail (any case), through the keyed hash."""
        return Q(email_index=blind_index(email, purpose=EMAIL_INDEX_PURPOSE))


class PersonName(models.Model):
    """Another form of a person's name: the same name in another script or transliteration ("Корвин
    Астели" for "Korvin Asteli"). Encrypted like the main name, which stays on Person. No blind index: nothing
    looks a person up by a form of their name (the attribution guard reads every form of a dialogue's people
    at once), and a name is too guessable for a keyed hash of it to protect much (decision 0001).

    A form is recorded by a convenor of one dialogue (`recorded_in`): that dialogue's names page lists and
    removes only its own, so a convenor neither reads what another dialogue recorded nor weakens its guard.
    The guard of every dialogue the person is or was in looks for all of them: that only flags a text."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    # Part of that dialogue's roster, like a membership: it goes with the dialogue.
    recorded_in = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    name = EncryptedTextField()
    # The dominant Unicode script of its letters ("Cyrillic"), worked out when it is recorded.
    script = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "created_at", "pk"]

    def __str__(self) -> str:
        # Never the name (see Person.__str__).
        return f"Name form #{self.pk} of {self.person}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.recorded_in_id

    @property
    def encryption_key_id(self) -> str | None:
        """Under the dialogue that recorded it (decision 0025): destroying that dialogue destroys it."""
        dialogue = self._meta.get_field("recorded_in").related_model
        return data_key_of(dialogue, self.recorded_in_id, purpose="dialogue")

    @property
    def script_label(self) -> str:
        return script_label(self.script)


class Membership(models.Model):
    """A person's place in one dialogue: their side and role, what they agreed to, and the pseudonym they
    go by there (decision 0026): random, unique within the dialogue and unrelated to their pseudonym in any
    other, so two dialogues' pages cannot be put side by side to find the same person. `Person.pseudonym`, the
    account pseudonym, is for the auditors."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="memberships")
    pseudonym = models.CharField(
        max_length=32, help_text='What the dialogue\'s pages call the member, e.g. "P-7KQM".'
    )
    side = models.ForeignKey(
        "dialogues.Side", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.PARTICIPANT)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    ground_rules_accepted_at = models.DateTimeField(null=True, blank=True)
    funding_consent = models.CharField(
        max_length=12, choices=FundingConsent.choices, default=FundingConsent.PENDING
    )
    funding_consent_at = models.DateTimeField(null=True, blank=True)
    # Only when the person has agreed may other members see their name in this dialogue.
    named_in_dialogue = models.BooleanField(default=False)
    # Chosen by the convenor at removal, off by default: a former member still reads the sealed summaries of
    # the workshops they attended, and nothing else of the dialogue (dialogues.permissions.visible_summaries).
    keeps_sealed_summaries = models.BooleanField(default=False)

    class Meta:
        ordering = ["dialogue", "side", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "dialogue"], name="membership_one_per_person_and_dialogue"
            ),
            models.UniqueConstraint(
                fields=["dialogue", "pseudonym"], name="membership_pseudonym_once_per_dialogue"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_leaves_after_joining",
            ),
            # A participant speaks for a side; observers and resource persons may stand outside the sides.
            models.CheckConstraint(
                condition=~Q(role=MemberRole.PARTICIPANT) | Q(side__isnull=False),
                name="membership_participant_has_side",
            ),
            # Only someone who has left keeps anything: a member reads as a member.
            models.CheckConstraint(
                condition=Q(keeps_sealed_summaries=False) | Q(left_on__isnull=False),
                name="membership_keeps_summaries_only_once_left",
            ),
        ]
        # "The side belongs to this dialogue" is enforced by a database trigger (migration 0002).
        indexes = [models.Index(fields=["dialogue", "side"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.dialogue}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class Facilitator(models.Model):
    """A person's role for the Third Party in one dialogue: convenor, facilitator or rapporteur."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="facilitator_roles")
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="facilitators")
    role = models.CharField(max_length=12, choices=FacilitatorRole.choices)
    # Since when the person holds the role (a role taken away and given again starts anew): a destruction is
    # confirmed only by a convenor who held the role before it was requested (decision 0027).
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["dialogue", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "dialogue", "role"], name="facilitator_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.dialogue}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id


class CutOff(models.Model):
    """An emergency cut-off of one person from every dialogue, by a convenor of one they belong to. While it
    stands (not restored) the person cannot log in, cannot be invited, and is sent nothing; a convenor of a
    dialogue they belong to, or of the one it was made from, restores it. Who and when are kept for the
    rosters; why is encrypted."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cut_offs")
    # Where the convenor acted from: its convenors read the reason; elsewhere the roster says only when.
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()
    cut_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cut_off_at = models.DateTimeField()
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cut_off_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(restored_at__isnull=True),
                name="cut_off_one_standing_per_person",
            ),
            models.CheckConstraint(
                condition=Q(restored_at__isnull=True) | Q(restored_at__gte=F("cut_off_at")),
                name="cut_off_restored_after_cut",
            ),
        ]

    def __str__(self) -> str:
        return f"Cut-off #{self.pk} of {self.person}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id

    @property
    def encryption_key_id(self) -> str | None:
        """The reason is about the person: under their key, which erasing them destroys (decision 0025)."""
        return data_key_of(Person, self.person_id, purpose="person")


class ErasureRequest(models.Model):
    """A person asking for what Trackii holds about them to be erased (issue 23, decision 0028). A convenor of
    a dialogue they belong or belonged to answers it: erased (memberships ended, login disabled, the person's
    data key destroyed) or declined with a reason the person reads. Their message and the reason are
    encrypted; the audit rows name ids only."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasure_requests")
    requested_at = models.DateTimeField()
    # The person's own words, and the reason they are told: under the person's data key (decision 0025).
    message = EncryptedTextField(blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=ErasureOutcome.choices, blank=True, default="")
    decline_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request at a time: asking again while one waits adds nothing.
            models.UniqueConstraint(
                fields=["person"], condition=Q(outcome=""), name="erasure_request_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(handled_at__isnull=True))
                | (~Q(outcome="") & Q(handled_at__isnull=False)),
                name="erasure_request_handled_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request #{self.pk} of {self.person}"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def encryption_key_id(self) -> str | None:
        return data_key_of(Person, self.person_id, purpose="person")
