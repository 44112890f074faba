"""What a user holds is read once per request and never kept beyond it (trackii/permissions.py): a write
that changes it, a rollback, or a service's own transaction each make the next check read the grants again."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Dialogue
from dialogues.permissions import dialogue_access, visible_dialogues
from participants.models import Membership
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory
from trackii.permissions import PermissionScopeMiddleware, grant

pytestmark = pytest.mark.django_db


def _participant(dialogue):
    person = PersonFactory(user=UserFactory())
    side = SideFactory(dialogue=dialogue)
    services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None)
    return person


def _in_request(view):
    """Run `view` as the body of one request, inside the scope the middleware opens."""
    return PermissionScopeMiddleware(lambda request: view())(RequestFactory().get("/"))


def _reads(check) -> int:
    with CaptureQueriesContext(connection) as queries:
        check()
    return len(queries)


def test_within_a_request_what_a_user_holds_is_read_once():
    dialogue = DialogueFactory()
    user = _participant(dialogue).user

    dialogue_access(user)  # the per-process map of permission ids (codename_of), read once per process

    def view():
        first = _reads(lambda: dialogue_access(user))
        listed = Dialogue.objects.filter(visible_dialogues(user))
        again = _reads(lambda: (dialogue_access(user), list(listed)))
        return first, again

    assert _in_request(view) == (1, 1)  # the second time only the list itself is read


def test_outside_a_request_every_check_reads_the_grant_tables():
    dialogue = DialogueFactory()
    user = _participant(dialogue).user
    assert _reads(lambda: dialogue_access(user)) == 1
    assert _reads(lambda: dialogue_access(user)) == 1


def test_a_removal_during_the_request_ends_access_for_the_rest_of_it():
    dialogue = DialogueFactory()
    person = _participant(dialogue)

    def view():
        before = dialogue_access(person.user).has(dialogue.pk, "view_dialogue")
        services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
        after = dialogue_access(person.user).has(dialogue.pk, "view_dialogue")
        listed = Dialogue.objects.filter(visible_dialogues(person.user)).exists()
        return before, after, listed

    assert _in_request(view) == (True, False, False)


def test_a_write_by_queryset_update_is_seen_too():
    """Not every write goes through save(): a bulk update of a table that decides access forgets as well."""
    workshop = WorkshopFactory()
    person = _participant(workshop.series.dialogue)
    grant("dialogues.view_workshop", person.user, workshop)

    def view():
        before = workshop.pk in dialogue_access(person.user).workshops
        Membership.objects.filter(person=person).update(left_on=timezone.localdate())
        return before, workshop.pk in dialogue_access(person.user).workshops

    assert _in_request(view) == (True, False)


def test_what_is_read_inside_a_transaction_is_never_kept():
    """A service's transaction may still roll back: what it read of the grants must not outlive it."""
    dialogue = DialogueFactory()
    person = _participant(dialogue)

    def view():
        with transaction.atomic():
            services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
            inside = dialogue_access(person.user).has(dialogue.pk, "view_dialogue")
            transaction.set_rollback(True)
        return inside, dialogue_access(person.user).has(dialogue.pk, "view_dialogue")

    assert _in_request(view) == (False, True)


def test_a_rollback_to_a_savepoint_forgets_what_was_read():
    dialogue = DialogueFactory()
    person = _participant(dialogue)

    def view():
        assert dialogue_access(person.user).has(dialogue.pk, "view_dialogue")
        before = _reads(lambda: dialogue_access(person.user))
        with transaction.atomic():
            transaction.set_rollback(True)
        after = _reads(lambda: dialogue_access(person.user))
        return before, after

    assert _in_request(view) == (0, 1)


def test_the_scope_ends_with_the_request():
    dialogue = DialogueFactory()
    user = _participant(dialogue).user
    _in_request(lambda: dialogue_access(user))
    assert _reads(lambda: dialogue_access(user)) == 1
