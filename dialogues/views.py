"""Pages of a dialogue: the dialogue page and its dashboard, opening and editing a dialogue, its sides
and status, the roster of members (removing someone and cutting them off: dialogues/removal/views.py), and
break-glass. Each view gets its objects through a selector and `fetch_or_404`, so an object the user may not
see is the same 404 as one that does not exist, for every method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors, services
from dialogues.destruction import selectors as destruction_selectors
from dialogues.enums import DialogueRole, DialogueStatus
from dialogues.forms import (
    AddMemberForm,
    BreakGlassForm,
    ChangeRoleForm,
    DialogueForm,
    DialogueStatusForm,
    NewDialogueForm,
    PeopleSearchForm,
    SideForm,
)
from dialogues.http import GET, GET_POST, POST
from dialogues.models import Dialogue
from dialogues.owndata import selectors as owndata_selectors
from dialogues.permissions import (
    can_manage_members,
    can_open_dialogues,
    can_see_names,
    can_view_insight,
    dialogue_access,
)
from dialogues.removal import selectors as removal_selectors
from dialogues.scheduling import selectors as scheduling_selectors
from dialogues.summaries import selectors as summary_selectors
from participants.models import Membership
from participants.selectors import pseudonym_in, pseudonyms_in
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


@login_required
@require_http_methods(["GET", "HEAD"])
def dialogue_detail(request, dialogue_id: int):
    dialogue = fetch_or_404(request, selectors.dialogues_for_user(user=request.user), pk=dialogue_id)
    access = dialogue_access(request.user)
    now = timezone.now()
    workshops = (
        selectors.workshops_for_user(user=request.user)
        .filter(series__dialogue=dialogue, ends_at__gte=now)
        .order_by("starts_at")[:10]
    )
    members = list(selectors.roster(dialogue=dialogue))
    columns = [(side.name, [m for m in members if m.side_id == side.pk]) for side in dialogue.sides.all()]
    unaligned = [m for m in members if m.side_id is None]
    concluded = dialogue.status == DialogueStatus.CONCLUDED
    if unaligned:
        columns.append((_("Observers and resource persons"), unaligned))
    context = {
        "dialogue": dialogue,
        "columns": columns,
        "show_names": can_see_names(access, dialogue),
        "can_manage": can_manage_members(access, dialogue),
        "can_plan": access.has(dialogue.pk, "view_all_workshops"),
        "workshops": workshops,
        "break_glass": selectors.active_break_glass(dialogue=dialogue, now=now)
        if can_manage_members(access, dialogue)
        else (),
        # A concluded dialogue's convenors: "Destroy this dialogue" and the retention's date (issue 23).
        "can_destroy": concluded and can_manage_members(access, dialogue),
        "destroy_on": destruction_selectors.scheduled_day(dialogue=dialogue)
        if concluded and can_manage_members(access, dialogue)
        else None,
    }
    return render(request, "dialogues/dialogue_detail.html", context)


def _dialogue(request, dialogue_id: int, codename: str) -> Dialogue:
    """The dialogue, if the user holds `codename` on it; otherwise the same 404 as a missing one."""
    return fetch_or_404(
        request, selectors.dialogues_for_user(user=request.user, codename=codename), pk=dialogue_id
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def members(request, dialogue_id: int):
    """The convenor's roster: who is in the dialogue, on which side, in which role, and whether they have
    accepted the ground rules; add a person with a side and a role."""
    dialogue = _dialogue(request, dialogue_id, "manage_members")
    form = AddMemberForm(
        request.POST if request.method == "POST" else None,
        dialogue=dialogue,
        people=selectors.people_known_to(user=request.user),
        memberships=selectors.memberships_known_to(user=request.user),
        # "Add to this dialogue" from a search result: the pseudonym typed in for the convenor.
        initial={"pseudonym": request.GET.get("add", "")[:32]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.add_person_with_role(
                dialogue=dialogue,
                role=data["role"],
                side=data.get("side"),
                person=data.get("person"),
                name=data["name"],
                email=data["email"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(pseudonym)s is now %(role)s here.")
                % {
                    # A member by their pseudonym here; the facilitation team by name (they have none here).
                    "pseudonym": pseudonyms_in(dialogue_id=dialogue.pk, person_ids=[person.pk]).get(
                        person.pk, person.name
                    ),
                    "role": DialogueRole(data["role"]).label.lower(),
                },
            )
            return redirect("dialogues:members", dialogue_id=dialogue.pk)
    if form.refused_unknown_person:
        services.record_refused_person(
            target=dialogue, attempted="add a person on file by e-mail", by=request.user
        )
    # Everyone who is or was here, each row with its person's cut-off if any (dialogues/removal/), and for a
    # convenor of other dialogues too the same person's pseudonyms there (decision 0026), in the rows' query.
    also = selectors.also_in_column(user=request.user, dialogue=dialogue)
    members, facilitators, former = removal_selectors.with_cut_offs(
        rows=[
            selectors.roster(dialogue=dialogue).annotate(also=also),
            dialogue.facilitators.select_related("person")
            .annotate(pseudonym_here=pseudonym_in(dialogue_ref="dialogue"))
            .order_by("role", "pk"),
            removal_selectors.former_members(dialogue=dialogue).annotate(also=also),
        ],
        dialogue=dialogue,
        user=request.user,
    )
    for row in [*members, *former]:
        row.also_in = selectors.also_in_links(row.also)
    search, found, more = _people_search(request, dialogue)
    context = {
        "dialogue": dialogue,
        "form": form,
        "search": search,
        "found": found,
        "more": more,
        "search_limit": selectors.SEARCH_LIMIT,
        "here": {row.person_id for row in [*members, *facilitators]},
        "members": members,
        "facilitators": facilitators,
        "former": former,
        # Erasure requests of people who are or were here (dialogues/owndata/), oldest first.
        "erasure_requests": list(owndata_selectors.open_requests_of_dialogue(dialogue=dialogue)),
        "role_form": ChangeRoleForm(dialogue=dialogue),
        # Once for the whole roster: each row's side menu reuses it.
        "sides": list(dialogue.sides.all()),
    }
    status = form_status(form) if form.errors else form_status(search)
    return render(request, "dialogues/members.html", context, status=status)


def _people_search(request, dialogue):
    """The roster's search of people on file (`?q=`): the form, and what it found (None before a search)."""
    if request.method == "POST" or "q" not in request.GET:
        return PeopleSearchForm(), None, False
    search = PeopleSearchForm(request.GET)
    if not search.is_valid():
        return search, None, False
    # Each found with `known_as` and `add_as` (selectors.search_people, decision 0026).
    found, more = services.search_people(dialogue=dialogue, query=search.cleaned_data["q"], by=request.user)
    return search, found, more


@login_required
@require_http_methods(["POST"])
def member_change(request, dialogue_id: int, membership_id: int):
    dialogue = _dialogue(request, dialogue_id, "manage_members")
    membership = fetch_or_404(
        request, Membership.objects.filter(dialogue=dialogue, left_on__isnull=True), pk=membership_id
    )
    form = ChangeRoleForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("dialogues:members", dialogue_id=dialogue.pk)
    try:
        services.assign_role(
            dialogue=dialogue,
            person=membership.person,
            role=form.cleaned_data["role"],
            side=form.cleaned_data["side"],
            by=request.user,
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("%(pseudonym)s's role was changed.") % {"pseudonym": membership.pseudonym}
        )
    return redirect("dialogues:members", dialogue_id=dialogue.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def break_glass(request):
    """An administrator's emergency access: time-limited, with a reason, visible to the convenors."""
    if not request.user.is_superuser:
        raise Http404
    dialogues = Dialogue.objects.only("id", "codename").order_by("codename")
    form = BreakGlassForm(request.POST if request.method == "POST" else None, dialogues=dialogues)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_break_glass(
                by=request.user,
                dialogue=form.cleaned_data["dialogue"],
                reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.warning(
                request,
                _(
                    "Break-glass access to %(codename)s until %(until)s. "
                    "Its convenors can see this, and every page you open is in the audit log."
                )
                % {
                    "codename": grant.dialogue.codename,
                    "until": f"{timezone.localtime(grant.expires_at):%H:%M %Z}",
                },
            )
            return redirect("dialogues:dialogue_detail", dialogue_id=grant.dialogue_id)
    grants = request.user.break_glass_grants.select_related("dialogue")[:20]
    return render(
        request,
        "dialogues/break_glass.html",
        {"form": form, "grants": grants, "now": timezone.now()},
        status=form_status(form),
    )


@login_required
@require_http_methods(GET_POST)
def dialogue_create(request):
    third_parties = selectors.third_parties_for_creator(user=request.user)
    if not third_parties.exists():
        raise Http404
    form = NewDialogueForm(request.POST if request.method == "POST" else None, third_parties=third_parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dialogue = services.open_dialogue(
                by=request.user,
                third_party=data["third_party"],
                title=data["title"],
                codename=data["codename"],
                sides=data["sides"],
                track=data["track"],
                objective=data["objective"],
                sensitivity=data["sensitivity"],
                conflict=data["conflict"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(codename)s is open, and you are its convenor.") % {"codename": dialogue.codename},
            )
            return redirect("dialogues:dashboard", dialogue_id=dialogue.pk)
    return render(request, "dialogues/dialogue_form.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(GET)
def dashboard(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "view_all_workshops")
    access = dialogue_access(request.user)
    now = timezone.now()
    upcoming = list(
        scheduling_selectors.workshops_with_counts(
            workshops=scheduling_selectors.workshops_with(user=request.user, codename="view_all_workshops")
        )
        .filter(series__dialogue=dialogue, ends_at__gte=now)
        .order_by("starts_at")[:10]
    )
    sides, series = selectors.dialogue_outline(dialogue=dialogue)  # the warnings need the sides too
    warnings = scheduling_selectors.workshop_warnings(
        dialogue=dialogue, workshops=upcoming, today=now.date(), sides=sides
    )
    context = {
        "dialogue": dialogue,
        "upcoming": [(w, warnings.get(w.pk, [])) for w in upcoming],
        "pending_rsvps": sum(w.n_invited for w in upcoming),
        "drafts": summary_selectors.drafts_awaiting(user=request.user, dialogue=dialogue),
        "sides": sides,
        "series": series,
        "outcomes": dialogue.outcomes.all()[:5] if access.has(dialogue.pk, "view_outcomes") else None,
        "break_glass": selectors.active_break_glass(dialogue=dialogue, now=now)
        if can_manage_members(access, dialogue)
        else (),
        "moves": status_moves(dialogue),
        "can_manage": access.has(dialogue.pk, "manage_dialogue"),
        "can_manage_members": can_manage_members(access, dialogue),
        "can_open_dialogues": can_open_dialogues(access),
        "can_schedule": access.has(dialogue.pk, "schedule_workshops"),
        "can_view_insight": can_view_insight(access, dialogue.pk),
        "viewer_tz": selectors.display_timezone(user=request.user),
    }
    return render(request, "dialogues/dashboard.html", context)


@login_required
@require_http_methods(GET_POST)
def dialogue_edit(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "manage_dialogue")
    form = DialogueForm(request.POST if request.method == "POST" else None, instance=dialogue)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dialogue(
                dialogue=dialogue,
                by=request.user,
                **{name: form.cleaned_data[name] for name in DialogueForm.Meta.fields},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The dialogue was saved."))
            return redirect("dialogues:dashboard", dialogue_id=dialogue.pk)
    if form.errors:
        dialogue.refresh_from_db()  # the page heading keeps the stored title, the form what was typed
    context = {"dialogue": dialogue, "form": form, "side_form": SideForm(), "sides": dialogue.sides.all()}
    return render(request, "dialogues/dialogue_edit.html", context, status=form_status(form))


# The dashboard's status buttons, each named for what it does, the next sensible move first: (to, label,
# offered as the main button). A new dialogue is not offered "Conclude"; where it is, it comes last.
STATUS_MOVES = {
    DialogueStatus.SCOPING: [(DialogueStatus.CONVENING, gettext_lazy("Start convening"), True)],
    DialogueStatus.CONVENING: [
        (DialogueStatus.ACTIVE, gettext_lazy("Open the dialogue"), True),
        (DialogueStatus.SCOPING, gettext_lazy("Back to scoping"), False),
        (DialogueStatus.CONCLUDED, gettext_lazy("Conclude"), False),
    ],
    DialogueStatus.ACTIVE: [
        (DialogueStatus.DORMANT, gettext_lazy("Mark dormant"), False),
        (DialogueStatus.CONCLUDED, gettext_lazy("Conclude"), False),
    ],
    DialogueStatus.DORMANT: [
        (DialogueStatus.ACTIVE, gettext_lazy("Resume the dialogue"), True),
        (DialogueStatus.CONCLUDED, gettext_lazy("Conclude"), False),
    ],
    DialogueStatus.CONCLUDED: [],
}


def _final(current: str, to: str) -> bool:
    """A move that cannot be taken back: no move leads from the new status to the old one."""
    return current not in services.DIALOGUE_TRANSITIONS[DialogueStatus(to)]


def status_moves(dialogue: Dialogue) -> list[dict]:
    allowed = services.DIALOGUE_TRANSITIONS[DialogueStatus(dialogue.status)]
    return [
        {"status": to, "label": label, "main": main, "confirm": _final(dialogue.status, to)}
        for to, label, main in STATUS_MOVES[DialogueStatus(dialogue.status)]
        if to in allowed
    ]


def _status_confirmation(request, dialogue: Dialogue, to: str) -> Confirmation:
    ahead = scheduling_selectors.workshops_ahead(dialogue=dialogue, now=timezone.now()).count()
    dashboard_url = reverse("dialogues:dashboard", args=[dialogue.pk])
    common = {
        "action": request.path,
        "back": dashboard_url,
        "back_label": "No, keep it as it is and go back to the dashboard",
        "hidden": {"status": to},
        "told": _(
            "Nobody is sent an e-mail. The change is in the audit log, and the facilitation team sees "
            "the new status on the dashboard."
        ),
        "breadcrumbs": [(reverse("home"), _("Your dialogues")), (dashboard_url, dialogue.codename)],
    }
    if to == DialogueStatus.CONCLUDED:
        return Confirmation(
            title=_("Conclude %(codename)s?") % {"codename": dialogue.codename},
            button=_("Yes, conclude the dialogue"),
            happens=[
                _("%(codename)s is marked concluded: its work is over.") % {"codename": dialogue.codename},
                _(
                    "Its members, sealed summaries, outcomes and funding records stay as they are, "
                    "readable by "
                    "the same people as now."
                ),
                ngettext(
                    "Concluding cancels nothing: %(count)d workshop ahead stays scheduled. "
                    "Cancel any that will "
                    "not take place first.",
                    "Concluding cancels nothing: %(count)d workshops ahead stay scheduled. "
                    "Cancel any that will "
                    "not take place first.",
                    ahead,
                )
                % {"count": ahead}
                if ahead
                else _("No workshop is scheduled ahead."),
            ],
            final=_("A concluded dialogue cannot be reopened, and its status can no longer change."),
            **common,
        )
    new = DialogueStatus(to).label.lower()
    return Confirmation(
        title=_("Make %(codename)s %(status)s?") % {"codename": dialogue.codename, "status": new},
        button=_("Yes, make it %(status)s") % {"status": new},
        happens=[_("%(codename)s becomes %(status)s.") % {"codename": dialogue.codename, "status": new}],
        final=_("It cannot go back to %(status)s. Later you can %(moves)s.")
        % {
            "status": DialogueStatus(dialogue.status).label.lower(),
            "moves": ", ".join(
                _("make it %(status)s") % {"status": DialogueStatus(s).label.lower()}
                for s in sorted(services.DIALOGUE_TRANSITIONS[DialogueStatus(to)])
            ),
        },
        **common,
    )


@login_required
@require_http_methods(GET_POST)
def dialogue_status(request, dialogue_id: int):
    """A status move. One that cannot be taken back (concluding, for one) asks first: a GET, or a POST
    without the confirmation, shows what it does; only a confirmed POST makes it."""
    dialogue = _dialogue(request, dialogue_id, "manage_dialogue")
    to_dashboard = redirect("dialogues:dashboard", dialogue_id=dialogue.pk)
    form = DialogueStatusForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        if request.method == "POST":
            messages.error(request, _("Choose the status to move the dialogue to."))
        return to_dashboard
    to = form.cleaned_data["status"]
    possible = to in services.DIALOGUE_TRANSITIONS[DialogueStatus(dialogue.status)]
    if possible and _final(dialogue.status, to) and not confirmed(request):
        return ask(request, _status_confirmation(request, dialogue, to))
    if request.method != "POST":
        return to_dashboard  # a GET never changes anything
    try:
        services.change_dialogue_status(dialogue=dialogue, status=to, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if to == DialogueStatus.CONCLUDED:
            messages.success(
                request,
                _("The dialogue is concluded. Its records stay readable; its status can no longer change."),
            )
        else:
            messages.success(
                request, _("The dialogue is now %(status)s.") % {"status": DialogueStatus(to).label.lower()}
            )
    return to_dashboard


@login_required
@require_http_methods(POST)
def side_add(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "manage_dialogue")
    form = SideForm(request.POST)
    if not form.is_valid():
        # The edit page again, with the error next to the side's name field.
        context = {
            "dialogue": dialogue,
            "form": DialogueForm(instance=dialogue),
            "side_form": form,
            "sides": dialogue.sides.all(),
        }
        return render(request, "dialogues/dialogue_edit.html", context, status=400)
    side = services.add_side(dialogue=dialogue, name=form.cleaned_data["name"], by=request.user)
    messages.success(request, _("Side “%(name)s” added.") % {"name": side.name})
    return redirect("dialogues:dialogue_edit", dialogue_id=dialogue.pk)
