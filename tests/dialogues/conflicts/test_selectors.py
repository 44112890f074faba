"""Clashes of people with a workshop: the facilitation team and invitees booked at another workshop on the
same days (in any dialogue), or unavailable then; named only where the viewer plans the other dialogue."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import services
from dialogues.conflicts import selectors
from dialogues.enums import DialogueRole, WorkshopStatus
from dialogues.models import Unavailability
from dialogues.permissions import dialogue_access
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member, pseudonym_in
from tests.dialogues.helpers import two_sided as _two_sided
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

OSLO, MONTEVIDEO = zoneinfo.ZoneInfo("Europe/Oslo"), zoneinfo.ZoneInfo("America/Montevideo")


def _at(day: int, hour: int, tz=OSLO) -> dt.datetime:
    return dt.datetime(2031, 3, day, hour, tzinfo=tz)


def _workshop(dialogue, first: int, last: int, tz=OSLO, **fields):
    return WorkshopFactory(
        series__dialogue=dialogue,
        starts_at=_at(first, 9, tz),
        ends_at=_at(last, 17, tz),
        timezone=str(tz),
        **fields,
    )


def _staff(person, dialogue, role=DialogueRole.FACILITATOR):
    services.assign_role(dialogue=dialogue, person=person, role=role, by=None)


@pytest.fixture
def oslo_and_montevideo():
    """Pia Berg (P-3) facilitates both dialogues; the convenor of Oslo's, Ola Dahl, plans only Oslo's. The
    facilitation team has no membership, so no pseudonym in either: clashes name them (decision 0026)."""
    oslo = DialogueFactory(codename="fjordline", title="Northern waters talks")
    elsewhere = DialogueFactory(codename="riverstone", title="Tamsa river basin talks")
    convenor = member(oslo, role=DialogueRole.CONVENOR, pseudonym="P-1", name="Ola Dahl")
    p3 = PersonFactory(pseudonym="P-3", name="Pia Berg", user=UserFactory())
    _staff(p3, oslo)
    _staff(p3, elsewhere)
    here = _workshop(oslo, 12, 14)
    there = _workshop(elsewhere, 13, 15, tz=MONTEVIDEO, venue="Hotel Carrasco, Montevideo")
    return oslo, elsewhere, convenor, p3, here, there


def test_a_facilitator_booked_in_a_dialogue_the_viewer_cannot_see_is_shown_without_naming_it(
    oslo_and_montevideo,
):
    _oslo, _elsewhere, convenor, _p3, here, _there = oslo_and_montevideo
    found = selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk]
    assert [c.problem for c in found] == [
        "Pia Berg (facilitation team) is booked at another workshop on 13\u201315 Mar 2031."
    ]
    clash = found[0]
    assert clash.where is None and clash.other_dialogue_id is None and clash.other_workshop_id is None
    text = repr(found) + clash.advice
    for secret in ("riverstone", "Tamsa", "Carrasco", "Montevideo"):
        assert secret not in text


def test_the_codename_of_a_dialogue_the_viewer_cannot_see_never_leaves_the_database(oslo_and_montevideo):
    _oslo, _elsewhere, convenor, _p3, here, _there = oslo_and_montevideo
    access = dialogue_access(convenor.user)
    with CaptureQueriesContext(connection) as queries:
        selectors.clashes(workshops=[here], access=access)
    assert len(queries) == 1
    rows = selectors._rows(
        subjects=[here], planned=access.dialogues_with("view_all_workshops"), candidates=True
    )
    assert "riverstone" not in repr(rows)


def test_a_dialogue_the_viewer_plans_is_named_with_its_workshop(oslo_and_montevideo):
    _oslo, elsewhere, convenor, _p3, here, there = oslo_and_montevideo
    _staff(convenor, elsewhere)  # now they plan it, and are booked there too
    found = selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk]
    assert [c.pseudonym for c in found] == ["Ola Dahl", "Pia Berg"]  # the team by name, never "P-1"
    clash = found[1]
    assert clash.problem == (
        f"Pia Berg (facilitation team) is booked at riverstone workshop {there.number} "
        "on 13\u201315 Mar 2031."
    )
    assert (clash.other_dialogue_id, clash.other_workshop_id) == (elsewhere.pk, there.pk)


def test_same_days_on_each_venues_clock_clash_though_the_hours_do_not_overlap(oslo_and_montevideo):
    _oslo, _elsewhere, convenor, _p3, here, there = oslo_and_montevideo
    # Montevideo: from 8:00 to 10:00 on 14 March, local; Oslo ends at 17:00 on 14 March, local.
    there.starts_at, there.ends_at = _at(14, 8, MONTEVIDEO), _at(14, 10, MONTEVIDEO)
    there.save()
    here.ends_at = _at(14, 10)
    here.save()
    assert here.ends_at < there.starts_at
    assert [
        c.first for c in selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk]
    ] == [dt.date(2031, 3, 14)]
    there.starts_at, there.ends_at = _at(15, 8, MONTEVIDEO), _at(16, 10, MONTEVIDEO)
    there.save()
    assert selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk] == []


def test_cancelled_and_declined_bookings_and_other_days_do_not_clash(oslo_and_montevideo):
    oslo, elsewhere, convenor, _p3, here, there = oslo_and_montevideo
    there.status = WorkshopStatus.CANCELLED
    there.save()
    later = _workshop(elsewhere, 20, 22)
    participant = member(oslo, pseudonym="P-9")
    third = DialogueFactory()
    services.assign_role(dialogue=third, person=participant, role=DialogueRole.PARTICIPANT,
                         side=SideFactory(dialogue=third), by=None)  # fmt: skip
    declined = _workshop(third, 12, 12)
    scheduling_services.invite_people(workshop=here, people=[participant], by=None)
    [invitation] = scheduling_services.invite_people(workshop=declined, people=[participant], by=None)
    scheduling_services.respond_to_invitation(invitation=invitation, status="declined", by=None)
    assert later and selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk] == []


def test_invitees_and_candidates_clash_with_invitations_and_unavailable_dates(oslo_and_montevideo):
    oslo, _elsewhere, convenor, _p3, here, _there = oslo_and_montevideo
    north = SideFactory(dialogue=oslo, name="North")
    invited = member(oslo, north, pseudonym="P-17")
    candidate = member(oslo, north, pseudonym="P-18")
    called = pseudonym_in(oslo, invited)  # what Oslo's pages call them, not "P-17" (decision 0026)
    scheduling_services.invite_people(workshop=here, people=[invited], by=None)
    other = DialogueFactory(codename="saltmarsh")
    for person in (invited, candidate):
        services.assign_role(dialogue=other, person=person, role=DialogueRole.PARTICIPANT,
                             side=SideFactory(dialogue=other), by=None)  # fmt: skip
    clashing = _workshop(other, 14, 14)
    scheduling_services.invite_people(workshop=clashing, people=[invited, candidate], by=None)
    Unavailability.objects.create(
        person=candidate, starts_on=dt.date(2031, 3, 10), ends_on=dt.date(2031, 3, 12)
    )
    Unavailability.objects.create(
        person=candidate, starts_on=dt.date(2031, 4, 1), ends_on=dt.date(2031, 4, 2)
    )
    access = dialogue_access(convenor.user)

    without = selectors.clashes(workshops=[here], access=access)[here.pk]
    assert [(c.pseudonym, c.role) for c in without] == [("Pia Berg", "staff"), (called, "invited")]
    assert without[1].problem == f"{called} is booked at another workshop on 14 Mar 2031."
    assert "P-17" not in repr(without)

    found = selectors.by_person(selectors.clashes(workshops=[here], access=access, candidates=True)[here.pk])
    assert [c.note for c in found[candidate.pk]] == [
        "booked at another workshop on 14 Mar 2031",
        "unavailable 10\u201312 Mar 2031",
    ]
    assert {c.role for c in found[candidate.pk]} == {"member"}


def test_several_hidden_bookings_read_as_one_line_with_no_count(oslo_and_montevideo):
    _oslo, elsewhere, convenor, p3, here, _there = oslo_and_montevideo
    _workshop(elsewhere, 12, 12)
    third = DialogueFactory(codename="ashgrove")
    _staff(p3, third)
    _workshop(third, 14, 14)
    found = selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk]
    assert [c.problem for c in found] == [
        "Pia Berg (facilitation team) is booked at another workshop on 12\u201315 Mar 2031."
    ]


def test_another_workshop_of_the_same_dialogue_is_named_as_such(oslo_and_montevideo):
    oslo, _elsewhere, convenor, _p3, here, _there = oslo_and_montevideo
    parallel = _workshop(oslo, 14, 14)
    found = selectors.clashes(workshops=[here], access=dialogue_access(convenor.user))[here.pk]
    problems = [c.problem for c in found]
    assert (
        f"Ola Dahl (facilitation team) is booked at workshop {parallel.number} of this dialogue "
        "on 14 Mar 2031." in problems
    )
    assert (
        f"Pia Berg (facilitation team) is booked at workshop {parallel.number} of this dialogue "
        "on 14 Mar 2031." in problems
    )


def test_a_move_is_read_on_an_unsaved_copy_and_past_or_cancelled_workshops_have_none(oslo_and_montevideo):
    _oslo, _elsewhere, convenor, _p3, here, _there = oslo_and_montevideo
    access = dialogue_access(convenor.user)
    moved = type(here)(pk=here.pk, series=here.series, status=here.status, timezone="Europe/Oslo",
                       starts_at=_at(20, 9), ends_at=_at(21, 17))  # fmt: skip
    assert selectors.clashes(workshops=[moved], access=access)[here.pk] == []
    here.status = WorkshopStatus.HELD
    assert selectors.clashes(workshops=[here], access=access) == {}


@pytest.mark.parametrize("count", [1, 8])
def test_one_query_whatever_the_number_of_workshops_people_and_bookings(count, django_assert_num_queries):
    dialogue, north, _south = _two_sided()
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    workshops = [_workshop(dialogue, 10 + n, 10 + n) for n in range(count)]
    people = [member(dialogue, north) for _ in range(count)]
    for workshop in workshops:
        scheduling_services.invite_people(workshop=workshop, people=people, by=None)
    access = dialogue_access(convenor.user)
    with django_assert_num_queries(1):
        found = selectors.clashes(workshops=workshops, access=access, candidates=True)
    assert len(found) == count


def test_days_are_written_as_a_facilitator_writes_them():
    d = dt.date
    assert selectors.days(d(2031, 3, 12), d(2031, 3, 12)) == "12 Mar 2031"
    assert selectors.days(d(2031, 2, 28), d(2031, 3, 2)) == "28 Feb \u2013 2 Mar 2031"
    assert selectors.days(d(2031, 12, 30), d(2032, 1, 2)) == "30 Dec 2031 \u2013 2 Jan 2032"
