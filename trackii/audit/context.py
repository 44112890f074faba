"""Who acts, from where: the context an audit row takes its request id and client address from.

Services never see the request (decision 0010). `AuditContextMiddleware` sets the context once per request;
a Celery task runs under one named after its task id (trackii/celery.py); a management command that writes
audit rows runs under `command_context(name)`, and a test may set any with `audit_context(...)`. Outside any
context a row is the system's, with no request id or address.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import ipaddress
import re
import uuid
from dataclasses import dataclass

from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxies() -> tuple[Network, ...]:
    """TRACKII_TRUSTED_PROXIES: addresses or networks of our own reverse proxies (empty: trust none)."""
    value = getattr(settings, "TRACKII_TRUSTED_PROXIES", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return _networks(tuple(value))


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request) -> bool:
    return _is_trusted(_parse_ip(request.META.get("REMOTE_ADDR", "")), trusted_proxies())


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or when that is one of our proxies, the right-most X-Forwarded-For entry that is not."""
    networks = trusted_proxies()
    remote = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _is_trusted(remote, networks):
        return remote.compressed
    # Entries left of the first untrusted hop were written by the client and prove nothing.
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    candidate = remote
    for item in reversed(forwarded):
        address = _parse_ip(item)
        if address is None:
            break
        candidate = address
        if not _is_trusted(address, networks):
            break
    return candidate.compressed


def request_id(request) -> str:
    """The id stored by AuditContextMiddleware; a request that did not pass through it gets one now."""
    value = getattr(request, "request_id", None)
    if not value:
        value = incoming_request_id(request)
        request.request_id = value
    return value


def incoming_request_id(request) -> str:
    # Only our own proxy may name the request; a client could otherwise make its rows look like another's.
    header = request.headers.get(REQUEST_ID_HEADER, "")
    if header and _REQUEST_ID.match(header) and from_trusted_proxy(request):
        return header
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class AuditContext:
    request_id: str = ""
    client_ip: str | None = None
    # A web request acts for someone who may be anonymous; a task or a command acts as the system.
    from_request: bool = False


SYSTEM = AuditContext()
_current: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "trackii_audit_context", default=SYSTEM
)


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def audit_context(*, request_id: str = "", client_ip: str | None = None, from_request: bool = False):
    """Rows written inside carry this request id and address; the previous context comes back after."""
    token = _current.set(AuditContext(request_id=request_id, client_ip=client_ip, from_request=from_request))
    try:
        yield
    finally:
        _current.reset(token)


_tasks: dict[str, contextvars.Token] = {}


def enter_task(task_id: str) -> None:
    """A Celery task's rows carry its task id as their request id (set before each task runs)."""
    _tasks[task_id] = _current.set(AuditContext(request_id=f"task-{task_id}"[:64]))


def leave_task(task_id: str) -> None:
    """The context from before the task comes back as it ends: a task run in the caller's thread (eagerly,
    as in tests) must not lend its id to the rows its caller writes next."""
    if (token := _tasks.pop(task_id, None)) is not None:
        _current.reset(token)


def command_context(name: str):
    """A management command's rows carry ``command-<name>`` as their request id, and no client address: the
    auditors can tell what the command did from what requests and tasks did (decision 0010)."""
    return audit_context(request_id=f"command-{name}"[:64])


def request_context(request):
    """The audit context of one HTTP request: its id and the client's address."""
    return audit_context(request_id=request_id(request), client_ip=client_ip(request), from_request=True)
