"""What a funder sees of the funded dialogue (issue 21): workshops held per quarter and participants
per side, as charts with their tables and CSVs, on the grant's page and in the sealed disclosure report.
Aggregates only: small counts withheld, and no pseudonym, proximity to officialdom or name anywhere, though
all are in the data. The report goes to artifacts/screenshots/insight-funder-disclosure.pdf for a person
to look at (`pdftoppm -r 80 -png`)."""

import csv
import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, WorkshopStatus
from funding.disclosures import selectors as disclosure_selectors
from funding.disclosures import services as disclosure_services
from funding.enums import GrantStatus
from funding.funders.services import sync_funder_access
from funding.grants import services as grant_services
from funding.insight import selectors, services
from funding.permissions import suppressed_counts
from participants.enums import Proximity
from tests import pdfcheck
from tests.factories import GrantFactory, PersonFactory, SideFactory, WorkshopFactory
from trackii.audit.models import AuditEvent
from trackii.sealing.enums import SealJobState
from trackii.sealing.services import run_seal_job

pytestmark = pytest.mark.django_db

# Close to officialdom: what a funder must never learn of anyone in the dialogue.
PROXIMITIES = (Proximity.SERVING_OFFICIAL, Proximity.FORMER_OFFICIAL, Proximity.SECURITY_SECTOR)
PROXIMITY_LABELS = [p.label for p in PROXIMITIES] + ["serving_official", "former_official", "security_sector"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


def _join(dialogue, side, n: int, tag: str) -> list:
    people = []
    for i in range(n):
        person = PersonFactory(
            pseudonym=f"Kestrel-{tag}{i}", name=f"Hidden Person {tag}{i}", proximity=PROXIMITIES[i % 3]
        )
        dialogue_services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
        people.append(person)
    return people


def _held(dialogue, *days: dt.date, venue: str = "Hotel Tidewater, Marrowbay") -> None:
    for day in days:
        starts = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        WorkshopFactory(
            series__dialogue=dialogue,
            status=WorkshopStatus.HELD,
            starts_at=starts,
            ends_at=starts + dt.timedelta(days=1),
            venue=venue,
        )


@pytest.fixture
def busy(place):
    """Place A with three sides (8, 6 and 2 participants beside the fixture's one each on North and South),
    workshops held in 2025 Q1 (two), none in Q2, one in Q3, a scheduled one that does not count, and an
    active grant its funder's officer reads."""
    dialogue = place.dialogue
    north, south = dialogue.sides.order_by("name")
    east = SideFactory(dialogue=dialogue, name="East a")
    people = _join(dialogue, north, 7, "n") + _join(dialogue, south, 5, "s") + _join(dialogue, east, 2, "e")
    _held(dialogue, dt.date(2025, 1, 14), dt.date(2025, 3, 2), dt.date(2025, 8, 20))
    WorkshopFactory(series__dialogue=dialogue, status=WorkshopStatus.SCHEDULED)
    grant = GrantFactory(dialogue=dialogue, funder=place.funder, status=GrantStatus.ACCEPTED)
    sync_funder_access(funder=place.funder)
    return grant, people


def _secrets(place, people) -> list[str]:
    return [
        *(p.pseudonym for p in [*people, *place.participants]),
        *(p.name for p in [*people, *place.participants]),
        *(str(label) for label in PROXIMITY_LABELS),
        "Hotel Tidewater",
        place.dialogue.title,
    ]


@pytest.mark.parametrize(
    ("counts", "shown"),
    [([6, 2, 5], [6, None, None]), ([7, 6], [7, 6]), ([7, 3], [None, None]), ([5], [5]), ([], [])],
)
def test_suppressed_counts_withhold_what_suppressed_together_hides(counts, shown):
    assert suppressed_counts(counts) == shown


def test_activity_counts_held_workshops_per_quarter_with_gaps_and_withholds_small_sides(place, busy):
    grant, _ = busy
    activity = selectors.activity_of(grant=grant)
    assert activity.workshops_held == 3
    assert activity.workshops.table.rows == (("2025 Q1", 2), ("2025 Q2", 0), ("2025 Q3", 1))
    # East has 2: withheld; the next smallest (South, 6) too, or East could be worked out from a total.
    assert activity.sides.table.rows == (("East a", None), ("North a", 8), ("South a", None))
    assert activity.withheld == 2 and "2 counts are withheld" in activity.sides.description


def test_activity_of_a_core_budget_grant_is_none_and_of_a_quiet_dialogue_is_empty(place):
    core = GrantFactory(dialogue=None, third_party=place.dialogue.third_party)
    assert selectors.activity_of(grant=core) is None
    quiet = selectors.activity_of(grant=GrantFactory(dialogue=place.dialogue))
    assert quiet.workshops_held == 0 and quiet.workshops.table.rows == ()
    assert quiet.sides.table.rows == (("North a", None), ("South a", None))


def test_funder_page_shows_two_charts_with_tables_and_nothing_about_a_person(client, place, busy):
    grant, people = busy
    client.force_login(place.officer.user)
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert body.count('<svg class="chart"') == 2 and body.count('role="img"') >= 2
    assert "Workshops held per quarter" in body and "Participants per side" in body
    assert '<th scope="row">2025 Q2</th><td class="number">0</td>' in body
    assert '<th scope="row">North a</th><td class="number">8</td>' in body
    assert '<th scope="row">East a</th><td class="number">withheld</td>' in body
    for table in selectors.TABLES:
        assert reverse("funding:activity_csv", args=[grant.pk, table]) in body
    for secret in _secrets(place, people):
        assert secret not in body, secret
    assert "proximity" not in body.lower()


def test_convenor_and_facilitation_team_see_the_same_charts(client, place, busy):
    grant, _ = busy
    client.force_login(place.convenor.user)
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert body.count('<svg class="chart"') == 2 and "all the funder's officers see" in body
    client.force_login(place.participants[0].user)  # a member: who funds, not the activity
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert '<svg class="chart"' not in body


def test_csv_of_each_table_is_audited_on_the_grant(client, place, busy):
    grant, _ = busy
    client.force_login(place.officer.user)
    response = client.get(reverse("funding:activity_csv", args=[grant.pk, selectors.SIDES]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="grant-{grant.pk}-participants-per-side.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Side", "Participants"],
        ["East a", "withheld"],
        ["North a", "8"],
        ["South a", "withheld"],
    ]
    event = AuditEvent.objects.get(action="insight_exported")
    assert (event.target_type, event.target_id) == ("funding.grant", str(grant.pk))
    assert event.detail == {"table": selectors.SIDES} and event.actor_id == place.officer.user.pk
    response = client.get(reverse("funding:activity_csv", args=[grant.pk, selectors.WORKSHOPS]))
    assert response.content.decode().splitlines()[1:] == ["2025 Q1,2", "2025 Q2,0", "2025 Q3,1"]


def test_csv_answers_get_only_so_that_a_head_writes_no_export_row(client, place, busy):
    grant, _ = busy
    client.force_login(place.officer.user)
    assert client.head(reverse("funding:activity_csv", args=[grant.pk, selectors.SIDES])).status_code == 405
    assert not AuditEvent.objects.filter(action="insight_exported").exists()


def test_csv_refused_to_members_other_funders_unknown_tables_and_core_budgets(
    client, place, other_place, busy
):
    grant, _ = busy
    url = reverse("funding:activity_csv", args=[grant.pk, selectors.SIDES])
    for user in (place.participants[0].user, other_place.officer.user, other_place.convenor.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(place.officer.user)
    assert client.get(reverse("funding:activity_csv", args=[grant.pk, "members"])).status_code == 404
    core = GrantFactory(dialogue=None, third_party=place.dialogue.third_party, funder=place.funder)
    sync_funder_access(funder=place.funder)
    assert client.get(reverse("funding:activity_csv", args=[core.pk, selectors.SIDES])).status_code == 404
    assert not AuditEvent.objects.filter(action="insight_exported").exists()
    assert AuditEvent.objects.filter(action="denied").count() == 5


def test_export_service_names_the_table_and_refuses_a_core_budget(place, busy):
    grant, _ = busy
    table = services.export_activity_table(grant=grant, table=selectors.WORKSHOPS, by=place.officer.user)
    assert table.columns == ("Quarter", "Workshops held")
    core = GrantFactory(dialogue=None, third_party=place.dialogue.third_party)
    with pytest.raises(ValueError, match="core-budget"):
        services.export_activity_table(grant=core, table=selectors.SIDES, by=place.officer.user)
    assert AuditEvent.objects.filter(action="insight_exported").count() == 1


def _grow(place, sides: int, workshops: int) -> None:
    for n in range(sides):
        _join(place.dialogue, SideFactory(dialogue=place.dialogue, name=f"Extra {n}"), 6, f"x{n}-")
    _held(place.dialogue, *(dt.date(2024, 1 + 2 * n, 10) for n in range(workshops)))


@pytest.mark.parametrize(("sides", "workshops"), [(0, 1), (4, 6)])
def test_funder_grant_page_query_count_is_constant(
    client, place, django_assert_num_queries, sides, workshops
):
    _grow(place, sides, workshops)
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    sync_funder_access(funder=place.funder)
    client.force_login(place.officer.user)
    url = reverse("funding:grant_detail", args=[grant.pk])
    client.get(url)  # per-process caches
    # session, user, what the user holds (dialogues; funders' grants), grant (with its flags), audit of the
    # read, conditions, spend, workshops per quarter, participants per side, newest sealed disclosure
    with django_assert_num_queries(QUERIES_FUNDER_PAGE):
        response = client.get(url)
    assert response.content.decode().count('<svg class="chart"') == 2


QUERIES_FUNDER_PAGE = 11


@pytest.mark.parametrize(("sides", "workshops"), [(0, 1), (4, 6)])
def test_csv_query_count_is_constant(client, place, django_assert_num_queries, sides, workshops):
    _grow(place, sides, workshops)
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    sync_funder_access(funder=place.funder)
    client.force_login(place.officer.user)
    url = reverse("funding:activity_csv", args=[grant.pk, selectors.SIDES])
    client.get(url)
    # session, user, what the user holds (dialogues; funders' grants), grant (with its flags), audit of the
    # read, participants per side (the workshops are not counted for this table), the export's savepoint,
    # its audit row, the savepoint's release
    with django_assert_num_queries(QUERIES_CSV):
        client.get(url)


QUERIES_CSV = 10


def _disclosure_pdf(place, grant) -> bytes:
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=place.convenor.user)
    disclosure = disclosure_services.request_disclosure(grant=grant, by=place.convenor.user)
    job = run_seal_job(job_id=disclosure_selectors.disclosure_job(disclosure=disclosure).pk)
    assert job.state == SealJobState.DONE, job.error
    disclosure.refresh_from_db()
    return disclosure_selectors.disclosure_pdf(disclosure=disclosure)


def test_disclosure_pdf_holds_both_charts_and_tables_in_the_vendored_fonts_and_no_person(place, busy):
    grant, people = busy
    pdf = _disclosure_pdf(place, grant)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "insight-funder-disclosure.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Workshops held per quarter",
        "Participants per side",
        "2025 Q2 0",
        "North a 8",
        "East a withheld",
        "South a withheld",
    ):
        assert expected in text, expected
    for secret in _secrets(place, people):
        assert secret not in text, secret
    # The charts' own text (bar values, quarters, sides) is drawn in the vendored fonts, nothing missing.
    assert pdfcheck.font_names(pdf) <= {
        "Trackii-Serif",
        "Trackii-Serif-Bold",
        "Trackii-Sans",
        "Trackii-Sans-Bold",
    }
    assert pdfcheck.notdef_glyphs(pdf) == []
