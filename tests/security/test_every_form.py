"""Every form of every page, driven with hostile values by Hypothesis (issue 16, §5): as a role that may use
it, each form is sent with values mixed from what the page offers and what a script can send (empty, 100 KB,
NUL, lone surrogates, extreme dates and numbers, unknown zones, HTML, formula and SQL fragments). No answer
may be a 500, and a refused form (4xx, an error message, or a form with errors) writes nothing: every table
but the audit log and the session stores reads the same afterwards.

The forms come from the pages themselves (tests/security/forms.py), in the access matrix's world with dialogue
A put in the states that show every form; a POST URL of the matrix that no page offers a form for fails
test_every_post_url_has_a_form_to_drive. Each example runs in a savepoint rolled back afterwards, so every
form starts from the same world. Bounded for `make test`: a fixed number of examples per form, derandomized,
no example database."""

import copy
import datetime as dt
import re
import secrets
import time
import traceback
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import hypothesis
import pytest
from django.contrib import messages
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.matrix import MATRIX
from tests.access.world import build_world
from tests.helpers import ROOT
from tests.security.forms import UNTOUCHED, Field, Form, discover, post_users, stage_every_form
from trackii.accounts.middleware import MFA_STATE

pytestmark = pytest.mark.django_db  # both tests share one world (and stay together when pytest-django sorts)

# Examples per form: a few per field it has, within bounds (a form of buttons only has little to vary, and
# Hypothesis stops early once it has tried everything). Fixed, so the run takes the same time each time.
EXAMPLES_PER_FIELD, FEWEST, MOST = 4, 10, 30


def examples_for(form: Form) -> int:
    fields = len([name for name in form.fields if name not in UNTOUCHED])
    return max(FEWEST, min(MOST, EXAMPLES_PER_FIELD * fields))


# Tables a refused request may still write: the audit log records refusals and reads (DESIGN §4), and the
# session and login-throttle stores keep their own books.
WRITABLE_ON_REFUSAL = ("audit_auditevent", "django_session", "axes_", "usersessions_")

SURROGATE = "\ud800"
HOSTILE = [
    "",
    " ",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    SURROGATE,
    f"\udfff{SURROGATE}",
    "²",
    "٣",
    "-1",
    "0",
    "9" * 40,
    "-" + "9" * 40,
    "1e309",
    "NaN",
    "-Infinity",
    "0x1F",
    "1_000",
    "9999-12-31",
    "0001-01-01",
    "9999-12",
    "0001-01",
    "10000-01-01",
    "2030-02-30",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "1900-01-01T00:00",
    "2200-12-31T23:59",
    "2030-01-01T10:00+99:00",
    "Mars/Olympus_Mons",
    "../../../etc/passwd",
    "Europe/Oslo\x00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}{% debug %}",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "@SUM(A1:A9)",
    "' OR '1'='1",
    "1; DROP TABLE dialogues_dialogue; --",
    "%_\\",
    "\u202egnp.exe",
    "line\r\nX-Injected: 1",
    "🕊️" * 2_000,
    "//evil.example/",
    "javascript:alert(1)",
    "#" + "9" * 30,
]

# Values hostile to a kind of field, tried more often on fields of that kind (a date field with a year-9999
# date, a number field with "²"), since a value the first check refuses never reaches the code behind it.
BY_KIND = {
    "date": [
        "9999-12-31", "0001-01-01", "9999-12", "0001-01", "1899-12-31", "2201-01-01", "10000-01-01",
        "2030-02-30", "2030-13", "0000-00-00", "²٣",
    ],
    "datetime-local": [
        "0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59", "2201-01-01T00:00", "2030-01-01T25:00",
        "2030-01-01T10:00+99:00", "2030-03-31T02:30", "2030-01-01", "²",
    ],
    "number": [
        "²", "٣", "-1", "0", "9" * 19, "9" * 40, "-" + "9" * 40, "1e309", "NaN", "-Infinity", "0x1F",
        "1_000", "0.001", "#²",
    ],
    "select": ["Mars/Olympus_Mons", "999999999999999999", "²", "core-²", "core-999999"],
}  # fmt: skip
DATE_SHAPE = re.compile(r"\d{4}-\d{2}(-\d{2})?(T\d{2}:\d{2})?")
NUMBER_SHAPE = re.compile(r"#?\d+")

ABSENT = object()  # the field is not sent at all


def kind_of(field: Field) -> str:
    """The field's kind, or for a text or hidden value (a query string's) the kind its value looks like."""
    if field.kind in BY_KIND or field.kind in {"email", "file", "textarea"}:
        return field.kind
    sample = next((value for value in field.values if value), "")
    if DATE_SHAPE.fullmatch(sample):
        return "datetime-local" if "T" in sample else "date"
    if NUMBER_SHAPE.fullmatch(sample):
        return "number"
    return field.kind


def valid_values(field: Field) -> st.SearchStrategy[str]:
    """What a person filling the form in would send: an offered value, or one of the field's kind."""
    offered = [value for value in field.values if value]
    if offered:
        return st.sampled_from(offered)
    kind = kind_of(field)
    if kind == "date":
        return st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)
    if kind == "datetime-local":
        moments = st.datetimes(dt.datetime(2027, 1, 1), dt.datetime(2027, 12, 31))
        return moments.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
    if kind == "number":
        return st.integers(1, 500).map(str)
    if kind == "email":
        return st.just("new.member@example.org")
    return st.sampled_from(["Hostile input check", "P-99", "Oslo"])


def _wide_values(kind: str) -> st.SearchStrategy[str]:
    """Values of the field's type across the whole range Python allows, and text of any code point."""
    if kind == "date":
        return st.dates().map(dt.date.isoformat)
    if kind == "datetime-local":
        return st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
    if kind == "number":
        return st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)).map(str)
    return st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates and controls included


def _spliced(offered: list[str], pieces: list[str]) -> st.SearchStrategy[str]:
    """An offered value with part of it replaced by a hostile one: "#10" becomes "#²", "2026-11" "9999-12"."""

    @st.composite
    def splice(draw):
        value = draw(st.sampled_from(offered))
        start = draw(st.integers(0, len(value)))
        end = draw(st.integers(start, len(value)))
        return value[:start] + draw(st.sampled_from(pieces)) + value[end:]

    return splice()


def hostile_values(field: Field) -> st.SearchStrategy:
    kind = kind_of(field)
    pieces = BY_KIND.get(kind, []) + HOSTILE
    # Half the time a value hostile to this kind of field, else any hostile value, a spliced one or one
    # from anywhere in the type's range.
    anything = st.one_of(
        st.sampled_from(HOSTILE),
        _spliced([value for value in field.values if value] or [""], pieces),
        _wide_values(kind),
    )
    one = st.one_of(st.sampled_from(BY_KIND[kind]), anything) if kind in BY_KIND else anything
    # Mostly one value; now and then the field left out, or sent two or three times.
    return st.integers(0, 9).flatmap(
        lambda n: st.just(ABSENT) if n == 0 else st.lists(one, min_size=2, max_size=3) if n == 1 else one
    )


# The ends of each kind's range, tried on every field of that kind before Hypothesis' own examples: a date
# at either end of Python's calendar, shaped like the field's own value (a month, a day), on the clocks
# farthest east and west of UTC where the form has a zone to choose.
EDGES = {
    "date": ["9999-12-31", "0001-01-01"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "number": ["²", "9" * 40],
}
FARTHEST = {"0001-01-01": "Pacific/Kiritimati", "9999-12-31": "Etc/GMT+12"}


def _plain(field: Field) -> str:
    """One ordinary value for the field: the first it offers, or a fixed one of its kind."""
    offered = [value for value in field.values if value]
    plain = {
        "date": "2026-06-01",
        "datetime-local": "2027-03-01T10:00",
        "number": "1",
        "email": "new@example.org",
    }
    return offered[0] if offered else plain.get(kind_of(field), "Hostile input check")


def edge_examples(form: Form) -> list[dict]:
    base = {name: _plain(field) for name, field in form.fields.items()}
    found = []
    for name, field in form.fields.items():
        kind, sample = kind_of(field), base[name]
        if name in UNTOUCHED or kind not in EDGES:
            continue
        for edge in EDGES[kind]:
            value = edge
            if kind == "date" and sample[:4].isdigit():
                value = edge[: len(sample)]  # a month stays a month: "9999-12"
            elif kind == "number":
                value = re.match(r"\D*", sample).group() + edge  # a person's "#10" becomes "#²"
            fields = {**base, name: value}
            zone = FARTHEST.get(edge[:10])
            for other, choices in form.fields.items():
                if zone and zone in choices.values:
                    fields[other] = zone
            found.append({"fields": fields, "htmx": False, "upload": ("summary.pdf", b"")})
    return found


@st.composite
def form_data(draw, form: Form) -> dict:
    """One submission: one or two fields hostile, the others as a person would fill them in, so that the
    hostile value gets past the other fields' checks to the code behind them."""
    fillable = [name for name in form.fields if name not in UNTOUCHED]
    hostile = draw(st.sets(st.sampled_from(fillable), min_size=1, max_size=2)) if fillable else set()
    fields = {}
    for name, field in form.fields.items():
        if name in UNTOUCHED:
            fields[name] = field.values[0]
        else:
            fields[name] = draw(hostile_values(field) if name in hostile else valid_values(field))
    upload = st.one_of(
        st.sampled_from([b"", b"%PDF-1.7\n%%EOF\n", b"\x00" * 100_000, b"%PDF-" + b"9" * 1000]),
        st.binary(max_size=512),
    )
    return {
        "fields": fields,
        "htmx": draw(st.booleans()) if form.htmx else False,
        "upload": draw(st.tuples(st.sampled_from([*HOSTILE[:8], "summary.pdf"]), upload)),
    }


def _pairs(form: Form, fields: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in fields.items():
        if value is ABSENT or form.fields[name].kind == "file":
            continue
        pairs += [(name, one) for one in value] if isinstance(value, list) else [(name, value)]
    return pairs


def _quote(text: str) -> str:
    """As a script sends it: a lone surrogate goes as the bytes a lax encoder makes of it."""
    return quote(text, safe="", errors="surrogatepass")


def _multipart(pairs, files, boundary: str) -> bytes:
    body = b""
    for name, value in pairs:
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    for name, (filename, content) in files.items():
        disposition = f'form-data; name="{name}"; filename="{filename}"'.encode("utf-8", "surrogatepass")
        body += (
            f"--{boundary}\r\nContent-Disposition: ".encode()
            + disposition
            + b"\r\nContent-Type: application/pdf\r\n\r\n"
            + content
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode()


def send(client: Client, form: Form, data: dict):
    pairs = _pairs(form, data["fields"])
    headers = {"HX-Request": "true"} if data["htmx"] else {}
    if form.method == "GET":
        query = "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)
        return client.get(f"{form.path}?{query}", headers=headers)
    if form.multipart:
        files = {name: data["upload"] for name, field in form.fields.items() if field.kind == "file"}
        if data["fields"].get(next(iter(files), None)) is ABSENT:
            files = {}
        boundary = secrets.token_hex(8)
        return client.post(
            form.path,
            _multipart(pairs, files, boundary),
            content_type=f"multipart/form-data; boundary={boundary}",
            headers=headers,
        )
    body = "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)
    return client.post(form.path, body, content_type="application/x-www-form-urlencoded", headers=headers)


def fingerprint() -> dict[str, tuple]:
    """Each table's row count and a hash of its rows, but for the ones a refusal may write."""
    tables = [
        table
        for table in sorted(connection.introspection.table_names())
        if not table.startswith(WRITABLE_ON_REFUSAL)
    ]
    # Table names come from the database's own catalogue, not from input.
    query = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), ''))"  # noqa: S608
        f' FROM "{table}" t'
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def refused(response) -> bool:
    """A 4xx, an error or warning message for the next page, or a page showing a form with errors."""
    if response.status_code >= 400:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    if storage is not None and any(m.level >= messages.WARNING for m in storage._queued_messages):
        return True
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values() if isinstance(layer, dict) else []:
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    return True
    return False


def _cause(response) -> str:
    """Where a 500 came from: the exception and the last frame of our own code."""
    exc_type, exc, tb = response.exc_info
    ours = [
        f
        for f in traceback.extract_tb(tb)
        if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename
    ]
    where = f"{Path(ours[-1].filename).relative_to(ROOT)}:{ours[-1].lineno}" if ours else "?"
    return f"{exc_type.__name__} at {where}: {str(exc)[:120]}"


@pytest.fixture(scope="module")
def staged(django_db_setup, django_db_blocker):
    """The matrix's world with every form on show, a signed-in client per role, the forms found on its pages,
    and the fingerprint of the database every example must leave as it was when it is refused. Built once
    for this module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        stage_every_form(world)
        clients = {}

        def client_for(role: str) -> Client:
            if role not in clients:
                client = clients[role] = Client(raise_request_exception=False)
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                    session = client.session
                    session[MFA_STATE] = "ok"  # these accounts hold a second factor in the world
                    session.save()
            return clients[role]

        forms, pages = discover(client_for, world)
        yield {"forms": forms, "pages": pages, "client_for": client_for, "baseline": fingerprint()}
        transaction.set_rollback(True)


def test_every_post_url_has_a_form_to_drive(staged):
    """A POST URL of the access matrix that some role may use but no page offers a form for would go
    untested here: show its form on a page, or stage the state that shows it (stage_every_form)."""
    driven = {form.url_name for form in staged["forms"] if form.method == "POST"}
    posted = {name for name, methods in MATRIX.items() if "POST" in methods and post_users(name)}
    assert posted - driven == set()


def drive(
    form: Form, client: Client, *, baseline: dict, tally: Counter, values: set, causes: Counter
) -> None:
    """Send one form examples_for(form) times with Hypothesis' values; fail on a 500 or a refused write."""

    @settings(
        max_examples=examples_for(form),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(form_data(form))
    def example(data):
        cookies = copy.deepcopy(client.cookies)  # a logout in one example must not end the next
        try:
            with transaction.atomic():
                response = send(client, form, data)
                tally["requests"] += 1
                values.update((form.url_name, name, value) for name, value in _pairs(form, data["fields"]))
                if response.status_code >= 500:
                    tally["500"] += 1
                    cause = _cause(response) if response.exc_info else str(response.status_code)
                    causes[cause] += 1
                    raise AssertionError(f"HTTP {response.status_code}: {cause}")
                if refused(response):
                    tally["refused"] += 1
                    after = fingerprint()
                    changed = sorted(table for table in after if after[table] != baseline.get(table))
                    if changed:
                        tally["partial writes"] += 1
                        raise AssertionError(f"refused ({response.status_code}) but wrote {changed}")
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies

    for edge in edge_examples(form):
        example = hypothesis.example(edge)(example)
    example()


def test_no_form_answers_500_or_writes_when_refused(staged, capsys):
    forms: list[Form] = staged["forms"]
    tally, causes, values, failures = Counter(), Counter(), set(), []
    started = time.monotonic()
    for form in forms:
        client = staged["client_for"](form.role)
        try:
            drive(form, client, baseline=staged["baseline"], tally=tally, values=values, causes=causes)
        except Exception as error:  # every form is driven; all failures are reported together
            notes = "\n".join(getattr(error, "__notes__", []))
            failures.append(f"{form}\n  {error}\n  {notes[:2000]}")

    with capsys.disabled():
        print(
            f"\nhostile forms: {len(forms)} forms from {staged['pages']} pages fetched, "
            f"{len(values)} distinct values, {tally['requests']} requests ({tally['refused']} refused), "
            f"{tally['500']} answers of 500, {tally['partial writes']} partial writes, "
            f"in {time.monotonic() - started:.0f} s"
        )
        for cause, count in causes.most_common():
            print(f"  500 x{count}: {cause}")
    assert not failures, "\n\n".join(failures)
