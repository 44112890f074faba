"""Keeping the ripeness log: adding, changing and deleting an entry, each in one transaction and audited
with the entry's kind and date, never its words."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from dialogues.enums import RipenessKind
from dialogues.models import Dialogue, RipenessEntry
from dialogues.models.insight import RIPENESS_EARLIEST, RIPENESS_TEXT_LENGTH
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.inputs import plain_text

# An entry may note what is already set for the coming months (an election date), not speculation beyond.
DAYS_AHEAD = 366
LATE_MESSAGE = gettext_lazy(
    "Give a date at most a year from today: the log records what happened or is already set."
)


def latest_day(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=DAYS_AHEAD)


def check_day(occurred_on: dt.date, *, today: dt.date | None = None) -> None:
    if occurred_on < RIPENESS_EARLIEST:
        raise ValidationError(
            {"occurred_on": gettext("Give a date from %(year)s onwards.") % {"year": RIPENESS_EARLIEST.year}},
            code="too_early",
        )
    if occurred_on > latest_day(today):
        raise ValidationError(
            {"occurred_on": LATE_MESSAGE},
            code="too_late",
        )


def check_text(text: str) -> str:
    """The entry's words as they will be stored (line ends made "\\n", outer spaces stripped), or the reason
    they cannot be: empty, too long, or carrying invisible control characters."""
    try:
        text = plain_text(text)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}, code="hidden_characters") from None
    if not text:
        raise ValidationError({"text": gettext("Say in a sentence or two what happened.")}, code="required")
    if len(text) > RIPENESS_TEXT_LENGTH:
        raise ValidationError(
            {
                "text": gettext("Keep it to %(limit)s characters (this has %(n)s).")
                % {"limit": f"{RIPENESS_TEXT_LENGTH:,}", "n": f"{len(text):,}"}
            },
            code="max_length",
        )
    return text


def _checked(*, occurred_on: dt.date, kind: str, text: str) -> str:
    check_day(occurred_on)
    if kind not in RipenessKind.values:
        raise ValidationError({"kind": gettext("Choose what happened from the list.")}, code="invalid_choice")
    return check_text(text)


def _detail(entry: RipenessEntry, **more) -> dict:
    return {"kind": entry.kind, "occurred_on": entry.occurred_on.isoformat(), **more}


@transaction.atomic
def add_ripeness_entry(
    *, dialogue: Dialogue, occurred_on: dt.date, kind: str, text: str, by: User
) -> RipenessEntry:
    text = _checked(occurred_on=occurred_on, kind=kind, text=text)
    entry = RipenessEntry.objects.create(
        dialogue=dialogue, occurred_on=occurred_on, kind=kind, text=text, written_by=by
    )
    record_event(actor=by, action=Action.RIPENESS_ENTRY_ADDED, target=entry, detail=_detail(entry))
    return entry


@transaction.atomic
def change_ripeness_entry(
    *, entry: RipenessEntry, occurred_on: dt.date, kind: str, text: str, by: User
) -> RipenessEntry:
    """Save what changed; the same values again change nothing and write no row. The row names the fields
    that changed (the text's name, never the text) and the entry's kind and date after the change."""
    text = _checked(occurred_on=occurred_on, kind=kind, text=text)
    entry = RipenessEntry.objects.select_for_update().get(pk=entry.pk)
    new = {"occurred_on": occurred_on, "kind": kind, "text": text}
    changed = [name for name, value in new.items() if getattr(entry, name) != value]
    if not changed:
        return entry
    for name in changed:
        setattr(entry, name, new[name])
    entry.written_by = by
    entry.save(update_fields=[*changed, "written_by", "updated_at"])
    record_event(
        actor=by, action=Action.RIPENESS_ENTRY_CHANGED, target=entry, detail=_detail(entry, fields=changed)
    )
    return entry


@transaction.atomic
def delete_ripeness_entry(*, entry: RipenessEntry, by: User) -> None:
    """Delete the entry; deleting one already gone does nothing."""
    entry = RipenessEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if entry is None:
        return
    record_event(actor=by, action=Action.RIPENESS_ENTRY_DELETED, target=entry, detail=_detail(entry))
    entry.delete()
