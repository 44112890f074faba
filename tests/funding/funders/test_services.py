import pytest
from django.core.exceptions import ValidationError

from funding.enums import FunderKind
from funding.funders import services as funder_services
from funding.grants import selectors as grant_selectors
from tests.factories import (
    GrantFactory,
    PersonFactory,
    UserFactory,
)
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_funder_names_are_unique_whatever_the_case():
    funder_services.record_funder(
        name="Aldmere Peace Foundation", kind=FunderKind.FOUNDATION, by=UserFactory()
    )
    with pytest.raises(ValidationError, match="already recorded"):
        funder_services.record_funder(
            name="aldmere  peace foundation", kind=FunderKind.FOUNDATION, by=UserFactory()
        )


def test_officers_take_part_in_no_dialogue_and_are_not_staff(place):
    with pytest.raises(ValidationError, match="takes part in a dialogue"):
        funder_services.add_officer(funder=place.funder, person=place.participants[0], by=place.convenor.user)
    with pytest.raises(ValidationError, match="takes part in a dialogue"):
        funder_services.add_officer(funder=place.funder, person=place.convenor, by=place.convenor.user)
    auditor = PersonFactory(user=UserFactory(is_staff=True))
    with pytest.raises(ValidationError, match="Auditors and administrators"):
        funder_services.add_officer(funder=place.funder, person=auditor, by=place.convenor.user)


def test_removing_an_officer_ends_their_access_at_once(place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    funder_services.sync_funder_access(funder=place.funder)
    assert list(grant_selectors.grants_for_user(user=place.officer.user)) == [grant]
    funder_services.remove_officer(funder=place.funder, person=place.officer, by=place.convenor.user)
    assert not grant_selectors.grants_for_user(user=place.officer.user).exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="funder_officer")] == [
        "funder_officer_added",
        "funder_officer_removed",
    ]
