"""The access matrix: what every role gets from every URL, for an object of this dialogue (A), one of another
dialogue (B) and an id that does not exist (-). Written "A B -"; URLs without an object have one value.
"*" is every role not listed. A URL pattern missing from MATRIX fails the suite.

Roles are relative to dialogue A: participant_attended was in the room at A's workshop (and its sealed
summary's frozen audience); participant_absent was invited and declined; facilitator is A's convenor;
funder is the officer of A's funder; auditor holds A's auditor role; superuser_break_glass holds a running
break-glass grant on A. Anonymous visitors are sent to the login page whatever the id, so that says nothing.
"""

from tests.access.common import ANON, NOT_FOUND
from tests.access.matrix_accounts import ACCOUNTS_MATRIX, ACCOUNTS_OBJECTS
from tests.access.matrix_audit_chain import AUDIT_CHAIN_MATRIX
from tests.access.matrix_audit_extra import AUDIT_EXTRA_MATRIX, AUDIT_EXTRA_OBJECTS
from tests.access.matrix_audit_read import AUDIT_READ_MATRIX, AUDIT_READ_OBJECTS
from tests.access.matrix_bilingual import BILINGUAL_MATRIX, BILINGUAL_OBJECTS
from tests.access.matrix_destruction import DESTRUCTION_MATRIX, DESTRUCTION_OBJECTS
from tests.access.matrix_funding import FUNDING_MATRIX, FUNDING_OBJECTS
from tests.access.matrix_i18n import I18N_MATRIX
from tests.access.matrix_insight_composition import INSIGHT_COMPOSITION_MATRIX, INSIGHT_COMPOSITION_OBJECTS
from tests.access.matrix_insight_continuity import INSIGHT_CONTINUITY_MATRIX, INSIGHT_CONTINUITY_OBJECTS
from tests.access.matrix_insight_funding import INSIGHT_FUNDING_MATRIX, INSIGHT_FUNDING_OBJECTS
from tests.access.matrix_insight_programme import INSIGHT_PROGRAMME_MATRIX, INSIGHT_PROGRAMME_OBJECTS
from tests.access.matrix_insight_ripeness import INSIGHT_RIPENESS_MATRIX, INSIGHT_RIPENESS_OBJECTS
from tests.access.matrix_insight_transfers import INSIGHT_TRANSFERS_MATRIX, INSIGHT_TRANSFERS_OBJECTS
from tests.access.matrix_names import NAMES_MATRIX, NAMES_OBJECTS
from tests.access.matrix_owndata import OWNDATA_MATRIX, OWNDATA_OBJECTS
from tests.access.matrix_removal import REMOVAL_MATRIX, REMOVAL_OBJECTS
from tests.access.matrix_scheduling import SCHEDULING_MATRIX, SCHEDULING_OBJECTS
from tests.access.matrix_staff_accounts import STAFF_ACCOUNTS_MATRIX, STAFF_ACCOUNTS_OBJECTS
from tests.access.matrix_staff_roles import STAFF_ROLES_MATRIX, STAFF_ROLES_OBJECTS
from tests.access.matrix_summaries import SUMMARIES_MATRIX, SUMMARIES_OBJECTS

# Views that are not Trackii's own pages (by the module that defines them), and why they are outside it.
EXCLUDED_MODULES = {
    "allauth": "django-allauth's login, logout, password and MFA pages: no dialogue objects behind them",
    "django.views.static": "static files",
}
# The admin, by route: staff-only housekeeping of logins and the Third Party's record, with no dialogue
# content. tests/test_admin.py walks every admin URL of every model, registered or not, as a superuser with
# no role, a participant and an anonymous visitor: no 500, nothing confidential, missing ids like existing.
EXCLUDED_ROUTES = ("admin/",)


MATRIX = {
    "home": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "healthz": {
        # No worker runs during the matrix, so the health check reports 503: the same for everyone.
        "GET": {"*": "503"},
        "POST": {"*": "405"},
    },
    "dialogues:dialogue_detail": {
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
        "POST": {"anonymous": ANON, "*": "405 405 405"},
    },
    "dialogues:workshop_detail": {
        "GET": {
            "anonymous": ANON,
            "participant_attended": "200 404 404",
            "participant_absent": "200 404 404",  # invited (and declined): still sees the workshop
            "participant_other": "404 200 404",
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "superuser_break_glass": "200 404 404",
            "*": NOT_FOUND,
        },
        "POST": {"anonymous": ANON, "*": "405 405 405"},
    },
    "dialogues:members": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
        # An empty form: the convenor gets it back with errors, everyone else the 404.
        "POST": {
            "anonymous": ANON,
            "facilitator": "400 404 404",
            "facilitator_other": "404 400 404",
            "*": NOT_FOUND,
        },
    },
    "dialogues:member_change": {
        "GET": {"anonymous": ANON, "*": "405 405 405"},
        "POST": {
            "anonymous": ANON,
            "facilitator": "302 404 404",
            "facilitator_other": "404 302 404",
            "*": NOT_FOUND,
        },
    },
    # The confirmation page, for a GET and for a POST without the confirmation field.
    "dialogues:member_remove": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
        "POST": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
    },
    "dialogues:break_glass": {
        "GET": {"anonymous": "302", "superuser": "200", "superuser_break_glass": "200", "*": "404"},
        "POST": {"anonymous": "302", "superuser": "400", "superuser_break_glass": "400", "*": "404"},
    },
    "funding:grant_list": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "funding:grant_detail": {
        "GET": {
            "anonymous": ANON,
            "participant_attended": "200 404 404",  # members see who funds their dialogue
            "participant_absent": "200 404 404",
            "participant_other": "404 200 404",
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "funder": "200 404 404",  # a funder sees the grants it made, not another funder's
            "funder_other": "404 200 404",
            "superuser_break_glass": "200 404 404",
            "*": NOT_FOUND,
        },
        "POST": {"anonymous": ANON, "*": "405 405 405"},
    },
    # The audit log: auditors and administrators only (superusers hold every model permission).
    "audit:overview": {
        "GET": {
            "anonymous": "404",
            "auditor": "200",
            "superuser": "200",
            "superuser_break_glass": "200",
            "*": "404",
        },
        "POST": {"anonymous": "405", "*": "405"},
    },
    "audit:events": {
        "GET": {
            "anonymous": "404",
            "auditor": "200",
            "superuser": "200",
            "superuser_break_glass": "200",
            "*": "404",
        },
        "POST": {"anonymous": "405", "*": "405"},
    },
    # Anyone signed in may check a PDF; an empty upload is refused with the form's message.
    "sealing:verify": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "400"},
    },
    "audit:export": {
        "GET": {
            "anonymous": "404",
            "auditor": "200",
            "superuser": "200",
            "superuser_break_glass": "200",
            "*": "404",
        },
        "POST": {"anonymous": "405", "*": "405"},
    },
}

# How each URL finds its object in a place (a dialogue's objects); ids 999999 stand for "does not exist".
OBJECTS = {
    "dialogues:dialogue_detail": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:workshop_detail": lambda p: {"dialogue_id": p.dialogue.pk, "workshop_id": p.workshop.pk},
    "dialogues:members": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:member_change": lambda p: {"dialogue_id": p.dialogue.pk, "membership_id": p.membership.pk},
    "dialogues:member_remove": lambda p: {"dialogue_id": p.dialogue.pk, "membership_id": p.membership.pk},
    "funding:grant_detail": lambda p: {"grant_id": p.grant.pk},
}

# Rows kept beside the work that added them; a URL may appear in one file only.
for extra in (
    SCHEDULING_MATRIX,
    ACCOUNTS_MATRIX,
    FUNDING_MATRIX,
    SUMMARIES_MATRIX,
    REMOVAL_MATRIX,
    NAMES_MATRIX,
    AUDIT_CHAIN_MATRIX,
    AUDIT_EXTRA_MATRIX,
    STAFF_ROLES_MATRIX,
    STAFF_ACCOUNTS_MATRIX,
    AUDIT_READ_MATRIX,
    INSIGHT_COMPOSITION_MATRIX,
    INSIGHT_FUNDING_MATRIX,
    INSIGHT_PROGRAMME_MATRIX,
    INSIGHT_CONTINUITY_MATRIX,
    INSIGHT_RIPENESS_MATRIX,
    INSIGHT_TRANSFERS_MATRIX,
    I18N_MATRIX,
    BILINGUAL_MATRIX,
    DESTRUCTION_MATRIX,
    OWNDATA_MATRIX,
):
    assert not MATRIX.keys() & extra.keys(), MATRIX.keys() & extra.keys()
    MATRIX.update(extra)
OBJECTS.update(SCHEDULING_OBJECTS)
OBJECTS.update(ACCOUNTS_OBJECTS)
OBJECTS.update(FUNDING_OBJECTS)
OBJECTS.update(SUMMARIES_OBJECTS)
OBJECTS.update(BILINGUAL_OBJECTS)
OBJECTS.update(REMOVAL_OBJECTS)
OBJECTS.update(NAMES_OBJECTS)
OBJECTS.update(AUDIT_EXTRA_OBJECTS)
OBJECTS.update(STAFF_ROLES_OBJECTS)
OBJECTS.update(STAFF_ACCOUNTS_OBJECTS)
OBJECTS.update(AUDIT_READ_OBJECTS)
OBJECTS.update(INSIGHT_COMPOSITION_OBJECTS)
OBJECTS.update(INSIGHT_FUNDING_OBJECTS)
OBJECTS.update(INSIGHT_PROGRAMME_OBJECTS)
OBJECTS.update(INSIGHT_CONTINUITY_OBJECTS)
OBJECTS.update(INSIGHT_RIPENESS_OBJECTS)
OBJECTS.update(INSIGHT_TRANSFERS_OBJECTS)
OBJECTS.update(DESTRUCTION_OBJECTS)
OBJECTS.update(OWNDATA_OBJECTS)
