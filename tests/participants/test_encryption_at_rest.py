"""A database dump must not contain a person's name, contacts, notes or a venue in clear."""

import pytest
from django.db import connection

from tests.factories import InvitationFactory, MembershipFactory, PersonFactory, WorkshopFactory
from tests.helpers import pg_dump

SECRETS = {
    "name": "Ysolde Marrakand-Vey",
    "email": "ysolde.vey@example.org",
    "phone": "+99 555 0199 42",
    "affiliation": "Veloria Maritime Institute",
    "notes": "Prefers to travel via Fjordhaven",
}
VENUE = "Harrowgate Lodge, Fjordhaven, room 7"
NOTE = "Only available after the 14th"


def _seed():
    person = PersonFactory(**SECRETS)
    MembershipFactory(person=person)
    workshop = WorkshopFactory(venue=VENUE)
    InvitationFactory(workshop=workshop, person=person, availability_note=NOTE)
    return person


def _needles() -> list[str]:
    return [*SECRETS.values(), VENUE, NOTE, SECRETS["email"].upper()]


@pytest.mark.django_db
def test_raw_rows_hold_no_plaintext():
    person = _seed()
    tables = ["participants_person", "dialogues_workshop", "dialogues_invitation", "participants_membership"]
    with connection.cursor() as cursor:
        for table in tables:
            # Each whole row as text, bytea columns included (as hex): bypasses the ORM, which decrypts.
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 - fixed table names
            dump = "\n".join(row[0] for row in cursor.fetchall())
            for needle in _needles():
                assert needle not in dump and needle.encode().hex() not in dump, (table, needle)
    person.refresh_from_db()
    assert person.name == SECRETS["name"]


@pytest.mark.django_db(transaction=True)
def test_pg_dump_holds_no_plaintext():
    _seed()
    dump = pg_dump()
    assert "participants_person" in dump
    for needle in _needles():
        assert needle not in dump, needle
        assert needle.encode().hex() not in dump, needle
