"""The demo programme (seed_demo) and the benchmark data generator (seed_scale), on PostgreSQL."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from dialogues.enums import OUTCOME_STAGES, InvitationStatus, OutcomeKind, OutcomeStage, SummaryStatus
from dialogues.insight import continuity
from dialogues.models import Dialogue, Invitation, Outcome, OutcomeStep, Summary, Workshop
from funding.enums import ConditionRuling
from funding.models import Condition, Funder
from participants.enums import FacilitatorRole, Proximity
from participants.models import Facilitator, Membership, Person, ThirdParty
from trackii.accounts.models import User
from trackii.demo import build, people, scale, specs

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("accounts", "auth", "participants", "dialogues", "funding", "audit")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Argon2 is deliberately slow; the demo's ten logins do not need it to test seeding.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo seeded once for a class of tests that read it: seed_demo seals summaries and disclosures
    (WeasyPrint and pyHanko), seconds each time. Rolled back after the class; each test of the class still
    runs in its own savepoint (pytest-django), so a test that writes leaves the demo as it found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in COUNTED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def pseudonyms() -> set[str]:
    return set(Person.objects.values_list("pseudonym", flat=True))


def roles_of(email: str) -> set[tuple[str, str]]:
    return set(
        Facilitator.objects.filter(person__user__email=email).values_list("dialogue__codename", "role")
    )


def invitation(email: str, codename: str, series_position: int, number: int) -> Invitation:
    return Invitation.objects.get(
        person__user__email=email,
        workshop__series__dialogue__codename=codename,
        workshop__series__position=series_position,
        workshop__number=number,
    )


def test_seed_demo_twice_changes_nothing():
    seed()
    counts, first = model_counts(), pseudonyms()

    output = seed()

    assert counts["dialogues.Dialogue"] == 3
    assert len(first) >= 40
    assert model_counts() == counts
    assert pseudonyms() == first
    assert "already up to date" in output


def test_seed_demo_on_a_later_day_keeps_counts_and_moves_dates():
    seed()
    counts = model_counts()
    upcoming_before = Workshop.objects.filter(starts_at__gt=timezone.now()).count()

    later = timezone.now() + dt.timedelta(days=45)
    build.seed_demo(now=later)

    assert model_counts() == counts
    # Dates follow the day of seeding, so the demo still has workshops ahead of "now".
    assert Workshop.objects.filter(starts_at__gt=later).count() == upcoming_before > 0


def test_seed_demo_prints_every_login_with_what_it_shows():
    output = seed()

    assert specs.DEMO_PASSWORD in output
    for login in people.LOGINS:
        assert login.email in output
    assert "attended tidewater workshop 1" in output


def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(SystemExit):
        seed(stderr=StringIO())
    assert not User.objects.exists()


def test_seed_scale_creates_the_expected_counts():
    out = StringIO()
    call_command("seed_scale", dialogues=20, stdout=out)

    expected = scale.scale_counts(20)
    assert expected == {
        "dialogues": 20,
        "sides": 46,
        "people": 400 + 8 + 3,  # 20 a dialogue, 2 officers for each of 4 funders, the 3 heavy logins
        "logins": 280 + 8 + 3,  # 14 a dialogue (the convenor, 13 of 19 participants)
        "facilitators": 20 + 20,  # the heavy convenor convenes all of them (200 of larger runs)
        "memberships": 19 * 20 + 349 + 20,  # own participants, those of earlier dialogues, the heavy one
        "series": 30,
        "workshops": 200,
        "agenda items": 600,
        "invitations": 1600 + 200,  # 8 a workshop, and the heavy participant to every workshop
        "funders": 5,
        "grants": 20 + 20,
    }
    models = {
        "dialogues": Dialogue,
        "people": Person,
        "logins": User,
        "facilitators": Facilitator,
        "memberships": Membership,
        "workshops": Workshop,
        "invitations": Invitation,
        "funders": Funder,
    }
    assert {label: model.objects.count() for label, model in models.items()} == {
        label: expected[label] for label in models
    }
    assert ThirdParty.objects.get().name == scale.SCALE_THIRD_PARTY
    for label in ("invitations", "logins", "summaries", "workshop grants", "summary grants", "role holders"):
        assert f"  {label} " in out.getvalue()


def test_seed_scale_gives_a_typical_participant_with_a_login_two_to_five_dialogues():
    call_command("seed_scale", dialogues=30, stdout=StringIO())
    per_login = list(
        Membership.objects.filter(person__pseudonym__startswith="scale-p", person__user__isnull=False)
        .values("person")
        .annotate(n=Count("dialogue"))
        .values_list("n", flat=True)
    )
    per_login.sort()
    assert 2 <= per_login[len(per_login) // 2] <= 5
    assert max(per_login) <= 5
    without_login = Membership.objects.filter(person__pseudonym__startswith="scale-p", person__user=None)
    assert without_login.values("person").annotate(n=Count("dialogue")).filter(n__gt=1).count() == 0


def test_seed_scale_data_is_encrypted_indexed_and_shared():
    call_command("seed_scale", dialogues=5, prefix="bench", stdout=StringIO())
    person = Person.objects.get(pseudonym="bench-p0000021")

    assert person.name == "Scale Person 21"
    assert Person.objects.get(Person.email_lookup("BENCH-P0000021@scale.example.org")) == person
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM participants_person WHERE id = %s", [person.pk])
        assert b"Scale Person" not in bytes(cursor.fetchone()[0])
    assert Membership.objects.filter(person__pseudonym="bench-p0000002").count() == 2
    per_workshop = Workshop.objects.annotate(n=Count("invitations")).values_list("n", flat=True)
    # 8 each, and the heavy participant, who takes part in all 5, to every workshop.
    assert sorted(set(per_workshop)) == [scale.SCALE_INVITATIONS_PER_WORKSHOP + 1]
    assert len(per_workshop) == 50
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert {InvitationStatus.ATTENDED, InvitationStatus.DECLINED, InvitationStatus.INVITED} <= statuses


def test_seed_scale_refuses_a_used_prefix_and_adds_under_another():
    call_command("seed_scale", dialogues=2, prefix="run1", stdout=StringIO())

    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_scale", dialogues=2, prefix="run1", stdout=StringIO())
    call_command("seed_scale", dialogues=2, prefix="run2", stdout=StringIO())
    assert Dialogue.objects.count() == 4
    assert ThirdParty.objects.count() == 1


@pytest.mark.usefixtures("seeded_demo")
class TestTheSeededDemo:
    """What the demo holds once seeded. The class seeds once (seeded_demo) and each test runs in a savepoint
    rolled back afterwards, as any test does: what one test writes, the next does not see."""

    def test_seed_demo_logins_are_linked_to_people_with_their_roles(self):
        all_three = {"tidewater", "riverstone", "lanternfield"}

        for login in people.LOGINS:
            user = User.objects.get(email=login.email)
            assert user.check_password(specs.DEMO_PASSWORD)
            assert user.person.pseudonym == login.pseudonym
        assert roles_of("convenor@example.org") == {(c, FacilitatorRole.CONVENOR) for c in all_three}
        assert ("tidewater", FacilitatorRole.CONVENOR) in roles_of("convenor2@example.org")
        assert roles_of("facilitator@example.org") == {
            ("tidewater", FacilitatorRole.FACILITATOR),
            ("riverstone", FacilitatorRole.FACILITATOR),
        }
        assert roles_of("rapporteur@example.org") == {("tidewater", FacilitatorRole.RAPPORTEUR)}
        for email in ("auditor@example.org", "admin@example.org", "funder@example.org"):
            assert roles_of(email) == set()
            assert not Membership.objects.filter(person__user__email=email).exists()
        assert User.objects.get(email="auditor@example.org").is_staff
        assert not User.objects.get(email="auditor@example.org").is_superuser
        assert User.objects.get(email="admin@example.org").is_superuser
        funder = Funder.objects.get(officers__user__email="funder@example.org")
        assert funder.grants.filter(dialogue__codename="tidewater").exists()

    def test_seed_demo_participants_attend_as_the_logins_promise(self):
        one = Membership.objects.get(
            person__user__email="participant@example.org", dialogue__codename="tidewater"
        )
        two = Membership.objects.get(
            person__user__email="participant2@example.org", dialogue__codename="tidewater"
        )
        three = Membership.objects.filter(person__user__email="participant3@example.org")

        assert one.side_id != two.side_id
        assert list(three.values_list("dialogue__codename", flat=True)) == ["riverstone"]
        first = invitation("participant@example.org", "tidewater", 1, 1)
        assert first.status == InvitationStatus.ATTENDED
        assert first.workshop.ends_at < timezone.now()
        assert invitation("participant2@example.org", "tidewater", 1, 1).status == InvitationStatus.DECLINED
        assert invitation("participant2@example.org", "tidewater", 1, 2).status == InvitationStatus.ATTENDED

        in_review = Summary.objects.get(workshop=first.workshop)
        assert in_review.status == SummaryStatus.IN_REVIEW
        assert in_review.comments.exists()
        # The review grant reaches the attendee and not the participant who declined.
        assert User.objects.get(email="participant@example.org").has_perm(
            "dialogues.review_summary", in_review
        )
        assert not User.objects.get(email="participant2@example.org").has_perm(
            "dialogues.review_summary", in_review
        )

    def test_seed_demo_tidewater_review_is_not_held_up_by_attendees_without_a_login(self):
        """Issue 18: six of workshop 1's seven attendees have no login. Only P-5 can respond, and has: the
        rapporteur can close the round now and apply P-5's accepted correction in one step."""
        from dialogues.summaries import selectors as summary_selectors
        from dialogues.summaries import services as summary_services
        from dialogues.summaries.steering import services as steering

        summary = Summary.objects.get(
            workshop=invitation("participant@example.org", "tidewater", 1, 1).workshop
        )
        roster = summary_selectors.review_roster(summary=summary)
        assert len(roster) == 7
        # Tidewater's pages call P-5 by their pseudonym there (decision 0026).
        p5 = Membership.objects.get(person__pseudonym="P-5", dialogue=summary.workshop.series.dialogue_id)
        assert [row.pseudonym for row in roster if row.can_respond] == [p5.pseudonym]
        assert summary_selectors.review_progress(summary=summary).complete
        rapporteur = User.objects.get(email="rapporteur@example.org")
        summary = summary_services.close_review(summary=summary, by=rapporteur)
        correction = summary.comments.get(author__pseudonym="P-5")
        summary, flagged = steering.apply_correction(comment=correction, by=rapporteur)
        assert "Participants agreed that many incidents began with a misread signal rather" in summary.body
        assert flagged == 0

    def test_seed_demo_maritime_dialogue_has_sides_and_past_and_future_workshops(self):
        tidewater = Dialogue.objects.get(codename="tidewater")
        workshops = Workshop.objects.filter(series__dialogue=tidewater)
        now = timezone.now()

        assert tidewater.sides.count() >= 2
        assert tidewater.sensitivity == "strictly_confidential"
        assert workshops.filter(ends_at__lt=now).exists()
        assert workshops.filter(starts_at__gt=now).exists()
        assert Dialogue.objects.get(codename="riverstone").sides.count() == 3
        assert len(set(Workshop.objects.values_list("timezone", flat=True))) >= 4
        assert Workshop.objects.filter(agenda_items__facilitators_only=True).exists()

    def test_seed_demo_has_flagged_conditions_ruled_both_ways(self):
        rejected = Condition.objects.get(flagged=True, ruling=ConditionRuling.REJECTED)
        accepted = Condition.objects.get(flagged=True, ruling=ConditionRuling.ACCEPTED)

        assert rejected.rationale
        assert accepted.confirmed_by.email == "convenor2@example.org"
        assert accepted.confirmed_by_id != accepted.ruled_by_id
        assert Funder.objects.filter(grants__dialogue=None).exists()  # a core budget grant

    def test_seed_demo_records_transfers_into_official_diplomacy(self):
        transfers = Outcome.objects.filter(kind=OutcomeKind.TRANSFER)

        assert transfers.count() >= 2
        assert all(t.transfer_to and t.transfer_via and t.evidence for t in transfers)
        # One travelled the whole road (issue 21): a step per stage, in order, each with channel and carriers.
        reflected = transfers.get(stage=OutcomeStage.REFLECTED)
        steps = list(reflected.steps.order_by("position"))
        assert [s.stage for s in steps] == list(OUTCOME_STAGES)
        assert [s.reached_on for s in steps] == sorted(s.reached_on for s in steps)
        assert all(s.channel and s.carriers.exists() for s in steps)
        assert OutcomeStep.objects.filter(outcome__dialogue=reflected.dialogue).count() > len(steps)

    def test_seed_demo_gives_the_insight_views_a_usual_suspect_and_a_former_official_who_stops_attending(
        self,
    ):
        attended = Invitation.objects.filter(status=InvitationStatus.ATTENDED, workshop__status="held")
        riverstone = Dialogue.objects.get(codename="riverstone")

        # The usual suspect: a member of all three dialogues, at a held workshop of each.
        assert set(
            attended.filter(person__pseudonym="P-46").values_list(
                "workshop__series__dialogue__codename", flat=True
            )
        ) == {"tidewater", "riverstone", "lanternfield"}
        assert Membership.objects.filter(person__pseudonym="P-46").count() == 3
        # Enough held workshops for continuity, and the former official dropping away after the early ones.
        rows = continuity.continuity(dialogue=riverstone).workshops
        assert len(rows) >= 4
        former = Person.objects.get(pseudonym="P-31")
        assert former.proximity == Proximity.FORMER_OFFICIAL
        here = former.memberships.get(dialogue=riverstone).pseudonym  # what riverstone calls them
        assert here in rows[0].attendees and here in rows[1].attendees
        assert all(here not in row.attendees for row in rows[2:])
        assert here in rows[2].dropped

    def test_seed_demo_third_party_is_the_fictional_one(self):

        assert list(ThirdParty.objects.values_list("name", flat=True)) == ["Halden Centre for Dialogue"]

    def test_seed_demo_workshops_have_names_that_tell_them_apart_outside_the_app(self):
        """Each dialogue's workshops in e-mails and calendar feeds: no two alike, no series title in them."""
        workshops = list(Workshop.objects.select_related("series__dialogue"))
        labels = [workshop.neutral_label for workshop in workshops]
        assert len(set(labels)) == len(labels)
        assert "tidewater · series 2 · workshop 1" in labels and "tidewater · series 1 · workshop 1" in labels
        for workshop in workshops:
            assert workshop.series.title not in workshop.neutral_label
