"""Attacks on issue 21's programme insight (per-dialogue insight pages, outcome pages, the programme-wide
page, their CSVs, and what a funder sees): a removed convenor with an open session, a convenor of another
dialogue, ids of one dialogue under another's URL, carriers who are not members, table names that are not
listed, hostile input in every form, and small counts a funder could work out. Each test is one attack, and
each asserts that it held: the two that did not at first (a funder's subtraction, outcomes dated 1900) are
fixed."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, OutcomeKind, OutcomeStage, RipenessKind
from dialogues.insight.ripeness import services as ripeness_services
from dialogues.models import Outcome, OutcomeStep, RipenessEntry
from dialogues.outcomes import services as outcome_services
from funding.disclosures import selectors as disclosure_selectors
from funding.enums import GrantStatus
from funding.funders.services import sync_funder_access
from funding.permissions import suppressed_counts, suppressed_together
from participants.enums import FundingConsent
from participants.models import Membership
from tests.dialogues.insight.helpers import held_workshop
from tests.dialogues.insight.transfers_helpers import build_road
from tests.factories import DialogueFactory, GrantFactory, SeriesFactory, SideFactory
from tests.funding.conftest import make_place, participate
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
# Refused wherever a line of text is asked for (trackii.inputs.plain_text): they hide or reorder what a
# reader sees, or break the line.
HOSTILE_LINES = (
    "\u202egnp.exe",  # right-to-left override
    "nul\x00byte",
    "line\u2028separator",
)
# Accepted as text, and harmless where they are shown: escaped on every page and in the SVG, defused in every
# CSV (trackii.charts.export.csv_safe). A zero-width space is kept like the joiners Persian needs.
SHOWN_SAFELY = (
    "zero\u200bwidth",
    "<svg onload=alert(1)>",
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(1+1)",
    "+1-1",
)


@pytest.fixture
def road():
    road = build_road()
    series = SeriesFactory(dialogue=road.dialogue, position=1)
    held_workshop(series, 1, attended=[road.carrier, road.quiet], days_ago=120)
    held_workshop(series, 2, attended=[road.carrier], days_ago=60)
    return road


def _client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _url(name: str, dialogue_id: int, *args) -> str:
    return reverse(f"dialogues:{name}", args=[dialogue_id, *args])


def _outcome(road, *, title="Joint hotline", start_days_ago=90) -> Outcome:
    return outcome_services.record_outcome(
        dialogue=road.dialogue,
        kind=OutcomeKind.NEW_OPTION,
        title=title,
        reached_on=TODAY - dt.timedelta(days=start_days_ago),
        channel="working session",
        by=road.convenor.user,
    )


def _entry(dialogue, by) -> RipenessEntry:
    return ripeness_services.add_ripeness_entry(
        dialogue=dialogue,
        occurred_on=TODAY - dt.timedelta(days=10),
        kind=RipenessKind.ELECTION,
        text="The early election hands the ministry to hardliners.",
        by=by,
    )


def _pages(dialogue_id: int, outcome_id: int, entry_id: int) -> dict[str, str]:
    """Every page and CSV of issue 21 that belongs to one dialogue, with what it is called."""
    return {
        "hub": _url("insight", dialogue_id),
        "composition": _url("insight_composition", dialogue_id),
        "composition csv": _url("insight_composition_csv", dialogue_id, "roster"),
        "continuity": _url("insight_continuity", dialogue_id),
        "continuity csv": _url("insight_continuity_csv", dialogue_id, "workshops"),
        "ripeness": _url("insight_ripeness", dialogue_id),
        "ripeness csv": _url("insight_ripeness_csv", dialogue_id),
        "ripeness edit": _url("insight_ripeness_edit", dialogue_id, entry_id),
        "ripeness delete": _url("insight_ripeness_delete", dialogue_id, entry_id),
        "transfers": _url("insight_transfers", dialogue_id),
        "transfers csv": _url("insight_transfers_csv", dialogue_id, "steps"),
        "outcomes": _url("outcome_list", dialogue_id),
        "outcome new": _url("outcome_create", dialogue_id),
        "outcome": _url("outcome_detail", dialogue_id, outcome_id),
        "programme": reverse("dialogues:programme_insight"),
        "programme csv": reverse("dialogues:programme_insight_csv", args=["people-in-many"]),
    }


def _denied(user) -> int:
    return AuditEvent.objects.filter(action=Action.DENIED, actor=user).count()


# --- A revoked role ------------------------------------------------------------------------------------


def test_a_convenor_removed_with_an_open_session_loses_every_page_and_csv_on_the_next_request(road):
    outcome = _outcome(road)
    entry = _entry(road.dialogue, road.convenor.user)
    client = _client(road.convenor)
    pages = _pages(road.dialogue.pk, outcome.pk, entry.pk)
    for what, url in pages.items():
        assert client.get(url).status_code == 200, what
    exports = AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED, actor=road.convenor.user).count()
    assert exports == sum(1 for what in pages if what.endswith("csv"))

    dialogue_services.revoke_role(
        dialogue=road.dialogue, person=road.convenor, role=DialogueRole.CONVENOR, by=None
    )

    for what, url in pages.items():
        assert client.get(url).status_code == 404, what
    assert _denied(road.convenor.user) == len(pages)
    steps = OutcomeStep.objects.count()
    response = client.post(
        pages["outcome"], {"stage": "developed", "reached_on": TODAY.isoformat(), "channel": "memo"}
    )
    assert response.status_code == 404 and OutcomeStep.objects.count() == steps
    response = client.post(
        _url("insight_ripeness_new", road.dialogue.pk),
        {"occurred_on": TODAY.isoformat(), "kind": "election", "text": "still here"},
    )
    assert response.status_code == 404 and RipenessEntry.objects.count() == 1


# --- Another dialogue's convenor, and ids of one dialogue under another's URL ------------------------------


def test_a_convenor_of_another_dialogue_gets_the_audited_404_everywhere(road):
    outcome = _outcome(road)
    entry = _entry(road.dialogue, road.convenor.user)
    client = _client(road.other_convenor)
    pages = _pages(road.dialogue.pk, outcome.pk, entry.pk)
    del pages["programme"], pages["programme csv"]  # theirs, over their own dialogue
    for what, url in pages.items():
        assert client.get(url).status_code == 404, what
    assert _denied(road.other_convenor.user) == len(pages)


def test_ids_of_another_dialogue_under_this_dialogues_url_are_the_ordinary_404(road):
    theirs = _entry(road.other, road.other_convenor.user)
    client = _client(road.convenor)
    steps = OutcomeStep.objects.filter(outcome=road.secret).count()
    assert client.get(_url("outcome_detail", road.dialogue.pk, road.secret.pk)).status_code == 404
    response = client.post(
        _url("outcome_detail", road.dialogue.pk, road.secret.pk),
        {"stage": "developed", "reached_on": TODAY.isoformat(), "channel": "memo"},
    )
    assert response.status_code == 404
    assert OutcomeStep.objects.filter(outcome=road.secret).count() == steps
    for name in ("insight_ripeness_edit", "insight_ripeness_delete"):
        assert client.get(_url(name, road.dialogue.pk, theirs.pk)).status_code == 404
    # and this dialogue's own ids under the other dialogue's URL
    mine = _outcome(road)
    assert client.get(_url("outcome_detail", road.other.pk, mine.pk)).status_code == 404
    assert _denied(road.convenor.user) == 5


def test_a_carrier_must_be_a_current_member_of_this_dialogue(road):
    outcome = _outcome(road)
    outsider = road.secret.steps.get().carriers.get()  # a member of the other dialogue
    dialogue_services.revoke_role(
        dialogue=road.dialogue, person=road.quiet, role=DialogueRole.PARTICIPANT, by=None
    )
    client = _client(road.convenor)
    for carrier in (outsider, road.quiet):
        response = client.post(
            _url("outcome_detail", road.dialogue.pk, outcome.pk),
            {
                "stage": "developed",
                "reached_on": TODAY.isoformat(),
                "channel": "memo",
                "carriers": [carrier.pk],
            },
        )
        assert response.status_code == 400
        assert outsider.pseudonym not in response.content.decode()
    assert outcome.steps.count() == 1
    with pytest.raises(Exception, match="current members"):
        outcome_services.record_outcome_stage(
            outcome=outcome,
            stage=OutcomeStage.DEVELOPED,
            reached_on=TODAY,
            carriers=[outsider],
            by=road.convenor.user,
        )


@pytest.mark.parametrize(
    "url",
    [
        ("dialogues:insight_composition_csv", "nope"),
        ("dialogues:insight_composition_csv", "side-999999"),
        ("dialogues:insight_continuity_csv", "people"),
        ("dialogues:insight_transfers_csv", "notes"),
        ("dialogues:programme_insight_csv", "all-names"),
    ],
)
def test_a_table_that_is_not_listed_is_the_audited_404(road, url):
    name, table = url
    args = [table] if name.startswith("dialogues:programme") else [road.dialogue.pk, table]
    client = _client(road.convenor)
    assert client.get(reverse(name, args=args)).status_code == 404
    assert _denied(road.convenor.user) == 1
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()


@pytest.mark.parametrize(
    "tail",
    ["..%2F..%2Fsettings.csv", "../../etc/passwd.csv", "%2e%2e.csv", "roster.csv%00", "ROSTER%0A.csv"],
)
def test_path_traversal_in_the_table_slug_never_reaches_a_view(road, tail):
    response = _client(road.convenor).get(f"/dialogues/{road.dialogue.pk}/insight/composition/{tail}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()


# --- The pipeline's rules, through the page ------------------------------------------------------------


def _next(client, road, outcome, stage, day, **more):
    return client.post(
        _url("outcome_detail", road.dialogue.pk, outcome.pk),
        {"stage": stage, "reached_on": day.isoformat(), "channel": "memo to the ministry", **more},
    )


def test_skipping_a_stage_going_back_or_dating_before_the_stage_before_is_refused(road):
    outcome = _outcome(road, start_days_ago=30)
    client = _client(road.convenor)
    assert _next(client, road, outcome, "shared", TODAY).status_code == 400  # skips "written up"
    assert _next(client, road, outcome, "developed", TODAY - dt.timedelta(days=31)).status_code == 400
    assert _next(client, road, outcome, "developed", TODAY + dt.timedelta(days=1)).status_code == 400
    assert _next(client, road, outcome, "bogus", TODAY).status_code == 400
    assert outcome.steps.count() == 1
    assert _next(client, road, outcome, "developed", TODAY).status_code == 302
    assert _next(client, road, outcome, "idea", TODAY).status_code == 400  # backwards
    assert outcome.steps.count() == 2


def test_a_double_submission_records_one_step_and_one_audit_row(road):
    outcome = _outcome(road, start_days_ago=30)
    client = _client(road.convenor)
    for _ in range(2):
        assert _next(client, road, outcome, "developed", TODAY, note="Secret note words").status_code == 302
    assert outcome.steps.count() == 2
    rows = AuditEvent.objects.filter(action=Action.OUTCOME_STAGE_RECORDED)
    assert rows.count() == 1
    assert "Secret note words" not in str(rows.get().detail)
    assert "memo to the ministry" not in str(rows.get().detail)


@pytest.mark.parametrize("title", HOSTILE_LINES)
def test_hostile_outcome_titles_and_channels_are_refused(road, title):
    client = _client(road.convenor)
    base = {"kind": "new_option", "reached_on": TODAY.isoformat(), "title": "Fine title", "channel": ""}
    for field in ("title", "channel", "transfer_to"):
        response = client.post(_url("outcome_create", road.dialogue.pk), {**base, field: title})
        assert response.status_code == 400, field
    outcome = _outcome(road, start_days_ago=5)
    assert _next(client, road, outcome, "developed", TODAY, channel=title).status_code == 400
    assert Outcome.objects.filter(dialogue=road.dialogue).count() == 1
    assert outcome.steps.count() == 1


@pytest.mark.parametrize("title", SHOWN_SAFELY)
def test_markup_and_formulas_in_outcomes_are_shown_as_text_and_defused_in_the_csv(road, title):
    client = _client(road.convenor)
    base = {"kind": "new_option", "reached_on": TODAY.isoformat(), "title": title, "channel": title}
    assert client.post(_url("outcome_create", road.dialogue.pk), base).status_code == 302
    page = client.get(_url("insight_transfers", road.dialogue.pk)).content.decode()
    assert "<svg onload" not in page
    rows = list(
        csv.reader(
            io.StringIO(client.get(_url("insight_transfers_csv", road.dialogue.pk, "steps")).content.decode())
        )
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_over_long_input_is_refused_not_truncated(road):
    client = _client(road.convenor)
    base = {"kind": "new_option", "reached_on": TODAY.isoformat(), "title": "x" * 201}
    assert client.post(_url("outcome_create", road.dialogue.pk), base).status_code == 400
    response = client.post(
        _url("insight_ripeness_new", road.dialogue.pk),
        {"occurred_on": TODAY.isoformat(), "kind": "election", "text": "y" * 100_000},
    )
    assert response.status_code == 400 and not RipenessEntry.objects.exists()


@pytest.mark.parametrize("text", ["nul\x00byte", "\u202eevil", "a\u2066b", "para\u2029sep"])
def test_hostile_ripeness_words_are_refused(road, text):
    response = _client(road.convenor).post(
        _url("insight_ripeness_new", road.dialogue.pk),
        {"occurred_on": TODAY.isoformat(), "kind": "election", "text": text},
    )
    assert response.status_code == 400 and not RipenessEntry.objects.exists()


@pytest.mark.parametrize("day", ["1899-12-31", "1944-12-31", "9999-12-31", "0001-01-01", "2026-02-30"])
def test_ripeness_dates_far_past_or_future_are_refused(road, day):
    response = _client(road.convenor).post(
        _url("insight_ripeness_new", road.dialogue.pk), {"occurred_on": day, "kind": "election", "text": "x"}
    )
    assert response.status_code == 400 and not RipenessEntry.objects.exists()


def test_ripeness_markup_and_formulas_stay_text_in_the_page_the_svg_and_the_csv(road):
    client = _client(road.convenor)
    words = '=HYPERLINK("http://evil.example") <script>alert(1)</script> --></title><svg onload=x>'
    response = client.post(
        _url("insight_ripeness_new", road.dialogue.pk),
        {"occurred_on": TODAY.isoformat(), "kind": "election", "text": words},
    )
    assert response.status_code == 302
    page = client.get(_url("insight_ripeness", road.dialogue.pk)).content.decode()
    assert "<script>alert(1)" not in page and "<svg onload" not in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "HYPERLINK" not in svg and "hardliners" not in svg  # the timeline shows the kind only
    rows = list(csv.reader(io.StringIO(client.get(_url("insight_ripeness_csv", road.dialogue.pk)).text)))
    assert rows[1][2].startswith("'=HYPERLINK")


def test_side_names_from_before_their_rules_stay_text_in_svg_and_csv(road):
    """Side names are checked when added; one stored before (or by the admin) must still not inject."""
    hostile = SideFactory(dialogue=road.dialogue, name='=cmd|"/C calc"!A0 </title><script>x</script>')
    dialogue_services.assign_role(
        dialogue=road.dialogue, person=road.quiet, role=DialogueRole.PARTICIPANT, side=hostile, by=None
    )
    client = _client(road.convenor)
    page = client.get(_url("insight_composition", road.dialogue.pk)).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    body = client.get(_url("insight_composition_csv", road.dialogue.pk, "roster")).text
    assert "'=cmd" in body and "\n=cmd" not in body and not body.startswith("=")


@pytest.mark.parametrize(
    "value", ["%00", "99999999999999999999999", "-1", "1 OR 1=1", "<b>", "", "%E2%80%AE"]
)
def test_the_programme_filter_never_counts_beyond_the_viewers_dialogues(road, value):
    # The convenor has two Third Parties' dialogues, so the filter is shown; the other dialogue's Third
    # Party is not theirs and must count nothing of it.
    _outcome(road)
    mine = DialogueFactory(codename="saltmarsh")
    dialogue_services.assign_role(dialogue=mine, person=road.convenor, role=DialogueRole.CONVENOR, by=None)
    client = _client(road.convenor)
    for query in (f"?third_party={value}", f"?third_party={road.other.third_party_id}"):
        response = client.get(reverse("dialogues:programme_insight") + query)
        assert response.status_code == 200, query
        page = response.content.decode()
        assert "Secret dam release formula" not in page and "riverstone" not in page
        assert "Of 1 outcome recorded" in page, query  # the other dialogue's outcome is not counted


# --- Dates far in the past ---------------------------------------------------------------------------


def test_an_outcome_dated_a_century_ago_is_refused(road):
    client = _client(road.convenor)
    response = client.post(
        _url("outcome_create", road.dialogue.pk),
        {"kind": "new_option", "reached_on": "1900-01-01", "title": "Typo in the year"},
    )
    assert response.status_code == 400
    assert not Outcome.objects.filter(dialogue=road.dialogue).exists()
    outcome = _outcome(road, start_days_ago=5)
    assert _next(client, road, outcome, "developed", dt.date(1900, 1, 1)).status_code == 400
    with pytest.raises(Exception, match="from 1945"):
        outcome_services.record_outcome(
            dialogue=road.dialogue, kind="new_option", title="x", reached_on=dt.date(1944, 12, 31), by=None
        )


# --- What a funder can work out -------------------------------------------------------------------------


def _consent(membership: Membership, answer: str) -> None:
    membership.funding_consent = answer
    membership.save(update_fields=["funding_consent"])


def test_withheld_counts_that_add_up_to_a_small_number_are_not_left_alone():
    """A funder who knows the total (the answers in the same report add up to it) subtracts the shown counts:
    when what is withheld adds up to fewer than the threshold, one more count must be withheld."""
    for counts in ([15, 1, 0], [12, 3, 1], [20, 2, 2, 0]):
        shown = suppressed_counts(counts)
        hidden = sum(count for count, seen in zip(counts, shown, strict=True) if seen is None)
        assert hidden == 0 or hidden >= 5, (counts, shown)
    assert suppressed_together([16, 0, 0]) == ["withheld", "fewer than 5", "fewer than 5"]
    # what held before is unchanged
    assert suppressed_counts([6, 2, 5]) == [6, None, None]
    assert suppressed_counts([7, 6]) == [7, 6]
    assert suppressed_counts([7, 3]) == [None, None]
    assert suppressed_counts([9, 8, 6, 5]) == [9, 8, 6, 5]


def test_the_disclosure_report_does_not_let_a_funder_subtract_one_participant_on_a_side():
    place = make_place("z")
    dialogue = place.dialogue
    north, south = dialogue.sides.order_by("name")
    lonely = SideFactory(dialogue=dialogue, name="Diaspora z")
    for n in range(14):  # North: 15 with the fixture's one; South: the fixture's one; Diaspora: nobody yet
        participate(dialogue, north, f"Hidden North {n}")
    memberships = list(Membership.objects.filter(dialogue=dialogue, role="participant").order_by("pk"))
    for n, membership in enumerate(memberships):  # 6 approve, 5 object, 5 not yet: all shown
        answer = (
            FundingConsent.APPROVED
            if n < 6
            else FundingConsent.OBJECTED
            if n < 11
            else FundingConsent.PENDING
        )
        _consent(membership, answer)
    grant = GrantFactory(dialogue=dialogue, funder=place.funder, status=GrantStatus.ACCEPTED)
    sync_funder_access(funder=place.funder)
    data = disclosure_selectors.disclosure_data(grant=grant)
    total = sum(int(n) for n in data.answers.values())
    assert total == 16  # all three answers are shown: the funder knows how many participants there are
    shown = dict(data.activity.sides.table.rows)
    assert set(shown) == {north.name, south.name, lonely.name}
    known = sum(v for v in shown.values() if v is not None)
    assert total - known == 0 or total - known >= 5, f"the withheld sides hold exactly {total - known}"
