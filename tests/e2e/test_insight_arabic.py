"""The insight composition page in Arabic, in Chromium (issue 22): a convenor whose browser asks for Arabic
reads the composition of a two-sided dialogue, its readings and chart, at 1280 px. The screenshot goes to
/tmp/shots-D/ (and artifacts/screenshots/) for a person to look at: words right to left, codenames and
numbers isolated."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dialogues.enums import DialogueRole
from participants.enums import Proximity
from tests.dialogues.helpers import member, two_sided
from tests.dialogues.insight.helpers import held_workshop
from tests.e2e.helpers import enrol, log_in
from tests.factories import SeriesFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-D")  # noqa: S108 - where the brief asks the screenshots to be


def test_composition_page_in_arabic_at_1280(live_server, page: Page, screenshot):
    dialogue, north, south = two_sided()
    officials = [member(dialogue, north, proximity=Proximity.SERVING_OFFICIAL) for _ in range(3)]
    academic = member(dialogue, south, proximity=Proximity.ACADEMIC)
    former = member(dialogue, south, proximity=Proximity.FORMER_OFFICIAL)
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    enrol(convenor.user)
    series = SeriesFactory(dialogue=dialogue, title="Listening circles")
    held_workshop(series, 1, attended=[*officials, academic])
    held_workshop(series, 2, attended=[officials[0], academic, former])

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, convenor.user.email)
    page.context.set_extra_http_headers({"Accept-Language": "ar"})
    page.goto(f"{live_server.url}/dialogues/{dialogue.pk}/insight/composition/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("التشكيلة")
    expect(page.get_by_role("heading", name="بعبارات بسيطة")).to_be_visible()
    expect(page.get_by_text("في القائمة حاليًا: 5 أعضاء، منهم 3 مسؤولين حاليين.")).to_be_visible()
    path = screenshot("insight-composition-ar-1280")
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / "insight-composition-ar-1280.png")
    # Nothing scrolls sideways at 1280 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # How it reads once the page frame (base.html, another part of issue 22) says dir="rtl".
    page.evaluate("document.documentElement.setAttribute('dir', 'rtl')")
    shutil.copy(screenshot("insight-composition-ar-rtl-1280"), SHOTS / "insight-composition-ar-rtl-1280.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
