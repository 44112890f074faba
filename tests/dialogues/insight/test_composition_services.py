"""record_export: one audit row per CSV download of an insight table, naming the table and nothing else."""

import pytest

from dialogues.insight.services import record_export
from tests.factories import DialogueFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_export_audits_the_table_with_the_dialogue_as_target():
    dialogue, user = DialogueFactory(), UserFactory()
    record_export(by=user, dialogue=dialogue, table="balance")
    row = AuditEvent.objects.get(action=Action.INSIGHT_EXPORTED)
    assert (row.actor_id, row.target_type, row.target_id, row.dialogue_id) == (
        user.pk,
        "dialogues.dialogue",
        str(dialogue.pk),
        dialogue.pk,
    )
    assert row.detail == {"table": "balance"}


def test_record_export_across_the_programme_has_no_dialogue():
    user = UserFactory()
    record_export(by=user, dialogue=None, table="usual-suspects")
    row = AuditEvent.objects.get(action=Action.INSIGHT_EXPORTED)
    assert (row.target_type, row.target_id, row.dialogue_id, row.detail) == (
        "dialogues.programme_insight",
        "",
        None,
        {"table": "usual-suspects"},
    )
