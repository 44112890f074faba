"""The home page for each role (trackii/home.py) and the navigation that goes with it (trackii/standing.py,
trackii/context_processors.py): what each person sees, what they must not, and what it costs."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from dialogues.models import BreakGlassGrant
from funding.funders.services import remove_officer, sync_funder_access
from funding.models import Disclosure
from tests.factories import GrantFactory, PersonFactory, SideFactory, UserFactory
from tests.funding.conftest import convene, make_place, participate
from trackii.accounts.services import disable_account
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.audit.services import record_event
from trackii.audit.signals import login_hash
from trackii.staff.roles import ADMINISTER_PERMISSION, AUDIT_PERMISSION, GROUPS, Role

pytestmark = pytest.mark.django_db

PARTICIPANT_LINKS_IN_ORDER = ["Your workshops", "Calendar", "Summaries"]
PARTICIPANT_LINKS = set(PARTICIPANT_LINKS_IN_ORDER)


def staff(role: Role, **fields):
    user = UserFactory(is_staff=True, **fields)
    group, _ = Group.objects.get_or_create(name=GROUPS[role])
    app_label, codename = {Role.AUDITOR: AUDIT_PERMISSION, Role.ADMINISTRATOR: ADMINISTER_PERMISSION}[
        role
    ].split(".")
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.user_set.add(user)
    return user


def nav(body: str) -> list[str]:
    main = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', body, re.S).group(1)
    return re.findall(r">([^<>]+)</a>", main)


def nav_links(body: str) -> list[str]:
    main = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', body, re.S).group(1)
    return re.findall(r'href="([^"]+)"', main)


def sealed(grant, version=1, **fields) -> Disclosure:
    return Disclosure.objects.create(
        grant=grant, version=version, sealed_at=timezone.now(), sha256="0" * 64, pdf=b"sealed", **fields
    )


@pytest.fixture
def place():
    return make_place("a")


@pytest.fixture
def other():
    return make_place("b")


# --- Participants and facilitators keep today's home --------------------------------------------------


def test_participant_home_lists_their_dialogues_and_the_participant_navigation(client, place, other):
    client.force_login(place.participants[0].user)
    body = client.get("/").content.decode()
    assert "<h1>Your dialogues</h1>" in body and "Secret a talks" in body and "Secret b talks" not in body
    assert nav(body) == ["Your dialogues", *PARTICIPANT_LINKS_IN_ORDER, "Funding", "Your account"]
    for part in ("Waiting for you", "Chain status", "Locked logins"):
        assert part not in body


def test_person_with_no_role_gets_the_empty_home_and_no_workspace_links(client):
    client.force_login(UserFactory())
    body = client.get("/").content.decode()
    assert "You are not part of any dialogue yet" in body
    assert nav(body) == ["Home", "Your account"]
    assert "Your workshops" not in body


# --- Funders ------------------------------------------------------------------------------------------


def test_funder_home_shows_their_grants_newest_report_and_what_awaits_them(client, place, other):
    grant = GrantFactory(funder=place.funder, dialogue=place.dialogue, reference="APF-1", amount=240000)
    core = GrantFactory(funder=place.funder, dialogue=None, reference="APF-CORE")
    older = sealed(grant, 1)
    newest = sealed(grant, 2)
    sealed(core, 1)
    theirs = GrantFactory(funder=other.funder, dialogue=other.dialogue, reference="OTHER-REF")
    sealed(theirs, 1)
    sync_funder_access(funder=place.funder)
    sync_funder_access(funder=other.funder)
    client.force_login(place.officer.user)
    body = client.get("/").content.decode()
    assert "<h1>Your grants</h1>" in body
    assert "APF-1" in body and "APF-CORE" in body and "EUR 240,000" in body and "secret-a" in body
    # Another funder's grant, the dialogue's title and anyone in it are not theirs to see.
    for secret in ("OTHER-REF", "secret-b", "Secret a talks", "Secret Participant", "Convenor One"):
        assert secret not in body
    download = reverse("funding:disclosure_download", args=[grant.pk, newest.pk])
    assert download in body
    assert reverse("funding:disclosure_download", args=[grant.pk, older.pk]) not in body
    assert body.count("Download the PDF") == 2  # the dialogue's newest report and the core budget's
    assert nav(body) == ["Home", "Funding", "Your account"]

    record_event(actor=place.officer.user, action=Action.DOWNLOAD, target=newest)
    body = client.get("/").content.decode()
    assert download not in body and body.count("Download the PDF") == 1
    assert "downloaded" in body
    # Someone else's download does not count as theirs.
    record_event(actor=place.convenor.user, action=Action.DOWNLOAD, target=Disclosure.objects.get(grant=core))
    assert client.get("/").content.decode().count("Download the PDF") == 1


@pytest.mark.parametrize("count", [1, 5])
def test_funder_home_query_count_is_constant_in_grants(client, django_assert_num_queries, count):
    place = make_place("q")
    for _ in range(count):
        sealed(GrantFactory(funder=place.funder, dialogue=place.dialogue))
    sync_funder_access(funder=place.funder)
    client.force_login(place.officer.user)
    client.get("/")
    # session, user, what they hold in dialogues, their grants' ids, the grants, the newest reports
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.content.decode().count("Download the PDF") == count


def test_convenor_who_is_also_a_funder_officer_sees_both_parts(client, place, other):
    officer = place.officer
    # Made an officer first (add_officer refuses someone already in a dialogue), then a convenor elsewhere.
    dialogue_services.assign_role(
        dialogue=other.dialogue, person=officer, role=DialogueRole.CONVENOR, by=None
    )
    sealed(GrantFactory(funder=place.funder, dialogue=place.dialogue, reference="APF-9"))
    sync_funder_access(funder=place.funder)
    client.force_login(officer.user)
    body = client.get("/").content.decode()
    assert "<h1>Home</h1>" in body
    assert '<h2 id="part-dialogues-heading">Your dialogues</h2>' in body and "Secret b talks" in body
    assert '<h2 id="part-funder-heading">Your grants</h2>' in body and "APF-9" in body
    assert "Secret a talks" not in body  # the funded dialogue is still theirs by codename only
    assert nav(body) == ["Your dialogues", *PARTICIPANT_LINKS_IN_ORDER, "Funding", "Your account"]


# --- Auditors -----------------------------------------------------------------------------------------


def test_auditor_home_shows_the_chain_unusual_activity_and_recent_denials(client, place):
    auditor = staff(Role.AUDITOR)
    prober = place.participants[0]
    for n in range(6):
        record_event(
            actor=prober.user, action=Action.VIEW, outcome=Outcome.DENIED, target_type="x.y", target_id=n
        )
    record_event(actor=None, action=Action.CHAIN_VERIFIED, detail={"rows": 7})
    client.force_login(auditor)
    before = AuditEvent.objects.count()
    body = client.get("/").content.decode()
    assert "<h1>Audit</h1>" in body
    assert "Chain status" in body and "intact" in body and "(7 rows)" in body
    assert re.search(r"\d{2}:\d{2}(:\d{2})? UTC", body)  # times carry their zone
    assert f"#{prober.user.pk} {prober.pseudonym}" in body and "denied requests in the last 24 hours" in body
    assert body.count("x.y ") == 6  # the recent denials, each with its object
    assert prober.name not in body and prober.user.email not in body
    # The look is recorded, like the audit overview's, and it is the chain's head shown.
    look = AuditEvent.objects.get(actor=auditor, target_type="audit.home")
    assert AuditEvent.objects.count() == before + 1 and f"row {look.pk}" in body
    assert "Audit log" in nav(body) and "Funding" not in nav(body)
    assert not PARTICIPANT_LINKS & set(nav(body))


def test_auditor_recent_denials_are_the_last_ten(client):
    auditor = staff(Role.AUDITOR)
    for n in range(12):
        record_event(actor=None, action=Action.VIEW, outcome=Outcome.DENIED, target_type="t.t", target_id=n)
    client.force_login(auditor)
    body = client.get("/").content.decode()
    assert "t.t 11" in body and "t.t 2<" in body and "t.t 1<" not in body


# --- Administrators -----------------------------------------------------------------------------------


def test_administrator_home_shows_accounts_needing_action_and_open_break_glass(client, place):
    admin = staff(Role.ADMINISTRATOR, email="admin-1@example.org")
    unenrolled = staff(Role.AUDITOR, email="new-auditor@example.org")
    locked_staff = staff(Role.AUDITOR, email="locked-auditor@example.org")
    gone = UserFactory(email="gone@example.org")
    disable_account(user=gone, by=admin)
    back = UserFactory(email="back@example.org", is_active=False)
    record_event(actor=admin, action=Action.ACCOUNT_DISABLED, target=back)
    back.is_active = True
    back.save(update_fields=["is_active"])
    for email in (locked_staff.email, "stranger@example.org", "unlocked@example.org"):
        record_event(actor=None, action=Action.LOGIN_LOCKED, detail={"login_hash": login_hash(email)})
    record_event(
        actor=admin, action=Action.LOGIN_UNLOCKED, detail={"login_hash": login_hash("unlocked@example.org")}
    )
    BreakGlassGrant.objects.create(
        user=admin,
        dialogue=place.dialogue,
        reason="Convenor unreachable",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    BreakGlassGrant.objects.create(
        user=admin,
        dialogue=place.dialogue,
        reason="Ended",
        expires_at=timezone.now() + dt.timedelta(hours=1),
        ended_at=timezone.now(),
    )
    client.force_login(admin)
    body = client.get("/").content.decode()
    assert '<h1 id="administration">Administration</h1>' in body
    assert f"#{locked_staff.pk} locked-auditor@example.org</strong>: locked" in body
    assert "reference <code>" + login_hash("stranger@example.org")[:8] in body
    assert login_hash("unlocked@example.org")[:8] not in body
    assert f"#{unenrolled.pk} new-auditor@example.org" in body
    assert f"#{gone.pk} gone@example.org: disabled" in body and "back@example.org" not in body
    assert body.count("secret-a") == 1 and "Convenor unreachable" not in body and "Secret a talks" not in body
    # The spot for staff requests awaiting confirmation is there for the integrator.
    assert "ISSUE 19" not in body  # a template comment, not shown
    items = nav(body)
    assert "Administration" in items and "Funding" not in items and "Audit log" not in items
    assert not PARTICIPANT_LINKS & set(items)


def test_superuser_sees_the_audit_and_administration_parts(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get("/").content.decode()
    assert "<h1>Home</h1>" in body and "Chain status" in body and "Locked logins" in body
    assert 'id="administration"' in body and "break-glass access" not in body.split("<h1>")[0]
    items = nav(body)
    assert items[:2] == ["Home", "Audit log"] and "Break-glass" in items and "Administration" in items
    assert "Django admin" not in body  # not served outside DEBUG unless TRACKII_DJANGO_ADMIN says so


def test_administration_link_goes_to_the_logins_for_administrators_and_auditors():
    from django.test import Client

    for role in (Role.ADMINISTRATOR, Role.AUDITOR):
        client = Client()
        client.force_login(staff(role))
        assert reverse("staff:account_list") in nav_links(client.get("/").content.decode())


def test_the_administrators_home_lists_the_requests_awaiting_their_confirmation():
    from django.test import Client

    from tests.factories import UserFactory as Factory
    from trackii.staff.requests.services import request_change

    asking, deciding = staff(Role.ADMINISTRATOR), staff(Role.ADMINISTRATOR)
    account = Factory()
    item = request_change(account=account, kind="grant_role", role="auditor", by=asking)
    confirm = reverse("staff:request_confirm", kwargs={"request_id": item.pk})
    for who, listed in ((deciding, True), (asking, False)):
        client = Client()
        client.force_login(who)
        body = client.get("/").content.decode()
        assert "Waiting for your confirmation" in body and (confirm in body) is listed


# --- Navigation: no query of its own, kept true -----------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "who", ["participant", "convenor", "officer", "auditor", "administrator", "superuser"]
)
@pytest.mark.parametrize("url", ["/account/", "/"])
def test_navigation_costs_no_query_beyond_the_page(client, settings, place, who, url):
    GrantFactory(funder=place.funder, dialogue=place.dialogue)
    sync_funder_access(funder=place.funder)
    user = {
        "participant": lambda: place.participants[0].user,
        "convenor": lambda: place.convenor.user,
        "officer": lambda: place.officer.user,
        "auditor": lambda: staff(Role.AUDITOR),
        "administrator": lambda: staff(Role.ADMINISTRATOR),
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[who]()
    client.force_login(user)
    client.get(url)  # warm per-process caches
    with_navigation = _queries(client, url)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "OPTIONS": {
                **engine["OPTIONS"],
                "context_processors": [
                    p for p in engine["OPTIONS"]["context_processors"] if not p.endswith(".navigation")
                ],
            },
        }
    ]
    assert _queries(client, url) == with_navigation


def test_every_navigation_link_opens_for_its_role(client, place):
    GrantFactory(funder=place.funder, dialogue=place.dialogue)
    sync_funder_access(funder=place.funder)
    users = [
        place.participants[0].user,
        place.convenor.user,
        place.officer.user,
        staff(Role.AUDITOR),
        staff(Role.ADMINISTRATOR),
        UserFactory(is_staff=True, is_superuser=True),
        UserFactory(),
    ]
    for user in users:
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        for url in nav_links(response.content.decode()):
            assert client.get(url.split("#")[0]).status_code == 200, (user, url)


def test_a_removed_officer_loses_funding_from_the_navigation_once_the_home_reads_it(client, place):
    GrantFactory(funder=place.funder, dialogue=place.dialogue)
    sync_funder_access(funder=place.funder)
    client.force_login(place.officer.user)
    assert "Funding" in nav(client.get("/account/").content.decode())
    remove_officer(funder=place.funder, person=place.officer, by=None)
    # Until a page reads what they hold, the link stays (a stale link): the page itself still refuses them.
    assert "Funding" in nav(client.get("/account/").content.decode())
    body = client.get("/").content.decode()
    assert "Funding" not in nav(body) and "Your grants" not in body
    assert "Funding" not in nav(client.get("/account/").content.decode())


def test_a_new_member_gets_the_participant_links_on_the_next_page_that_reads_their_dialogues(client, place):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    assert nav(client.get("/account/").content.decode()) == ["Home", "Your account"]
    participate(place.dialogue, SideFactory(dialogue=place.dialogue), "Late Joiner")
    dialogue_services.assign_role(
        dialogue=place.dialogue,
        person=person,
        role=DialogueRole.PARTICIPANT,
        by=None,
        side=place.dialogue.sides.first(),
    )
    assert (
        nav(client.get(reverse("dialogues:reading_room")).content.decode())[1:4] == PARTICIPANT_LINKS_IN_ORDER
    )
    assert nav(client.get("/account/").content.decode())[1:4] == PARTICIPANT_LINKS_IN_ORDER


def test_a_convenor_keeps_open_a_new_dialogue(client, place):
    convene(place.dialogue, "Another convenor")
    client.force_login(place.convenor.user)
    assert "Open a new dialogue" in client.get("/").content.decode()


def test_a_removed_auditor_loses_the_audit_part_and_the_log_on_the_next_request(client):
    auditor = staff(Role.AUDITOR)
    client.force_login(auditor)
    assert "Audit log" in nav(client.get("/account/").content.decode())
    Group.objects.get(name=GROUPS[Role.AUDITOR]).user_set.remove(auditor)
    assert client.get(reverse("audit:overview")).status_code == 404
    body = client.get("/").content.decode()
    assert "Chain status" not in body and "Audit log" not in nav(body)
    assert "Audit log" not in nav(client.get("/account/").content.decode())


def test_home_refuses_other_methods_and_sends_visitors_to_log_in(client):
    assert client.get("/").status_code == 302
    client.force_login(staff(Role.AUDITOR))
    before = AuditEvent.objects.filter(target_type="audit.home").count()
    assert client.post("/").status_code == 405
    assert AuditEvent.objects.filter(target_type="audit.home").count() == before
