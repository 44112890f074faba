"""Saved searches: an auditor's own names for searches of the log. Only the search form's fields are kept,
names are checked and shown harmlessly, every change is audited, and another auditor's is the ordinary 404."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.access.test_access_matrix import _normalised
from tests.factories import UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent, SavedSearch
from trackii.audit.services import delete_saved_search, rename_saved_search, save_search

pytestmark = pytest.mark.django_db


def _auditor(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


@pytest.fixture
def auditor():
    return _auditor()


def _rows(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_saving_keeps_only_the_search_forms_fields_in_their_order(client, auditor):
    client.force_login(auditor)
    url = reverse("audit:save_search")
    query = "outcome=denied&before=40&junk=%3Cx%3E&person=+P-17+&since=2026-11-01&action=view&target_id="
    assert client.get(f"{url}?{query}").status_code == 200
    response = client.post(f"{url}?{query}", {"name": "  Probing by P-17  "})
    assert response.status_code == 302 and response["Location"] == reverse("audit:saved_list")
    saved = SavedSearch.objects.get()
    assert saved.owner == auditor and saved.name == "Probing by P-17"
    assert saved.query == "person=P-17&action=view&outcome=denied&since=2026-11-01"
    row = _rows(Action.SAVED_SEARCH_CREATED)[-1]
    assert row.actor == auditor and row.target_type == "audit.savedsearch" and row.target_id == str(saved.pk)
    # The filters' names only: never the name given or the values typed.
    assert row.detail == {"filters": ["action", "outcome", "person", "since"]}


def test_opening_a_saved_search_goes_to_the_search_it_holds(client, auditor):
    saved = save_search(by=auditor, name="Denials", query="outcome=denied&action=view")
    client.force_login(auditor)
    response = client.get(reverse("audit:saved_open", args=[saved.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:events") + "?outcome=denied&action=view"
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["form"].cleaned_data["outcome"] == "denied"


def test_a_search_with_a_mistake_is_sent_back_to_be_corrected(client, auditor):
    client.force_login(auditor)
    response = client.post(reverse("audit:save_search") + "?since=2026-13-45", {"name": "Broken"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit:events"))
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the search a name."),
        ("   ", "Give the search a name."),
        ("x" * 81, "Keep the name to 80 characters."),
        ("gol\u202eexe", "Use letters, digits, spaces and punctuation only."),
        ("two\nlines", "Use letters, digits, spaces and punctuation only."),
    ],
)
def test_a_name_is_refused_in_words_next_to_the_field(client, auditor, name, message):
    client.force_login(auditor)
    response = client.post(reverse("audit:save_search") + "?outcome=denied", {"name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SavedSearch.objects.exists() and not _rows(Action.SAVED_SEARCH_CREATED)


def test_a_name_in_use_is_refused_whatever_its_case_but_saving_the_same_twice_is_harmless(client, auditor):
    save_search(by=auditor, name="Denials", query="outcome=denied")
    client.force_login(auditor)
    url = reverse("audit:save_search")
    again = client.post(f"{url}?outcome=denied", {"name": "Denials"})  # a double-click: the one already saved
    assert again.status_code == 302
    other = client.post(f"{url}?outcome=failed", {"name": "DENIALS"})
    assert other.status_code == 400 and "You already have a saved search called" in other.content.decode()
    assert SavedSearch.objects.count() == 1 and len(_rows(Action.SAVED_SEARCH_CREATED)) == 1
    # Another auditor may use the same name for their own.
    assert save_search(by=_auditor(), name="Denials", query="outcome=failed").pk


def test_hostile_names_are_shown_as_text(client, auditor):
    save_search(by=auditor, name='<script>alert(1)</script> "quoted" & <b>bold', query="outcome=denied")
    client.force_login(auditor)
    body = client.get(reverse("audit:saved_list")).content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>bold" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &lt;b&gt;bold" in body


def test_each_auditor_sees_and_changes_only_their_own(client, auditor):
    mine = save_search(by=auditor, name="Mine", query="outcome=denied")
    theirs = save_search(by=_auditor(), name="Theirs, about P-9", query="person=P-9")
    client.force_login(auditor)
    body = client.get(reverse("audit:saved_list")).content.decode()
    assert "Mine" in body and "Theirs" not in body and "P-9" not in body
    for name in ("audit:saved_open", "audit:saved_rename", "audit:saved_delete"):
        missing = client.get(reverse(name, args=[999999]))
        refused = client.get(reverse(name, args=[theirs.pk]))
        assert refused.status_code == missing.status_code == 404
        assert _normalised(refused.content) == _normalised(missing.content)  # the same page, CSRF aside
    posted = client.post(reverse("audit:saved_delete", args=[theirs.pk]), {"confirmed": "yes"})
    assert posted.status_code == 404 and SavedSearch.objects.filter(pk=theirs.pk).exists()
    posted = client.post(reverse("audit:saved_rename", args=[theirs.pk]), {"name": "Mine now"})
    assert posted.status_code == 404 and SavedSearch.objects.get(pk=theirs.pk).name == "Theirs, about P-9"
    denials = AuditEvent.objects.filter(
        actor=auditor, outcome=Outcome.DENIED, target_type="audit.savedsearch", target_id=str(theirs.pk)
    )
    assert denials.count() == 5  # every refusal is in the log, as probing should be
    assert client.get(reverse("audit:saved_open", args=[mine.pk])).status_code == 302
    assert client.get(reverse("audit:saved_open", args=[10**30])).status_code == 404


def test_a_revoked_auditors_open_session_gets_nothing(client, auditor):
    saved = save_search(by=auditor, name="Mine", query="outcome=denied")
    client.force_login(auditor)
    auditor.groups.clear()
    for url in (reverse("audit:saved_list"), reverse("audit:saved_open", args=[saved.pk])):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("audit:saved_delete", args=[saved.pk]), {"confirmed": "yes"}).status_code == 404
    )
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_renaming_is_audited_and_the_same_name_changes_nothing(client, auditor):
    saved = save_search(by=auditor, name="Old", query="outcome=denied")
    save_search(by=auditor, name="Taken", query="outcome=failed")
    client.force_login(auditor)
    url = reverse("audit:saved_rename", args=[saved.pk])
    assert 'value="Old"' in client.get(url).content.decode()
    assert client.post(url, {"name": "taken"}).status_code == 400
    assert client.post(url, {"name": "New"}).status_code == 302
    assert client.post(url, {"name": "New"}).status_code == 302
    saved.refresh_from_db()
    assert saved.name == "New" and saved.query == "outcome=denied"
    [row] = _rows(Action.SAVED_SEARCH_RENAMED)
    assert row.target_id == str(saved.pk) and row.detail == {"fields": ["name"]}


def test_deleting_asks_first_then_forgets_the_search_and_is_audited(client, auditor):
    saved = save_search(by=auditor, name="Denials", query="outcome=denied")
    client.force_login(auditor)
    url = reverse("audit:saved_delete", args=[saved.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200 and "Delete the saved search" in response.content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302 and not SavedSearch.objects.exists()
    [row] = _rows(Action.SAVED_SEARCH_DELETED)
    assert row.actor == auditor and row.target_id == str(saved.pk) and row.detail == {"filters": ["outcome"]}
    assert client.post(url, {"confirmed": "yes"}).status_code == 404  # twice: already gone


def test_saving_needs_the_csrf_token(auditor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)
    response = client.post(reverse("audit:save_search") + "?outcome=denied", {"name": "Forged"})
    assert response.status_code == 403 and not SavedSearch.objects.exists()


def test_services_refuse_in_words_and_repeat_safely(auditor):
    saved = save_search(by=auditor, name="A", query="outcome=denied")
    save_search(by=auditor, name="B", query="outcome=failed")
    with pytest.raises(ValidationError) as raised:
        rename_saved_search(by=auditor, saved=saved, name="b")
    assert "already have a saved search" in str(raised.value.message_dict["name"])
    with pytest.raises(ValidationError):
        save_search(by=auditor, name="A", query="x=" + "y" * 2000)
    delete_saved_search(by=auditor, saved=saved)
    delete_saved_search(by=auditor, saved=saved)
    assert len(_rows(Action.SAVED_SEARCH_DELETED)) == 1


@pytest.mark.parametrize("count", [1, 8])
def test_saved_list_query_count_is_constant(client, auditor, django_assert_num_queries, count):
    for n in range(count):
        save_search(by=auditor, name=f"Search {n}", query=f"target_id={n}&action=view")
    save_search(by=_auditor(), name="Someone else's", query="outcome=denied")
    client.force_login(auditor)
    url = reverse("audit:saved_list")
    client.get(url)  # warm per-process caches
    # session, user, permissions (user's, groups'), the saved searches
    with django_assert_num_queries(5):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("Action: Viewed") == count and "Someone else" not in body


def test_a_login_address_is_saved_as_the_logins_number(client, auditor):
    """Saved searches are plain text in the database: a login e-mail typed as the person would sit there in
    clear, where every login address is otherwise encrypted (decision 0006)."""
    member = UserFactory(email="ysolde.marrick@example.net")
    client.force_login(auditor)
    url = f"{reverse('audit:save_search')}?person=+YSOLDE.Marrick@example.net&action=view"
    assert client.post(url, {"name": "Ysolde"}).status_code == 302
    saved = SavedSearch.objects.get()
    assert "example.net" not in saved.query and saved.query == f"person=%23{member.pk}&action=view"
    with pytest.raises(ValidationError, match="No login has this address"):
        save_search(by=auditor, name="Nobody", query="person=nobody%40example.org")
    assert SavedSearch.objects.count() == 1
