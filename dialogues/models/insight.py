"""Programme insight: what the facilitators record beside the workshops (issue 21)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dialogues.enums import RipenessKind
from dialogues.models.dialogue import Dialogue, EncryptedInItsDialogue
from trackii.crypto import EncryptedTextField

# The log is about the official process of a conflict since the end of the Second World War; an earlier
# date is a typing mistake. (How far ahead an entry may go is relative to today: the service checks it.)
RIPENESS_EARLIEST = dt.date(1945, 1, 1)
RIPENESS_TEXT_LENGTH = 2000


class RipenessEntry(EncryptedInItsDialogue, models.Model):
    """One dated entry of a dialogue's ripeness log: what the official process did (talks opened, an election,
    a ceasefire), in the facilitators' words, encrypted at rest like other notes."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="ripeness_entries")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=24, choices=RipenessKind.choices)
    text = EncryptedTextField(help_text="What happened, in the facilitators' words. Confidential.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dialogue", "-occurred_on", "-id"]
        verbose_name_plural = "ripeness entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_on__gte=RIPENESS_EARLIEST), name="ripeness_entry_not_before_1945"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RipenessKind.values), name="ripeness_entry_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["dialogue", "occurred_on"], name="ripeness_entry_by_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on.isoformat()}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.dialogue_id
