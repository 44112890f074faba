"""How the auditors' pages name the objects audit rows are about: "tidewater · series 1 · workshop 2 · summary
v1", "tidewater · membership of P-17" (trackii.domain_hooks.audit_object_labels answers with this module).

Auditors see codenames, positions, numbers, versions, copy codes and pseudonyms only: never a dialogue's or a
series' title, a name, an e-mail address, a side's name or any content. One query per type of object on the
page, whatever the number of rows; an object that no longer exists (or an id that never named one) is left
out, and the audit app names it by its type and id.

On the composition floor: it may import every app, and only trackii.domain_hooks calls it."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Model, Q
from django.utils.translation import gettext as _

from dialogues.models import (
    AgendaItem,
    BreakGlassGrant,
    Dialogue,
    Invitation,
    Notification,
    Outcome,
    PersonalCalendar,
    ReviewComment,
    ReviewSignoff,
    RipenessEntry,
    Side,
    Summary,
    SummaryCopy,
    SummaryReading,
    Unavailability,
    Workshop,
    WorkshopSeries,
)
from funding.models import Condition, Disclosure, Expense, FundingNote, Grant
from participants.models import CutOff, Facilitator, Membership, Person
from trackii.accounts.models import AccountInvitation


def _workshop(prefix: str = "") -> tuple[tuple[str, ...], Callable[[dict], str]]:
    """The fields of a workshop (reached through `prefix`) and its neutral label, "tidewater · series 1 ·
    workshop 2": the series by position, never its title (Workshop.neutral_label)."""
    fields = (f"{prefix}series__dialogue__codename", f"{prefix}series__position", f"{prefix}number")
    return (
        fields,
        lambda r: (
            _("%(codename)s · series %(series)s · workshop %(workshop)s")
            % {
                "codename": r[fields[0]],
                "series": r[fields[1]],
                "workshop": r[fields[2]],
            }
        ),
    )


def _summary(prefix: str = "") -> tuple[tuple[str, ...], Callable[[dict], str]]:
    fields, workshop = _workshop(f"{prefix}workshop__")
    return (
        (*fields, f"{prefix}version"),
        lambda r: (
            _("%(workshop)s · summary v%(version)s")
            % {
                "workshop": workshop(r),
                "version": r[f"{prefix}version"],
            }
        ),
    )


def _under(
    parent: tuple[tuple[str, ...], Callable[[dict], str]],
    fields: tuple[str, ...],
    tail: Callable[[dict], str],
) -> tuple[tuple[str, ...], Callable[[dict], str]]:
    """A label that is its parent's followed by " · " and more: "<summary> · comment #3 by P-17"."""
    parent_fields, parent_label = parent
    return (*parent_fields, *fields), lambda r: f"{parent_label(r)} · {tail(r)}"


def _in_dialogue(path: str, fields: tuple[str, ...], tail: Callable[[dict], str]):
    """A label that starts with the codename of the dialogue at `path`, when there is one (a grant may have
    none yet)."""
    codename = f"{path}codename"
    return (codename, *fields), lambda r: f"{r[codename]} · {tail(r)}" if r[codename] else tail(r)


def _who(r: dict, field: str) -> str:
    return r[field] or _("someone")


# target type -> (model, the fields its label reads, the label from a row of those fields and "pk"). Read
# with values(): one query per type, no model instance, no encrypted column is loaded or decrypted.
LABELS: dict[str, tuple[type[Model], tuple[tuple[str, ...], Callable[[dict], str]]]] = {
    "dialogues.dialogue": (Dialogue, (("codename",), lambda r: r["codename"])),
    "dialogues.side": (Side, _in_dialogue("dialogue__", (), lambda r: _("side #%(id)s") % {"id": r["pk"]})),
    "dialogues.workshopseries": (
        WorkshopSeries,
        _in_dialogue(
            "dialogue__", ("position",), lambda r: _("series %(position)s") % {"position": r["position"]}
        ),
    ),
    "dialogues.workshop": (Workshop, _workshop()),
    "dialogues.agendaitem": (
        AgendaItem,
        _under(_workshop("workshop__"), (), lambda r: _("agenda item #%(id)s") % {"id": r["pk"]}),
    ),
    "dialogues.invitation": (
        Invitation,
        _under(
            _workshop("workshop__"),
            ("person__pseudonym",),
            lambda r: _("invitation of %(who)s") % {"who": _who(r, "person__pseudonym")},
        ),
    ),
    "dialogues.notification": (
        Notification,
        _under(
            _workshop("workshop__"),
            ("person__pseudonym",),
            lambda r: _("e-mail to %(who)s") % {"who": _who(r, "person__pseudonym")},
        ),
    ),
    "dialogues.unavailability": (
        Unavailability,
        (
            ("person__pseudonym",),
            lambda r: (
                _("unavailable dates #%(id)s of %(who)s")
                % {"id": r["pk"], "who": _who(r, "person__pseudonym")}
            ),
        ),
    ),
    "dialogues.personalcalendar": (
        PersonalCalendar,
        (
            ("user_id", "user__person__pseudonym"),
            lambda r: _("calendar of %(who)s") % {"who": r["user__person__pseudonym"] or f"#{r['user_id']}"},
        ),
    ),
    "dialogues.summary": (Summary, _summary()),
    "dialogues.reviewcomment": (
        ReviewComment,
        _under(
            _summary("summary__"),
            ("author__pseudonym",),
            lambda r: _("comment #%(id)s by %(who)s") % {"id": r["pk"], "who": _who(r, "author__pseudonym")},
        ),
    ),
    "dialogues.reviewsignoff": (
        ReviewSignoff,
        _under(
            _summary("summary__"),
            ("person__pseudonym",),
            lambda r: _("sign-off by %(who)s") % {"who": _who(r, "person__pseudonym")},
        ),
    ),
    "dialogues.summarycopy": (
        SummaryCopy,
        _under(
            _summary("summary__"),
            ("copy_code", "holder__pseudonym"),
            lambda r: (
                _("copy %(code)s for %(who)s") % {"code": r["copy_code"], "who": _who(r, "holder__pseudonym")}
            ),
        ),
    ),
    "dialogues.summaryreading": (
        SummaryReading,
        _under(_summary("summary__"), (), lambda r: _("reading #%(id)s") % {"id": r["pk"]}),
    ),
    "dialogues.outcome": (
        Outcome,
        _in_dialogue("dialogue__", (), lambda r: _("outcome #%(id)s") % {"id": r["pk"]}),
    ),
    "dialogues.ripenessentry": (
        RipenessEntry,
        _in_dialogue("dialogue__", (), lambda r: _("ripeness log entry #%(id)s") % {"id": r["pk"]}),
    ),
    "dialogues.breakglassgrant": (
        BreakGlassGrant,
        _in_dialogue("dialogue__", (), lambda r: _("break-glass #%(id)s") % {"id": r["pk"]}),
    ),
    "participants.person": (Person, (("pseudonym",), lambda r: r["pseudonym"])),
    "participants.membership": (
        Membership,
        _in_dialogue(
            "dialogue__",
            ("person__pseudonym",),
            lambda r: _("membership of %(who)s") % {"who": r["person__pseudonym"]},
        ),
    ),
    "participants.facilitator": (
        Facilitator,
        _in_dialogue(
            "dialogue__",
            ("person__pseudonym",),
            lambda r: _("facilitation team: %(who)s") % {"who": r["person__pseudonym"]},
        ),
    ),
    "participants.cutoff": (
        CutOff,
        (
            ("person__pseudonym",),
            lambda r: _("cut-off #%(id)s of %(who)s") % {"id": r["pk"], "who": r["person__pseudonym"]},
        ),
    ),
    "funding.grant": (Grant, _in_dialogue("dialogue__", (), lambda r: _("grant #%(id)s") % {"id": r["pk"]})),
    "funding.condition": (
        Condition,
        _in_dialogue(
            "grant__dialogue__",
            ("grant_id",),
            lambda r: _("grant #%(grant)s · condition #%(id)s") % {"grant": r["grant_id"], "id": r["pk"]},
        ),
    ),
    "funding.expense": (
        Expense,
        _in_dialogue(
            "grant__dialogue__",
            ("grant_id",),
            lambda r: _("grant #%(grant)s · expense #%(id)s") % {"grant": r["grant_id"], "id": r["pk"]},
        ),
    ),
    "funding.disclosure": (
        Disclosure,
        _in_dialogue(
            "grant__dialogue__",
            ("grant_id", "version"),
            lambda r: (
                _("grant #%(grant)s · disclosure v%(version)s")
                % {"grant": r["grant_id"], "version": r["version"]}
            ),
        ),
    ),
    "funding.fundingnote": (
        FundingNote,
        _in_dialogue(
            "membership__dialogue__",
            ("membership__person__pseudonym",),
            lambda r: _("funding answer of %(who)s") % {"who": r["membership__person__pseudonym"]},
        ),
    ),
    "accounts.accountinvitation": (
        AccountInvitation,
        _in_dialogue(
            "dialogue__",
            ("person__pseudonym",),
            lambda r: _("login invitation of %(who)s") % {"who": r["person__pseudonym"]},
        ),
    ),
}

# Identified in the log by something other than the primary key (dialogues/summaries/services/reading.py).
BY_FIELD = {"dialogues.summarycopy": "copy_code"}


def object_labels(targets: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A label per (target type, target id) this module knows, in one query per type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for target_type, target_id in targets:
        if target_type in LABELS and target_id:
            wanted[target_type].add(target_id)
    found: dict[tuple[str, str], str] = {}
    for target_type, ids in wanted.items():
        model, (fields, label) = LABELS[target_type]
        matching = Q(pk__in=[int(i) for i in ids if i.isascii() and i.isdigit() and len(i) <= 18])
        if field := BY_FIELD.get(target_type):
            matching |= Q(**{f"{field}__in": ids})
        for row in model.objects.filter(matching).order_by().values("pk", *dict.fromkeys(fields)):
            for key in (str(row["pk"]), row[field] if field else None):
                if key in ids:
                    found[(target_type, key)] = label(row)
    return found
