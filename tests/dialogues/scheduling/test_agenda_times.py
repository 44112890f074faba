"""The agenda in time (issue 18): days, start times and lengths, totals and warnings, the relabelled
hide/show buttons, the run sheet (page and PDF, for the facilitation team only) and the summary draft that
starts from the agenda the participants saw."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, WorkshopStatus
from dialogues.models import AgendaItem
from dialogues.scheduling import services as scheduling
from dialogues.scheduling.timetable import lay_out, workshop_days
from dialogues.summaries import services as summaries
from dialogues.summaries.selectors import opening_body
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _member(dialogue, role=DialogueRole.PARTICIPANT):
    person = PersonFactory(user=UserFactory())
    side = (
        (dialogue.sides.first() or SideFactory(dialogue=dialogue))
        if role == DialogueRole.PARTICIPANT
        else None
    )
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


def _two_day_workshop(**kwargs):
    """Monday 1 March 2027 09:00 to Tuesday 2 March 17:00, Oslo time."""
    series = SeriesFactory(dialogue=DialogueFactory(codename="saltmarsh"))
    return WorkshopFactory(
        series=series,
        starts_at=dt.datetime(2027, 3, 1, 9, 0, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 3, 2, 17, 0, tzinfo=OSLO),
        **kwargs,
    )


def _add(workshop, title, **kwargs):
    return scheduling.add_agenda_item(workshop=workshop, title=title, by=None, **kwargs)


# --- Services and the timetable ------------------------------------------------------------------------


def test_workshop_days_are_on_the_venues_clock():
    workshop = _two_day_workshop()
    assert workshop_days(workshop) == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    workshop.ends_at = dt.datetime(2027, 3, 2, 0, 0, tzinfo=OSLO)
    assert workshop_days(workshop) == [dt.date(2027, 3, 1)]


def test_timetable_orders_by_day_and_time_and_totals_each_day():
    workshop = _two_day_workshop()
    _add(workshop, "Day two opening", day=2, starts_at_time=dt.time(9, 30), duration_minutes=30)
    _add(workshop, "Welcome", duration_minutes=45)  # untimed on day 1: starts with the workshop
    _add(workshop, "Coffee", duration_minutes=15)  # follows Welcome
    _add(workshop, "Fisheries", starts_at_time=dt.time(11, 0), duration_minutes=90)
    timetable = lay_out(workshop=workshop, items=list(workshop.agenda_items.all()))
    day1, day2 = timetable.days
    assert [s.item.title for s in day1.slots] == ["Fisheries", "Welcome", "Coffee"]
    # Untimed items follow the timed ones: Welcome starts after Fisheries ends.
    assert [s.times for s in day1.slots] == ["11:00\u201312:30", "12:30\u201313:15", "13:15\u201313:30"]
    assert day1.total_minutes == 150 and day1.total_label == "2 h 30 min"
    assert day1.span_label == "11:00\u201313:30"
    assert day2.label == "Day 2 · Tuesday 2 March" and day2.slots[0].times == "09:30\u201310:00"
    assert timetable.warnings == []
    # Positions follow the agenda's order.
    assert list(AgendaItem.objects.filter(workshop=workshop).values_list("title", "position")) == [
        ("Fisheries", 1),
        ("Welcome", 2),
        ("Coffee", 3),
        ("Day two opening", 4),
    ]


def test_timetable_warns_of_overlaps_and_items_past_the_end_but_keeps_them():
    workshop = _two_day_workshop()
    _add(workshop, "Plenary", starts_at_time=dt.time(9, 0), duration_minutes=120)
    _add(workshop, "Breakout", starts_at_time=dt.time(10, 30), duration_minutes=30)
    _add(workshop, "Dinner talk", day=2, starts_at_time=dt.time(16, 30), duration_minutes=60)
    _add(workshop, "Dawn walk", starts_at_time=dt.time(7, 0), duration_minutes=30)
    warnings = lay_out(workshop=workshop, items=list(workshop.agenda_items.all())).warnings
    assert any("“Breakout” starts at 10:30, before “Plenary” ends at 11:00" in w for w in warnings)
    assert any("“Dinner talk” runs past the workshop's end" in w and "until 17:30" in w for w in warnings)
    assert any("“Dawn walk” starts before the workshop does (09:00)" in w for w in warnings)
    assert AgendaItem.objects.filter(workshop=workshop).count() == 4


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"day": 3}, "day", "1 to 2"),
        ({"day": 0}, "day", "1 to 2"),
        ({"duration_minutes": 0}, "duration_minutes", "from 1 to 1440"),
        ({"duration_minutes": 1441}, "duration_minutes", "from 1 to 1440"),
        ({"title": "  "}, "title", "needs a title"),
    ],
)
def test_services_refuse_bad_days_lengths_and_titles_naming_the_field(fields, field, words):
    workshop = _two_day_workshop()
    item = _add(workshop, "Opening")
    with pytest.raises(ValidationError) as refused:
        scheduling.add_agenda_item(workshop=workshop, by=None, **{"title": "New", **fields})
    assert words in refused.value.message_dict[field][0]
    with pytest.raises(ValidationError):
        scheduling.change_agenda_item(item=item, by=None, **{"title": "Opening", **fields})
    item.refresh_from_db()
    assert item.day == 1 and item.duration_minutes is None and AgendaItem.objects.count() == 1


def test_change_agenda_item_audits_the_fields_changed_and_writes_nothing_when_nothing_changed():
    workshop = _two_day_workshop()
    item = _add(workshop, "Opening")
    scheduling.change_agenda_item(item=item, by=None, title="Opening", day=2, starts_at_time=dt.time(10))
    row = AuditEvent.objects.filter(action="agenda_item_changed").get()
    assert row.detail["fields"] == ["day", "starts_at_time"] and "Opening" not in str(row.detail)
    scheduling.change_agenda_item(item=item, by=None, title="Opening", day=2, starts_at_time=dt.time(10))
    assert AuditEvent.objects.filter(action="agenda_item_changed").count() == 1


def test_items_move_only_among_those_the_time_does_not_order():
    workshop = _two_day_workshop()
    timed = _add(workshop, "Timed", starts_at_time=dt.time(9))
    first = _add(workshop, "First")
    second = _add(workshop, "Second")
    scheduling.move_agenda_item(item=first, steps=-1, by=None)  # would pass the timed item: nothing moves
    scheduling.move_agenda_item(item=second, steps=-1, by=None)
    titles = [i.title for i in AgendaItem.objects.filter(workshop=workshop)]
    assert titles == ["Timed", "Second", "First"] and timed.pk


def test_cloning_keeps_days_and_times():
    workshop = _two_day_workshop()
    _add(workshop, "Opening", day=2, starts_at_time=dt.time(9, 15), duration_minutes=20)
    new = scheduling.clone_next_workshop(workshop=workshop, by=None)
    item = new.agenda_items.get()
    assert (item.day, item.starts_at_time, item.duration_minutes) == (2, dt.time(9, 15), 20)


# --- Pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def planned(client):
    workshop = _two_day_workshop()
    dialogue = workshop.series.dialogue
    convenor = _member(dialogue, DialogueRole.CONVENOR)
    participant = _member(dialogue)
    scheduling.invite(workshop=workshop, person=participant, by=None)
    _add(workshop, "Welcome", starts_at_time=dt.time(9, 0), duration_minutes=30, description="Tea first")
    _add(
        workshop,
        "Security huddle",
        starts_at_time=dt.time(9, 30),
        duration_minutes=20,
        facilitators_only=True,
    )
    _add(workshop, "Fisheries access", duration_minutes=60)
    _add(workshop, "Joint statement", day=2, starts_at_time=dt.time(14, 0), duration_minutes=90)
    return workshop, convenor, participant


def _url(name, workshop, *extra):
    return reverse(f"dialogues:{name}", args=[workshop.series.dialogue_id, workshop.pk, *extra])


def test_agenda_page_groups_by_day_with_times_totals_and_action_buttons(client, planned):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    body = client.get(_url("agenda", workshop)).content.decode()
    assert "Day 1 · Monday 1 March" in body and "Day 2 · Tuesday 2 March" in body
    assert "09:00\u201309:30" in body and "09:50\u201310:50" in body  # Fisheries follows the hidden huddle
    assert "1 h 50 min of items" in body and "09:00\u201310:50" in body
    assert "Hide from participants" in body and "Show to participants" in body
    assert "Facilitators only</span>" in body


def test_hide_and_show_do_what_they_say_whatever_the_state(client, planned):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    item = next(i for i in workshop.agenda_items.all() if i.title == "Welcome")
    for _ in range(2):
        client.post(_url("agenda_item", workshop, item.pk), {"action": "hide"})
        item.refresh_from_db()
        assert item.facilitators_only
    client.post(_url("agenda_item", workshop, item.pk), {"action": "show"})
    item.refresh_from_db()
    assert not item.facilitators_only


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"day": "5"}, "day", "Choose one of the workshop"),
        ({"starts_at_time": "25:99"}, "starts_at_time", "e.g. 09:30"),
        ({"duration_minutes": "0"}, "duration_minutes", "from 1 to 1440"),
        ({"duration_minutes": "2000"}, "duration_minutes", "from 1 to 1440"),
        ({"duration_minutes": "soon"}, "duration_minutes", "whole number"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_keeps_what_was_typed_and_writes_nothing(
    client, planned, data, field, words
):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    item = next(i for i in workshop.agenda_items.all() if i.title == "Welcome")
    before = list(AgendaItem.objects.values_list("id", "title", "day", "starts_at_time", "duration_minutes"))
    for url in (_url("agenda", workshop), _url("agenda_item_edit", workshop, item.pk)):
        response = client.post(url, {"title": "Typed title", **data})
        body = response.content.decode()
        assert response.status_code == 400 and words in body
        assert f'id="id_{field}_error"' in body and 'value="Typed title"' in body
    after = list(AgendaItem.objects.values_list("id", "title", "day", "starts_at_time", "duration_minutes"))
    assert before == after


def test_change_an_item_from_its_own_page(client, planned):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    item = next(i for i in workshop.agenda_items.all() if i.title == "Fisheries access")
    page = client.get(_url("agenda_item_edit", workshop, item.pk)).content.decode()
    assert 'value="Fisheries access"' in page and 'type="time"' in page
    data = {"title": "Fisheries access", "day": "2", "starts_at_time": "10:15", "duration_minutes": "45"}
    response = client.post(_url("agenda_item_edit", workshop, item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.day, item.starts_at_time, item.duration_minutes) == (2, dt.time(10, 15), 45)


def test_participants_see_times_without_the_hidden_items(client, planned):
    workshop, _, participant = planned
    client.force_login(participant.user)
    body = client.get(reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk]))
    body = body.content.decode()
    assert "Fisheries access" in body and "09:50\u201310:50" in body and "Day 2 · Tuesday 2 March" in body
    assert "Security huddle" not in body and "Run sheet" not in body


def test_run_sheet_page_lists_every_item_for_the_team_and_prints_a_day_per_sheet(client, planned):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    body = client.get(_url("run_sheet", workshop)).content.decode()
    assert "Security huddle" in body and "Facilitators only" in body and "Tea first" in body
    assert body.count('class="run-day"') == 2 and "1 h 30 min" in body
    assert AuditEvent.objects.filter(action="view", target_type="dialogues.workshop").exists()


def test_run_sheet_pdf_has_every_item_a_codename_file_name_and_an_audited_download(client, planned):
    workshop, convenor, _ = planned
    client.force_login(convenor.user)
    response = client.get(_url("run_sheet_pdf", workshop))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="saltmarsh-series-{workshop.series.position}'
        f'-workshop-{workshop.number}-run-sheet.pdf"'
    )
    assert "Fjordhaven" not in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 2  # a page per day
    for words in ("Welcome", "Security huddle", "Fisheries access", "Joint statement", "Facilitators only"):
        assert words in text
    assert "Fjordhaven" not in text  # the venue stays off paper, and so does the series' title
    assert workshop.neutral_label in text and workshop.series.title not in text
    download = AuditEvent.objects.get(action="download")
    assert download.target_id == str(workshop.pk) and download.detail == {"document": "run_sheet"}


def test_run_sheet_pdf_leaves_the_series_title_off_paper_and_names_the_series_by_position(client, planned):
    """A printed run sheet leaves Trackii: it names the workshop as e-mails do (`neutral_label`), never by the
    series title, which can say what the dialogue is about (decision 0004); two series' workshop 1 download
    under two names."""
    workshop, convenor, _ = planned
    workshop.series.title = "Basin commission track"
    workshop.series.save(update_fields=["title"])
    client.force_login(convenor.user)
    response = client.get(_url("run_sheet_pdf", workshop))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Basin commission" not in text
    assert f"series {workshop.series.position}" in text
    assert response["Content-Disposition"] == (
        f'attachment; filename="saltmarsh-series-{workshop.series.position}-workshop-{workshop.number}'
        '-run-sheet.pdf"'
    )


def test_run_sheet_is_not_found_for_participants_and_outsiders(client, planned):
    workshop, _, participant = planned
    outsider = _member(DialogueFactory())
    for person in (participant, outsider):
        client.force_login(person.user)
        for name in ("run_sheet", "run_sheet_pdf"):
            assert client.get(_url(name, workshop)).status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


# --- The summary draft starts from the agenda the participants saw ---------------------------------------


def test_summary_draft_starts_with_the_shared_items_in_agenda_order_never_the_hidden_ones(client, planned):
    workshop, convenor, _ = planned
    workshop.starts_at = dt.datetime(2025, 3, 1, 9, 0, tzinfo=OSLO)
    workshop.ends_at = dt.datetime(2025, 3, 2, 17, 0, tzinfo=OSLO)
    workshop.status = WorkshopStatus.HELD
    workshop.save()
    workshop.invitations.update(status=InvitationStatus.ATTENDED)
    assert opening_body(workshop=workshop) == (
        "## Welcome\n\n\n## Fisheries access\n\n\n## Joint statement\n\n\n"
    )
    client.force_login(convenor.user)
    client.post(reverse("dialogues:summary_start", args=[workshop.series.dialogue_id, workshop.pk]))
    summary = workshop.summaries.get()
    assert summary.body.startswith("## Welcome\n") and "Security huddle" not in summary.body
    assert summary.body.index("Fisheries access") < summary.body.index("Joint statement")
    assert summaries.start_summary(workshop=workshop, by=convenor.user) == summary
