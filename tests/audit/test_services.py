import pytest
from django.db import DataError, connection, transaction
from django.test import RequestFactory

from trackii.audit import chain
from trackii.audit.context import request_context
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append, record_event
from trackii.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def test_record_event_chains_rows_in_id_order():
    first = record_event(actor=None, action=Action.VIEW)
    second = record_event(actor=None, action=Action.DOWNLOAD)

    assert first.prev_hash == chain.GENESIS
    assert (second.id, second.prev_hash) == (first.id + 1, first.row_hash)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.row_hash == chain.row_hash(chain.event_values(stored))


def test_record_event_target_gives_type_id_and_dialogue(user):
    user.audit_dialogue_id = 42  # what a Summary's property would answer

    event = record_event(actor=user, action=Action.VIEW, target=user)

    event.refresh_from_db()
    assert (event.target_type, event.target_id, event.dialogue_id) == ("accounts.user", str(user.pk), 42)
    assert (event.actor_id, event.actor_label) == (user.pk, str(user.pk))


def test_record_event_explicit_target_fields_without_instance():
    event = record_event(
        actor=None, action=Action.DENIED, outcome=Outcome.DENIED, target_type="dialogues.summary", target_id=9
    )

    assert (event.target_type, event.target_id, event.outcome, event.actor_label) == (
        "dialogues.summary",
        "9",
        "denied",
        "system",
    )


def test_record_event_rolled_back_with_the_callers_transaction():
    record_event(actor=None, action=Action.VIEW)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, action=Action.VIEW)
        raise RuntimeError("the action failed")
    after = record_event(actor=None, action=Action.VIEW)

    assert AuditEvent.objects.count() == 2
    assert after.id == 2  # the rolled-back row left no gap
    assert verify_chain(checkpoints=False).ok


def test_record_event_failure_dooms_the_callers_transaction():
    if transaction.get_connection().vendor != "postgresql":
        pytest.skip("SQLite does not enforce max_length, which this failure relies on")
    with transaction.atomic():
        with pytest.raises(DataError):
            record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id="9" * 100)
        # The caller caught the error, but its transaction can no longer commit: no audit row, no action.
        assert transaction.get_connection().needs_rollback


@pytest.mark.parametrize(
    "detail",
    [{"ratio": 0.5}, {"when": object()}, {"x": "y" * 3000}, ["not", "a", "dict"], {1: "key not text"}],
)
def test_record_event_refuses_detail_that_is_not_small_exact_json(detail):
    with pytest.raises(ValueError, match="detail"):
        record_event(actor=None, action=Action.VIEW, detail=detail)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("action", ["", "View", "drop table", "x", "summary.reopened", "view", None])
def test_record_event_refuses_an_action_that_is_not_an_action_member(action):
    # Issue 19: every action in the log has words in the enum, so even "view" (a member's value) is refused.
    with pytest.raises(ValueError, match="not a member of "):
        record_event(actor=None, action=action)
    assert not AuditEvent.objects.exists()


def test_bulk_append_refuses_an_action_that_is_not_an_action_member():
    with pytest.raises(ValueError, match="not a member"):
        bulk_append(events=[{"action": Action.VIEW}, {"action": "summary.reopened"}])
    assert not AuditEvent.objects.exists()


def test_record_event_stores_the_members_value_and_unicode_detail():
    event = record_event(actor=None, action=Action.AMENDED, detail={"note": "révisé", "ids": [1, 2]})

    event.refresh_from_db()
    assert (event.action, event.detail) == ("amended", {"note": "révisé", "ids": [1, 2]})
    assert verify_chain(checkpoints=False).ok


def test_record_event_request_gives_address_commitment_and_request_id():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:0:0::7")
    request.request_id = "req-12345678"

    with request_context(request):
        event = record_event(actor=None, action=Action.DENIED, outcome=Outcome.DENIED)

    event.refresh_from_db()
    assert (event.client_ip, event.request_id, event.actor_label) == (
        "2001:db8::7",
        "req-12345678",
        "anonymous",
    )
    assert event.client_ip_hash == chain.ip_commitment("2001:db8::7", event.client_ip_salt)
    assert "2001:db8::7" not in chain.canonical_bytes(chain.event_values(event)).decode()


def test_record_event_ignores_forwarded_for_from_untrusted_peer(settings):
    settings.TRACKII_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")

    with request_context(request):
        assert record_event(actor=None, action=Action.VIEW).client_ip == "203.0.113.5"


def test_record_event_takes_client_from_forwarded_for_behind_trusted_proxy(settings):
    settings.TRACKII_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9, 10.0.0.3"
    )

    # 1.2.3.4 was written by the client itself; 198.51.100.9 is what our proxies saw.
    with request_context(request):
        assert record_event(actor=None, action=Action.VIEW).client_ip == "198.51.100.9"


def test_record_event_generates_request_id_when_none_was_set():
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="forged-by-client-123")

    with request_context(request):
        event = record_event(actor=None, action=Action.VIEW)

    assert event.request_id == request.request_id
    assert event.request_id != "forged-by-client-123"
    assert len(event.request_id) == 32


AWKWARD = 'quote" back\\slash \n\t\x01\x1f\x7f é 中文 🕊 \u2028 </script>'


def test_record_event_hash_made_in_the_database_is_the_one_python_computes(user):
    # On PostgreSQL audit_append() hashes the row: it must agree with chain.row_hash() on awkward text,
    # a missing actor and dialogue, an address commitment and nested detail.
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    request.request_id = AWKWARD[:60]
    with request_context(request):
        events = [
            record_event(actor=None, action=Action.VIEW, target_type=AWKWARD, target_id=AWKWARD[:60]),
            record_event(
                actor=user,
                action=Action.AMENDED,
                dialogue_id=7,
                detail={"z": AWKWARD, "a": [1, True, None, {"k": "🕊"}], "é": -3},
            ),
        ]

    for event in events:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.prev_hash, stored.row_hash, stored.occurred_at) == (
            event.prev_hash,
            event.row_hash,
            event.occurred_at,
        )
        assert stored.row_hash == chain.row_hash(chain.event_values(stored))
    assert events[1].prev_hash == events[0].row_hash
    assert verify_chain(checkpoints=False).ok


def test_record_event_is_one_query(django_assert_num_queries):
    record_event(actor=None, action=Action.VIEW)  # a head exists, so the next append is the usual case

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        record_event(actor=None, action=Action.DOWNLOAD, detail={"n": 1})
