"""Small helpers shared by tests of different apps."""

import base64
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def pg_dump() -> str:
    """The test database as `pg_dump --data-only` writes it: what a stolen backup would show."""
    executable = shutil.which("pg_dump")
    assert executable, "pg_dump (PostgreSQL's client) is needed for this test"
    settings = connection.settings_dict
    return subprocess.run(
        [
            executable, "--data-only", "--no-owner", "-h", settings["HOST"],
            "-p", str(settings["PORT"] or 5432), "-U", settings["USER"], settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or ""},
    ).stdout  # fmt: skip


_ENCODED = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re.compile(r"\\x((?:[0-9a-fA-F]{2})+)")


def _decoded(token: str) -> bytes | None:
    altchars = b"-_" if ("-" in token or "_" in token) else None
    try:
        data = base64.b64decode(token + "=" * (-len(token) % 4), altchars=altchars, validate=True)
    except ValueError:
        return None
    try:
        return zlib.decompress(data)  # Django compresses signed values when that makes them shorter
    except zlib.error:
        return data


def readable(text: str, *, depth: int = 3) -> str:
    """The text and what anyone reads in it by decoding, without any key: base64 (standard and URL-safe, as
    Django's signed sessions and cookies use), zlib and bytea hex, a few layers deep. Encoded or signed is
    still in clear; only what is encrypted stays unreadable. Search the result case-insensitively."""
    layers, layer = [text], text
    for _ in range(depth):
        found = [bytes.fromhex(digits) for digits in _HEX.findall(layer)]
        found += [data for data in map(_decoded, _ENCODED.findall(layer)) if data]
        if not found:
            break
        layer = "\n".join(data.decode("utf-8", "replace") for data in found)
        layers.append(layer)
    return "\n".join(layers)


def cookie_values(client, *responses) -> str:
    """Every cookie value a browser was sent (each Set-Cookie of the responses) or holds, readable()."""
    values = [morsel.value for response in responses for morsel in response.cookies.values()]
    values += [morsel.value for morsel in client.cookies.values()]
    return readable("\n".join(values))


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(**extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TRACKII_VAR_DIR": str(django_settings.VAR_DIR),
        **extra,
    }
    env.setdefault("REDIS_URL", django_settings.CELERY_BROKER_URL)
    return env


class Worker:
    """A `celery worker` process with one solo pool, like the deployment's worker but on the test database."""

    def __init__(self, tmp_path: Path, **env):
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trackii",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"seal-{os.getpid()}-%h-{time.monotonic_ns()}",
            ],
            cwd=ROOT,
            env=child_env(**env),
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_for(condition, *, timeout: float, every: float = 0.05, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(message or "timed out")


SENT_BY_BUTTONS = ("submit", "button", "image", "reset", "file")


class _FormReader(HTMLParser):
    """What a browser would send from the forms of a page, form by form (see `submitted_values`)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[dict, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attrs, []))
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type", "text") not in SENT_BY_BUTTONS:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            self.forms[-1][1].append((attrs["name"], _sanitised(kind, value)))
        elif tag == "select" and attrs.get("name"):
            self._select, self._options = attrs["name"], []
        elif tag == "option" and self._select is not None:
            self._option, self._text = attrs, ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value = self._option.get("value", self._text.strip())
            self._options.append((value, "selected" in self._option))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.forms[-1][1].append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser leaves the newline that follows <textarea> in the text; browsers drop it.
            self.forms[-1][1].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


_BROWSER_VALUES = {
    # A browser drops a value it cannot read in these inputs: it shows them empty and sends "" back.
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "number": re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"),
}


def _sanitised(kind: str, value: str) -> str:
    pattern = _BROWSER_VALUES.get(kind)
    return value if pattern is None or pattern.fullmatch(value) else ""


def submitted_values(html: str, *, index: int = -1, action: str | None = None) -> dict[str, str | list[str]]:
    """The fields a browser would submit, unchanged, from one form of the page (the one whose action is
    `action`, else the `index`-th), ready for the test client: a name sent several times maps to a list.
    Values a date, time or number input cannot show are sent empty, as browsers do."""
    reader = _FormReader()
    reader.feed(html)
    forms = reader.forms
    if action is not None:
        forms = [form for form in forms if form[0].get("action", "") == action]
    values: dict[str, list[str]] = {}
    for name, value in forms[index][1]:
        values.setdefault(name, []).append(value)
    return {name: sent[0] if len(sent) == 1 else sent for name, sent in values.items()}


class _ErrorReader(HTMLParser):
    """Ids and their text, the fields marked invalid with what describes them (their own aria-describedby, or
    their fieldset's), the error lists, the error summaries and their links, the title."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed"}

    def __init__(self):
        super().__init__()
        self.text_of: dict[str, str] = {}
        self.invalid: list[tuple[str, list[str]]] = []
        self.error_lists: list[str] = []
        self.summaries: list[dict] = []
        self.summary_links: list[str] = []
        self.title = ""
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        classes = set(attrs.get("class", "").split())
        described_by = attrs.get("aria-describedby", "").split()
        if attrs.get("aria-invalid") == "true":
            fieldsets = [
                e["described_by"] for e in self._open if e["tag"] == "fieldset" and e["described_by"]
            ]
            name = attrs.get("id") or attrs.get("name", tag)
            self.invalid.append((name, described_by or (fieldsets[-1] if fieldsets else [])))
        if tag == "ul" and {"field__errors", "errorlist"} & classes:
            self.error_lists.append(attrs.get("id", ""))
        if "error-summary" in classes:
            self.summaries.append(attrs)
        if tag == "a" and any(e["summary"] for e in self._open):
            self.summary_links.append(attrs.get("href", ""))
        if tag not in self.VOID:
            self._open.append(
                {
                    "tag": tag,
                    "id": attrs.get("id"),
                    "summary": "error-summary" in classes,
                    "described_by": described_by,
                }
            )
            if attrs.get("id"):
                self.text_of.setdefault(attrs["id"], "")
        elif attrs.get("id"):
            self.text_of.setdefault(attrs["id"], attrs.get("value", "") or tag)

    def handle_data(self, data):
        if self._open and self._open[-1]["tag"] == "title":
            self.title += data
        for element in self._open:
            if element["id"]:
                self.text_of[element["id"]] += data

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break


def refused_form(html: str) -> _ErrorReader:
    """Check a page that shows a refused form as a keyboard or screen-reader user meets it: the title starts
    with "Error: ", one error summary takes the focus (autofocus, tabindex=-1) and links to fields that exist;
    every field marked invalid is described by elements that exist and say something; every error list next
    to a field is named by the aria-describedby of a field. Returns what it read, for more checks."""
    page = _ErrorReader()
    page.feed(html)
    assert page.title.strip().startswith("Error: "), page.title
    assert len(page.summaries) == 1, page.summaries
    assert "autofocus" in page.summaries[0] and page.summaries[0].get("tabindex") == "-1"
    for href in page.summary_links:
        assert href.startswith("#") and href[1:] in page.text_of, f"the summary links to a missing {href}"
    assert page.invalid, "no field is marked aria-invalid"
    for field, described_by in page.invalid:
        assert described_by, f"{field} is invalid but described by nothing"
        for element_id in described_by:
            assert page.text_of.get(element_id, "").strip(), f"{field} is described by a missing {element_id}"
    named = {element_id for _, described_by in page.invalid for element_id in described_by}
    for element_id in page.error_lists:
        assert element_id in named, f"the error list {element_id or '(without an id)'} belongs to no field"
    return page
