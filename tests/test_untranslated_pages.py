"""No English left behind (issue 22): every page a role can open reads in French when asked for French.

The catalogue check (tests/test_translations.py) holds that every *marked* string is translated; this holds
that nothing a person reads is left *unmarked*, or marked but rendered before the language was chosen. It
builds the access matrix's world (tests/access/world.py), and for every role renders every page that role
gets a 200 (or a form back with errors: 200/400) for in tests/access/matrix.py, and allauth's pages Trackii
serves, with `Accept-Language: fr`. Each page is reduced to what a person reads: text outside <script>,
<style> and <code>, the title, aria-label, placeholder, alt and data-label attributes, submit inputs' values.
What people typed (every text field of every row in the database: titles, notes, names, venues, reasons),
e-mail addresses, codenames and pseudonyms are taken out first: they stay as typed. Three things are English:

- a piece of text equal to an English msgid of the French catalogue whose translation differs (marked, but
  rendered in English: a label computed at import time, a choice shown by its value);
- a piece equal to the label Django makes from a model field's plain-English verbose name (a ModelForm
  without its own `labels`), unless French writes the word the same way (FRENCH_TOO);
- a run of two or more common English words (ENGLISH below), or a lone English button word (LONE).

The fix for a finding is to mark the string and translate it in fr, ru and ar (locale/README.md), never to
add it to an allow-list here.
"""

import functools
import re
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import capfirst

from tests.access.matrix import MATRIX, OBJECTS
from tests.access.world import ROLES, build_world
from tests.accounts.helpers import enrol_totp
from trackii.crypto import EncryptedJSONField, EncryptedTextField

# Common English words that are not also French words (no "on", "an", "or", "a", "dialogue", "date").
ENGLISH = frozenset(
    """the and with your you this that these those for has have had not will would should could can
    cannot may must are was were been being is it its of to from by at in into about which who whose what when
    where there their they them our we yet none only more than any all each every other no yes also
    workshop workshops summary summaries funder funders grant grants sealed signed sign review reviews
    draft drafts please here back next previous open opened closed close save saved edit delete add remove
    download upload show hide search new name names people person convenor""".split()  # noqa: SIM905
)
# Field labels that read the same in French.
FRENCH_TOO = frozenset(
    """Participant Date Note Notes Position Version Type Session Format Source Action Description Code Id ID
    Dialogue Section Minutes Affiliation""".split()  # noqa: SIM905
)
# Buttons and links of one English word.
LONE = frozenset(
    """save edit delete cancel back next previous search submit close download upload remove add send
    confirm continue none yes no show hide view open""".split()  # noqa: SIM905
)
# Not read as words: scripts, styles, and codes shown as codes (an audit row's action code, a copy code).
HIDDEN = ("script", "style", "template", "code", "kbd", "samp")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-label")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CODENAME = re.compile(r"\b[a-z]+(-[a-z0-9]+)+\b")  # secret-a, codename-3, P-32 below
PSEUDONYM = re.compile(r"\b[A-Z]{1,3}-\d+\b")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# allauth's pages that Trackii serves (tests/access/matrix.py leaves allauth out), by role: the facilitator
# has no authenticator app yet, the auditor has one and recovery codes (given in the test).
ALLAUTH_PAGES = [
    *(
        ("anonymous", name)
        for name in (
            "account_login",
            "account_signup",
            "account_inactive",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "account_email_verification_sent",
        )
    ),
    *(
        ("facilitator", name)
        for name in (
            "account_change_password",
            "account_logout",
            "account_reauthenticate",
            "mfa_index",
            "mfa_activate_totp",
            "usersessions_list",
        )
    ),
    *(
        ("auditor", name)
        for name in (
            "mfa_index",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_reauthenticate",
        )
    ),
]


class _Reader(HTMLParser):
    """The pieces of text a person reads, one per text node or attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        values = dict(attrs)
        self.pieces += [values[name] for name in ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.pieces.append(values["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.pieces.append(data)


def readable(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return [text for text in (" ".join(piece.split()) for piece in reader.pieces) if text]


OURS = ("dialogues", "participants", "funding", "trackii", "accounts", "audit", "sealing", "staff")


def typed_content() -> list[str]:
    """Every text people typed into the world: each free-text field of each row (no choice fields, whose
    values are codes), longest first so a long title goes before a word inside it."""
    found = set()
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | EncryptedTextField)
            and not isinstance(field, EncryptedJSONField)
            and not field.choices
        ]
        if not fields or not model._meta.app_label.startswith(OURS):
            continue
        for row in model._default_manager.all():
            for field in fields:
                value = getattr(row, field.attname, None)
                if isinstance(value, str):
                    for line in value.splitlines():
                        line = line.strip("# \t")
                        if len(line) >= 3:
                            found.add(" ".join(line.split()))
    return sorted(found, key=len, reverse=True)


def english_msgids() -> set[str]:
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    return {
        " ".join(entry.msgid.split())
        for entry in catalogue
        if entry.msgstr
        and entry.msgstr != entry.msgid
        and not entry.msgid_plural
        and "%" not in entry.msgid
        and "{" not in entry.msgid
        and len(entry.msgid) > 2
    }


def field_labels() -> set[str]:
    """The labels Django makes from model fields whose verbose name is plain English (not gettext_lazy):
    what a ModelForm shows unless the form gives its own `labels`. Words French shares are left out."""
    labels = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = getattr(field, "verbose_name", None)
            if isinstance(name, str) and name[:1].isalpha():
                labels.add(capfirst(name))
    return labels - FRENCH_TOO


def english_in(text: str, typed: list[str], msgids: set[str]) -> str | None:
    """Why this piece still reads in English, or None."""
    bare = text.rstrip(" :\u00a0")
    if bare in msgids:
        return "an English msgid"
    if bare in msgids_labels():
        return "a model field's English label"
    for content in typed:
        if content in text:
            text = text.replace(content, " ")
    text = PSEUDONYM.sub(" ", CODENAME.sub(" ", EMAIL.sub(" ", text)))
    words = [word.lower() for word in WORD.findall(text)]
    if len(words) == 1 and words[0] in LONE:
        return "an English button"
    if sum(word in ENGLISH for word in words) >= 2:
        return "English words"
    return None


def _just_signed_in(client, user) -> None:
    """Record a password given again a moment ago, as allauth does, so its pages that ask for it again
    (authenticator app, recovery codes) open instead of sending to the reauthentication page."""
    session = client.session
    record = {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    session["account_authentication_methods"] = [record]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


# Empty POSTs not followed: they sign out or change the language, so the page after them says nothing more.
NOT_FOLLOWED = {"set_language", "account_logout"}


@functools.cache
def msgids_labels() -> frozenset[str]:
    return frozenset(field_labels())


def pages(world):
    """(role, method, URL name, kwargs, follow) of every page a role gets a page back for, and of every empty
    POST a signed-in role is sent on from (follow: the page it lands on, with the message it was given)."""
    for name, methods in MATRIX.items():
        objects = OBJECTS.get(name)
        for method, row in methods.items():
            for role in ROLES:
                want = row.get(role, row["*"]).split()[0]
                kwargs = objects(world.a) if objects else {}
                if want in ("200", "400"):
                    yield role, method, name, kwargs, False
                elif want == "302" and method == "POST" and role != "anonymous" and name not in NOT_FOLLOWED:
                    yield role, method, name, kwargs, True
    for role, name in ALLAUTH_PAGES:
        yield role, "GET", name, {}, False


@pytest.mark.django_db
def test_every_page_reads_in_french(client, settings, capsys):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    world = build_world()
    enrol_totp(world.users["auditor"])
    RecoveryCodes.activate(world.users["auditor"])
    typed, msgids = typed_content(), english_msgids()
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    walked, not_pages = 0, []
    for role, method, name, kwargs, follow in pages(world):
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
            _just_signed_in(client, world.users[role])
        client.cookies.pop("messages", None)
        with transaction.atomic():
            url = reverse(name, kwargs=kwargs)
            response = getattr(client, method.lower())(url, follow=follow, HTTP_ACCEPT_LANGUAGE="fr")
            transaction.set_rollback(True)
        if response.status_code not in (200, 400):
            not_pages.append(f"{method} {name} as {role}: {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
            continue
        walked += 1
        for text in readable(response.content.decode()):
            why = english_in(text, typed, msgids)
            if why:
                found[(text, why)].add(f"{method} {name} as {role}")
    with capsys.disabled():
        print(f"\nuntranslated pages: {walked} pages walked, {len(found)} English pieces")
        print("not a page here (not walked):", "; ".join(not_pages) or "none")
    assert not not_pages, "these pages were not walked:\n" + "\n".join(not_pages)
    assert not found, "\n".join(
        f"{text!r} ({why}) on {', '.join(sorted(where)[:3])}" for (text, why), where in sorted(found.items())
    )


def test_the_checker_tells_english_from_french_and_from_what_people_typed():
    msgids = {"Ground rules"}
    typed = ["Hidden venue a", "Secret a talks"]
    assert english_in("Ground rules :", typed, msgids) == "an English msgid"
    assert english_in("Save", typed, msgids) == "an English button"
    assert english_in("Show the workshop to participants", typed, msgids) == "English words"
    assert english_in("Montrer « Secret a talks » aux participants", typed, msgids) is None
    assert english_in("Secret a talks · secret-a · P-32 · convenor@example.org", typed, msgids) is None
    assert english_in("Les participants du dialogue lisent les deux.", typed, msgids) is None
    page = '<p title="Is this the one">x</p><script>var the = 1;</script><code>summary.sealed</code>'
    assert readable(page) == ["Is this the one", "x"]
