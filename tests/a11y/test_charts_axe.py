"""Every chart kind in the figure include, on a page of its own (the crawl of test_axe.py visits the app's
pages, which may not yet have every kind of chart): axe-core finds nothing serious at 1280 and 375 px, the
page never scrolls sideways, and on a phone the chart scrolls inside its own focusable box at a readable size.
"""

import pytest
from playwright.sync_api import Browser

from tests.a11y.test_axe import AXE, FAILING_IMPACTS, RULE_SETS, RUN_AXE, WIDTHS
from tests.chartpages import page as chart_page

pytestmark = pytest.mark.e2e

# The smallest text of any chart in CSS pixels: its font-size in viewBox units times the SVG's scale.
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => Number(t.getAttribute('font-size')) * scale);
}))"""


def test_every_chart_kind_passes_axe_and_stays_readable_on_a_phone(browser: Browser):
    assert AXE.exists(), f"axe-core is missing at {AXE}: bin/test installs it (npm)."
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(chart_page())
    page.add_script_tag(path=str(AXE))
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate(RUN_AXE, RULE_SETS)
        failures += [
            f"{width}px: {v['impact']} {v['id']} ({v['help']}) on {', '.join(v['targets'][:3])}"
            for v in result["violations"]
            if v["impact"] in FAILING_IMPACTS
        ]
        assert result["scrollWidth"] <= result["innerWidth"], f"{width}px: the page scrolls sideways"
        assert page.evaluate(SMALLEST_TEXT) >= 10.99, f"{width}px: chart text smaller than 11px"
    assert not failures, "\n".join(failures)
    scroller = page.locator(".chart-scroll").first
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # 375px: the chart scrolls in its box
    assert scroller.get_attribute("tabindex") == "0" and scroller.get_attribute("aria-label")
    svg = page.locator("svg.chart").first
    assert svg.get_attribute("role") == "img"
    assert page.locator("figure.chart-figure table caption").count() == 6
    context.close()
