"""Rules the database itself enforces, hit through the ORM and through raw SQL."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dialogues.enums import OutcomeKind, SummaryStatus
from dialogues.models import Summary, Workshop
from tests.factories import (
    DialogueFactory,
    MembershipFactory,
    OutcomeFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    SummaryFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def test_workshop_must_end_after_it_starts():
    starts = timezone.now()
    with pytest.raises(IntegrityError, match="workshop_ends_after_start"):
        WorkshopFactory(starts_at=starts, ends_at=starts)


def test_workshop_numbers_are_unique_in_a_series():
    series = SeriesFactory()
    WorkshopFactory(series=series, number=1)
    with pytest.raises(IntegrityError, match="workshop_number_unique_in_series"):
        WorkshopFactory(series=series, number=1)


def test_workshop_numbers_may_repeat_across_series():
    WorkshopFactory(series=SeriesFactory(), number=1)
    WorkshopFactory(series=SeriesFactory(), number=1)
    assert Workshop.objects.filter(number=1).count() == 2


def test_person_has_one_membership_per_dialogue():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError, match="membership_one_per_person_and_dialogue"):
        MembershipFactory(person=membership.person, dialogue=membership.dialogue, side=membership.side)


def test_membership_side_must_belong_to_its_dialogue():
    other_side = SideFactory()
    with pytest.raises(IntegrityError, match="does not belong"):
        MembershipFactory(dialogue=DialogueFactory(), side=other_side)


def test_membership_side_cannot_be_moved_to_another_dialogue_by_raw_sql():
    membership = MembershipFactory()
    other_side = SideFactory()
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participants_membership SET side_id = %s WHERE id = %s", [other_side.pk, membership.pk]
        )


def test_participant_membership_needs_a_side():
    with pytest.raises(IntegrityError, match="membership_participant_has_side"):
        MembershipFactory(side=None)


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError, match="membership_leaves_after_joining"):
        MembershipFactory(joined_on=dt.date(2026, 5, 1), left_on=dt.date(2026, 4, 1))


def test_transfer_outcome_must_name_its_recipient():
    with pytest.raises(IntegrityError, match="outcome_transfer_names_recipient"):
        OutcomeFactory(kind=OutcomeKind.TRANSFER, transfer_to="")


def _sealed_summary() -> Summary:
    summary = SummaryFactory()
    Summary.objects.filter(pk=summary.pk).update(
        status=SummaryStatus.SEALED, sealed_at=timezone.now(), sealed_sha256="a" * 64
    )
    summary.refresh_from_db()
    return summary


def test_sealed_summary_needs_its_seal_recorded():
    with pytest.raises(IntegrityError, match="summary_sealed_has_seal"):
        SummaryFactory(status=SummaryStatus.SEALED)


def test_sealed_summary_body_cannot_change_through_the_model():
    summary = _sealed_summary()
    summary.body = "Rewritten after the fact"
    with pytest.raises(ValidationError, match="cannot be changed"):
        summary.save()


def test_sealed_summary_body_cannot_change_through_raw_sql():
    summary = _sealed_summary()
    with pytest.raises(IntegrityError, match="sealed"), connection.cursor() as cursor:
        cursor.execute("UPDATE dialogues_summary SET body = 'rewritten' WHERE id = %s", [summary.pk])


def test_sealed_summary_language_cannot_change_through_raw_sql():
    summary = _sealed_summary()
    with pytest.raises(IntegrityError, match="sealed"), connection.cursor() as cursor:
        cursor.execute("UPDATE dialogues_summary SET language = 'ru' WHERE id = %s", [summary.pk])


def test_sealed_summary_cannot_be_deleted_or_unsealed():
    summary = _sealed_summary()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Summary.objects.filter(pk=summary.pk).delete()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Summary.objects.filter(pk=summary.pk).update(status=SummaryStatus.DRAFT)


def test_sealed_summary_may_become_superseded():
    summary = _sealed_summary()
    Summary.objects.filter(pk=summary.pk).update(status=SummaryStatus.SUPERSEDED)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUPERSEDED


def test_summary_versions_are_unique_per_workshop():
    summary = SummaryFactory()
    with pytest.raises(IntegrityError, match="summary_version_unique"):
        SummaryFactory(workshop=summary.workshop, version=summary.version)


def test_person_str_is_the_pseudonym_never_the_name():
    person = PersonFactory(pseudonym="P-99", name="Aurelia Testname")
    assert str(person) == "P-99"


def test_sealed_summary_refuses_a_full_save_in_words_and_allows_superseding_by_name():
    summary = _sealed_summary()
    with pytest.raises(ValidationError, match="cannot be changed"):
        summary.save()  # even unchanged: the body would be written again, encrypted afresh
    summary.status = SummaryStatus.SUPERSEDED
    summary.save(update_fields=["status"])
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUPERSEDED


def test_a_workshop_is_named_with_its_series_on_pages_and_by_positions_outside():
    dialogue = DialogueFactory(codename="lanternfield")
    SeriesFactory(dialogue=dialogue, title="Listening circles")
    workshop = WorkshopFactory(series=SeriesFactory(dialogue=dialogue, title="Joint radio"), number=1)
    assert workshop.series.position == 2
    assert workshop.label == "Joint radio · workshop 1"
    assert workshop.neutral_label == str(workshop) == "lanternfield · series 2 · workshop 1"
