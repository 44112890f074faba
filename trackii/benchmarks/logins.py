"""Who the HTTP benchmark logs in as, and which of their pages it loads.

Runs inside the database being measured (``manage.py bench_http --prepare``). Each role is measured as the
heavy benchmark login seed_scale makes (a convenor of many dialogues, a participant in many, a funder's
officer) when the database has it; otherwise as the demo login of seed_demo, and for a participant as the
scale participant in the most dialogues, given a login with the benchmark password. An account that must use a
second factor and has none is given an authenticator app through allauth's API, so the benchmark logs in with
a real TOTP code. Those are the only changes it makes, kept so that a second run logs in the same way.
"""

import dataclasses

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db.models import Count
from django.urls import reverse

from dialogues import services
from dialogues.models import Dialogue, Workshop
from funding.models import Grant
from participants.enums import FacilitatorRole, MemberRole
from participants.models import Facilitator, Person
from trackii.accounts.fields import login_index
from trackii.accounts.models import User
from trackii.accounts.selectors import requires_mfa
from trackii.demo.scale import BENCH_PASSWORD, HEAVY_CONVENOR, HEAVY_FUNDER, HEAVY_PARTICIPANT
from trackii.demo.specs import DEMO_PASSWORD

HEAVY_LOGINS = {"participant": HEAVY_PARTICIPANT, "convenor": HEAVY_CONVENOR, "funder": HEAVY_FUNDER}
TYPICAL_DIALOGUES = 3  # most scale participants with a login are in 2-4 dialogues (trackii/demo/scale)
DEMO_LOGINS = {
    "convenor": "convenor@example.org",
    "auditor": "auditor@example.org",
    "funder": "funder@example.org",
}


class NoLogin(Exception):
    pass


@dataclasses.dataclass
class BenchLogin:
    role: str
    email: str
    password: str
    source: str  # "heavy", "demo" or "scale": which kind of login measured this role
    totp_secret: str | None
    pages: list[tuple[str, str]]  # (label, path)


def prepare_logins(*, password: str = BENCH_PASSWORD) -> tuple[list[BenchLogin], list[str]]:
    """The logins of the four roles with their pages, and a line for each role that has no login here."""
    logins, missing = [], []
    for role, prepare in (
        ("participant", _participant),
        ("typical participant", _typical_participant),
        ("convenor", _convenor),
        ("auditor", _auditor),
        ("funder", _funder),
    ):
        try:
            logins.append(prepare(password))
        except NoLogin as reason:
            missing.append(f"{role}: {reason}")
    return logins, missing


def _existing(email: str, password: str) -> User | None:
    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None and not user.check_password(password):
        raise NoLogin(f"{email} exists but its password is not the one given (--password)")
    return user


def _login(role: str, user: User, password: str, source: str, pages: list[tuple[str, str]]) -> BenchLogin:
    return BenchLogin(
        role=role,
        email=user.email,
        password=password,
        source=source,
        totp_secret=_totp_secret(user),
        pages=pages,
    )


def _totp_secret(user: User) -> str | None:
    """The secret of the account's authenticator app; one is enrolled if its role requires a second factor."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        return decrypt(authenticator.data["secret"])
    if not requires_mfa(user=user):
        return None
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _participant(password: str) -> BenchLogin:
    user = _existing(HEAVY_LOGINS["participant"], password)
    source = "heavy"
    if user is None:
        user, source = _scale_participant(password), "scale"
    return _participant_pages("participant", user, password, source)


def _typical_participant(password: str) -> BenchLogin:
    """A generated participant in as many dialogues as most are (TYPICAL_DIALOGUES), beside the heavy one."""
    return _participant_pages(
        "typical participant", _scale_participant(password, dialogues=TYPICAL_DIALOGUES), password, "scale"
    )


def _participant_pages(role: str, user: User, password: str, source: str) -> BenchLogin:
    person = user.person
    membership = person.memberships.filter(left_on__isnull=True).order_by("dialogue_id").first()
    workshop = (
        Workshop.objects.filter(invitations__person=person).select_related("series").order_by("pk").first()
    )
    if membership is None or workshop is None:
        raise NoLogin(f"{user.email} is in no dialogue or invited to no workshop")
    pages = [
        ("dialogue list", reverse("home")),
        ("own workshops (/me/)", reverse("dialogues:my_workshops")),
        (
            "workshop page",
            reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk]),
        ),
        ("calendar, month", reverse("dialogues:calendar_month")),
        ("calendar, agenda", reverse("dialogues:calendar_agenda")),
        ("reading room", reverse("dialogues:reading_room")),
        ("dialogue page", reverse("dialogues:dialogue_detail", args=[membership.dialogue_id])),
    ]
    return _login(role, user, password, source, pages)


def _scale_participant(password: str, *, dialogues: int | None = None) -> User:
    """The generated participant in the most dialogues (or in exactly `dialogues`), with a login that has the
    benchmark password."""
    people = (
        Person.objects.filter(
            memberships__role=MemberRole.PARTICIPANT,
            memberships__dialogue__codename__startswith="scale-",
            invitations__isnull=False,
        )
        .exclude(user__email_index=login_index(HEAVY_LOGINS["participant"]))
        .annotate(n=Count("memberships", distinct=True))
    )
    if dialogues is not None:
        people = people.filter(n=dialogues, user__isnull=False)
    person = people.order_by("-n", "pk").first()
    if person is None:
        raise NoLogin("no heavy participant and no scale data (seed_scale)")
    if person.user_id is None:
        person.user = User.objects.create_user(email=f"bench-participant-{person.pk}@bench.trackii.test")
        person.save(update_fields=["user"])
        services.sync_person_grants(person=person)
    user = person.user
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _heavy_or_demo(role: str, password: str) -> tuple[User, str, str]:
    """The role's heavy login if the scale data has it, else the demo's: (login, source, its password)."""
    user = _existing(HEAVY_LOGINS[role], password)
    if user is not None:
        return user, "heavy", password
    user = _existing(DEMO_LOGINS[role], DEMO_PASSWORD)
    if user is None:
        raise NoLogin(f"neither the heavy nor the demo {role} exists (seed_scale, seed_demo)")
    return user, "demo", DEMO_PASSWORD


def _convenor(password: str) -> BenchLogin:
    user, source, password = _heavy_or_demo("convenor", password)
    convened = Facilitator.objects.filter(person__user=user, role=FacilitatorRole.CONVENOR)
    dialogue = Dialogue.objects.filter(pk__in=convened.values("dialogue_id")).order_by("pk").first()
    if source == "demo":  # the demo's busiest dialogue, as bench_pages measures it
        dialogue = (
            Dialogue.objects.filter(codename="tidewater", pk__in=convened.values("dialogue_id")).first()
            or dialogue
        )
    if dialogue is None:
        raise NoLogin(f"{user.email} convenes no dialogue")
    pages = [
        ("dialogue list", reverse("home")),
        ("dashboard", reverse("dialogues:dashboard", args=[dialogue.pk])),
        ("members (roster)", reverse("dialogues:members", args=[dialogue.pk])),
        ("funding list", reverse("funding:grant_list")),
        ("calendar, month", reverse("dialogues:calendar_month")),
    ]
    return _login("convenor", user, password, source, pages)


def _auditor(password: str) -> BenchLogin:
    user = _existing(DEMO_LOGINS["auditor"], DEMO_PASSWORD)
    if user is None:
        raise NoLogin("the demo auditor does not exist (seed_demo)")
    pages = [("audit overview", reverse("audit:overview")), ("audit search, newest", reverse("audit:events"))]
    return _login("auditor", user, DEMO_PASSWORD, "demo", pages)


def _funder(password: str) -> BenchLogin:
    user, source, password = _heavy_or_demo("funder", password)
    pages = [("funding list", reverse("funding:grant_list"))]
    grant = Grant.objects.filter(funder__officers__user=user).order_by("pk").first()
    if grant is not None:
        pages.append(("grant page", reverse("funding:grant_detail", args=[grant.pk])))
    return _login("funder", user, password, source, pages)
