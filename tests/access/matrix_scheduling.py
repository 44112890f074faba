"""Access-matrix rows for the facilitator workspace (scheduling, agendas, invitations, calendar).
Same format as tests/access/matrix.py.

Reading the workspace needs view_all_workshops (the facilitation team, and an administrator's running
break-glass grant); changing anything needs schedule_workshops or manage_dialogue, which break-glass never
gives. A's workshop is already over, which is why an empty invitation form is refused (400) rather than sent.
"""

from tests.access.common import ANON, NOT_FOUND

FACILITATORS_READ = {
    "anonymous": ANON,
    "facilitator": "200 404 404",
    "facilitator_other": "404 200 404",
    "superuser_break_glass": "200 404 404",
    "*": NOT_FOUND,
}


def facilitators(status: str) -> dict:
    """A write that only the dialogue's own convenor may make: `status` for them, 404 for everyone else."""
    return {
        "anonymous": ANON,
        "facilitator": f"{status} 404 404",
        "facilitator_other": f"404 {status} 404",
        "*": NOT_FOUND,
    }


NOT_ALLOWED = {"anonymous": ANON, "*": "405 405 405"}

SCHEDULING_MATRIX: dict = {
    "dialogues:dialogue_create": {
        # Convenors of any dialogue of the Third Party (both facilitators convene one of Halden's).
        "GET": {"anonymous": "302", "facilitator": "200", "facilitator_other": "200", "*": "404"},
        "POST": {"anonymous": "302", "facilitator": "400", "facilitator_other": "400", "*": "404"},
    },
    "dialogues:dashboard": {"GET": FACILITATORS_READ, "POST": NOT_ALLOWED},
    "dialogues:dialogue_edit": {"GET": facilitators("200"), "POST": facilitators("400")},
    # GET asks before a move that cannot be taken back (?status=concluded); without a status, the dashboard.
    "dialogues:dialogue_status": {"GET": facilitators("302"), "POST": facilitators("302")},
    # An empty side name comes back on the edit page with the error next to the field (400).
    "dialogues:side_add": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    "dialogues:series_create": {"GET": facilitators("200"), "POST": facilitators("400")},
    "dialogues:series_detail": {"GET": FACILITATORS_READ, "POST": facilitators("400")},
    "dialogues:workshop_edit": {"GET": facilitators("200"), "POST": facilitators("400")},
    "dialogues:workshop_clone": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    # The confirmation page, for a GET and for a POST without the confirmation field.
    "dialogues:workshop_cancel": {"GET": facilitators("200"), "POST": facilitators("200")},
    # A's workshop is over and held: the attendance page opens, and an empty attendance is refused (400).
    "dialogues:workshop_held": {"GET": facilitators("200"), "POST": facilitators("400")},
    "dialogues:agenda": {"GET": facilitators("200"), "POST": facilitators("400")},
    "dialogues:agenda_item": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    "dialogues:agenda_item_edit": {"GET": facilitators("200"), "POST": facilitators("400")},
    # The run sheet shows the facilitators-only items: those who see them (view_all_workshops) read it.
    "dialogues:run_sheet": {"GET": FACILITATORS_READ, "POST": NOT_ALLOWED},
    "dialogues:run_sheet_pdf": {"GET": FACILITATORS_READ, "POST": NOT_ALLOWED},
    "dialogues:invitations": {"GET": FACILITATORS_READ, "POST": facilitators("400")},
    # GET asks before withdrawing; A's workshop is over, so it sends the convenor back with the refusal.
    "dialogues:invitation_action": {"GET": facilitators("302"), "POST": facilitators("400")},
    # Invited people without a login. Login invitations at once need manage_members (the convenors; both
    # facilitators convene); recording an answer needs schedule_workshops, and an empty answer is a 400.
    "dialogues:invitation_logins": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    "dialogues:invitation_answer": {"GET": facilitators("200"), "POST": facilitators("400")},
    # A person's own pages: everyone has one (it may be empty); nobody reaches another person's.
    "dialogues:my_workshops": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:rsvp": {
        "GET": NOT_ALLOWED,
        "POST": {
            "anonymous": ANON,
            "participant_attended": "302 404 404",
            "participant_other": "404 302 404",
            "*": NOT_FOUND,
        },
    },
    "dialogues:availability": {
        "GET": {"anonymous": "302", "*": "405"},
        # Accounts without a person (administrators) have no dates to give.
        "POST": {"anonymous": "302", "superuser": "404", "superuser_break_glass": "404", "*": "400"},
    },
    "dialogues:calendar_month": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:calendar_agenda": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:calendar_settings": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "400"},
    },
    # The token is the key, whoever holds it (calendar programs cannot log in); a wrong one is the 404.
    "dialogues:calendar_feed": {"GET": {"*": "200 200 404"}, "POST": {"*": "405 405 405"}},
}

SCHEDULING_OBJECTS: dict = {
    "dialogues:dashboard": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:dialogue_edit": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:dialogue_status": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:side_add": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:series_create": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:series_detail": lambda p: {"dialogue_id": p.dialogue.pk, "series_id": p.workshop.series_id},
    "dialogues:workshop_edit": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:workshop_clone": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:workshop_cancel": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:workshop_held": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:agenda": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:agenda_item": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "workshop_id": p.workshop.pk,
        "item_id": p.agenda_item.pk,
    },
    "dialogues:agenda_item_edit": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "workshop_id": p.workshop.pk,
        "item_id": p.agenda_item.pk,
    },
    "dialogues:run_sheet": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:run_sheet_pdf": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:invitations": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:invitation_action": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "workshop_id": p.workshop.pk,
        "invitation_id": p.invitation.pk,
    },
    "dialogues:invitation_logins": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:invitation_answer": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "workshop_id": p.workshop.pk,
        "invitation_id": p.invitation.pk,
    },
    "dialogues:rsvp": lambda p: {"invitation_id": p.invitation.pk},
    "dialogues:calendar_feed": lambda p: {"token": p.feed_token},
}
