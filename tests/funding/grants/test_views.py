"""The funding pages: a funder sees the grants it made and the funded dialogue's activity only in aggregate;
a dialogue's members see who funds it."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole, WorkshopStatus
from funding.approval import services as approval_services
from funding.enums import ConditionKind, ConditionRuling, GrantStatus
from funding.funders.services import sync_funder_access
from funding.grants import services as grant_services
from funding.models import Grant
from participants.enums import FundingConsent
from participants.models import Membership
from tests.dialogues.helpers import pseudonym_in, shows
from tests.factories import (
    ConditionFactory,
    DialogueFactory,
    ExpenseFactory,
    FunderFactory,
    GrantFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.helpers import submitted_values
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _officer(funder):
    person = PersonFactory(user=UserFactory())
    funder.officers.add(person)
    sync_funder_access(funder=funder)
    return person.user


def _warm(client, url):
    client.get(url)  # per-process caches (content types, permissions) are filled once


@pytest.fixture
def funded(place):
    """An active grant of place A with a flagged condition accepted by two convenors, an expense whose
    description names a venue, and a participant's objection with a note."""
    grant = GrantFactory(
        dialogue=place.dialogue, funder=place.funder, reference="APF-7", status=GrantStatus.ACCEPTED
    )
    condition = ConditionFactory(grant=grant, kind=ConditionKind.AGENDA, text="The funder proposes items")
    grant_services.rule_on_condition(
        condition=condition,
        ruling=ConditionRuling.ACCEPTED,
        rationale="One input among many",
        by=place.convenor.user,
    )
    grant_services.confirm_condition(condition=condition, by=place.second_convenor.user)
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=place.convenor.user)
    sync_funder_access(funder=place.funder)  # record_grant does this; the factory does not
    ExpenseFactory(grant=grant, description="Fjordhaven Conference House deposit", amount=Decimal("7200"))
    membership = Membership.objects.get(person=place.participants[1], dialogue=place.dialogue)
    approval_services.answer_funding(
        membership=membership, consent=FundingConsent.OBJECTED, note="Worried about the agenda", by=None
    )
    return grant


@pytest.mark.parametrize("count", [1, 10])
def test_funder_sees_only_its_own_grants_in_constant_queries(client, django_assert_num_queries, count):
    funder = FunderFactory(name="Aldmere Peace Foundation")
    for _ in range(count):
        GrantFactory(funder=funder)
    GrantFactory(funder=FunderFactory(name="Another Funder"))
    user = _officer(funder)
    client.force_login(user)
    # session, user, whether they manage any funding, grants (funder and dialogue joined), their own
    # memberships that are asked to approve funding
    client.get(reverse("funding:grant_list"))  # warm per-process caches (content types)
    with django_assert_num_queries(5):
        response = client.get(reverse("funding:grant_list"))
    body = response.content.decode()
    assert body.count("Aldmere Peace Foundation") == count and "Another Funder" not in body


def test_funder_sees_aggregates_with_small_counts_suppressed_and_no_names(client):
    dialogue = DialogueFactory()
    big, small = (
        SideFactory(dialogue=dialogue, name="Big side"),
        SideFactory(dialogue=dialogue, name="Small side"),
    )
    middle = SideFactory(dialogue=dialogue, name="Middle side")
    for side, n in ((big, 7), (middle, 6), (small, 2)):
        for i in range(n):
            person = PersonFactory(name=f"Secret Name {side.pk}-{i}")
            services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
            )
    WorkshopFactory(series__dialogue=dialogue, status=WorkshopStatus.HELD, venue="Hidden Lodge")
    grant = GrantFactory(dialogue=dialogue)
    client.force_login(_officer(grant.funder))
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert '<th scope="row">Big side</th><td class="number">7</td>' in body
    assert '<th scope="row">Small side</th><td class="number">withheld</td>' in body
    # The total is known from elsewhere, so the next smallest is withheld: the small one cannot be worked out.
    assert '<th scope="row">Middle side</th><td class="number">withheld</td>' in body
    assert "Workshops held: 1." in body
    assert "Secret Name" not in body and "Hidden Lodge" not in body and "P-" not in body


def test_participant_sees_who_funds_their_dialogue(client):
    dialogue = DialogueFactory()
    person = PersonFactory(user=UserFactory())
    services.assign_role(
        dialogue=dialogue,
        person=person,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue),
        by=None,
    )
    grant = GrantFactory(dialogue=dialogue, funder=FunderFactory(name="Concord Fund"))
    GrantFactory(funder=FunderFactory(name="Elsewhere Fund"))
    client.force_login(person.user)
    body = client.get(reverse("funding:grant_list")).content.decode()
    assert "Concord Fund" in body and "Elsewhere Fund" not in body
    assert client.get(reverse("funding:grant_detail", args=[grant.pk])).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_convenor_grant_list_with_answers_in_constant_queries(
    client, django_assert_num_queries, place, count
):
    for _ in range(count):
        GrantFactory(dialogue=place.dialogue, funder=place.funder)
    GrantFactory(
        dialogue=None, third_party=place.dialogue.third_party, funder=FunderFactory(name="Core Fund")
    )
    client.force_login(place.convenor.user)
    url = reverse("funding:grant_list")
    _warm(client, url)
    # session, user, what the user holds (dialogues; funders' grants), grants (with flags and answer counts),
    # memberships asked
    with django_assert_num_queries(6):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("Foundation a</a>") == count and "Core Fund" in body
    assert body.count("0 approved") == count  # the core grant has no participants to ask


@pytest.mark.parametrize("count", [1, 6])
def test_export_in_constant_queries(client, django_assert_num_queries, place, count):
    for _ in range(count):
        ExpenseFactory(grant=GrantFactory(dialogue=place.dialogue, funder=place.funder))
    client.force_login(place.convenor.user)
    url = reverse("funding:grant_export")
    _warm(client, url)
    # session, user, manages funding?, grants, expenses, the audit row
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("\r\nexpense,") == count


def test_funder_sees_terms_rulings_and_spend_by_category_but_nothing_that_identifies(client, place, funded):
    client.force_login(place.officer.user)
    body = client.get(reverse("funding:grant_detail", args=[funded.pk])).content.decode()
    assert "EUR 120,000.00" in body and "One input among many" in body and "Venue" in body
    assert "Disclosure reports" in body and "No disclosure report has been generated yet." in body
    for secret in (
        "Fjordhaven",
        "Secret Participant",
        "T-",
        "Worried about the agenda",
        place.convenor.user.email,
    ):
        assert secret not in body
    assert "Record an expense" not in body and "Make the grant active" not in body


def test_member_sees_who_funds_and_on_what_terms_but_no_amounts(client, place, funded):
    client.force_login(place.participants[0].user)
    body = client.get(reverse("funding:grant_detail", args=[funded.pk])).content.decode()
    assert "Foundation a" in body and "One input among many" in body
    assert "120,000" not in body and "Fjordhaven" not in body and "Worried" not in body
    assert "Disclosure reports" not in body


def test_convenor_sees_spend_objections_and_notes(client, place, funded):
    client.force_login(place.convenor.user)
    body = client.get(reverse("funding:grant_detail", args=[funded.pk])).content.decode()
    assert "Fjordhaven Conference House deposit" in body
    assert "<strong>0 approved</strong> · <strong>1 objected</strong> · 1 not yet answered" in body
    objector = place.participants[1]
    assert "Worried about the agenda" in body and pseudonym_in(place.dialogue, objector) in body
    assert not shows(body, objector.pseudonym)  # the account pseudonym (decision 0026)
    assert f"confirmed by {place.second_convenor.user.email}" in body
    assert "Secret Participant" not in body  # pseudonyms only


def test_funder_of_one_dialogue_gets_404_on_another_dialogues_grant(client, place, other_place):
    theirs = GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    sync_funder_access(funder=other_place.funder)
    client.force_login(other_place.officer.user)
    assert client.get(reverse("funding:grant_detail", args=[theirs.pk])).status_code == 200
    client.force_login(place.officer.user)
    assert client.get(reverse("funding:grant_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("dialogues:dialogue_detail", args=[place.dialogue.pk])).status_code == 404


def test_a_flagged_condition_needs_a_second_convenor_before_the_grant_becomes_active(client, place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    client.force_login(place.convenor.user)
    response = client.post(
        reverse("funding:condition_add", args=[grant.pk]),
        {"kind": ConditionKind.FUNDER_ATTENDANCE, "text": "Our staff attend as observers"},
    )
    condition = grant.conditions.get()
    assert response.status_code == 302 and condition.flagged
    rule = reverse("funding:condition_rule", args=[grant.pk, condition.pk])
    prefix = f"condition-{condition.pk}"
    client.post(rule, {f"{prefix}-ruling": "accepted", f"{prefix}-rationale": "Silent observers, once"})
    client.post(reverse("funding:grant_status", args=[grant.pk]), {"status": "accepted"})
    response = client.post(
        reverse("funding:grant_status", args=[grant.pk]), {"status": "active"}, follow=True
    )
    assert "needs a second convenor&#x27;s confirmation" in response.content.decode()
    # The same convenor cannot confirm their own proposal.
    response = client.post(reverse("funding:condition_confirm", args=[grant.pk, condition.pk]), follow=True)
    assert "you proposed this acceptance yourself" in response.content.decode()
    client.force_login(place.second_convenor.user)
    assert "Confirm: accept" in client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    client.post(reverse("funding:condition_confirm", args=[grant.pk, condition.pk]))
    client.post(reverse("funding:grant_status", args=[grant.pk]), {"status": "active"})
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_a_ruling_without_rationale_comes_back_with_the_error_next_to_the_field(client, place):
    condition = ConditionFactory(grant=GrantFactory(dialogue=place.dialogue), kind=ConditionKind.REPORTING)
    client.force_login(place.convenor.user)
    prefix = f"condition-{condition.pk}"
    response = client.post(
        reverse("funding:condition_rule", args=[condition.grant_id, condition.pk]),
        {f"{prefix}-ruling": "rejected", f"{prefix}-rationale": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "every ruling on a funder&#x27;s condition needs a rationale" in body
    assert 'value="rejected" required id="id_condition-' in body and "checked" in body


def test_recording_a_grant_with_mistakes_keeps_what_was_typed(client, place):
    client.force_login(place.convenor.user)
    response = client.post(
        reverse("funding:grant_create"),
        {
            "funder": place.funder.pk,
            "recipient": str(place.dialogue.pk),
            "reference": "APF-2026-9",
            "amount": "-5",
            "currency": "EUR",
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
            "purpose": "Three workshops",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The amount must be more than zero." in body
    assert "The grant must end on or after the day it starts." in body
    assert 'value="APF-2026-9"' in body and "Three workshops" in body


def test_convenor_records_a_core_budget_grant_and_an_expense(client, place):
    client.force_login(place.convenor.user)
    third_party = place.dialogue.third_party
    response = client.post(
        reverse("funding:grant_create"),
        {
            "funder": place.funder.pk,
            "recipient": f"core-{third_party.pk}",
            "amount": "500000",
            "currency": "eur",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "purpose": "Staff and security",
        },
    )
    grant = Grant.objects.get(dialogue=None)
    assert response.status_code == 302 and grant.third_party == third_party and grant.currency == "EUR"
    for status in ("accepted", "active"):
        client.post(reverse("funding:grant_status", args=[grant.pk]), {"status": status})
    response = client.post(
        reverse("funding:expense_add", args=[grant.pk]),
        {
            "category": "staff",
            "amount": "96000",
            "spent_on": "2026-06-30",
            "description": "Half-year salaries",
        },
    )
    assert response.status_code == 302 and grant.expenses.get().amount == Decimal("96000")
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert "EUR 96,000.00 (19%)" in body


def test_export_holds_the_convenors_grants_and_core_budget_safe_from_formulas(client, place, other_place):
    ours = GrantFactory(dialogue=place.dialogue, funder=place.funder, reference='=HYPERLINK("x")')
    ExpenseFactory(grant=ours, description="+cmd|' /C calc'!A0", amount=Decimal("10"))
    ExpenseFactory(grant=ours, description="@SUM(A1:A2)", amount=Decimal("20"))
    core = GrantFactory(
        dialogue=None, third_party=place.dialogue.third_party, funder=FunderFactory(name="-Core")
    )
    GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder, reference="THEIRS")
    client.force_login(place.convenor.user)
    response = client.get(reverse("funding:grant_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "secret" not in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["record", "grant reference", "funder"]
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("x")' in cells and "'+cmd|' /C calc'!A0" in cells and "'@SUM(A1:A2)" in cells
    assert "'-Core" in cells and "core budget" in cells and place.dialogue.codename in cells
    assert "THEIRS" not in cells and other_place.dialogue.codename not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    event = AuditEvent.objects.get(action="export")
    assert event.actor_id == place.convenor.user.pk
    assert event.detail == {"format": "csv", "grants": 2, "expenses": 2, "dialogues": [place.dialogue.pk]}
    assert core.pk


def test_export_is_for_convenors_only(client, place):
    for person in (place.participants[0], place.officer):
        client.force_login(person.user)
        assert client.get(reverse("funding:grant_export")).status_code == 404
    assert AuditEvent.objects.filter(action="denied", target_type="funding.grant").count() == 2


def test_an_expense_on_a_grant_not_yet_active_is_refused_with_the_reason(client, place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    client.force_login(place.convenor.user)
    response = client.post(
        reverse("funding:expense_add", args=[grant.pk]),
        {"category": "travel", "amount": "100", "spent_on": "2026-03-01"},
        follow=True,
    )
    assert "expenses are recorded only against an active grant" in response.content.decode()
    assert not grant.expenses.exists()


def test_convenor_changes_the_terms_of_a_proposed_grant(client, place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    client.force_login(place.convenor.user)
    url = reverse("funding:grant_edit", args=[grant.pk])
    assert 'value="120000.00"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reference": "APF-9",
            "amount": "125000",
            "currency": "EUR",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "purpose": "Workshops, travel and interpretation",
        },
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.amount, grant.reference) == (Decimal("125000"), "APF-9")


def test_saving_the_grant_terms_unchanged_succeeds(client, place):
    """The dates reach the browser as ISO values (the only ones <input type=date> shows), so what it sends
    back unchanged is what the grant already says."""
    grant = GrantFactory(
        dialogue=place.dialogue,
        funder=place.funder,
        starts_on=dt.date(2027, 1, 2),
        ends_on=dt.date(2028, 1, 31),
    )
    client.force_login(place.convenor.user)
    url = reverse("funding:grant_edit", args=[grant.pk])
    page = client.get(url).content.decode()
    assert 'value="2027-01-02"' in page and 'value="2028-01-31"' in page
    response = client.post(url, submitted_values(page, action=""))
    assert response.status_code == 302, response.content.decode()
    grant.refresh_from_db()
    assert (grant.starts_on, grant.ends_on) == (dt.date(2027, 1, 2), dt.date(2028, 1, 31))


def test_two_grants_of_one_funder_have_different_titles_and_a_member_sees_no_reference_in_them(client, place):
    grants = [
        GrantFactory(
            dialogue=place.dialogue,
            funder=place.funder,
            reference=f"APF-{year}",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            status=GrantStatus.ACTIVE,
        )
        for year in (2026, 2027)
    ]
    for user in (place.convenor.user, place.participants[0].user):
        client.force_login(user)
        titles = {
            client.get(reverse("funding:grant_detail", args=[g.pk])).content.decode().split("</title>")[0]
            for g in grants
        }
        assert len(titles) == 2
        assert not any("APF-" in title for title in titles)
