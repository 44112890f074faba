"""Access-matrix rows for workshop summaries: drafting, the attribution check, review, sealing, reading and
copies. Same format as tests/access/matrix.py.

Each place has a sealed summary (`sealed`, version 1 of its workshop), its amendment in review (`in_review`,
version 2, which the attended participant reviews) and a private draft of another workshop (`draft`).
Writing needs draft_summaries (the convenors here), which a break-glass grant never gives. The attended
participant has not accepted the ground rules yet, so opening or downloading the sealed summary sends them
to the ground rules first (302); everyone outside the audience gets the 404 a missing summary gets.
"""

from tests.access.common import ANON, NOT_FOUND

NOT_ALLOWED = {"anonymous": ANON, "*": "405 405 405"}


def writers(status: str) -> dict:
    """What only the drafters of each dialogue may do: `status` for them, 404 for everyone else."""
    return {
        "anonymous": ANON,
        "facilitator": f"{status} 404 404",
        "facilitator_other": f"404 {status} 404",
        "*": NOT_FOUND,
    }


def readers(*, attended: str, team: str = "200", glass: str = "200") -> dict:
    """A sealed summary: its frozen audience, the facilitation team, and a running break-glass grant."""
    return {
        "anonymous": ANON,
        "participant_attended": f"{attended} 404 404",
        "participant_other": f"404 {attended} 404",
        "facilitator": f"{team} 404 404",
        "facilitator_other": f"404 {team} 404",
        "superuser_break_glass": f"{glass} 404 404",
        "*": NOT_FOUND,
    }


def reviewers(status: str) -> dict:
    """A draft in review: the attendees who review it and the drafters (who are refused by the service or
    the form, not by a 404). The participant who declined never sees it."""
    return {
        "anonymous": ANON,
        "participant_attended": f"{status} 404 404",
        "participant_other": f"404 {status} 404",
        "facilitator": f"{status} 404 404",
        "facilitator_other": f"404 {status} 404",
        "*": NOT_FOUND,
    }


SUMMARIES_MATRIX: dict = {
    # Every member (and the facilitation team) reads the whole list of what they may read; it may be empty.
    "dialogues:reading_room": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:ground_rules": {
        "GET": {
            "anonymous": ANON,
            "participant_attended": "200 404 404",
            "participant_absent": "200 404 404",
            "participant_other": "404 200 404",
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "superuser_break_glass": "200 404 404",
            "*": NOT_FOUND,
        },
        # Accepting (members) or being told there is nothing to accept (the others), then on to `next`.
        "POST": {
            "anonymous": ANON,
            "participant_attended": "302 404 404",
            "participant_absent": "302 404 404",
            "participant_other": "404 302 404",
            "facilitator": "302 404 404",
            "facilitator_other": "404 302 404",
            "superuser_break_glass": "302 404 404",
            "*": NOT_FOUND,
        },
    },
    # A's workshop is over and has a version being written: "Write the summary" opens it.
    "dialogues:summary_start": {"GET": NOT_ALLOWED, "POST": writers("302")},
    # The sealed summary's page: ground rules first for the participant who has not accepted them yet.
    "dialogues:summary_detail": {"GET": readers(attended="302"), "POST": NOT_ALLOWED},
    "dialogues:summary_download": {
        # Break-glass administrators have no person on file, so no copy: sent back with a message.
        "GET": readers(attended="302", glass="302"),
        "POST": NOT_ALLOWED,
    },
    # An amendment is already in review: amending again leads to it.
    "dialogues:summary_amend": {"GET": NOT_ALLOWED, "POST": writers("302")},
    # The private draft: an empty form comes back with its errors.
    "dialogues:summary_save": {"GET": NOT_ALLOWED, "POST": writers("400")},
    "dialogues:summary_preview": {"GET": NOT_ALLOWED, "POST": writers("200")},
    "dialogues:summary_accept_mention": {"GET": NOT_ALLOWED, "POST": writers("302")},
    "dialogues:summary_open_review": {"GET": NOT_ALLOWED, "POST": writers("400")},
    # The draft belongs to a workshop still to come, with nobody recorded as attending: sealing it is refused
    # before the confirmation page asks (400, issue 18: a summary is sealed for the people who were in the
    # room). tests/dialogues/test_confirmations.py walks the page itself.
    "dialogues:summary_seal": {"GET": writers("400"), "POST": writers("400")},
    # Without htmx, the progress partial sends the browser to the summary's page.
    "dialogues:summary_progress": {"GET": writers("302"), "POST": NOT_ALLOWED},
    "dialogues:summary_seal_retry": {"GET": NOT_ALLOWED, "POST": writers("302")},
    "dialogues:summary_seal_cancel": {"GET": NOT_ALLOWED, "POST": writers("302")},
    # The draft in review: closing before the deadline is refused with a message.
    "dialogues:summary_close_review": {"GET": NOT_ALLOWED, "POST": writers("302")},
    "dialogues:summary_respond": {"GET": NOT_ALLOWED, "POST": writers("302")},
    # Steering the round (issue 18): an empty deadline comes back with its error; the attended participant
    # has not responded, so a reminder is queued (rolled back with the cell); no correction named, a message.
    "dialogues:summary_extend_review": {"GET": NOT_ALLOWED, "POST": writers("400")},
    "dialogues:summary_remind": {"GET": NOT_ALLOWED, "POST": writers("302")},
    "dialogues:summary_apply_correction": {"GET": NOT_ALLOWED, "POST": writers("302")},
    "dialogues:summary_comment": {"GET": NOT_ALLOWED, "POST": reviewers("400")},
    "dialogues:summary_signoff": {"GET": NOT_ALLOWED, "POST": reviewers("302")},
}


def _summary(name: str):
    return lambda p: {"dialogue_id": p.dialogue.pk, "summary_id": getattr(p, name).pk}


SUMMARIES_OBJECTS: dict = {
    "dialogues:ground_rules": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:summary_start": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:summary_detail": _summary("sealed"),
    "dialogues:summary_download": _summary("sealed"),
    "dialogues:summary_amend": _summary("sealed"),
    "dialogues:summary_save": _summary("draft"),
    "dialogues:summary_preview": _summary("draft"),
    "dialogues:summary_accept_mention": _summary("draft"),
    "dialogues:summary_open_review": _summary("draft"),
    "dialogues:summary_seal": _summary("draft"),
    "dialogues:summary_progress": _summary("draft"),
    "dialogues:summary_seal_retry": _summary("draft"),
    "dialogues:summary_seal_cancel": _summary("draft"),
    "dialogues:summary_close_review": _summary("in_review"),
    "dialogues:summary_respond": _summary("in_review"),
    "dialogues:summary_extend_review": _summary("in_review"),
    "dialogues:summary_remind": _summary("in_review"),
    "dialogues:summary_apply_correction": _summary("draft"),
    "dialogues:summary_comment": _summary("in_review"),
    "dialogues:summary_signoff": _summary("in_review"),
}
