"""Every role's main pages on the demo programme, checked by axe-core at 1280 and 375 px in Chromium.

Fails on any serious or critical axe finding (WCAG 2.0/2.1/2.2 A and AA, plus best practice) and on any page
wider than its viewport (sideways scrolling). axe-core comes from the npm registry: bin/test installs it into
.tools/axe (git-ignored); no page ever loads it by itself, Playwright injects it into each page here.
Set TRACKII_A11Y_REPORT=path to also write every finding (all impacts) as JSON for a person to read, and
TRACKII_A11Y_SHOTS=folder to save a screenshot of each page at each width there.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, BrowserContext, Page

from dialogues.enums import SummaryStatus
from dialogues.models import Dialogue, Summary, Workshop
from funding.models import Grant
from participants.models import Membership
from tests.e2e.helpers import PASSWORD, enrol, log_in
from trackii.accounts.selectors import requires_mfa
from trackii.demo.build import seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
WIDTHS = (1280, 375)
ROLES = (
    "participant",
    "participant2",
    "facilitator",
    "convenor",
    "rapporteur",
    "funder",
    "auditor",
    "admin",
)
# Returns the violations and the page's width, in one round trip per width.
RUN_AXE = """async (ruleSets) => {
    const options = {runOnly: {type: 'tag', values: ruleSets}, resultTypes: ['violations']};
    const result = await axe.run(document, options);
    return {
        violations: result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')),
        })),
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
    };
}"""


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    everything: list[dict] = field(default_factory=list)
    pages: int = 0


@pytest.fixture
def demo(settings):
    # Argon2 is deliberately slow; the demo's logins do not need it here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)  # the password tests.e2e.helpers.log_in types
        user.save(update_fields=["password"])
        if requires_mfa(user=user):
            enrol(user)
    tidewater = Dialogue.objects.get(codename="tidewater")
    summaries = Summary.objects.filter(workshop__series__dialogue=tidewater)
    workshop = (
        Workshop.objects.filter(series__dialogue=tidewater, summaries__status=SummaryStatus.IN_REVIEW)
        .order_by("starts_at")
        .first()
    )
    # The grant page includes its disclosure reports (/disclosures/ itself is the fragment htmx polls).
    grant = Grant.objects.filter(dialogue=tidewater).order_by("pk").first()
    member = Membership.objects.filter(dialogue=tidewater, left_on__isnull=True).order_by("pk").first()
    d = f"/dialogues/{tidewater.pk}"
    pages = [
        "/",
        "/me/",
        "/calendar/",
        "/calendar/agenda/",
        "/summaries/",
        f"{d}/",
        f"{d}/dashboard/",
        f"{d}/members/",
        f"{d}/people/{member.person_id}/cut-off/",  # the emergency cut-off's confirmation (convenors)
        f"{d}/members/{member.pk}/remove/",  # the confirmation pages of steps that cannot be undone
        f"{d}/status/?status=concluded",
        f"{d}/series/{workshop.series_id}/",
        f"{d}/workshops/{workshop.pk}/",
        f"{d}/workshops/{workshop.pk}/invitations/",
        f"{d}/workshops/{workshop.pk}/held/",  # who attended (issue 18)
        f"{d}/ground-rules/",
        "/funding/",
        f"/funding/grants/{grant.pk}/",
        f"/funding/dialogues/{tidewater.pk}/approval/",
        "/audit/",
        "/audit/events/",
        "/audit/events/?action=view&since=2026-01-01",  # the active filters as chips (issue 19)
        f"/audit/accounts/{get_user_model().objects.get(email='participant@example.org').pk}/",  # timelines
        f"/audit/objects/dialogues.dialogue/{tidewater.pk}/",
        "/break-glass/",
        "/account/",
        "/accounts/sessions/",
        "/verify/",
    ]
    for status in (SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW, SummaryStatus.SEALED):
        summary = summaries.filter(status=status).order_by("pk").first()
        pages.append(f"{d}/summaries/{summary.pk}/")
    return pages


def audit(page: Page, label: str, findings: Findings) -> None:
    """Run axe at each width on the page already loaded; record what fails."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate(RUN_AXE, RULE_SETS)
        findings.pages += 1
        where = f"{label} at {width}px"
        if shots := os.environ.get("TRACKII_A11Y_SHOTS"):
            name = "".join(c if c.isalnum() else "-" for c in label).strip("-")
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
        findings.everything.append({"page": label, "width": width, **result})
        for violation in result["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                findings.failures.append(
                    f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) "
                    f"on {', '.join(violation['targets'][:5])}"
                )
        wide, window = result["scrollWidth"], result["innerWidth"]
        if wide > window:
            findings.failures.append(f"{where}: scrolls sideways ({wide}px wide in a {window}px window)")


def visit(page: Page, url: str, label: str, findings: Findings) -> None:
    response = page.goto(url)
    if response is None or response.status in (403, 404):
        return  # not this role's page: the same 404 as for a page that does not exist
    assert response.ok, f"{label}: HTTP {response.status}"
    # Injected by Playwright, never served by Trackii: the context bypasses the CSP for this alone.
    page.add_script_tag(path=str(AXE))
    audit(page, label, findings)


def refused(page: Page, label: str, findings: Findings) -> None:
    """Audit the page a refused form came back on."""
    assert page.title().startswith("Error: "), f"{label}: {page.title()}"
    page.add_script_tag(path=str(AXE))
    audit(page, label, findings)


def new_context(browser: Browser) -> BrowserContext:
    # add_script_tag(path=...) inserts axe's source as an inline <script>, which Trackii's CSP
    # (script-src 'self') refuses; bypass_csp lifts the CSP in this test's browser context only.
    return browser.new_context(bypass_csp=True, viewport={"width": WIDTHS[0], "height": 900})


def test_every_role_main_pages_have_no_serious_axe_finding_and_no_sideways_scrolling(
    live_server, browser: Browser, demo
):
    assert AXE.exists(), f"axe-core is missing at {AXE}: bin/test installs it (npm)."
    base = live_server.url
    findings = Findings()
    started = time.monotonic()

    context = new_context(browser)
    page = context.new_page()
    for url, label in (
        ("/accounts/login/", "login"),
        ("/accounts/password/reset/", "password reset"),
        ("/verify/", "verify (logged out)"),
    ):
        visit(page, base + url, label, findings)
    # A refused form: its error summary (which has the focus) and the fields tied to the error.
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not a password of anyone's")
    page.get_by_role("button", name="Log in").click()
    refused(page, "login refused", findings)
    context.close()

    for role in ROLES:
        context = new_context(browser)
        page = context.new_page()
        log_in(page, base, f"{role}@example.org")
        for path in demo:
            visit(page, base + path, f"{role} {path}", findings)
        if role == "convenor":  # a refused form of the workspace, with field errors
            series = next(path for path in demo if "/series/" in path)
            page.goto(base + series)
            page.get_by_role("button", name="Schedule").click()
            refused(page, f"{role} {series} refused", findings)
        context.close()

    if report := os.environ.get("TRACKII_A11Y_REPORT"):
        Path(report).write_text(json.dumps(findings.everything, indent=1))
    elapsed = time.monotonic() - started
    assert not findings.failures, (
        f"{len(findings.failures)} problems on {findings.pages} page views ({elapsed:.0f} s):\n"
        + "\n".join(findings.failures)
    )
