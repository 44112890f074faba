"""The road an outcome travelled towards Track One: one step per stage it reached, with the day, the channel
it went through and the members who carried it (issue 21, the transfer pipeline). ``Outcome.stage`` stays the
furthest stage reached; the steps are its history."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from dialogues.enums import OUTCOME_STAGES, OutcomeStage
from dialogues.models.dialogue import EncryptedInItsDialogue
from dialogues.models.summaries import Outcome
from trackii.crypto import EncryptedTextField
from trackii.inputs import plain_text

CHANNEL_LENGTH = 200
NOTE_LENGTH = 2000


def stage_position(stage: str) -> int:
    """1 for the first stage (idea raised) to 5 for the last (reflected in an official outcome)."""
    return OUTCOME_STAGES.index(stage) + 1


# The rules are trackii.inputs.plain_text's, as for the ripeness log: control characters, bidi overrides and
# isolates refused; joiners (Persian needs U+200C) kept. Markup and formula starts are stored as typed: pages
# escape them, and trackii.charts.export.csv_safe defuses a formula in any CSV. (Migration 0012 names
# validate_line, so it stays as the model field's validator.)
def validate_line(value: str) -> None:
    """One line of plain text, by trackii.inputs.plain_text."""
    plain_text(value, multiline=False)


def validate_note(value: str) -> None:
    """Several lines of plain text (new lines and tabs), by trackii.inputs.plain_text."""
    plain_text(value)


class OutcomeStep(EncryptedInItsDialogue, models.Model):
    """One stage an outcome reached: when, how it travelled, and who carried it (members, by pseudonym)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=12, choices=OutcomeStage.choices)
    # The stage's place in the pipeline, kept beside it so the database can compare steps' order and dates.
    position = models.PositiveSmallIntegerField(editable=False)
    reached_on = models.DateField()
    # Under the dialogue's key (dialogues 0019): how it travelled is as telling as what it was.
    channel = EncryptedTextField(
        max_length=CHANNEL_LENGTH,
        blank=True,
        default="",
        validators=[validate_line],
        help_text='How it travelled, e.g. "briefing to the foreign ministry". No names: carriers are '
        "chosen by pseudonym.",
    )
    carriers = models.ManyToManyField("participants.Person", blank=True, related_name="carried_outcome_steps")
    note = EncryptedTextField(
        blank=True, default="", validators=[validate_note, MaxLengthValidator(NOTE_LENGTH)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outcome", "position"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "stage"], name="outcome_step_once_per_stage"),
            models.CheckConstraint(
                condition=Q(
                    *(Q(stage=stage, position=n) for n, stage in enumerate(OUTCOME_STAGES, start=1)),
                    _connector=Q.OR,
                ),
                name="outcome_step_position_is_stage",
            ),
        ]
        # A step's day not before the previous stage's (nor after the next one's) spans rows: a trigger,
        # migration 0012.

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_stage_display()}"

    def save(self, *args, **kwargs):
        self.position = stage_position(self.stage)
        super().save(*args, **kwargs)

    @property
    def audit_dialogue_id(self) -> int:
        return self.outcome.dialogue_id
