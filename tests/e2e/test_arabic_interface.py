"""The Arabic interface on the demo programme, at 1280 and 375 px in Chromium (issue 22): each role's main
pages run right to left, none scrolls sideways on a phone, and every codename and pseudonym on them sits in
its own isolate (`<bdi>`, or an element with its own `dir`), so "P-32" and "lanternfield" are never reordered
by the Arabic around them. Screenshots go to $SHOTS_DIR (default artifacts/screenshots/) as ar-ui-*.png for a
person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from dialogues.enums import SummaryStatus
from dialogues.models import Dialogue, Summary
from dialogues.summaries import services as summary_services
from funding.models import Grant
from participants.models import Person
from tests.e2e.helpers import PASSWORD, enrol, log_in
from trackii.accounts.selectors import requires_mfa
from trackii.demo.build import seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"))
ARABIC_VERSION = (
    "## كيف يعمل الخط الساخن\n\nعرض أحد المشاركين حادثة ساعة بساعة.\n\n## الخطوات التالية\n\n- ورقة قصيرة\n"
)

# Text nodes holding a codename or a pseudonym with no isolate between them and the page: no ancestor whose
# unicode-bidi isolates (<bdi>, an element with `dir`, .codename and .pseudonym in trackii.css) and no U+2068
# (the |isolate filter). Left out: form controls, the page's title and scripts (laid out on their own); a
# field's help text, whose example ("a pseudonym such as P-17") starts with a Latin letter inside a sentence,
# so the algorithm keeps it whole; and the audit log's object labels, composed sentences ("lanternfield ·
# series 1 · workshop 1") shared with the CSV export, whose codename leads a right-to-left cell.
UNISOLATED = r"""(pattern) => {
    const re = new RegExp(pattern);
    const skip = new Set(['SCRIPT', 'STYLE', 'TITLE', 'OPTION', 'TEXTAREA', 'SELECT', 'NOSCRIPT']);
    const isolates = (el) => {
        for (; el && el !== document.documentElement; el = el.parentElement) {
            const bidi = getComputedStyle(el).unicodeBidi;
            if (bidi.includes('isolate') || bidi === 'plaintext') return true;
        }
        return false;
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!re.test(node.nodeValue) || node.nodeValue.includes('\u2068')) continue;
        const parent = node.parentElement;
        if (!parent || skip.has(parent.tagName)) continue;
        if (parent.closest('.visually-hidden, [id$=_helptext], .audit-object')) continue;
        if (parent.getClientRects().length === 0 || isolates(parent)) continue;
        const owner = parent.closest('[id], [class]');
        const where = owner ? owner.tagName.toLowerCase() + (owner.id ? '#' + owner.id : '.' +
            String(owner.className).split(' ')[0]) : parent.tagName.toLowerCase();
        found.push(where + ': ' + node.nodeValue.trim().slice(0, 60));
    }
    return found;
}"""
# Pseudonyms: the accounts' ("P-32") and the dialogues' ("P-7KQM", decision 0026).
ISOLATED_TERMS = r"\b(tidewater|riverstone|lanternfield|P-[0-9A-Z]+)\b"


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.language = "ar"  # every account reads Trackii in Arabic
        user.save(update_fields=["password", "language"])
        if requires_mfa(user=user):
            enrol(user)
    tidewater = Dialogue.objects.get(codename="tidewater")
    lanternfield = Dialogue.objects.get(codename="lanternfield")
    draft = Summary.objects.filter(workshop__series__dialogue=tidewater, status=SummaryStatus.DRAFT).first()
    convenor = get_user_model().objects.get(email="convenor@example.org")
    summary_services.save_parallel_version(
        summary=draft, language_code="ar", body=ARABIC_VERSION, by=convenor
    )
    sealed = Summary.objects.filter(
        workshop__series__dialogue=lanternfield, status=SummaryStatus.SEALED, translations__isnull=False
    ).first()
    return {
        "tidewater": tidewater,
        "lanternfield": lanternfield,
        "draft": draft,
        "sealed": sealed,
        "named": Person.objects.get(pseudonym="P-32"),
        "grant": Grant.objects.filter(dialogue=tidewater).order_by("pk").first(),
    }


def look(page: Page, url: str, name: str, problems: list[str]) -> None:
    """Open the page at both widths: right to left, nothing sideways at 375 px, codenames isolated."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"ar-ui-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if width == 375 and overflow > 1:
            problems.append(f"{name}: scrolls sideways by {overflow}px at 375 px")
    problems.extend(f"{name}: not isolated: {where}" for where in page.evaluate(UNISOLATED, ISOLATED_TERMS))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_arabic_interface_runs_right_to_left_fits_a_phone_and_isolates_codenames(
    live_server, page: Page, demo
):
    base = live_server.url
    problems: list[str] = []
    tidewater, lanternfield = demo["tidewater"].pk, demo["lanternfield"].pk

    log_in(page, base, "convenor@example.org")
    look(page, f"{base}/", "home", problems)
    look(page, f"{base}/dialogues/{lanternfield}/dashboard/", "dashboard", problems)
    look(page, f"{base}/dialogues/{lanternfield}/members/", "roster", problems)
    look(page, f"{base}/dialogues/{lanternfield}/people/{demo['named'].pk}/names/", "names", problems)
    expect(page.get_by_text("Корвин", exact=False).first).to_be_visible()
    look(page, f"{base}/dialogues/{tidewater}/summaries/{demo['draft'].pk}/", "summary-draft", problems)
    expect(page.locator("#version-ar textarea")).to_have_value(re.compile("الخط الساخن"))
    # The English summary in the Arabic page keeps its own direction, in the editor and the preview.
    expect(page.locator("#summary-editor textarea")).to_have_attribute("dir", "ltr")
    expect(page.locator("#summary-preview")).to_have_attribute("dir", "ltr")
    expect(page.locator("#version-ar textarea")).to_have_attribute("dir", "rtl")
    look(page, f"{base}/summaries/", "reading-room", problems)
    sealed = demo["sealed"]
    look(
        page,
        f"{base}/dialogues/{lanternfield}/summaries/{sealed.pk}/?version=ru",
        "sealed-russian",
        problems,
    )
    look(page, f"{base}/calendar/", "calendar", problems)

    log_in(page, base, "auditor@example.org")
    look(page, f"{base}/audit/events/?action=view", "audit-search", problems)

    log_in(page, base, "funder@example.org")
    look(page, f"{base}/funding/grants/{demo['grant'].pk}/", "funder-grant", problems)

    assert not problems, "\n".join(problems)
