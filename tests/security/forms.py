"""Every form Trackii's pages show, found by reading the pages rather than listed by hand: each page of the
access matrix (tests/access/matrix.py) is fetched as each role that may open it, in the matrix's world
(tests/access/world.py), and every <form> in it is parsed with its fields, the way a browser would submit it
(its action, each button's formaction, each htmx request it makes), as are the requests a page makes outside
its forms (htmx polling, links with a query string). A form on a new page is picked up with the page's matrix
row; nothing here lists forms (stage_every_form only puts dialogue A in the states that show them)."""

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from allauth.usersessions.models import UserSession
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, InvitationStatus, ReviewCommentStatus, SummaryStatus, WorkshopStatus
from dialogues.models import ReviewComment, Summary, SummaryTranslation
from dialogues.removal import services as removal_services
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summaries
from funding.enums import GrantStatus
from funding.grants.services import rule_on_condition
from participants.models import Membership
from tests.access.matrix import MATRIX, OBJECTS
from tests.access.world import ROLES
from tests.factories import (
    ExpenseFactory,
    GrantFactory,
    InvitationFactory,
    PersonFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.accounts.sessions import SessionStore
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.staff.requests import services as staff_requests

# Fields the browser sends that carry no user input: the test client does not check CSRF, and a made-up
# token would only test Django's own middleware.
UNTOUCHED = {"csrfmiddlewaretoken"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    values: list[str] = field(default_factory=list)  # what the page offers: its value, or each option
    multiple: bool = False


@dataclass
class Form:
    """One way to submit a form: its target (the action, or a button's formaction) and its fields."""

    url_name: str
    path: str
    method: str
    multipart: bool
    htmx: bool
    role: str
    page: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        """Two forms that post the same fields to the same URL pattern are driven once."""
        return (self.method, self.url_name, tuple(sorted(self.fields)))

    def __str__(self) -> str:
        return f"{self.method} {self.url_name} ({self.path}) as {self.role}, seen on {self.page}"


class _FormParser(HTMLParser):
    """The forms of a page, with the fields that belong to them (inside, or outside with form="id")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.orphans: list[tuple[str, dict]] = []  # (form id, control) seen before their form
        self.current: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None
        # Requests a page makes outside its forms: htmx polling (hx-get) and links that carry a query string.
        self.requests: list[tuple[str, str, bool]] = []

    def _owner(self, attrs: dict) -> dict | None:
        if attrs.get("form"):
            return self.by_id.get(attrs["form"])
        return self.current

    def _add(self, attrs: dict, control: dict) -> None:
        owner = self._owner(attrs)
        if owner is not None:
            owner["controls"].append(control)
        elif attrs.get("form"):
            self.orphans.append((attrs["form"], control))

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        for verb in ("post", "get"):
            # An element that sends a request with htmx: inside a form it sends that form's fields (and its
            # own value); outside one, only what its URL carries.
            if attrs.get(f"hx-{verb}") and tag != "form":
                if self._owner(attrs) is not None:
                    self._add(attrs, {"tag": "htmx", "attrs": attrs, "values": [], "verb": verb})
                else:
                    self.requests.append((verb.upper(), attrs[f"hx-{verb}"], True))
        if tag == "a" and "?" in attrs.get("href", ""):
            self.requests.append(("GET", attrs["href"], False))
        if tag == "form":
            self.current = {"attrs": attrs, "controls": []}
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
        elif tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text").lower()
            self._add(attrs, {"tag": kind, "attrs": attrs, "values": [attrs.get("value", "")]})
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            self._add(attrs, {"tag": "button", "attrs": attrs, "values": [attrs.get("value", "")]})
        elif tag == "select" and "name" in attrs:
            self.select = {"tag": "select", "attrs": attrs, "values": []}
            self._add(attrs, self.select)
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": ""}
        elif tag == "textarea" and "name" in attrs:
            self.textarea = {"tag": "textarea", "attrs": attrs, "values": [""]}
            self._add(attrs, self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            # A browser drops the newline that follows <textarea> at once (Django writes one there).
            text = self.textarea["values"][0] + data
            self.textarea["values"][0] = text.removeprefix("\n") if not self.textarea["values"][0] else text

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option["value"]
            self.select["values"].append(self.option["text"].strip() if value is None else value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def close(self):
        super().close()
        for form_id, control in self.orphans:
            if form_id in self.by_id:
                self.by_id[form_id]["controls"].append(control)


def _target(path: str) -> tuple[str, str] | None:
    """(URL name, path) of a form's action on this site; None for another site or an unknown path."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name, parts.path + (f"?{parts.query}" if parts.query else "")


def parse_forms(html: str, *, page: str, role: str) -> list[Form]:
    """Every way to submit every form of a page: once per distinct action (a button's formaction is one)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    found = []
    for raw in parser.forms:
        method = raw["attrs"].get("method", "get").upper()
        action = urljoin(page, raw["attrs"].get("action") or page)
        multipart = raw["attrs"].get("enctype", "") == "multipart/form-data"
        htmx = any(name.startswith("hx-") for name in raw["attrs"])
        buttons = [c for c in raw["controls"] if c["tag"] == "button"]
        triggers = [c for c in raw["controls"] if c["tag"] == "htmx"]
        others = [c for c in raw["controls"] if c["tag"] not in {"button", "htmx"}]
        # Every way the form can be sent: to its action, by each button that sends it elsewhere, and by each
        # element that sends it with htmx (a live preview).
        actions: dict[tuple[str, str], list[dict]] = {}
        for button in buttons:
            actions.setdefault((method, button["attrs"].get("formaction") or action), []).append(button)
        actions.setdefault((method, action), [])
        for trigger in triggers:
            verb = trigger["verb"]
            actions.setdefault((verb.upper(), trigger["attrs"][f"hx-{verb}"]), []).append(trigger)
        for (target_method, target_path), pressed in actions.items():
            target = _target(target_path)
            if target is None:
                continue
            form = Form(
                url_name=target[0],
                path=target[1],
                method=target_method,
                multipart=multipart,
                htmx=htmx or any(c["tag"] == "htmx" for c in pressed),
                role=role,
                page=page,
            )
            for control in others + [b for b in pressed if b["attrs"].get("name")]:
                name = control["attrs"]["name"]
                entry = form.fields.setdefault(name, Field(name=name, kind=control["tag"]))
                entry.multiple = entry.multiple or "multiple" in control["attrs"]
                entry.values += [value for value in control["values"] if value not in entry.values]
            found.append(form)
    for target_method, url, htmx in parser.requests:
        url = urljoin(page, url)
        target = _target(url)
        if target is None:
            continue
        path = target[1].split("?")[0]
        form = Form(
            url_name=target[0],
            path=path,
            method=target_method,
            multipart=False,
            htmx=htmx,
            role=role,
            page=page,
        )
        for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            entry = form.fields.setdefault(name, Field(name=name, kind="query"))
            if value not in entry.values:
                entry.values.append(value)
        found.append(form)
    return found


# Objects of a place that a URL may be opened with besides the one its matrix row names: a summary's page
# is a different page (with different forms) for a sealed summary, one in review, a draft and so on.
ALTERNATIVES = {
    "summary_id": ("sealed", "in_review", "draft", "mentioning", "failed_seal", "review_waiting"),
    "workshop_id": ("workshop", "upcoming", "unsummarised"),
    "grant_id": ("grant", "active_grant"),
    "invitation_id": ("invitation", "without_login"),
    "membership_id": ("membership", "former_membership"),
}


def stage_every_form(world) -> None:
    """Put dialogue A in the states that show the forms its matrix world does not: a comment to answer, a
    review round that can close, a draft ready to seal and one that names a member, a failed seal, an upcoming
    workshop to answer, a held one without a summary, an invited member without a login, an active grant with
    an expense, and a flagged condition whose acceptance waits for a second convenor, a former member left the
    sealed summaries they attended, and a person cut off. New objects only: the matrix's stay."""
    place, by = world.a, world.users["superuser"]
    attended = place.membership.person
    now = timezone.now()
    series = place.workshop.series
    # The attended participant comments on the draft in review: the convenor can answer it, and with every
    # reviewer heard the round can close.
    summaries.add_review_comment(
        summary=place.in_review, person=attended, section="", body="Say who drafts it", by=attended.user
    )
    # A review round of the private draft is over: it can be sealed, and the participant's accepted
    # correction applied to it in one step.
    Summary.objects.filter(pk=place.draft.pk).update(review_deadline=now - dt.timedelta(days=1))
    ReviewComment.objects.create(
        summary=place.draft,
        author=attended,
        body="Not private.",
        quote="Private draft",
        suggested_text="Shared draft",
        status=ReviewCommentStatus.ACCEPTED,
    )
    # A round nobody has answered yet, before its deadline: closing it early, extending it, a reminder.
    waiting_workshop = WorkshopFactory(series=series, starts_at=now - dt.timedelta(days=15))
    InvitationFactory(workshop=waiting_workshop, person=attended, status=InvitationStatus.ATTENDED)
    place.review_waiting = summaries.open_review(
        summary=SummaryFactory(workshop=waiting_workshop, body="## Opening\n\nThe group met.\n"),
        deadline=now + dt.timedelta(days=3),
        by=by,
    )
    place.mentioning = summaries.save_draft(
        summary=SummaryFactory(workshop=WorkshopFactory(series=series, starts_at=now - dt.timedelta(days=9))),
        body=f"## Opening\n\n{attended.pseudonym} opened the meeting.\n",
        by=by,
    )
    # A parallel version in Russian: its remove button (issue 22).
    SummaryTranslation.objects.create(
        summary=place.mentioning,
        language="ru",
        body="## Открытие\n\nГруппа встретилась.\n",  # noqa: RUF001 (Russian)
    )
    place.failed_seal = SummaryFactory(
        workshop=WorkshopFactory(series=series, starts_at=now - dt.timedelta(days=12)),
        status=SummaryStatus.SEALING,
    )
    SealJob.objects.create(
        kind="summary", object_id=place.failed_seal.pk, state=SealJobState.FAILED, error="The worker stopped."
    )
    place.upcoming = WorkshopFactory(series=series, starts_at=now + dt.timedelta(days=20))
    scheduling_services.invite(workshop=place.upcoming, person=attended, by=by)
    # A member without a login invited to the matrix's workshop: the facilitators record their answer, and
    # the invitations page offers them a login invitation.
    newcomer = PersonFactory()
    dialogue_services.assign_role(
        dialogue=place.dialogue,
        role=DialogueRole.PARTICIPANT,
        person=newcomer,
        side=place.membership.side,
        by=by,
    )
    place.without_login = scheduling_services.invite(workshop=place.workshop, person=newcomer, by=by)
    place.unsummarised = WorkshopFactory(
        series=series,
        starts_at=now - dt.timedelta(days=6),
        ends_at=now - dt.timedelta(days=5),
        status=WorkshopStatus.HELD,
    )
    # Someone attended it, or "Write the summary" gives way to "Record attendance first" (issue 18).
    scheduling_services.mark_workshop_held(workshop=place.unsummarised, attended=[attended], by=by)
    place.active_grant = GrantFactory(
        dialogue=place.dialogue, funder=place.grant.funder, status=GrantStatus.ACTIVE
    )
    ExpenseFactory(grant=place.active_grant, description="Interpreters")
    rule_on_condition(condition=place.condition, ruling="accepted", rationale="Agreed on a call.", by=by)
    # The roster's Withdraw (a former member's kept reading) and Restore (a cut-off person) buttons.
    convenor = world.users["facilitator"]
    former, paused = (
        dialogue_services.add_person_with_role(
            dialogue=place.dialogue,
            role=DialogueRole.PARTICIPANT,
            person=PersonFactory(),
            side=place.membership.side,
            by=convenor,
        )
        for _ in range(2)
    )
    dialogue_services.revoke_role(
        dialogue=place.dialogue,
        person=former,
        role=DialogueRole.PARTICIPANT,
        keep_sealed_summaries=True,
        by=convenor,
    )
    removal_services.cut_off_person(
        person=paused, dialogue=place.dialogue, reason="Device seized at the border.", by=convenor
    )
    # Its kept reading is withdrawn on a confirmation page of its own (dialogues:kept_summaries_withdraw).
    place.former_membership = Membership.objects.get(dialogue=place.dialogue, person=former)
    # A staff request the superuser asked for: the staff requests page offers them its "Cancel" (issue 19).
    staff_requests.request_change(account=UserFactory(), kind="grant_role", role="auditor", by=by)
    # A session of the attended participant's, which their account page offers to end, and a disabled login,
    # whose page offers to enable it again (discover visits it: the matrix's accounts stay active).
    open_session = SessionStore()
    open_session["_auth_user_id"] = str(attended.user.pk)
    open_session.create()
    UserSession.objects.create(
        user=attended.user,
        session_key=open_session.session_key,
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 Firefox/140.0",
    )
    place.disabled_login = UserFactory(is_active=False)


def _kwargs_variants(name: str, place) -> list[dict]:
    objects = OBJECTS.get(name)
    if objects is None:
        return [{}]
    base = objects(place)
    variants = [base]
    for key, attributes in ALTERNATIVES.items():
        if key in base:
            for attribute in attributes:
                variant = {**base, key: getattr(place, attribute).pk}
                if variant not in variants:
                    variants.append(variant)
    return variants


def openers(name: str) -> list[str]:
    """The roles the matrix lets open a page (200, or a redirect that is not the login page's)."""
    row = MATRIX[name].get("GET", {})
    roles = []
    for role in ROLES:
        answer = row.get(role, row.get("*", "404")).split()[0]
        if answer == "200" or (answer == "302" and role != "anonymous"):
            roles.append(role)
    return roles


def post_users(name: str) -> list[str]:
    """The roles the matrix lets send a POST to a URL pattern of dialogue A (anything but 404, 405 or the
    login page)."""
    row = MATRIX[name].get("POST", {})
    users = []
    for role in ROLES:
        answer = row.get(role, row.get("*", "404")).split()[0]
        if answer not in {"404", "405"} and not (role == "anonymous" and answer == "302"):
            users.append(role)
    return users


def account_pages(resolver=None, prefix="") -> list[str]:
    """The paths of django-allauth's pages without parameters (login, password, second factor): left out
    of the access matrix (they show no dialogue), but their forms take input like any other."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += account_pages(entry, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
            view = getattr(entry.callback, "view_class", entry.callback)
            if view.__module__.startswith("allauth"):
                found.append("/" + route)
    return found


# Who opens the account pages: a visitor, a member, and an account that holds a second factor.
ACCOUNT_ROLES = ("anonymous", "participant_attended", "facilitator")


def discover(client_for, world) -> tuple[list[Form], int]:
    """Every distinct form on every page of dialogue A's world, and the number of pages fetched.
    `client_for(role)` gives a test client signed in as that role. The roles of dialogue B ("_other") see
    B's copy of the same pages, so they are left out."""
    forms: dict[tuple, Form] = {}
    visits = [
        (role, reverse(name, kwargs=kwargs))
        for name in MATRIX
        for role in openers(name)
        if not role.endswith("_other")
        for kwargs in _kwargs_variants(name, world.a)
    ]
    visits += [(role, path) for path in account_pages() for role in ACCOUNT_ROLES]
    # Staged accounts' pages, first: a disabled login (its "enable" form), and the attended participant's with
    # the session staged for them (its "end this session" form) before their own requests, at which allauth
    # forgets a tracked session their browser does not hold.
    accounts = [world.a.disabled_login.pk, world.a.membership.person.user_id]
    visits = [
        (role, reverse("staff:account_detail", kwargs={"account_id": account}))
        for account in accounts
        for role in openers("staff:account_detail")
        if not role.endswith("_other")
    ] + visits
    for role, path in visits:
        response = client_for(role).get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in parse_forms(response.content.decode(), page=path, role=role):
            known = forms.setdefault(form.key, form)
            for field_name, found in form.fields.items():  # one button says "issue", another "revoke"
                values = known.fields[field_name].values
                values += [value for value in found.values if value not in values]
    return list(forms.values()), len(visits)
