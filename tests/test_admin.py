"""The Django admin keeps only the Third Party's own record, and is not there at all unless
TRACKII_DJANGO_ADMIN (default: on with DEBUG) switches it on: nothing of a dialogue, a grant, a funder, a
person or a login shows on any of its pages, not even through related objects, and an id that exists answers
like one that does not (docs/decisions/0013-admin.md). Logins are managed on /staff/accounts/."""

import re
from decimal import Decimal
from importlib import import_module
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest
from django.test import Client
from django.urls import Resolver404, resolve

from dialogues import services
from dialogues.enums import DialogueRole
from funding.funders import services as funder_services
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    FunderFactory,
    GrantFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

CONFIDENTIAL = {
    "dialogues.dialogue",
    "dialogues.side",
    "dialogues.workshopseries",
    "dialogues.workshop",
    "dialogues.agendaitem",
    "dialogues.invitation",
    "dialogues.summary",
    "dialogues.reviewcomment",
    "dialogues.reviewsignoff",
    "dialogues.summarycopy",
    "dialogues.summaryreading",
    "dialogues.outcome",
    "dialogues.breakglassgrant",
    "participants.person",
    "participants.membership",
    "participants.facilitator",
    "funding.funder",
    "funding.grant",
    "funding.condition",
    "funding.expense",
    "funding.fundingnote",
    "funding.disclosure",
    "sealing.sealjob",
    "audit.auditevent",
    # Role groups name dialogues and list who holds a role in each; sessions, login attempts and second
    # factors are a person's traces.
    "auth.group",
    "usersessions.usersession",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "mfa.authenticator",
    "account.emailaddress",
    # Logins are managed on /staff/accounts/ (issue 19): the admin's page typed passwords for new logins,
    # ticked Superuser on anyone and listed every login.
    "accounts.user",
}

MISSING = "999999"
TITLE, CODENAME = "Ossuary Reach talks", "heron-lantern"
NAME, EMAIL = "Ysolde Marrick-Vane", "ysolde.marrick@example.net"
OFFICER, OFFICER_EMAIL = "Corvin Tallowmere", "corvin.tallowmere@example.net"
VENUE, AGENDA = "Kestrel Lodge, room 9", "Prisoner exchange sequencing"
FUNDER, AMOUNT = "Aldmere Peace Trust", Decimal("4731905.17")
SECRETS = [TITLE, CODENAME, NAME, EMAIL, OFFICER, OFFICER_EMAIL, VENUE, AGENDA, FUNDER]
# However a template writes the amount: 4731905.17, 4,731,905.17, 4.731.905,17, 4 731 905,17.
AMOUNT_PATTERN = re.compile(r"4\D?731\D?905")
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
# Searches an administrator might type, then what a script might send instead (a NUL, a lone surrogate and a
# byte that is not UTF-8), written as they come over the wire.
SEARCHES = ["a", "ysolde", "a+b", "ä", "²", "٣", "0", "-1", "'", "_", "%25", "%5C", "x" * 3000]
SEARCHES += ["%00", "%ED%A0%80", "%FF"]
# Every test below but the first few sees the admin switched on, as TRACKII_DJANGO_ADMIN=1 would.
WITH_ADMIN = pytest.mark.urls("tests.admin_urls")


def _registered() -> set:
    import_module(settings.ROOT_URLCONF)  # trackii/urls.py takes out what libraries register
    return set(admin.site._registry)


@pytest.mark.django_db
def test_admin_is_not_in_the_urlconf_unless_switched_on(client):
    """The suite runs without DEBUG, so with the default: no /admin/ at all, for a superuser either."""
    with pytest.raises(Resolver404):
        resolve("/admin/")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ("/admin/", "/admin/login/", "/admin/participants/thirdparty/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("env", "present"),
    [({"TRACKII_DEBUG": "1"}, True), ({"TRACKII_DEBUG": "1", "TRACKII_DJANGO_ADMIN": "0"}, False)],
    ids=["on-with-debug", "switched-off"],
)
def test_admin_setting_follows_debug_unless_set(env, present):
    from tests.test_settings import run_manage

    script = "from django.conf import settings; print('admin' if settings.TRACKII_DJANGO_ADMIN else 'none')"
    result = run_manage("shell", "-c", script, **{"TRACKII_DJANGO_ADMIN": "", **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == ("admin" if present else "none")


def test_no_confidential_model_is_registered_in_the_admin():
    registered = {model._meta.label_lower for model in _registered()}
    assert registered & CONFIDENTIAL == set()
    assert registered == {"participants.thirdparty"}


def test_no_object_permission_table_is_registered_in_the_admin():
    assert not [m for m in _registered() if m.__name__.endswith("ObjectPermission")]


@WITH_ADMIN
def test_admin_offers_no_way_to_make_or_change_a_login(admin_client, django_user_model):
    """No typed password for a new login, no Superuser tick box, no bulk action on logins: the pages are
    gone (superuser status is the command line's, logins come by invitation)."""
    convenor = django_user_model.objects.create_user(
        email="convenor@example.org", password="a-long-passphrase-9"
    )
    for url in ("/admin/accounts/user/", "/admin/accounts/user/add/", f"/admin/accounts/user/{convenor.pk}/"):
        assert admin_client.get(url, follow=True).status_code == 404, url
    admin_client.post("/admin/accounts/user/add/", {"email": "new@example.org", "password1": "x" * 20})
    admin_client.post(f"/admin/accounts/user/{convenor.pk}/change/", {"is_superuser": "on"})
    assert not django_user_model.objects.filter(email="new@example.org").exists()
    convenor.refresh_from_db()
    assert not convenor.is_superuser


@WITH_ADMIN
@pytest.mark.django_db
def test_admin_is_not_found_for_a_signed_in_participant(client):
    client.force_login(UserFactory())
    for url in ("/admin/", "/admin/login/", "/admin/participants/thirdparty/"):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url


def _seed() -> dict:
    """Everything a superuser with no role must not see, tied to as many other rows as can be: the person's
    login in a role group with grants, a funder with an officer group, a grant on the Third Party."""
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    dialogue = DialogueFactory(title=TITLE, codename=CODENAME)
    side = SideFactory(dialogue=dialogue, name="North")
    person = PersonFactory(name=NAME, email=EMAIL, user=UserFactory(email=EMAIL))
    services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=root)
    convenor = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=root)
    workshop = WorkshopFactory(series=SeriesFactory(dialogue=dialogue), venue=VENUE)
    AgendaItemFactory(workshop=workshop, title=AGENDA)
    grant = GrantFactory(dialogue=dialogue, funder=FunderFactory(name=FUNDER), amount=AMOUNT)
    GrantFactory(dialogue=None, third_party=dialogue.third_party, funder=grant.funder, amount=AMOUNT)
    officer = PersonFactory(name=OFFICER, email=OFFICER_EMAIL, user=UserFactory(email=OFFICER_EMAIL))
    funder_services.add_officer(funder=grant.funder, person=officer, by=root)
    return {"root": root, "participant": person.user}


def _admin_urls() -> list[tuple[str, str, str | None]]:
    """(what, url for an id that exists, the same url for a missing id) for every model of the project,
    registered in the admin or not, its first and its last row, and the admin's own pages."""
    urls = [("index", "/admin/", None), ("password change", "/admin/password_change/", None)]
    for model in apps.get_models():
        app, name = model._meta.app_label, model._meta.model_name
        base = f"/admin/{app}/{name}/"
        urls += [(f"{app}.{name} list", base, None), (f"{app}.{name} add", f"{base}add/", None)]
        urls.append((f"{app} index", f"/admin/{app}/", None))
        field = "user" if name != "user" else "groups"
        autocomplete = f"/admin/autocomplete/?app_label={app}&model_name={name}&field_name={field}&term="
        urls.append((f"{app}.{name} autocomplete", autocomplete, None))
        rows = model._default_manager.order_by("pk").values_list("pk", flat=True)
        content_type = ContentType.objects.get_for_model(model).pk
        for existing in dict.fromkeys(filter(None, [rows.first(), rows.last()])):
            for view, pattern in [
                ("change", f"{base}{{}}/change/"),
                ("delete", f"{base}{{}}/delete/"),
                ("history", f"{base}{{}}/history/"),
                ("object", f"{base}{{}}/"),
                ("view on site", f"/admin/r/{content_type}/{{}}/"),
            ]:
                urls.append((f"{app}.{name} {view}", pattern.format(existing), pattern.format(MISSING)))
    return urls


def _shown(response) -> str:
    """All a response shows: its body, where it redirects, its flash messages."""
    shown = [response.content.decode(errors="replace"), response.get("Location", "")]
    morsel = response.cookies.get("messages")
    if morsel is not None and morsel.value:
        shown += [str(m) for m in CookieStorage(HttpRequest())._decode(morsel.value) or []]
    return "\n".join(shown)


def _leaks(text: str) -> list[str]:
    found = [secret for secret in SECRETS if secret.lower() in text.lower()]
    return found + (["grant amount"] if AMOUNT_PATTERN.search(text) else [])


def _shape(response, address: str) -> tuple:
    """Status, redirect and body, with the address asked for and the CSRF token taken out: what could tell
    one id from another."""
    quoted = quote(address)
    body = CSRF.sub(r"\1", response.content.decode(errors="replace"))
    location = response.get("Location", "")
    for form in (address, quoted):
        body, location = body.replace(form, "{url}"), location.replace(form, "{url}")
    return response.status_code, location, body


@WITH_ADMIN
@pytest.mark.django_db
def test_every_admin_page_shows_nothing_confidential_and_answers_alike_for_missing_ids():
    seeded = _seed()
    registered_change = {
        f"{model._meta.app_label}.{model._meta.model_name} change" for model in _registered()
    }
    problems, requests = [], 0
    for who in ("root", "participant", "anonymous"):
        client = Client(raise_request_exception=False)
        if who != "anonymous":
            client.force_login(seeded[who])
        for what, url, missing_url in _admin_urls():
            pair = [url] if missing_url is None else [url, missing_url]
            responses = []
            for address in pair:
                client.cookies.pop("messages", None)
                response = client.get(address)
                requests += 1
                responses.append(response)
                if response.status_code >= 500:
                    problems.append(f"{who} {what} {address}: {response.status_code}")
                if leaked := _leaks(_shown(response)):
                    problems.append(f"{who} {what} {address}: shows {leaked}")
            if len(responses) == 2:
                existing, missing = (_shape(r, a) for r, a in zip(responses, pair, strict=True))
                if who == "root" and what in registered_change:
                    # The one page meant to show an object: the list shows the same rows. A missing id is the
                    # ordinary 404, not a redirect whose flash message repeats the id.
                    if (existing[0], missing[0]) != (200, 404):
                        problems.append(f"{who} {what}: {existing[0]} and {missing[0]}, expected 200 and 404")
                elif existing != missing:
                    problems.append(
                        f"{who} {what}: {existing[0]} for an existing id, {missing[0]} for a missing one"
                    )
    print(f"admin walk: {requests} requests, {len(problems)} problems")
    assert not problems, "\n".join(problems)


@WITH_ADMIN
@pytest.mark.django_db
def test_admin_searches_and_list_options_never_fail_or_show_anything_confidential():
    seeded = _seed()
    client = Client(raise_request_exception=False)
    client.force_login(seeded["root"])
    problems = []
    for model in [*_registered(), *(apps.get_model(label) for label in CONFIDENTIAL)]:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        queries = [f"q={q}" for q in SEARCHES] + [
            "o=1",
            "o=-9.x",
            "p=99",
            "p=²",
            "all=",
            "is_staff__exact=2",
            "email__exact=nobody@example.org",
            "_to_field=email",
        ]
        for query in queries:
            response = client.get(f"{base}?{query}")
            leaked = _leaks(_shown(response)) if response.status_code < 500 else []
            if response.status_code >= 500 or leaked:
                problems.append(f"{base}?{query:.60}: {response.status_code} {leaked}")
    assert not problems, "\n".join(problems)


@WITH_ADMIN
@pytest.mark.django_db
def test_a_list_filters_only_by_its_own_filters():
    """Django lets a list be filtered by any field of its model and one relation deep, filter offered or not:
    `?groups=N` counted the logins holding each role group, `?q=<address>&groups=N` said whether a typed
    address holds that role in a dialogue, `?dialogues=N` which Third Party runs dialogue N. Only the list's
    own filters are taken; anything else is refused, the same for a group or dialogue that exists or not."""
    seeded = _seed()
    client = Client(raise_request_exception=False)
    client.force_login(seeded["root"])
    third_party = apps.get_model("participants.ThirdParty").objects.get()
    dialogue = apps.get_model("dialogues.Dialogue").objects.get()
    probes = [
        (
            f"/admin/participants/thirdparty/?dialogues={dialogue.pk}",
            f"/admin/participants/thirdparty/?dialogues={MISSING}",
        ),
        (f"/admin/participants/thirdparty/?q={quote(NAME)}&dialogues__id={dialogue.pk}", None),
        (f"/admin/participants/thirdparty/?pk={third_party.pk}&grants__isnull=False", None),
    ]
    for address, missing in probes:
        response = client.get(address)
        assert response.status_code == 400, address
        if missing is not None:
            assert _shape(client.get(missing), missing) == _shape(response, address)
    # The list itself still works.
    assert client.get("/admin/participants/thirdparty/").status_code == 200


@WITH_ADMIN
@pytest.mark.django_db
def test_nothing_can_be_deleted_through_the_admin():
    seeded = _seed()
    client = Client(raise_request_exception=False)
    client.force_login(seeded["root"])
    for model in _registered():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        target = model._default_manager.order_by("pk").last()
        for address in (f"{base}{target.pk}/delete/", f"{base}{MISSING}/delete/"):
            assert client.post(address, {"post": "yes"}).status_code == 404, address
        client.post(base, {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"})
        assert model._default_manager.filter(pk=target.pk).exists(), model


def _admin_log() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM django_admin_log")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_admin_log_rows_written_before_name_no_login_or_funder():
    """accounts 0005 rewrites the rows the admin wrote while a login's name was its address."""
    before, after = (
        ("accounts", "0005_sessions_and_login_attempts_unreadable"),
        ("accounts", "0006_admin_log_without_names"),
    )
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    account, funder = UserFactory(email=EMAIL), FunderFactory(name=FUNDER)
    try:
        MigrationExecutor(connection).migrate([before])
        for obj, name in ((account, EMAIL), (funder, FUNDER), (root, "root@example.org")):
            LogEntry.objects.create(
                user=root,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=name,
                action_flag=2,
            )
    finally:
        MigrationExecutor(connection).migrate([after])
        # Then every later migration (accounts 0008 adds User.language): the tests after this one need them.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == sorted(
        [f"Login {account.pk}", f"Login {root.pk}", f"funding.funder {funder.pk}"]
    )
    assert not _leaks(repr(_admin_log())) and "root@example.org" not in repr(_admin_log())
