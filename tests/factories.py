"""factory_boy factories for Trackii's domain. Each builds a valid object with the fewest related rows."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from dialogues.enums import RipenessKind, WorkshopStatus
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Invitation,
    Outcome,
    RipenessEntry,
    Side,
    Summary,
    Workshop,
    WorkshopSeries,
)
from funding.enums import ConditionKind, ExpenseCategory, FunderKind
from funding.models import Condition, Expense, Funder, Grant
from participants.enums import FacilitatorRole, MemberRole
from participants.models import Facilitator, Membership, Person, ThirdParty
from participants.selectors import random_dialogue_pseudonym
from trackii.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("a-long-test-passphrase-42")


class ThirdPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThirdParty
        django_get_or_create = ["name"]

    name = "Halden Centre for Dialogue"
    short_name = "Halden"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    pseudonym = factory.Sequence(lambda n: f"T-{n}")
    name = factory.Sequence(lambda n: f"Testperson Number{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    title = factory.Sequence(lambda n: f"Test dialogue {n}")
    codename = factory.Sequence(lambda n: f"codename-{n}")
    third_party = factory.SubFactory(ThirdPartyFactory)


class SideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Side

    dialogue = factory.SubFactory(DialogueFactory)
    name = factory.Sequence(lambda n: f"Side {n}")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopSeries

    dialogue = factory.SubFactory(DialogueFactory)
    title = factory.Sequence(lambda n: f"Series {n}")
    # The next place in its dialogue, as create_series gives it: e-mails and feeds tell series apart by it.
    position = factory.LazyAttribute(lambda o: o.dialogue.series.count() + 1)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=2))
    timezone = "Europe/Oslo"
    venue = "Fjordhaven Conference House, room 3"
    status = WorkshopStatus.SCHEDULED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    workshop = factory.SubFactory(WorkshopFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    dialogue = factory.SubFactory(DialogueFactory)
    side = factory.LazyAttribute(lambda o: SideFactory(dialogue=o.dialogue))
    role = MemberRole.PARTICIPANT
    joined_on = factory.LazyFunction(timezone.localdate)
    # Random like those participants.services.add_member draws (decision 0026); a clash is one in 920,000.
    pseudonym = factory.LazyFunction(random_dialogue_pseudonym)


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    person = factory.SubFactory(PersonFactory)
    dialogue = factory.SubFactory(DialogueFactory)
    role = FacilitatorRole.FACILITATOR


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)


class SummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summary

    workshop = factory.SubFactory(WorkshopFactory)
    body = "## Opening\n\nParticipants discussed fisheries access without attribution."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    dialogue = factory.SubFactory(DialogueFactory)
    kind = "new_option"
    title = factory.Sequence(lambda n: f"Outcome {n}")


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Test Foundation {n}")
    kind = FunderKind.FOUNDATION


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    funder = factory.SubFactory(FunderFactory)
    dialogue = factory.SubFactory(DialogueFactory)
    third_party = factory.LazyAttribute(
        lambda o: o.dialogue.third_party if o.dialogue else ThirdPartyFactory()
    )
    amount = Decimal("120000.00")
    currency = "EUR"
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2027, 12, 31)
    purpose = "Workshops and travel"


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    grant = factory.SubFactory(GrantFactory)
    kind = ConditionKind.REPORTING
    text = "An annual narrative report"


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    grant = factory.SubFactory(GrantFactory)
    category = ExpenseCategory.TRAVEL
    amount = Decimal("2500.00")
    spent_on = dt.date(2026, 3, 1)


class RipenessEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RipenessEntry

    dialogue = factory.SubFactory(DialogueFactory)
    occurred_on = dt.date(2026, 3, 14)
    kind = RipenessKind.TALKS_OPENED
    text = factory.Sequence(lambda n: f"Official talks opened in the capital, round {n}")
