"""State changes of workshops, one module per family of actions: `workshops.py` (series, scheduling one
workshop or a recurring run, publishing a draft, rescheduling, cancelling and cloning), `agenda.py`,
`invitations.py` (invitations, answers and attendance), `attendance.py` (marking a workshop held, recording
one that already took place), `numbering.py` (workshop numbers, decision 0018) and `without_login.py`
(invited people without a login: their login invitations at once, and the answers facilitators record for
them). Everything is importable from here. Keyword-only, one transaction each, safe to repeat, one audit row
per change. Refusals raise
ValidationError with a message a facilitator can act on. Whoever is told about a change is told through
dialogues/scheduling/notifications.py, in the same transaction."""

from dialogues.scheduling.services.agenda import (
    EDITABLE_AGENDA_FIELDS,
    add_agenda_item,
    can_move,
    change_agenda_item,
    download_run_sheet,
    move_agenda_item,
    remove_agenda_item,
    set_agenda_item_facilitators_only,
)
from dialogues.scheduling.services.attendance import (
    mark_workshop_held,
    record_held_workshop,
    why_not_attendee,
)
from dialogues.scheduling.services.invitations import (
    ATTENDANCE,
    INVITATION_TRANSITIONS,
    invite,
    invite_people,
    record_attendance,
    reinvite,
    respond_to_invitation,
    set_invitation_status,
    withdraw_workshop_invitation,
    withdrawal_refusal,
)
from dialogues.scheduling.services.without_login import (
    LoginInvitationsSent,
    record_answer,
    send_login_invitations,
)
from dialogues.scheduling.services.workshops import (
    cancel_workshop,
    clone_next_workshop,
    create_series,
    publish_workshop,
    reschedule_workshop,
    schedule_run,
    schedule_workshop,
)

__all__ = [
    "ATTENDANCE",
    "EDITABLE_AGENDA_FIELDS",
    "INVITATION_TRANSITIONS",
    "LoginInvitationsSent",
    "add_agenda_item",
    "can_move",
    "cancel_workshop",
    "change_agenda_item",
    "clone_next_workshop",
    "create_series",
    "download_run_sheet",
    "invite",
    "invite_people",
    "mark_workshop_held",
    "move_agenda_item",
    "publish_workshop",
    "record_answer",
    "record_attendance",
    "record_held_workshop",
    "reinvite",
    "remove_agenda_item",
    "reschedule_workshop",
    "respond_to_invitation",
    "schedule_run",
    "schedule_workshop",
    "send_login_invitations",
    "set_agenda_item_facilitators_only",
    "set_invitation_status",
    "why_not_attendee",
    "withdraw_workshop_invitation",
    "withdrawal_refusal",
]
